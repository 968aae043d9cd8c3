#include "platform/service_notify.hpp"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace kiosk::service {

void ready(const std::string& status) { sd_notify(0, ("READY=1\nSTATUS=" + status).c_str()); }

void status(const std::string& status) { sd_notify(0, ("STATUS=" + status).c_str()); }

void watchdog_ping() { sd_notify(0, "WATCHDOG=1"); }

namespace {
// A whole decimal number from the environment, or -1.
long long env_number(const char* name) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text < '0' || *text > '9') return -1;
    errno = 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || n > 1000000000000000ULL) return -1;
    return static_cast<long long>(n);
}
}  // namespace

double watchdog_ping_interval_s() {
    // Not sd_watchdog_enabled(): it answers only for the process WATCHDOG_PID names, the unit's main
    // process, and under lobby-kiosk.service that is cage with the kiosk its child, so the kiosk
    // never pinged and systemd killed it every WatchdogSec. The watchdog is ours when WATCHDOG_PID
    // is this process or its parent (cage; NotifyAccess=all takes the child's WATCHDOG=1).
    const long long usec = env_number("WATCHDOG_USEC");
    if (usec <= 0) return 0;
    if (std::getenv("WATCHDOG_PID") != nullptr) {
        const long long pid = env_number("WATCHDOG_PID");
        if (pid != static_cast<long long>(getpid()) && pid != static_cast<long long>(getppid())) return 0;
    }
    return static_cast<double>(usec) / 2e6;
}

}  // namespace kiosk::service
