// Head office's store as the console reads and writes it (console_data.hpp). Every query puts the
// viewer's scope into its WHERE clause: a site outside it reads as if it did not exist.
//
// Sections: the schema and its migration · the case list · a case's timeline and history ·
// announcements · site data CSV (commit, previews kept for their commit, export) · the case list as CSV.
#include <sodium.h>

#include <algorithm>
#include <set>

#include "sync/common/protocol.hpp"
#include "sync/server/store_rows.hpp"
#include "sync/server/console_data.hpp"
#include "sync/server/csv.hpp"
#include "sync/server/record_types.hpp"
#include "sync/server/site_limits.hpp"

namespace kiosk::headoffice {

namespace {

// ---- The schema -----------------------------------------------------------------------------
// cases.due_at and cases.assignee are added by migrate_console (ALTER TABLE), then these.
constexpr const char* kConsoleSchema = R"sql(
-- Every update of a case made at head office, in order: who, when, what changed, the note.
CREATE TABLE IF NOT EXISTS case_history (
  site TEXT NOT NULL, ticket TEXT NOT NULL, seq INTEGER NOT NULL,
  at BIGINT NOT NULL, by_whom TEXT NOT NULL, what TEXT NOT NULL, changes TEXT NOT NULL, note TEXT NOT NULL,
  PRIMARY KEY (site, ticket, seq)
);
-- The case list: by due time within a site, and across sites.
CREATE INDEX IF NOT EXISTS cases_due ON cases (site, due_at, filed_at, ticket);
CREATE INDEX IF NOT EXISTS cases_due_all ON cases (due_at, filed_at, site, ticket);
-- CSV previews waiting for their commit (schema 3): the good rows as JSON [[key, body], ...].
CREATE TABLE IF NOT EXISTS csv_previews (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, site TEXT NOT NULL, dataset TEXT NOT NULL,
  replace_all INTEGER NOT NULL, row_count BIGINT NOT NULL, rows_json TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS csv_previews_owner ON csv_previews (owner, created_at);
)sql";

constexpr int kExportPage = 500;


// site, the case's columns, then what the console adds.
const std::string kCaseColumns = std::string("site, ") + kCaseRowColumns + ", coalesce(assignee, ''), due_at";

CaseListRow case_list_row(const SqlRow& r, int64_t now) {
    CaseListRow l;
    l.site = r.text(0);
    l.c = case_from_row(r, 1);
    l.assignee = r.text(21);
    l.due_at = r.integer(22);
    l.overdue = l.due_at < now;
    return l;
}

// The filter as SQL after the scope; an unknown kind, status or severity is an error, not "any".
Result<std::string> case_where(const SiteScope& scope, const CaseFilter& f, SqlParams& params) {
    auto fail = [](const std::string& why) -> Result<std::string> { return Error{"headoffice.error.filter", why}; };
    static const std::set<std::string> kinds{"repair", "complaint", "enquiry"};
    static const std::set<std::string> statuses{"registered", "dispatched", "in_progress", "done", "followed_up", "closed", "open"};
    static const std::set<std::string> severities{"major", "important", "minor"};
    std::string w = scope_sql(scope, params);
    if (!f.sites.empty()) {
        if (f.sites.size() > kMaxScopeSites) return fail("too many sites");
        w += " AND " + scope_sql(SiteScope::of(f.sites), params);
    }
    if (!f.kind.empty()) {
        if (!kinds.count(f.kind)) return fail("kind is repair, complaint or enquiry");
        w += " AND kind = ?";
        params.push_back(f.kind);
    }
    if (f.status == "open") {
        w += " AND status <> 'closed'";
    } else if (!f.status.empty()) {
        if (!statuses.count(f.status)) return fail("unknown status");
        w += " AND status = ?";
        params.push_back(f.status);
    }
    if (!f.severity.empty()) {
        if (!severities.count(f.severity)) return fail("severity is major, important or minor");
        w += " AND severity = ?";
        params.push_back(f.severity);
    }
    if (f.overdue) {
        w += " AND due_at < ?";
        params.push_back(f.now);
    }
    return w;
}

// A case opened from an enquiry record stored before enquiries were followed as cases.
void open_case_from(SqlDb& db, const std::string& site, const std::string& record_id, const CaseOpening& o) {
    CaseRow c;
    c.kind = o.kind;
    c.filed_at = o.filed_at;
    c.on_site_by = o.on_site_by;
    c.done_by = o.done_by;
    c.reply_by = o.reply_by;
    db.exec(
        "INSERT INTO cases (site, ticket, record_id, kind, category, urgency, filed_at, on_site_by, done_by, reply_by, status, "
        "due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?) ON CONFLICT DO NOTHING",
        {site, o.ticket, record_id, o.kind, o.category, o.urgency ? SqlParam{*o.urgency} : SqlParam{nullptr}, o.filed_at,
         nullable(o.on_site_by), nullable(o.done_by), nullable(o.reply_by), case_due_at(c)});
}

}  // namespace

// Stores made before the console: cases get their due time (indexed) and assignee, and the
// enquiries already stored become cases, first come first served on a ticket as at a push.
void HeadOfficeStore::migrate_console() {
    if (!column_exists(*m_db, "cases", "due_at")) {
        m_db->script(
            "ALTER TABLE cases ADD COLUMN due_at BIGINT NOT NULL DEFAULT 253402300799;"
            "ALTER TABLE cases ADD COLUMN assignee TEXT;");
        const RecordType* enquiry = find_record_type("enquiry.question");
        for (auto& r :
             m_db->query("SELECT r.id, r.site, r.payload FROM records r WHERE r.type = 'enquiry.question' AND NOT EXISTS "
                         "(SELECT 1 FROM cases c WHERE c.site = r.site AND c.record_id = r.id) ORDER BY r.received_at, r.local_seq")) {
            auto payload = nlohmann::json::parse(r.text(2), nullptr, false);
            if (auto o = enquiry && enquiry->opens_case ? enquiry->opens_case(payload) : std::nullopt)
                open_case_from(*m_db, r.text(1), r.text(0), *o);
        }
        for (auto& r : m_db->query(std::string("SELECT ") + kCaseColumns + " FROM cases")) {
            CaseListRow l = case_list_row(r, 0);
            int64_t due = case_due_at(l.c);
            if (due != l.due_at) m_db->exec("UPDATE cases SET due_at = ? WHERE site = ? AND ticket = ?", {due, l.site, l.c.ticket});
        }
    }
    m_db->script(kConsoleSchema);
    migrate_case_counts(*m_db);  // schema 4, case_counts.cpp
}

std::vector<std::string> HeadOfficeStore::sites(const SiteScope& scope) {
    std::lock_guard lock(m_write);
    SqlParams p;
    std::string a = scope_sql(scope, p);
    std::string b = scope_sql(scope, p);
    std::vector<std::string> out;
    for (auto& r : m_db->query(
             "SELECT site FROM site_rows WHERE " + a + " GROUP BY site UNION SELECT site FROM kiosks WHERE " + b + " ORDER BY 1", p))
        out.push_back(r.text(0));
    return out;
}

// ---- The case list --------------------------------------------------------------------------

Result<CasePage> HeadOfficeStore::case_list(const SiteScope& scope, const CaseFilter& f) {
    if (f.limit < 1 || f.limit > 500) return Error{"headoffice.error.filter", "a page is 1 to 500 cases"};
    if (f.offset < 0 || f.offset > 10'000'000) return Error{"headoffice.error.filter", "offset out of range"};
    SqlParams params;
    auto where = case_where(scope, f, params);
    if (!where) return where.error();
    std::lock_guard lock(m_write);
    try {
        CasePage page;
        page.total = m_db->row("SELECT count(*) FROM cases WHERE " + where.value(), params)->integer(0);
        params.push_back(int64_t{f.limit});
        params.push_back(int64_t{f.offset});
        for (auto& r : m_db->query(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE " + where.value() +
                                       " ORDER BY due_at, filed_at, site, ticket LIMIT ? OFFSET ?",
                                   params))
            page.rows.push_back(case_list_row(r, f.now));
        return page;
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
}

// ---- A case's timeline and history ------------------------------------------------------------

void append_case_history(SqlDb& db, const std::string& site, const std::string& ticket, const CaseRow& b,
                         const std::string& assignee_before, const CaseRow& a, const std::string& assignee_after, const CaseUpdate& u) {
    nlohmann::json changes = nlohmann::json::object();
    auto text = [&](const char* k, const std::string& x, const std::string& y) {
        if (x != y) changes[k] = {x.empty() ? nlohmann::json() : nlohmann::json(x), y.empty() ? nlohmann::json() : nlohmann::json(y)};
    };
    auto opt = [&](const char* k, const auto& x, const auto& y) {
        if (x != y) changes[k] = {x ? nlohmann::json(*x) : nlohmann::json(), y ? nlohmann::json(*y) : nlohmann::json()};
    };
    text("status", b.status, a.status);
    text("severity", b.severity, a.severity);
    opt("valid", b.valid, a.valid);
    text("assignee", assignee_before, assignee_after);
    opt("on_site_at", b.on_site_at, a.on_site_at);
    opt("done_at", b.done_at, a.done_at);
    opt("followed_up_at", b.followed_up_at, a.followed_up_at);
    opt("rating", b.rating, a.rating);
    opt("closed_at", b.closed_at, a.closed_at);
    text("closed_by", b.closed_by, a.closed_by);
    text("approved_by", b.approved_by, a.approved_by);
    text("result", b.result, a.result);
    if (changes.empty() && u.note.empty()) return;
    int64_t seq = db.row("SELECT coalesce(max(seq), 0) + 1 FROM case_history WHERE site = ? AND ticket = ?", {site, ticket})->integer(0);
    db.exec("INSERT INTO case_history (site, ticket, seq, at, by_whom, what, changes, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {site, ticket, seq, u.at, u.by, std::string(changes.empty() ? "note" : "update"), changes.dump(), u.note});
}

Result<CaseRow> HeadOfficeStore::update_case(const SiteScope& scope, const std::string& site, const std::string& ticket,
                                             const CaseUpdate& u) {
    {
        std::lock_guard lock(m_write);
        SqlParams p{site, ticket};
        std::string w = scope_sql(scope, p);
        if (!m_db->row("SELECT 1 FROM cases WHERE site = ? AND ticket = ? AND " + w, p))
            return Error{"headoffice.error.case", "no case " + ticket + " at site " + site};
    }
    return update_case(site, ticket, u);
}

std::optional<CaseTimeline> HeadOfficeStore::case_timeline(const SiteScope& scope, const std::string& site, const std::string& ticket,
                                                           int64_t now) {
    std::lock_guard lock(m_write);
    SqlParams p{site, ticket};
    std::string w = scope_sql(scope, p);
    auto row = m_db->row(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE site = ? AND ticket = ? AND " + w, p);
    if (!row) return std::nullopt;
    CaseTimeline t;
    t.c = case_list_row(*row, now);
    const CaseRow& c = t.c.c;
    if (auto rec = m_db->row("SELECT kiosk, created_at, received_at FROM records WHERE id = ? AND site = ?", {c.record_id, site})) {
        t.events.push_back({c.filed_at, "filed", rec->text(0), {{"created_at", rec->text(1)}}, ""});
        if (auto at = parse_iso_utc(rec->text(2))) t.events.push_back({*at, "received", "", {{"received_at", rec->text(2)}}, ""});
    } else {
        t.events.push_back({c.filed_at, "filed", "", nlohmann::json::object(), ""});
    }
    std::set<std::string> recorded;  // the steps the history holds
    for (auto& h : m_db->query("SELECT at, by_whom, what, changes, note FROM case_history WHERE site = ? AND ticket = ? ORDER BY seq",
                               {site, ticket})) {
        auto changes = nlohmann::json::parse(h.text(3), nullptr, false);
        if (!changes.is_object()) changes = nlohmann::json::object();
        for (auto& [k, v] : changes.items()) recorded.insert(k);
        t.events.push_back({h.integer(0), h.text(2), h.text(1), changes, h.text(4)});
    }
    // Steps taken before the history was kept, or at a kiosk (the resident's rating).
    auto step = [&](const char* field, const char* what, const std::optional<int64_t>& at, nlohmann::json changes, const std::string& by) {
        if (at && !recorded.count(field)) t.events.push_back({*at, what, by, std::move(changes), ""});
    };
    step("on_site_at", "on_site", c.on_site_at, nlohmann::json::object(), "");
    step("done_at", "done", c.done_at, nlohmann::json::object(), "");
    step("followed_up_at", "follow_up", c.followed_up_at,
         c.rating ? nlohmann::json{{"rating", {nullptr, *c.rating}}} : nlohmann::json::object(), "");
    step("closed_at", "closed", c.closed_at, nlohmann::json::object(), c.closed_by);
    std::stable_sort(t.events.begin(), t.events.end(), [](const CaseEvent& x, const CaseEvent& y) { return x.at < y.at; });
    return t;
}

// ---- Announcements ----------------------------------------------------------------------------

namespace {
// The site's live building ids, if the site is in the scope.
std::set<std::string> buildings_of(SqlDb& db, const SiteScope& scope, const std::string& site) {
    SqlParams p{site};
    std::string w = scope_sql(scope, p);
    std::set<std::string> out;
    for (auto& r : db.query("SELECT key FROM site_rows WHERE site = ? AND dataset = 'buildings' AND deleted = 0 AND " + w, p))
        out.insert(r.text(0));
    return out;
}

std::optional<std::string> announcement_site_problem(SqlDb& db, const SiteScope& scope, const std::string& site,
                                                     const AnnouncementInput& a) {
    if (!scope.allows(site)) return "no site " + site;
    auto known = buildings_of(db, scope, site);
    for (auto& b : a.buildings)
        if (!known.count(b)) return "site " + site + " has no building " + b;
    return std::nullopt;
}

Error announcement_error(const std::string& why) {
    return Error{"headoffice.error.announcement", why};
}
}  // namespace

Result<std::string> HeadOfficeStore::publish_announcement(const SiteScope& scope, const AnnouncementInput& a) {
    if (auto problems = announcement_problems(a); !problems.empty())
        return announcement_error(problems.front().field + " " + problems.front().reason);
    std::string id = "HO-" + a.starts_on.substr(0, 4) + a.starts_on.substr(5, 2) + a.starts_on.substr(8, 2) + "-" + sync::random_hex(4);
    DatasetRow row{id, announcement_body(id, a), false};
    if (auto p = site_row_problem("announcements", row)) return announcement_error(*p);
    std::lock_guard lock(m_write);
    try {
        // Every site checked before any is written.
        for (auto& site : a.sites)
            if (auto p = announcement_site_problem(*m_db, scope, site, a)) return announcement_error(*p);
        for (auto& site : a.sites) {
            SqlWrite tx(*m_db, site);
            put_site_row(*m_db, site, "announcements", id, row.body.dump());
            tx.commit();
        }
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    return id;
}

std::vector<AnnouncementRow> HeadOfficeStore::announcements(const SiteScope& scope, const std::string& site) {
    std::lock_guard lock(m_write);
    SqlParams p{site};
    std::string w = scope_sql(scope, p);
    std::vector<AnnouncementRow> out;
    for (auto& r : m_db->query("SELECT key, body FROM site_rows WHERE site = ? AND dataset = 'announcements' AND deleted = 0 AND " + w +
                                   " ORDER BY key LIMIT 1000",
                               p))
        out.push_back({site, r.text(0), nlohmann::json::parse(r.text(1), nullptr, false)});
    return out;
}

Result<Ok> HeadOfficeStore::edit_announcement(const SiteScope& scope, const std::string& site, const std::string& id,
                                              const AnnouncementInput& in) {
    AnnouncementInput a = in;
    a.sites = {site};
    if (auto problems = announcement_problems(a); !problems.empty())
        return announcement_error(problems.front().field + " " + problems.front().reason);
    DatasetRow row{id, announcement_body(id, a), false};
    if (auto p = site_row_problem("announcements", row)) return announcement_error(*p);
    std::lock_guard lock(m_write);
    try {
        SqlWrite tx(*m_db, site);
        SqlParams p{site, id};
        std::string w = scope_sql(scope, p);
        if (!m_db->row("SELECT 1 FROM site_rows WHERE site = ? AND dataset = 'announcements' AND key = ? AND deleted = 0 AND " + w, p))
            return announcement_error("no announcement " + id + " at site " + site);
        if (auto problem = announcement_site_problem(*m_db, scope, site, a)) return announcement_error(*problem);
        put_site_row(*m_db, site, "announcements", id, row.body.dump());
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    return Ok{};
}

Result<Ok> HeadOfficeStore::withdraw_announcement(const SiteScope& scope, const std::string& site, const std::string& id) {
    std::lock_guard lock(m_write);
    try {
        SqlWrite tx(*m_db, site);
        SqlParams p{next_row_version(*m_db), site, id};
        std::string w = scope_sql(scope, p);
        if (m_db->exec("UPDATE site_rows SET deleted = 1, version = ? WHERE site = ? AND dataset = 'announcements' AND key = ? AND deleted "
                       "= 0 AND " +
                           w,
                       p) != 1)
            return announcement_error("no announcement " + id + " at site " + site);
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    return Ok{};
}

// ---- Site data as CSV -------------------------------------------------------------------------

Result<int> HeadOfficeStore::commit_csv(const SiteScope& scope, const std::string& site, const CsvPreview& preview, bool replace) {
    if (!console_uploadable(preview.dataset)) return Error{"headoffice.error.dataset", "the console does not import " + preview.dataset};
    if (!preview.ok()) return Error{"headoffice.error.csv", "the file has bad rows (or none): nothing imported"};
    if (!scope.allows(site)) return Error{"headoffice.error.scope", "no site " + site};
    return import_rows(site, preview.dataset, preview.rows, replace);
}

// ---- CSV previews kept between upload and commit --------------------------------------------

Result<std::string> HeadOfficeStore::keep_csv_preview(const std::string& owner, const std::string& site, const CsvPreview& preview,
                                                      bool replace, int64_t now) {
    if (!preview.ok()) return Error{"console.error.preview_bad", "a preview with a bad row, or none, is not kept"};
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    try {
        nlohmann::json rows = nlohmann::json::array();
        for (const DatasetRow& r : preview.rows) rows.push_back({r.key, r.body});
        std::string text = rows.dump();
        std::lock_guard lock(m_write);
        SqlWrite tx(*m_db, "");
        m_db->exec("DELETE FROM csv_previews WHERE expires_at <= ?", {now});
        // The uploader's oldest beyond the cap make room (a preview abandoned, then uploaded again).
        m_db->exec("DELETE FROM csv_previews WHERE owner = ? AND id NOT IN (SELECT id FROM csv_previews WHERE owner = ? "
                   "ORDER BY created_at DESC, id LIMIT ?)",
                   {owner, owner, int64_t{kMaxCsvPreviewsPerOwner - 1}});
        m_db->exec("INSERT INTO csv_previews (id, owner, site, dataset, replace_all, row_count, rows_json, created_at, expires_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {std::string(hex), owner, site, preview.dataset, int64_t{replace}, static_cast<int64_t>(preview.rows.size()), text, now,
                    now + kCsvPreviewLifeS});
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    return std::string(hex);
}

Result<StoredCsvPreview> HeadOfficeStore::take_csv_preview(const std::string& id, const std::string& who, bool any_owner, int64_t now) {
    if (id.size() != 32 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
        return Error{"console.error.preview_gone", "no such preview"};
    StoredCsvPreview p;
    std::string rows_text;
    try {
        std::lock_guard lock(m_write);
        SqlWrite tx(*m_db, "");
        auto r = m_db->row("SELECT owner, site, dataset, replace_all, rows_json, created_at, expires_at FROM csv_previews WHERE id = ?", {id});
        if (!r) return Error{"console.error.preview_gone", "no such preview: committed, cancelled or never made"};
        p.id = id;
        p.owner = r->text(0);
        p.site = r->text(1);
        p.preview.dataset = r->text(2);
        p.replace = r->integer(3) != 0;
        rows_text = r->text(4);
        p.created_at = r->integer(5);
        p.expires_at = r->integer(6);
        if (p.expires_at <= now) {
            m_db->exec("DELETE FROM csv_previews WHERE id = ?", {id});
            tx.commit();
            return Error{"console.error.preview_expired", "the preview expired"};
        }
        if (p.owner != who && !any_owner) return Error{"console.error.preview_not_yours", "the preview is another's"};
        // Deleted by the one process whose DELETE found it: a commit from two places at once imports once.
        if (m_db->exec("DELETE FROM csv_previews WHERE id = ?", {id}) != 1)
            return Error{"console.error.preview_gone", "no such preview: committed, cancelled or never made"};
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.store", e.what()};
    }
    auto rows = nlohmann::json::parse(rows_text, nullptr, false);
    if (!rows.is_array()) return Error{"headoffice.error.store", "a stored preview is not readable"};
    for (auto& r : rows) {
        if (!r.is_array() || r.size() != 2 || !r[0].is_string()) return Error{"headoffice.error.store", "a stored preview is not readable"};
        p.preview.rows.push_back(DatasetRow{r[0].get<std::string>(), r[1], false});
    }
    return p;
}

Result<int64_t> HeadOfficeStore::export_dataset(const SiteScope& scope, const std::string& site, const std::string& dataset,
                                                const std::function<bool(std::string_view)>& sink) {
    const auto& columns = export_columns(dataset);
    if (columns.empty()) return Error{"headoffice.error.dataset", "no export of " + dataset};
    if (!sink(csv_line(columns))) return int64_t{0};
    int64_t written = 0;
    std::string after;
    for (;;) {
        std::vector<std::pair<std::string, std::string>> page;
        {
            // One page per lock: a long export holds up no push for more than a page's read.
            std::lock_guard lock(m_write);
            SqlParams p{site, dataset, after};
            std::string w = scope_sql(scope, p);
            p.push_back(int64_t{kExportPage});
            try {
                for (auto& r :
                     m_db->query("SELECT key, body FROM site_rows WHERE site = ? AND dataset = ? AND deleted = 0 AND key > ? AND " + w +
                                     " ORDER BY key LIMIT ?",
                                 p))
                    page.emplace_back(r.text(0), r.text(1));
            } catch (const std::exception& e) {
                return Error{"headoffice.error.store", e.what()};
            }
        }
        std::string chunk;
        for (auto& [key, body] : page) {
            auto j = dataset == "parcel_consent" ? nlohmann::json(key) : nlohmann::json::parse(body, nullptr, false);
            chunk += csv_line(export_cells(dataset, j));
        }
        written += static_cast<int64_t>(page.size());
        if (!chunk.empty() && !sink(chunk)) return written;
        if (page.size() < static_cast<size_t>(kExportPage)) return written;
        after = page.back().first;
    }
}

// ---- The case list as CSV ---------------------------------------------------------------------

Result<int64_t> HeadOfficeStore::export_cases(const SiteScope& scope, const CaseFilter& f,
                                              const std::function<bool(std::string_view)>& sink) {
    SqlParams base;
    auto where = case_where(scope, f, base);
    if (!where) return where.error();
    if (!sink(csv_line({"site", "ticket", "kind", "category", "urgency", "severity", "status", "assignee", "filed_at", "due_at", "overdue",
                        "on_site_at", "done_at", "followed_up_at", "closed_at", "rating"})))
        return int64_t{0};
    int64_t written = 0;
    std::optional<CaseListRow> last;
    for (;;) {
        std::vector<CaseListRow> page;
        {
            std::lock_guard lock(m_write);
            SqlParams p = base;
            std::string w = where.value();
            if (last) {
                // Keyset: after the last row in list order, so a page costs the same at any depth.
                w += " AND (due_at, filed_at, site, ticket) > (?, ?, ?, ?)";
                p.insert(p.end(), {last->due_at, last->c.filed_at, last->site, last->c.ticket});
            }
            p.push_back(int64_t{kExportPage});
            try {
                for (auto& r : m_db->query(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE " + w +
                                               " ORDER BY due_at, filed_at, site, ticket LIMIT ?",
                                           p))
                    page.push_back(case_list_row(r, f.now));
            } catch (const std::exception& e) {
                return Error{"headoffice.error.store", e.what()};
            }
        }
        std::string chunk;
        for (const CaseListRow& l : page) {
            const CaseRow& c = l.c;
            chunk +=
                csv_line({l.site, c.ticket, c.kind, c.category, c.urgency, c.severity, c.status, l.assignee, iso_utc(c.filed_at),
                          l.due_at == kNoDeadline ? "" : iso_utc(l.due_at), l.overdue ? "true" : "false", iso_utc(c.on_site_at),
                          iso_utc(c.done_at), iso_utc(c.followed_up_at), iso_utc(c.closed_at), c.rating ? std::to_string(*c.rating) : ""});
        }
        written += static_cast<int64_t>(page.size());
        if (!chunk.empty() && !sink(chunk)) return written;
        if (page.size() < static_cast<size_t>(kExportPage)) return written;
        last = page.back();
    }
}

}  // namespace kiosk::headoffice
