// Staff sign-in: the staff number on the Latin keyboard (or a badge scanned), then the PIN on the
// numeric keypad. Checked against a salted Argon2id hash; 5 wrong PINs lock for 5 minutes.
#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

void draw_staff_login(ScreenCtx& c) {
    Ui& ui = c.ui;
    auto& s = c.st.session.staff_login;
    float col = ui.m.px(760);
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr("staff.login.title"), ui.fonts.title);
    float y = ImGui::GetCursorScreenPos().y + ui.m.px(16);
    ImGui::SetCursorScreenPos({c.content_min.x, y});
    if (!s.entering_pin) {
        ui.text(c.tr("staff.login.number_prompt"));
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.field("staff.login.number", s.staff_no, c.tr("staff.login.number_placeholder"), col);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
        draw_message(c, col);
        float kx = c.content_min.x + col + ui.m.px(40);
        float key = (c.content_max.x - kx - 9 * ui.m.px(10)) / 10;
        ImGui::SetCursorScreenPos({kx, y});
        ImGui::BeginGroup();
        ui.latin_keyboard("keyboard", s.staff_no, 8, key);
        ImGui::EndGroup();
        ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(130)});
        if (ui.button("staff.login.next", c.tr("staff.login.next"), {col, ui.m.px(120)}, !s.staff_no.empty(),
                      colour::primary))
            c.emit(Intent::Kind::StaffNext);
    } else {
        if (draw_keypad_entry(c, c.cat.format(c.st.lang, "staff.login.pin_prompt", {{"staff_no", s.staff_no}}),
                              "staff.login.pin", s.pin, c.tr("staff.login.pin_placeholder"), true, 8,
                              "staff.login.sign_in", c.tr("staff.login.sign_in"), s.pin.size() >= 4, colour::primary))
            c.emit(Intent::Kind::StaffSignIn);
    }
}

}  // namespace kiosk::ui
