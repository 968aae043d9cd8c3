#pragma once
// A household's cases: repairs, complaints, their follow-ups, questions the enquiry screen could
// not answer, and survey answers (kiosk/store/cases.cpp).
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/complaint.hpp"
#include "kiosk/core/repair.hpp"
#include "kiosk/core/site.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/store/repository.hpp"

namespace kiosk {

class CaseRepository : public Repository {
public:
    CaseRepository(Store& store, SQLite::Database& db) : Repository(store, db) {}

    // Saves a repair request with its record and outbox entry; returns the ticket number. A request
    // with something missing is refused whole (repair_problem's key).
    Result<std::string> save_repair(const RepairRequest& r, std::time_t registered_at, const RepairPromise& promise);
    // Saves a complaint or suggestion as an open case; returns its ticket (TS-…).
    Result<std::string> save_complaint(const ComplaintRequest& c, std::time_t filed_at);
    // The household's repairs and complaints, newest first, with their deadlines.
    std::vector<HouseholdCase> household_cases(const std::string& unit_id);
    // The resident's rating (1–5) and comment once the work is done; refused before that, or twice.
    Result<Ok> save_follow_up(const std::string& ticket, int rating, const std::string& comment, std::time_t at);
    // A question the enquiry screen could not answer, with a number to call back (stored masked
    // here; the full number goes to head office in the record). Returns its ticket (ZX-…).
    Result<std::string> save_question(const std::string& question, const std::string& phone, std::time_t at);
    // One household's answers (question id → 1..5) to survey `survey_id`. Anonymous answers keep
    // no flat, only a one-way key. A second answer from the same household is refused.
    Result<Ok> save_survey(const std::string& survey_id, const std::string& unit_id, bool anonymous,
                           const std::vector<std::pair<std::string, int>>& answers, std::time_t at);
    bool survey_answered(const std::string& survey_id, const std::string& unit_id);
};

}  // namespace kiosk
