// Text fitted to a box: lines broken at spaces and between CJK characters (never inside a Latin
// word), and what Ui::fit worked out kept from frame to frame (FitCache).
#include "kiosk/ui/widgets.hpp"

#include <algorithm>

namespace kiosk::ui {

namespace {
// One code point from UTF-8 at `s` (at most `end`); its length in bytes through `len`.
char32_t next_cp(const char* s, const char* end, int& len) {
    auto b = static_cast<unsigned char>(*s);
    int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    if (s + n > end) n = 1;
    char32_t cp = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
    for (int i = 1; i < n; ++i) cp = cp << 6 | (static_cast<unsigned char>(s[i]) & 0x3F);
    len = n;
    return cp;
}
// Characters a line may break beside, as in CJK typesetting: ideographs, kana, hangul and the
// full-width forms and marks.
bool wide(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF);
}
// A mark that must not begin a line (，。）…) or end one (（「…).
bool closing(char32_t c) {
    static constexpr std::u32string_view k = U"，。、；：！？）」』》〉】〕”’…,.;:!?)]}%";
    return k.find(c) != std::u32string_view::npos;
}
bool opening(char32_t c) {
    static constexpr std::u32string_view k = U"（「『《〈【〔“‘([{";
    return k.find(c) != std::u32string_view::npos;
}

}  // namespace

TextLines layout_text(ImFont* font, float px, std::string_view text, float width) {
    TextLines out;
    out.font = font;
    out.px = px;
    const char* end = text.data() + text.size();
    auto measure = [&](const char* b, const char* e) { return font->CalcTextSizeA(px, FLT_MAX, 0, b, e).x; };
    // Pieces no line may break inside: a Latin word, a CJK character with the marks that cling
    // to it. `space` says whether blanks (dropped at a line's end) came before the piece.
    struct Piece {
        const char* b;
        const char* e;
        bool space, newline;
    };
    std::vector<Piece> pieces;
    bool space = false, newline = false;
    char32_t prev = 0;
    for (const char* s = text.data(); s < end;) {
        int n;
        char32_t c = next_cp(s, end, n);
        if (c == '\n') {
            newline = true;
            space = false;
            prev = 0;
        } else if (c == ' ' || c == 0x3000 || c == '\t') {
            space = true;
            prev = 0;
        } else {
            bool join = !pieces.empty() && !space && !newline && prev != 0 &&
                        (!(wide(prev) || wide(c)) || opening(prev) || closing(c));
            if (join) pieces.back().e = s + n;
            else pieces.push_back({s, s + n, space, newline});
            space = newline = false;
            prev = c;
        }
        s += n;
    }
    const float space_w = measure(" ", " " + 1);
    const char* line_b = nullptr;
    const char* line_e = nullptr;
    float line_w = 0;
    auto finish = [&] {
        if (line_b) out.lines.emplace_back(line_b, static_cast<size_t>(line_e - line_b));
        out.size.x = std::max(out.size.x, line_w);
        line_b = line_e = nullptr;
        line_w = 0;
    };
    for (const Piece& p : pieces) {
        float w = measure(p.b, p.e);
        if (w > width) out.cut = true;
        float gap = p.space ? space_w : 0;
        if (line_b && (p.newline || line_w + gap + w > width)) finish();
        if (!line_b) {
            line_b = p.b;
            line_w = w;
        } else {
            line_w += gap + w;
        }
        line_e = p.e;
    }
    finish();
    out.size.y = static_cast<float>(out.lines.size()) * px;
    return out;
}

size_t FitCache::key(std::string_view t, ImVec2 box, const ImFont* font) {
    size_t h = std::hash<std::string_view>{}(t);
    auto mix = [&h](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(std::hash<const void*>{}(font));
    mix(std::hash<float>{}(box.x));
    mix(std::hash<float>{}(box.y));
    return h;
}

const TextLines* FitCache::find(std::string_view t, ImVec2 box, const ImFont* font, TextLines& out) const {
    auto it = m_entries.find(key(t, box, font));
    if (it == m_entries.end()) return nullptr;
    const Entry& e = it->second;
    if (e.font != font || e.box.x != box.x || e.box.y != box.y || e.text != t) return nullptr;
    out = e.lines;
    out.lines.reserve(e.spans.size());
    for (auto [off, len] : e.spans) out.lines.push_back(t.substr(off, len));
    return &out;
}

void FitCache::put(std::string_view t, ImVec2 box, const ImFont* font, const TextLines& lines) {
    if (m_entries.size() >= kMaxEntries) m_entries.clear();
    Entry e{std::string(t), box, font, lines, {}};
    e.lines.lines.clear();
    for (std::string_view l : lines.lines)
        e.spans.emplace_back(static_cast<uint32_t>(l.data() - t.data()), static_cast<uint32_t>(l.size()));
    m_entries.insert_or_assign(key(t, box, font), std::move(e));
}

}  // namespace kiosk::ui
