#include "sync/server/csv.hpp"

#include <set>

namespace kiosk::headoffice {

Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // Excel's UTF-8 mark
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, was_quoted = false;
    int line = 1, row_line = 1;
    auto end_field = [&] {
        row.push_back(std::move(field));
        field.clear();
        was_quoted = false;
    };
    auto end_row = [&] {
        end_field();
        bool blank = row.size() == 1 && row[0].empty();
        if (!blank) rows.push_back(std::move(row));
        row.clear();
        row_line = line;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"') {
            if (!field.empty() || was_quoted)
                return Error{"headoffice.error.csv", "line " + std::to_string(line) + ": a quote inside an unquoted field"};
            quoted = was_quoted = true;
        } else if (c == ',') {
            end_field();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            ++line;
            end_row();
        } else {
            field += c;
        }
    }
    if (quoted) return Error{"headoffice.error.csv", "line " + std::to_string(row_line) + ": a quoted field never ends"};
    if (!field.empty() || !row.empty()) end_row();
    return rows;
}

namespace {

bool whole_number_field(const std::string& f) {
    static const std::set<std::string> k{"sort", "floor", "amount_cents", "stock", "deposit_cents", "loan_days"};
    return k.count(f) > 0;
}

bool yes_no_field(const std::string& f) {
    static const std::set<std::string> k{"paid", "urgent", "consent"};
    return k.count(f) > 0;
}

}  // namespace

Result<std::vector<DatasetRow>> csv_dataset_rows(std::string_view dataset, std::string_view text) {
    if (!is_site_dataset(dataset)) return Error{"headoffice.error.dataset", "unknown data set " + std::string(dataset)};
    auto parsed = parse_csv(text);
    if (!parsed) return parsed.error();
    const auto& rows = parsed.value();
    if (rows.empty()) return Error{"headoffice.error.csv", "no header row"};
    const auto& header = rows.front();
    std::set<std::string> seen;
    for (auto& h : header)
        if (h.empty() || !seen.insert(h).second) return Error{"headoffice.error.csv", "line 1: empty or repeated column '" + h + "'"};
    nlohmann::json items = nlohmann::json::array();
    nlohmann::json facts = nlohmann::json::object();
    for (size_t r = 1; r < rows.size(); ++r) {
        std::string where = "line " + std::to_string(r + 1) + ": ";
        if (rows[r].size() != header.size())
            return Error{"headoffice.error.csv", where + std::to_string(rows[r].size()) + " fields, the header has " +
                                                     std::to_string(header.size())};
        nlohmann::json item = nlohmann::json::object();
        for (size_t c = 0; c < header.size(); ++c) {
            const std::string& name = header[c];
            const std::string& v = rows[r][c];
            nlohmann::json value = v;
            if (whole_number_field(name)) {
                size_t used = 0;
                long long n = 0;
                try {
                    n = std::stoll(v, &used);
                } catch (const std::exception&) {
                    used = 0;
                }
                if (v.empty() || used != v.size()) return Error{"headoffice.error.csv", where + name + " '" + v + "' is not a whole number"};
                value = n;
            } else if (yes_no_field(name)) {
                if (v == "true" || v == "1" || v == "是") value = true;
                else if (v == "false" || v == "0" || v == "否") value = false;
                else return Error{"headoffice.error.csv", where + name + " '" + v + "' is not true or false"};
            }
            if (auto dot = name.find('.'); dot != std::string::npos) item[name.substr(0, dot)][name.substr(dot + 1)] = value;
            else item[name] = value;
        }
        if (dataset == "facts") {
            if (!item.contains("key") || !item.contains("value")) return Error{"headoffice.error.csv", "facts want columns key and value"};
            facts[item["key"].get<std::string>()] = item["value"];
        } else if (dataset == "parcel_consent") {
            if (!item.contains("unit")) return Error{"headoffice.error.csv", "parcel_consent wants a column unit"};
            items.push_back(item["unit"]);
        } else {
            items.push_back(std::move(item));
        }
    }
    nlohmann::json doc{{std::string(dataset), dataset == "facts" ? facts : items}};
    try {
        return dataset_rows(doc, dataset);
    } catch (const std::exception& e) {
        return Error{"headoffice.error.csv", e.what()};
    }
}

}  // namespace kiosk::headoffice
