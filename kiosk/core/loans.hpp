#pragma once
// Borrowing convenience items (便民物品借用): what the desk lends, to whom, until when.
#include <ctime>
#include <string>
#include <vector>

#include "kiosk/core/site.hpp"

namespace kiosk {

struct CatalogueItem {
    std::string id;
    LocalText name;
    int stock = 0;            // how many the desk owns
    int available = 0;        // stock less what is out
    int64_t deposit_cents = 0;
    int loan_days = 1;
};

struct Loan {
    std::string id;           // "L<yymmdd><kiosk><nnn>"
    std::string item_id, unit_id, borrower_id;
    std::string status;       // out, returned
    std::string condition;    // on return: good, worn, damaged, incomplete
    std::time_t lent_at = 0, due_at = 0, returned_at = 0;
};

// Due back at the end of the day `loan_days` after lending (an umbrella lent on Sunday morning
// for 3 days is due Wednesday 23:59:59).
std::time_t loan_due(std::time_t lent_at, int loan_days);
bool loan_overdue(const Loan& l, std::time_t now);
// The conditions staff note on a return (catalogue: loan.condition.<id>).
const std::vector<std::string>& loan_conditions();

}  // namespace kiosk
