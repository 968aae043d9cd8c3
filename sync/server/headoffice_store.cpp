#include "sync/server/headoffice_store.hpp"

#include <ctime>
#include <set>

#include "kiosk/core/parcels.hpp"
#include "kiosk/core/site.hpp"
#include "sync/common/protocol.hpp"

namespace kiosk::headoffice {

namespace {

// One dialect SQLite and PostgreSQL both take.
constexpr const char* kSchema = R"sql(
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
CREATE TABLE IF NOT EXISTS versions (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO versions VALUES ('rows', 0) ON CONFLICT DO NOTHING;
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

std::string utc_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
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

Result<std::unique_ptr<HeadOfficeStore>> HeadOfficeStore::open(const std::string& where) {
    std::unique_ptr<HeadOfficeStore> s(new HeadOfficeStore);
    try {
        s->m_db = is_postgres_dsn(where) ? open_postgres(where) : open_sqlite(where);
        SqlWrite tx(*s->m_db);  // two processes starting at once make the schema once
        s->m_db->script(kSchema);
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
    m_db->exec("INSERT INTO kiosks (site, kiosk, enrol_code, added_at) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (site, kiosk) DO UPDATE SET enrol_code = excluded.enrol_code",
               {site, kiosk, code, utc_now()});
    return code;
}

Result<std::string> HeadOfficeStore::register_kiosk(const std::string& site, const std::string& kiosk,
                                                    const std::string& enrol_code) {
    std::lock_guard lock(m_write);
    SqlWrite tx(*m_db);
    auto k = m_db->row("SELECT enrol_code, secret FROM kiosks WHERE site = ? AND kiosk = ?", {site, kiosk});
    if (!k || k->null(0) || !sync::signatures_equal(k->text(0), enrol_code))
        return Error{"headoffice.error.enrol", "unknown kiosk or enrolment code"};
    // The same answer until the kiosk first signs a request with it: a kiosk that lost power
    // before it kept the secret can ask again; after that first use the code is spent.
    if (!k->null(1)) return k->text(1);
    std::string secret = sync::random_hex(32);
    m_db->exec("UPDATE kiosks SET secret = ? WHERE site = ? AND kiosk = ?", {secret, site, kiosk});
    tx.commit();
    return secret;
}

void HeadOfficeStore::kiosk_used_secret(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    m_db->exec("UPDATE kiosks SET enrol_code = NULL WHERE site = ? AND kiosk = ? AND enrol_code IS NOT NULL", {site, kiosk});
}

std::optional<std::string> HeadOfficeStore::kiosk_secret(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    auto k = m_db->row("SELECT secret FROM kiosks WHERE site = ? AND kiosk = ? AND secret IS NOT NULL", {site, kiosk});
    if (!k) return std::nullopt;
    return k->text(0);
}

int64_t HeadOfficeStore::next_version() {
    return m_db->row("UPDATE versions SET value = value + 1 WHERE name = 'rows' RETURNING value")->integer(0);
}

std::string HeadOfficeStore::free_site_code(const std::string& site) {
    for (int tries = 0; tries < 50; ++tries) {
        std::string code = sync::random_digits(6);
        if (!m_db->row("SELECT 1 FROM site_parcels WHERE site = ? AND pickup_code = ? AND waiting = 1", {site, code})) return code;
    }
    throw std::runtime_error("no free pickup code at site " + site);
}

void HeadOfficeStore::publish_row(const std::string& site, const char* dataset, const std::string& key,
                                  const std::function<void(nlohmann::json&)>& change) {
    auto row = m_db->row("SELECT body FROM site_rows WHERE site = ? AND dataset = ? AND key = ?", {site, std::string(dataset), key});
    nlohmann::json body = row ? nlohmann::json::parse(row->text(0), nullptr, false) : nlohmann::json::object();
    if (!body.is_object()) body = nlohmann::json::object();
    change(body);
    if (body.empty()) return;  // a record about a thing head office never saw begin
    m_db->exec("INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES (?, ?, ?, ?, 0, ?) "
               "ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, version = excluded.version",
               {site, std::string(dataset), key, body.dump(), next_version()});
}

void HeadOfficeStore::check_claims(const std::string& site, const std::string& kiosk, const IncomingRecord& r, PushResult& out) {
    auto conflict = [&](const std::string& reason, const std::string& winner) {
        m_db->exec("UPDATE records SET conflict = ?, conflict_winner = ? WHERE id = ?", {reason, winner, r.id});
        out.conflicts.push_back({r.id, reason, winner});
    };
    // The first record to act on a thing wins it; a later one from another kiosk is flagged.
    auto claim = [&](const std::string& what, const std::string& reason) {
        if (m_db->exec("INSERT INTO claims (site, claim, record_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", {site, what, r.id}) == 1)
            return true;
        conflict(reason, m_db->row("SELECT record_id FROM claims WHERE site = ? AND claim = ?", {site, what})->text(0));
        return false;
    };
    const auto& p = r.payload;
    auto parcel_gone = [&](const std::string& id, const char* status, const std::string& how) {
        m_db->exec("UPDATE site_parcels SET waiting = 0 WHERE site = ? AND parcel_id = ?", {site, id});
        publish_row(site, "parcels", id, [&](nlohmann::json& b) {
            if (b.empty()) return;
            b.erase("proxy");  // used up, or no longer any use
            b["status"] = status;
            b["collected_at"] = p.value("at", int64_t{0});
            b["how"] = how;
        });
    };
    if (r.type == "parcel.registered") {
        std::string id = str(p, "parcel_id"), code = str(p, "pickup_code");
        if (!code.empty())
            if (auto clash = m_db->row("SELECT record_id FROM site_parcels WHERE site = ? AND pickup_code = ? AND waiting = 1", {site, code})) {
                // Both kiosks drew the same code while apart. The first to arrive keeps it; this
                // parcel gets a new one, texted to its household and pulled by its kiosk.
                conflict("pickup_code_clash", clash->text(0));
                code = free_site_code(site);
                out.new_codes[r.id] = code;
            }
        if (id.empty()) return;
        m_db->exec("INSERT INTO site_parcels (site, parcel_id, pickup_code, waiting, record_id) VALUES (?, ?, ?, 1, ?) "
                   "ON CONFLICT DO NOTHING",
                   {site, id, code, r.id});
        if (code.empty() || !p.contains("tracking") || !p.contains("registered_at")) return;
        publish_row(site, "parcels", id, [&](nlohmann::json& b) {
            b = {{"id", id}, {"kiosk", kiosk}, {"tracking", p["tracking"]}, {"carrier", p.value("carrier", "")},
                 {"unit", p.value("unit", "")}, {"shelf", p.value("shelf", "")}, {"consent", p.value("consent", false)},
                 {"registered_at", p["registered_at"]}, {"pickup_code", code}, {"status", "waiting"}, {"extra_days", 0}};
        });
    } else if (r.type == "parcel.handed_over") {
        if (auto it = p.find("parcels"); it != p.end() && it->is_array())
            for (auto& id : *it)
                if (id.is_string() && claim("parcel:" + id.get<std::string>(), "parcel_already_gone"))
                    parcel_gone(id.get<std::string>(), "collected", str(p, "how"));
    } else if (r.type == "parcel.returned") {
        if (claim("parcel:" + str(p, "parcel_id"), "parcel_already_gone")) parcel_gone(str(p, "parcel_id"), "returned", "returned");
    } else if (r.type == "parcel.proxy_issued") {
        // The household's one-time code for a neighbour, for every desk of the site; the newest
        // replaces the one before, as at the kiosk that made it.
        auto code = str(p, "code");
        auto expires = p.find("expires_at");
        if (!code.empty() && expires != p.end() && expires->is_number_integer())
            publish_row(site, "parcels", str(p, "parcel_id"), [&](nlohmann::json& b) {
                if (b.empty() || b.value("status", "") != "waiting") return;
                int64_t issued = expires->get<int64_t>() - kProxyCodeValidS;
                if (b.contains("proxy") && b["proxy"].value("issued_at", int64_t{0}) > issued) return;
                b["proxy"] = {{"code", code}, {"expires_at", *expires}, {"issued_at", issued}};
            });
    } else if (r.type == "parcel.hold_extended") {
        publish_row(site, "parcels", str(p, "parcel_id"), [&](nlohmann::json& b) {
            if (!b.empty()) b["extra_days"] = std::max(b.value("extra_days", 0), p.value("days", 0));
        });
    } else if (r.type == "exit_pass.requested") {
        if (!str(p, "pass_id").empty() && p.contains("items") && p.contains("requested_at"))
            publish_row(site, "exit_passes", str(p, "pass_id"), [&](nlohmann::json& b) {
                if (!b.empty()) return;
                b = {{"id", str(p, "pass_id")}, {"kiosk", kiosk}, {"unit", str(p, "unit")}, {"requester", str(p, "requester")},
                     {"requester_role", str(p, "requester_role")}, {"items", p["items"]}, {"date", str(p, "date")},
                     {"window", str(p, "window")}, {"carrier", str(p, "carrier")}, {"plate", str(p, "plate")},
                     {"requested_at", p["requested_at"]}, {"status", "pending"}};
            });
    } else if (r.type == "exit_pass.used") {
        if (claim("exit_pass_used:" + str(p, "pass_id"), "exit_pass_already_used"))
            publish_row(site, "exit_passes", str(p, "pass_id"), [&](nlohmann::json& b) {
                if (b.empty()) return;
                b["status"] = "used";
                b["used_at"] = p.value("at", int64_t{0});
            });
    } else if (r.type == "exit_pass.reviewed") {
        if (claim("exit_pass_reviewed:" + str(p, "pass_id"), "exit_pass_already_reviewed"))
            publish_row(site, "exit_passes", str(p, "pass_id"), [&](nlohmann::json& b) {
                if (b.empty() || b.value("status", "") != "pending") return;
                b["status"] = str(p, "decision");
                b["reason"] = str(p, "reason");
                b["reviewed_by"] = str(p, "staff");
                b["overridden"] = p.value("overridden", false);
                b["reviewed_at"] = p.value("at", int64_t{0});
            });
    } else if (r.type == "loan.returned") {
        if (claim("loan_returned:" + str(p, "loan_id"), "loan_already_returned")) {
            m_db->exec("UPDATE site_loans SET out = 0 WHERE site = ? AND loan_id = ?", {site, str(p, "loan_id")});
            publish_row(site, "loans", str(p, "loan_id"), [&](nlohmann::json& b) {
                if (b.empty()) return;
                b["status"] = "returned";
                b["condition"] = str(p, "condition");
                b["returned_at"] = p.value("at", int64_t{0});
                b["received_by"] = str(p, "staff");
            });
        }
    } else if (r.type == "loan.lent") {
        std::string item = str(p, "item");
        auto row = m_db->row("SELECT body FROM site_rows WHERE site = ? AND dataset = 'catalogue_items' AND key = ? AND deleted = 0",
                             {site, item});
        int64_t out_now = m_db->row("SELECT count(*) FROM site_loans WHERE site = ? AND item = ? AND out = 1", {site, item})->integer(0);
        if (row) {
            auto body = nlohmann::json::parse(row->text(0), nullptr, false);
            auto stock = body.is_object() ? body.find("stock") : body.end();
            if (stock != body.end() && stock->is_number_integer() && out_now >= stock->get<int64_t>()) conflict("no_stock_left", "");
        }
        m_db->exec("INSERT INTO site_loans (site, loan_id, item, out, record_id) VALUES (?, ?, ?, 1, ?) ON CONFLICT DO NOTHING",
                   {site, str(p, "loan_id"), item, r.id});
        // Lent even when it was the last one twice over: the item is out of the door either way.
        if (!str(p, "loan_id").empty() && p.contains("lent_at") && p.contains("due_at"))
            publish_row(site, "loans", str(p, "loan_id"), [&](nlohmann::json& b) {
                if (!b.empty()) return;
                b = {{"id", str(p, "loan_id")}, {"kiosk", kiosk}, {"item", item}, {"unit", str(p, "unit")},
                     {"borrower", str(p, "borrower")}, {"lent_at", p["lent_at"]}, {"due_at", p["due_at"]}, {"status", "out"}};
            });
    }
}

Result<PushResult> HeadOfficeStore::push(const std::string& site, const std::string& kiosk,
                                         const std::vector<IncomingRecord>& records) {
    std::lock_guard lock(m_write);
    PushResult out;
    try {
        SqlWrite tx(*m_db);
        std::string received = utc_now();
        for (const IncomingRecord& r : records) {
            if (auto problem = record_problem(r, site, kiosk)) {
                out.rejected.push_back({r.id, *problem});
                continue;
            }
            bool fresh = m_db->exec("INSERT INTO records (id, site, kiosk, type, schema_version, payload, created_at, local_seq, received_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                                    {r.id, site, kiosk, r.type, int64_t{r.schema_version}, r.payload.dump(), r.created_at, r.local_seq,
                                     received}) == 1;
            out.stored.push_back(r.id);  // held now, whether inserted now or before (a lost ack)
            if (fresh) {
                out.fresh.push_back(r.id);
                check_claims(site, kiosk, r, out);
                track_case(site, r);
            } else if (auto earlier = m_db->row("SELECT conflict, conflict_winner FROM records WHERE id = ?", {r.id});
                       earlier && !earlier->null(0)) {
                // A repeat after a lost ack: the same answer about conflicts as the first time.
                out.conflicts.push_back({r.id, earlier->text(0), earlier->text(1)});
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
    int changed = 0;
    try {
        SqlWrite tx(*m_db);
        for (const std::string& d : site_datasets()) changed += import_dataset(site, d, dataset_rows(doc, d), true);
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
    try {
        SqlWrite tx(*m_db);
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
    try {
        SqlWrite tx(*m_db);
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

namespace {
// How far up the case ladder (kiosk/core/site.hpp) a status is; -1 for one not on it.
int status_rank(const std::string& s) {
    auto status = parse_case_status(s);
    return status ? static_cast<int>(*status) : -1;
}
std::optional<int64_t> opt_int(const SqlRow& r, size_t i) {
    if (r.null(i)) return std::nullopt;
    return r.integer(i);
}
std::optional<int64_t> payload_int(const nlohmann::json& p, const char* k) {
    auto it = p.find(k);
    if (it == p.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
}
SqlParam param(const std::optional<int64_t>& v) { return v ? SqlParam{*v} : SqlParam{nullptr}; }
}  // namespace

// A repair or complaint arriving from a kiosk opens its case; a resident's follow-up there is
// recorded on it. Records without what a case needs are stored, just not followed as cases.
void HeadOfficeStore::track_case(const std::string& site, const IncomingRecord& r) {
    const auto& p = r.payload;
    std::string ticket = str(p, "ticket");
    if (ticket.empty()) return;
    if (r.type == "repair.request") {
        auto filed = payload_int(p, "registered_at");
        if (!filed) return;
        m_db->exec("INSERT INTO cases (site, ticket, record_id, kind, category, urgency, filed_at, on_site_by, done_by, status) "
                   "VALUES (?, ?, ?, 'repair', ?, ?, ?, ?, ?, 'registered') ON CONFLICT DO NOTHING",
                   {site, ticket, r.id, str(p, "category"), str(p, "urgency"), *filed, param(payload_int(p, "on_site_by")),
                    param(payload_int(p, "done_by"))});
    } else if (r.type == "complaint.case") {
        auto filed = payload_int(p, "filed_at");
        if (!filed) return;
        m_db->exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, reply_by, status) "
                   "VALUES (?, ?, ?, 'complaint', ?, ?, ?, 'registered') ON CONFLICT DO NOTHING",
                   {site, ticket, r.id, str(p, "kind"), *filed, param(payload_int(p, "reply_by"))});
    } else if (r.type == "case.follow_up") {
        auto rating = payload_int(p, "rating");
        auto at = payload_int(p, "rated_at");
        if (!rating || !at) return;
        if (m_db->exec("UPDATE cases SET followed_up_at = ?, rating = ?, "
                       "status = CASE WHEN status = 'done' THEN 'followed_up' ELSE status END "
                       "WHERE site = ? AND ticket = ? AND followed_up_at IS NULL",
                       {*at, *rating, site, ticket}) == 1)
            publish_case_status(site, ticket);
    }
}

// The case's status as kiosks pull it: a new version of its case_status row.
void HeadOfficeStore::publish_case_status(const std::string& site, const std::string& ticket) {
    auto c = m_db->row("SELECT status, severity FROM cases WHERE site = ? AND ticket = ?", {site, ticket});
    if (!c) return;
    nlohmann::json body{{"ticket", ticket}, {"status", c->text(0)}, {"severity", c->null(1) ? nlohmann::json() : nlohmann::json(c->text(1))}};
    m_db->exec("INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES (?, 'case_status', ?, ?, 0, ?) "
               "ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, version = excluded.version",
               {site, ticket, body.dump(), next_version()});
}

std::vector<CaseRow> HeadOfficeStore::case_rows(const std::string& where, const SqlParams& params) {
    std::vector<CaseRow> out;
    for (auto& r : m_db->query("SELECT ticket, record_id, kind, category, coalesce(urgency, ''), coalesce(severity, ''), valid, status, "
                               "filed_at, on_site_by, done_by, reply_by, on_site_at, done_at, followed_up_at, closed_at, rating, "
                               "coalesce(closed_by, ''), coalesce(approved_by, ''), coalesce(result, '') FROM cases WHERE " +
                                   where + " ORDER BY filed_at, ticket",
                               params)) {
        CaseRow c;
        c.ticket = r.text(0);
        c.record_id = r.text(1);
        c.kind = r.text(2);
        c.category = r.text(3);
        c.urgency = r.text(4);
        c.severity = r.text(5);
        if (!r.null(6)) c.valid = r.integer(6) != 0;
        c.status = r.text(7);
        c.filed_at = r.integer(8);
        c.on_site_by = opt_int(r, 9);
        c.done_by = opt_int(r, 10);
        c.reply_by = opt_int(r, 11);
        c.on_site_at = opt_int(r, 12);
        c.done_at = opt_int(r, 13);
        c.followed_up_at = opt_int(r, 14);
        c.closed_at = opt_int(r, 15);
        if (!r.null(16)) c.rating = static_cast<int>(r.integer(16));
        c.closed_by = r.text(17);
        c.approved_by = r.text(18);
        c.result = r.text(19);
        out.push_back(std::move(c));
    }
    return out;
}

std::optional<CaseRow> HeadOfficeStore::case_row(const std::string& site, const std::string& ticket) {
    std::lock_guard lock(m_write);
    auto rows = case_rows("site = ? AND ticket = ?", {site, ticket});
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<CaseRow> HeadOfficeStore::cases_touching(const std::string& site, int64_t from, int64_t to) {
    std::lock_guard lock(m_write);
    return case_rows("site = ? AND ((filed_at >= ? AND filed_at < ?) OR (done_at >= ? AND done_at < ?) OR "
                     "(followed_up_at >= ? AND followed_up_at < ?))",
                     {site, from, to, from, to, from, to});
}

Result<CaseRow> HeadOfficeStore::update_case(const std::string& site, const std::string& ticket, const CaseUpdate& u) {
    auto fail = [](std::string why) -> Result<CaseRow> { return Error{"headoffice.error.case", std::move(why)}; };
    std::lock_guard lock(m_write);
    try {
        SqlWrite tx(*m_db);
        auto found = case_rows("site = ? AND ticket = ?", {site, ticket});
        if (found.empty()) return fail("no case " + ticket + " at site " + site + " (has its kiosk synced?)");
        CaseRow c = found.front();
        bool complaint = c.kind == "complaint";
        if (u.severity) {
            if (!complaint) return fail("only a complaint has a severity");
            if (*u.severity != "major" && *u.severity != "important" && *u.severity != "minor")
                return fail("severity is major, important or minor, not '" + *u.severity + "'");
            c.severity = *u.severity;
        }
        if (u.valid) {
            if (!complaint) return fail("only a complaint is valid or communicative");
            c.valid = *u.valid;
        }
        if (u.on_site) {
            if (complaint) return fail("only a repair has a repairer on site");
            if (!c.on_site_at) c.on_site_at = u.at;
        }
        if (u.rating && (*u.rating < 1 || *u.rating > 5)) return fail("a rating is 1 to 5");
        if (u.rating && u.status != "followed_up") return fail("a rating comes with --status followed_up");
        if (u.status) {
            int to = status_rank(*u.status), now = status_rank(c.status);
            if (to < 1) return fail("status is dispatched, in_progress, done, followed_up or closed, not '" + *u.status + "'");
            if (to < now) return fail("case " + ticket + " is already " + c.status + "; a status does not go back");
            if (*u.status == "followed_up" || *u.status == "closed") {
                if (!c.done_at) return fail("case " + ticket + " is not resolved yet: mark it done first");
            }
            if (*u.status == "done" && !c.done_at) c.done_at = u.at;
            if (*u.status == "followed_up" && !c.followed_up_at) {
                c.followed_up_at = u.at;
                if (u.rating) c.rating = *u.rating;
            }
            if (*u.status == "closed") {
                if (u.by.empty()) return fail("say who closes the case (--by)");
                if (complaint && c.severity == "major" && u.approved_by.empty())
                    return fail("a major complaint closes only with the manager's approval (--approved-by)");
                c.closed_at = u.at;
                c.closed_by = u.by;
                c.approved_by = u.approved_by;
                c.result = u.result;
            }
            if (to > now) c.status = *u.status;
        }
        m_db->exec("UPDATE cases SET severity = ?, valid = ?, status = ?, on_site_at = ?, done_at = ?, followed_up_at = ?, "
                   "rating = ?, closed_at = ?, closed_by = ?, approved_by = ?, result = ? WHERE site = ? AND ticket = ?",
                   {c.severity.empty() ? SqlParam{nullptr} : SqlParam{c.severity},
                    c.valid ? SqlParam{int64_t{*c.valid ? 1 : 0}} : SqlParam{nullptr}, c.status, param(c.on_site_at),
                    param(c.done_at), param(c.followed_up_at), c.rating ? SqlParam{int64_t{*c.rating}} : SqlParam{nullptr},
                    param(c.closed_at), c.closed_by, c.approved_by, c.result, site, ticket});
        publish_case_status(site, ticket);
        tx.commit();
        return c;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

std::vector<nlohmann::json> HeadOfficeStore::payloads(const std::string& site, const std::string& type) {
    std::lock_guard lock(m_write);
    std::vector<nlohmann::json> out;
    for (auto& r : m_db->query("SELECT payload FROM records WHERE site = ? AND type = ? ORDER BY id", {site, type}))
        out.push_back(nlohmann::json::parse(r.text(0), nullptr, false));
    return out;
}

}  // namespace kiosk::headoffice
