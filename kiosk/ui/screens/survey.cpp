// Satisfaction survey (满意度调查): a few questions from the site, each answered with one tap of
// five big buttons; anonymous unless the resident chooses otherwise; once per household.
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

void SurveyFeature::draw(ScreenCtx& c) {
    SurveyFeature& f = *this;
    Ui& ui = c.ui;
    auto& sv = f.s;
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text_wrapped(sv.title.in(c.st.lang).empty() ? c.tr("service.survey") : sv.title.in(c.st.lang), c.content_w(),
                    ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(20)});
    switch (sv.step) {
        case SurveyState::Step::Intro: {
            if (sv.questions.empty()) {
                ui.text(c.tr("survey.none"), ui.fonts.body, colour::muted);
                break;
            }
            ui.text_wrapped(c.cat.format(c.st.lang, "survey.intro", {{"n", std::to_string(sv.questions.size())}}),
                            c.content_w() * 0.7f);
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(30)});
            if (ui.choice("survey.anonymous", c.tr(sv.anonymous ? "survey.anonymous.on" : "survey.anonymous.off"),
                          {c.content_w() * 0.6f, ui.m.px(110)}, sv.anonymous))
                f.emit(survey::ToggleAnonymous{});
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
            ui.text_wrapped(c.tr(sv.anonymous ? "survey.anonymous.note_on" : "survey.anonymous.note_off"),
                            c.content_w() * 0.6f, ui.fonts.body, colour::muted);
            if (next_button(c, "survey.start", true)) f.emit(survey::Start{});
            break;
        }
        case SurveyState::Step::Question: {
            const SurveyQuestion& q = sv.questions[sv.index];
            ui.text(c.cat.format(c.st.lang, "survey.progress",
                                 {{"i", std::to_string(sv.index + 1)}, {"n", std::to_string(sv.questions.size())}}),
                    ui.fonts.body, colour::muted);
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
            ui.text_wrapped(q.text.in(c.st.lang), c.content_w(), ui.fonts.title, colour::primary);
            float gap = ui.m.px(20), w = (c.content_w() - 4 * gap) / 5, h = ui.m.px(220);
            float y = ImGui::GetCursorScreenPos().y + ui.m.px(40);
            for (int s = 1; s <= 5; ++s) {
                ImGui::SetCursorScreenPos({c.content_min.x + (s - 1) * (w + gap), y});
                std::string label = std::to_string(s) + "\n" + c.tr("my.stars.label." + std::to_string(s));
                // An answer given before (the resident came Back to change it) shows as chosen.
                bool given = sv.index < sv.answers.size() && sv.answers[sv.index] == s;
                if (ui.choice("survey.answer." + std::to_string(s), label, {w, h}, given,
                              s >= 4 ? colour::good_pale : s <= 2 ? colour::bad_pale : colour::button, ui.fonts.title))
                    f.emit(survey::Answer{s});
            }
            ImGui::SetCursorScreenPos({c.content_min.x, y + h + ui.m.px(20)});
            draw_message(c, c.content_w());
            break;
        }
        case SurveyState::Step::Thanks:
        case SurveyState::Step::Already:
            ui.text_wrapped(c.tr(sv.step == SurveyState::Step::Thanks ? "survey.thanks" : "survey.already"),
                            c.content_w() * 0.8f, ui.fonts.title, colour::ok);
            ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
            if (ui.button("survey.done", c.tr("verify.done"), {ui.m.px(420), ui.m.px(120)}, true, colour::primary))
                c.emit(shell::Done{});
            break;
    }
}

}  // namespace kiosk::ui
