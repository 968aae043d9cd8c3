#pragma once
// Proving the household (住户验证): building, then unit, then the household's 8-digit PIN, which
// the management office desk hands out and the kiosk never shows or prints (issue #13, C14). The
// PIN is checked against its Argon2id hash on a worker thread: the screen says "checking" and
// keeps drawing. Wrong PINs are slowed per flat (5 wrong: the flat waits 15 minutes at this
// kiosk) and per kiosk, and each is a household.pin_failed record head office counts across the
// site's kiosks (10 in 24 h: the household is locked everywhere until the desk issues a new PIN).
// A proved household stays open while the resident keeps touching the screen, and closes when they
// tap 完成 or Home, or walk away (the idle rule: a warning, then everything is wiped).
#include <map>
#include <string>
#include <vector>

#include "kiosk/core/attempt_limiter.hpp"
#include "kiosk/ui/feature.hpp"
#include "kiosk/ui/pin_worker.hpp"

namespace kiosk::ui {

inline constexpr int kFloorsOnOneScreen = 6;
// At most this many floor buttons on one screen: a taller tower is first split into ranges of
// floors ("1–11", "12–22", "23–33"), as even as they can be.
inline constexpr int kFloorsInRange = 12;

// A run of a building's floors, as indices into its sorted floor list: [first, last].
struct FloorRange {
    size_t first = 0, last = 0;
};
// `floors` (sorted) cut into the fewest ranges of at most kFloorsInRange, sizes differing by at
// most one; one range when they all fit.
std::vector<FloorRange> floor_ranges(const std::vector<int>& floors);

struct VerifyState {
    // A tower of more than kFloorsOnOneScreen floors is picked building → floor → flat (three
    // taps); one of more than kFloorsInRange floors building → range of floors → floor → flat (four
    // taps, every button large and no more than a dozen on a screen); a smaller building shows
    // its flats floor by floor at once.
    // Or, from the building step, the flat number typed on a keypad ("3-1502"), then the PIN.
    enum class Step { Building, Range, Floor, Unit, Code, Number } step = Step::Building;
    std::vector<Building> buildings;
    std::vector<Unit> units;        // the building's flats, or the chosen floor's
    std::vector<int> floors;        // the building's floors, lowest first, when it has a floor step
    std::vector<FloorRange> ranges; // those floors in ranges, when more than one
    int range = -1;                 // the range picked (range step); -1: all the floors
    int floor = -1;                 // the floor picked (floor step)
    int floor_page = 0;             // the page of floor buttons showing (only on a very small screen)
    std::string building_id;
    std::string unit_id;
    std::string number;             // the flat number as typed ("3-1502")
    bool by_number = false;         // the flat was typed: Back from the PIN goes to the number
    std::string code;               // the PIN as typed, masked on screen; cleared once it is sent to be checked
    Service then = Service::Fees;   // where the resident was going
    bool for_pickup = false;        // at the desk: the household collects all its parcels at once
};

namespace verify {
struct PickBuilding { std::string id; };
struct PickRange { int index; };
struct PickFloor { int floor; };
struct FloorPage { int page; };
struct PickUnit { std::string id; };
struct TypeNumber {};    // the keypad for a flat number instead of the buttons
struct NumberSubmit {};  // the flat number typed
struct Submit {};
struct Checked {};  // the worker has answered (draw saw it; applying reads the answer)
}  // namespace verify


class VerifyFeature : public Module<VerifyFeature, VerifyState, verify::PickBuilding, verify::PickRange, verify::PickFloor,
                                    verify::FloorPage, verify::PickUnit, verify::TypeNumber, verify::NumberSubmit,
                                    verify::Submit, verify::Checked> {
public:
    VerifyFeature();
    // The household proves itself before `then` opens.
    void open_for(FeatureCtx& x, Service then);
    // At the desk: the household proves itself to collect everything waiting for it.
    void open_for_pickup(FeatureCtx& x);
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    void reset() override;
    std::string spoken(const AppState& st, const Catalog& cat) const override;

    void on(FeatureCtx& x, const verify::PickBuilding& in);
    void on(FeatureCtx& x, const verify::PickRange& in);
    void on(FeatureCtx& x, const verify::PickFloor& in);
    void on(FeatureCtx& x, const verify::FloorPage& in);
    void on(FeatureCtx& x, const verify::PickUnit& in);
    void on(FeatureCtx& x, const verify::TypeNumber& in);
    void on(FeatureCtx& x, const verify::NumberSubmit& in);
    void on(FeatureCtx& x, const verify::Submit& in);
    void on(FeatureCtx& x, const verify::Checked& in);

    // A PIN is being checked on the worker (the shell wakes the UI soon to pick up its answer).
    bool checking() const { return m_pin.busy(); }
    // The worker has answered (read once a frame by draw).
    bool check_answered() const { return m_pin.answered(); }
    // household_pin_matches, or a stand-in in tests.
    void set_pin_check(PinCheckFn fn) { m_pin.set_check(std::move(fn)); }

private:
    void count_failure(double now);
    // The flat's limiter; the first time this process asks, it counts again the wrong PINs this
    // kiosk saw for the flat in the last lockout_s (kept in the store), so a restart frees nothing.
    AttemptLimiter& unit_limiter(FeatureCtx& x, const std::string& unit_id);

    // Guessing a household's PIN is slowed per unit and, looser, for the whole kiosk. These
    // outlive a visit: walking away does not reset them.
    std::map<std::string, AttemptLimiter> m_unit_limiters;
    AttemptLimiter m_kiosk_limiter;   // the site's attempt_limits (household_verify_unit / _kiosk)
    PinWorker m_pin;
    std::string m_check_unit;
    std::string m_check_hash;  // the hash the worker checks against (its ref goes in a failure)
    double m_check_sent_at = 0;
};

}  // namespace kiosk::ui
