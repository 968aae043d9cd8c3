#pragma once
// Telling systemd how the service is doing (issue #15 item 4): both programs run as Type=notify
// units with WatchdogSec=. Every call here does nothing when NOTIFY_SOCKET is unset (a source-tree
// run, a test), so the programs behave as before outside systemd.
#include <string>

namespace kiosk::service {

// READY=1 with a STATUS= line: the store is open and the service does its work.
void ready(const std::string& status);
// A STATUS= line (systemctl status shows it). Never a secret or a resident's data.
void status(const std::string& status);
// WATCHDOG=1: the caller has just checked that the service is really working.
void watchdog_ping();
// How often to ping: half of WatchdogSec (WATCHDOG_USEC), in seconds; 0 when systemd watches
// nothing, or another process than this one or its parent (WATCHDOG_PID: the unit's main process,
// cage for the kiosk).
double watchdog_ping_interval_s();

}  // namespace kiosk::service
