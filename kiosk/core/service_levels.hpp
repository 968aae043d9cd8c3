#pragma once
// What the office is bound to do, and by when (domain.md: repairs and complaints). The screen
// promises exactly what these functions compute, so a promise is never one the office cannot keep.
// Times are wall-clock seconds (std::time_t); "the same day" means the kiosk's local day.
#include <ctime>
#include <optional>
#include <string_view>

namespace kiosk {

enum class RepairCategory { WaterDrains, Electrical, DoorsWindowsLocks, WallsCeilings, Gas, Lift, PublicArea, Other };
inline constexpr int kRepairCategoryCount = 8;
std::string_view repair_category_id(RepairCategory c);   // "water", "electrical", … (catalogue: repair.category.<id>)

enum class RepairUrgency { Emergency, Appointment };

struct TimeWindow {
    std::time_t start = 0;
    std::time_t end = 0;
};

struct RepairPromise {
    std::time_t on_site_by = 0;                  // emergency: 30 minutes; appointment: the window's start
    std::time_t done_by = 0;                     // the same day, or the end of the booked window
    std::optional<std::time_t> follow_up_by;     // leaks: a follow-up visit within 3 days of the work
};

// `leak`: water coming through (pipes, roof, walls): those get a follow-up visit.
RepairPromise repair_promise(RepairUrgency urgency, std::time_t registered_at, std::optional<TimeWindow> booked,
                             bool leak);

enum class ComplaintKind { Equipment, ServiceAttitude, ServiceQuality, SuddenEvent, Suggestion, Other };
inline constexpr int kComplaintKindCount = 6;
std::string_view complaint_kind_id(ComplaintKind k);     // catalogue: complaint.kind.<id>

enum class Severity { Major, Important, Minor };

struct ComplaintDeadlines {
    std::time_t to_department_by = 0;            // the form reaches the department: 10 minutes
    std::time_t escalated_by = 0;                // major: the general manager the same day; important: the manager in 1 h
    std::optional<std::time_t> answer_by;        // major: a clear answer to the resident within 2 days
    std::time_t resolved_by = 0;                 // major 10 days; important 3 days; minor 2 days or the resident's date
};

ComplaintDeadlines complaint_deadlines(Severity severity, std::time_t filed_at,
                                       std::optional<std::time_t> resident_asked_by = std::nullopt);
// What the kiosk promises when a complaint is filed, before staff set its severity: a reply
// within 24 hours (the complaint line's rule).
std::time_t complaint_reply_by(std::time_t filed_at);

// The end (23:59:59) of the local day holding t.
std::time_t end_of_local_day(std::time_t t);

}  // namespace kiosk
