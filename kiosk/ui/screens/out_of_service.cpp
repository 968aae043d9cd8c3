// The out-of-service screen: drawn instead of every other one while the store is damaged or
// failing, so no resident is told "saved" when it may not be.
#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

void draw_out_of_service(ScreenCtx& c, const std::string& staff_note, ImVec2 display) {
    Ui& ui = c.ui;
    float pad = ui.m.px(80), w = display.x - 2 * pad;
    ImGui::SetCursorScreenPos({pad, ui.m.px(160)});
    ui.text_centred(c.tr("service.out_of_service.title"), w, ui.fonts.title, colour::urgent);
    ImGui::SetCursorScreenPos({pad, ImGui::GetCursorScreenPos().y + ui.m.px(30)});
    ui.text_centred(c.tr("service.out_of_service.body"), w, ui.fonts.body);
    float bw = ui.m.px(420), bh = ui.m.px(110), y = display.y - pad - bh;
    if (!c.st.session.staff) {
        ImGui::SetCursorScreenPos({display.x - pad - bw, y});
        if (ui.button("service.staff", c.tr("staff.corner"), {bw, bh}, true, colour::quiet))
            c.emit(shell::Open{Screen::StaffLogin});
        return;
    }
    ImGui::SetCursorScreenPos({pad, ImGui::GetCursorScreenPos().y + ui.m.px(40)});
    ui.text(c.tr("service.staff_note"), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({pad, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    // Staff's words only: causes, counts and limits; never a resident's data.
    ImGui::PushTextWrapPos(pad + w);
    ImGui::TextUnformatted(staff_note.data(), staff_note.data() + std::min<size_t>(staff_note.size(), 2000));
    ImGui::PopTextWrapPos();
    if (!c.st.session.message_key.empty()) {
        ImGui::SetCursorScreenPos({pad, y - ui.m.px(70)});
        draw_message(c, w);
    }
    ImGui::SetCursorScreenPos({pad, y});
    if (ui.button("service.rebuild", c.tr("service.rebuild"), {bw, bh}, true, colour::primary)) c.emit(shell::RebuildData{});
    ImGui::SetCursorScreenPos({pad + bw + ui.m.px(30), y});
    if (ui.button("service.resume", c.tr("service.resume"), {bw, bh}, true, colour::primary)) c.emit(shell::BackInService{});
    ImGui::SetCursorScreenPos({display.x - pad - bw, y});
    if (ui.button("service.sign_out", c.tr("staff.desk.sign_out"), {bw, bh}, true, colour::quiet))
        c.emit(shell::Home{});
}

}  // namespace kiosk::ui
