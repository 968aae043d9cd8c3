#pragma once
// Enquiries (咨询): the site's answers, and a question left for staff with a number to call back.
#include <string>
#include <vector>

#include "kiosk/core/site_facts.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

using EnquiryTopic = EnquiryTopicFact;

struct EnquiryState {
    enum class Step { Topics, Topic, Ask, Phone, Asked } step = Step::Topics;
    std::vector<EnquiryTopic> topics;
    int selected = -1;
    TextEntry question;
    std::string phone;
    std::string ticket;
};

namespace enquiries {
struct OpenTopic { int index; };
struct Ask {};
struct Next {};
struct Submit {};
}  // namespace enquiries

class EnquiriesFeature : public Module<EnquiriesFeature, EnquiryState, enquiries::OpenTopic, enquiries::Ask,
                                       enquiries::Next, enquiries::Submit> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    TextEntry* active_text() override { return s.step == EnquiryState::Step::Ask ? &s.question : nullptr; }

    void on(FeatureCtx& x, const enquiries::OpenTopic& in);
    void on(FeatureCtx& x, const enquiries::Ask& in);
    void on(FeatureCtx& x, const enquiries::Next& in);
    void on(FeatureCtx& x, const enquiries::Submit& in);
};

}  // namespace kiosk::ui
