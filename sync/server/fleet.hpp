#pragma once
// The fleet list (`lobby-headoffice fleet`): each kiosk online, late or offline by the age of its
// last heartbeat (of its last signed request when it never sent one), with the reasons a person
// at head office should read: how long it has been silent, a disk nearly full, dead letters
// growing, a printer out of paper, a recent crash. Pure: the store gives the kiosks, `now` is
// given (the command's --now), so tests judge an hour without waiting one.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/server/headoffice_store.hpp"

namespace kiosk::headoffice {

inline constexpr int64_t kLateAfterS = 5 * 60;      // no heartbeat for 5 min: late
inline constexpr int64_t kOfflineAfterS = 15 * 60;  // 15 min: offline
inline constexpr int kDiskNearlyFullPercent = 90;   // used, of the data folder's file system
inline constexpr int64_t kRecentRestartS = 3600;    // a crash, watchdog kill or power cut this recent is told

struct FleetLine {
    FleetKiosk kiosk;
    std::string status;                // online | late | offline
    std::vector<std::string> reasons;  // worst first; empty: nothing to say
    std::optional<int64_t> silent_s;   // since its last heartbeat (or signed request); none: never heard from
};

// Judged as of `now`, by site, then offline, late, online with reasons, online; by kiosk id within.
std::vector<FleetLine> judge_fleet(const std::vector<FleetKiosk>& kiosks, int64_t now);
// "5 min", "3 h", "2 days".
std::string span_text(int64_t seconds);
// "2026-12-01 09:00 UTC".
std::string utc_text(int64_t t);
std::string fleet_text(const std::vector<FleetLine>& lines, int64_t now);
nlohmann::json fleet_json(const std::vector<FleetLine>& lines, int64_t now);

}  // namespace kiosk::headoffice
