#pragma once
// "My requests" (我的工单): the household's repairs and complaints, one case's timeline, and the
// rating of finished work.
#include <vector>

#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct MyRequestsState {
    enum class Step { List, Detail, Rate, Rated } step = Step::List;
    std::vector<HouseholdCase> cases;
    int selected = -1;
    int stars = 0;
    TextEntry comment;
};

namespace my_requests {
struct OpenCase { int index; };
struct Rate {};
struct Stars { int stars; };
struct SubmitRating {};
}  // namespace my_requests

class MyRequestsFeature : public Module<MyRequestsFeature, MyRequestsState, my_requests::OpenCase, my_requests::Rate,
                                        my_requests::Stars, my_requests::SubmitRating> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    TextEntry* active_text() override { return s.step == MyRequestsState::Step::Rate ? &s.comment : nullptr; }

    void on(FeatureCtx& x, const my_requests::OpenCase& in);
    void on(FeatureCtx& x, const my_requests::Rate& in);
    void on(FeatureCtx& x, const my_requests::Stars& in);
    void on(FeatureCtx& x, const my_requests::SubmitRating& in);
};

}  // namespace kiosk::ui
