#include "kiosk/core/i18n.hpp"

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

namespace kiosk {

std::string_view lang_code(Lang l) {
    switch (l) {
        case Lang::ZhCN: return "zh-CN";
        case Lang::En: return "en";
        case Lang::ZhTW: return "zh-TW";
    }
    return "zh-CN";
}

bool parse_lang(std::string_view code, Lang& out) {
    for (Lang l : kAllLangs) {
        if (lang_code(l) == code) { out = l; return true; }
    }
    return false;
}

Result<Catalog> Catalog::load(const std::filesystem::path& dir) {
    Catalog c;
    for (Lang l : kAllLangs) {
        auto path = dir / (std::string(lang_code(l)) + ".json");
        std::ifstream in(path);
        if (!in) return Error{"error.catalog_missing", "cannot open " + path.string()};
        nlohmann::json j;
        try {
            in >> j;
        } catch (const std::exception& e) {
            return Error{"error.catalog_invalid", path.string() + ": " + e.what()};
        }
        if (!j.is_object()) return Error{"error.catalog_invalid", path.string() + ": not an object"};
        for (auto& [k, v] : j.items()) {
            if (!v.is_string()) return Error{"error.catalog_invalid", path.string() + ": " + k + " is not a string"};
            c.m_strings[static_cast<int>(l)].emplace(k, v.get<std::string>());
        }
    }
    return c;
}

const std::string& Catalog::tr(Lang lang, std::string_view key) const {
    auto& m = m_strings[static_cast<int>(lang)];
    auto it = m.find(key);
    if (it != m.end()) return it->second;
    m_missing.assign(key);
    return m_missing;
}

bool Catalog::has(Lang lang, std::string_view key) const {
    auto& m = m_strings[static_cast<int>(lang)];
    return m.find(key) != m.end();
}

std::vector<std::string> Catalog::missing_keys() const {
    std::set<std::string> all;
    for (auto& m : m_strings)
        for (auto& [k, v] : m) all.insert(k);
    std::vector<std::string> out;
    for (Lang l : kAllLangs)
        for (auto& k : all)
            if (!has(l, k)) out.push_back(std::string(lang_code(l)) + ": " + k);
    return out;
}

std::string Catalog::format(Lang lang, std::string_view key,
                            std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    std::string s = tr(lang, key);
    for (auto& [name, value] : args) {
        std::string ph = "{" + std::string(name) + "}";
        for (size_t pos = s.find(ph); pos != std::string::npos; pos = s.find(ph, pos + value.size()))
            s.replace(pos, ph.size(), value);
    }
    return s;
}

}  // namespace kiosk
