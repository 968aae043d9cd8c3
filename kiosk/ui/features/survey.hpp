#pragma once
// The satisfaction survey (满意度调查): one answer per household per survey, optionally anonymous.
#include <string>
#include <vector>

#include "kiosk/core/site_facts.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

using SurveyQuestion = SurveyQuestionFact;

struct SurveyState {
    enum class Step { Intro, Question, Thanks, Already } step = Step::Intro;
    std::string id;
    LocalText title;
    std::vector<SurveyQuestion> questions;
    bool anonymous = true;
    size_t index = 0;
    std::vector<int> answers;   // 1..5, one per question answered so far
};

namespace survey {
struct ToggleAnonymous {};
struct Start {};
struct Answer { int score; };
}  // namespace survey

class SurveyFeature : public Module<SurveyFeature, SurveyState, survey::ToggleAnonymous, survey::Start, survey::Answer> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;

    void on(FeatureCtx& x, const survey::ToggleAnonymous& in);
    void on(FeatureCtx& x, const survey::Start& in);
    void on(FeatureCtx& x, const survey::Answer& in);
};

}  // namespace kiosk::ui
