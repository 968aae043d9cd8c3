#pragma once
// The watchdog's pings for `lobby-headoffice serve` under systemd: every half WatchdogSec, only
// after the server answered its own GET /v1/health over the address it listens on, so a process
// whose accept loop or request threads are stuck is restarted. Nothing when systemd watches nothing.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace kiosk::headoffice {

class HealthPinger {
public:
    // `host` as given to --listen (a wildcard is asked on loopback).
    HealthPinger(const std::string& host, int port, bool tls);
    ~HealthPinger();
    HealthPinger(const HealthPinger&) = delete;
    HealthPinger& operator=(const HealthPinger&) = delete;

private:
    double m_interval = 0;
    std::mutex m_mu;
    std::condition_variable m_cv;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk::headoffice
