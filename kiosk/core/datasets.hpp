#pragma once
// The site's reference data as head office sends it: named data sets of keyed rows. A site file
// (assets/demo/site.json) is the same data all at once; head office serves it row by row, each
// data set with its own cursor, so a kiosk pulls only what changed.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiosk {

struct DatasetRow {
    std::string key;
    nlohmann::json body;   // the row as the site file has it (facts: the value; consent: true)
    bool deleted = false;
};

// In the order a kiosk applies them (a flat after its building, a resident after the flat).
const std::vector<std::string>& site_datasets();
bool is_site_dataset(std::string_view name);

// What a kiosk pulls: the site data sets, then what head office makes from every kiosk's records:
// parcels, exit_passes and loans, the site's (keyed by their ids), and case_status, how far each
// repair and complaint has got (keyed by ticket: {"status", "severity"}).
const std::vector<std::string>& pulled_datasets();
bool is_pulled_dataset(std::string_view name);

// The rows of one data set in a site file; throws std::runtime_error naming a malformed row.
// One row of a list data set (not facts) from its item, the n-th (1-based, for the error).
DatasetRow dataset_row(std::string_view dataset, const nlohmann::json& item, int n);
std::vector<DatasetRow> dataset_rows(const nlohmann::json& site, std::string_view dataset);

}  // namespace kiosk
