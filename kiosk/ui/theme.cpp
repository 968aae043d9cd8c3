#include "kiosk/ui/theme.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <cmath>

namespace kiosk::ui {

namespace {
double channel(unsigned v) {
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance(ImU32 c) {
    return 0.2126 * channel((c >> IM_COL32_R_SHIFT) & 0xFF) + 0.7152 * channel((c >> IM_COL32_G_SHIFT) & 0xFF) +
           0.0722 * channel((c >> IM_COL32_B_SHIFT) & 0xFF);
}
}  // namespace

double contrast_ratio(ImU32 a, ImU32 b) {
    double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void apply_style(ImGuiStyle& style) {
    style.WindowBorderSize = 0;
    style.CircleTessellationMaxError = 0.6f;
}

ImU32 text_on(ImU32 fill) {
    // Asked for every button of every frame, of a handful of fills: each answered once.
    thread_local std::array<std::pair<ImU32, ImU32>, 16> known{};
    thread_local size_t count = 0;
    for (size_t i = 0; i < std::min(count, known.size()); ++i)
        if (known[i].first == fill) return known[i].second;
    ImU32 fg = contrast_ratio(colour::bar_text, fill) >= contrast_ratio(colour::text, fill) ? colour::bar_text : colour::text;
    known[count++ % known.size()] = {fill, fg};
    return fg;
}

std::vector<ThemePair> theme_pairs() {
    using namespace colour;
    std::vector<ThemePair> out{
        {"text on the background", text, background, 4.5},
        {"muted text on the background", muted, background, 4.5},
        {"a title in primary on the background", primary, background, 4.5},
        {"a status in green on the background", ok, background, 4.5},
        {"an error in red on the background", urgent, background, 4.5},
        {"muted text on a button", muted, button, 4.5},
        {"a disabled button's label", muted, disabled, 4.5},
        {"the top bar's text", bar_text, bar, 4.5},
        {"the staff top bar's text", bar_text, staff_bar, 4.5},
        {"the staff badge in the top bar", text, selected, 4.5},
        {"a button's border on white", border, button, 3.0},
        {"a button's border on the background", border, background, 3.0},
        {"a chosen card's border on the background", text, background, 3.0},
        {"a chosen option's edge against its fill", text, selected, 3.0},
        {"a chosen language's edge on the top bar", bar_text, bar, 3.0},
        {"a chosen language's edge on the staff top bar", bar_text, staff_bar, 3.0},
        {"a chosen option's check mark in its white disc", text, button, 3.0},
        {"the check mark's disc on a chosen option's fill (its dark ring)", text, selected, 3.0},
        // The idle warning, drawn in the screen's place on the background.
        {"the idle warning's question", text, background, 4.5},
        {"the idle warning's countdown", urgent, background, 4.5},
        {"the idle warning's privacy note", muted, background, 4.5},
        {"the idle warning's more-time button", text_on(primary), primary, 4.5},
        {"elder mode's read-aloud button", text_on(speak), speak, 4.5},
        {"the read-aloud button on the background (its edge)", speak, background, 3.0},
    };
    // Every fill a button, tile or card is drawn with carries the text text_on() picks.
    for (ImU32 fill : {button, primary, urgent, complaint, ok, selected, quiet, alert_pale, good_pale, bad_pale, highlight, bar})
        out.push_back({"a label on a fill", text_on(fill), fill, 4.5});
    for (ImU32 fill : tiles) out.push_back({"a home tile's title and hint", text_on(fill), fill, 4.5});
    return out;
}

}  // namespace kiosk::ui
