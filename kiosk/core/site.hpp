#pragma once
// Reference data a site's kiosk shows: pulled from head office (issue #5), or loaded from the
// demo site in assets/demo/site.json. Text the resident reads comes in every language.
#include <array>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/i18n.hpp"

namespace kiosk {

// One string per language, indexed by Lang.
struct LocalText {
    std::array<std::string, 3> text;
    const std::string& in(Lang l) const {
        const auto& s = text[static_cast<int>(l)];
        return s.empty() ? text[0] : s;
    }
};

struct Announcement {
    std::string id;
    LocalText title;
    LocalText body;
    bool urgent = false;     // a water or power cut: a banner on the home screen
    std::string starts_on;   // YYYY-MM-DD, inclusive
    std::string ends_on;     // YYYY-MM-DD, inclusive
    std::vector<std::string> buildings;  // those it is for (announcement.hpp); empty: every building
};

struct Building {
    std::string id;
    LocalText name;
};

struct Unit {
    std::string id;           // "B1-101"
    std::string building_id;
    int floor = 0;
    std::string label;        // "101"
};

// A registered resident of a unit as the kiosk may know them: masked. Never the full phone, and
// nothing that proves the household (that is the household PIN's hash, household_pins).
struct HouseholdMember {
    std::string resident_id;
    std::string name_masked;
    std::string phone_masked;
    std::string role;         // owner, tenant, family
};

// A repair or complaint of the household, as "My requests" lists it.
// The ladder a case climbs, in this order: a status never goes back down it (head office refuses,
// a kiosk keeps the higher of its own and the pulled one), so `a < b` means "b is further on".
enum class CaseStatus { Registered, Dispatched, InProgress, Done, FollowedUp, Closed };
inline constexpr int kCaseStatusCount = 6;
inline constexpr std::array<std::string_view, kCaseStatusCount> kCaseStatusIds{"registered", "dispatched", "in_progress",
                                                                              "done",       "followed_up", "closed"};
// The status as records, data sets, the store and the catalogue (my.status.<id>) name it.
constexpr std::string_view case_status_id(CaseStatus s) { return kCaseStatusIds[static_cast<size_t>(s)]; }
// Nothing for a status this build does not know (a newer head office): the caller decides.
constexpr std::optional<CaseStatus> parse_case_status(std::string_view id) {
    for (size_t i = 0; i < kCaseStatusIds.size(); ++i)
        if (kCaseStatusIds[i] == id) return static_cast<CaseStatus>(i);
    return std::nullopt;
}

struct HouseholdCase {
    std::string ticket;
    bool is_repair = true;
    std::string kind;            // repair category id, or complaint kind id
    std::string summary;         // the description as filed
    CaseStatus status = CaseStatus::Registered;
    std::time_t filed_at = 0;
    std::time_t due_by = 0;      // repairs: done_by; complaints: the reply, or the severity's deadline
    std::optional<std::string> severity;
    std::optional<int> rating;   // the resident's follow-up, once given
};

enum class StaffRole { Clerk, Supervisor };

struct StaffMember {
    std::string staff_no;    // typed on the Latin keyboard, e.g. "A01"
    std::string name_masked;
    StaffRole role = StaffRole::Clerk;
};

}  // namespace kiosk
