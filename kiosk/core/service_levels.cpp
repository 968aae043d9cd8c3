#include "kiosk/core/service_levels.hpp"

#include <array>

namespace kiosk {

namespace {
constexpr std::time_t kMinute = 60, kHour = 3600, kDay = 86400;
}

std::string_view repair_category_id(RepairCategory c) {
    static constexpr std::array<std::string_view, kRepairCategoryCount> kIds{
        "water", "electrical", "doors", "walls", "gas", "lift", "public_area", "other"};
    return kIds[static_cast<size_t>(c)];
}

std::string_view complaint_kind_id(ComplaintKind k) {
    static constexpr std::array<std::string_view, kComplaintKindCount> kIds{
        "equipment", "attitude", "quality", "sudden_event", "suggestion", "other"};
    return kIds[static_cast<size_t>(k)];
}

std::time_t end_of_local_day(std::time_t t) {
    std::tm tm{};
    localtime_r(&t, &tm);
    tm.tm_hour = 23;
    tm.tm_min = 59;
    tm.tm_sec = 59;
    tm.tm_isdst = -1;
    return std::mktime(&tm);
}

RepairPromise repair_promise(RepairUrgency urgency, std::time_t registered_at, std::optional<TimeWindow> booked,
                             bool leak) {
    RepairPromise p;
    if (urgency == RepairUrgency::Appointment && booked) {
        p.on_site_by = booked->start;
        p.done_by = booked->end;
    } else {
        // Emergencies: a repairer at the door within 30 minutes; ordinary repairs done the same day.
        p.on_site_by = urgency == RepairUrgency::Emergency ? registered_at + 30 * kMinute : end_of_local_day(registered_at);
        p.done_by = end_of_local_day(registered_at);
        if (p.on_site_by > p.done_by) p.done_by = p.on_site_by;  // an emergency called at 23:50
    }
    if (leak) p.follow_up_by = p.done_by + 3 * kDay;
    return p;
}

ComplaintDeadlines complaint_deadlines(Severity severity, std::time_t filed_at,
                                       std::optional<std::time_t> resident_asked_by) {
    ComplaintDeadlines d;
    d.to_department_by = filed_at + 10 * kMinute;
    switch (severity) {
        case Severity::Major:
            d.escalated_by = end_of_local_day(filed_at);
            d.answer_by = filed_at + 2 * kDay;
            d.resolved_by = filed_at + 10 * kDay;
            break;
        case Severity::Important:
            d.escalated_by = filed_at + kHour;
            d.resolved_by = filed_at + 3 * kDay;
            break;
        case Severity::Minor:
            d.escalated_by = d.to_department_by;  // stays with the department
            d.resolved_by = resident_asked_by && *resident_asked_by > filed_at ? *resident_asked_by : filed_at + 2 * kDay;
            break;
    }
    return d;
}

std::time_t complaint_reply_by(std::time_t filed_at) { return filed_at + kDay; }

}  // namespace kiosk
