#include "sync/server/headoffice_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <set>

#include "sync/common/protocol.hpp"

namespace kiosk::headoffice {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS kiosks (
  site TEXT NOT NULL, kiosk TEXT NOT NULL,
  secret TEXT, enrol_code TEXT,
  added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  PRIMARY KEY (site, kiosk)
);
-- Every record exactly once: the id is the kiosk's, made before the network was involved.
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL, kiosk TEXT NOT NULL,
  type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL, local_seq INTEGER NOT NULL,
  received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
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
  body TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL,
  PRIMARY KEY (site, dataset, key)
);
CREATE INDEX IF NOT EXISTS site_rows_version ON site_rows (site, dataset, version);
CREATE TABLE IF NOT EXISTS versions (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO versions VALUES ('rows', 0);
)sql";

const std::set<std::string>& known_types() {
    static const std::set<std::string> k{
        "case.follow_up",   "complaint.case",        "enquiry.question",    "exit_pass.requested", "exit_pass.reviewed",
        "exit_pass.used",   "loan.lent",             "loan.returned",       "parcel.handed_over",  "parcel.hold_extended",
        "parcel.proxy_issued", "parcel.registered",  "parcel.reminder",     "parcel.returned",     "repair.request",
        "survey.answer"};
    return k;
}

std::string str(const nlohmann::json& p, const char* k) {
    auto it = p.find(k);
    return it != p.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<std::string> record_problem(const IncomingRecord& r, const std::string& site, const std::string& kiosk) {
    std::string prefix = site + "-" + kiosk + "-";
    if (r.id.size() > 100 || r.id.compare(0, prefix.size(), prefix) != 0 || r.id.size() == prefix.size())
        return "record id must start with " + prefix;
    if (!known_types().count(r.type)) return "unknown record type '" + r.type.substr(0, 60) + "'";
    if (r.schema_version != 1) return "schema version " + std::to_string(r.schema_version) + " of " + r.type + " is not supported";
    if (!r.payload.is_object()) return "payload is not an object";
    if (r.created_at.empty() || r.created_at.size() > 40) return "created_at missing";
    if (r.local_seq <= 0) return "local_seq must be positive";
    return std::nullopt;
}

Result<std::unique_ptr<HeadOfficeStore>> HeadOfficeStore::open(const std::filesystem::path& path) {
    std::unique_ptr<HeadOfficeStore> s(new HeadOfficeStore);
    try {
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
        s->m_db = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        s->m_db->setBusyTimeout(5000);
        s->m_db->exec("PRAGMA journal_mode=WAL");
        s->m_db->exec("PRAGMA synchronous=FULL");  // an ack is a promise: it is on disk first
        SQLite::Transaction tx(*s->m_db, SQLite::TransactionBehavior::IMMEDIATE);
        s->m_db->exec(kSchema);
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.open", e.what()};
    }
    return s;
}

Result<std::string> HeadOfficeStore::add_kiosk(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    if (site.empty() || kiosk.empty() || site.find('-') != std::string::npos || kiosk.find('-') != std::string::npos)
        return Error{"headoffice.error.kiosk", "site and kiosk ids are non-empty and have no '-'"};
    std::string code = sync::random_hex(8);
    SQLite::Statement q(*m_db,
                        "INSERT INTO kiosks (site, kiosk, enrol_code) VALUES (?, ?, ?) "
                        "ON CONFLICT (site, kiosk) DO UPDATE SET enrol_code = excluded.enrol_code");
    q.bind(1, site);
    q.bind(2, kiosk);
    q.bind(3, code);
    q.exec();
    return code;
}

Result<std::string> HeadOfficeStore::register_kiosk(const std::string& site, const std::string& kiosk,
                                                    const std::string& enrol_code) {
    std::lock_guard lock(m_write);
    SQLite::Statement q(*m_db, "SELECT enrol_code, secret FROM kiosks WHERE site = ? AND kiosk = ?");
    q.bind(1, site);
    q.bind(2, kiosk);
    if (!q.executeStep() || q.getColumn(0).isNull() || !sync::signatures_equal(q.getColumn(0).getString(), enrol_code))
        return Error{"headoffice.error.enrol", "unknown kiosk or enrolment code"};
    // The same answer until the kiosk first signs a request with it: a kiosk that lost power
    // before it kept the secret can ask again; after that first use the code is spent.
    if (!q.getColumn(1).isNull()) return q.getColumn(1).getString();
    std::string secret = sync::random_hex(32);
    SQLite::Statement up(*m_db, "UPDATE kiosks SET secret = ? WHERE site = ? AND kiosk = ?");
    up.bind(1, secret);
    up.bind(2, site);
    up.bind(3, kiosk);
    up.exec();
    return secret;
}

void HeadOfficeStore::kiosk_used_secret(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    SQLite::Statement up(*m_db, "UPDATE kiosks SET enrol_code = NULL WHERE site = ? AND kiosk = ? AND enrol_code IS NOT NULL");
    up.bind(1, site);
    up.bind(2, kiosk);
    up.exec();
}

std::optional<std::string> HeadOfficeStore::kiosk_secret(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    SQLite::Statement q(*m_db, "SELECT secret FROM kiosks WHERE site = ? AND kiosk = ? AND secret IS NOT NULL");
    q.bind(1, site);
    q.bind(2, kiosk);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
}

int64_t HeadOfficeStore::next_version() {
    return m_db->execAndGet("UPDATE versions SET value = value + 1 WHERE name = 'rows' RETURNING value").getInt64();
}

void HeadOfficeStore::check_claims(const std::string& site, const IncomingRecord& r, PushResult& out) {
    auto conflict = [&](const std::string& reason, const std::string& winner) {
        SQLite::Statement f(*m_db, "UPDATE records SET conflict = ?, conflict_winner = ? WHERE id = ?");
        f.bind(1, reason);
        f.bind(2, winner);
        f.bind(3, r.id);
        f.exec();
        out.conflicts.push_back({r.id, reason, winner});
    };
    // The first record to act on a thing wins it; a later one from another kiosk is flagged.
    auto claim = [&](const std::string& what, const std::string& reason) {
        SQLite::Statement c(*m_db, "INSERT INTO claims (site, claim, record_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        c.bind(1, site);
        c.bind(2, what);
        c.bind(3, r.id);
        if (c.exec() == 1) return true;
        SQLite::Statement w(*m_db, "SELECT record_id FROM claims WHERE site = ? AND claim = ?");
        w.bind(1, site);
        w.bind(2, what);
        w.executeStep();
        conflict(reason, w.getColumn(0).getString());
        return false;
    };
    auto parcel_gone = [&](const std::string& id) {
        SQLite::Statement u(*m_db, "UPDATE site_parcels SET waiting = 0 WHERE site = ? AND parcel_id = ?");
        u.bind(1, site);
        u.bind(2, id);
        u.exec();
    };
    const auto& p = r.payload;
    if (r.type == "parcel.registered") {
        std::string id = str(p, "parcel_id"), code = str(p, "pickup_code");
        SQLite::Statement clash(*m_db, "SELECT record_id FROM site_parcels WHERE site = ? AND pickup_code = ? AND waiting = 1");
        clash.bind(1, site);
        clash.bind(2, code);
        if (!code.empty() && clash.executeStep()) conflict("pickup_code_clash", clash.getColumn(0).getString());
        SQLite::Statement ins(*m_db,
                              "INSERT INTO site_parcels (site, parcel_id, pickup_code, waiting, record_id) VALUES (?, ?, ?, 1, ?) "
                              "ON CONFLICT DO NOTHING");
        ins.bind(1, site);
        ins.bind(2, id);
        ins.bind(3, code);
        ins.bind(4, r.id);
        ins.exec();
    } else if (r.type == "parcel.handed_over") {
        if (auto it = p.find("parcels"); it != p.end() && it->is_array())
            for (auto& id : *it)
                if (id.is_string() && claim("parcel:" + id.get<std::string>(), "parcel_already_gone")) parcel_gone(id.get<std::string>());
    } else if (r.type == "parcel.returned") {
        if (claim("parcel:" + str(p, "parcel_id"), "parcel_already_gone")) parcel_gone(str(p, "parcel_id"));
    } else if (r.type == "exit_pass.used") {
        claim("exit_pass_used:" + str(p, "pass_id"), "exit_pass_already_used");
    } else if (r.type == "exit_pass.reviewed") {
        claim("exit_pass_reviewed:" + str(p, "pass_id"), "exit_pass_already_reviewed");
    } else if (r.type == "loan.returned") {
        if (claim("loan_returned:" + str(p, "loan_id"), "loan_already_returned")) {
            SQLite::Statement u(*m_db, "UPDATE site_loans SET out = 0 WHERE site = ? AND loan_id = ?");
            u.bind(1, site);
            u.bind(2, str(p, "loan_id"));
            u.exec();
        }
    } else if (r.type == "loan.lent") {
        std::string item = str(p, "item");
        SQLite::Statement stock(*m_db,
                                "SELECT json_extract(body, '$.stock') FROM site_rows WHERE site = ? AND dataset = 'catalogue_items' "
                                "AND key = ? AND deleted = 0");
        stock.bind(1, site);
        stock.bind(2, item);
        SQLite::Statement out_now(*m_db, "SELECT count(*) FROM site_loans WHERE site = ? AND item = ? AND out = 1");
        out_now.bind(1, site);
        out_now.bind(2, item);
        out_now.executeStep();
        if (stock.executeStep() && !stock.getColumn(0).isNull() && out_now.getColumn(0).getInt64() >= stock.getColumn(0).getInt64())
            conflict("no_stock_left", "");
        SQLite::Statement ins(*m_db,
                              "INSERT INTO site_loans (site, loan_id, item, out, record_id) VALUES (?, ?, ?, 1, ?) ON CONFLICT DO NOTHING");
        ins.bind(1, site);
        ins.bind(2, str(p, "loan_id"));
        ins.bind(3, item);
        ins.bind(4, r.id);
        ins.exec();
    }
}

Result<PushResult> HeadOfficeStore::push(const std::string& site, const std::string& kiosk,
                                         const std::vector<IncomingRecord>& records) {
    std::lock_guard lock(m_write);
    PushResult out;
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement ins(*m_db,
                              "INSERT INTO records (id, site, kiosk, type, schema_version, payload, created_at, local_seq) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
        SQLite::Statement earlier(*m_db, "SELECT conflict, conflict_winner FROM records WHERE id = ?");
        for (const IncomingRecord& r : records) {
            if (auto problem = record_problem(r, site, kiosk)) {
                out.rejected.push_back({r.id, *problem});
                continue;
            }
            ins.bind(1, r.id);
            ins.bind(2, site);
            ins.bind(3, kiosk);
            ins.bind(4, r.type);
            ins.bind(5, r.schema_version);
            ins.bind(6, r.payload.dump());
            ins.bind(7, r.created_at);
            ins.bind(8, r.local_seq);
            bool fresh = ins.exec() == 1;
            ins.reset();
            out.stored.push_back(r.id);  // held now, whether inserted now or before (a lost ack)
            if (fresh) {
                out.fresh.push_back(r.id);
                check_claims(site, r, out);
            } else {
                // A repeat after a lost ack: the same answer about conflicts as the first time.
                earlier.bind(1, r.id);
                if (earlier.executeStep() && !earlier.getColumn(0).isNull())
                    out.conflicts.push_back({r.id, earlier.getColumn(0).getString(), earlier.getColumn(1).getString()});
                earlier.reset();
            }
        }
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    return out;
}

Result<PullPage> HeadOfficeStore::pull(const std::string& site, const std::string& dataset, int64_t cursor, int limit) {
    std::lock_guard lock(m_write);
    if (!is_site_dataset(dataset)) return Error{"headoffice.error.dataset", "unknown data set " + dataset};
    PullPage page;
    page.cursor = cursor;
    SQLite::Statement q(*m_db,
                        "SELECT key, body, deleted, version FROM site_rows WHERE site = ? AND dataset = ? AND version > ? "
                        "ORDER BY version LIMIT ?");
    q.bind(1, site);
    q.bind(2, dataset);
    q.bind(3, cursor);
    q.bind(4, limit + 1);
    while (q.executeStep()) {
        if (static_cast<int>(page.rows.size()) == limit) {
            page.more = true;
            break;
        }
        page.rows.push_back({q.getColumn(0).getString(), nlohmann::json::parse(q.getColumn(1).getString()),
                             q.getColumn(2).getInt() != 0});
        page.cursor = q.getColumn(3).getInt64();
    }
    return page;
}

Result<int> HeadOfficeStore::import_site(const std::string& site, const nlohmann::json& doc) {
    std::lock_guard lock(m_write);
    int changed = 0;
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement cur(*m_db, "SELECT body, deleted FROM site_rows WHERE site = ? AND dataset = ? AND key = ?");
        SQLite::Statement put(*m_db,
                              "INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES (?, ?, ?, ?, 0, ?) "
                              "ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, deleted = 0, version = excluded.version");
        for (const std::string& d : site_datasets()) {
            std::set<std::string> keys;
            for (const DatasetRow& r : dataset_rows(doc, d)) {
                keys.insert(r.key);
                std::string body = r.body.dump();
                cur.bind(1, site);
                cur.bind(2, d);
                cur.bind(3, r.key);
                bool same = cur.executeStep() && cur.getColumn(0).getString() == body && cur.getColumn(1).getInt() == 0;
                cur.reset();
                if (same) continue;
                put.bind(1, site);
                put.bind(2, d);
                put.bind(3, r.key);
                put.bind(4, body);
                put.bind(5, next_version());
                put.exec();
                put.reset();
                ++changed;
            }
            // Rows the file no longer has are deleted at the kiosks too.
            SQLite::Statement gone(*m_db, "SELECT key FROM site_rows WHERE site = ? AND dataset = ? AND deleted = 0");
            gone.bind(1, site);
            gone.bind(2, d);
            std::vector<std::string> drop;
            while (gone.executeStep())
                if (!keys.count(gone.getColumn(0).getString())) drop.push_back(gone.getColumn(0).getString());
            for (auto& k : drop) {
                SQLite::Statement del(*m_db, "UPDATE site_rows SET deleted = 1, version = ? WHERE site = ? AND dataset = ? AND key = ?");
                del.bind(1, next_version());
                del.bind(2, site);
                del.bind(3, d);
                del.bind(4, k);
                del.exec();
                ++changed;
            }
        }
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.import", e.what()};
    }
    return changed;
}

Result<Ok> HeadOfficeStore::put_row(const std::string& site, const std::string& dataset, const DatasetRow& row) {
    std::lock_guard lock(m_write);
    if (!is_site_dataset(dataset)) return Error{"headoffice.error.dataset", "unknown data set " + dataset};
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement put(*m_db,
                              "INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES (?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, deleted = excluded.deleted, "
                              "version = excluded.version");
        put.bind(1, site);
        put.bind(2, dataset);
        put.bind(3, row.key);
        put.bind(4, row.body.dump());
        put.bind(5, row.deleted ? 1 : 0);
        put.bind(6, next_version());
        put.exec();
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.import", e.what()};
    }
    return Ok{};
}

int64_t HeadOfficeStore::record_count() {
    std::lock_guard lock(m_write);
    return m_db->execAndGet("SELECT count(*) FROM records").getInt64();
}

int64_t HeadOfficeStore::record_count(const std::string& site) {
    std::lock_guard lock(m_write);
    SQLite::Statement q(*m_db, "SELECT count(*) FROM records WHERE site = ?");
    q.bind(1, site);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

std::vector<std::string> HeadOfficeStore::record_ids(const std::string& site) {
    std::lock_guard lock(m_write);
    SQLite::Statement q(*m_db, "SELECT id FROM records WHERE site = ? ORDER BY id");
    q.bind(1, site);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

std::optional<nlohmann::json> HeadOfficeStore::record_payload(const std::string& id) {
    std::lock_guard lock(m_write);
    SQLite::Statement q(*m_db, "SELECT payload FROM records WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return nlohmann::json::parse(q.getColumn(0).getString());
}

std::vector<PushResult::Conflict> HeadOfficeStore::conflicts(const std::string& site) {
    std::lock_guard lock(m_write);
    SQLite::Statement q(*m_db, "SELECT id, conflict, coalesce(conflict_winner, '') FROM records WHERE site = ? AND conflict IS NOT NULL ORDER BY id");
    q.bind(1, site);
    std::vector<PushResult::Conflict> out;
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    return out;
}

}  // namespace kiosk::headoffice
