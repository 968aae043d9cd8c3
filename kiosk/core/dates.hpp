#pragma once
// Dates as the lobby reads and compares them, in the kiosk's local time zone.
#include <ctime>
#include <string>

namespace kiosk {

// `t` in local time through strftime: "%Y-%m-%d" gives the day as the site's data writes it
// (announcements, surveys and passes compare such days as text), "%Y-%m" a fee month, "%H:%M" a
// clock. "" when the result would not fit in 64 bytes.
std::string local_date(std::time_t t, const char* fmt);

}  // namespace kiosk
