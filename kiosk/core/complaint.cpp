#include "kiosk/core/complaint.hpp"

#include "kiosk/core/text.hpp"

namespace kiosk {

namespace {
constexpr std::string_view kEquipment[] = {"equipment.lift", "equipment.lights", "equipment.water_power", "equipment.access"};
constexpr std::string_view kAttitude[] = {"attitude.rude", "attitude.no_answer", "attitude.unclear"};
constexpr std::string_view kQuality[] = {"quality.repair", "quality.parcel_late", "quality.cleaning", "quality.slow"};
constexpr std::string_view kSudden[] = {"sudden_event.power_cut", "sudden_event.water_cut", "sudden_event.leak_neighbour"};
constexpr std::string_view kSuggestion[] = {"suggestion.fitness", "suggestion.greenery", "suggestion.parking"};
constexpr std::string_view kOther[] = {"other.other"};
constexpr std::string_view kWhen[] = {"today", "yesterday", "this_week", "earlier"};
constexpr std::string_view kAbout[] = {"front_desk", "engineering", "security", "cleaning", "landscaping", "unsure"};
constexpr std::string_view kWants[] = {"fix", "reply", "apology", "compensation", "suggestion_only"};
}  // namespace

std::span<const std::string_view> complaint_phrases(ComplaintKind k) {
    switch (k) {
        case ComplaintKind::Equipment: return kEquipment;
        case ComplaintKind::ServiceAttitude: return kAttitude;
        case ComplaintKind::ServiceQuality: return kQuality;
        case ComplaintKind::SuddenEvent: return kSudden;
        case ComplaintKind::Suggestion: return kSuggestion;
        case ComplaintKind::Other: return kOther;
    }
    return kOther;
}

std::span<const std::string_view> complaint_when_ids() { return kWhen; }
std::span<const std::string_view> complaint_about_ids() { return kAbout; }
std::span<const std::string_view> complaint_wants_ids() { return kWants; }

std::string complaint_what(const ComplaintRequest& c) {
    std::string d;
    for (auto& p : c.phrases) d += (d.empty() ? "" : "\xEF\xBC\x9B") + p;
    std::string typed = c.free_text;
    while (!typed.empty() && typed.back() == ' ') typed.pop_back();
    if (!typed.empty()) d += (d.empty() ? "" : "\xEF\xBC\x9B") + typed;
    return d;
}

std::optional<std::string> complaint_problem(const ComplaintRequest& c) {
    if (complaint_what(c).empty()) return "complaint.error.what";
    if (utf8_length(c.free_text) > kComplaintTextMax) return "complaint.error.too_long";
    if (c.where.empty() || c.when.empty()) return "complaint.error.where_when";
    if (c.wants.empty()) return "complaint.error.wants";
    if (c.contact_resident_id.empty()) return "repair.error.contact";
    return std::nullopt;
}

}  // namespace kiosk
