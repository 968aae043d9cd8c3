#pragma once
// The console's pages, one file each (page_*.cpp), and the frame they share (layout.cpp). A page
// reads through ConsoleStore (scoped in SQL) and returns its status, title and body; console.cpp
// routes, signs in, checks form tokens and sends every page with the security headers.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "sync/server/console/console_store.hpp"
#include "sync/server/console/html.hpp"
#include "sync/server/console_data.hpp"
#include "sync/server/fleet.hpp"  // utc_text, span_text

namespace kiosk::headoffice::console {

using Form = std::map<std::string, std::string>;

struct PageIn {
    ConsoleStore& store;
    const Viewer& viewer;
    int64_t now = 0;
    const Form& query;    // the URL's parameters (bounded)
    const Form& form;     // a POST's fields (bounded, form token already checked)
    std::string address;  // the peer, for the audit log
    std::string path_arg;  // the route's one path parameter, if any (a site id)
    HeadOfficeStore* data = nullptr;  // the sync store: cases, announcements, site data, statistics
    std::string assets_version;        // ?v= for script links: changes when an asset does
};

// A site-data upload's bytes at most (multipart form, file and fields). Its preview waits for
// the commit in the store (HeadOfficeStore::keep_csv_preview), so any serve process commits it.
inline constexpr size_t kMaxUploadBytes = 4u << 20;

struct PageOut {
    int status = 200;
    std::string title;
    Html body;
    std::string redirect;  // a POST's answer: 303 to here
};

inline constexpr int kPerPage = 25;

// A download (CSV), streamed from the database a page at a time after the checks; `write` ends by
// writing the audit entry with the rows sent (or "cut short"). `refused` is sent instead when
// `write` is empty.
struct DownloadOut {
    PageOut refused;
    std::string filename;
    std::function<void(const CsvSink&)> write;
};

// ---- The bridge between the console's viewer and the data layer (console_bridge.cpp) ----------
// The one place a viewer becomes a SiteScope: an admin or an all-sites account sees every site,
// anyone else the sites of their account.
SiteScope site_scope(const Viewer& viewer);
// Who may change cases, announcements and site data: clerks and managers (within their sites) and
// admins; analysts read.
bool may_act(const Viewer& viewer);
// An export leaves two audit entries. The first, `action`, before a byte is sent: who, the data
// set and the sites it could hold (the one asked for, else the scope: "*" is every site), so a
// process that dies mid-stream still leaves a trace. The second, `action` + ".end", when the stream
// ends: the rows sent, whether it was cut short or failed, and the first entry's id. The log is
// append-only, so the count is a new entry, never an edit of the first.
struct ExportAudit {
    ConsoleStore* store = nullptr;
    std::string who, action, target, what, address;
    int64_t started_id = 0;
    void end(int64_t rows, const std::string& ending) const;
};
ExportAudit start_export_audit(ConsoleStore& store, const Viewer& viewer, const std::string& address, const std::string& action,
                               const std::string& target, const std::string& dataset, const SiteScope& scope, const std::string& site,
                               const std::string& extra = "");
std::string field(const Form& f, const char* name);
// The case list's filter from the URL (?site=&kind=&status=&severity=&overdue=1&page=): an
// unknown value is an error naming the parameter, not "any".
Result<CaseFilter> case_filter(const Form& query, int64_t now);
// The same filter as URL parameters (without page), for the pager and the export link.
std::string case_filter_query(const CaseFilter& f);
// A case page's action form as a CaseUpdate by `by` at `now`: assign, status, note, close,
// follow-up; an error names the field that is wrong.
Result<CaseUpdate> case_action(const std::string& action, const Form& form, const std::string& by, int64_t now);
// An announcement form: texts, sites (checkboxes "s:<site>"), buildings (comma-separated), urgent, dates.
AnnouncementInput announcement_input(const Form& form);
// "2026-11" as year and month.
std::optional<std::pair<int, int>> year_month(std::string_view text);

// The frame: head with the allowlisted stylesheet, the nav for `viewer` (none on sign-in), the body.
std::string layout(const Viewer* viewer, const std::string& active, const std::string& title, const Html& body,
                   const std::string& css_href);
Html csrf_field(const std::string& token);
// "Page 2 of 7" with previous/next links; `base` already holds any other query parameters.
Html pager(const std::string& base, int page, int64_t total);
// A positive page number from ?page= (1 when missing or wrong).
int page_number(const Form& query);
Html message_page(const std::string& title, const std::string& text);
// A page that is only that message, answered with `status` (403 out of scope, 404, 410 …).
PageOut message_out(int status, const std::string& title, const std::string& text);

PageOut sign_in_page(const std::string& csrf, const std::string& name, const std::string& message);
PageOut overview_page(const PageIn& in);
PageOut site_page(const PageIn& in);
PageOut fleet_page(const PageIn& in);
PageOut users_page(const PageIn& in);
PageOut users_post(const PageIn& in, const std::string& action);
PageOut audit_page(const PageIn& in);
PageOut coming_page(const std::string& title);
PageOut cases_page(const PageIn& in);
PageOut case_page(const PageIn& in);
PageOut case_post(const PageIn& in, const std::string& action);
DownloadOut cases_csv(const PageIn& in);
PageOut announcements_page(const PageIn& in);
PageOut announcements_post(const PageIn& in, const std::string& action);
PageOut site_data_page(const PageIn& in);
DownloadOut site_data_csv(const PageIn& in);
// An uploaded CSV (its form fields and the file): checked row by row, shelved when good.
PageOut site_data_preview(const PageIn& in, const std::string& csv);
PageOut site_data_post(const PageIn& in, const std::string& action);
PageOut statistics_page(const PageIn& in);
DownloadOut statistics_csv(const PageIn& in);
// The statistics page's own script (served as /console/assets/console-charts.js).
extern const char* const kChartsScript;

}  // namespace kiosk::headoffice::console
