#include "kiosk/core/exit_pass.hpp"

#include <algorithm>

namespace kiosk {

const std::vector<std::string>& exit_pass_items() {
    static const std::vector<std::string> k{"furniture", "appliance", "luggage", "boxes", "bicycle", "building_material", "other"};
    return k;
}
const std::vector<std::string>& exit_pass_windows() {
    static const std::vector<std::string> k{"morning", "afternoon", "evening"};
    return k;
}
const std::vector<std::string>& exit_pass_carriers() {
    static const std::vector<std::string> k{"self", "family", "movers", "other"};
    return k;
}

std::optional<std::string> exit_pass_problem(const ExitPassRequest& r) {
    if (r.unit_id.empty() || r.requester_id.empty()) return "exit.error.household";
    if (r.items.empty()) return "exit.error.no_items";
    for (auto& [item, qty] : r.items) {
        if (std::find(exit_pass_items().begin(), exit_pass_items().end(), item) == exit_pass_items().end())
            return "exit.error.item";
        if (qty < 1 || qty > 99) return "exit.error.quantity";
    }
    if (r.date.size() != 10) return "exit.error.when";
    if (std::find(exit_pass_windows().begin(), exit_pass_windows().end(), r.window) == exit_pass_windows().end())
        return "exit.error.when";
    if (std::find(exit_pass_carriers().begin(), exit_pass_carriers().end(), r.carrier) == exit_pass_carriers().end())
        return "exit.error.carrier";
    if (r.plate.size() > 24) return "exit.error.plate";
    return std::nullopt;
}

ExitPassReview review_exit_pass(const std::string& requester_role, int months_in_arrears, ArrearsRule rule) {
    ExitPassReview r;
    r.tenant = requester_role == "tenant";
    r.months_in_arrears = months_in_arrears;
    r.rule = rule;
    return r;
}

std::string_view gate_verdict_id(GateVerdict v) {
    switch (v) {
        case GateVerdict::LetThrough: return "let_through";
        case GateVerdict::AlreadyUsed: return "used";
        case GateVerdict::NotToday: return "not_today";
        case GateVerdict::Expired: return "expired";
        case GateVerdict::NotApproved: return "not_approved";
        case GateVerdict::Unknown: return "unknown";
    }
    return "unknown";
}

GateVerdict gate_verdict(const std::string& status, const std::string& pass_date, const std::string& today) {
    if (status.empty()) return GateVerdict::Unknown;
    if (status == "used") return GateVerdict::AlreadyUsed;
    if (status != "approved") return GateVerdict::NotApproved;
    if (pass_date < today) return GateVerdict::Expired;
    if (pass_date > today) return GateVerdict::NotToday;
    return GateVerdict::LetThrough;
}

std::optional<std::string> exit_review_problem(bool approve, bool overridden, const std::string& reason) {
    if ((!approve || overridden) && reason.empty()) return "exit.error.reason";
    return std::nullopt;
}

}  // namespace kiosk
