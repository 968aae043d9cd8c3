#include "kiosk/core/datasets.hpp"

#include <stdexcept>

namespace kiosk {

namespace {
// The field that keys each data set's rows in a site file.
const char* key_field(std::string_view dataset) {
    if (dataset == "household_pins") return "unit";
    if (dataset == "staff") return "staff_no";
    return "id";
}
}  // namespace

const std::vector<std::string>& site_datasets() {
    static const std::vector<std::string> k{"facts",          "buildings", "units",           "residents",
                                            "household_pins", "parcel_consent", "fee_items", "catalogue_items",
                                            "announcements",  "staff"};
    return k;
}

bool is_site_dataset(std::string_view name) {
    for (auto& d : site_datasets())
        if (d == name) return true;
    return false;
}

const std::vector<std::string>& pulled_datasets() {
    static const std::vector<std::string> k = [] {
        auto all = site_datasets();
        all.push_back("parcels");
        all.push_back("exit_passes");
        all.push_back("loans");
        all.push_back("case_status");
        return all;
    }();
    return k;
}

bool is_pulled_dataset(std::string_view name) {
    for (auto& d : pulled_datasets())
        if (d == name) return true;
    return false;
}

DatasetRow dataset_row(std::string_view dataset, const nlohmann::json& item, int n) {
    if (dataset == "parcel_consent") {
        if (!item.is_string()) throw std::runtime_error("parcel_consent #" + std::to_string(n) + ": not a unit id");
        return {item.get<std::string>(), true, false};
    }
    const char* kf = key_field(dataset);
    if (!item.is_object() || !item.contains(kf) || !item[kf].is_string() || item[kf].get<std::string>().empty())
        throw std::runtime_error(std::string(dataset) + " #" + std::to_string(n) + ": missing field '" + kf + "'");
    return {item[kf].get<std::string>(), item, false};
}

std::vector<DatasetRow> dataset_rows(const nlohmann::json& site, std::string_view dataset) {
    std::vector<DatasetRow> out;
    auto it = site.find(std::string(dataset));
    if (it == site.end()) return out;
    if (dataset == "facts") {
        if (!it->is_object()) throw std::runtime_error("facts is not an object");
        for (auto& [k, v] : it->items()) out.push_back({k, v, false});
        return out;
    }
    if (!it->is_array()) throw std::runtime_error(std::string(dataset) + " is not a list");
    int n = 0;
    for (const auto& item : *it) out.push_back(dataset_row(dataset, item, ++n));
    return out;
}

namespace {
// The first limit a body breaks, walking it once (strings, keys, depth).
std::string body_problem(const nlohmann::json& j, int depth) {
    if (depth > kMaxDatasetRowDepth) return "nested deeper than " + std::to_string(kMaxDatasetRowDepth);
    if (j.is_string()) {
        if (j.get_ref<const std::string&>().size() > kMaxDatasetFieldBytes)
            return "a field longer than " + std::to_string(kMaxDatasetFieldBytes) + " bytes";
        return {};
    }
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key().size() > kMaxDatasetKeyBytes) return "a field name longer than " + std::to_string(kMaxDatasetKeyBytes) + " bytes";
            if (auto p = body_problem(it.value(), depth + 1); !p.empty()) return p;
        }
    } else if (j.is_array()) {
        for (auto& v : j)
            if (auto p = body_problem(v, depth + 1); !p.empty()) return p;
    }
    return {};
}
}  // namespace

std::string dataset_row_problem(const DatasetRow& row) {
    if (row.key.empty()) return "no key";
    if (row.key.size() > kMaxDatasetKeyBytes) return "a key longer than " + std::to_string(kMaxDatasetKeyBytes) + " bytes";
    if (row.deleted) return {};
    if (auto p = body_problem(row.body, 0); !p.empty()) return p;
    if (row.body.dump().size() > kMaxDatasetRowBytes) return "a row larger than " + std::to_string(kMaxDatasetRowBytes) + " bytes";
    return {};
}

}  // namespace kiosk
