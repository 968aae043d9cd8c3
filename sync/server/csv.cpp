#include "sync/server/csv.hpp"

#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sync/common/protocol.hpp"
#include "sync/server/console_data.hpp"
#include "sync/server/site_limits.hpp"

namespace kiosk::headoffice {

Error CsvReader::fail(int line, const std::string& what) const {
    return Error{"headoffice.error.csv", "line " + std::to_string(line) + ": " + what};
}

Result<bool> CsvReader::next(std::vector<std::string>& row) {
    constexpr int eof = std::char_traits<char>::eof();
    static const std::string bom = "\xEF\xBB\xBF";  // Excel's UTF-8 mark
    for (;;) {
        row.clear();
        m_row_line = m_line;
        std::string field;
        bool quoted = false, was_quoted = false, any = false;
        auto end_field = [&]() -> std::optional<Error> {
            if (m_first && row.empty() && !was_quoted && field.compare(0, 3, bom) == 0) field.erase(0, 3);
            if (row.size() == kMaxCsvColumns) return fail(m_line, "more than " + std::to_string(kMaxCsvColumns) + " fields");
            row.push_back(std::move(field));
            field.clear();
            was_quoted = false;
            return std::nullopt;
        };
        for (;;) {
            int ch = m_in.sbumpc();
            if (ch == eof) {
                if (quoted) return fail(m_row_line, "a quoted field never ends");
                if (!any) return false;
                break;
            }
            any = true;
            if (++m_bytes > kMaxSiteFileBytes)
                return fail(m_line, "the file is larger than " + std::to_string(kMaxSiteFileBytes) + " bytes");
            char c = static_cast<char>(ch);
            if (quoted) {
                if (c == '"' && m_in.sgetc() == '"') {
                    m_in.sbumpc();
                    ++m_bytes;
                } else if (c == '"') {
                    quoted = false;
                    continue;
                } else if (c == '\n') {
                    ++m_line;
                }
            } else if (c == '"') {
                bool after_bom = m_first && row.empty() && field == bom;
                if ((!field.empty() && !after_bom) || was_quoted) return fail(m_line, "a quote inside an unquoted field");
                field.clear();
                quoted = was_quoted = true;
                continue;
            } else if (c == ',') {
                if (auto e = end_field()) return *e;
                continue;
            } else if (c == '\r' && m_in.sgetc() == '\n') {
                continue;
            } else if (c == '\n') {
                ++m_line;
                break;
            }
            if (field.size() == kMaxFieldBytes)
                return fail(m_line, "a field longer than " + std::to_string(kMaxFieldBytes) + " bytes");
            field += c;
        }
        if (auto e = end_field()) return *e;
        m_first = false;
        bool blank = row.size() == 1 && row[0].empty();
        if (!blank) return true;
        if (m_in.sgetc() == eof) return false;
    }
}

Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text) {
    std::istringstream in{std::string(text)};
    CsvReader reader(in);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    for (;;) {
        auto more = reader.next(row);
        if (!more) return more.error();
        if (!more.value()) return rows;
        rows.push_back(row);
    }
}

namespace {

bool whole_number_field(const std::string& f) {
    static const std::set<std::string> k{"sort", "floor", "amount_cents", "stock", "deposit_cents", "loan_days"};
    return k.count(f) > 0;
}

bool yes_no_field(const std::string& f) {
    static const std::set<std::string> k{"paid", "urgent", "consent", "locked"};
    return k.count(f) > 0;
}

// One field's value as the data set's JSON has it, or what is wrong with it.
Result<nlohmann::json> field_value(const std::string& name, const std::string& v) {
    if (whole_number_field(name)) {
        size_t used = 0;
        long long n = 0;
        try {
            n = std::stoll(v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (v.empty() || used != v.size()) return Error{"headoffice.error.csv", name + " '" + v + "' is not a whole number"};
        return nlohmann::json(n);
    }
    if (yes_no_field(name)) {
        if (v == "true" || v == "1" || v == "是") return nlohmann::json(true);
        if (v == "false" || v == "0" || v == "否") return nlohmann::json(false);
        return Error{"headoffice.error.csv", name + " '" + v + "' is not true or false"};
    }
    return nlohmann::json(v);
}

// One CSV row (the n-th after the header) as a data set row.
Result<DatasetRow> csv_row(std::string_view dataset, const std::vector<std::string>& header, const std::vector<std::string>& fields,
                           int n) {
    nlohmann::json item = nlohmann::json::object();
    for (size_t c = 0; c < header.size(); ++c) {
        const std::string& name = header[c];
        auto value = field_value(name, fields[c]);
        if (!value) return value.error();
        if (auto dot = name.find('.'); dot != std::string::npos) item[name.substr(0, dot)][name.substr(dot + 1)] = std::move(value.value());
        else item[name] = std::move(value.value());
    }
    if (dataset == "facts") {
        if (!item.contains("key") || !item.contains("value")) return Error{"headoffice.error.csv", "facts want columns key and value"};
        return DatasetRow{item["key"].get<std::string>(), item["value"], false};
    }
    if (dataset == "parcel_consent") {
        if (!item.contains("unit")) return Error{"headoffice.error.csv", "parcel_consent wants a column unit"};
        item = item["unit"];
    }
    try {
        return dataset_row(dataset, item, n);
    } catch (const std::exception& e) {
        return Error{"headoffice.error.csv", e.what()};
    }
}

}  // namespace

Result<std::vector<DatasetRow>> csv_dataset_rows(std::string_view dataset, std::istream& in) {
    if (!is_site_dataset(dataset)) return Error{"headoffice.error.dataset", "unknown data set " + std::string(dataset)};
    CsvReader reader(in);
    std::vector<std::string> header, fields;
    auto more = reader.next(header);
    if (!more) return more.error();
    if (!more.value()) return Error{"headoffice.error.csv", "no header row"};
    std::set<std::string> seen;
    for (auto& h : header)
        if (h.empty() || !seen.insert(h).second) return Error{"headoffice.error.csv", "line 1: empty or repeated column '" + h + "'"};
    std::vector<DatasetRow> rows;
    for (int n = 1;; ++n) {
        more = reader.next(fields);
        if (!more) return more.error();
        if (!more.value()) return rows;
        std::string where = "line " + std::to_string(reader.line()) + ": ";
        if (rows.size() == kMaxDatasetRows)
            return Error{"headoffice.error.limit", where + "more than " + std::to_string(kMaxDatasetRows) + " rows; a data set holds at most " +
                                                       std::to_string(kMaxDatasetRows)};
        if ((rows.size() + 1) * header.size() > kMaxCsvCells)
            return Error{"headoffice.error.limit", where + "more than " + std::to_string(kMaxCsvCells) + " fields in the file"};
        if (fields.size() != header.size())
            return Error{"headoffice.error.csv", where + std::to_string(fields.size()) + " fields, the header has " +
                                                     std::to_string(header.size())};
        auto row = csv_row(dataset, header, fields, n);
        if (!row) {
            // The row's own words ("units #1: ...") already say which; a field's do not.
            const std::string& d = row.error().detail;
            return Error{row.error().key, d.rfind(std::string(dataset) + " #", 0) == 0 || d.rfind("facts want", 0) == 0 ||
                                                      d.rfind("parcel_consent wants", 0) == 0
                                                  ? d
                                                  : where + d};
        }
        if (!sync::valid_id(row.value().key))
            return Error{"headoffice.error.id", where + "the key is empty, longer than " + std::to_string(sync::kMaxIdBytes) +
                                                    " bytes or has a control character"};
        rows.push_back(std::move(row.value()));
    }
}

Result<std::vector<DatasetRow>> csv_dataset_rows(std::string_view dataset, std::string_view text) {
    std::istringstream in{std::string(text)};
    return csv_dataset_rows(dataset, in);
}

CsvPreview preview_dataset_csv(std::string_view dataset, std::istream& in) {
    CsvPreview out;
    out.dataset = dataset;
    auto bad = [&](int line, const std::string& field, const std::string& reason) {
        ++out.bad_count;
        if (out.bad.size() < kMaxBadRowsNamed) out.bad.push_back({line, field, reason});
    };
    if (!is_site_dataset(dataset)) {
        bad(0, "", "unknown data set " + std::string(dataset));
        return out;
    }
    CsvReader reader(in);
    std::vector<std::string> fields;
    auto more = reader.next(out.header);
    if (!more || !more.value()) {
        bad(1, "", more ? "no header row" : more.error().detail);
        return out;
    }
    std::set<std::string> seen;
    for (auto& h : out.header)
        if (h.empty() || !seen.insert(h).second) bad(1, h, "empty or repeated column");
    if (out.bad_count) return out;
    std::map<std::string, int> key_line;  // a key given twice would silently keep only the last row
    for (int n = 1;; ++n) {
        more = reader.next(fields);
        if (!more) {  // the reader cannot go on past a broken quote or a limit
            bad(reader.line(), "", more.error().detail);
            return out;
        }
        if (!more.value()) return out;
        int line = reader.line();
        if (static_cast<size_t>(n) > kMaxDatasetRows || static_cast<size_t>(n) * out.header.size() > kMaxCsvCells) {
            bad(line, "", "more than " + std::to_string(kMaxDatasetRows) + " rows or " + std::to_string(kMaxCsvCells) + " fields");
            return out;
        }
        if (fields.size() != out.header.size()) {
            bad(line, "", std::to_string(fields.size()) + " fields, the header has " + std::to_string(out.header.size()));
            continue;
        }
        bool fine = true;
        for (size_t c = 0; c < fields.size() && fine; ++c)
            if (auto v = field_value(out.header[c], fields[c]); !v) {
                bad(line, out.header[c], v.error().detail);
                fine = false;
            }
        if (!fine) continue;
        auto row = csv_row(dataset, out.header, fields, n);
        if (!row) {
            bad(line, "", row.error().detail);
            continue;
        }
        if (!sync::valid_id(row.value().key)) {
            bad(line, "", "the key is empty, longer than " + std::to_string(sync::kMaxIdBytes) + " bytes or has a control character");
            continue;
        }
        if (auto p = site_row_problem(std::string(dataset), row.value())) {
            bad(line, "", *p);
            continue;
        }
        if (auto [at, fresh] = key_line.emplace(row.value().key, line); !fresh) {
            bad(line, "", "the same key as line " + std::to_string(at->second) + " (" + row.value().key + ")");
            continue;
        }
        out.rows.push_back(std::move(row.value()));
    }
}

std::string csv_cell(std::string_view text) {
    std::string v;
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) v = "'";
    v += text;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

std::string csv_line(const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += csv_cell(cells[i]);
    }
    return out + "\n";
}

namespace {
// The longest text anywhere in a JSON value, and whether any is over the limit.
bool texts_within(const nlohmann::json& v) {
    if (v.is_string()) return v.get_ref<const std::string&>().size() <= kMaxFieldBytes;
    if (v.is_object())
        for (auto& [k, x] : v.items())
            if (k.size() > kMaxFieldBytes || !texts_within(x)) return false;
    if (v.is_array())
        for (auto& x : v)
            if (!texts_within(x)) return false;
    return true;
}
}  // namespace

std::optional<std::string> site_row_problem(const std::string& dataset, const DatasetRow& row) {
    if (!sync::valid_id(row.key))
        return dataset + ": a key is empty, longer than " + std::to_string(sync::kMaxIdBytes) + " bytes or has a control character";
    if (!texts_within(row.body))
        return dataset + " " + row.key + ": a text longer than " + std::to_string(kMaxFieldBytes) + " bytes";
    if (auto p = dataset_row_problem(row); !p.empty()) return dataset + " " + row.key + ": " + p + " (what a kiosk takes)";
    return std::nullopt;
}

std::optional<std::string> site_rows_problem(const std::string& dataset, const std::vector<DatasetRow>& rows) {
    if (rows.size() > kMaxDatasetRows)
        return dataset + ": " + std::to_string(rows.size()) + " rows; a data set holds at most " + std::to_string(kMaxDatasetRows);
    for (const DatasetRow& r : rows)
        if (auto p = site_row_problem(dataset, r)) return p;
    return std::nullopt;
}

}  // namespace kiosk::headoffice
