#include "kiosk/core/idle_timer.hpp"

#include <cmath>

namespace kiosk {

IdleTimer::State IdleTimer::update(double now) {
    if (!armed()) return m_state;
    double idle = now - m_last;
    if (idle >= m_policy.idle_after_s + m_policy.warning_s) {
        m_state = State::Idle;
        return State::Expired;
    }
    m_state = idle >= m_policy.idle_after_s ? State::Warning : State::Active;
    return m_state;
}

int IdleTimer::seconds_left(double now) const {
    if (m_state != State::Warning) return 0;
    double left = m_last + m_policy.idle_after_s + m_policy.warning_s - now;
    return left <= 0 ? 0 : static_cast<int>(std::ceil(left));
}

double IdleTimer::next_change_in(double now) const {
    if (!armed()) return -1;
    double warn_at = m_last + m_policy.idle_after_s;
    if (now < warn_at) return warn_at - now;
    // In the warning, the countdown text changes on every whole second.
    double end = warn_at + m_policy.warning_s;
    double left = end - now;
    if (left <= 0) return 0;
    double frac = left - std::floor(left);
    return frac > 1e-6 ? frac : 1.0;
}

}  // namespace kiosk
