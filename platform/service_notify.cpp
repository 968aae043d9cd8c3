#include "platform/service_notify.hpp"

#include <systemd/sd-daemon.h>

namespace kiosk::service {

void ready(const std::string& status) { sd_notify(0, ("READY=1\nSTATUS=" + status).c_str()); }

void status(const std::string& status) { sd_notify(0, ("STATUS=" + status).c_str()); }

void watchdog_ping() { sd_notify(0, "WATCHDOG=1"); }

double watchdog_ping_interval_s() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return 0;
    return static_cast<double>(usec) / 2e6;
}

}  // namespace kiosk::service
