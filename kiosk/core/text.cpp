#include "kiosk/core/text.hpp"

namespace kiosk {

std::vector<char32_t> utf8_decode(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size()) { out.push_back(0xFFFD); ++i; continue; }
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        bool bad = false;
        for (int k = 1; k < len; ++k) {
            unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) { bad = true; break; }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (bad) { out.push_back(0xFFFD); ++i; continue; }
        out.push_back(cp);
        i += len;
    }
    return out;
}

std::string utf8_encode(char32_t cp) {
    std::string s;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return s;  // not a character: nothing
    if (cp < 0x80) s += static_cast<char>(cp);
    else if (cp < 0x800) { s += static_cast<char>(0xC0 | (cp >> 6)); s += static_cast<char>(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

size_t utf8_length(std::string_view s) { return utf8_decode(s).size(); }

void utf8_pop_back(std::string& s) {
    while (!s.empty()) {
        unsigned char c = static_cast<unsigned char>(s.back());
        s.pop_back();
        if ((c & 0xC0) != 0x80) break;
    }
}

std::string mask_name(std::string_view name) {
    auto cps = utf8_decode(name);
    std::vector<char32_t> letters;
    for (char32_t c : cps)
        if (c != U' ') letters.push_back(c);
    if (letters.empty()) return "";
    if (letters.size() == 1) return utf8_encode(letters[0]) + "*";
    std::string out = utf8_encode(letters.front());
    if (letters.size() == 2) return out + "*";
    out.append(letters.size() - 2, '*');
    return out + utf8_encode(letters.back());
}

std::string mask_flat(std::string_view label) {
    auto cps = utf8_decode(label);
    if (cps.empty()) return "";
    if (cps.size() == 1) return "*";
    std::string out = utf8_encode(cps.front());
    if (cps.size() == 2) return out + "*";
    out.append(cps.size() - 2, '*');
    return out + utf8_encode(cps.back());
}

bool valid_phone(std::string_view d) {
    for (char c : d)
        if (c < '0' || c > '9') return false;
    if (d.size() == 11 && d[0] == '1' && d[1] >= '3') return true;
    return d.size() >= 10 && d.size() <= 12 && d[0] == '0';
}

std::string mask_phone(std::string_view phone) {
    std::string digits;
    for (char c : phone)
        if (c >= '0' && c <= '9') digits += c;
    if (digits.size() < 7) return std::string(digits.size(), '*');
    return digits.substr(0, 3) + std::string(digits.size() - 7, '*') + digits.substr(digits.size() - 4);
}

}  // namespace kiosk
