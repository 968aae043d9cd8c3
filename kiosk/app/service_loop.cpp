#include "kiosk/app/service_loop.hpp"

#include <atomic>
#include <csignal>
#include <thread>

#include <pthread.h>

#include "platform/window.hpp"

namespace kiosk {

// SIGTERM (systemd stopping the kiosk), SIGHUP (the unit's KillSignal: cage 0.1.4 aborts on
// SIGTERM, so the whole unit is stopped with SIGHUP) or SIGINT ends the event loop as closing the window does,
// so the kiosk exits in order and its next start reads "normal" (kiosk/core/run_state.hpp). The
// signals are blocked in every thread and taken by one thread with sigwait, which may then wake
// the event loop as any thread may.
namespace {
std::atomic<bool> g_stop_asked{false};
}  // namespace

bool stop_asked() { return g_stop_asked; }

void take_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set] {
        int sig = 0;
        if (sigwait(&set, &sig) == 0) {
            g_stop_asked = true;
            platform::wake_event_loop();
        }
    }).detach();
}

}  // namespace kiosk
