#pragma once
// The site's facts a feature needs when it opens (read from the store between frames).
#include <string>
#include <vector>

#include "kiosk/core/exit_pass.hpp"
#include "kiosk/core/repair.hpp"
#include "kiosk/core/site.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct PublicArea;
struct EnquiryTopic;
struct SurveyState;

// The site's name, desk phone, today's notices, the outbox count and the parcel limits.
SiteView load_site_view(Store& store, std::time_t now);
std::vector<TimeWindow> repair_windows_offered(FeatureCtx& x);
std::vector<PublicArea> public_areas(FeatureCtx& x);
std::vector<EnquiryTopic> enquiry_topics(FeatureCtx& x);
// The site's survey if it is open today; `title`, `id` and `questions` filled.
void load_survey(FeatureCtx& x, SurveyState& sv);
std::vector<std::string> parcel_shelves(FeatureCtx& x);
ArrearsRule exit_pass_arrears_rule(FeatureCtx& x);
// The payment link for what the household owes, or "" (no template, nothing owed).
std::string payment_url(FeatureCtx& x, const std::string& unit_id, int64_t owed_cents);

}  // namespace kiosk::ui
