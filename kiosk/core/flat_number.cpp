#include "kiosk/core/flat_number.hpp"

#include <set>

namespace kiosk {

namespace {
std::string without_leading_zeros(std::string_view digits) {
    size_t at = digits.find_first_not_of('0');
    return at == std::string_view::npos ? std::string("0") : std::string(digits.substr(at));
}
bool all_digits(std::string_view s) {
    for (char ch : s)
        if (ch < '0' || ch > '9') return false;
    return !s.empty();
}
// The only run of ASCII digits in `s`, or "" if it has none or several.
std::string only_number_in(std::string_view s) {
    std::string run;
    bool done = false;
    for (size_t i = 0; i < s.size(); ++i) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if (digit && done) return {};
        if (digit) run += s[i];
        else if (!run.empty()) done = true;
    }
    return run.empty() ? std::string() : without_leading_zeros(run);
}
}  // namespace

std::optional<FlatNumber> parse_flat_number(std::string_view typed) {
    if (typed.size() > kFlatNumberMaxLen) return std::nullopt;
    size_t dash = typed.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    std::string_view b = typed.substr(0, dash), f = typed.substr(dash + 1);
    if (!all_digits(b) || !all_digits(f) || b.size() > 4 || f.size() > 6) return std::nullopt;
    return FlatNumber{without_leading_zeros(b), without_leading_zeros(f)};
}

std::optional<std::string> building_numbered(const std::vector<Building>& buildings, std::string_view number) {
    std::string want = without_leading_zeros(number);
    std::optional<std::string> found;
    for (const Building& b : buildings) {
        std::set<std::string> numbers{only_number_in(b.id)};
        for (const std::string& name : b.name.text) numbers.insert(only_number_in(name));
        if (!numbers.count(want)) continue;
        if (found) return std::nullopt;  // two buildings answer to it: ask by the buttons
        found = b.id;
    }
    return found;
}

std::optional<std::string> unit_labelled(const std::vector<Unit>& units, std::string_view flat) {
    std::string want = without_leading_zeros(flat);
    std::optional<std::string> found;
    for (const Unit& u : units) {
        if (!all_digits(u.label) || without_leading_zeros(u.label) != want) continue;
        if (found) return std::nullopt;
        found = u.id;
    }
    return found;
}

}  // namespace kiosk
