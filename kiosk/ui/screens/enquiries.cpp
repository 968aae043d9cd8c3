// Enquiries (咨询): the estate's facts, fee standards, emergency numbers and how-tos from the
// site's data; what is not there is recorded with a number to call back — never "I don't know".
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {
// "My question isn't here", under the topics and under each answer.
void ask_button(ScreenCtx& c, EnquiriesFeature& f) {
    Ui& ui = c.ui;
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
    if (ui.button("enquiry.ask", c.tr("enquiry.ask"), {c.content_w() * 0.5f, ui.m.px(120)}, true, colour::primary))
        f.emit(enquiries::Ask{});
}

void topics_step(ScreenCtx& c, EnquiriesFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    float gap = ui.m.flat(18), y = ImGui::GetCursorScreenPos().y;
    // Rows that end above the Ask button.
    Grid g = fit_grid(ui, e.topics.size(), c.content_w(), c.content_max.y - ui.m.px(120) - ui.m.px(24) - y,
                      c.st.elder ? ui.m.flat(560) : ui.m.px(560), ui.m.px(130), gap);
    float cols = static_cast<float>(g.cols), bw = g.w, bh = g.h;
    for (size_t i = 0; i < e.topics.size(); ++i) {
        int col = static_cast<int>(i) % static_cast<int>(cols), row = static_cast<int>(i) / static_cast<int>(cols);
        ImGui::SetCursorScreenPos({c.content_min.x + col * (bw + gap), y + row * (bh + gap)});
        if (ui.button("enquiry.topic." + e.topics[i].id, e.topics[i].title.in(c.st.lang), {bw, bh}, true, colour::button,
                      ui.fonts.title))
            f.emit(enquiries::OpenTopic{static_cast<int>(i)});
    }
    ask_button(c, f);
}

void topic_step(ScreenCtx& c, EnquiriesFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    const EnquiryTopic& t = e.topics[e.selected];
    ui.text(t.title.in(c.st.lang), ui.fonts.title, colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    // A long answer (elder mode's larger text) gets ◀ ▶ page buttons above the Ask button.
    float top = ImGui::GetCursorScreenPos().y;
    float room = c.content_max.y - top - ui.m.px(140);
    const std::string& body = t.body.in(c.st.lang);
    bool paged = ui.fit(body, {c.content_w() - ui.m.flat(30), 0}, ui.fonts.body).size.y > room;
    if (paged) room -= ui.pager_h() + ui.m.px(12);
    ui.begin_drag_scroll("enquiry.body", {c.content_w(), room}, c.st.session.list_scroll);
    ui.text_wrapped(body, c.content_w() - ui.m.flat(30));
    auto extent = ui.end_drag_scroll(c.st.session.list_scroll);
    if (paged) {
        ImGui::SetCursorScreenPos({c.content_min.x, top + room + ui.m.px(6)});
        ui.scroll_pager("enquiry.body.pages", c.st.session.list_scroll, extent, c.content_w());
    }
    ask_button(c, f);
}

void ask_step(ScreenCtx& c, EnquiriesFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    float y = ImGui::GetCursorScreenPos().y, left_w = c.content_w() * 0.28f;
    ui.text_wrapped(c.tr("enquiry.ask.hint"), left_w, ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_message(c, left_w);
    float x = c.content_min.x + left_w + ui.m.px(30);
    ImGui::SetCursorScreenPos({x, y});
    draw_text_entry(c, "enquiry.question", e.question, c.content_max.x - x, c.content_max.y - y);
    if (typing_next_button(c, "enquiry.next", !e.question.text.empty() || !e.question.pinyin.empty(), left_w))
        f.emit(enquiries::Next{});
}

void phone_step(ScreenCtx& c, EnquiriesFeature& f) {
    auto& e = f.s;
    if (draw_keypad_entry(c, c.tr("enquiry.phone.prompt"), "enquiry.phone", e.phone, c.tr("enquiry.phone.placeholder"),
                          false, 12, "enquiry.submit", c.tr("repair.submit"), e.phone.size() >= 10, colour::ok))
        f.emit(enquiries::Submit{});
}

void asked_step(ScreenCtx& c, EnquiriesFeature& f) {
    Ui& ui = c.ui;
    auto& e = f.s;
    ui.text(c.tr("enquiry.asked.ticket"), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
    ui.text(e.ticket, ui.fonts.title, colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(20)});
    ui.text_wrapped(c.tr("enquiry.asked.promise"), c.content_w() * 0.8f, ui.fonts.title, colour::ok);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
    if (ui.button("enquiry.done", c.tr("verify.done"), {ui.m.px(420), ui.m.px(120)}, true, colour::primary))
        c.emit(shell::Home{});
}
}  // namespace

void EnquiriesFeature::draw(ScreenCtx& c) {
    EnquiriesFeature& f = *this;
    Ui& ui = c.ui;
    auto& e = f.s;
    static constexpr const char* kTitles[5] = {"enquiry.title", "enquiry.title", "enquiry.title.ask",
                                               "enquiry.title.phone", "enquiry.title.asked"};
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr(kTitles[static_cast<int>(e.step)]), ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    switch (e.step) {
        case EnquiryState::Step::Topics: topics_step(c, f); break;
        case EnquiryState::Step::Topic:
            if (e.selected >= 0 && e.selected < static_cast<int>(e.topics.size())) topic_step(c, f);
            break;
        case EnquiryState::Step::Ask: ask_step(c, f); break;
        case EnquiryState::Step::Phone: phone_step(c, f); break;
        case EnquiryState::Step::Asked: asked_step(c, f); break;
    }
}

}  // namespace kiosk::ui
