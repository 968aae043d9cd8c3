// Loads a site's reference data (the demo site in assets/demo/site.json, or a head-office export)
// into the store, replacing what was there, in one transaction: a bad file changes nothing.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "kiosk/store/store.hpp"

namespace kiosk {

namespace {
using nlohmann::json;

std::string text_of(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) throw std::runtime_error(std::string("missing field '") + key + "'");
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object()) return it->dump();  // a LocalText: {"zh-CN": …, "en": …, "zh-TW": …}
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    throw std::runtime_error(std::string("field '") + key + "' has the wrong type");
}

void insert_rows(SQLite::Database& db, const json& site, const char* section, const char* sql,
                 std::initializer_list<const char*> fields) {
    auto it = site.find(section);
    if (it == site.end()) return;
    if (!it->is_array()) throw std::runtime_error(std::string(section) + " is not a list");
    SQLite::Statement st(db, sql);
    int row = 0;
    for (const json& item : *it) {
        ++row;
        int i = 1;
        try {
            for (const char* f : fields) {
                const json& v = item.at(f);
                if (v.is_boolean()) st.bind(i++, v.get<bool>() ? 1 : 0);
                else if (v.is_number_integer()) st.bind(i++, v.get<int64_t>());
                else st.bind(i++, text_of(item, f));
            }
            st.exec();
            st.reset();
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string(section) + " #" + std::to_string(row) + ": " + e.what());
        }
    }
}
}  // namespace

Result<Ok> Store::import_site(const nlohmann::json& site) {
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        for (const char* t : {"parcel_consent", "household_pins", "residents", "fee_items", "units", "buildings", "catalogue_items", "announcements",
                              "site_facts", "staff"})
            m_db->exec(std::string("DELETE FROM ") + t);
        if (auto it = site.find("facts"); it != site.end()) {
            SQLite::Statement st(*m_db, "INSERT INTO site_facts (key, value) VALUES (?, ?)");
            for (auto& [k, v] : it->items()) {
                st.bind(1, k);
                st.bind(2, v.is_string() ? v.get<std::string>() : v.dump());
                st.exec();
                st.reset();
            }
        }
        insert_rows(*m_db, site, "buildings", "INSERT INTO buildings (id, name, sort) VALUES (?, ?, ?)",
                    {"id", "name", "sort"});
        insert_rows(*m_db, site, "units", "INSERT INTO units (id, building_id, floor, label) VALUES (?, ?, ?, ?)",
                    {"id", "building", "floor", "label"});
        insert_rows(*m_db, site, "residents",
                    "INSERT INTO residents (id, unit_id, name_masked, phone_masked, role, verify_salt, verify_hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    {"id", "unit", "name_masked", "phone_masked", "role", "verify_salt", "verify_hash"});
        insert_rows(*m_db, site, "household_pins", "INSERT INTO household_pins (unit_id, salt, verifier) VALUES (?, ?, ?)",
                    {"unit", "salt", "verifier"});
        if (auto it = site.find("parcel_consent"); it != site.end()) {
            SQLite::Statement st(*m_db, "INSERT INTO parcel_consent (unit_id) VALUES (?)");
            for (auto& u : *it) {
                st.bind(1, u.get<std::string>());
                st.exec();
                st.reset();
            }
        }
        insert_rows(*m_db, site, "fee_items",
                    "INSERT INTO fee_items (id, unit_id, month, kind, amount_cents, paid) VALUES (?, ?, ?, ?, ?, ?)",
                    {"id", "unit", "month", "kind", "amount_cents", "paid"});
        insert_rows(*m_db, site, "catalogue_items",
                    "INSERT INTO catalogue_items (id, name, stock, deposit_cents, loan_days) VALUES (?, ?, ?, ?, ?)",
                    {"id", "name", "stock", "deposit_cents", "loan_days"});
        insert_rows(*m_db, site, "announcements",
                    "INSERT INTO announcements (id, title, body, urgent, starts_on, ends_on) VALUES (?, ?, ?, ?, ?, ?)",
                    {"id", "title", "body", "urgent", "starts_on", "ends_on"});
        insert_rows(*m_db, site, "staff", "INSERT INTO staff (staff_no, name_masked, role, pin_hash) VALUES (?, ?, ?, ?)",
                    {"staff_no", "name_masked", "role", "pin_hash"});
        tx.commit();
        return Ok{};
    } catch (const std::exception& e) {
        return Error{"error.site_import", e.what()};
    }
}

std::vector<std::string> Store::display_texts() {
    SQLite::Statement q(*m_db, "SELECT title || body FROM announcements UNION ALL SELECT value FROM site_facts "
                               "UNION ALL SELECT name FROM buildings UNION ALL SELECT name_masked FROM staff "
                               "UNION ALL SELECT name_masked FROM residents UNION ALL SELECT name FROM catalogue_items");
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

}  // namespace kiosk
