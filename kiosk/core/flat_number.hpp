#pragma once
// A flat as residents say and write it: "3-1502" is building 3, flat 1502 (floor 15, flat 2).
// Typed on the verify screen's keypad as the other way to the building → floor → flat buttons.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/site.hpp"

namespace kiosk {

// The longest flat number typed: "12-3304" and room to spare; anything longer is not a flat.
inline constexpr std::size_t kFlatNumberMaxLen = 12;

struct FlatNumber {
    std::string building;  // digits, leading zeros dropped: "3"
    std::string flat;      // digits, leading zeros dropped: "1502"
};

// "3-1502" → {3, 1502}: one to four digits, a dash, one to six digits; anything else nullopt.
std::optional<FlatNumber> parse_flat_number(std::string_view typed);

// The building numbered `number` (leading zeros dropped): the one whose name, in any language,
// or whose id has that number as its only run of digits ("3栋", "Tower 3", "T3"). Ambiguous or
// none: nullopt.
std::optional<std::string> building_numbered(const std::vector<Building>& buildings, std::string_view number);

// The id of the flat of `units` whose label's digits are `flat` (leading zeros aside: "0101" is
// flat 101); nullopt if none or more than one.
std::optional<std::string> unit_labelled(const std::vector<Unit>& units, std::string_view flat);

}  // namespace kiosk
