// How lobby-kiosk lives under systemd: the signals that stop it in order, and the watchdog the UI
// loop pings (issue #15 item 4).
#pragma once

#include <algorithm>

#include <cstdio>

#include "platform/service_notify.hpp"
#include "sync/client/setup_runner.hpp"

namespace kiosk {

// SIGTERM, SIGHUP or SIGINT, taken by one thread (call before any other thread starts): the
// event loop sees stop_asked() and ends as closing the window does.
void take_stop_signals();
bool stop_asked();

// The watchdog under systemd (WatchdogSec=): pinged from the UI loop every half period, but only
// while the sync thread's heartbeat is fresh too, so a frozen screen or a hung sync thread stops
// the pings and systemd restarts the kiosk. The loop wakes for it without drawing a frame.
class Watchdog {
public:
    explicit Watchdog(const sync::SetupRunner* syncer) : m_syncer(syncer), m_interval(service::watchdog_ping_interval_s()) {}
    bool enabled() const { return m_interval > 0; }
    // Seconds until the next ping is due (negative: no watchdog).
    double due_in(double now) const { return enabled() ? std::max(0.0, m_next - now) : -1; }
    void maybe_ping(double now) {
        if (!enabled() || now < m_next) return;
        m_next = now + m_interval;
        bool sync_alive = !m_syncer || m_syncer->sync_alive();
        if (sync_alive) {
            service::watchdog_ping();
            if (m_withheld) service::status("showing the screens");
            m_withheld = false;
        } else if (!m_withheld) {
            // Said once: the journal shows why the watchdog is about to restart the kiosk.
            std::fprintf(stderr, "lobby-kiosk: the sync thread has not turned for longer than a request may take: the watchdog is not pinged\n");
            service::status("sync thread hung: watchdog not pinged");
            m_withheld = true;
        }
    }

private:
    const sync::SetupRunner* m_syncer;
    double m_interval;
    double m_next = 0;
    bool m_withheld = false;
};

}  // namespace kiosk
