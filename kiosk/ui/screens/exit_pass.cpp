// Exit passes (物品搬出放行). A verified household asks for one: what goes out and how many, the
// day and part of it, who asks and who carries, a vehicle plate; read back; saved as pending.
// The desk reviews it against the rules (owner or tenant, arrears) and prints it; the gate scans
// it and lets it through once, on its day.
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {

std::string items_text(const ScreenCtx& c, const std::vector<std::pair<std::string, int>>& items) {
    std::string out;
    for (auto& [item, qty] : items)
        out += (out.empty() ? "" : c.tr("exit.separator")) +
               c.cat.format(c.st.lang, "exit.quantity", {{"item", c.tr("exit.item." + item)}, {"qty", std::to_string(qty)}});
    return out;
}

void items_step(ScreenCtx& c, ExitPassFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    ui.text_wrapped(c.tr("exit.items.hint"), c.content_w(), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    const auto& items = exit_pass_items();
    // As many columns as keep a label whole, rows that end above Clear and Next.
    float gap = ui.m.flat(16), y = ImGui::GetCursorScreenPos().y;
    Grid g = fit_grid(ui, items.size(), c.content_w(), c.content_max.y - ui.m.px(120) - ui.m.px(24) - y,
                      c.st.elder ? ui.m.flat(340) : ui.m.px(400), ui.m.px(120), gap);
    int cols = g.cols;
    float bw = g.w, bh = g.h;
    for (size_t i = 0; i < items.size(); ++i) {
        int col = static_cast<int>(i) % cols, row = static_cast<int>(i) / cols;
        ImGui::SetCursorScreenPos({c.content_min.x + col * (bw + gap), y + row * (bh + gap)});
        int q = e.quantities[i];
        std::string label = q > 0 ? c.cat.format(c.st.lang, "exit.quantity",
                                                 {{"item", c.tr("exit.item." + items[i])}, {"qty", std::to_string(q)}})
                                  : c.tr("exit.item." + items[i]);
        if (ui.choice("exit.item." + items[i], label, {bw, bh}, q > 0, colour::button, ui.fonts.title))
            f.emit(exit_pass::AddItem{static_cast<int>(i)});
    }
    int rows = static_cast<int>((items.size() + cols - 1) / cols);
    ImGui::SetCursorScreenPos({c.content_min.x, y + rows * (bh + gap)});
    draw_message(c, c.content_w() * 0.5f);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
    if (ui.button("exit.items.clear", c.tr("exit.items.clear"), {ui.m.px(360), ui.m.px(120)}))
        f.emit(exit_pass::ClearItems{});
    if (next_button(c, "exit.next", true)) f.emit(exit_pass::Next{});
}

void when_step(ScreenCtx& c, ExitPassFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    std::vector<std::string> days;
    for (int d = 0; d < 3; ++d)
        days.push_back(c.tr("exit.day." + std::to_string(d)) + " " + local_date(c.st.wall_now + d * 86400, "%m-%d"));
    int tapped = chip_row(c, "exit.day.", days, e.day, c.content_w());
    if (tapped >= 0) f.emit(exit_pass::PickDay{tapped});
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(24)});
    std::vector<std::string> windows;
    for (auto& w : exit_pass_windows()) windows.push_back(c.tr("exit.window." + w));
    tapped = chip_row(c, "exit.window.", windows, e.window, c.content_w());
    if (tapped >= 0) f.emit(exit_pass::PickWindow{tapped});
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_message(c, c.content_w());
    if (next_button(c, "exit.next", e.day >= 0 && e.window >= 0)) f.emit(exit_pass::Next{});
}

void who_step(ScreenCtx& c, ExitPassFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    auto& members = c.st.session.household->members;
    ui.text(c.tr("exit.who.requester"), ui.fonts.body, colour::muted);
    std::vector<std::string> people;
    for (auto& m : members) people.push_back(m.name_masked + " (" + c.tr("exit.role." + m.role) + ")");
    int tapped = chip_row(c, "exit.requester.", people, e.requester, c.content_w());
    if (tapped >= 0) f.emit(exit_pass::PickRequester{tapped});
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(24)});
    ui.text(c.tr("exit.who.carrier"), ui.fonts.body, colour::muted);
    std::vector<std::string> carriers;
    for (auto& k : exit_pass_carriers()) carriers.push_back(c.tr("exit.carrier." + k));
    tapped = chip_row(c, "exit.carrier.", carriers, e.carrier, c.content_w());
    if (tapped >= 0) f.emit(exit_pass::PickCarrier{tapped});
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_message(c, c.content_w());
    if (next_button(c, "exit.next", e.requester >= 0 && e.carrier >= 0)) f.emit(exit_pass::Next{});
}

// A typing step like the others: the keyboard on the right over the content's height, Next at the
// foot of the left column (a plate is optional, so Next is always on).
void plate_step(ScreenCtx& c, ExitPassFeature& f) {
    float top = ImGui::GetCursorScreenPos().y, left_w = c.content_w() * 0.30f;
    float x = c.content_min.x + left_w + c.ui.m.px(30);
    ImGui::SetCursorScreenPos({x, top});
    draw_text_entry(c, "exit.plate", f.s.plate, c.content_max.x - x, c.content_max.y - top);
    if (typing_next_button(c, "exit.next", true, left_w)) f.emit(exit_pass::Next{});
}

void read_back_step(ScreenCtx& c, ExitPassFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    auto& members = c.st.session.household->members;
    auto line = [&](const char* key, const std::string& value) {
        ui.text_wrapped(c.tr(key) + "  " + value, c.content_w() * 0.95f);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    };
    std::vector<std::pair<std::string, int>> items;
    for (size_t i = 0; i < e.quantities.size(); ++i)
        if (e.quantities[i] > 0) items.emplace_back(exit_pass_items()[i], e.quantities[i]);
    line("exit.readback.items", items_text(c, items));
    line("exit.readback.when", local_date(c.st.wall_now + e.day * 86400, "%Y-%m-%d") + " " +
                                   c.tr("exit.window." + exit_pass_windows()[static_cast<size_t>(e.window)]));
    line("exit.readback.who", members[static_cast<size_t>(e.requester)].name_masked + " · " +
                                  c.tr("exit.carrier." + exit_pass_carriers()[static_cast<size_t>(e.carrier)]));
    if (!e.plate.text.empty()) line("exit.readback.plate", e.plate.text);
    ui.text_wrapped(c.tr("exit.readback.rules"), c.content_w() * 0.95f, ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    draw_message(c, c.content_w());
    if (main_action(c, "exit.submit", c.tr("repair.submit"), true, colour::ok))
        f.emit(exit_pass::Submit{});
}

void done_step(ScreenCtx& c, ExitPassFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    ui.text(c.tr("exit.done.number"), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
    ui.text(e.pass_id, ui.fonts.title, colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(20)});
    ui.text_wrapped(c.tr("exit.done.next"), c.content_w(), ui.fonts.title, colour::ok);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
    if (ui.button("exit.done", c.tr("verify.done"), {ui.m.px(420), ui.m.px(120)}, true, colour::primary))
        c.emit(shell::Done{});
}

}  // namespace

void ExitPassFeature::draw(ScreenCtx& c) {
    // In the order of ExitPassState::Step.
    static constexpr std::array<StepView<ExitPassFeature>, 6> kSteps{{
        {"exit.title.items", items_step},
        {"exit.title.when", when_step},
        {"exit.title.who", who_step},
        {"exit.title.plate", plate_step},
        {"exit.title.readback", read_back_step},
        {"exit.title.done", done_step},
    }};
    draw_steps(c, *this, s.step, kSteps);
}

void ExitReviewFeature::draw(ScreenCtx& c) {
    ExitReviewFeature& f = *this;
    Ui& ui = c.ui;
    auto& r = f.s;
    ImGui::SetCursorScreenPos(c.content_min);
    if (r.step == ExitReviewState::Step::List) {
        ui.text(c.cat.format(c.st.lang, "exit.review.title", {{"count", std::to_string(r.pending.size())}}), ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
        for (size_t i = 0; i < r.pending.size(); ++i) {
            const ExitPass& p = r.pending[i];
            std::string label = p.id + "  " + r.unit_texts[i] + "  " + p.request.date + "  " + items_text(c, p.request.items);
            if (ui.button("exit.review.pass." + std::to_string(i), label, {c.content_w(), ui.m.px(100)}))
                f.emit(exit_review::Open{static_cast<int>(i)});
            ImGui::Dummy({0, ui.m.px(8)});
        }
        if (r.pending.empty()) ui.text(c.tr("exit.review.none"), ui.fonts.body, colour::muted);
        return;
    }
    const ExitPass& p = r.pending[static_cast<size_t>(r.selected)];
    ui.text(p.id + "  " + r.unit_texts[static_cast<size_t>(r.selected)], ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    ui.text(r.requester_name + " (" + c.tr("exit.role." + p.request.requester_role) + ")  " + p.request.date + " " +
            c.tr("exit.window." + p.request.window) + "  " + c.tr("exit.carrier." + p.request.carrier) + "  " + p.request.plate);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    ui.text_wrapped(items_text(c, p.request.items), c.content_w());
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    if (r.step == ExitReviewState::Step::Done) {
        ui.text(c.tr(r.approved ? "exit.review.approved" : "exit.review.rejected"), ui.fonts.title,
                r.approved ? colour::ok : colour::urgent);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        if (r.approved) draw_slip_status(c, r.slip_job, c.content_w());
        return;
    }
    // What stands in the way.
    if (r.review.tenant) ui.text(c.tr("exit.review.tenant"), ui.fonts.body, colour::urgent);
    if (r.review.months_in_arrears > 0) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
        ui.text(c.cat.format(c.st.lang, r.review.rule == ArrearsRule::Block ? "exit.review.arrears_block" : "exit.review.arrears_warn",
                             {{"months", std::to_string(r.review.months_in_arrears)}}),
                ui.fonts.body, colour::urgent);
    }
    if (!r.review.tenant && r.review.months_in_arrears == 0) ui.text(c.tr("exit.review.clear"), ui.fonts.body, colour::ok);
    if (r.review.needs_override()) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
        ui.text(c.tr("exit.review.needs_supervisor"), ui.fonts.body, colour::muted);
    }
    // The reasons as a grid of equal cards between the facts and Reject / Approve: as many columns
    // as the width holds, so that in elder mode too they stay above the two buttons.
    float bw = ui.m.px(420), bh = std::max(ui.m.min_target(), ui.m.flat(120)), gap = ui.m.flat(12);
    float top = ImGui::GetCursorScreenPos().y + ui.m.px(16);
    const auto& ids = exit_review_reasons();
    Grid g = fit_grid(ui, ids.size(), c.content_w(), c.content_max.y - bh - ui.m.px(16) - top, ui.m.px(360),
                      ui.m.min_target(), gap);
    for (size_t i = 0; i < ids.size(); ++i) {
        ImGui::SetCursorScreenPos({c.content_min.x + (i % g.cols) * (g.w + gap), top + (i / g.cols) * (g.h + gap)});
        if (ui.choice("exit.reason." + std::to_string(i), c.tr("exit.reason." + ids[i]), {g.w, g.h},
                      r.reason == static_cast<int>(i)))
            f.emit(exit_review::PickReason{static_cast<int>(i)});
    }
    size_t rows = (ids.size() + g.cols - 1) / g.cols;
    ImGui::SetCursorScreenPos({c.content_min.x, top + rows * (g.h + gap)});
    draw_message(c, c.content_w());
    ImGui::SetCursorScreenPos({c.content_max.x - 2 * bw - ui.m.px(20), c.content_max.y - bh});
    if (ui.button("exit.reject", c.tr("exit.reject"), {bw, bh}, true, colour::urgent)) f.emit(exit_review::Reject{});
    ImGui::SetCursorScreenPos({c.content_max.x - bw, c.content_max.y - bh});
    if (ui.button("exit.approve", c.tr("exit.approve"), {bw, bh}, true, colour::ok)) f.emit(exit_review::Approve{});
}

void GateFeature::draw(ScreenCtx& c) {
    GateFeature& f = *this;
    Ui& ui = c.ui;
    auto& g = f.s;
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr("gate.title"), ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(24)});
    if (!g.scanned) {
        ui.text_wrapped(c.tr("gate.scan"), c.content_w(), ui.fonts.title, colour::muted);
        return;
    }
    bool ok = g.verdict == GateVerdict::LetThrough;
    // The verdict on a band of its colour, readable from a step away.
    ImVec2 band = ImGui::GetCursorScreenPos();
    float band_h = ui.m.px(120);
    ImGui::GetWindowDrawList()->AddRectFilled(band, {c.content_max.x, band.y + band_h}, ok ? colour::ok : colour::urgent,
                                              ui.m.flat(18));
    ImGui::SetCursorScreenPos({band.x + ui.m.px(32), band.y + (band_h - ui.fonts.title->FontSize) * 0.5f});
    ui.text(c.tr("gate.verdict." + std::string(gate_verdict_id(g.verdict))), ui.fonts.title, colour::bar_text);
    ImGui::SetCursorScreenPos({band.x, band.y + band_h});
    if (g.pass) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
        ui.text(g.pass->id + "  " + g.unit_text + "  " + g.pass->request.date + " " +
                    c.tr("exit.window." + g.pass->request.window),
                ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text_wrapped(items_text(c, g.pass->request.items), c.content_w(), ui.fonts.title);
        if (g.verdict == GateVerdict::AlreadyUsed && g.pass->used_at) {
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
            ui.text(c.cat.format(c.st.lang, "gate.used_at", {{"time", local_date(g.pass->used_at, "%m-%d %H:%M")}}));
        }
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(24)});
    ui.text(c.tr("gate.scan"), ui.fonts.body, colour::muted);
}

}  // namespace kiosk::ui
