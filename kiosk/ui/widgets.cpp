#include "kiosk/ui/widgets.hpp"

#include <algorithm>
#include <cmath>

#include "kiosk/core/text.hpp"

namespace kiosk::ui {

void WidgetRegistry::add(std::string_view id, ImVec2 min, ImVec2 max, bool enabled, bool chosen) {
    m_rects.push_back({std::string(id), min, max, enabled, chosen});
}

void WidgetRegistry::text(std::string_view t, const ImFont* font) {
    m_texts.emplace_back(t);
    if (!font) return;
    for (char32_t cp : utf8_decode(t))
        if (cp >= 0x20 && cp <= 0xFFFF && !font->FindGlyphNoFallback(static_cast<ImWchar>(cp)))
            m_missing.push_back(utf8_encode(cp) + " in '" + std::string(t) + "'");
}

const WidgetRect* WidgetRegistry::find(std::string_view id) const {
    for (auto& r : m_rects)
        if (r.id == id) return &r;
    return nullptr;
}

bool WidgetRegistry::shows_text(std::string_view needle) const {
    for (auto& t : m_texts)
        if (t.find(needle) != std::string::npos) return true;
    return false;
}

namespace {
ImU32 darker(ImU32 c, float f) {
    int r = (c >> IM_COL32_R_SHIFT) & 0xFF, g = (c >> IM_COL32_G_SHIFT) & 0xFF, b = (c >> IM_COL32_B_SHIFT) & 0xFF;
    return IM_COL32(int(r * f), int(g * f), int(b * f), 255);
}
}  // namespace

bool Ui::tapped_without_drag() const {
    const ImGuiIO& io = ImGui::GetIO();
    return io.MouseDragMaxDistanceSqr[0] < m.flat(24) * m.flat(24);
}

bool Ui::button(std::string_view id, std::string_view label, ImVec2 size, bool enabled, ImU32 fill, ImFont* font,
                bool align_left) {
    return draw_button(id, label, size, enabled, fill, font, align_left, false, colour::text);
}

bool Ui::choice(std::string_view id, std::string_view label, ImVec2 size, bool chosen, ImU32 fill, ImFont* font,
                bool align_left, ImU32 edge) {
    return draw_button(id, label, size, true, chosen ? colour::selected : fill, font, align_left, chosen, edge);
}

void Ui::check_mark(ImDrawList* dl, ImVec2 c, float r) const {
    dl->AddCircleFilled(c, r, colour::button);
    dl->AddCircle(c, r, colour::text, 0, m.flat(2));
    ImVec2 tick[3] = {{c.x - r * 0.5f, c.y}, {c.x - r * 0.1f, c.y + r * 0.4f}, {c.x + r * 0.55f, c.y - r * 0.45f}};
    dl->AddPolyline(tick, 3, colour::text, 0, std::max(m.flat(3), r * 0.18f));
}

bool Ui::draw_button(std::string_view id, std::string_view label, ImVec2 size, bool enabled, ImU32 fill, ImFont* font,
                     bool align_left, bool chosen, ImU32 edge) {
    if (fill == 0) fill = colour::button;
    size.x = std::max(size.x, m.min_target());
    size.y = std::max(size.y, m.min_target());
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushID(id.data(), id.data() + id.size());
    bool pressed = ImGui::InvisibleButton("##b", size) && enabled && tapped_without_drag();
    bool held = ImGui::IsItemActive() && enabled;
    ImGui::PopID();
    reg.add(id, p, {p.x + size.x, p.y + size.y}, enabled, chosen);
    ImFont* f = font ? font : fonts.body;
    reg.text(label, f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImU32 bg = enabled ? (held ? darker(fill, 0.85f) : fill) : colour::disabled;
    float r = m.flat(18);
    dl->AddRectFilled(p, {p.x + size.x, p.y + size.y}, bg, r);
    if (fill == colour::button) dl->AddRect(p, {p.x + size.x, p.y + size.y}, colour::border, r, 0, m.flat(2));
    // Chosen: a thick edge just outside, and a check mark before the label (room made for it), or,
    // where that room would break a word that fits alone (a narrow language button), on the
    // top-right corner.
    float mark_r = chosen ? std::min(m.px(18), size.y * 0.22f) : 0;
    float mark_w = chosen ? 2 * mark_r + m.px(10) : 0;
    float room = size.x - m.flat(16);
    bool mark_inline = chosen;
    if (chosen) {
        float o = m.flat(4);
        dl->AddRect({p.x - o, p.y - o}, {p.x + size.x + o, p.y + size.y + o}, edge, r + o, 0, m.flat(6));
        float one_line = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, label.data(), label.data() + label.size()).x;
        if (one_line <= room && one_line + mark_w > room) {
            check_mark(dl, {p.x + size.x - mark_r * 0.35f, p.y + mark_r * 0.35f}, mark_r);
            mark_w = 0;
            mark_inline = false;
        }
    }
    float wrap = room - mark_w;
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, wrap, wrap, label.data(), label.data() + label.size());
    ImU32 fg = !enabled ? colour::muted : text_on(fill);
    float tx = align_left ? p.x + m.px(28) + mark_w : p.x + (size.x - ts.x + mark_w) * 0.5f;
    if (mark_inline) check_mark(dl, {tx - mark_w + mark_r, p.y + size.y * 0.5f}, mark_r);
    dl->AddText(f, f->FontSize, {tx, p.y + (size.y - ts.y) * 0.5f}, fg, label.data(), label.data() + label.size(), wrap);
    return pressed;
}

bool Ui::tile(std::string_view id, std::string_view title, std::string_view hint, ImVec2 size, ImU32 fill, bool chosen) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushID(id.data(), id.data() + id.size());
    bool pressed = ImGui::InvisibleButton("##t", size) && tapped_without_drag();
    bool held = ImGui::IsItemActive();
    ImGui::PopID();
    reg.add(id, p, {p.x + size.x, p.y + size.y}, true, chosen);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, {p.x + size.x, p.y + size.y}, held ? darker(fill, 0.85f) : fill, m.flat(24));
    if (fill == colour::button) dl->AddRect(p, {p.x + size.x, p.y + size.y}, colour::border, m.flat(24), 0, m.flat(2));
    ImU32 fg = text_on(fill);
    float pad = m.px(24);
    if (chosen) {
        // Chosen, not by colour alone: a thick dark edge and a check mark in a white disc.
        dl->AddRect({p.x - m.flat(4), p.y - m.flat(4)}, {p.x + size.x + m.flat(4), p.y + size.y + m.flat(4)}, colour::text, m.flat(28), 0,
                    m.flat(6));
        float r = m.px(26);
        check_mark(dl, {p.x + size.x - pad - r, p.y + pad + r}, r);
    }
    // A title too long for one line (English in elder mode) steps down to the body size.
    ImFont* tf = fonts.title;
    if (tf->CalcTextSizeA(tf->FontSize, FLT_MAX, 0, title.data(), title.data() + title.size()).x > size.x - 2 * pad)
        tf = fonts.body;
    reg.text(title, tf);
    reg.text(hint, fonts.body);
    dl->AddText(tf, tf->FontSize, {p.x + pad, p.y + pad}, fg, title.data(), title.data() + title.size(),
                size.x - 2 * pad);
    ImFont* bf = fonts.body;
    float title_h = tf->CalcTextSizeA(tf->FontSize, size.x - 2 * pad, size.x - 2 * pad, title.data(), title.data() + title.size()).y;
    float hint_y = p.y + pad + title_h + m.px(14);
    ImVec2 hs = bf->CalcTextSizeA(bf->FontSize, size.x - 2 * pad, size.x - 2 * pad, hint.data(), hint.data() + hint.size());
    if (hint_y + hs.y < p.y + size.y - pad * 0.5f)
        dl->AddText(bf, bf->FontSize, {p.x + pad, hint_y}, fg, hint.data(),
                    hint.data() + hint.size(), size.x - 2 * pad);
    return pressed;
}

void Ui::text(std::string_view t, ImFont* font, ImU32 c) {
    reg.text(t, font ? font : fonts.body);
    ImGui::PushFont(font ? font : fonts.body);
    ImGui::PushStyleColor(ImGuiCol_Text, c ? c : colour::text);
    ImGui::TextUnformatted(t.data(), t.data() + t.size());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void Ui::text_wrapped(std::string_view t, float width, ImFont* font, ImU32 c) {
    reg.text(t, font ? font : fonts.body);
    ImGui::PushFont(font ? font : fonts.body);
    ImGui::PushStyleColor(ImGuiCol_Text, c ? c : colour::text);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextUnformatted(t.data(), t.data() + t.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void Ui::text_centred(std::string_view t, float width, ImFont* font, ImU32 c) {
    ImFont* f = font ? font : fonts.body;
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, width, width, t.data(), t.data() + t.size());
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (width - ts.x) * 0.5f));
    text_wrapped(t, width, f, c);
}

void Ui::field(std::string_view id, std::string_view value, std::string_view placeholder, float width, bool secret,
               bool active) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    float h = std::max(fonts.big->FontSize + m.px(28), m.min_target());
    ImGui::Dummy({width, h});
    reg.add(id, p, {p.x + width, p.y + h});
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, {p.x + width, p.y + h}, colour::button, m.flat(12));
    dl->AddRect(p, {p.x + width, p.y + h}, active ? colour::primary : colour::border, m.flat(12), 0,
                m.flat(active ? 4 : 2));
    std::string shown;
    ImU32 fg = colour::text;
    if (value.empty()) {
        shown = placeholder;
        fg = colour::muted;
    } else if (secret) {
        for (size_t i = 0; i < utf8_length(value); ++i) shown += "* ";
    } else {
        shown = value;
    }
    bool ascii = std::all_of(shown.begin(), shown.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
    ImFont* f = value.empty() || !ascii ? fonts.body : fonts.big;
    if (!value.empty() && !secret) reg.text(value, f);
    if (value.empty()) reg.text(placeholder, f);
    dl->AddText(f, f->FontSize, {p.x + m.px(20), p.y + (h - f->FontSize) * 0.5f}, fg, shown.c_str());
}

bool Ui::numeric_keypad(std::string_view id, std::string& buffer, size_t max_len, float key) {
    static constexpr const char* kKeys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
    bool any = false;
    float gap = m.px(14);
    for (int i = 0; i < 12; ++i) {
        if (i % 3) ImGui::SameLine(0, gap);
        std::string kid = std::string(id) + "." + kKeys[i];
        std::string_view label = kKeys[i];
        if (i == 9) label = tr("keys.clear");
        if (i == 11) label = tr("keys.back");
        if (button(kid, label, {key, key * 0.78f}, true, 0, (i == 9 || i == 11) ? fonts.body : fonts.big)) {
            any = true;
            if (i == 9) buffer.clear();
            else if (i == 11) utf8_pop_back(buffer);
            else if (buffer.size() < max_len) buffer += kKeys[i];
        }
        if (i % 3 == 2) ImGui::Dummy({0, gap * 0.2f});
    }
    return any;
}

bool Ui::latin_keyboard(std::string_view id, std::string& buffer, size_t max_len, float key_w) {
    std::string key = keyboard_keys(id, key_w);
    if (key.empty()) return false;
    if (key == "back") utf8_pop_back(buffer);
    else if (key == "space") {
        if (buffer.size() < max_len && !buffer.empty() && buffer.back() != ' ') buffer += ' ';
    } else if (buffer.size() < max_len) {
        buffer += key;
    }
    return true;
}

std::string Ui::keyboard_keys(std::string_view id, float key_w, std::string_view mode_label) {
    static constexpr const char* kRows[4] = {"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"};
    std::string pressed;
    float gap = m.px(10);
    for (int r = 0; r < 4; ++r) {
        std::string_view row = kRows[r];
        float indent = (10 - static_cast<float>(row.size())) * (key_w + gap) * 0.5f;
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
        for (size_t i = 0; i < row.size(); ++i) {
            if (i) ImGui::SameLine(0, gap);
            char ch[2] = {row[i], 0};
            if (button(std::string(id) + "." + ch, ch, {key_w, key_w * 0.9f}, true, 0, fonts.body)) pressed = ch;
        }
        if (r == 3) {
            ImGui::SameLine(0, gap);
            if (button(std::string(id) + ".back", tr("keys.back"), {key_w * 1.6f, key_w * 0.9f}, true, 0, fonts.body))
                pressed = "back";
        }
        ImGui::Dummy({0, gap * 0.2f});
    }
    float space_w = key_w * 5;
    float x = ImGui::GetCursorPosX();
    ImGui::SetCursorPosX(x + (10 * (key_w + gap) - space_w) * 0.5f);
    if (button(std::string(id) + ".space", tr("keys.space"), {space_w, key_w * 0.9f}, true, 0, fonts.body))
        pressed = "space";
    if (!mode_label.empty()) {
        ImGui::SameLine(0, gap);
        if (button(std::string(id) + ".mode", mode_label, {key_w * 2.4f, key_w * 0.9f}, true, colour::selected, fonts.body))
            pressed = "mode";
    }
    return pressed;
}

void Ui::qr(std::string_view id, const QrMatrix& q, float side) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy({side, side});
    reg.add(id, p, {p.x + side, p.y + side});
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, {p.x + side, p.y + side}, IM_COL32(255, 255, 255, 255));
    const int quiet = 4;
    float cell = std::floor(side / (q.size + 2 * quiet));
    float x0 = p.x + std::floor((side - cell * q.size) * 0.5f), y0 = p.y + std::floor((side - cell * q.size) * 0.5f);
    for (int r = 0; r < q.size; ++r)
        for (int c = 0; c < q.size; ++c)
            if (q.dark(r, c))
                dl->AddRectFilled({x0 + c * cell, y0 + r * cell}, {x0 + (c + 1) * cell, y0 + (r + 1) * cell},
                                  IM_COL32(0, 0, 0, 255));
}

bool Ui::signature_pad(std::string_view id, Signature& sig, ImVec2 size) {
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImVec2 p1{p0.x + size.x, p0.y + size.y};
    reg.add(id, p0, p1);
    ImGui::PushID(id.data(), id.data() + id.size());
    ImGui::InvisibleButton("##pad", size);
    ImGui::PopID();
    const ImGuiIO& io = ImGui::GetIO();
    auto to_pad = [&](ImVec2 m) {
        return Signature::Point{static_cast<int>((m.x - p0.x) / size.x * kSignatureSpan + 0.5f),
                                static_cast<int>((m.y - p0.y) / size.y * kSignatureSpan + 0.5f)};
    };
    bool drawing = false;
    if (ImGui::IsItemActivated()) {
        sig.begin(to_pad(io.MousePos));
        drawing = true;
    } else if (ImGui::IsItemActive()) {
        sig.extend(to_pad(io.MousePos));
        drawing = true;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, colour::button, m.flat(8));
    dl->AddRect(p0, p1, colour::muted, m.flat(8), 0, m.flat(2));
    float base = p0.y + size.y * 0.78f;
    dl->AddLine({p0.x + m.flat(24), base}, {p1.x - m.flat(24), base}, IM_COL32(200, 200, 200, 255), m.flat(2));
    std::vector<ImVec2> pts;
    for (auto& stroke : sig.strokes) {
        pts.clear();
        for (auto& q : stroke)
            pts.push_back({p0.x + q.x * size.x / kSignatureSpan, p0.y + q.y * size.y / kSignatureSpan});
        if (pts.size() == 1) dl->AddCircleFilled(pts[0], m.flat(3), colour::text);
        else dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour::text, 0, m.flat(4));
    }
    return drawing;
}

void Ui::begin_drag_scroll(std::string_view id, ImVec2 size, float& scroll_y) {
    ImGui::PushID(id.data(), id.data() + id.size());
    ImGui::BeginChild("##scroll", size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::SetScrollY(scroll_y);
    ImVec2 p = ImGui::GetWindowPos();
    reg.add(id, p, {p.x + size.x, p.y + size.y});
}

Ui::ScrollExtent Ui::end_drag_scroll(float& scroll_y) {
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem | ImGuiHoveredFlags_ChildWindows) &&
        ImGui::IsMouseDown(0))
        scroll_y -= io.MouseDelta.y;
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows)) scroll_y -= io.MouseWheel * m.px(80);
    float max_y = std::max(0.0f, ImGui::GetCursorPosY() - ImGui::GetWindowHeight());
    scroll_y = std::clamp(scroll_y, 0.0f, max_y);
    // A thin position indicator, so a resident sees there is more below.
    if (max_y > 0) {
        ImVec2 wp = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
        float bar_h = ws.y * ws.y / (ws.y + max_y);
        float y = wp.y + (ws.y - bar_h) * (scroll_y / max_y);
        ImGui::GetWindowDrawList()->AddRectFilled({wp.x + ws.x - m.flat(10), y}, {wp.x + ws.x - m.flat(2), y + bar_h},
                                                  IM_COL32(120, 130, 140, 160), m.flat(4));
    }
    ScrollExtent e{ImGui::GetWindowHeight(), ImGui::GetCursorPosY()};
    ImGui::EndChild();
    ImGui::PopID();
    return e;
}

std::string Ui::page_label(int page, int pages) const {
    std::string s = tr("list.page");
    auto put = [&s](std::string_view key, int n) {
        if (auto at = s.find(key); at != std::string::npos) s.replace(at, key.size(), std::to_string(n));
    };
    put("{page}", page + 1);
    put("{pages}", pages);
    return s;
}

int Ui::pager(std::string_view id, int page, int pages, float width, std::string_view label) {
    if (pages < 1) pages = 1;
    page = std::clamp(page, 0, pages - 1);
    ImVec2 at = ImGui::GetCursorScreenPos();
    float h = pager_h(), bw = std::max(m.px(220), width * 0.28f);
    int asked = -1;
    ImGui::SetCursorScreenPos(at);
    if (button(std::string(id) + ".prev", tr("list.prev"), {bw, h}, page > 0, colour::button, fonts.title)) asked = page - 1;
    std::string middle = label.empty() ? page_label(page, pages) : std::string(label);
    ImFont* f = fonts.title ? fonts.title : ImGui::GetFont();
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, middle.c_str());
    ImGui::SetCursorScreenPos({at.x + (width - ts.x) * 0.5f, at.y + (h - ts.y) * 0.5f});
    text(middle, f);
    ImGui::SetCursorScreenPos({at.x + width - bw, at.y});
    if (button(std::string(id) + ".next", tr("list.next"), {bw, h}, page + 1 < pages, colour::button, fonts.title))
        asked = page + 1;
    ImGui::SetCursorScreenPos({at.x, at.y + h});
    return asked;
}

void Ui::scroll_pager(std::string_view id, float& scroll_y, ScrollExtent e, float width) {
    float max_y = e.content_h - e.view_h;
    if (max_y <= 1 || e.view_h <= 1) return;
    int pages = 1 + static_cast<int>(std::ceil(max_y / e.view_h - 0.01f));
    int page = scroll_y >= max_y - 1 ? pages - 1 : static_cast<int>(std::floor(scroll_y / e.view_h + 0.01f));
    int asked = pager(id, page, pages, width);
    if (asked >= 0) scroll_y = std::min(max_y, static_cast<float>(asked) * e.view_h);
}

}  // namespace kiosk::ui
