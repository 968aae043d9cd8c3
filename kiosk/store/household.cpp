// Buildings, units, residents, and what proves households and staff (the hashes; the slow
// checks are kiosk/core/household's, run off the UI thread).
#include <SQLiteCpp/Statement.h>

#include "kiosk/core/household.hpp"
#include "kiosk/store/store.hpp"

namespace kiosk {

std::vector<Building> HouseholdRepository::buildings() {
    std::vector<Building> out;
    SQLite::Statement q(*m_db, "SELECT id, name FROM buildings ORDER BY sort, id");
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), local_text(q.getColumn(1).getString())});
    return out;
}

std::vector<Unit> HouseholdRepository::units_of(const std::string& building_id) {
    std::vector<Unit> out;
    SQLite::Statement q(*m_db, "SELECT id, building_id, floor, label FROM units WHERE building_id = ? ORDER BY floor, label");
    q.bind(1, building_id);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt(),
                       q.getColumn(3).getString()});
    return out;
}

std::optional<Unit> HouseholdRepository::unit(const std::string& unit_id) {
    SQLite::Statement q(*m_db, "SELECT id, building_id, floor, label FROM units WHERE id = ?");
    q.bind(1, unit_id);
    if (!q.executeStep()) return std::nullopt;
    return Unit{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt(), q.getColumn(3).getString()};
}

std::vector<HouseholdMember> HouseholdRepository::members(const std::string& unit_id) {
    std::vector<HouseholdMember> out;
    SQLite::Statement q(*m_db,
                        "SELECT id, name_masked, phone_masked, role FROM residents "
                        "WHERE unit_id = ? ORDER BY role = 'owner' DESC, id");
    q.bind(1, unit_id);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                       q.getColumn(3).getString()});
    return out;
}

std::optional<HouseholdRepository::Proof> HouseholdRepository::household_proof(const std::string& unit_id) {
    SQLite::Statement q(*m_db, "SELECT pin_hash, locked FROM household_pins WHERE unit_id = ?");
    q.bind(1, unit_id);
    if (!q.executeStep()) return std::nullopt;
    return Proof{q.getColumn(0).getString(), q.getColumn(1).getInt() != 0};
}

Result<Ok> HouseholdRepository::record_pin_failure(const std::string& unit_id, std::time_t at, const std::string& pin_hash) {
    auto saved = save_record("household.pin_failed", 1,
                             {{"unit", unit_id}, {"at", static_cast<int64_t>(at)}, {"pin_ref", household_pin_ref(pin_hash)}},
                             [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json&) {
                                 SQLite::Statement ins(db, "INSERT INTO household_pin_failures (record_id, unit_id, at) VALUES (?, ?, ?)");
                                 ins.bind(1, rec.id);
                                 ins.bind(2, unit_id);
                                 ins.bind(3, static_cast<int64_t>(at));
                                 ins.exec();
                             });
    if (!saved) return saved.error();
    return Ok{};
}

std::vector<std::time_t> HouseholdRepository::pin_failures_since(const std::string& unit_id, std::time_t since) {
    SQLite::Statement q(*m_db, "SELECT at FROM household_pin_failures WHERE unit_id = ? AND at >= ? ORDER BY at LIMIT 1000");
    q.bind(1, unit_id);
    q.bind(2, static_cast<int64_t>(since));
    std::vector<std::time_t> out;
    while (q.executeStep()) out.push_back(static_cast<std::time_t>(q.getColumn(0).getInt64()));
    return out;
}

std::vector<FeeItem> HouseholdRepository::fee_items(const std::string& unit_id) {
    std::vector<FeeItem> out;
    SQLite::Statement q(*m_db, "SELECT month, kind, amount_cents, paid FROM fee_items WHERE unit_id = ? ORDER BY month DESC, kind");
    q.bind(1, unit_id);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
                       q.getColumn(3).getInt() != 0});
    return out;
}

std::optional<HouseholdRepository::StaffCredentials> HouseholdRepository::staff_member(const std::string& staff_no) {
    SQLite::Statement q(*m_db, "SELECT name_masked, role, pin_hash FROM staff WHERE staff_no = ?");
    q.bind(1, staff_no);
    if (!q.executeStep()) return std::nullopt;
    StaffCredentials c;
    c.member.staff_no = staff_no;
    c.member.name_masked = q.getColumn(0).getString();
    c.member.role = q.getColumn(1).getString() == "supervisor" ? StaffRole::Supervisor : StaffRole::Clerk;
    c.pin_hash = q.getColumn(2).getString();
    return c;
}

}  // namespace kiosk
