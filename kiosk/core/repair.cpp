#include "kiosk/core/repair.hpp"

#include "kiosk/core/text.hpp"

namespace kiosk {

namespace {
constexpr RepairPhrase kWater[] = {{"water.pipe_leak", true}, {"water.blocked", false}, {"water.tap", false}, {"water.toilet_leak", true}};
constexpr RepairPhrase kElectrical[] = {{"electrical.no_power", false}, {"electrical.socket", false}, {"electrical.switch", false}, {"electrical.light", false}};
constexpr RepairPhrase kDoors[] = {{"doors.lock", false}, {"doors.window", false}, {"doors.hinge", false}, {"doors.glass", false}};
constexpr RepairPhrase kWalls[] = {{"walls.ceiling_leak", true}, {"walls.crack", false}, {"walls.peeling", false}, {"walls.tile", false}};
constexpr RepairPhrase kGas[] = {{"gas.smell", false}, {"gas.stove", false}, {"gas.meter", false}};
constexpr RepairPhrase kLift[] = {{"lift.stuck", false}, {"lift.noise", false}, {"lift.button", false}};
constexpr RepairPhrase kPublic[] = {{"public_area.light", false}, {"public_area.door", false}, {"public_area.drain", false}, {"public_area.damage", false}};
constexpr RepairPhrase kOther[] = {{"other.other", false}};
}  // namespace

std::span<const RepairPhrase> repair_phrases(RepairCategory c) {
    switch (c) {
        case RepairCategory::WaterDrains: return kWater;
        case RepairCategory::Electrical: return kElectrical;
        case RepairCategory::DoorsWindowsLocks: return kDoors;
        case RepairCategory::WallsCeilings: return kWalls;
        case RepairCategory::Gas: return kGas;
        case RepairCategory::Lift: return kLift;
        case RepairCategory::PublicArea: return kPublic;
        case RepairCategory::Other: return kOther;
    }
    return kOther;
}

std::string_view repair_scope_hint_key(RepairCategory c) {
    static constexpr std::string_view kKeys[kRepairCategoryCount] = {
        "repair.category.water.hint", "repair.category.electrical.hint", "repair.category.doors.hint",
        "repair.category.walls.hint", "repair.category.gas.hint", "repair.category.lift.hint",
        "repair.category.public_area.hint", "repair.category.other.hint"};
    return kKeys[static_cast<size_t>(c)];
}

std::string repair_description(const RepairRequest& r) {
    std::string d;
    for (auto& p : r.phrases) {
        if (!d.empty()) d += "\xEF\xBC\x9B";  // ；
        d += p;
    }
    std::string typed = r.free_text;
    while (!typed.empty() && typed.back() == ' ') typed.pop_back();
    if (!typed.empty()) {
        if (!d.empty()) d += "\xEF\xBC\x9B";
        d += typed;
    }
    return d;
}

std::optional<std::string> repair_problem(const RepairRequest& r) {
    if (r.unit_id.empty() == r.public_area.empty()) return "repair.error.location";
    if (r.urgency == RepairUrgency::Appointment && (!r.window || r.window->end <= r.window->start))
        return "repair.error.window";
    if (repair_description(r).empty()) return "repair.error.description";
    if (utf8_length(r.free_text) > kRepairTextMax) return "repair.error.too_long";
    if (r.contact_resident_id.empty()) return "repair.error.contact";
    return std::nullopt;
}

std::optional<std::string> follow_up_problem(int rating, const std::string& comment) {
    if (rating < 1 || rating > 5) return "my.error.rating";
    if (comment.size() > 600) return "repair.error.too_long";
    return std::nullopt;
}

}  // namespace kiosk
