#include "kiosk/core/loans.hpp"

#include "kiosk/core/service_levels.hpp"

namespace kiosk {

std::time_t loan_due(std::time_t lent_at, int loan_days) {
    return end_of_local_day(lent_at + static_cast<std::time_t>(loan_days) * 86400);
}

bool loan_overdue(const Loan& l, std::time_t now) { return l.status == "out" && now > l.due_at; }

const std::vector<std::string>& loan_conditions() {
    static const std::vector<std::string> k{"good", "worn", "damaged", "incomplete"};
    return k;
}

}  // namespace kiosk
