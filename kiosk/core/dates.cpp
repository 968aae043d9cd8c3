#include "kiosk/core/dates.hpp"

namespace kiosk {

std::string local_date(std::time_t t, const char* fmt) {
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
    return std::string(buf, n);
}

std::string deadline_text(std::time_t t) { return local_date(t, "%m-%d %H:%M"); }

}  // namespace kiosk
