#pragma once
// Which lobby an announcement is for. Head office may write one for some buildings of the site
// only (a water cut in Block 2); the row then carries their ids, and a kiosk that knows its
// building shows it only there. No list: every building.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.hpp"
#include "kiosk/core/site.hpp"

namespace kiosk {

inline constexpr size_t kMaxAnnouncementBuildings = 64;
inline constexpr size_t kMaxBuildingIdBytes = 128;

// Whether the announcement is for a lobby in `building`: one chosen for it, or none chosen.
bool announcement_for_building(const Announcement& a, const std::string& building);

// An announcement row's "buildings" field as a kiosk takes it: absent or null, every building;
// else a list of at most kMaxAnnouncementBuildings ids of 1 to kMaxBuildingIdBytes bytes with no
// control character. Anything else is an error, and the row is refused.
Result<std::vector<std::string>> announcement_buildings(const nlohmann::json* field);

}  // namespace kiosk
