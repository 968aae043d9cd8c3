#pragma once
// One file per screen. A screen draws from the app's state and pushes intents; it never runs SQL,
// curl or file I/O. Screens are dispatched from one table in app.cpp.
#include <vector>

#include "kiosk/ui/app.hpp"

namespace kiosk::ui {

struct ScreenCtx {
    Ui& ui;
    AppState& st;
    const Catalog& cat;
    std::vector<Intent>& out;
    ImVec2 content_min, content_max;  // the area between the top and bottom bars
    bool message_drawn = false;       // this frame's screen showed the message itself
    const std::string& tr(std::string_view key) const { return cat.tr(st.lang, key); }
    void emit(Intent::Kind k, int arg = 0) { out.push_back({k, arg, {}}); }
    void emit(Intent::Kind k, std::string text) { out.push_back({k, 0, std::move(text)}); }
    float content_w() const { return content_max.x - content_min.x; }
};

void draw_top_bar(ScreenCtx& c, float height);
void draw_bottom_bar(ScreenCtx& c, float height);
void draw_message(ScreenCtx& c, float width);
// What a digits screen may add: a note under the message (left out where it would not fit), and a
// second button beside confirm that emits `alt_intent`.
struct KeypadExtras {
    std::string note;
    std::string_view alt_id;
    std::string alt_label;
    Intent::Kind alt_intent = Intent::Kind::Back;
};
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
void draw_idle_warning(ScreenCtx& c, int seconds_left, ImVec2 display);
// The attract loop: urgent notice `index` full-screen, over everything (a touch ends it).
void draw_attract(ScreenCtx& c, const Announcement& a, ImVec2 display);

void draw_home(ScreenCtx& c);

void draw_announcements(ScreenCtx& c);
void draw_announcement_detail(ScreenCtx& c);
void draw_staff_login(ScreenCtx& c);
void draw_staff_desk(ScreenCtx& c);
void draw_verify(ScreenCtx& c);
void draw_fees(ScreenCtx& c);
void draw_repair(ScreenCtx& c);
void draw_complaint(ScreenCtx& c);
void draw_my_requests(ScreenCtx& c);
void draw_enquiries(ScreenCtx& c);
void draw_survey(ScreenCtx& c);
void draw_parcel_intake(ScreenCtx& c);
void draw_parcel_pickup(ScreenCtx& c);
void draw_parcel_list(ScreenCtx& c);
void draw_my_parcels(ScreenCtx& c);
void draw_exit_pass(ScreenCtx& c);
void draw_exit_review(ScreenCtx& c);
void draw_gate(ScreenCtx& c);
void draw_borrow(ScreenCtx& c);
void draw_returns(ScreenCtx& c);
// A free-text box with the pinyin keyboard and its candidate chips under it (ids: keyboard.*,
// ime.candidate.<n>); keys go out as intents.
void draw_text_entry(ScreenCtx& c, std::string_view id, const TextEntry& e, float width, float height);

// Today's announcements that are urgent (a water or power cut): the home banner.
const Announcement* first_urgent(const SiteView& site);

}  // namespace kiosk::ui
