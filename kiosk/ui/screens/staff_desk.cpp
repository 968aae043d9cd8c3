// The staff desk after sign-in: who is signed in, what waits to reach head office, and the desk's
// tasks (built in the staff-desk issue; until then the panel says so).
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/wording.hpp"

namespace kiosk::ui {

namespace {
// Head office: online or not, when it last answered, what waits, and what staff must look at
// (records head office refused, records that lost to another kiosk).
void draw_sync_state(ScreenCtx& c, StaffFeature& f) {
    Ui& ui = c.ui;
    const SyncSnapshot& s = c.st.sync;
    if (!s.configured) {
        ui.text(c.cat.format(c.st.lang, "staff.desk.outbox", {{"count", std::to_string(c.st.site.outbox_depth)}}) + "  " +
                c.tr("sync.not_configured"));
        return;
    }
    std::string last = s.last_success ? local_date(s.last_success, "%m-%d %H:%M") : c.tr("sync.never");
    ui.text(c.cat.format(c.st.lang, s.online ? "sync.online" : "sync.offline",
                         {{"count", std::to_string(s.outbox)}, {"last", last}}),
            ui.fonts.body, s.online ? colour::ok : colour::urgent);
    if (!s.online && !s.last_error.empty()) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
        ui.text_wrapped(c.cat.format(c.st.lang, "sync.last_error", {{"error", s.last_error}}), c.content_w(), ui.fonts.body,
                        colour::muted);
    }
    // Up to three at a time, each with a button for the clerk who has dealt with it.
    int shown = 0;
    auto problem = [&](const std::string& text, const std::string& record_id) {
        float bw = ui.m.px(240), bh = ui.m.px(72), y = ImGui::GetCursorScreenPos().y + ui.m.px(6);
        ImGui::SetCursorScreenPos({c.content_min.x, y});
        ui.text_wrapped(text, c.content_w() - bw - ui.m.px(20), ui.fonts.body, colour::urgent);
        float below = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos({c.content_max.x - bw, y});
        if (ui.button("sync.handled." + std::to_string(shown), c.tr("sync.handled"), {bw, bh}, true, colour::button, ui.fonts.body))
            f.emit(staff::SyncHandled{record_id});
        ImGui::SetCursorScreenPos({c.content_min.x, std::max(below, y + bh)});
        ++shown;
    };
    for (auto& d : f.s.dead_letters)
        if (shown < 3)
            problem(c.cat.format(c.st.lang, "sync.dead_letter", {{"id", d.record_id}, {"type", d.type}, {"reason", d.reason}}), d.record_id);
    for (auto& k : f.s.conflicts)
        if (shown < 3)
            problem(c.cat.format(c.st.lang, "sync.conflict",
                                 {{"id", k.record_id}, {"reason", c.tr("sync.conflict." + k.reason)}, {"winner", k.winner}}),
                    k.record_id);
    int64_t waiting = s.dead_letters + s.conflicts - shown;
    if (waiting > 0) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
        ui.text(c.cat.format(c.st.lang, "sync.more_problems", {{"count", std::to_string(waiting)}}), ui.fonts.body, colour::muted);
    }
}
}  // namespace

namespace {

// The printer and its last slips, newest first, each with its state and a reprint button.
void draw_printer_panel(ScreenCtx& c, StaffFeature& f, float bottom) {
    Ui& ui = c.ui;
    const auto& p = c.st.printer;
    if (!p.configured) {
        ui.text(c.tr("staff.printer.none"), ui.fonts.body, colour::muted);
        return;
    }
    ui.text(c.cat.format(c.st.lang, "staff.printer.title",
                         {{"name", p.name}, {"state", c.tr("staff.printer.state." + print::state_name(p.printer))}}),
            ui.fonts.body,
            p.printer == print::PrinterState::Ready     ? colour::text
            : p.printer == print::PrinterState::Unknown ? colour::muted
                                                        : colour::urgent);
    float top = ImGui::GetCursorScreenPos().y + ui.m.px(8);
    ImGui::SetCursorScreenPos({c.content_min.x, top});
    if (p.recent.empty()) {
        ui.text(c.tr("staff.printer.no_slips"), ui.fonts.body, colour::muted);
        return;
    }
    float row_h = ui.m.px(100), button_w = ui.m.px(260);
    ui.begin_drag_scroll("staff.slips", {c.content_w(), bottom - top - ui.pager_h() - ui.m.px(12)}, c.st.session.list_scroll);
    for (const auto& j : p.recent) {
        float y = ImGui::GetCursorScreenPos().y;
        std::string line = c.tr("slip.kind." + j.kind) + "  " + j.reference + "  " +
                           c.tr("slip.state." + print::slip_state_name(j.state));
        if (!j.reason_key.empty()) line += " · " + c.tr(j.reason_key);
        bool trouble = j.state == print::SlipState::Failed || j.state == print::SlipState::Held ||
                       j.state == print::SlipState::Unconfirmed;
        ImGui::SetCursorScreenPos({c.content_min.x, y + ui.m.px(26)});
        ui.text(line, ui.fonts.body, trouble ? colour::urgent : colour::text);
        ImGui::SetCursorScreenPos({c.content_max.x - button_w, y});
        bool busy = j.state == print::SlipState::Queued || j.state == print::SlipState::Printing;
        if (ui.button("staff.slip.reprint." + std::to_string(j.id), c.tr("staff.printer.reprint"),
                      {button_w, ui.m.px(90)}, !busy, colour::button))
            f.emit(staff::Reprint{static_cast<int>(j.id)});
        ImGui::SetCursorScreenPos({c.content_min.x, y + row_h});
    }
    auto extent = ui.end_drag_scroll(c.st.session.list_scroll);
    ImGui::SetCursorScreenPos({c.content_min.x, bottom - ui.pager_h()});
    ui.scroll_pager("staff.slips.pages", c.st.session.list_scroll, extent, c.content_w());
}

}  // namespace

void StaffFeature::draw_desk(ScreenCtx& c) {
    StaffFeature& f = *this;
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
    // Today at a glance, and where head office stands (the sync issue adds the last success).
    const DeskCounts& d = f.s.desk;
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    ui.text(c.cat.format(c.st.lang, "staff.desk.today",
                         {{"registered", std::to_string(d.parcels_registered_today)},
                          {"handed", std::to_string(d.parcels_handed_over_today)},
                          {"waiting", std::to_string(d.parcels_waiting)}}));
    if (d.parcels_overdue > 0) {
        ImGui::SameLine(0, ui.m.px(24));
        ui.text(c.cat.format(c.st.lang, "staff.desk.overdue", {{"count", std::to_string(d.parcels_overdue)}}),
                ui.fonts.body, colour::urgent);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    ui.text(c.cat.format(c.st.lang, "staff.desk.others",
                         {{"passes", std::to_string(d.exit_passes_pending)}, {"loans", std::to_string(d.loans_out)}}));
    if (d.loans_overdue > 0) {
        ImGui::SameLine(0, ui.m.px(24));
        ui.text(c.cat.format(c.st.lang, "staff.desk.loans_overdue", {{"count", std::to_string(d.loans_overdue)}}),
                ui.fonts.body, colour::urgent);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    draw_sync_state(c, f);
    // The desk's tasks.
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    float gap = ui.m.px(20), bw = (c.content_w() - 5 * gap) / 6;
    float ty = ImGui::GetCursorScreenPos().y;
    float bh = std::max(ui.m.min_target(), std::min(ui.m.px(130), c.content_max.y - ui.m.px(130) - ui.m.px(12) - ty));
    const std::pair<const char*, Screen> tasks[] = {{"staff.desk.parcel_intake", Screen::ParcelIntake},
                                                     {"staff.desk.parcel_pickup", Screen::ParcelPickup},
                                                     {"staff.desk.parcel_list", Screen::ParcelList},
                                                     {"staff.desk.exit_review", Screen::ExitReview},
                                                     {"staff.desk.gate", Screen::Gate},
                                                     {"staff.desk.returns", Screen::Returns}};
    for (int i = 0; i < 6; ++i) {
        ImGui::SetCursorScreenPos({c.content_min.x + i * (bw + gap), ty});
        if (ui.button(tasks[i].first, c.tr(tasks[i].first), {bw, bh}, true, colour::button, ui.fonts.title))
            c.emit(shell::Open{tasks[i].second});
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ty + bh + ui.m.px(12)});
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(24)});
    draw_printer_panel(c, f, c.content_max.y - ui.m.px(150));
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(130)});
    if (ui.button("staff.desk.sign_out", c.tr("staff.desk.sign_out"), {ui.m.px(420), ui.m.px(120)}, true,
                  colour::primary))
        f.emit(staff::SignOut{});
    // Setup again (another head office, printer or language): behind the setup's staff PIN too.
    ImGui::SetCursorScreenPos({c.content_min.x + ui.m.px(444), c.content_max.y - ui.m.px(130)});
    if (ui.button("staff.desk.setup", c.tr("staff.desk.setup"), {ui.m.px(420), ui.m.px(120)}, true, colour::quiet))
        c.emit(shell::Open{Screen::Setup});
}

void StaffFeature::draw(ScreenCtx& c) {
    if (c.st.session.screen == Screen::StaffLogin) draw_login(c);
    else draw_desk(c);
}

}  // namespace kiosk::ui
