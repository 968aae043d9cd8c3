#pragma once
// A site's data as CSV, the way an office exports it from a spreadsheet: a header row naming the
// fields, one row per thing. RFC 4180 quoting ("a, b", "say ""hi"""), LF or CRLF, a UTF-8 BOM.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/datasets.hpp"
#include "kiosk/core/result.hpp"

namespace kiosk::headoffice {

// Rows of fields; an error names the line.
Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text);

// A data set's rows from CSV. A header "title.en" fills {"title": {"en": …}} (an announcement's
// text in each language); sort, floor, amount_cents, stock, deposit_cents and loan_days are whole
// numbers; paid, urgent and consent are true/false (or 1/0, 是/否). The key column is the data
// set's (id; unit for household_pins; staff_no for staff). An error names the line and field.
Result<std::vector<DatasetRow>> csv_dataset_rows(std::string_view dataset, std::string_view text);

}  // namespace kiosk::headoffice
