// Complaints and suggestions (投诉建议): the kind, what happened (phrases and the resident's own
// words), where, when, about whom, what they want; read back; then the ticket and when we reply.
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {
bool next(ScreenCtx& c, ComplaintFeature& f, bool enabled) {
    bool tapped = next_button(c, "complaint.next", enabled);
    if (tapped) f.emit(complaint::Next{});
    return tapped;
}

std::vector<std::string> labels(const ScreenCtx& c, std::span<const std::string_view> ids, const char* prefix) {
    std::vector<std::string> out;
    for (auto id : ids) out.push_back(c.tr(std::string(prefix) + std::string(id)));
    return out;
}

void kind_step(ScreenCtx& c, ComplaintFeature& f) {
    Ui& ui = c.ui;
    int cols = c.st.elder ? 2 : 3, rows = (kComplaintKindCount + cols - 1) / cols;
    float gap = ui.m.flat(20), top = ImGui::GetCursorScreenPos().y;
    float tw = (c.content_w() - gap * (cols - 1)) / cols;
    float th = std::max(ui.m.min_target(), (c.content_max.y - top - gap * (rows - 1)) / rows);
    for (int i = 0; i < kComplaintKindCount; ++i) {
        std::string id(complaint_kind_id(static_cast<ComplaintKind>(i)));
        ImGui::SetCursorScreenPos({c.content_min.x + (i % cols) * (tw + gap), top + (i / cols) * (th + gap)});
        if (ui.tile("complaint.kind." + id, c.tr("complaint.kind." + id), c.tr("complaint.kind." + id + ".hint"), {tw, th},
                    id == "suggestion" ? colour::ok : colour::complaint))
            f.emit(complaint::PickKind{i});
    }
}

void details_step(ScreenCtx& c, ComplaintFeature& f) {
    Ui& ui = c.ui;
    auto& cs = f.s;
    float y = ImGui::GetCursorScreenPos().y, left_w = c.content_w() * 0.30f, chip_y = y;
    auto phrases = complaint_phrases(static_cast<ComplaintKind>(cs.kind));
    float phrase_h = typing_phrase_h(c, phrases.size(), y);
    for (auto id : phrases) {
        std::string key = "complaint.phrase." + std::string(id);
        bool on = std::find(cs.phrases.begin(), cs.phrases.end(), key) != cs.phrases.end();
        ImGui::SetCursorScreenPos({c.content_min.x, chip_y});
        if (ui.choice(key, c.tr(key), {left_w, phrase_h}, on))
            f.emit(complaint::TogglePhrase{key});
        chip_y += phrase_h + typing_phrase_gap(c);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, chip_y});
    draw_message(c, left_w);
    float x = c.content_min.x + left_w + ui.m.px(30);
    ImGui::SetCursorScreenPos({x, y});
    draw_text_entry(c, "complaint.text", cs.text, c.content_max.x - x, c.content_max.y - y);
    if (typing_next_button(c, "complaint.next", !cs.phrases.empty() || !cs.text.text.empty() || !cs.text.pinyin.empty(), left_w))
        f.emit(complaint::Next{});
}

// One of the four questions (where, when, about whom, what they want), alone on its screen: the
// step's title asks it, a progress line says which of the four it is, the answers are big cards
// over the full width (in elder mode left of Next, one column while they fit), and Next stays where
// it is on every step.
void question(ScreenCtx& c, ComplaintFeature& f, complaint::Question q, const char* field,
              const std::vector<std::string>& options, int chosen) {
    Ui& ui = c.ui;
    int n = static_cast<int>(q) + 1;
    ui.text(c.cat.format(c.st.lang, "complaint.progress", {{"n", std::to_string(n)}, {"of", "4"}}), ui.fonts.body,
            colour::muted);
    int cols = c.st.elder ? 1 : 2;
    float gap = ui.m.px(16), top = ImGui::GetCursorScreenPos().y + ui.m.px(12);
    float w = (c.content_w() - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    float h = std::max(ui.m.min_target(), ui.m.px(110));
    if (c.st.elder) {
        // Elder cards are tall: they stand left of Next, down to the bottom, in one column while
        // the height holds them and in more columns (shorter cards, never under a target) when not.
        float region_w = c.content_w() - ui.m.px(480) - gap, region_h = c.content_max.y - top;
        int rows = std::max(1, static_cast<int>((region_h + gap) / (ui.m.min_target() + gap)));
        cols = std::max(1, static_cast<int>((options.size() + rows - 1) / rows));
        rows = static_cast<int>((options.size() + cols - 1) / cols);
        w = (region_w - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
        h = std::max(ui.m.min_target(), std::min(h, (region_h - gap * static_cast<float>(rows - 1)) / rows));
    }
    for (size_t i = 0; i < options.size(); ++i) {
        int col = static_cast<int>(i) % cols, row = static_cast<int>(i) / cols;
        ImGui::SetCursorScreenPos({c.content_min.x + static_cast<float>(col) * (w + gap), top + static_cast<float>(row) * (h + gap)});
        if (ui.choice(std::string("complaint.") + field + "." + std::to_string(i), options[i], {w, h},
                      chosen == static_cast<int>(i), colour::button, ui.fonts.title, true))
            f.emit(complaint::Answer{q, static_cast<int>(i)});
    }
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
    draw_message(c, c.content_w() - ui.m.px(460));
    next(c, f, chosen >= 0 || q == complaint::Question::About);
}

void where_step(ScreenCtx& c, ComplaintFeature& f) {
    auto& cs = f.s;
    std::vector<std::string> where{c.cat.format(c.st.lang, "repair.location.own", {{"unit", household_flat(c)}})};
    for (auto& a : cs.areas) where.push_back(a.name.in(c.st.lang));
    where.push_back(c.tr("complaint.where.elsewhere"));
    question(c, f, complaint::Question::Where, "where", where, cs.where);
}
void when_step(ScreenCtx& c, ComplaintFeature& f) {
    question(c, f, complaint::Question::When, "when", labels(c, complaint_when_ids(), "complaint.when."), f.s.when);
}
void about_step(ScreenCtx& c, ComplaintFeature& f) {
    question(c, f, complaint::Question::About, "about", labels(c, complaint_about_ids(), "complaint.about."), f.s.about);
}
void wants_step(ScreenCtx& c, ComplaintFeature& f) {
    question(c, f, complaint::Question::Wants, "wants", labels(c, complaint_wants_ids(), "complaint.wants."), f.s.wants);
}

void contact_step(ScreenCtx& c, ComplaintFeature& f) {
    Ui& ui = c.ui;
    auto& cs = f.s;
    auto& members = c.st.session.household->members;
    for (size_t i = 0; i < members.size(); ++i) {
        if (ui.choice("complaint.contact." + std::to_string(i), members[i].name_masked + "    " + members[i].phone_masked,
                      {c.content_w() * 0.6f, ui.m.px(110)}, cs.contact == static_cast<int>(i), colour::button, ui.fonts.title))
            f.emit(complaint::PickContact{static_cast<int>(i)});
        ImGui::Dummy({0, ui.m.px(8)});
    }
    next(c, f, cs.contact >= 0 && cs.contact < static_cast<int>(members.size()));
}

void read_back_step(ScreenCtx& c, ComplaintFeature& f) {
    Ui& ui = c.ui;
    auto& cs = f.s;
    auto line = [&](const char* label_key, const std::string& value) {
        if (value.empty()) return;
        ui.text_wrapped(c.tr(label_key) + "  " + value, c.content_w() * 0.95f);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    };
    std::string what;
    for (auto& p : cs.phrases) what += (what.empty() ? "" : c.tr("repair.phrase_separator")) + c.tr(p);
    if (!cs.text.text.empty()) what += (what.empty() ? "" : c.tr("repair.phrase_separator")) + cs.text.text;
    auto pick = [&](std::span<const std::string_view> ids, int i, const char* prefix) {
        return i >= 0 && i < static_cast<int>(ids.size()) ? c.tr(std::string(prefix) + std::string(ids[i])) : std::string();
    };
    std::string where = cs.where == 0 ? household_flat(c)
                        : cs.where <= static_cast<int>(cs.areas.size()) ? cs.areas[cs.where - 1].name.in(c.st.lang)
                                                                         : c.tr("complaint.where.elsewhere");
    line("complaint.readback.kind", c.tr("complaint.kind." + std::string(complaint_kind_id(static_cast<ComplaintKind>(cs.kind)))));
    line("complaint.readback.what", what);
    line("complaint.readback.where", where + "  " + pick(complaint_when_ids(), cs.when, "complaint.when."));
    line("complaint.readback.about", pick(complaint_about_ids(), cs.about, "complaint.about."));
    line("complaint.readback.wants", pick(complaint_wants_ids(), cs.wants, "complaint.wants."));
    auto& m = c.st.session.household->members[cs.contact];
    line("repair.readback.contact", m.name_masked + "  " + m.phone_masked);
    draw_message(c, c.content_w());
    if (main_action(c, "complaint.submit", c.tr("repair.submit"), true, colour::ok))
        f.emit(complaint::Submit{});
}

void done_step(ScreenCtx& c, ComplaintFeature& f) {
    Ui& ui = c.ui;
    auto& cs = f.s;
    float qr_side = ui.m.px(360), text_w = c.content_w() - qr_side - ui.m.px(60);
    float y = ImGui::GetCursorScreenPos().y;
    ui.text(c.tr("complaint.done.ticket"), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
    ui.text(cs.ticket, ui.fonts.title, colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(20)});
    ui.text_wrapped(c.cat.format(c.st.lang, "complaint.promise", {{"time", deadline_text(cs.reply_by)}}),
                    text_w, ui.fonts.title, colour::ok);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    ui.text_wrapped(c.tr("complaint.done.thanks"), text_w, ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_slip_status(c, cs.receipt_job, text_w);
    if (cs.ticket_qr) {
        ImGui::SetCursorScreenPos({c.content_max.x - qr_side, y});
        ui.qr("complaint.ticket_qr", *cs.ticket_qr, qr_side);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
    if (ui.button("complaint.done", c.tr("verify.done"), {ui.m.px(420), ui.m.px(120)}, true, colour::primary))
        c.emit(shell::Done{});
}
}  // namespace

void ComplaintFeature::draw(ScreenCtx& c) {
    // In the order of ComplaintState::Step.
    static constexpr std::array<StepView<ComplaintFeature>, 9> kSteps{{
        {"complaint.title.kind", kind_step},
        {"complaint.title.details", details_step},
        {"complaint.title.where", where_step},
        {"complaint.title.when", when_step},
        {"complaint.title.about", about_step},
        {"complaint.title.wants", wants_step},
        {"repair.title.contact", contact_step},
        {"complaint.title.readback", read_back_step},
        {"complaint.title.done", done_step},
    }};
    draw_steps(c, *this, s.step, kSteps);
}

}  // namespace kiosk::ui
