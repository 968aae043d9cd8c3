#pragma once
// Item loans: lent while stock lasts, returned once with a note of the item's condition
// (kiosk/store/loans.cpp).
#include <ctime>
#include <string>
#include <vector>

#include "kiosk/core/loans.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/store/repository.hpp"

namespace kiosk {

class LoanRepository : public Repository {
public:
    LoanRepository(Store& store, SQLite::Database& db) : Repository(store, db) {}

    // Lends one item to a household; refused when none is left (loan.error.none_left), counted
    // inside the lending transaction.
    Result<Loan> lend_item(const std::string& item_id, const std::string& unit_id, const std::string& borrower_id,
                           std::time_t at);
    std::vector<Loan> loans_out();                                   // oldest first
    std::vector<Loan> household_loans(const std::string& unit_id);   // out, oldest first
    Result<Ok> return_loan(const std::string& loan_id, const std::string& condition, const std::string& staff_no,
                           std::time_t at);
};

}  // namespace kiosk
