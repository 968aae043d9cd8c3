#pragma once
// A repair request (报修) as the resident fills it in at the kiosk, and the checks that keep a
// half-filled one from being saved.
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <vector>

#include "kiosk/core/service_levels.hpp"

namespace kiosk {

struct RepairRequest {
    RepairCategory category = RepairCategory::Other;
    RepairUrgency urgency = RepairUrgency::Emergency;
    std::optional<TimeWindow> window;        // an appointment's booked window
    std::string unit_id;                     // the household's own flat, or
    std::string public_area;                 // a public area's id (lobby, lift, …)
    std::vector<std::string> phrases;        // the preset phrases chosen, in the office's language
    std::string free_text;                   // what the resident typed
    bool leak = false;                       // a chosen phrase is a leak: a follow-up visit is due
    std::string contact_resident_id;
    std::string contact_phone_masked;
};

// The preset phrases a resident taps instead of typing, per category (catalogue: repair.phrase.<id>).
struct RepairPhrase {
    std::string_view id;   // "water.pipe_leak"
    bool leak;             // water coming through: the repair gets a follow-up visit within 3 days
};
std::span<const RepairPhrase> repair_phrases(RepairCategory c);
// Whether the scope is one the kiosk takes (小修 minor / 中修 medium); the hint names examples.
std::string_view repair_scope_hint_key(RepairCategory c);   // repair.category.<id>.hint

inline constexpr size_t kRepairTextMax = 200;   // characters the resident may type

// The description the repairer reads: the phrases, then the resident's words.
std::string repair_description(const RepairRequest& r);
// The i18n key of what is missing or wrong, or nothing when the request can be saved.
std::optional<std::string> repair_problem(const RepairRequest& r);
// A resident's follow-up on a finished repair or complaint: 1–5 stars and at most 600 bytes of
// comment. The key of what is wrong, or nothing.
std::optional<std::string> follow_up_problem(int rating, const std::string& comment);

}  // namespace kiosk
