#include "kiosk/ui/features/enquiries.hpp"

#include "kiosk/store/store.hpp"

namespace kiosk::ui {

using Step = EnquiryState::Step;

void EnquiriesFeature::open(FeatureCtx& x, Screen screen) {
    s = EnquiryState{};
    s.topics = x.st.site.facts.enquiry_topics;
    x.shell.go(screen);
}

bool EnquiriesFeature::back(FeatureCtx& x) {
    if (s.step == Step::Topics || s.step == Step::Asked) return false;
    s.step = s.step == Step::Phone ? Step::Ask : Step::Topics;
    x.quiet();
    return true;
}

void EnquiriesFeature::on(FeatureCtx& x, const enquiries::OpenTopic& in) {
    if (in.index < 0 || in.index >= static_cast<int>(s.topics.size())) return;
    s.selected = in.index;
    s.step = Step::Topic;
    x.ses().list_scroll = 0;
}

void EnquiriesFeature::on(FeatureCtx& x, const enquiries::Ask&) {
    s.step = Step::Ask;
    s.question.max_chars = 300;
    s.question.chinese = x.chinese();
}

void EnquiriesFeature::on(FeatureCtx& x, const enquiries::Next&) {
    if (!s.question.pinyin.empty()) text_entry_key(s.question, "space", {x.typing.pinyin, nullptr});
    if (s.question.text.empty()) return x.say("enquiry.error.question");
    s.step = Step::Phone;
    x.quiet();
}

void EnquiriesFeature::on(FeatureCtx& x, const enquiries::Submit&) {
    if (!x.store || s.step != Step::Phone) return;
    auto saved = x.store->cases().save_question(s.question.text, s.phone, x.st.wall_now);
    if (!saved) return x.say(saved.error().key);
    s.ticket = saved.value();
    s.question = TextEntry{};
    s.phone.clear();  // nothing typed stays once it is saved
    s.step = Step::Asked;
    x.quiet();
    x.ses().back_stack.clear();
    x.saved();
}

}  // namespace kiosk::ui
