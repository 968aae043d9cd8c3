#pragma once
// The head-office console (/console/): its routes on the head-office HTTP server, beside the sync
// API, over the same database. Pages are server-rendered HTML that work without JavaScript.
#include <cstdint>
#include <functional>
#include <string>

#include "sync/server/console/console_store.hpp"

namespace httplib {
class Server;
}

namespace kiosk::headoffice {
class HeadOfficeStore;
}

namespace kiosk::headoffice::console {

struct ConsoleOptions {
    HeadOfficeStore* data = nullptr;  // the sync store (cases, announcements, site data, statistics)
    bool secure = false;  // served over TLS: cookies get Secure
    // Where Debian's packages install the web assets the console serves (never a CDN).
    std::string bootstrap_dir = "/usr/share/javascript/bootstrap5";
    std::string chart_dir = "/usr/share/javascript/chart.js";
    std::function<int64_t()> clock;  // Unix seconds; the wall clock when empty
};

// The largest form a console route takes (bytes), and the largest value of one field.
inline constexpr size_t kMaxFormBytes = 16 * 1024;
inline constexpr size_t kMaxFieldBytes = 1024;
inline constexpr int kMaxFields = 32;

// Registers every /console route on `http`: call before any catch-all route.
void mount_console(httplib::Server& http, ConsoleStore& store, const ConsoleOptions& options);

}  // namespace kiosk::headoffice::console
