// The free-text box with its pinyin keyboard: what was typed, the letters being composed, the
// candidate chips (in the digits' row while pinyin is composed), and the keys. Every key and chip
// goes out as an intent.
#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

void draw_text_entry(ScreenCtx& c, std::string_view id, const TextEntry& e, float width, float height) {
    Ui& ui = c.ui;
    ImVec2 p = ImGui::GetCursorScreenPos();
    // Under the box, four rows as wide as ten keys: the candidates while pinyin is being composed
    // (the digits otherwise), then three rows of letters. Keys as wide as the width allows and no
    // taller than wide, every one at least a target; the box takes the height that is left.
    float gap = ui.m.flat(10);
    float unit = (width - 9 * gap) / 10;
    if (unit < ui.m.min_target()) {
        unit = ui.m.min_target();
        gap = std::max(ui.m.flat(2), (width - 10 * unit) / 9);
    }
    float key_h = std::clamp((height - std::max(ui.m.min_target(), height * 0.22f)) / 4 - gap, ui.m.min_target(), unit);
    float box_h = std::max(ui.m.min_target(), height - 4 * (key_h + gap));
    // The box: committed text, then the pinyin being composed (underlined, in the accent colour).
    ImGui::Dummy({width, box_h});
    ui.reg.add(id, p, {p.x + width, p.y + box_h});
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, {p.x + width, p.y + box_h}, colour::button, ui.m.flat(12));
    dl->AddRect(p, {p.x + width, p.y + box_h}, colour::primary, ui.m.flat(12), 0, ui.m.flat(3));
    // Typed Chinese at the body size of the mode (elder mode draws the body's glyphs larger).
    ImFont* f = ui.fonts.typing;
    float pad = ui.m.flat(16);
    std::string shown = e.text.empty() && e.pinyin.empty() ? c.tr("text.placeholder") : e.text;
    ImU32 fg = e.text.empty() && e.pinyin.empty() ? colour::muted : colour::text;
    if (!e.text.empty()) ui.reg.text(e.text, f);
    dl->AddText(f, f->FontSize, {p.x + pad, p.y + pad}, fg, shown.c_str(), nullptr, width - 2 * pad);
    if (!e.pinyin.empty()) {
        // The letters being composed follow the text on its one line, or start a line below it.
        ImVec2 ts = f->CalcTextSizeA(f->FontSize, width - 2 * pad, width - 2 * pad, e.text.c_str());
        float w = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, e.pinyin.c_str()).x;
        bool one_line = ts.y < f->FontSize * 1.5f;
        ImVec2 at{p.x + pad, p.y + pad};
        if (!e.text.empty() && one_line && ts.x + ui.m.flat(6) + w <= width - 2 * pad) at.x += ts.x + ui.m.flat(6);
        else if (!e.text.empty()) at.y += ts.y;
        dl->AddText(f, f->FontSize, at, colour::primary, e.pinyin.c_str());
        dl->AddLine({at.x, at.y + f->FontSize + 2}, {at.x + w, at.y + f->FontSize + 2}, colour::primary, ui.m.flat(2));
        ui.reg.text(e.pinyin, f);
    }
    std::string count = c.cat.format(c.st.lang, "text.count", {{"n", std::to_string(text_entry_length(e))},
                                                                {"max", std::to_string(e.max_chars)}});
    ImVec2 cs = ui.fonts.body->CalcTextSizeA(ui.fonts.body->FontSize, FLT_MAX, 0, count.c_str());
    dl->AddText(ui.fonts.body, ui.fonts.body->FontSize, {p.x + width - pad - cs.x, p.y + box_h - pad - cs.y},
                colour::muted, count.c_str());

    // Candidate chips, in the digits' row.
    float row_y = p.y + box_h + gap;
    bool composing = !e.candidates.empty();
    if (composing) {
        float x = p.x;
        for (size_t i = 0; i < e.candidates.size(); ++i) {
            const std::string& cand = e.candidates[i];
            float w = std::max(unit, ui.fonts.typing->CalcTextSizeA(ui.fonts.typing->FontSize, FLT_MAX, 0, cand.c_str()).x + ui.m.px(40));
            if (x + w > p.x + width + 0.5f) break;
            ImGui::SetCursorScreenPos({x, row_y});
            if (ui.button("ime.candidate." + std::to_string(i), cand, {w, key_h}, true,
                          i == 0 ? colour::highlight : colour::button, ui.fonts.typing))
                c.emit(shell::TextCandidate{i});
            x += w + gap;
        }
        row_y += key_h + gap;
    }
    // The keys.
    ImGui::SetCursorScreenPos({p.x, row_y});
    std::string key = ui.typing_keys("keyboard", {unit, key_h}, gap, !composing,
                                     c.tr(e.chinese ? "text.mode_chinese" : "text.mode_latin"));
    if (!key.empty()) c.emit(shell::TextKey{key});
}

}  // namespace kiosk::ui
