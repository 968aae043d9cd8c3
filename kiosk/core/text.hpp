#pragma once
// UTF-8 helpers and the masking rules for a public lobby screen (张*明, 138****5678).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

// Decodes UTF-8; invalid bytes become U+FFFD so a bad input never crashes a frame.
std::vector<char32_t> utf8_decode(std::string_view s);
// One code point as UTF-8, all planes (U+20000 𠀀 is four bytes); "" for a surrogate or past U+10FFFF.
// The one encoder: the window's key input and the text boxes use it.
std::string utf8_encode(char32_t cp);
size_t utf8_length(std::string_view s);
// Removes the last code point (for a keypad's backspace).
void utf8_pop_back(std::string& s);

// A name as the lobby may show it: first and last character kept, the middle starred
// (张三 → 张*, 张小明 → 张*明, "Li Wei" → "L***i").
std::string mask_name(std::string_view name);
// A mainland mobile number (11 digits, starting 1[3-9]) or a landline with area code (10–12
// digits starting 0), digits only.
bool valid_phone(std::string_view digits);
// A flat's number as a label left on a shelf may carry it: the first and last character kept, the
// middle starred (102 → 1*2, 1502 → 1**2, 12 → 1*). With the building, the shelf and the masked
// name the clerk finds the parcel; a passer-by does not learn whose it is.
std::string mask_flat(std::string_view label);
// A phone as the lobby may show it: the first three and last four digits (138****5678).
std::string mask_phone(std::string_view phone);

}  // namespace kiosk
