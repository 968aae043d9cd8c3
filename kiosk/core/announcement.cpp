#include "kiosk/core/announcement.hpp"

#include <algorithm>

namespace kiosk {

bool announcement_for_building(const Announcement& a, const std::string& building) {
    return a.buildings.empty() || std::find(a.buildings.begin(), a.buildings.end(), building) != a.buildings.end();
}

Result<std::vector<std::string>> announcement_buildings(const nlohmann::json* field) {
    auto fail = [](const std::string& why) -> Result<std::vector<std::string>> { return Error{"error.site_data", "buildings: " + why}; };
    std::vector<std::string> out;
    if (!field || field->is_null()) return out;
    if (!field->is_array()) return fail("not a list");
    if (field->size() > kMaxAnnouncementBuildings) return fail("more than " + std::to_string(kMaxAnnouncementBuildings));
    for (const auto& b : *field) {
        if (!b.is_string()) return fail("an id that is not text");
        const auto& id = b.get_ref<const std::string&>();
        if (id.empty() || id.size() > kMaxBuildingIdBytes) return fail("an id of 1 to " + std::to_string(kMaxBuildingIdBytes) + " bytes");
        for (unsigned char c : id)
            if (c < 0x20 || c == 0x7f) return fail("an id with a control character");
        out.push_back(id);
    }
    return out;
}

}  // namespace kiosk
