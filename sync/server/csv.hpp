#pragma once
// A site's data as CSV, the way an office exports it from a spreadsheet: a header row naming the
// fields, one row per thing. RFC 4180 quoting ("a, b", "say ""hi"""), LF or CRLF, a UTF-8 BOM.
// Read a row at a time, within the limits of site_limits.hpp, so a file of any size costs bounded
// memory; and written (stats, exports) quoted, with formula-looking cells defused.
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/datasets.hpp"
#include "kiosk/core/result.hpp"

namespace kiosk::headoffice {

// One row at a time from a stream. A field longer than kMaxFieldBytes, a line with more than
// kMaxCsvColumns fields or more than kMaxSiteFileBytes in all stop the reading with an error
// naming the line, before the rest is read.
class CsvReader {
public:
    explicit CsvReader(std::istream& in) : m_in(*in.rdbuf()) {}
    // The next row (blank lines skipped) into row: true, or false at the end.
    Result<bool> next(std::vector<std::string>& row);
    // The line the last row began on.
    int line() const { return m_row_line; }

private:
    Error fail(int line, const std::string& what) const;
    std::streambuf& m_in;
    int m_line = 1, m_row_line = 1;
    size_t m_bytes = 0;
    bool m_first = true;
};

// Rows of fields; an error names the line.
Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text);

// A data set's rows from CSV. A header "title.en" fills {"title": {"en": …}} (an announcement's
// text in each language); sort, floor, amount_cents, stock, deposit_cents and loan_days are whole
// numbers; paid, urgent, consent and locked are true/false (or 1/0, 是/否). The key column is the data
// set's (id; unit for household_pins; staff_no for staff). An error names the line and field;
// more than kMaxDatasetRows rows (or kMaxCsvCells fields) are refused at the line that passes it.
Result<std::vector<DatasetRow>> csv_dataset_rows(std::string_view dataset, std::istream& in);
Result<std::vector<DatasetRow>> csv_dataset_rows(std::string_view dataset, std::string_view text);

// One CSV cell as RFC 4180 has it: quoted when it holds a comma, a quote, CR or LF (quotes
// doubled). A cell a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a
// leading ' first, so an exported kind or name typed at a kiosk cannot run in the office.
std::string csv_cell(std::string_view text);
// Cells (each through csv_cell) joined with commas, ending in LF.
std::string csv_line(const std::vector<std::string>& cells);

}  // namespace kiosk::headoffice
