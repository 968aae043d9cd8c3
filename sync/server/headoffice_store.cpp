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

namespace {

// One dialect SQLite and PostgreSQL both take.
constexpr const char* kSchema = R"sql(
-- The store's schema version (one row): an older lobby-headoffice refuses a store above its own.
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kiosks (
  site TEXT NOT NULL, kiosk TEXT NOT NULL,
  secret TEXT, enrol_code TEXT,
  added_at TEXT NOT NULL,
  PRIMARY KEY (site, kiosk)
);
-- Every record exactly once: the id is the kiosk's, made before the network was involved.
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL, kiosk TEXT NOT NULL,
  type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL, local_seq BIGINT NOT NULL,
  received_at TEXT NOT NULL,
  conflict TEXT, conflict_winner TEXT
);
CREATE INDEX IF NOT EXISTS records_site_type ON records (site, type);
-- The first record to act on a thing holds its claim ("parcel:P261122K1003").
CREATE TABLE IF NOT EXISTS claims (site TEXT NOT NULL, claim TEXT NOT NULL, record_id TEXT NOT NULL, PRIMARY KEY (site, claim));
-- Parcels waiting across the site's kiosks: pickup codes must not clash among them.
CREATE TABLE IF NOT EXISTS site_parcels (
  site TEXT NOT NULL, parcel_id TEXT NOT NULL, pickup_code TEXT, waiting INTEGER NOT NULL, record_id TEXT NOT NULL,
  PRIMARY KEY (site, parcel_id)
);
CREATE INDEX IF NOT EXISTS site_parcels_code ON site_parcels (site, pickup_code) WHERE waiting = 1;
-- Loans out across the site's kiosks: stock never goes negative at head office either.
CREATE TABLE IF NOT EXISTS site_loans (
  site TEXT NOT NULL, loan_id TEXT NOT NULL, item TEXT NOT NULL, out INTEGER NOT NULL, record_id TEXT NOT NULL,
  PRIMARY KEY (site, loan_id)
);
-- Reference data, versioned for pulls: a kiosk asks for rows with a version after its cursor.
CREATE TABLE IF NOT EXISTS site_rows (
  site TEXT NOT NULL, dataset TEXT NOT NULL, key TEXT NOT NULL,
  body TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, version BIGINT NOT NULL,
  PRIMARY KEY (site, dataset, key)
);
CREATE INDEX IF NOT EXISTS site_rows_version ON site_rows (site, dataset, version);
-- Repairs and complaints as head office follows them (see CaseRow), one row per ticket.
CREATE TABLE IF NOT EXISTS cases (
  site TEXT NOT NULL, ticket TEXT NOT NULL, record_id TEXT NOT NULL,
  kind TEXT NOT NULL, category TEXT NOT NULL, urgency TEXT,
  filed_at BIGINT NOT NULL, on_site_by BIGINT, done_by BIGINT, reply_by BIGINT,
  severity TEXT, valid INTEGER, status TEXT NOT NULL,
  on_site_at BIGINT, done_at BIGINT, followed_up_at BIGINT, closed_at BIGINT, rating INTEGER,
  closed_by TEXT, approved_by TEXT, result TEXT,
  PRIMARY KEY (site, ticket)
);
CREATE INDEX IF NOT EXISTS cases_filed ON cases (site, filed_at);
-- Signatures of requests seen within the clock-skew window: a replay is refused, after a restart
-- and at another head-office process too.
CREATE TABLE IF NOT EXISTS seen_requests (signature TEXT PRIMARY KEY, at BIGINT NOT NULL);
-- Texts to households, written with the record that asks for one and sent after the commit by
-- a NotifyDispatcher (sync/server/notify.hpp); state: pending, sent, failed.
CREATE TABLE IF NOT EXISTS notify_outbox (
  id TEXT PRIMARY KEY, site TEXT NOT NULL, unit TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL, next_ms BIGINT NOT NULL, lease_ms BIGINT NOT NULL DEFAULT 0, sent_ms BIGINT,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS notify_due ON notify_outbox (state, next_ms);
-- Wrong household PINs at the site's kiosks (household.pin_failed), counted to lock a household
-- guessed at across kiosks; the desk's new PIN clears its rows.
CREATE TABLE IF NOT EXISTS site_pin_failures (
  site TEXT NOT NULL, unit TEXT NOT NULL, at BIGINT NOT NULL, record_id TEXT NOT NULL,
  PRIMARY KEY (site, record_id)
);
CREATE INDEX IF NOT EXISTS site_pin_failures_unit ON site_pin_failures (site, unit, at);
-- The fleet: each kiosk's last heartbeat and last signed request (any route), and a bounded
-- history of heartbeats (sync/server/headoffice_fleet.cpp prunes it on insert).
CREATE TABLE IF NOT EXISTS fleet_state (
  site TEXT NOT NULL, kiosk TEXT NOT NULL,
  last_contact BIGINT, heartbeat_at BIGINT, heartbeat TEXT,
  PRIMARY KEY (site, kiosk)
);
CREATE TABLE IF NOT EXISTS fleet_history (
  site TEXT NOT NULL, kiosk TEXT NOT NULL, at BIGINT NOT NULL,
  outbox BIGINT NOT NULL, dead_letters BIGINT NOT NULL, disk_free_bytes BIGINT NOT NULL, disk_total_bytes BIGINT NOT NULL,
  heartbeat TEXT NOT NULL,
  PRIMARY KEY (site, kiosk, at)
);
CREATE TABLE IF NOT EXISTS versions (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO versions VALUES ('rows', 0) ON CONFLICT DO NOTHING;
)sql";

// PostgreSQL: row versions from a sequence, which no transaction waits on (the versions row
// would make every site's push queue behind every other's). A store the counter row numbered
// carries on after its highest version.
constexpr const char* kPostgresSchema = R"sql(
CREATE SEQUENCE IF NOT EXISTS row_versions;
SELECT setval('row_versions', x.m) FROM (SELECT coalesce(max(version), 0) AS m FROM site_rows) x, row_versions s
 WHERE x.m >= s.last_value AND x.m > 0;
)sql";

// The schema this lobby-headoffice makes and reads: kSchema and every step of migrate(). A release
// that changes the schema adds its step and raises this (issue #15 item 7).
// 2: cases.due_at, cases.assignee, case_history (the console); 3: csv_previews; 4: case_counts,
// its triggers and the index cases_open_overdue (the Overview's counts, case_counts.cpp)
constexpr int64_t kSchemaVersion = 4;

// 0 for a store made before versions were recorded (or a new one).
int64_t stored_schema_version(SqlDb& db) {
    if (!table_exists(db, "schema_version")) return 0;
    auto r = db.row("SELECT max(version) FROM schema_version");
    return r ? r->integer(0) : 0;
}

}  // namespace

std::optional<std::string> record_problem(const IncomingRecord& r, const std::string& site, const std::string& kiosk,
                                          std::string* payload_json) {
    std::string prefix = site + "-" + kiosk + "-";
    if (!sync::valid_id(r.id, 100)) return "record id is 1 to 100 bytes with no control character";
    if (r.id.size() > 100 || r.id.compare(0, prefix.size(), prefix) != 0 || r.id.size() == prefix.size())
        return "record id must start with " + prefix;
    const RecordType* type = find_record_type(r.type);
    if (!type) return "unknown record type '" + r.type.substr(0, 60) + "'";
    if (r.schema_version != type->schema_version)
        return "schema version " + std::to_string(r.schema_version) + " of " + r.type + " is not supported";
    if (!r.payload.is_object()) return "payload is not an object";
    if (r.created_at.empty() || r.created_at.size() > 40) return "created_at missing";
    if (r.local_seq <= 0) return "local_seq must be positive";
    return payload_problem(*type, r.payload, payload_json);
}

int64_t HeadOfficeStore::latest_schema_version() { return kSchemaVersion; }

Result<std::unique_ptr<HeadOfficeStore>> HeadOfficeStore::open(const std::string& where) {
    std::unique_ptr<HeadOfficeStore> s(new HeadOfficeStore);
    try {
        s->m_postgres = is_postgres_dsn(where);
        s->m_where = where;
        s->m_db = s->m_postgres ? open_postgres(where) : open_sqlite(where);
        SqlWrite tx(*s->m_db, "");  // two processes starting at once make the schema once
        // A store a newer lobby-headoffice wrote is refused before anything is written to it.
        int64_t found = stored_schema_version(*s->m_db);
        if (found > kSchemaVersion)
            return Error{"headoffice.error.store_newer",
                         "the head-office store is at schema version " + std::to_string(found) + ", newer than this lobby-headoffice knows (" +
                             std::to_string(kSchemaVersion) +
                             "): a newer version wrote it. Nothing was written to it; install the newer version again"};
        s->m_db->script(kSchema);
        if (std::string_view(s->m_db->dialect()) == "postgresql") s->m_db->script(kPostgresSchema);
        s->migrate();
        s->migrate_console();
        if (found < kSchemaVersion) {
            s->m_db->exec("DELETE FROM schema_version");
            s->m_db->exec("INSERT INTO schema_version (version) VALUES (?)", {kSchemaVersion});
        }
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.open", e.what()};
    }
    return s;
}

// Columns a store made before the key life cycle lacks; its kiosks' state carries over: a secret
// whose code is spent was in use, one whose code is still there was not yet.
void HeadOfficeStore::migrate() {
    if (column_exists(*m_db, "kiosks", "secret_confirmed")) return;
    m_db->script("ALTER TABLE kiosks ADD COLUMN secret_confirmed INTEGER NOT NULL DEFAULT 0;"
                 "ALTER TABLE kiosks ADD COLUMN secret_code TEXT;"
                 "ALTER TABLE kiosks ADD COLUMN old_secret TEXT;"
                 "ALTER TABLE kiosks ADD COLUMN revoked_at TEXT;"
                 "UPDATE kiosks SET secret_confirmed = 1 WHERE secret IS NOT NULL AND enrol_code IS NULL;"
                 "UPDATE kiosks SET secret_code = enrol_code WHERE secret IS NOT NULL AND enrol_code IS NOT NULL;");
}

int64_t HeadOfficeStore::next_version() { return next_row_version(*m_db); }

namespace {

// A write that failed because of one record's data (the database refused a value, a projection
// met a payload it could not use): that record is refused, the batch is written again without it.
struct RecordFault {
    static constexpr size_t kSomeRecord = SIZE_MAX;  // a multi-row statement failed: which record, unknown
    size_t index;
    std::string reason;
};

// The database's message may quote the record's data: the kiosk gets the type only.
RecordFault record_fault(size_t index, const IncomingRecord& r) {
    return {index, r.type + " record could not be stored: head office's database refused its data"};
}

// A push whose request signature was seen before: nothing of it is written.
struct Replayed {};

int64_t microseconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
}

bool is_record_fault(const std::exception& e) {
    return dynamic_cast<const SqlDataError*>(&e) || dynamic_cast<const nlohmann::json::exception*>(&e) ||
           dynamic_cast<const std::logic_error*>(&e);
}

// Records projected together (apply_records); `at` are their indexes in the push. A fault names
// the record when the run has only one, else sends the push one record at a time to find it.
void project_run(SqlDb& db, const std::string& site, const std::string& kiosk, const std::vector<const IncomingRecord*>& run,
                 const std::vector<size_t>& at, PushResult& out) {
    if (run.empty()) return;
    try {
        apply_records(db, site, kiosk, run, out);
    } catch (const std::exception& e) {
        if (!is_record_fault(e)) throw;
        if (run.size() == 1) throw record_fault(at.front(), *run.front());
        throw RecordFault{RecordFault::kSomeRecord, {}};
    }
}

}  // namespace

Result<PushResult> HeadOfficeStore::push(const std::string& site, const std::string& kiosk,
                                         const std::vector<IncomingRecord>& records, const ReplayCheck* replay) {
    if (replay) {
        try {
            prune_seen_requests(replay->now, replay->window_s);
        } catch (const std::exception& e) {
            return Error{"headoffice.error.store", e.what()};
        }
    }
    auto t0 = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> shared;  // SQLite: the one connection
    std::unique_ptr<SqlDb> own;           // PostgreSQL: one of the pushes' connections
    try {
        if (m_postgres) own = take_push_connection();
        else shared = std::unique_lock(m_write);
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    struct GiveBack {
        HeadOfficeStore& s;
        std::unique_ptr<SqlDb>& db;
        ~GiveBack() {
            if (db) s.give_back(std::move(db));
        }
    } give_back{*this, own};
    SqlDb& db = own ? *own : *m_db;
    m_connection_wait_us += microseconds_since(t0);
    struct Count {  // on the way out, before the connection goes back
        HeadOfficeStore& s;
        SqlDb& db;
        std::chrono::steady_clock::time_point t0;
        double lock_wait_before;
        size_t n;
        ~Count() {
            s.m_pushes += 1;
            s.m_pushed_records += static_cast<int64_t>(n);
            s.m_push_us += microseconds_since(t0);
            s.m_push_lock_wait_us += static_cast<int64_t>((db.lock_wait_s() - lock_wait_before) * 1e6);
        }
    } count{*this, db, t0, db.lock_wait_s(), records.size()};
    // Every record judged before anything is written; a record whose write still throws is
    // refused on its own and the batch is written again without it (no savepoint per record:
    // each would cost PostgreSQL a round trip, and a write that throws is rare). The records go
    // in together, in a few multi-row statements; when one of those throws, which record's data
    // it refused is unknown, so the batch is written again one record at a time to find it.
    std::map<size_t, std::string> refused;
    std::vector<std::string> payload_json(records.size());  // as stored: printed once, here
    for (size_t i = 0; i < records.size(); ++i)
        if (auto problem = record_problem(records[i], site, kiosk, &payload_json[i])) refused[i] = *problem;
    bool one_by_one = false;
    int deadlocks = 0;
    for (;;) {
        try {
            return store_batch(db, site, kiosk, records, payload_json, refused, one_by_one, replay);
        } catch (const Replayed&) {
            return Error{kReplayedKey, "replayed request"};
        } catch (const RecordFault& f) {
            if (f.index == RecordFault::kSomeRecord) one_by_one = true;
            else refused[f.index] = f.reason;  // a new index each time: at most one attempt per record
        } catch (const SqlDeadlock& e) {
            // Two pushes without the site's lock met on keys in opposite orders; one was undone.
            if (++deadlocks == 3) return Error{"headoffice.error.store", e.what()};
        } catch (const std::exception& e) {
            return Error{"headoffice.error.store", e.what()};
        }
    }
}

std::unique_ptr<SqlDb> HeadOfficeStore::take_push_connection() {
    std::unique_lock lock(m_pool_lock);
    m_pool_free.wait(lock, [&] { return !m_idle.empty() || m_opened < m_push_connections; });
    if (!m_idle.empty()) {
        auto db = std::move(m_idle.back());
        m_idle.pop_back();
        return db;
    }
    ++m_opened;
    lock.unlock();
    try {
        return open_postgres(m_where);
    } catch (...) {
        lock.lock();
        --m_opened;
        m_pool_free.notify_one();
        throw;
    }
}

void HeadOfficeStore::give_back(std::unique_ptr<SqlDb> db) {
    std::lock_guard lock(m_pool_lock);
    m_idle.push_back(std::move(db));
    m_pool_free.notify_one();
}

HeadOfficeStore::WriteStats HeadOfficeStore::write_stats() const {
    return {m_pushes.load(), m_pushed_records.load(), static_cast<double>(m_push_us.load()) / 1e6,
            static_cast<double>(m_connection_wait_us.load()) / 1e6, static_cast<double>(m_push_lock_wait_us.load()) / 1e6};
}

PushResult HeadOfficeStore::store_batch(SqlDb& db, const std::string& site, const std::string& kiosk, const std::vector<IncomingRecord>& records,
                                        const std::vector<std::string>& payload_json, const std::map<size_t, std::string>& refused,
                                        bool one_by_one, const ReplayCheck* replay) {
    PushResult out;
    std::vector<size_t> taken;  // the records to store, in push order
    bool site_lock = false;
    for (size_t i = 0; i < records.size(); ++i) {
        if (auto no = refused.find(i); no != refused.end()) {
            out.rejected.push_back({records[i].id, no->second});
            continue;
        }
        taken.push_back(i);
        site_lock = site_lock || !keyed_only(*find_record_type(records[i].type));
    }
    // Records that only open a case or are kept (repairs, complaints, enquiries, surveys) need no
    // lock: the tables' keys decide which record holds an id or a ticket, and a push inserting a
    // key another has not committed yet waits for that one. A push with a parcel, claim, loan,
    // pass or follow-up takes its site's lock before its projections: the site's pickup codes,
    // stock counts and row versions are decided one push at a time. Together, the records go in
    // first, without the lock (their ids decide), so another push of the site waits only for the
    // projections and the commit; one by one (a rare retry), the lock comes first.
    std::optional<SqlWrite> tx;
    if (site_lock && one_by_one) tx.emplace(db, site);
    else tx.emplace(db, SqlWrite::Unscoped{});
    // First in the transaction: the same request at once elsewhere waits on this key, then finds it.
    if (replay && db.exec("INSERT INTO seen_requests (signature, at) VALUES (?, ?) ON CONFLICT (signature) DO NOTHING",
                          {replay->signature, replay->now}) != 1)
        throw Replayed{};
    std::string received = utc_now();
    if (one_by_one) {
        for (size_t i : taken) {
            try {
                store_record(db, site, kiosk, records[i], payload_json[i], received, out);
            } catch (const std::exception& e) {
                if (!is_record_fault(e)) throw;
                throw record_fault(i, records[i]);
            }
        }
    } else {
        store_together(db, site, kiosk, records, payload_json, taken, received, site_lock, out);
    }
    // out.fresh holds the records stored by this push: what is queued because of them (the
    // household's text) goes here, inside this transaction.
    queue_notifications(db, site, records, out);
    tx->commit();
    return out;
}

void HeadOfficeStore::store_together(SqlDb& db, const std::string& site, const std::string& kiosk, const std::vector<IncomingRecord>& records,
                                     const std::vector<std::string>& payload_json, const std::vector<size_t>& taken, const std::string& received,
                                     bool site_lock, PushResult& out) {
    // 1. Every record in one multi-row insert (per kRowsPerStatement): those it returns are new.
    std::vector<SqlParams> rows;
    rows.reserve(taken.size());
    for (size_t i : taken) {
        const IncomingRecord& r = records[i];
        rows.push_back({r.id, site, kiosk, r.type, int64_t{r.schema_version}, payload_json[i], r.created_at, r.local_seq, received});
    }
    std::set<std::string> inserted;
    std::map<std::string, PushResult::Conflict> earlier_conflicts;
    try {
        for (auto& row : query_rows(db,
                                    "INSERT INTO records (id, site, kiosk, type, schema_version, payload, created_at, local_seq, "
                                    "received_at) VALUES ",
                                    {}, "(?, ?, ?, ?, ?, ?, ?, ?, ?)", rows, " ON CONFLICT (id) DO NOTHING RETURNING id"))
            inserted.insert(row.text(0));
        // 2. Repeats after a lost ack get the same answer about conflicts as the first time.
        std::vector<SqlParams> repeats;
        for (size_t i : taken)
            if (!inserted.count(records[i].id)) repeats.push_back({records[i].id});
        if (!repeats.empty())
            for (auto& row : query_rows(db, "SELECT id, conflict, coalesce(conflict_winner, '') FROM records WHERE id IN (", {}, "?",
                                        repeats, ") AND conflict IS NOT NULL"))
                earlier_conflicts[row.text(0)] = {row.text(0), row.text(1), row.text(2)};
    } catch (const std::exception& e) {
        if (!is_record_fault(e)) throw;
        throw RecordFault{RecordFault::kSomeRecord, {}};
    }
    // 3. The cases opened (and records kept as they are): their tickets decide, so they go in
    // before the site's lock too, in push order among themselves (none reads what a parcel, loan,
    // pass or follow-up writes).
    {
        std::vector<const IncomingRecord*> keyed;
        std::vector<size_t> keyed_at;
        std::set<std::string> once;
        for (size_t i : taken)
            if (inserted.count(records[i].id) && keyed_only(*find_record_type(records[i].type)) && once.insert(records[i].id).second) {
                keyed.push_back(&records[i]);
                keyed_at.push_back(i);
            }
        project_run(db, site, kiosk, keyed, keyed_at, out);
    }
    if (site_lock) db.lock_scope(site);
    // 4. The other projections in push order: records whose types project in bulk (a parcel
    // registered, handed over or returned) together, each run in a few
    // statements; the others (loans, passes, proxy codes, holds, follow-ups) one at a time, as
    // they read what those before them wrote.
    std::vector<const IncomingRecord*> run;
    std::vector<size_t> run_at;
    bool run_has_gone = false;
    auto flush = [&] {
        project_run(db, site, kiosk, run, run_at, out);
        run.clear();
        run_at.clear();
        run_has_gone = false;
    };
    std::set<std::string> fresh;
    for (size_t i : taken) {
        const IncomingRecord& r = records[i];
        const RecordType& type = *find_record_type(r.type);
        if (inserted.count(r.id) && fresh.insert(r.id).second) {
            if (keyed_only(type)) {
                // projected before the lock
            } else if (projects_in_bulk(type)) {
                // A run applies its registrations before its hand-overs: one after a hand-over
                // starts a new run (it may register the code the hand-over freed).
                if (type.registers_parcel && run_has_gone) flush();
                run_has_gone = run_has_gone || type.parcel_gone_as;
                run.push_back(&r);
                run_at.push_back(i);
            } else {
                flush();
                try {
                    RecordContext ctx{db, site, kiosk, r, out};
                    apply_record(ctx, type);
                } catch (const std::exception& e) {
                    if (!is_record_fault(e)) throw;
                    throw record_fault(i, r);
                }
            }
            out.fresh.push_back(r.id);
        } else {
            flush();  // a repeat of a record earlier in this push answers as that one's projection left it
            if (auto c = earlier_conflicts.find(r.id); c != earlier_conflicts.end()) {
                out.conflicts.push_back(c->second);
            } else if (fresh.count(r.id)) {
                for (auto c = out.conflicts.rbegin(); c != out.conflicts.rend(); ++c)
                    if (c->id == r.id) {
                        out.conflicts.push_back(*c);
                        break;
                    }
            }
        }
        out.stored.push_back(r.id);  // held now, whether inserted now or before (a lost ack)
    }
    flush();
}

void HeadOfficeStore::store_record(SqlDb& db, const std::string& site, const std::string& kiosk, const IncomingRecord& r,
                                   const std::string& payload_json, const std::string& received, PushResult& out) {
    bool fresh = db.exec("INSERT INTO records (id, site, kiosk, type, schema_version, payload, created_at, local_seq, received_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                            {r.id, site, kiosk, r.type, int64_t{r.schema_version}, payload_json, r.created_at, r.local_seq,
                             received}) == 1;
    if (fresh) {
        RecordContext ctx{db, site, kiosk, r, out};
        apply_record(ctx, *find_record_type(r.type));
        out.fresh.push_back(r.id);
    } else if (auto earlier = db.row("SELECT conflict, conflict_winner FROM records WHERE id = ?", {r.id});
               earlier && !earlier->null(0)) {
        // A repeat after a lost ack: the same answer about conflicts as the first time.
        out.conflicts.push_back({r.id, earlier->text(0), earlier->text(1)});
    }
    out.stored.push_back(r.id);  // held now, whether inserted now or before (a lost ack)
}

int64_t HeadOfficeStore::record_count() {
    std::lock_guard lock(m_write);
    return m_db->row("SELECT count(*) FROM records")->integer(0);
}

int64_t HeadOfficeStore::record_count(const std::string& site) {
    std::lock_guard lock(m_write);
    return m_db->row("SELECT count(*) FROM records WHERE site = ?", {site})->integer(0);
}

int64_t HeadOfficeStore::record_count(const std::string& site, const std::string& type) {
    std::lock_guard lock(m_write);
    return m_db->row("SELECT count(*) FROM records WHERE site = ? AND type = ?", {site, type})->integer(0);
}

std::vector<std::string> HeadOfficeStore::record_ids(const std::string& site) {
    std::lock_guard lock(m_write);
    std::vector<std::string> out;
    for (auto& r : m_db->query("SELECT id FROM records WHERE site = ? ORDER BY id", {site})) out.push_back(r.text(0));
    return out;
}

std::optional<nlohmann::json> HeadOfficeStore::record_payload(const std::string& id) {
    std::lock_guard lock(m_write);
    auto r = m_db->row("SELECT payload FROM records WHERE id = ?", {id});
    if (!r) return std::nullopt;
    return nlohmann::json::parse(r->text(0));
}

std::vector<PushResult::Conflict> HeadOfficeStore::conflicts(const std::string& site) {
    std::lock_guard lock(m_write);
    std::vector<PushResult::Conflict> out;
    for (auto& r : m_db->query("SELECT id, conflict, coalesce(conflict_winner, '') FROM records WHERE site = ? AND conflict IS NOT NULL "
                               "ORDER BY id",
                               {site}))
        out.push_back({r.text(0), r.text(1), r.text(2)});
    return out;
}

std::vector<nlohmann::json> HeadOfficeStore::payloads(const std::string& site, const std::string& type) {
    std::lock_guard lock(m_write);
    std::vector<nlohmann::json> out;
    for (auto& r : m_db->query("SELECT payload FROM records WHERE site = ? AND type = ? ORDER BY id", {site, type}))
        out.push_back(nlohmann::json::parse(r.text(0), nullptr, false));
    return out;
}

}  // namespace kiosk::headoffice
