#include "kiosk/ui/features/survey.hpp"

#include "kiosk/store/store.hpp"

namespace kiosk::ui {

using Step = SurveyState::Step;

void SurveyFeature::open(FeatureCtx& x, Screen screen) {
    s = SurveyState{};
    if (const auto& survey = x.st.site.facts.survey) {
        s.id = survey->id;
        s.title = survey->title;
        // Outside the survey's period there is nothing to answer.
        if (survey_open(*survey, x.st.wall_now)) s.questions = survey->questions;
    }
    if (x.store && !s.id.empty() && x.ses().household && x.store->cases().survey_answered(s.id, x.ses().household->unit_id))
        s.step = Step::Already;
    x.shell.go(screen);
}

bool SurveyFeature::back(FeatureCtx&) {
    if (s.step != Step::Question) return false;
    // The answer given to the question returned to is kept, to show as chosen until it is changed.
    if (s.index == 0) s.step = Step::Intro;
    else --s.index;
    return true;
}

void SurveyFeature::on(FeatureCtx&, const survey::ToggleAnonymous&) { s.anonymous = !s.anonymous; }

void SurveyFeature::on(FeatureCtx&, const survey::Start&) {
    if (s.questions.empty()) return;
    s.step = Step::Question;
    s.index = 0;
    s.answers.clear();
}

void SurveyFeature::on(FeatureCtx& x, const survey::Answer& in) {
    auto& ses = x.ses();
    if (s.step != Step::Question || in.score < 1 || in.score > 5 || s.index >= s.questions.size()) return;
    // Answers past this one, given before a Back, stay, shown as chosen when their question returns.
    if (s.answers.size() > s.index) s.answers[s.index] = in.score;
    else s.answers.push_back(in.score);
    if (++s.index < s.questions.size()) return;
    std::vector<std::pair<std::string, int>> answers;
    for (size_t i = 0; i < s.questions.size(); ++i) answers.emplace_back(s.questions[i].id, s.answers[i]);
    auto saved = x.store && ses.household
                     ? x.store->cases().save_survey(s.id, ses.household->unit_id, s.anonymous, answers, x.st.wall_now)
                     : Result<Ok>(Error{"survey.error.incomplete", "no store or household"});
    if (!saved) {
        s.step = saved.error().key == "survey.already" ? Step::Already : Step::Question;
        s.index = s.questions.size() - 1;
        return x.say(saved.error().key);
    }
    s.answers.clear();
    s.step = Step::Thanks;
    ses.back_stack.clear();
    x.saved();
}

}  // namespace kiosk::ui
