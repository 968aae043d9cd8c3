#pragma once
// What the head-office console's pages read and write, without HTTP or HTML: the case list and a
// case's timeline, announcements written at head office, a site-data CSV's preview, CSV exports
// and the monthly figures. Every store query takes a SiteScope and enforces it in its SQL WHERE
// clause, so a clerk of site A gets no row of site B whatever id or filter a request carries.
// The store's methods are in headoffice_store.hpp ("The console"), their SQL in
// headoffice_console_data.cpp; the plain rules here are in console_data.cpp.
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/announcement.hpp"
#include "kiosk/core/datasets.hpp"
#include "sync/server/headoffice_store.hpp"

namespace kiosk::headoffice {

// The sites a viewer may see: all of them (admin, analyst of the whole estate) or a list.
struct SiteScope {
    bool all = false;
    std::vector<std::string> sites;
    static SiteScope everything() { return {true, {}}; }
    static SiteScope of(std::vector<std::string> s) { return {false, std::move(s)}; }
    bool allows(const std::string& site) const;
};

// The scope as a clause on `column` ("site IN (?, ?)", "1 = 1" for all sites, "1 = 0" for none or
// more than kMaxScopeSites), its sites appended to `params`: the one way every console query,
// the sync store's and ConsoleStore's, limits itself to a viewer's sites.
inline constexpr size_t kMaxScopeSites = 1000;
std::string scope_sql(const SiteScope& scope, SqlParams& params, const char* column = "site");

// A case's due time when nothing is pending (met, closed, or nothing promised): sorts last.
inline constexpr int64_t kNoDeadline = 253402300799;  // 9999-12-31T23:59:59Z

// The Overview's "overdue" as one value per open case, in SQL: the first of the deadlines the kiosk
// stored at filing that is not yet met (on_site_by until the repairer is on site, done_by,
// reply_by; kNoDeadline where none), so "overdue at now" is `overdue_from < now`, exactly
// `(on_site_by < now AND on_site_at IS NULL) OR done_by < now OR reply_by < now`. Indexed as written
// here (cases_open_overdue, schema 4): a query must use this very text for the index to serve it.
std::string overdue_from_sql(std::string_view dialect);

// PostgreSQL keeps the open-case counts (case_counts, schema 4) as rows of changes; this folds them
// into one row a site and kind, in one statement (rows pushes insert meanwhile stay beside it; two
// folds at once each fold the rows they got). SQLite keeps one row a site and kind: nothing to do.
class SqlDb;
void fold_case_counts(SqlDb& db);
// Schema 4: case_counts, its triggers and cases_open_overdue made, and the counts filled from the
// cases stored if the table is new; inside the store's opening write transaction.
void migrate_case_counts(SqlDb& db);
// The open-case counts made again from the cases, inside the caller's write transaction, for a
// store whose cases were written with its triggers off (a data-only restore with
// --disable-triggers, a hand-made fix): the counts that were wrong, with what they said and what
// the cases say. On PostgreSQL the cases are locked against writers until the commit (a push
// waits), so no case falls between the count and the new rows.
std::vector<CaseCountFix> recount_case_counts(SqlDb& db);

// The soonest promise not yet kept, or kNoDeadline: a repair's on_site_by until the repairer is on
// site (or it is done), its done_by until done; a complaint's deadline (its severity's, or the
// reply promised at filing while none is set) until done. Kept as cases.due_at on every change,
// so the list sorts and "overdue" filters on an index.
int64_t case_due_at(const CaseRow& c);

inline constexpr size_t kMaxCaseNameBytes = 100;   // a worker's or a clerk's name
inline constexpr size_t kMaxCaseNoteBytes = 2000;  // a note on a case

// Inside update_case's transaction: the case's next history row, with what changed
// ({"status": [before, after], ...}) and the note; nothing changed and no note: no row.
void append_case_history(SqlDb& db, const std::string& site, const std::string& ticket, const CaseRow& before,
                         const std::string& assignee_before, const CaseRow& after, const std::string& assignee_after, const CaseUpdate& u);
// Text shown to people: no control character (but line breaks where `lines`).
bool printable_text(std::string_view text, bool lines);

// The case list's filter. Empty strings: any. status "open": anything but closed.
struct CaseFilter {
    std::vector<std::string> sites;  // within the scope; empty: every site of the scope
    std::string kind;                // repair, complaint, enquiry
    std::string status;              // registered, dispatched, in_progress, done, followed_up, closed, open
    std::string severity;            // major, important, minor
    bool overdue = false;            // a promised time passed before `now` and its event not happened
    int64_t now = 0;
    int limit = 50, offset = 0;  // limit 1..500
};

struct CaseListRow {
    std::string site;
    CaseRow c;
    std::string assignee;  // the worker dispatched, or ""
    int64_t due_at = kNoDeadline;
    bool overdue = false;  // due_at < filter.now (timeline: now)
};

struct CasePage {
    std::vector<CaseListRow> rows;  // sorted by due time (soonest first), then filed, site, ticket
    int64_t total = 0;              // rows matching the filter, all pages
};

// One line of a case's timeline. what: filed (at a kiosk), received (at head office), update (a
// clerk's: `changes` holds {"field": [before, after]}), note, follow_up (the resident's rating at
// a kiosk), or on_site / done / closed for steps recorded before the history was kept.
struct CaseEvent {
    int64_t at = 0;
    std::string what, by;  // by: the clerk, or the kiosk id for filed and follow_up
    nlohmann::json changes = nlohmann::json::object();
    std::string note;
};

struct CaseTimeline {
    CaseListRow c;
    std::vector<CaseEvent> events;  // oldest first
};

// An announcement as head office writes it. zh-CN title and body are required, zh-TW and en
// optional; all bounded. Buildings: of every chosen site, at most kMaxAnnouncementBuildings
// (announcement.hpp; none: the whole site).
struct AnnouncementInput {
    std::string title_zh_cn, title_zh_tw, title_en;
    std::string body_zh_cn, body_zh_tw, body_en;
    std::vector<std::string> sites;
    std::vector<std::string> buildings;
    bool urgent = false;
    std::string starts_on, ends_on;  // YYYY-MM-DD, inclusive; ends_on >= starts_on
};

// Counted in characters (code points), as the writer sees them and the form's maxlength counts
// them, a line break as one. The kiosk wraps a title and scrolls a body whole; what bounds them is
// the site-data limit on one text (kMaxDatasetFieldBytes, 4096 bytes), which a text at its cap
// meets even if every character takes four bytes: 1000 characters of Chinese (3 bytes each) or
// English are both taken, where a byte cap would give Chinese a third of English's room.
inline constexpr size_t kMaxAnnouncementTitleChars = 200;
inline constexpr size_t kMaxAnnouncementBodyChars = 1000;
static_assert(kMaxAnnouncementTitleChars * 4 <= kMaxDatasetFieldBytes && kMaxAnnouncementBodyChars * 4 <= kMaxDatasetFieldBytes,
              "an announcement's text at its cap must be a text every kiosk takes");
inline constexpr size_t kMaxAnnouncementSites = 200;

// A form's field that is wrong and why (the page shows it beside the field).
struct FieldProblem {
    std::string field, reason;
};

// What is wrong with the input on its own (texts, dates, counts), before any site is looked at.
std::vector<FieldProblem> announcement_problems(const AnnouncementInput& a);
// The announcements row's body as kiosks pull it (buildings only when some are chosen).
nlohmann::json announcement_body(const std::string& id, const AnnouncementInput& a);
// Whether text is YYYY-MM-DD and a real date.
bool valid_iso_date(std::string_view text);

struct AnnouncementRow {
    std::string site, id;
    nlohmann::json body;  // as kiosks pull it
};

// A CSV upload checked row by row as the import checks it: the rows that would be imported and
// every bad row named. Reading stops at a structural fault (a field or the file over its limit, a
// missing header), which is then the last bad row.
struct BadCsvRow {
    int line = 0;       // in the file, 1 is the header
    std::string field;  // the column, when one is to blame
    std::string reason;
};
struct CsvPreview {
    std::string dataset;
    std::vector<std::string> header;
    std::vector<DatasetRow> rows;  // the good rows
    std::vector<BadCsvRow> bad;    // at most kMaxBadRowsNamed named
    int bad_count = 0;             // all of them
    bool ok() const { return bad_count == 0 && !rows.empty(); }
};
inline constexpr size_t kMaxBadRowsNamed = 1000;
// Reads a CSV of a data set (csv.cpp, with csv_dataset_rows' checks and site_row_problem's).
CsvPreview preview_dataset_csv(std::string_view dataset, std::istream& in);

// A preview kept in the store between upload and commit (HeadOfficeStore::keep_csv_preview).
inline constexpr int64_t kCsvPreviewLifeS = 60 * 60;
inline constexpr int kMaxCsvPreviewsPerOwner = 8;
struct StoredCsvPreview {
    std::string id, owner, site;
    bool replace = false;
    int64_t created_at = 0, expires_at = 0;
    CsvPreview preview;  // its dataset and good rows (a kept preview has no bad row)
};

// The data sets the console takes as CSV uploads (units, residents, fee statements, catalogue).
bool console_uploadable(std::string_view dataset);
// The data sets the console exports, with their columns (texts in each language as title.en ...,
// as the importer reads them back). PIN hashes are never exported.
const std::vector<std::string>& export_columns(std::string_view dataset);  // empty: not exported
// One row of a data set's export, in export_columns' order.
std::vector<std::string> export_cells(std::string_view dataset, const nlohmann::json& body);

// Receives an export a piece at a time; false stops it (the client went away).
using CsvSink = std::function<bool(std::string_view)>;

// A Unix time as ISO 8601 UTC text (exports, timelines); "" for nothing.
std::string iso_utc(std::optional<int64_t> t);
// ISO 8601 UTC text ("2026-11-22T01:30:00Z") as Unix time.
std::optional<int64_t> parse_iso_utc(std::string_view text);

}  // namespace kiosk::headoffice
