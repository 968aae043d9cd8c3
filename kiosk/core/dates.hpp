#pragma once
// Dates as the lobby reads and compares them, in the kiosk's local time zone.
#include <ctime>
#include <string>

namespace kiosk {

// `t` in local time through strftime: "%Y-%m-%d" gives the day as the site's data writes it
// (announcements, surveys and passes compare such days as text), "%Y-%m" a fee month, "%H:%M" a
// clock. "" when the result would not fit in 64 bytes.
std::string local_date(std::time_t t, const char* fmt);

// The one way a deadline reads to a resident, on screens and slips alike: "11-23 23:59" (local
// month-day and 24-hour clock). A repair's promise, My Requests' "promised by" and a complaint's
// reply-by all go through it, so one deadline never reads two ways.
std::string deadline_text(std::time_t t);

}  // namespace kiosk
