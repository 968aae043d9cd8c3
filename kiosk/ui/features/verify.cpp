#include "kiosk/ui/features/verify.hpp"

#include <algorithm>

#include "kiosk/core/flat_number.hpp"
#include "kiosk/core/household.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"
#include "kiosk/ui/features/parcels.hpp"

namespace kiosk::ui {

using Step = VerifyState::Step;

std::vector<FloorRange> floor_ranges(const std::vector<int>& floors) {
    std::vector<FloorRange> out;
    size_t n = floors.size();
    if (n == 0) return out;
    size_t groups = (n + kFloorsInRange - 1) / kFloorsInRange, base = n / groups, extra = n % groups;
    for (size_t g = 0, at = 0; g < groups; ++g) {
        size_t size = base + (g < extra ? 1 : 0);
        out.push_back({at, at + size - 1});
        at += size;
    }
    return out;
}

VerifyFeature::VerifyFeature()
    : m_pin([](const std::string& hash, const std::string& pin) { return household_pin_matches(hash, pin); }) {}

void VerifyFeature::open_for(FeatureCtx& x, Service then) {
    reset();
    s.then = then;
    if (x.store) s.buildings = x.store->household().buildings();
    x.shell.go(Screen::Verify);
}

void VerifyFeature::open_for_pickup(FeatureCtx& x) {
    if (!x.ses().staff || !x.store) return;
    reset();
    s.for_pickup = true;
    s.buildings = x.store->household().buildings();
    x.shell.go(Screen::Verify);
}

void VerifyFeature::reset() {
    // A check still running is left to finish on its own; its answer goes nowhere. It was a
    // guess all the same: it counts against the flat, so walking away does not buy free tries.
    if (m_pin.drop()) count_failure(m_check_sent_at);
    Module::reset();
}

AttemptLimiter& VerifyFeature::unit_limiter(FeatureCtx& x, const std::string& unit_id) {
    const AttemptPolicy& policy = x.st.site.facts.attempt_limits.household_verify_unit;
    auto [it, fresh] = m_unit_limiters.try_emplace(unit_id, policy);
    it->second.set_policy(policy);
    if (fresh && x.store) {
        std::time_t since = x.st.wall_now - static_cast<std::time_t>(policy.lockout_s);
        for (std::time_t at : x.store->household().pin_failures_since(unit_id, since))
            it->second.failure(x.now - static_cast<double>(x.st.wall_now - at));
    }
    return it->second;
}

void VerifyFeature::count_failure(double now) {
    m_unit_limiters[m_check_unit].failure(now);
    m_kiosk_limiter.failure(now);
}

bool VerifyFeature::back(FeatureCtx& x) {
    if (checking()) return true;  // the answer is a moment away: Back waits for it
    if (s.step == Step::Building) return false;
    bool by_floor = !s.floors.empty(), by_range = s.ranges.size() > 1;
    switch (s.step) {
        case Step::Code: s.step = s.by_number ? Step::Number : Step::Unit; break;
        case Step::Unit: s.step = by_floor ? Step::Floor : Step::Building; break;
        case Step::Floor: s.step = by_range ? Step::Range : Step::Building; break;
        default: s.step = Step::Building; break;
    }
    s.code.clear();
    x.quiet();
    return true;
}

void VerifyFeature::on(FeatureCtx& x, const verify::PickBuilding& in) {
    s.by_number = false;
    s.building_id = in.id;
    s.units = x.store ? x.store->household().units_of(in.id) : std::vector<Unit>{};
    s.floors.clear();
    for (const Unit& u : s.units)
        if (std::find(s.floors.begin(), s.floors.end(), u.floor) == s.floors.end()) s.floors.push_back(u.floor);
    std::sort(s.floors.begin(), s.floors.end());
    if (static_cast<int>(s.floors.size()) <= kFloorsOnOneScreen) s.floors.clear();
    s.ranges = floor_ranges(s.floors);
    if (s.ranges.size() < 2) s.ranges.clear();
    s.range = -1;
    s.floor = -1;
    s.floor_page = 0;
    s.step = s.floors.empty() ? Step::Unit : !s.ranges.empty() ? Step::Range : Step::Floor;
    x.ses().list_scroll = 0;
    x.quiet();
}

void VerifyFeature::on(FeatureCtx& x, const verify::PickRange& in) {
    if (in.index < 0 || in.index >= static_cast<int>(s.ranges.size())) return;
    s.range = in.index;
    s.floor_page = 0;
    s.step = Step::Floor;
    x.quiet();
}

void VerifyFeature::on(FeatureCtx& x, const verify::PickFloor& in) {
    if (s.building_id.empty() || std::find(s.floors.begin(), s.floors.end(), in.floor) == s.floors.end()) return;
    s.floor = in.floor;
    std::vector<Unit> all = x.store ? x.store->household().units_of(s.building_id) : std::vector<Unit>{};
    s.units.clear();
    for (Unit& u : all)
        if (u.floor == in.floor) s.units.push_back(std::move(u));
    s.step = Step::Unit;
    x.ses().list_scroll = 0;
    x.quiet();
}

void VerifyFeature::on(FeatureCtx&, const verify::FloorPage& in) { s.floor_page = std::max(0, in.page); }

void VerifyFeature::on(FeatureCtx& x, const verify::PickUnit& in) {
    s.unit_id = in.id;
    s.code.clear();
    s.step = Step::Code;
    x.quiet();
    // Said before anyone types: a household with no PIN, or one head office has locked.
    auto proof = x.store ? x.store->household().household_proof(in.id) : std::nullopt;
    if (!proof || proof->pin_hash.empty()) return x.say("verify.no_pin");
    if (proof->locked) return x.say("verify.locked_site");
}

void VerifyFeature::on(FeatureCtx& x, const verify::TypeNumber&) {
    s.number.clear();
    s.step = Step::Number;
    x.quiet();
}

void VerifyFeature::on(FeatureCtx& x, const verify::NumberSubmit&) {
    auto typed = parse_flat_number(s.number);
    if (!typed) return x.say("verify.number_form");
    std::optional<std::string> building = building_numbered(s.buildings, typed->building);
    std::vector<Unit> units = building && x.store ? x.store->household().units_of(*building) : std::vector<Unit>{};
    std::optional<std::string> unit = unit_labelled(units, typed->flat);
    if (!unit) return x.say("verify.number_unknown", s.number);
    s.building_id = *building;
    s.units = std::move(units);
    s.floors.clear();
    s.ranges.clear();
    s.range = s.floor = -1;
    s.by_number = true;
    on(x, verify::PickUnit{*unit});
}

void VerifyFeature::on(FeatureCtx& x, const verify::Submit&) {
    if (checking()) return;
    double now = x.now;
    const AttemptLimits& limits = x.st.site.facts.attempt_limits;
    AttemptLimiter& flat = unit_limiter(x, s.unit_id);
    m_kiosk_limiter.set_policy(limits.household_verify_kiosk);
    if (double wait = std::max(flat.wait_s(now), m_kiosk_limiter.wait_s(now)); wait > 0) {
        s.code.clear();
        return say_wait(x, wait, "verify");
    }
    if (!household_pin_well_formed(s.code)) return x.say("verify.eight_digits");
    std::optional<Unit> unit = x.store ? x.store->household().unit(s.unit_id) : std::nullopt;
    if (!unit) {
        s.code.clear();
        return x.say("verify.unknown_unit");
    }
    auto proof = x.store->household().household_proof(s.unit_id);
    if (!proof || proof->pin_hash.empty()) {
        s.code.clear();
        return x.say("verify.no_pin");
    }
    if (proof->locked) {
        s.code.clear();
        return x.say("verify.locked_site");
    }
    // Argon2id takes tens of milliseconds and 16 MiB: a worker thread does it, the screen keeps
    // drawing and picks the answer up (draw → verify::Checked). The typed PIN is wiped now.
    m_check_hash = proof->pin_hash;
    m_pin.start(std::move(proof->pin_hash), s.code);
    m_check_unit = s.unit_id;
    m_check_sent_at = now;
    x.quiet();
}

void VerifyFeature::on(FeatureCtx& x, const verify::Checked&) {
    if (!check_answered()) return;
    bool proved = m_pin.take();
    double now = x.now;
    const AttemptLimits& limits = x.st.site.facts.attempt_limits;
    AttemptLimiter& flat = m_unit_limiters[m_check_unit];  // made by Submit
    if (!proved) {
        count_failure(now);
        // Head office counts the site's wrong PINs per household; the record names the flat and
        // the time, never what was typed.
        if (x.store) {
            if (auto r = x.store->household().record_pin_failure(m_check_unit, x.st.wall_now, m_check_hash); r.ok()) x.saved();
        }
        if (double w = std::max(flat.wait_s(now), m_kiosk_limiter.wait_s(now)); w > 0) return say_wait(x, w, "verify");
        return x.say("verify.wrong_pin", std::to_string(std::max(0, limits.household_verify_unit.free_tries - flat.failures())));
    }
    flat.success();
    auto& ses = x.ses();
    std::optional<Unit> unit = x.store ? x.store->household().unit(m_check_unit) : std::nullopt;
    if (!unit) return x.say("verify.unknown_unit");
    Household h;
    h.unit_id = unit->id;
    h.unit_label = unit->label;
    for (auto& b : s.buildings)
        if (b.id == unit->building_id) h.building_name = b.name;
    h.members = x.store->household().members(unit->id);
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
