#include "kiosk/ui/features/my_requests.hpp"

#include <algorithm>

#include "kiosk/store/store.hpp"

namespace kiosk::ui {

using Step = MyRequestsState::Step;

void MyRequestsFeature::open(FeatureCtx& x, Screen screen) {
    s = MyRequestsState{};
    if (x.store && x.ses().household) s.cases = x.store->cases().household_cases(x.ses().household->unit_id);
    x.shell.go(screen);
}

bool MyRequestsFeature::back(FeatureCtx& x) {
    if (s.step == Step::List) return false;
    s.step = s.step == Step::Rate ? Step::Detail : Step::List;
    x.quiet();
    return true;
}

void MyRequestsFeature::on(FeatureCtx&, const my_requests::OpenCase& in) {
    if (in.index < 0 || in.index >= static_cast<int>(s.cases.size())) return;
    s.selected = in.index;
    s.step = Step::Detail;
}

void MyRequestsFeature::on(FeatureCtx& x, const my_requests::Rate&) {
    s.step = Step::Rate;
    s.stars = 0;
    s.comment = TextEntry{};
    s.comment.max_chars = 100;
    s.comment.chinese = x.chinese();
}

void MyRequestsFeature::on(FeatureCtx&, const my_requests::Stars& in) { s.stars = std::clamp(in.stars, 1, 5); }

void MyRequestsFeature::on(FeatureCtx& x, const my_requests::SubmitRating&) {
    if (!x.store || s.selected < 0 || s.selected >= static_cast<int>(s.cases.size())) return;
    if (!s.comment.pinyin.empty()) text_entry_key(s.comment, "space", {x.typing.pinyin, nullptr});
    auto r = x.store->cases().save_follow_up(s.cases[s.selected].ticket, s.stars, s.comment.text, x.st.wall_now);
    if (!r) return x.say(r.error().key);
    std::string ticket = s.cases[s.selected].ticket;
    s.cases = x.store->cases().household_cases(x.ses().household->unit_id);
    for (size_t i = 0; i < s.cases.size(); ++i)
        if (s.cases[i].ticket == ticket) s.selected = static_cast<int>(i);
    s.comment = TextEntry{};
    s.step = Step::Rated;
    x.say_ok("my.thanks");
    x.saved();
}

}  // namespace kiosk::ui
