// My requests (我的报修与投诉), after the household proved itself: its repairs and complaints with
// where each stands, what was promised and whether it is overdue; a finished one can be rated.
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {
// A status as the resident reads it: "my.status.<the status's id from the one ladder in core>".
std::string status_key(CaseStatus s) { return "my.status." + std::string(case_status_id(s)); }

bool overdue(const HouseholdCase& k, std::time_t now) { return k.status < CaseStatus::Done && now > k.due_by; }

std::string kind_label(const ScreenCtx& c, const HouseholdCase& k) {
    return c.tr(k.is_repair ? "service.repairs" : "service.complaints") + " · " +
           c.tr((k.is_repair ? "repair.category." : "complaint.kind.") + k.kind);
}

void list_step(ScreenCtx& c, MyRequestsFeature& f) {
    Ui& ui = c.ui;
    auto& my = f.s;
    if (my.cases.empty()) {
        ui.text(c.tr("my.none"), ui.fonts.body, colour::muted);
        return;
    }
    float top = ImGui::GetCursorScreenPos().y;
    ui.begin_drag_scroll("my.list", {c.content_w(), c.content_max.y - top - ui.pager_h() - ui.m.px(12)}, c.st.session.list_scroll);
    for (size_t i = 0; i < my.cases.size(); ++i) {
        const HouseholdCase& k = my.cases[i];
        std::string label = k.ticket + "    " + kind_label(c, k) + "\n" + c.tr(status_key(k.status)) +
                            "    " + c.cat.format(c.st.lang, "my.due", {{"time", deadline_text(k.due_by)}}) +
                            (overdue(k, c.st.wall_now) ? "    " + c.tr("my.overdue") : std::string());
        if (ui.button("my.case." + std::to_string(i), label, {c.content_w() - ui.m.flat(20), ui.m.px(130)}, true,
                      overdue(k, c.st.wall_now) ? colour::alert_pale : colour::button, nullptr, true))
            f.emit(my_requests::OpenCase{static_cast<int>(i)});
        ImGui::Dummy({0, ui.m.px(6)});
    }
    auto extent = ui.end_drag_scroll(c.st.session.list_scroll);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
    ui.scroll_pager("my.list.pages", c.st.session.list_scroll, extent, c.content_w());
}

void timeline(ScreenCtx& c, const HouseholdCase& k) {
    Ui& ui = c.ui;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    float step_w = c.content_w() / kCaseStatusCount, r = ui.m.px(16), y = p.y + r;
    int at = static_cast<int>(k.status);
    dl->AddLine({p.x + step_w * 0.5f, y}, {p.x + step_w * (kCaseStatusCount - 0.5f), y}, colour::track, ui.m.flat(4));
    for (int i = 0; i < kCaseStatusCount; ++i) {
        float cx = p.x + step_w * (i + 0.5f);
        ImU32 col = i < at ? colour::ok : i == at ? colour::primary : colour::track;
        dl->AddCircleFilled({cx, y}, i == at ? r * 1.3f : r, col);
        const std::string& label = c.tr(status_key(static_cast<CaseStatus>(i)));
        ImVec2 ts = ui.fonts.body->CalcTextSizeA(ui.fonts.body->FontSize, FLT_MAX, 0, label.c_str());
        dl->AddText(ui.fonts.body, ui.fonts.body->FontSize, {cx - ts.x * 0.5f, y + r * 1.6f},
                    i == at ? colour::primary : colour::muted, label.c_str());
        ui.reg.text(label, ui.fonts.body);
    }
    ImGui::Dummy({c.content_w(), r * 2 + ui.fonts.body->FontSize + ui.m.px(20)});
}

void detail_step(ScreenCtx& c, MyRequestsFeature& f) {
    Ui& ui = c.ui;
    auto& my = f.s;
    const HouseholdCase& k = my.cases[my.selected];
    ui.text(k.ticket + "    " + kind_label(c, k), ui.fonts.title, colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    ui.text_wrapped(k.summary, c.content_w());
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(24)});
    timeline(c, k);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    ui.text(c.cat.format(c.st.lang, "my.filed", {{"time", local_date(k.filed_at, "%Y-%m-%d %H:%M")}}), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
    ui.text(c.cat.format(c.st.lang, "my.due", {{"time", deadline_text(k.due_by)}}) +
                (overdue(k, c.st.wall_now) ? "    " + c.tr("my.overdue") : std::string()),
            ui.fonts.body, overdue(k, c.st.wall_now) ? colour::urgent : colour::text);
    if (k.rating) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
        ui.text(c.cat.format(c.st.lang, "my.rated", {{"stars", std::to_string(*k.rating)}}), ui.fonts.body, colour::ok);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    draw_message(c, c.content_w());
    if (k.status == CaseStatus::Done && !k.rating) {
        ImGui::SetCursorScreenPos({c.content_max.x - ui.m.px(480), c.content_max.y - ui.m.px(120)});
        if (ui.button("my.rate", c.tr("my.rate"), {ui.m.px(480), ui.m.px(120)}, true, colour::ok))
            f.emit(my_requests::Rate{});
    }
}

void rate_step(ScreenCtx& c, MyRequestsFeature& f) {
    Ui& ui = c.ui;
    auto& my = f.s;
    float y = ImGui::GetCursorScreenPos().y, left_w = c.content_w() * 0.32f;
    ui.text(c.tr("my.rate.prompt"));
    // Five stars across the column, each at least a target: in elder mode the gaps give way.
    float star_gap = ui.m.px(10), star = std::max(ui.m.min_target(), (left_w - 4 * star_gap) / 5);
    star_gap = std::max(ui.m.flat(4), std::min(star_gap, (left_w - 5 * star) / 4));
    for (int s = 1; s <= 5; ++s) {
        ImGui::SetCursorScreenPos({c.content_min.x + (s - 1) * (star + star_gap), y + ui.m.px(60)});
        // The stars up to the one tapped are filled; the one tapped is the choice, marked.
        if (ui.choice("my.stars." + std::to_string(s), std::to_string(s), {star, star}, s == my.stars,
                      s < my.stars ? colour::selected : colour::button, ui.fonts.big))
            f.emit(my_requests::Stars{s});
    }
    ImGui::SetCursorScreenPos({c.content_min.x, y + ui.m.px(60) + std::max(star, ui.m.min_target()) + ui.m.px(16)});
    if (my.stars > 0) ui.text_wrapped(c.tr("my.stars.label." + std::to_string(my.stars)), left_w, ui.fonts.body, colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    draw_message(c, left_w);
    float x = c.content_min.x + left_w + ui.m.px(30);
    ImGui::SetCursorScreenPos({x, y});
    draw_text_entry(c, "my.comment", my.comment, c.content_max.x - x, c.content_max.y - y);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - typing_next_h(c)});
    if (ui.button("my.submit", c.tr("my.submit"), {left_w, typing_next_h(c)}, my.stars > 0, colour::ok))
        f.emit(my_requests::SubmitRating{});
}
}  // namespace

void MyRequestsFeature::draw(ScreenCtx& c) {
    MyRequestsFeature& f = *this;
    Ui& ui = c.ui;
    auto& my = f.s;
    if (!c.st.session.household) return;
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.cat.format(c.st.lang, "my.title", {{"unit", household_flat(c)}}), ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    bool has_case = my.selected >= 0 && my.selected < static_cast<int>(my.cases.size());
    switch (my.step) {
        case MyRequestsState::Step::List: list_step(c, f); break;
        case MyRequestsState::Step::Detail:
        case MyRequestsState::Step::Rated:
            if (has_case) detail_step(c, f);
            break;
        case MyRequestsState::Step::Rate:
            if (has_case) rate_step(c, f);
            break;
    }
}

}  // namespace kiosk::ui
