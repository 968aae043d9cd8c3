// Repair request (报修): what is broken, how urgent, where, in the resident's words (preset phrases
// and pinyin), who to call back; read back before saving; then the ticket, the promise in words
// and the ticket's QR code.
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {

std::string window_text(const ScreenCtx& c, const TimeWindow& w) { return repair_window_text(c.cat, c.st.lang, w); }
std::string location_text(const ScreenCtx& c, const RepairState& r) { return repair_location_text(c.cat, c.st, r); }

bool next_button(ScreenCtx& c, RepairFeature& f, bool enabled) {
    bool tapped = ui::next_button(c, "repair.next", enabled);
    if (tapped) f.emit(repair::Next{});
    return tapped;
}

void category_step(ScreenCtx& c, RepairFeature& f) {
    Ui& ui = c.ui;
    int cols = c.st.elder ? 2 : 4;
    int rows = (kRepairCategoryCount + cols - 1) / cols;
    float gap = ui.m.flat(20);
    float top = ImGui::GetCursorScreenPos().y;
    float tw = (c.content_w() - gap * (cols - 1)) / cols;
    float th = std::max(ui.m.min_target(), (c.content_max.y - top - gap * (rows - 1)) / rows);
    for (int i = 0; i < kRepairCategoryCount; ++i) {
        auto cat = static_cast<RepairCategory>(i);
        std::string id(repair_category_id(cat));
        ImGui::SetCursorScreenPos({c.content_min.x + (i % cols) * (tw + gap), top + (i / cols) * (th + gap)});
        if (ui.tile("repair.category." + id, c.tr("repair.category." + id), c.tr(repair_scope_hint_key(cat)), {tw, th},
                    cat == RepairCategory::Gas ? colour::urgent : colour::primary))
            f.emit(repair::PickCategory{i});
    }
}

void urgency_step(ScreenCtx& c, RepairFeature& f) {
    Ui& ui = c.ui;
    auto& r = f.s;
    float y = ImGui::GetCursorScreenPos().y;
    float gap = ui.m.flat(24), w = (c.content_w() - gap) / 2, h = std::min(ui.m.px(200), (c.content_max.y - y) * 0.26f);
    ImGui::SetCursorScreenPos({c.content_min.x, y});
    if (ui.tile("repair.urgency.emergency", c.tr("repair.urgency.emergency"), c.tr("repair.urgency.emergency.hint"),
                {w, h}, r.urgency == 0 ? colour::urgent : colour::button, r.urgency == 0))
        f.emit(repair::PickUrgency{0});
    ImGui::SetCursorScreenPos({c.content_min.x + w + gap, y});
    if (ui.tile("repair.urgency.appointment", c.tr("repair.urgency.appointment"),
                c.tr("repair.urgency.appointment.hint"), {w, h}, r.urgency == 1 ? colour::primary : colour::button, r.urgency == 1))
        f.emit(repair::PickUrgency{1});
    if (r.urgency == 1) {
        ImGui::SetCursorScreenPos({c.content_min.x, y + h + ui.m.px(24)});
        ui.text(c.tr("repair.pick_window"));
        // The windows left of Next and above the bottom bar: in elder mode more columns of
        // smaller text rather than rows under the bar.
        float wg = ui.m.flat(14), wy = ImGui::GetCursorScreenPos().y + ui.m.flat(8);
        Grid g = fit_grid(ui, r.windows.size(), c.content_w() - main_action_w(ui) - ui.m.flat(24), c.content_max.y - wy,
                          ui.m.flat(340), ui.m.px(100), wg);
        for (size_t i = 0; i < r.windows.size(); ++i) {
            ImGui::SetCursorScreenPos({c.content_min.x + (i % g.cols) * (g.w + wg), wy + (i / g.cols) * (g.h + wg)});
            if (ui.choice("repair.window." + std::to_string(i), window_text(c, r.windows[i]), {g.w, g.h},
                          r.window == static_cast<int>(i)))
                f.emit(repair::PickWindow{static_cast<int>(i)});
        }
        if (r.windows.empty()) ui.text(c.tr("repair.no_windows"), nullptr, colour::urgent);
    }
    next_button(c, f, r.urgency == 0 || (r.urgency == 1 && r.window >= 0));
}

void location_step(ScreenCtx& c, RepairFeature& f) {
    Ui& ui = c.ui;
    auto& r = f.s;
    std::string own = c.cat.format(c.st.lang, "repair.location.own", {{"unit", household_flat(c)}});
    if (ui.choice("repair.location.own", own, {c.content_w() * 0.5f, ui.m.px(120)}, r.own_unit, colour::button, ui.fonts.title))
        f.emit(repair::PickOwnUnit{});
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(20)});
    ui.text(c.tr("repair.location.public"));
    float gap = ui.m.flat(14), y = ImGui::GetCursorScreenPos().y + ui.m.flat(8);
    Grid g = fit_grid(ui, r.areas.size(), c.content_w() - main_action_w(ui) - ui.m.flat(24), c.content_max.y - y, ui.m.flat(330),
                      ui.m.px(100), gap);
    for (size_t i = 0; i < r.areas.size(); ++i) {
        ImGui::SetCursorScreenPos({c.content_min.x + (i % g.cols) * (g.w + gap), y + (i / g.cols) * (g.h + gap)});
        if (ui.choice("repair.area." + r.areas[i].id, r.areas[i].name.in(c.st.lang), {g.w, g.h}, r.area == static_cast<int>(i)))
            f.emit(repair::PickArea{static_cast<int>(i)});
    }
    next_button(c, f, r.own_unit || r.area >= 0);
}

void describe_step(ScreenCtx& c, RepairFeature& f) {
    Ui& ui = c.ui;
    auto& r = f.s;
    float y = ImGui::GetCursorScreenPos().y;
    // Left: the phrase chips of the category; right: the resident's own words.
    float left_w = c.content_w() * 0.30f;
    auto phrases = repair_phrases(static_cast<RepairCategory>(r.category));
    float chip_y = y, phrase_h = typing_phrase_h(c, phrases.size(), y);
    for (auto& ph : phrases) {
        std::string key = "repair.phrase." + std::string(ph.id);
        bool on = std::find(r.phrases.begin(), r.phrases.end(), key) != r.phrases.end();
        ImGui::SetCursorScreenPos({c.content_min.x, chip_y});
        if (ui.choice(key, c.tr(key), {left_w, phrase_h}, on))
            f.emit(repair::TogglePhrase{key});
        chip_y += phrase_h + typing_phrase_gap(c);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, chip_y});
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    draw_message(c, left_w);
    float x = c.content_min.x + left_w + ui.m.px(30);
    ImGui::SetCursorScreenPos({x, y});
    draw_text_entry(c, "repair.text", r.text, c.content_max.x - x, c.content_max.y - y);
    if (typing_next_button(c, "repair.next", !r.phrases.empty() || !r.text.text.empty() || !r.text.pinyin.empty(), left_w))
        f.emit(repair::Next{});
}

void contact_step(ScreenCtx& c, RepairFeature& f) {
    Ui& ui = c.ui;
    auto& r = f.s;
    auto& members = c.st.session.household->members;
    for (size_t i = 0; i < members.size(); ++i) {
        std::string label = members[i].name_masked + "    " + members[i].phone_masked;
        if (ui.choice("repair.contact." + std::to_string(i), label, {c.content_w() * 0.6f, ui.m.px(110)},
                      r.contact == static_cast<int>(i), colour::button, ui.fonts.title))
            f.emit(repair::PickContact{static_cast<int>(i)});
        ImGui::Dummy({0, ui.m.px(8)});
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    ui.text_wrapped(c.tr("repair.contact.hint"), c.content_w() * 0.6f, ui.fonts.body, colour::muted);
    next_button(c, f, r.contact >= 0 && r.contact < static_cast<int>(members.size()));
}

void read_back_step(ScreenCtx& c, RepairFeature& f) {
    Ui& ui = c.ui;
    auto& r = f.s;
    auto line = [&](const char* label_key, const std::string& value) {
        ui.text_wrapped(c.tr(label_key) + "  " + value, c.content_w() * 0.95f);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    };
    auto cat = static_cast<RepairCategory>(r.category);
    line("repair.readback.category", c.tr("repair.category." + std::string(repair_category_id(cat))));
    line("repair.readback.when", r.urgency == 0 ? c.tr("repair.urgency.emergency")
                                                : c.tr("repair.urgency.appointment") + "  " + window_text(c, r.windows[r.window]));
    line("repair.readback.where", location_text(c, r));
    std::string what;
    for (auto& p : r.phrases) what += (what.empty() ? "" : c.tr("repair.phrase_separator")) + c.tr(p);
    if (!r.text.text.empty()) what += (what.empty() ? "" : c.tr("repair.phrase_separator")) + r.text.text;
    line("repair.readback.what", what);
    auto& m = c.st.session.household->members[r.contact];
    line("repair.readback.contact", m.name_masked + "  " + m.phone_masked);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    draw_message(c, c.content_w());
    if (main_action(c, "repair.submit", c.tr("repair.submit"), true, colour::ok))
        f.emit(repair::Submit{});
}

void done_step(ScreenCtx& c, RepairFeature& f) {
    Ui& ui = c.ui;
    auto& r = f.s;
    float qr_side = ui.m.px(360);
    float text_w = c.content_w() - qr_side - ui.m.px(60);
    float y = ImGui::GetCursorScreenPos().y;
    ui.text(c.tr("repair.done.ticket"), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
    ui.text(r.ticket, ui.fonts.title, colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(20)});
    ui.text_wrapped(repair_promise_text(c.cat, c.st, r), text_w, ui.fonts.title, colour::ok);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    ui.text_wrapped(repair_due_text(c.cat, c.st, r), text_w);
    if (r.promise.follow_up_by) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
        ui.text_wrapped(c.tr("repair.promise.follow_up"), text_w);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    ui.text_wrapped(c.tr("repair.done.thanks"), text_w, ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_slip_status(c, r.receipt_job, text_w);
    if (r.ticket_qr) {
        ImGui::SetCursorScreenPos({c.content_max.x - qr_side, y});
        ui.qr("repair.ticket_qr", *r.ticket_qr, qr_side);
        ImGui::SetCursorScreenPos({c.content_max.x - qr_side, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text_centred(c.tr("repair.done.qr_hint"), qr_side, ui.fonts.body, colour::muted);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
    if (ui.button("repair.done", c.tr("verify.done"), {ui.m.px(420), ui.m.px(120)}, true, colour::primary))
        c.emit(shell::Done{});
}

// In the order of RepairState::Step.
constexpr std::array<StepView<RepairFeature>, 7> kSteps{{
    {"repair.title.category", category_step},
    {"repair.title.urgency", urgency_step},
    {"repair.title.location", location_step},
    {"repair.title.describe", describe_step},
    {"repair.title.contact", contact_step},
    {"repair.title.readback", read_back_step},
    {"repair.title.done", done_step},
}};
}  // namespace

void RepairFeature::draw(ScreenCtx& c) { draw_steps(c, *this, s.step, kSteps); }

std::string RepairFeature::spoken(const AppState& st, const Catalog& cat) const {
    std::string title = cat.tr(st.lang, kSteps[static_cast<size_t>(s.step)].title_key);
    if (s.step == RepairState::Step::Urgency)
        return spoken_sentences(st.lang, {title, cat.tr(st.lang, "repair.urgency.emergency"), cat.tr(st.lang, "repair.urgency.appointment")});
    return title;
}

}  // namespace kiosk::ui
