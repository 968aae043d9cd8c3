// Head office's store: the notification outbox, written with a push's records and drained by a
// NotifyDispatcher (sync/server/notify.hpp).
#include "sync/server/headoffice_store.hpp"

#include <set>

#include "sync/server/notify.hpp"
#include "sync/server/store_clock.hpp"

namespace kiosk::headoffice {

void HeadOfficeStore::queue_notifications(SqlDb& db, const std::string& site, const std::vector<IncomingRecord>& records, PushResult& out) {
    if (out.fresh.empty()) return;
    std::set<std::string> fresh(out.fresh.begin(), out.fresh.end());
    // A parcel whose id another kiosk's parcel holds is flagged, not believed: no text for it.
    for (auto& c : out.conflicts)
        if (c.reason.size() > 6 && c.reason.compare(c.reason.size() - 6, 6, "_taken") == 0) fresh.erase(c.id);
    int64_t now = now_ms();
    for (const IncomingRecord& r : records) {
        if (!fresh.count(r.id)) continue;
        auto code = out.new_codes.find(r.id);  // the household is texted the code head office gave
        auto n = notification_for(site, r, code == out.new_codes.end() ? nullptr : &code->second);
        if (!n) continue;
        db.exec("INSERT INTO notify_outbox (id, site, unit, kind, body, state, created_ms, next_ms) "
                   "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING",
                   {n->record_id, site, n->unit, n->kind, notification_body(*n), now, now});
        fresh.erase(r.id);  // a record id twice in one batch: one text
        ++out.queued_notifications;
    }
}

std::vector<OutgoingNotification> HeadOfficeStore::claim_notifications(int64_t now, int64_t lease_ms, int max) {
    std::lock_guard lock(m_write);
    std::vector<OutgoingNotification> out;
    SqlWrite tx(*m_db, kNotifyClaimScope);  // one claimer at a time across processes; the lease does the rest
    for (auto& r : m_db->query("SELECT id, body, attempts FROM notify_outbox WHERE state = 'pending' AND next_ms <= ? AND lease_ms <= ? "
                               "ORDER BY next_ms, id LIMIT ?",
                               {now, now, int64_t{max}}))
        out.push_back({r.text(0), r.text(1), static_cast<int>(r.integer(2)) + 1, now + lease_ms});
    for (auto& n : out) m_db->exec("UPDATE notify_outbox SET lease_ms = ?, attempts = attempts + 1 WHERE id = ?", {n.lease, n.id});
    tx.commit();
    return out;
}

bool HeadOfficeStore::notification_sent(const OutgoingNotification& n, int64_t now) {
    std::lock_guard lock(m_write);
    return m_db->exec("UPDATE notify_outbox SET state = 'sent', sent_ms = ?, lease_ms = 0, last_error = NULL "
                      "WHERE id = ? AND state = 'pending' AND lease_ms = ?",
                      {now, n.id, n.lease}) == 1;
}

bool HeadOfficeStore::notification_failed(const OutgoingNotification& n, const std::string& error, std::optional<int64_t> retry_at_ms) {
    std::lock_guard lock(m_write);
    if (retry_at_ms)
        return m_db->exec("UPDATE notify_outbox SET next_ms = ?, lease_ms = 0, last_error = ? WHERE id = ? AND state = 'pending' AND lease_ms = ?",
                          {*retry_at_ms, error, n.id, n.lease}) == 1;
    return m_db->exec("UPDATE notify_outbox SET state = 'failed', lease_ms = 0, last_error = ? WHERE id = ? AND state = 'pending' AND lease_ms = ?",
                      {error, n.id, n.lease}) == 1;
}

std::vector<NotificationRow> HeadOfficeStore::notifications(const std::string& site, const std::string& state, int64_t now, int limit) {
    std::lock_guard lock(m_write);
    std::string where = "1 = 1";
    SqlParams params{now};
    if (!site.empty()) where += " AND site = ?", params.push_back(site);
    if (state == "sending") where += " AND state = 'pending' AND lease_ms > ?", params.push_back(now);
    else if (state == "pending") where += " AND state = 'pending' AND lease_ms <= ?", params.push_back(now);
    else if (!state.empty()) where += " AND state = ?", params.push_back(state);
    params.push_back(int64_t{limit});
    std::vector<NotificationRow> out;
    for (auto& r : m_db->query("SELECT id, site, unit, kind, CASE WHEN state = 'pending' AND lease_ms > ? THEN 'sending' ELSE state END, "
                               "attempts, created_ms, next_ms, coalesce(sent_ms, 0), coalesce(last_error, '') FROM notify_outbox WHERE " +
                                   where + " ORDER BY created_ms DESC, id LIMIT ?",
                               params))
        out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), static_cast<int>(r.integer(5)), r.integer(6),
                       r.integer(7), r.integer(8), r.text(9)});
    return out;
}

int HeadOfficeStore::retry_failed_notifications(const std::string& site, int64_t now) {
    std::lock_guard lock(m_write);
    if (site.empty())
        return static_cast<int>(m_db->exec("UPDATE notify_outbox SET state = 'pending', next_ms = ?, attempts = 0 WHERE state = 'failed'", {now}));
    return static_cast<int>(
        m_db->exec("UPDATE notify_outbox SET state = 'pending', next_ms = ?, attempts = 0 WHERE state = 'failed' AND site = ?", {now, site}));
}

}  // namespace kiosk::headoffice
