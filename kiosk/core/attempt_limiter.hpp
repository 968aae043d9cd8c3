#pragma once
// Slows down guessing: after `free_tries` wrong answers the next try must wait, and the wait
// grows; `lockout_after` wrong answers lock for `lockout_s`. Used for staff PINs (5 tries, then
// 5 minutes), and by the household check and pickup codes. Time is passed in.
#include <string>

namespace kiosk {

struct AttemptPolicy {
    int free_tries = 3;
    double first_wait_s = 5;     // doubles on each further failure
    int lockout_after = 5;
    double lockout_s = 300;
};

class AttemptLimiter {
public:
    explicit AttemptLimiter(AttemptPolicy p = {}) : m_policy(p) {}
    // The site's policy may change when its facts are pulled; what was counted stays counted.
    void set_policy(const AttemptPolicy& p) { m_policy = p; }
    const AttemptPolicy& policy() const { return m_policy; }
    // Seconds to wait before another try is allowed (0: go ahead).
    double wait_s(double now) const { return m_blocked_until > now ? m_blocked_until - now : 0; }
    void failure(double now);
    void success() { m_failures = 0; m_blocked_until = 0; }
    int failures() const { return m_failures; }
    bool locked_out(double now) const { return m_failures >= m_policy.lockout_after && wait_s(now) > 0; }

private:
    AttemptPolicy m_policy;
    int m_failures = 0;
    double m_blocked_until = 0;
};

inline void AttemptLimiter::failure(double now) {
    ++m_failures;
    if (m_failures >= m_policy.lockout_after) {
        m_blocked_until = now + m_policy.lockout_s;
    } else if (m_failures >= m_policy.free_tries) {
        double wait = m_policy.first_wait_s;
        for (int i = m_policy.free_tries; i < m_failures; ++i) wait *= 2;
        m_blocked_until = now + wait;
    }
}

}  // namespace kiosk
