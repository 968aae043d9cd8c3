#pragma once
// Proving the household (住户验证): building, then unit, then the last four digits of a phone
// registered for the unit (or the household's PIN). Wrong digits are slowed per unit and per
// kiosk. A proved household is open for a few minutes at most.
#include <map>
#include <string>
#include <vector>

#include "kiosk/core/attempt_limiter.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct VerifyState {
    enum class Step { Building, Unit, Code } step = Step::Building;
    std::vector<Building> buildings;
    std::vector<Unit> units;
    std::string building_id;
    std::string unit_id;
    std::string code;
    bool by_pin = false;            // the household PIN (6 digits) instead of the phone's last 4
    Service then = Service::Fees;   // where the resident was going
    bool for_pickup = false;        // at the desk: the household collects all its parcels at once
};

// A proved household stays open this long at most, then the kiosk closes it by itself.
inline constexpr double kHouseholdSessionS = 300;

namespace verify {
struct PickBuilding { std::string id; };
struct PickUnit { std::string id; };
struct Submit {};
struct UsePin {};
}  // namespace verify

class VerifyFeature : public Module<VerifyFeature, VerifyState, verify::PickBuilding, verify::PickUnit, verify::Submit,
                                    verify::UsePin> {
public:
    // The household proves itself before `then` opens.
    void open_for(FeatureCtx& x, Service then);
    // At the desk: the household proves itself to collect everything waiting for it.
    void open_for_pickup(FeatureCtx& x);
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;

    void on(FeatureCtx& x, const verify::PickBuilding& in);
    void on(FeatureCtx& x, const verify::PickUnit& in);
    void on(FeatureCtx& x, const verify::Submit& in);
    void on(FeatureCtx& x, const verify::UsePin& in);

private:
    // Guessing a household's digits is slowed per unit and, looser, for the whole kiosk. These
    // outlive a visit: walking away does not reset them.
    std::map<std::string, AttemptLimiter> m_unit_limiters;
    AttemptLimiter m_kiosk_limiter;   // the site's attempt_limits (household_verify_unit / _kiosk)
};

}  // namespace kiosk::ui
