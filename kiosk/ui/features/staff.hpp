#pragma once
// Staff sign-in and the desk (前台): the staff number on the Latin keyboard (or a badge scanned),
// then the PIN; the desk shows what waits (parcels, passes, loans, sync) and the desk's tasks.
#include <string>
#include <vector>

#include "kiosk/core/attempt_limiter.hpp"
#include "kiosk/core/idle_timer.hpp"
#include "kiosk/core/parcels.hpp"
#include "kiosk/core/sync_state.hpp"
#include "kiosk/ui/feature.hpp"
#include "kiosk/ui/pin_worker.hpp"

namespace kiosk::ui {

struct StaffState {
    std::string staff_no;
    std::string pin;
    bool entering_pin = false;
    // The desk's counts, loaded when the desk shows (not on every tap).
    DeskCounts desk;
    std::vector<DeadLetter> dead_letters;
    std::vector<SyncConflict> conflicts;
};

// A signed-in clerk's session ends after 2 minutes without a touch (90 s, then a 30 s countdown).
inline constexpr IdlePolicy kStaffIdlePolicy{90, 30};

namespace staff {
struct Next {};
struct SignIn {};
struct Checked {};  // the worker has answered (draw saw it; applying reads the answer)
struct SignOut {};
struct Reprint { int64_t job; };
struct SyncHandled { std::string record_id; };
}  // namespace staff

class StaffFeature : public Module<StaffFeature, StaffState, staff::Next, staff::SignIn, staff::Checked, staff::SignOut,
                                   staff::Reprint, staff::SyncHandled> {
public:
    StaffFeature();
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    void draw_login(ScreenCtx& c);
    void draw_desk(ScreenCtx& c);
    bool back(FeatureCtx& x) override;
    bool scan(FeatureCtx& x, const std::string& code) override;
    // The desk's counts, again: when it shows, and after a pull or a save.
    void refresh_desk(FeatureCtx& x);
    void shown(FeatureCtx& x) override { pulled(x); }
    void pulled(FeatureCtx& x) override {
        if (x.ses().screen == Screen::StaffDesk) refresh_desk(x);
    }
    // Characters from a physical keyboard on the sign-in screen; Enter moves on.
    void typed(const std::string& text);
    void enter(FeatureCtx& x);

    void on(FeatureCtx& x, const staff::Next& in);
    void on(FeatureCtx& x, const staff::SignIn& in);
    void on(FeatureCtx& x, const staff::Checked& in);
    void on(FeatureCtx& x, const staff::SignOut& in);
    void on(FeatureCtx& x, const staff::Reprint& in);
    void on(FeatureCtx& x, const staff::SyncHandled& in);

    // A PIN is being checked on the worker (the shell wakes the UI soon to pick up its answer).
    bool checking() const { return m_pin.busy(); }
    bool check_answered() const { return m_pin.answered(); }
    // staff_pin_matches, or a stand-in in tests.
    void set_pin_check(PinCheckFn fn) { m_pin.set_check(std::move(fn)); }
    void reset() override;

private:
    void wrong_pin(FeatureCtx& x, double at);

    AttemptLimiter m_limiter;   // the site's attempt_limits.staff_sign_in; outlives a visit
    PinWorker m_pin;
    std::optional<StaffMember> m_checking;  // whose PIN the worker has
    double m_check_sent_at = 0;
};

}  // namespace kiosk::ui
