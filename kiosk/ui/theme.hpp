#pragma once
// The kiosk's colours, in one table. Every text is drawn on a background from here, and
// theme_pairs() lists each text/background pair (and each control border) that the screens draw,
// so a test can hold all of them to WCAG 2.1's contrast minimums: 4.5:1 for text, 3:1 for the
// borders of controls. Elder mode uses the same palette at larger sizes.
#include <imgui.h>

#include <array>
#include <vector>

namespace kiosk::ui {

namespace colour {
constexpr ImU32 background = IM_COL32(246, 243, 236, 255);
constexpr ImU32 bar = IM_COL32(24, 78, 119, 255);
constexpr ImU32 bar_text = IM_COL32(255, 255, 255, 255);
constexpr ImU32 staff_bar = IM_COL32(92, 48, 20, 255);  // the top bar while staff are signed in: not the residents' blue
constexpr ImU32 text = IM_COL32(33, 37, 41, 255);
constexpr ImU32 muted = IM_COL32(90, 98, 104, 255);
constexpr ImU32 button = IM_COL32(255, 255, 255, 255);
constexpr ImU32 border = IM_COL32(128, 134, 140, 255);  // a control's edge on white or the background
constexpr ImU32 primary = IM_COL32(26, 115, 178, 255);
constexpr ImU32 urgent = IM_COL32(196, 43, 28, 255);
constexpr ImU32 complaint = IM_COL32(176, 58, 46, 255);
constexpr ImU32 ok = IM_COL32(30, 125, 70, 255);
constexpr ImU32 selected = IM_COL32(255, 196, 0, 255);  // a chosen option's fill (with the dark text)
constexpr ImU32 disabled = IM_COL32(225, 225, 225, 255);
constexpr ImU32 quiet = IM_COL32(236, 233, 226, 255);       // the staff corner, out-of-service buttons
constexpr ImU32 alert_pale = IM_COL32(253, 226, 222, 255);  // an urgent notice, an overdue request
constexpr ImU32 good_pale = IM_COL32(214, 236, 220, 255);   // survey: satisfied
constexpr ImU32 bad_pale = IM_COL32(250, 224, 220, 255);    // survey: dissatisfied
constexpr ImU32 highlight = IM_COL32(255, 236, 179, 255);   // the first pinyin candidate
constexpr ImU32 speak = IM_COL32(20, 110, 116, 255);        // elder mode's 朗读 button (white label)
constexpr ImU32 track = IM_COL32(190, 195, 200, 255);       // a progress line not yet reached (no text on it)
// The home screen's service tiles, one colour each, white text on all.
constexpr std::array<ImU32, 10> tiles{
    IM_COL32(26, 115, 178, 255), IM_COL32(30, 125, 70, 255), IM_COL32(170, 86, 18, 255),  IM_COL32(117, 74, 168, 255),
    IM_COL32(176, 58, 46, 255),  IM_COL32(20, 126, 133, 255), IM_COL32(52, 73, 94, 255),  IM_COL32(142, 68, 120, 255),
    IM_COL32(95, 110, 40, 255),  IM_COL32(140, 104, 18, 255),
};
}  // namespace colour

// WCAG 2.1 contrast ratio of two opaque colours, 1 to 21.
double contrast_ratio(ImU32 a, ImU32 b);
// The text colour for a fill: white or the dark text, whichever contrasts more.
ImU32 text_on(ImU32 fill);

// The kiosk's ImGui style, set once on each new context (the window's and the headless one):
// no window borders, and rounded corners cut in fewer segments (0.6 px from the true curve,
// which anti-aliasing hides) — the corners of a screen of buttons are most of its vertices.
void apply_style(ImGuiStyle& style);

struct ThemePair {
    const char* what;
    ImU32 fg, bg;
    double minimum;  // 4.5 for text, 3 for a control's border
};
// Every text/background pair and control border the screens draw.
std::vector<ThemePair> theme_pairs();

}  // namespace kiosk::ui
