// Loads a site's reference data (the demo site in assets/demo/site.json, or a head-office export)
// into the store, replacing what was there, in one transaction: a bad file changes nothing.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "kiosk/core/announcement.hpp"
#include "kiosk/core/datasets.hpp"
#include "kiosk/store/store.hpp"

namespace kiosk {

namespace {
using nlohmann::json;

// How a data set's rows land in the kiosk's tables: the table, its key column, and each column
// with the site file's field it comes from.
struct TableSpec {
    const char* dataset;
    const char* table;
    std::vector<std::pair<const char*, const char*>> columns;  // {column, field}; the first is the key
};

const std::vector<TableSpec>& table_specs() {
    static const std::vector<TableSpec> k{
        {"buildings", "buildings", {{"id", "id"}, {"name", "name"}, {"sort", "sort"}}},
        {"units", "units", {{"id", "id"}, {"building_id", "building"}, {"floor", "floor"}, {"label", "label"}}},
        {"residents",
         "residents",
         {{"id", "id"},
          {"unit_id", "unit"},
          {"name_masked", "name_masked"},
          {"phone_masked", "phone_masked"},
          {"role", "role"}}},
        {"household_pins", "household_pins", {{"unit_id", "unit"}, {"pin_hash", "pin_hash"}, {"locked", "locked"}}},
        {"fee_items",
         "fee_items",
         {{"id", "id"}, {"unit_id", "unit"}, {"month", "month"}, {"kind", "kind"}, {"amount_cents", "amount_cents"}, {"paid", "paid"}}},
        {"catalogue_items",
         "catalogue_items",
         {{"id", "id"}, {"name", "name"}, {"stock", "stock"}, {"deposit_cents", "deposit_cents"}, {"loan_days", "loan_days"}}},
        {"announcements",
         "announcements",
         {{"id", "id"}, {"title", "title"}, {"body", "body"}, {"urgent", "urgent"}, {"starts_on", "starts_on"}, {"ends_on", "ends_on"},
          {"buildings", "buildings"}}},
        {"staff", "staff", {{"staff_no", "staff_no"}, {"name_masked", "name_masked"}, {"role", "role"}, {"pin_hash", "pin_hash"}}},
        {"facts", "site_facts", {{"key", ""}, {"value", ""}}},
        {"parcel_consent", "parcel_consent", {{"unit_id", ""}}},
    };
    return k;
}

const TableSpec& spec_of(std::string_view dataset) {
    for (auto& t : table_specs())
        if (dataset == t.dataset) return t;
    throw std::runtime_error("unknown data set " + std::string(dataset));
}

void bind_field(SQLite::Statement& st, int i, const json& item, const char* f) {
    auto it = item.find(f);
    if (it == item.end()) throw std::runtime_error(std::string("missing field '") + f + "'");
    if (it->is_boolean()) st.bind(i, it->get<bool>() ? 1 : 0);
    else if (it->is_number_integer()) st.bind(i, it->get<int64_t>());
    else if (it->is_string()) st.bind(i, it->get<std::string>());
    else if (it->is_object()) st.bind(i, it->dump());  // a LocalText: {"zh-CN": …, "en": …, "zh-TW": …}
    else throw std::runtime_error(std::string("field '") + f + "' has the wrong type");
}

}  // namespace

void apply_dataset_rows(SQLite::Database& db, std::string_view dataset, const std::vector<DatasetRow>& rows) {
    const TableSpec& t = spec_of(dataset);
    std::string cols, marks, updates;
    for (auto& [c, f] : t.columns) {
        cols += std::string(cols.empty() ? "" : ", ") + c;
        marks += marks.empty() ? "?" : ", ?";
        if (&c != &t.columns.front().first) updates += std::string(updates.empty() ? "" : ", ") + c + " = excluded." + c;
    }
    std::string key = t.columns.front().first;
    // An upsert, not a replace: replacing a flat would delete its residents through the cascade.
    SQLite::Statement up(db, "INSERT INTO " + std::string(t.table) + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT (" +
                                 key + ") DO " + (updates.empty() ? "NOTHING" : "UPDATE SET " + updates));
    SQLite::Statement del(db, "DELETE FROM " + std::string(t.table) + " WHERE " + key + " = ?");
    int n = 0;
    for (const DatasetRow& r : rows) {
        ++n;
        try {
            if (r.deleted) {
                del.bind(1, r.key);
                del.exec();
                del.reset();
                continue;
            }
            if (dataset == "facts") {
                up.bind(1, r.key);
                up.bind(2, r.body.is_string() ? r.body.get<std::string>() : r.body.dump());
            } else if (dataset == "parcel_consent") {
                up.bind(1, r.key);
            } else if (dataset == "household_pins") {
                // A row without a hash string (an older head office's salted SHA-256) lands as no
                // PIN, which proves nothing, rather than stopping the rest of the page. A lock
                // fails closed: a "locked" that is anything but false ("true" from a
                // spreadsheet, "false" too) locks the flat; no "locked" at all is as issued.
                auto hash = r.body.find("pin_hash");
                auto locked = r.body.find("locked");
                bool unlocked = locked == r.body.end() || (locked->is_boolean() && !locked->get<bool>());
                up.bind(1, r.key);
                up.bind(2, hash != r.body.end() && hash->is_string() ? hash->get<std::string>() : std::string());
                up.bind(3, unlocked ? 0 : 1);
            } else {
                int i = 1;
                for (auto& [c, f] : t.columns) {
                    if (dataset == "announcements" && std::string_view(f) == "buildings") {
                        // Optional and bounded: a row without it is for every building.
                        auto it = r.body.find(f);
                        auto buildings = announcement_buildings(it == r.body.end() ? nullptr : &*it);
                        if (!buildings) throw std::runtime_error(buildings.error().detail);
                        up.bind(i++, json(buildings.value()).dump());
                        continue;
                    }
                    bind_field(up, i++, r.body, f);
                }
            }
            up.exec();
            up.reset();
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string(dataset) + " #" + std::to_string(n) + " (" + r.key + "): " + e.what());
        }
    }
    if (db.execAndGet("SELECT count(*) FROM " + std::string(t.table)).getInt64() > static_cast<int64_t>(kMaxRowsPerDataset))
        throw DatasetTooLarge(std::string(dataset) + ": more than " + std::to_string(kMaxRowsPerDataset) + " rows");
}

Result<Ok> Store::import_site(const nlohmann::json& site) {
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        const auto& sets = site_datasets();
        for (auto it = sets.rbegin(); it != sets.rend(); ++it) m_db->exec(std::string("DELETE FROM ") + spec_of(*it).table);
        for (auto& d : sets) {
            auto rows = dataset_rows(site, d);
            // A site file is held to the same limits as a pull; any bad row refuses the whole
            // file, so the kiosk keeps the site it had.
            if (rows.size() > kMaxRowsPerDataset)
                throw DatasetTooLarge(d + ": more than " + std::to_string(kMaxRowsPerDataset) + " rows");
            for (auto& r : rows)
                if (auto why = dataset_row_problem(r); !why.empty()) throw std::runtime_error(d + ": " + why);
            apply_dataset_rows(*m_db, d, rows);
        }
        tx.commit();
        return Ok{};
    } catch (const std::exception& e) {
        return Error{"error.site_import", e.what()};
    }
}


}  // namespace kiosk
