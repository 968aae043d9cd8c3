#pragma once
// Exit passes: requested by a household, reviewed by staff, used once at the gate
// (kiosk/store/exit_passes.cpp).
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/exit_pass.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/store/repository.hpp"

namespace kiosk {

class ExitPassRepository : public Repository {
public:
    ExitPassRepository(Store& store, SQLite::Database& db) : Repository(store, db) {}

    Result<std::string> save_exit_pass_request(const ExitPassRequest& r, std::time_t at);
    std::vector<ExitPass> pending_exit_passes();  // oldest first
    std::optional<ExitPass> exit_pass(const std::string& id);
    // Approves or rejects a pending pass; refused when it is no longer pending (exit.error.reviewed).
    Result<Ok> review_exit_pass(const std::string& id, bool approve, const std::string& reason,
                                const std::string& staff_no, bool overridden, std::time_t at);
    // The gate: lets an approved pass of `today` through once and says why anything else is refused.
    GateVerdict use_exit_pass(const std::string& id, const std::string& today, std::time_t at);
};

}  // namespace kiosk
