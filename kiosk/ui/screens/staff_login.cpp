// Staff sign-in: the staff number on the Latin keyboard (or a badge scanned), then the PIN on the
// numeric keypad. Checked against a salted Argon2id hash on a worker thread; 5 wrong PINs lock
// for 5 minutes.
#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

void StaffFeature::draw_login(ScreenCtx& c) {
    StaffFeature& f = *this;
    Ui& ui = c.ui;
    auto& s = f.s;
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr("staff.login.title"), ui.fonts.title);
    float y = ImGui::GetCursorScreenPos().y + ui.m.px(16);
    ImGui::SetCursorScreenPos({c.content_min.x, y});
    if (!s.entering_pin) {
        if (draw_keyboard_entry(c, c.tr("staff.login.number_prompt"), "staff.login.number", s.staff_no,
                                c.tr("staff.login.number_placeholder"), 8, "staff.login.next", c.tr("staff.login.next")))
            f.emit(staff::Next{});
    } else if (f.checking()) {
        // The worker's answer is picked up here, once a frame, and applied after it.
        draw_pin_checking(c, c.cat.format(c.st.lang, "staff.login.pin_prompt", {{"staff_no", s.staff_no}}));
        if (f.check_answered()) f.emit(staff::Checked{});
    } else {
        if (draw_keypad_entry(c, c.cat.format(c.st.lang, "staff.login.pin_prompt", {{"staff_no", s.staff_no}}),
                              "staff.login.pin", s.pin, c.tr("staff.login.pin_placeholder"), true, 8,
                              "staff.login.sign_in", c.tr("staff.login.sign_in"), s.pin.size() >= 4, colour::primary))
            f.emit(staff::SignIn{});
    }
}

}  // namespace kiosk::ui
