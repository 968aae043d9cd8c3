// Head office's store: the fleet. Each kiosk's last heartbeat and a bounded history of them, and
// the time of its last signed request, for `lobby-headoffice fleet` (sync/server/fleet.hpp).
#include "sync/server/headoffice_store.hpp"
#include "sync/server/store_rows.hpp"

namespace kiosk::headoffice {

using namespace std::string_literals;

Result<Ok> HeadOfficeStore::record_heartbeat(const std::string& site, const std::string& kiosk, const sync::Heartbeat& h, int64_t at) {
    {
        std::lock_guard contact(m_contact_lock);  // sets last_contact to `at`, which may be less than note_contact wrote
        m_contact_written.erase({site, kiosk});
    }
    std::lock_guard lock(m_write);
    std::string body = sync::heartbeat_json(h).dump();
    try {
        // Its own kiosk's rows only: no site lock, the keys decide.
        SqlWrite tx(*m_db, SqlWrite::Unscoped{});
        m_db->exec("INSERT INTO fleet_state (site, kiosk, last_contact, heartbeat_at, heartbeat) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT (site, kiosk) DO UPDATE SET last_contact = excluded.last_contact, "
                   "heartbeat_at = excluded.heartbeat_at, heartbeat = excluded.heartbeat",
                   {site, kiosk, at, at, body});
        // Two in one second: the later stands.
        m_db->exec("INSERT INTO fleet_history (site, kiosk, at, outbox, dead_letters, disk_free_bytes, disk_total_bytes, heartbeat) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, kiosk, at) DO UPDATE SET outbox = excluded.outbox, "
                   "dead_letters = excluded.dead_letters, disk_free_bytes = excluded.disk_free_bytes, "
                   "disk_total_bytes = excluded.disk_total_bytes, heartbeat = excluded.heartbeat",
                   {site, kiosk, at, h.outbox, h.dead_letters, h.disk_free_bytes, h.disk_total_bytes, body});
        m_db->exec("DELETE FROM fleet_history WHERE site = ? AND kiosk = ? AND at < ?", {site, kiosk, at - kFleetHistoryS});
        m_db->exec("DELETE FROM fleet_history WHERE site = ? AND kiosk = ? AND at <= "
                   "(SELECT at FROM fleet_history WHERE site = ? AND kiosk = ? ORDER BY at DESC LIMIT 1 OFFSET ?)",
                   {site, kiosk, site, kiosk, int64_t{kFleetHistoryRows}});
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    return Ok{};
}

void HeadOfficeStore::note_contact(const std::string& site, const std::string& kiosk, int64_t at) {
    {
        // This process set the row's last_contact to `written` (a heartbeat here forgets it, as it
        // sets the row outright), and the statement only ever raises it: within 30 s it would change
        // nothing, and still cost PostgreSQL a round trip, a row lock and a commit.
        std::lock_guard lock(m_contact_lock);
        auto written = m_contact_written.find({site, kiosk});
        if (written != m_contact_written.end() && written->second <= at && at - written->second <= 30) return;
    }
    std::lock_guard lock(m_write);
    // A kiosk syncing every few seconds writes this row twice a minute at most.
    if (m_db->exec("INSERT INTO fleet_state (site, kiosk, last_contact) VALUES (?, ?, ?) "
               "ON CONFLICT (site, kiosk) DO UPDATE SET last_contact = excluded.last_contact "
               "WHERE fleet_state.last_contact IS NULL OR fleet_state.last_contact < excluded.last_contact - 30",
               {site, kiosk, at}) != 1)
        return;  // another process wrote it lately: its value, not `at`, is the row's
    std::lock_guard contact(m_contact_lock);
    m_contact_written[{site, kiosk}] = at;
}

FleetKiosk fleet_kiosk_from_row(SqlDb& db, const SqlRow& r, int64_t now) {
    FleetKiosk k;
    k.site = r.text(0);
    k.kiosk = r.text(1);
    k.added_at = r.text(2);
    k.revoked = r.integer(3) != 0;
    if (!r.null(4)) k.last_contact = r.integer(4);
    if (!r.null(5) && !r.null(6)) {
        // Written by this store from a checked heartbeat; read back through the same checks.
        sync::Heartbeat h;
        auto j = nlohmann::json::parse(r.text(6), nullptr, false);
        if (!sync::read_heartbeat(j, h)) {
            k.heartbeat_at = r.integer(5);
            k.heartbeat = h;
        }
    }
    if (k.heartbeat) {
        if (auto old = db.row("SELECT dead_letters, at FROM fleet_history WHERE site = ? AND kiosk = ? AND at >= ? AND at <= ? "
                              "ORDER BY at LIMIT 1",
                              {k.site, k.kiosk, now - 3600, now})) {
            k.dead_letters_hour_ago = old->integer(0);
            k.hour_ago_at = old->integer(1);
        }
    }
    return k;
}

std::vector<FleetKiosk> HeadOfficeStore::fleet(const std::string& site, int64_t now) {
    std::lock_guard lock(m_write);
    std::vector<FleetKiosk> out;
    auto rows = m_db->query(std::string("SELECT ") + kFleetRowColumns +
                                " FROM kiosks k LEFT JOIN fleet_state f ON f.site = k.site AND f.kiosk = k.kiosk " +
                                (site.empty() ? "" : "WHERE k.site = ? ") + "ORDER BY k.site, k.kiosk",
                            site.empty() ? SqlParams{} : SqlParams{site});
    for (auto& r : rows) out.push_back(fleet_kiosk_from_row(*m_db, r, now));
    return out;
}

int64_t HeadOfficeStore::fleet_history_rows(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    return m_db->row("SELECT count(*) FROM fleet_history WHERE site = ? AND kiosk = ?", {site, kiosk})->integer(0);
}

}  // namespace kiosk::headoffice
