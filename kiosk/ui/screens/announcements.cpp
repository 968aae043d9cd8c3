// Announcements (通知公告): today's notices, urgent first, in a list moved by dragging; a tap
// opens one.
#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

void NoticesFeature::draw_list(ScreenCtx& c) {
    NoticesFeature& f = *this;
    Ui& ui = c.ui;
    auto& items = c.st.site.announcements;
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr("announcements.title"), ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    if (items.empty()) {
        ui.text(c.tr("announcements.none"));
        return;
    }
    float top = ImGui::GetCursorScreenPos().y;
    ui.begin_drag_scroll("announcements.list", {c.content_w(), c.content_max.y - top - ui.pager_h() - ui.m.px(12)}, c.st.session.list_scroll);
    float row_h = ui.fonts.title->FontSize + ui.fonts.body->FontSize + ui.m.px(56);
    for (size_t i = 0; i < items.size(); ++i) {
        const Announcement& a = items[i];
        std::string label = (a.urgent ? c.tr("announcements.urgent_tag") : std::string()) + a.title.in(c.st.lang) +
                            "\n" + c.cat.format(c.st.lang, "announcements.period", {{"from", a.starts_on}, {"to", a.ends_on}});
        if (ui.button("announcements.item." + std::to_string(i), label, {c.content_w() - ui.m.flat(20), row_h}, true,
                      a.urgent ? colour::alert_pale : colour::button, nullptr, true))
            f.emit(notices::Open{static_cast<int>(i)});
        ImGui::Dummy({0, ui.m.px(6)});
    }
    auto extent = ui.end_drag_scroll(c.st.session.list_scroll);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
    ui.scroll_pager("announcements.list.pages", c.st.session.list_scroll, extent, c.content_w());
}

void NoticesFeature::draw_detail(ScreenCtx& c) {
    NoticesFeature& f = *this;
    Ui& ui = c.ui;
    auto& items = c.st.site.announcements;
    int i = f.s.open;
    ImGui::SetCursorScreenPos(c.content_min);
    if (i < 0 || i >= static_cast<int>(items.size())) {
        ui.text(c.tr("announcements.none"));
        return;
    }
    const Announcement& a = items[i];
    ui.text_wrapped(a.title.in(c.st.lang), c.content_w(), ui.fonts.title, a.urgent ? colour::urgent : colour::text);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    ui.text(c.cat.format(c.st.lang, "announcements.period", {{"from", a.starts_on}, {"to", a.ends_on}}), ui.fonts.body,
            colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(24)});
    float top = ImGui::GetCursorScreenPos().y;
    ui.begin_drag_scroll("announcements.body", {c.content_w(), c.content_max.y - top - ui.pager_h() - ui.m.px(12)}, c.st.session.list_scroll);
    ui.text_wrapped(a.body.in(c.st.lang), c.content_w() - ui.m.flat(30));
    auto extent = ui.end_drag_scroll(c.st.session.list_scroll);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
    ui.scroll_pager("announcements.body.pages", c.st.session.list_scroll, extent, c.content_w());
}

}  // namespace kiosk::ui
