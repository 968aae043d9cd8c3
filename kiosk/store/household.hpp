#pragma once
// The site's buildings, units and residents, how a household or a staff member proves who they
// are, and a household's fees (kiosk/store/household.cpp).
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
    // Whether `pin` is the household's PIN (false when the household has none).
    bool household_pin_matches(const std::string& unit_id, const std::string& pin);
    std::vector<FeeItem> fee_items(const std::string& unit_id);
    // Staff PIN check (libsodium Argon2id hash); returns the member when the PIN is right.
    std::optional<StaffMember> check_staff_pin(const std::string& staff_no, const std::string& pin);
};

}  // namespace kiosk
