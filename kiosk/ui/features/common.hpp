#pragma once
// Small pieces several features share while applying intents (never while drawing).
#include <ctime>
#include <string>
#include <vector>

#include "kiosk/core/fees.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {


// A wait shown to a person, rounded up to whole seconds or minutes (900.0000001 s is 15 minutes).
int whole_units(double seconds, double unit);
// A wait after wrong tries, said kindly: "<what>.wait" in seconds, or "<what>.locked" in minutes
// once it is longer than a minute and a half.
void say_wait(FeatureCtx& x, double wait, const std::string& what);
// "1栋 102" in the language showing, for the flats a clerk's list names: the buildings are read
// once for the whole list, then a flat a row.
class UnitNames {
public:
    explicit UnitNames(FeatureCtx& x);
    std::string operator()(const std::string& unit_id) const;
    // "1栋 1*2": the building and the flat's number masked (mask_flat), for what is left in view.
    std::string masked(const std::string& unit_id) const;

private:
    FeatureCtx& m_x;
    std::vector<Building> m_buildings;
};
// The same for one flat.
inline std::string unit_text(FeatureCtx& x, const std::string& unit_id) { return UnitNames(x)(unit_id); }
// The household's fee statement as of today: this month's bills are due, not yet in arrears.
FeeStatement fee_statement_now(FeatureCtx& x, const std::string& unit_id);
// A chip tapped once is chosen, twice is not.
void toggle(std::vector<std::string>& chosen, const std::string& key);
// Leaving a finished request closes the household (the request is saved).
inline bool leave_when_done(FeatureCtx& x, bool done) {
    if (done) x.shell.end_household();
    return done;
}

// Back in a step-by-step request (repairs, complaints, exit passes): from the last step the
// household closes; from the first the shell goes to the screen before; else one step back.
template <class Step>
bool step_back(FeatureCtx& x, Step& step, Step first, Step done) {
    if (leave_when_done(x, step == done)) return true;
    if (step == first) return false;
    step = static_cast<Step>(static_cast<int>(step) - 1);
    x.quiet();
    return true;
}

}  // namespace kiosk::ui
