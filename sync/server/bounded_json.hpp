#pragma once
// JSON from the network, parsed with a nesting limit checked while parsing: a body nested
// 80,000 deep would otherwise parse (nlohmann's parser keeps its own stack) and then overflow the
// thread's stack when dumped or destroyed.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kiosk::headoffice {

inline constexpr int kMaxJsonDepth = 32;

// The parsed value, or a discarded value with `why` set (not JSON, or nested deeper than max_depth).
nlohmann::json parse_bounded(std::string_view text, std::string& why, int max_depth = kMaxJsonDepth);

}  // namespace kiosk::headoffice
