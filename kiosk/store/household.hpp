#pragma once
// The site's buildings, units and residents, how a household or a staff member proves who they
// are, and a household's fees (kiosk/store/household.cpp).
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/fees.hpp"
#include "kiosk/core/site.hpp"
#include "kiosk/store/repository.hpp"

namespace kiosk {

class HouseholdRepository : public Repository {
public:
    HouseholdRepository(Store& store, SQLite::Database& db) : Repository(store, db) {}

    std::vector<Building> buildings();
    std::vector<Unit> units_of(const std::string& building_id);
    std::optional<Unit> unit(const std::string& unit_id);
    // The unit's residents, owner first.
    std::vector<HouseholdMember> members(const std::string& unit_id);
    // What proves the household: its PIN's Argon2id hash string (empty: no PIN issued), and
    // whether head office has locked it after guessing at the site's kiosks. Checking a PIN
    // against the hash is slow on purpose and belongs off the UI thread (household_pin_matches).
    struct Proof {
        std::string pin_hash;
        bool locked = false;
    };
    std::optional<Proof> household_proof(const std::string& unit_id);
    // A wrong PIN for the household, as a record head office counts across the site's kiosks
    // (household.pin_failed: the unit, when, and which PIN it was checked against as
    // household_pin_ref of `pin_hash`; never what was typed).
    Result<Ok> record_pin_failure(const std::string& unit_id, std::time_t at, const std::string& pin_hash);
    // When this kiosk saw wrong PINs for the flat at or after `since`, oldest first (to count them
    // again after a restart).
    std::vector<std::time_t> pin_failures_since(const std::string& unit_id, std::time_t since);
    std::vector<FeeItem> fee_items(const std::string& unit_id);
    // A staff member and their PIN's Argon2id hash string, to check off the UI thread
    // (staff_pin_matches).
    struct StaffCredentials {
        StaffMember member;
        std::string pin_hash;
    };
    std::optional<StaffCredentials> staff_member(const std::string& staff_no);
};

}  // namespace kiosk
