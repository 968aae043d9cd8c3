#pragma once
// A complaint or suggestion (投诉建议) as filed at the kiosk: kind, what happened, where and when,
// who or which department (optional), what the resident wants, how to reach them. It is saved as
// an open case; staff set its severity later, which fixes its deadlines (complaint_deadlines).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/service_levels.hpp"

namespace kiosk {

// Preset phrases per kind (catalogue complaint.phrase.<id>).
std::span<const std::string_view> complaint_phrases(ComplaintKind k);

// The choices offered for when it happened, who it is about and what the resident wants
// (catalogue complaint.when.<id>, complaint.about.<id>, complaint.wants.<id>).
std::span<const std::string_view> complaint_when_ids();
std::span<const std::string_view> complaint_about_ids();
std::span<const std::string_view> complaint_wants_ids();

struct ComplaintRequest {
    ComplaintKind kind = ComplaintKind::Other;
    std::vector<std::string> phrases;   // in the office's language
    std::string free_text;
    std::string where;                  // as the office reads it: "1栋 102", "大堂", …
    std::string when;
    std::string about;                  // a department, or empty
    std::string wants;
    std::string unit_id;
    std::string contact_resident_id;
    std::string contact_phone_masked;
};

inline constexpr size_t kComplaintTextMax = 300;

std::string complaint_what(const ComplaintRequest& c);
std::optional<std::string> complaint_problem(const ComplaintRequest& c);

}  // namespace kiosk
