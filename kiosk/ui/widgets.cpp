#include "kiosk/ui/widgets.hpp"

#include <algorithm>
#include <cmath>

#include <imgui_internal.h>

#include "kiosk/core/text.hpp"

namespace kiosk::ui {

void WidgetRegistry::add(std::string_view id, ImVec2 min, ImVec2 max, bool enabled, bool chosen) {
    m_rects.push_back({std::string(id), min, max, enabled, chosen});
}

void WidgetRegistry::add_tappable(std::string_view id, ImVec2 min, ImVec2 max, bool enabled, bool chosen) {
    add(id, min, max, enabled, chosen);
    WidgetRect& r = m_rects.back();
    r.tappable = true;
    if (ImGui::GetCurrentContext() && ImGui::GetWindowDrawList()) {
        r.clip_min = ImGui::GetWindowDrawList()->GetClipRectMin();
        r.clip_max = ImGui::GetWindowDrawList()->GetClipRectMax();
    }
}

void WidgetRegistry::label_box(ImVec2 min, ImVec2 max, float px, bool cut) {
    if (m_rects.empty()) return;
    WidgetRect& r = m_rects.back();
    r.text_min = min;
    r.text_max = max;
    r.text_px = px;
    r.text_cut = cut;
}

void WidgetRegistry::text(std::string_view t, const ImFont* font) {
    m_texts.emplace_back(t);
    if (!font) return;
    for (const char *s = t.data(), *end = t.data() + t.size(); s < end;) {
        unsigned cp = 0;
        s += std::max(1, ImTextCharFromUtf8(&cp, s, end));
        if (cp >= 0x20 && cp <= 0xFFFF && !font->FindGlyphNoFallback(static_cast<ImWchar>(cp)))
            m_missing.push_back(utf8_encode(static_cast<char32_t>(cp)) + " in '" + std::string(t) + "'");
    }
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

TextLines Ui::fit(std::string_view t, ImVec2 box, ImFont* font) const {
    if (!font) font = fonts.body;
    TextLines cached;
    if (fits && fits->find(t, box, font, cached)) return cached;
    TextLines lines = layout_text(font, font->FontSize, t, box.x);
    auto good = [&](const TextLines& l) { return !l.cut && (box.y <= 0 || l.size.y <= box.y); };
    // Digits-only fonts (big) carry ASCII: step down only to fonts that carry the same text.
    for (ImFont* smaller : {fonts.title, fonts.body, fonts.small}) {
        if (good(lines)) break;
        if (!smaller || smaller->FontSize >= lines.px) continue;
        lines = layout_text(smaller, smaller->FontSize, t, box.x);
    }
    if (fits) fits->put(t, box, font, lines);
    return lines;
}

void Ui::draw_lines(ImDrawList* dl, const TextLines& t, ImVec2 at, float width, bool centred, ImU32 c) const {
    float y = at.y;
    for (std::string_view line : t.lines) {
        float x = at.x;
        // One line is as wide as the layout measured it: no second measure (most labels).
        if (centred)
            x += (width - (t.lines.size() == 1 ? t.size.x
                                               : t.font->CalcTextSizeA(t.px, FLT_MAX, 0, line.data(), line.data() + line.size()).x)) *
                 0.5f;
        dl->AddText(t.font, t.px, {x, y}, c, line.data(), line.data() + line.size());
        y += t.px;
    }
}

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

void Ui::card(ImDrawList* dl, ImVec2 p, ImVec2 size, ImU32 fill, bool edged, float r) const {
    ImVec2 q{p.x + size.x, p.y + size.y};
    if (!edged) {
        dl->AddRectFilled(p, q, fill, r);
        return;
    }
    // The edge as a filled shape under an inset fill: the look of a stroked outline at a fraction
    // of its cost (a thick anti-aliased stroke is the dearest thing a frame of buttons draws). The
    // inset fill needs no anti-aliased fringe: its rim lies on the edge's colour, not the screen.
    float w = m.flat(2);
    dl->AddRectFilled(p, q, colour::border, r);
    ImDrawListFlags flags = dl->Flags;
    dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
    dl->AddRectFilled({p.x + w, p.y + w}, {q.x - w, q.y - w}, fill, std::max(0.0f, r - w));
    dl->Flags = flags;
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
    reg.add_tappable(id, p, {p.x + size.x, p.y + size.y}, enabled, chosen);
    ImFont* f = font ? font : fonts.body;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImU32 bg = enabled ? (held ? darker(fill, 0.85f) : fill) : colour::disabled;
    float r = m.flat(18);
    card(dl, p, size, bg, fill == colour::button, r);
    // Chosen: a thick edge just outside, and a check mark before the label (room made for it), or,
    // where that room would break a word that fits alone (a narrow language button), on the
    // top-right corner.
    float mark_r = chosen ? std::min(m.px(18), size.y * 0.22f) : 0;
    float mark_w = chosen ? 2 * mark_r + m.px(10) : 0;
    float lead = align_left ? m.px(28) : m.flat(10);
    float room = size.x - lead - m.flat(10), room_y = size.y - m.flat(8);
    bool mark_inline = chosen;
    if (chosen) {
        float o = m.flat(4);
        dl->AddRect({p.x - o, p.y - o}, {p.x + size.x + o, p.y + size.y + o}, edge, r + o, 0, m.flat(6));
        TextLines whole = fit(label, {room, room_y}, f), beside = fit(label, {room - mark_w, room_y}, f);
        bool worse = (beside.cut && !whole.cut) || beside.px < whole.px || beside.lines.size() > whole.lines.size();
        if (worse) {
            check_mark(dl, {p.x + size.x - mark_r * 0.35f, p.y + mark_r * 0.35f}, mark_r);
            mark_w = 0;
            mark_inline = false;
        }
    }
    TextLines lines = fit(label, {room - mark_w, room_y}, f);
    reg.text(label, lines.font);
    ImU32 fg = !enabled ? colour::muted : text_on(fill);
    float tx = align_left ? p.x + lead + mark_w : p.x + (size.x - lines.size.x + mark_w) * 0.5f;
    float ty = p.y + (size.y - lines.size.y) * 0.5f;
    if (mark_inline) check_mark(dl, {tx - mark_w + mark_r, p.y + size.y * 0.5f}, mark_r);
    draw_lines(dl, lines, {tx, ty}, lines.size.x, !align_left, fg);
    reg.label_box({tx, ty}, {tx + lines.size.x, ty + lines.size.y}, lines.px, lines.cut);
    return pressed;
}

namespace {
// A tile's margin: in elder mode not enlarged, so that two lines of the elder body fit a tile.
float tile_pad(const Metrics& m) { return m.elder > 1 ? m.flat(24) : m.px(24); }
}  // namespace

ImVec2 Ui::tile_title_room(ImVec2 size) const { return {size.x - 2 * tile_pad(m), size.y - 2 * tile_pad(m)}; }

bool Ui::tile(std::string_view id, std::string_view title, std::string_view hint, ImVec2 size, ImU32 fill, bool chosen,
              ImFont* title_font) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushID(id.data(), id.data() + id.size());
    bool pressed = ImGui::InvisibleButton("##t", size) && tapped_without_drag();
    bool held = ImGui::IsItemActive();
    ImGui::PopID();
    reg.add_tappable(id, p, {p.x + size.x, p.y + size.y}, true, chosen);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    card(dl, p, size, held ? darker(fill, 0.85f) : fill, fill == colour::button, m.flat(24));
    ImU32 fg = text_on(fill);
    float pad = tile_pad(m);
    if (chosen) {
        // Chosen, not by colour alone: a thick dark edge and a check mark in a white disc.
        dl->AddRect({p.x - m.flat(4), p.y - m.flat(4)}, {p.x + size.x + m.flat(4), p.y + size.y + m.flat(4)}, colour::text, m.flat(28), 0,
                    m.flat(6));
        float r = m.px(26);
        check_mark(dl, {p.x + size.x - pad - r, p.y + pad + r}, r);
    }
    // The title in the title font where it wraps whole, else a step smaller; the hint under it
    // only where it fits whole (it repeats what the title says).
    float room = size.x - 2 * pad - (chosen ? 2 * m.px(26) + pad * 0.5f : 0);
    TextLines t = fit(title, {room, size.y - 2 * pad}, title_font ? title_font : fonts.title);
    reg.text(title, t.font);
    draw_lines(dl, t, {p.x + pad, p.y + pad}, room, false, fg);
    ImVec2 box_max{p.x + pad + t.size.x, p.y + pad + t.size.y};
    float hint_y = p.y + pad + t.size.y + m.px(14);
    if (!hint.empty()) {
        ImVec2 hint_box{size.x - 2 * pad, p.y + size.y - pad * 0.5f - hint_y};
        TextLines h = fit(hint, hint_box, fonts.body);
        if (!h.cut && h.size.y <= hint_box.y && h.px >= t.px * 0.5f) {
            reg.text(hint, h.font);
            draw_lines(dl, h, {p.x + pad, hint_y}, hint_box.x, false, fg);
            box_max = {std::max(box_max.x, p.x + pad + h.size.x), hint_y + h.size.y};
        }
    }
    reg.label_box({p.x + pad, p.y + pad}, box_max, t.px, t.cut);
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
    TextLines lines = fit(t, {width, 0}, font ? font : fonts.body);
    reg.text(t, lines.font);
    ImVec2 p = ImGui::GetCursorScreenPos();
    draw_lines(ImGui::GetWindowDrawList(), lines, p, width, false, c ? c : colour::text);
    ImGui::Dummy({std::max(1.0f, lines.size.x), std::max(1.0f, lines.size.y)});
}

void Ui::text_centred(std::string_view t, float width, ImFont* font, ImU32 c) {
    TextLines lines = fit(t, {width, 0}, font ? font : fonts.body);
    reg.text(t, lines.font);
    ImVec2 p = ImGui::GetCursorScreenPos();
    draw_lines(ImGui::GetWindowDrawList(), lines, p, width, true, c ? c : colour::text);
    ImGui::Dummy({width, std::max(1.0f, lines.size.y)});
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

bool Ui::numeric_keypad(std::string_view id, std::string& buffer, size_t max_len, ImVec2 key, float gap, bool dash) {
    static constexpr const char* kKeys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
    bool any = false;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    for (int i = 0; i < 12; ++i) {
        ImGui::SetCursorScreenPos({origin.x + (i % 3) * (key.x + gap), origin.y + (i / 3) * (key.y + gap)});
        bool dash_key = dash && i == 9;
        std::string kid = std::string(id) + "." + (dash_key ? "dash" : kKeys[i]);
        std::string_view label = kKeys[i];
        if (i == 9) label = dash_key ? std::string_view("-") : tr("keys.clear");
        if (i == 11) label = tr("keys.back");
        if (button(kid, label, key, true, 0, ((i == 9 && !dash_key) || i == 11) ? fonts.body : fonts.big)) {
            any = true;
            if (dash_key) {
                if (buffer.size() < max_len) buffer += '-';
            } else if (i == 9) buffer.clear();
            else if (i == 11) utf8_pop_back(buffer);
            else if (buffer.size() < max_len) buffer += kKeys[i];
        }
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy({3 * key.x + 2 * gap, 4 * key.y + 3 * gap});
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

std::string Ui::typing_keys(std::string_view id, ImVec2 key, float gap, bool digits, std::string_view mode_label) {
    ImVec2 origin = ImGui::GetCursorScreenPos();
    std::string pressed;
    float y = origin.y;
    auto row = [&](std::string_view keys) {
        for (size_t i = 0; i < keys.size(); ++i) {
            ImGui::SetCursorScreenPos({origin.x + i * (key.x + gap), y});
            char ch[2] = {keys[i], 0};
            if (button(std::string(id) + "." + ch, ch, key, true, 0, fonts.body)) pressed = ch;
        }
    };
    if (digits) {
        row("1234567890");
        y += key.y + gap;
    }
    row("QWERTYUIOP");
    y += key.y + gap;
    row("ASDFGHJKL");
    ImGui::SetCursorScreenPos({origin.x + 9 * (key.x + gap), y});
    if (button(std::string(id) + ".back", tr("keys.back"), key, true, 0, fonts.body)) pressed = "back";
    y += key.y + gap;
    row("ZXCVBNM");
    // Space and the mode key share what is left of the row: one and a half keys each.
    float wide = (3 * key.x + gap) / 2;
    float x = origin.x + 7 * (key.x + gap);
    ImGui::SetCursorScreenPos({x, y});
    if (button(std::string(id) + ".space", tr("keys.space"), {wide, key.y}, true, 0, fonts.body)) pressed = "space";
    if (!mode_label.empty()) {
        ImGui::SetCursorScreenPos({x + wide + gap, y});
        if (button(std::string(id) + ".mode", mode_label, {wide, key.y}, true, colour::selected, fonts.body))
            pressed = "mode";
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy({10 * key.x + 9 * gap, y + key.y - origin.y});
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
    reg.add_tappable(id, p0, p1);
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
    // The label between the buttons, never over them: in a narrow column (the fee statement's
    // months in elder mode) it wraps, then steps down a size.
    float room = std::max(m.flat(40), width - 2 * bw - 2 * m.flat(12));
    TextLines t = fit(middle, {room, h}, fonts.title ? fonts.title : ImGui::GetFont());
    reg.text(middle, t.font);
    draw_lines(ImGui::GetWindowDrawList(), t, {at.x + (width - room) * 0.5f, at.y + (h - t.size.y) * 0.5f}, room, true, colour::text);
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
