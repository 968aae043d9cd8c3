#pragma once
// How much site data head office takes in one import (a site file or one data set's CSV). Checked
// while reading and before anything is committed, so a runaway export is refused with its line and
// the site's previous data stays; the kiosks pull every row of it, so head office is where to stop it.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/datasets.hpp"

namespace kiosk::headoffice {

inline constexpr size_t kMaxSiteFileBytes = 32u << 20;  // a site file or a CSV file, checked before reading it
inline constexpr size_t kMaxDatasetRows = kMaxRowsPerDataset;  // rows in one data set: what a kiosk keeps, never more
// Any one text in a row (a CSV field, a JSON string): what a kiosk keeps, never more. A row is also
// held to the kiosk's other rules (dataset_row_problem: row size, nesting), so what head office
// imports every kiosk takes.
inline constexpr size_t kMaxFieldBytes = kMaxDatasetFieldBytes;
inline constexpr int kMaxSiteJsonDepth = 16;            // nesting of a site file ({"units": [{"name": {"en": …}}]} is 4)
inline constexpr size_t kMaxCsvColumns = 64;            // fields in one CSV line
inline constexpr size_t kMaxCsvCells = 1'000'000;       // fields in one CSV file, which bounds the rows held in memory

// What is wrong with one data set's rows against the limits above (count, keys, texts), or nothing.
std::optional<std::string> site_rows_problem(const std::string& dataset, const std::vector<DatasetRow>& rows);
// ... with one row.
std::optional<std::string> site_row_problem(const std::string& dataset, const DatasetRow& row);

}  // namespace kiosk::headoffice
