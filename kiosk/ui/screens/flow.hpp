#pragma once
// Pieces shared by the step-by-step screens (repairs, complaints): the Next button, times as a
// resident reads them, and the household's flat as a line of text.
#include <array>
#include <ctime>
#include <string>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/wording.hpp"

namespace kiosk::ui {

// The bottom row of a screen's actions (Next, Submit, Done, Print) is one height in both modes:
// above the elder target, and one line of the elder body fits it. Elder mode widens the buttons
// instead; the height it would add is what a list above them (bills, a keyboard) needs.
inline float action_h(const Ui& ui) { return std::max(ui.m.min_target(), ui.m.flat(110)); }

// A step's main action (Next, Submit, Done), in one place on every step of every flow: bottom
// right of the content, the same size, above nothing else.
inline float main_action_w(const Ui& ui) { return ui.m.px(480); }
inline bool main_action(ScreenCtx& c, std::string_view id, const std::string& label, bool enabled,
                        ImU32 fill = colour::primary) {
    Ui& ui = c.ui;
    ImVec2 size{main_action_w(ui), action_h(ui)};
    ImGui::SetCursorScreenPos({c.content_max.x - size.x, c.content_max.y - size.y});
    return ui.button(id, label, size, enabled, fill);
}

// "Next" (widget `<id>`) as the step's main action.
inline bool next_button(ScreenCtx& c, std::string_view id, bool enabled) {
    return main_action(c, id, c.tr("repair.next"), enabled);
}

// On a typing step the keyboard needs the whole right side (four rows of keys under the text box
// fill the height): Next stands at the foot of the left column, under the phrases, as tall as
// every action.
inline float typing_next_h(const ScreenCtx& c) { return action_h(c.ui); }
inline bool typing_next_button(ScreenCtx& c, std::string_view id, bool enabled, float left_w) {
    Ui& ui = c.ui;
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - typing_next_h(c)});
    return ui.button(id, c.tr("repair.next"), {left_w, typing_next_h(c)}, enabled, colour::primary);
}
// The phrase cards of a typing step stacked from `top` above that Next: `px(100)` tall when the
// column holds them, shorter when not, never under a target. Returns the card height; the gap
// between cards is `typing_phrase_gap`.
inline float typing_phrase_gap(const ScreenCtx& c) { return c.ui.m.flat(12); }
inline float typing_phrase_h(const ScreenCtx& c, size_t n, float top) {
    if (n == 0) return c.ui.m.px(100);
    float gap = typing_phrase_gap(c);
    float room = c.content_max.y - typing_next_h(c) - gap - top;
    float h = (room - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
    return std::max(c.ui.m.min_target(), std::min(c.ui.m.px(100), h));
}

// `n` options in as many columns of at least `min_w` as `width` holds, rows as tall as `height`
// allows (at most `max_h`, at least a touch target): cards that stay above the bottom bar.
struct Grid {
    int cols = 1;
    float w = 0, h = 0;
};
inline Grid fit_grid(const Ui& ui, size_t n, float width, float height, float min_w, float max_h, float gap) {
    Grid g;
    g.cols = std::max(1, static_cast<int>((width + gap) / (min_w + gap)));
    g.w = (width - gap * (g.cols - 1)) / g.cols;
    int rows = std::max(1, static_cast<int>((n + g.cols - 1) / g.cols));
    g.h = std::max(ui.m.min_target(), std::min(max_h, (height - gap * (rows - 1)) / rows));
    return g;
}

// One step of a step-by-step screen: its title's catalogue key and how its body is drawn.
template <class F>
struct StepView {
    const char* title_key;
    void (*draw)(ScreenCtx&, F&);
};

// The skeleton every step-by-step screen shares (repairs, complaints, exit passes): nothing
// without a proved household, the step's title, then the step's body below it.
template <class F, class Step, size_t N>
void draw_steps(ScreenCtx& c, F& f, Step step, const std::array<StepView<F>, N>& steps) {
    if (!c.st.session.household) return;
    const StepView<F>& v = steps[static_cast<size_t>(step)];
    ImGui::SetCursorScreenPos(c.content_min);
    c.ui.text(c.tr(v.title_key), c.ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + c.ui.m.px(16)});
    v.draw(c, f);
}

// A row of choice chips that wrap; `chosen` is highlighted. Returns the index tapped, or -1.
inline int chip_row(ScreenCtx& c, std::string_view id_prefix, const std::vector<std::string>& labels, int chosen,
                    float width) {
    Ui& ui = c.ui;
    int tapped = -1;
    float x0 = ImGui::GetCursorScreenPos().x, x = x0, y = ImGui::GetCursorScreenPos().y;
    float h = ui.m.min_target(), gap = ui.m.px(12);
    for (size_t i = 0; i < labels.size(); ++i) {
        float w = std::max(ui.m.px(160), ui.fonts.body->CalcTextSizeA(ui.fonts.body->FontSize, FLT_MAX, 0,
                                                                       labels[i].c_str()).x + ui.m.px(48));
        if (x > x0 && x + w > x0 + width) {
            x = x0;
            y += h + gap;
        }
        ImGui::SetCursorScreenPos({x, y});
        if (ui.choice(std::string(id_prefix) + std::to_string(i), labels[i], {w, h}, chosen == static_cast<int>(i)))
            tapped = static_cast<int>(i);
        x += w + gap;
    }
    ImGui::SetCursorScreenPos({x0, y + h + gap});
    return tapped;
}

}  // namespace kiosk::ui
