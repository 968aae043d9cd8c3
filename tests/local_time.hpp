#pragma once
// A moment on the kiosk's local clock, as tests write dates: local_time(2026, 11, 22, 9, 30).
#include <ctime>

namespace kiosk::test {

inline std::time_t local_time(int year, int month, int day, int hour, int minute) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_isdst = -1;
    return std::mktime(&tm);
}

}  // namespace kiosk::test
