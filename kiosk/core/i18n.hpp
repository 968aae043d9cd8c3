#pragma once
// Catalogues of every visible string, one JSON file per language under assets/i18n/.
// Code refers to strings by dotted key only; no literal reaches the screen.
#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.hpp"

namespace kiosk {

enum class Lang { ZhCN = 0, En = 1, ZhTW = 2 };
inline constexpr std::array<Lang, 3> kAllLangs{Lang::ZhCN, Lang::En, Lang::ZhTW};

std::string_view lang_code(Lang l);                 // "zh-CN", "en", "zh-TW"
bool parse_lang(std::string_view code, Lang& out);

class Catalog {
public:
    // Loads <dir>/<code>.json for every language. Every file must be a flat object of strings.
    static Result<Catalog> load(const std::filesystem::path& dir);

    // The string for key in lang; a missing key shows as the key itself so it is caught on sight
    // (and by the completeness test) rather than drawing an empty button.
    const std::string& tr(Lang lang, std::string_view key) const;
    bool has(Lang lang, std::string_view key) const;
    const std::map<std::string, std::string, std::less<>>& strings(Lang lang) const {
        return m_strings[static_cast<int>(lang)];
    }
    // Keys present in some language but missing in another: "<lang>: <key>".
    std::vector<std::string> missing_keys() const;
    // "{name}" placeholders replaced in order of the pairs given.
    std::string format(Lang lang, std::string_view key,
                       std::initializer_list<std::pair<std::string_view, std::string>> args) const;

private:
    std::array<std::map<std::string, std::string, std::less<>>, 3> m_strings;
    mutable std::string m_missing;
};

}  // namespace kiosk
