// The store's side of sync: what the worker reads to push, and how head office's answers and
// pulled data land. Each answer is applied in one transaction, so a crash leaves either the
// answer applied or the records still waiting (head office stores them once either way).
#include <algorithm>

#include <SQLiteCpp/Transaction.h>

#include "kiosk/core/announcement.hpp"
#include "kiosk/store/store.hpp"

namespace kiosk {

namespace {
// Fields head office needs once and the kiosk need not keep after it has them.
struct Sensitive {
    const char* type;
    const char* path;
};
constexpr Sensitive kSensitive[] = {
    {"parcel.registered", "$.pickup_code"},  // the desk has it in its own table; head office texts it
    {"enquiry.question", "$.phone"},         // the callback number: the kiosk keeps it masked
    {"parcel.proxy_issued", "$.code"},       // kept in parcel_proxy_codes; head office passes it to the site's desks
};
}  // namespace

Result<Ok> OutboxRepository::settle_push(const PushAnswer& a) {
    try {
        // Everything here is redone if lost: a power cut that undoes it makes the kiosk push the
        // same records again, and head office answers a repeat as it did the first time (stored,
        // the same conflict, the same rejection). So this commit skips its fsync (WAL, NORMAL);
        // the next FULL commit (a resident's save) makes it durable with its own. A crash of the
        // process alone loses nothing either way. One fsync less per batch of 1000 is what a
        // backlog's drain waits on.
        struct Relaxed {
            SQLite::Database& db;
            bool was_full;
            explicit Relaxed(SQLite::Database& d) : db(d), was_full(d.execAndGet("PRAGMA synchronous").getInt() >= 2) {
                if (was_full) db.exec("PRAGMA synchronous=NORMAL");
            }
            ~Relaxed() {
                if (was_full) try { db.exec("PRAGMA synchronous=FULL"); } catch (...) {}
            }
        } relaxed(*m_db);
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        // The acked ids as one JSON array: a statement per batch, not one per record.
        std::string acked = nlohmann::json(a.stored).dump();
        SQLite::Statement gone(*m_db, "DELETE FROM outbox WHERE record_id IN (SELECT value FROM json_each(?))");
        gone.bind(1, acked);
        gone.exec();
        SQLite::Statement strip(*m_db,
                                "UPDATE records SET payload = json_remove(payload, ?) WHERE type = ? AND json_type(payload, ?) "
                                "IS NOT NULL AND id IN (SELECT value FROM json_each(?))");
        for (auto& s : kSensitive) {
            strip.bind(1, s.path);
            strip.bind(2, s.type);
            strip.bind(3, s.path);
            strip.bind(4, acked);
            strip.exec();
            strip.reset();
        }
        SQLite::Statement done(*m_db, "DELETE FROM outbox WHERE record_id = ?");
        SQLite::Statement dead(*m_db,
                               "INSERT OR IGNORE INTO dead_letters (record_id, local_seq, reason, at) "
                               "SELECT record_id, local_seq, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM outbox "
                               "WHERE record_id = ?");
        for (auto& [id, reason] : a.rejected) {
            dead.bind(1, reason);
            dead.bind(2, id);
            dead.exec();
            dead.reset();
            done.bind(1, id);
            done.exec();
            done.reset();
        }
        SQLite::Statement flag(*m_db,
                               "INSERT OR IGNORE INTO sync_conflicts (record_id, reason, winner, at) "
                               "SELECT id, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM records WHERE id = ?");
        for (auto& c : a.conflicts) {
            flag.bind(1, c.reason);
            flag.bind(2, c.winner);
            flag.bind(3, c.record_id);
            flag.exec();
            flag.reset();
        }
        tx.commit();
        return Ok{};
    } catch (const std::exception& e) {
        return Error{"error.store_write", e.what()};
    }
}

void OutboxRepository::note_push_failure(const std::vector<std::string>& ids, const std::string& error) {
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement up(*m_db, "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE record_id = ?");
        for (auto& id : ids) {
            up.bind(1, error.substr(0, 300));
            up.bind(2, id);
            up.exec();
            up.reset();
        }
        tx.commit();
    } catch (const std::exception&) {
        // Counting attempts is for staff's eyes; the records still wait either way.
    }
}

int64_t OutboxRepository::pull_cursor(const std::string& dataset) {
    SQLite::Statement q(*m_db, "SELECT cursor FROM sync_cursors WHERE dataset = ?");
    q.bind(1, dataset);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

Result<Ok> OutboxRepository::apply_pull(const std::string& dataset, const std::vector<DatasetRow>& in, int64_t cursor) {
    if (!is_pulled_dataset(dataset)) return Error{"sync.error.dataset", "unknown data set " + dataset};
    if (in.size() > kMaxPulledRowsPerPage) {
        std::string why = "a page of more than " + std::to_string(kMaxPulledRowsPerPage) + " rows";
        note_refusal(dataset, static_cast<int64_t>(in.size()), why);
        return Error{"sync.error.pull_refused", dataset + ": " + why};
    }
    // Bad rows stay out; the rest of the page goes in, and what the kiosk had under a refused key stays.
    std::vector<DatasetRow> rows;
    rows.reserve(in.size());
    int64_t refused = 0;
    std::string last_why;
    for (const DatasetRow& r : in) {
        std::string why = dataset_row_problem(r);
        if (why.empty() && dataset == "announcements" && !r.deleted && r.body.is_object()) {
            auto it = r.body.find("buildings");
            if (auto b = announcement_buildings(it == r.body.end() ? nullptr : &*it); !b) why = b.error().detail;
        }
        if (!why.empty()) {
            ++refused;
            last_why = std::move(why);
            continue;
        }
        rows.push_back(r);
    }
    if (refused > 0) note_refusal(dataset, refused, last_why);
    try {
        // A page (up to 1000 rows) goes in as short transactions of kPullRowsPerTransaction, so a
        // resident's save on the UI's connection never waits long behind the sync thread. Only the
        // last one stores the cursor: a crash in between re-pulls the page, and applying a row
        // again changes nothing (upserts, deletions, statuses that only move forward).
        size_t done = 0;
        do {
            size_t n = std::min(kPullRowsPerTransaction, rows.size() - done);
            std::vector<DatasetRow> chunk(rows.begin() + static_cast<std::ptrdiff_t>(done),
                                          rows.begin() + static_cast<std::ptrdiff_t>(done + n));
            done += n;
            SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
            apply_rows(dataset, chunk);
            if (done < rows.size()) {
                tx.commit();
                continue;
            }
            store_cursor(dataset, cursor);
            tx.commit();
        } while (done < rows.size());
        return Ok{};
    } catch (const DatasetTooLarge& e) {
        note_refusal(dataset, static_cast<int64_t>(rows.size()), e.what());
        return Error{"sync.error.pull_refused", dataset + ": " + e.what()};
    } catch (const std::exception& e) {
        return Error{"sync.error.pull", e.what()};
    }
}

void OutboxRepository::note_refusal(const std::string& dataset, int64_t rows, const std::string& why) {
    try {
        SQLite::Statement q(*m_db,
                            "INSERT INTO sync_config (key, value) VALUES (?, json_object('rows', ?, 'why', ?, 'at', "
                            "strftime('%Y-%m-%dT%H:%M:%SZ','now'))) ON CONFLICT (key) DO UPDATE SET value = "
                            "json_set(excluded.value, '$.rows', json_extract(sync_config.value, '$.rows') + ?)");
        q.bind(1, "refused:" + dataset);
        q.bind(2, rows);
        q.bind(3, why);
        q.bind(4, rows);
        q.exec();
    } catch (const std::exception&) {
        // Telling staff is best effort; the bad rows stay out either way.
    }
}

Result<Ok> OutboxRepository::restart_pulls() {
    try {
        m_db->exec("DELETE FROM sync_cursors");
        return Ok{};
    } catch (const std::exception& e) {
        return Error{"error.store_write", e.what()};
    }
}

std::vector<OutboxRepository::Refusal> OutboxRepository::refusals() {
    std::vector<Refusal> out;
    try {
        SQLite::Statement q(*m_db,
                            "SELECT substr(key, 9), json_extract(value, '$.rows'), json_extract(value, '$.why'), "
                            "json_extract(value, '$.at') FROM sync_config WHERE key LIKE 'refused:%' AND json_valid(value) "
                            "ORDER BY json_extract(value, '$.at'), key");
        while (q.executeStep())
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                           q.getColumn(3).getString()});
    } catch (const std::exception&) {
    }
    return out;
}

void OutboxRepository::apply_rows(const std::string& dataset, const std::vector<DatasetRow>& rows) {
    if (dataset == "case_status") apply_case_status(*m_db, rows);
    else if (dataset == "parcels") apply_site_parcels(*m_db, rows);
    else if (dataset == "exit_passes") apply_site_exit_passes(*m_db, rows);
    else if (dataset == "loans") apply_site_loans(*m_db, rows);
    else apply_dataset_rows(*m_db, dataset, rows);
}

void OutboxRepository::store_cursor(const std::string& dataset, int64_t cursor) {
    {
        SQLite::Statement c(*m_db,
                            "INSERT INTO sync_cursors (dataset, cursor) VALUES (?, ?) "
                            "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor");
        c.bind(1, dataset);
        c.bind(2, cursor);
        c.exec();
    }
}

std::optional<std::string> OutboxRepository::sync_setting(const std::string& key) {
    if (key == "secret") return m_store.read_secret();  // its own 0600 file, never kiosk.db
    SQLite::Statement q(*m_db, "SELECT value FROM sync_config WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
}

Result<Ok> OutboxRepository::set_sync_setting(const std::string& key, const std::string& value) {
    if (key == "secret") return m_store.write_secret(value);
    try {
        SQLite::Statement q(*m_db,
                            "INSERT INTO sync_config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        q.bind(1, key);
        q.bind(2, value);
        q.exec();
        return Ok{};
    } catch (const std::exception& e) {
        return Error{"error.store_write", e.what()};
    }
}

std::vector<DeadLetter> OutboxRepository::dead_letters(int limit, bool unhandled) {
    SQLite::Statement q(*m_db,
                        std::string("SELECT d.record_id, r.type, d.reason, d.at FROM dead_letters d JOIN records r ON r.id = d.record_id ") +
                            (unhandled ? "WHERE d.seen_by IS NULL " : "") + "ORDER BY d.local_seq DESC LIMIT ?");
    q.bind(1, limit);
    std::vector<DeadLetter> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                       q.getColumn(3).getString()});
    return out;
}

std::vector<SyncConflict> OutboxRepository::sync_conflicts(int limit, bool unhandled) {
    SQLite::Statement q(*m_db, std::string("SELECT record_id, reason, coalesce(winner, '') FROM sync_conflicts ") +
                                   (unhandled ? "WHERE seen_by IS NULL " : "") + "ORDER BY at DESC, rowid DESC LIMIT ?");
    q.bind(1, limit);
    std::vector<SyncConflict> out;
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    return out;
}

int64_t OutboxRepository::dead_letter_count(bool unhandled) {
    return m_db->execAndGet(std::string("SELECT count(*) FROM dead_letters") + (unhandled ? " WHERE seen_by IS NULL" : "")).getInt64();
}

int64_t OutboxRepository::conflict_count(bool unhandled) {
    return m_db->execAndGet(std::string("SELECT count(*) FROM sync_conflicts") + (unhandled ? " WHERE seen_by IS NULL" : "")).getInt64();
}

Result<Ok> OutboxRepository::mark_sync_problem_handled(const std::string& record_id, const std::string& staff_no) {
    if (staff_no.empty()) return Error{"sync.error.staff", "a clerk marks it handled"};
    int changed = 0;
    for (const char* table : {"dead_letters", "sync_conflicts"}) {
        SQLite::Statement up(*m_db, std::string("UPDATE ") + table +
                                        " SET seen_by = ?, seen_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                                        "WHERE record_id = ? AND seen_by IS NULL");
        up.bind(1, staff_no);
        up.bind(2, record_id);
        changed += up.exec();
    }
    if (changed == 0) return Error{"sync.error.handled", "nothing to handle for " + record_id};
    return Ok{};
}

}  // namespace kiosk
