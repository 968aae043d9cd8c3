// The staff desk after sign-in: who is signed in, what waits to reach head office, and the desk's
// tasks (built in the staff-desk issue; until then the panel says so).
#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

void draw_staff_desk(ScreenCtx& c) {
    Ui& ui = c.ui;
    auto& s = c.st.session;
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr("staff.desk.title"), ui.fonts.title);
    if (!s.staff) return;
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    ui.text(c.cat.format(c.st.lang, "staff.desk.signed_in",
                         {{"name", s.staff->name_masked},
                          {"role", c.tr(s.staff->role == StaffRole::Supervisor ? "staff.role.supervisor"
                                                                                 : "staff.role.clerk")}}));
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    ui.text(c.cat.format(c.st.lang, "staff.desk.outbox", {{"count", std::to_string(c.st.site.outbox_depth)}}));
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(24)});
    ui.text_wrapped(c.tr("staff.desk.soon"), c.content_w(), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(130)});
    if (ui.button("staff.desk.sign_out", c.tr("staff.desk.sign_out"), {ui.m.px(420), ui.m.px(120)}, true,
                  colour::primary))
        c.emit(Intent::Kind::StaffSignOut);
}

}  // namespace kiosk::ui
