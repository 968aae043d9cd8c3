#pragma once
// The clocks head office's store writes with: wall time in milliseconds (the notification
// outbox's due times) and as ISO 8601 UTC text (when a kiosk was added, a record received).
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace kiosk::headoffice {

inline int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline std::string utc_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace kiosk::headoffice
