#include "kiosk/ui/features/verify.hpp"

#include <algorithm>

#include "kiosk/core/household.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"
#include "kiosk/ui/features/parcels.hpp"

namespace kiosk::ui {

using Step = VerifyState::Step;

void VerifyFeature::open_for(FeatureCtx& x, Service then) {
    s = VerifyState{};
    s.then = then;
    if (x.store) s.buildings = x.store->household().buildings();
    x.shell.go(Screen::Verify);
}

void VerifyFeature::open_for_pickup(FeatureCtx& x) {
    if (!x.ses().staff || !x.store) return;
    s = VerifyState{};
    s.for_pickup = true;
    s.buildings = x.store->household().buildings();
    x.shell.go(Screen::Verify);
}

bool VerifyFeature::back(FeatureCtx& x) {
    if (s.step == Step::Building) return false;
    s.step = s.step == Step::Code ? Step::Unit : Step::Building;
    s.code.clear();
    x.quiet();
    return true;
}

void VerifyFeature::on(FeatureCtx& x, const verify::PickBuilding& in) {
    s.building_id = in.id;
    s.units = x.store ? x.store->household().units_of(in.id) : std::vector<Unit>{};
    s.step = Step::Unit;
    x.ses().list_scroll = 0;
    x.quiet();
}

void VerifyFeature::on(FeatureCtx& x, const verify::PickUnit& in) {
    s.unit_id = in.id;
    s.code.clear();
    s.step = Step::Code;
    x.quiet();
}

void VerifyFeature::on(FeatureCtx& x, const verify::UsePin&) {
    s.by_pin = !s.by_pin;
    s.code.clear();
    x.quiet();
}

void VerifyFeature::on(FeatureCtx& x, const verify::Submit&) {
    auto& ses = x.ses();
    double now = x.now;
    const AttemptLimits& limits = x.st.site.facts.attempt_limits;
    AttemptLimiter& unit_limiter = m_unit_limiters[s.unit_id];
    unit_limiter.set_policy(limits.household_verify_unit);
    m_kiosk_limiter.set_policy(limits.household_verify_kiosk);
    if (double wait = std::max(unit_limiter.wait_s(now), m_kiosk_limiter.wait_s(now)); wait > 0) {
        s.code.clear();
        return say_wait(x, wait, "verify");
    }
    if (s.code.size() != (s.by_pin ? 6u : 4u)) return x.say(s.by_pin ? "verify.six_digits" : "verify.four_digits");
    std::optional<Unit> unit = x.store ? x.store->household().unit(s.unit_id) : std::nullopt;
    if (!unit) {
        s.code.clear();
        return x.say("verify.unknown_unit");
    }
    auto members = x.store->household().members(s.unit_id);
    bool proved = false;
    if (s.by_pin) proved = x.store->household().household_pin_matches(s.unit_id, s.code);
    else
        for (auto& m : members) proved = household_secret_matches(m.verify_salt, m.verify_hash, s.code) || proved;
    s.code.clear();
    if (!proved) {
        unit_limiter.failure(now);
        m_kiosk_limiter.failure(now);
        if (double w = std::max(unit_limiter.wait_s(now), m_kiosk_limiter.wait_s(now)); w > 0) return say_wait(x, w, "verify");
        return x.say(s.by_pin ? "verify.wrong_pin" : members.empty() ? "verify.no_residents" : "verify.wrong",
                     std::to_string(limits.household_verify_unit.free_tries - unit_limiter.failures()));
    }
    unit_limiter.success();
    Household h;
    h.unit_id = unit->id;
    h.unit_label = unit->label;
    for (auto& b : s.buildings)
        if (b.id == unit->building_id) h.building_name = b.name;
    for (auto& m : members) {
        m.verify_salt.clear();
        m.verify_hash.clear();
        h.members.push_back(std::move(m));
    }
    h.verified_at = now;
    x.quiet();
    Service then = s.then;
    bool for_pickup = s.for_pickup;
    s = VerifyState{};
    if (for_pickup && ses.staff) {
        // At the desk: the proof opens the hand-over only; the clerk's session does not carry the
        // household on.
        ses.back_stack.pop_back();  // Back from the hand-over goes to the code, not the digits
        ses.screen = Screen::ParcelPickup;
        static_cast<ParcelPickupFeature&>(x.shell.module(Screen::ParcelPickup)).hand_over_household(x, h.unit_id);
        return;
    }
    ses.household = std::move(h);
    ses.back_stack.clear();  // Back from the service goes home, not into the digits
    ses.screen = Screen::Home;
    x.shell.open_service(then);
}

}  // namespace kiosk::ui
