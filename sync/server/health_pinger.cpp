#include "sync/server/health_pinger.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>

#include "platform/service_notify.hpp"

namespace kiosk::headoffice {
namespace {
// Where to ask the server's own health: the address it listens on, loopback for a wildcard.
std::string health_host(const std::string& host) {
    if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
    if (host == "::" || host == "[::]") return "::1";
    return host;
}
}  // namespace

HealthPinger::HealthPinger(const std::string& host, int port, bool tls) {
    m_interval = service::watchdog_ping_interval_s();
    if (m_interval <= 0) return;
    m_thread = std::thread([this, host = health_host(host), port, tls] {
        std::string base = (tls ? "https://" : "http://") + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                           std::to_string(port);
        auto timeout = std::chrono::duration<double>(std::max(0.5, m_interval));
        std::unique_lock g(m_mu);
        while (!m_stop) {
            g.unlock();
            httplib::Client http(base);
            http.enable_server_certificate_verification(false);  // itself, on its own address
            http.set_connection_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout));
            http.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout));
            auto r = http.Get("/v1/health");
            if (r && r->status == 200) service::watchdog_ping();
            g.lock();
            m_cv.wait_for(g, std::chrono::duration<double>(m_interval), [&] { return m_stop; });
        }
    });
}

HealthPinger::~HealthPinger() {
    {
        std::lock_guard g(m_mu);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

}  // namespace kiosk::headoffice
