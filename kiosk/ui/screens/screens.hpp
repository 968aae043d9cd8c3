#pragma once
// The drawing half of each feature module (one file per feature) and the frame around it. A screen
// draws from its module's state and the app's, and queues intents; it never runs SQL, curl or
// file I/O. Screens are dispatched from one table in app.cpp.
#include <functional>
#include <vector>

#include "kiosk/ui/app.hpp"

namespace kiosk::ui {

struct ScreenCtx {
    Ui& ui;
    AppState& st;
    const Catalog& cat;
    std::vector<ShellIntent>& out;
    ImVec2 content_min, content_max;  // the area between the top and bottom bars
    bool message_drawn = false;       // this frame's screen showed the message itself
    bool finished = false;            // a sent request's screen: no Back in the bar
    bool read_aloud = false;          // elder mode with a voice: the bottom bar offers 朗读
    const std::string& tr(std::string_view key) const { return cat.tr(st.lang, key); }
    // An intent for the shell (Back, Home, the active text box …); a module's own go to the module.
    void emit(ShellIntent in) { out.push_back(std::move(in)); }
    float content_w() const { return content_max.x - content_min.x; }
};

void draw_top_bar(ScreenCtx& c, float height);
void draw_bottom_bar(ScreenCtx& c, float height);
void draw_message(ScreenCtx& c, float width);
// What a digits screen may add: a note under the message (left out where it would not fit), and a
// second button beside confirm that calls `on_alt` when tapped.
struct KeypadExtras {
    std::string note;
    std::string_view alt_id;
    std::string alt_label;
    std::function<void()> on_alt;
    bool dash = false;  // a "-" key in the keypad (flat numbers: "3-1502")
};
// A PIN with the worker: the prompt, and "checking…" in place of the keypad (nothing to type
// ahead on, no confirm to tap twice).
void draw_pin_checking(ScreenCtx& c, const std::string& prompt);
// A digits screen: the prompt, the field (masked when `secret`), the message, the numeric keypad
// on the right, and the confirm button at the bottom of the left column (widget `confirm_id`,
// enabled when `can_confirm`). Returns true when confirm was tapped.
bool draw_keypad_entry(ScreenCtx& c, const std::string& prompt, std::string_view field_id, std::string& value,
                       std::string_view placeholder, bool secret, size_t max_len, std::string_view confirm_id,
                       std::string_view confirm_label, bool can_confirm, ImU32 confirm_colour,
                       const KeypadExtras& extras = {});
// Where a slip the resident asked for has got to: printing, printed, or ask the desk (and why).
void draw_slip_status(ScreenCtx& c, int64_t job, float width);
// A letters-and-digits screen: the prompt, the field, the message, the Latin keyboard on the
// right, and confirm (enabled once something is typed) at the bottom of the left column.
bool draw_keyboard_entry(ScreenCtx& c, const std::string& prompt, std::string_view field_id, std::string& value,
                         std::string_view placeholder, size_t max_len, std::string_view confirm_id,
                         std::string_view confirm_label);
// The idle warning, drawn instead of the screen (not over it): the countdown and a large
// "I need more time" (widget idle.continue) that brings the screen back as it was.
void draw_idle_warning(ScreenCtx& c, int seconds_left, ImVec2 display);
// Out of service (the store is damaged or failing): residents see only that and the staff
// corner; a signed-in clerk also reads `staff_note` and can rebuild the data or resume.
void draw_out_of_service(ScreenCtx& c, const std::string& staff_note, ImVec2 display);
// The attract loop: urgent notice `index` full-screen, over everything (a touch ends it).
void draw_attract(ScreenCtx& c, const Announcement& a, ImVec2 display);

// A free-text box with the pinyin keyboard and its candidate chips under it (ids: keyboard.*,
// ime.candidate.<n>); keys go out as intents.
void draw_text_entry(ScreenCtx& c, std::string_view id, const TextEntry& e, float width, float height);
// The household's flat as a line of text ("1栋 102"), or "" when no household is open.
std::string household_flat(const ScreenCtx& c);

// Today's announcements that are urgent (a water or power cut): the home banner.
const Announcement* first_urgent(const SiteView& site);

}  // namespace kiosk::ui
