// Site data at head office: what kiosks pull, page by page, and the imports that fill it.
#include "sync/server/headoffice_store.hpp"

#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <set>

#include "kiosk/core/household.hpp"
#include "kiosk/core/parcels.hpp"
#include "kiosk/core/site.hpp"
#include "sync/server/notify.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/record_types.hpp"
#include "sync/server/site_limits.hpp"
#include "sync/server/store_clock.hpp"

namespace kiosk::headoffice {

Result<PullPage> HeadOfficeStore::pull(const std::string& site, const std::string& dataset, int64_t cursor, int limit) {
    std::lock_guard lock(m_write);
    if (!is_pulled_dataset(dataset)) return Error{"headoffice.error.dataset", "unknown data set " + dataset};
    PullPage page;
    page.cursor = cursor;
    try {
        auto rows = m_db->query("SELECT key, body, deleted, version FROM site_rows WHERE site = ? AND dataset = ? AND version > ? "
                                "ORDER BY version LIMIT ?",
                                {site, dataset, cursor, int64_t{limit} + 1});
        for (auto& r : rows) {
            if (static_cast<int>(page.rows.size()) == limit) {
                page.more = true;
                break;
            }
            page.rows.push_back({r.text(0), nlohmann::json::parse(r.text(1)), r.integer(2) != 0});
            page.cursor = r.integer(3);
        }
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    return page;
}

int HeadOfficeStore::import_dataset(const std::string& site, const std::string& d, const std::vector<DatasetRow>& rows, bool replace) {
    // Inside the caller's transaction: a problem throws, and nothing of the import is committed.
    if (auto problem = site_rows_problem(d, rows)) throw std::runtime_error(*problem);
    int changed = 0;
    std::set<std::string> keys;
    for (const DatasetRow& r : rows) {
        keys.insert(r.key);
        std::string body = r.body.dump();
        auto cur = m_db->row("SELECT body, deleted FROM site_rows WHERE site = ? AND dataset = ? AND key = ?", {site, d, r.key});
        if (cur && cur->text(0) == body && cur->integer(1) == 0) continue;
        m_db->exec("INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES (?, ?, ?, ?, 0, ?) "
                   "ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, deleted = 0, version = excluded.version",
                   {site, d, r.key, body, next_version()});
        ++changed;
    }
    if (!replace) return changed;
    // Rows the file no longer has are deleted at the kiosks too.
    for (auto& row : m_db->query("SELECT key FROM site_rows WHERE site = ? AND dataset = ? AND deleted = 0", {site, d})) {
        if (keys.count(row.text(0))) continue;
        m_db->exec("UPDATE site_rows SET deleted = 1, version = ? WHERE site = ? AND dataset = ? AND key = ?",
                   {next_version(), site, d, row.text(0)});
        ++changed;
    }
    return changed;
}

Result<int> HeadOfficeStore::import_site(const std::string& site, const nlohmann::json& doc) {
    std::lock_guard lock(m_write);
    if (!sync::valid_id(site)) return Error{"headoffice.error.id", "a site id is 1 to 128 bytes with no control character"};
    int changed = 0;
    try {
        SqlWrite tx(*m_db, site);
        for (const std::string& d : site_datasets()) {
            // Household PINs are issued at the desk (household-pin): a site file without any
            // leaves them as they are, rather than wiping every household's PIN.
            if (d == "household_pins" && !doc.contains(d)) continue;
            changed += import_dataset(site, d, dataset_rows(doc, d), true);
        }
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.import", e.what()};
    }
    return changed;
}

Result<int> HeadOfficeStore::import_rows(const std::string& site, const std::string& dataset, const std::vector<DatasetRow>& rows,
                                         bool replace) {
    std::lock_guard lock(m_write);
    if (!is_site_dataset(dataset)) return Error{"headoffice.error.dataset", "unknown data set " + dataset};
    if (!sync::valid_id(site)) return Error{"headoffice.error.id", "a site id is 1 to 128 bytes with no control character"};
    try {
        SqlWrite tx(*m_db, site);
        int changed = import_dataset(site, dataset, rows, replace);
        tx.commit();
        return changed;
    } catch (const std::exception& e) {
        return Error{"headoffice.error.import", e.what()};
    }
}

Result<Ok> HeadOfficeStore::put_row(const std::string& site, const std::string& dataset, const DatasetRow& row) {
    std::lock_guard lock(m_write);
    if (!is_site_dataset(dataset)) return Error{"headoffice.error.dataset", "unknown data set " + dataset};
    if (!sync::valid_id(site)) return Error{"headoffice.error.id", "a site id is 1 to 128 bytes with no control character"};
    if (auto problem = site_row_problem(dataset, row)) return Error{"headoffice.error.limit", *problem};
    try {
        SqlWrite tx(*m_db, site);
        m_db->exec("INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES (?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, deleted = excluded.deleted, "
                   "version = excluded.version",
                   {site, dataset, row.key, row.body.dump(), int64_t{row.deleted ? 1 : 0}, next_version()});
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.import", e.what()};
    }
    return Ok{};
}

}  // namespace kiosk::headoffice
