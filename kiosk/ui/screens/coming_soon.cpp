// A service whose screen is not built yet: say so plainly and send the resident to the desk.
#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

void draw_coming_soon(ScreenCtx& c) {
    Ui& ui = c.ui;
    const ServiceInfo& s = service_info(c.st.session.coming_soon);
    float w = c.content_w();
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_min.y + ui.m.px(40)});
    ui.text_centred(c.tr(s.label_key), w, ui.fonts.title);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ui.m.px(40));
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
    ui.text_centred(c.tr("soon.title"), w, ui.fonts.title, colour::primary);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ui.m.px(24));
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
    ui.text_centred(c.tr("soon.body"), w);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(40)});
    ui.text_centred(c.cat.format(c.st.lang, "soon.desk_phone", {{"phone", c.st.site.desk_phone}}), w,
                    ui.fonts.body, colour::muted);
}

}  // namespace kiosk::ui
