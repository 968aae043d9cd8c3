#pragma once
// The idle rule of a public lobby screen: after `idle_after_s` without a tap or key the kiosk asks
// "still there?" and counts down `warning_s` (at least 20 s); when that runs out everything typed
// is wiped and the kiosk returns home. Time is passed in (seconds on a monotonic or virtual
// clock), so the rule is tested without waiting.
namespace kiosk {

struct IdlePolicy {
    double idle_after_s = 60.0;
    double warning_s = 30.0;
};

class IdleTimer {
public:
    enum class State { Idle, Active, Warning, Expired };

    explicit IdleTimer(IdlePolicy p = {}) : m_policy(p) {}

    // A tap or key: the session is (still) in use.
    void touch(double now) { m_last = now; m_state = State::Active; }
    // Nothing to protect (home screen, nothing typed): the timer stops.
    void disarm() { m_state = State::Idle; }
    bool armed() const { return m_state == State::Active || m_state == State::Warning; }

    // Moves the state on to `now`. Returns Expired exactly once, then the timer is disarmed.
    State update(double now);
    State state() const { return m_state; }
    // Whole seconds left in the warning (for the countdown shown), 0 when not warning.
    int seconds_left(double now) const;
    // When the state or the countdown text next changes: how long the UI may sleep.
    // A negative value: never (disarmed).
    double next_change_in(double now) const;
    const IdlePolicy& policy() const { return m_policy; }
    // Staff sessions keep a longer rule than residents'; the next touch counts under the new one.
    void set_policy(IdlePolicy p) { m_policy = p; }

private:
    IdlePolicy m_policy;
    State m_state = State::Idle;
    double m_last = 0;
};

}  // namespace kiosk
