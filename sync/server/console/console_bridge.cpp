// The console's viewer and forms turned into the data layer's terms (console_data.hpp): the one
// place a viewer's role and sites become a SiteScope, and the parsing of the case filter, the case
// actions and the announcement form. Plain functions, tested without a server (test_console_pages).
#include <algorithm>
#include <charconv>

#include "sync/server/console/pages.hpp"

namespace kiosk::headoffice::console {

SiteScope site_scope(const Viewer& viewer) {
    if (viewer.admin() || viewer.all_sites) return SiteScope::everything();
    return SiteScope::of(viewer.sites);
}

ExportAudit start_export_audit(ConsoleStore& store, const Viewer& viewer, const std::string& address, const std::string& action,
                               const std::string& target, const std::string& dataset, const SiteScope& scope, const std::string& site,
                               const std::string& extra) {
    std::string sites = site;
    if (sites.empty() && scope.all) sites = "*";
    if (sites.empty())
        for (size_t i = 0; i < scope.sites.size(); ++i) sites += (i ? "," : "") + scope.sites[i];
    ExportAudit a{&store, viewer.name, action, target, "dataset=" + dataset + " sites=" + sites, address, 0};
    a.started_id = store.audit(a.who, action, target, "", a.what + " started" + extra, address);
    return a;
}

void ExportAudit::end(int64_t rows, const std::string& ending) const {
    std::string after = what + " rows=" + std::to_string(rows);
    if (!ending.empty()) after += " (" + ending + ")";
    store->audit(who, action + ".end", target, "", after + " of #" + std::to_string(started_id), address);
}

bool may_act(const Viewer& viewer) { return viewer.role == "admin" || viewer.role == "manager" || viewer.role == "clerk"; }

std::string field(const Form& f, const char* name) {
    auto it = f.find(name);
    return it == f.end() ? std::string() : it->second;
}

namespace {

bool one_of(const std::string& v, std::initializer_list<const char*> allowed) {
    return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; });
}

std::optional<int> small_number(std::string_view text, int lo, int hi) {
    int n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < lo || n > hi) return std::nullopt;
    return n;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
    return s;
}

Error bad(const std::string& name, const std::string& why) { return Error{"console.error.field", name + ": " + why}; }

}  // namespace

Result<CaseFilter> case_filter(const Form& query, int64_t now) {
    CaseFilter f;
    f.now = now;
    f.limit = kPerPage;
    f.offset = (page_number(query) - 1) * kPerPage;
    std::string site = field(query, "site"), kind = field(query, "kind"), status = field(query, "status"),
                severity = field(query, "severity"), overdue = field(query, "overdue");
    if (!site.empty()) {
        if (site.size() > 128) return bad("site", "too long");
        f.sites.push_back(site);
    }
    if (!kind.empty() && !one_of(kind, {"repair", "complaint", "enquiry"})) return bad("kind", "repair, complaint or enquiry");
    if (!status.empty() && !one_of(status, {"open", "registered", "dispatched", "in_progress", "done", "followed_up", "closed"}))
        return bad("status", "open, registered, dispatched, in_progress, done, followed_up or closed");
    if (!severity.empty() && !one_of(severity, {"major", "important", "minor"})) return bad("severity", "major, important or minor");
    if (!overdue.empty() && overdue != "1") return bad("overdue", "1 or nothing");
    f.kind = kind;
    f.status = status;
    f.severity = severity;
    f.overdue = overdue == "1";
    return f;
}

std::string case_filter_query(const CaseFilter& f) {
    std::string q;
    auto add = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        q += q.empty() ? "?" : "&";
        q += name;
        q += "=" + url_part(v);
    };
    add("site", f.sites.empty() ? "" : f.sites.front());
    add("kind", f.kind);
    add("status", f.status);
    add("severity", f.severity);
    add("overdue", f.overdue ? "1" : "");
    return q;
}

Result<CaseUpdate> case_action(const std::string& action, const Form& form, const std::string& by, int64_t now) {
    CaseUpdate u;
    u.by = by;
    u.at = now;
    std::string note = trimmed(field(form, "note"));
    if (action == "assign") {
        std::string worker = trimmed(field(form, "worker"));
        if (worker.empty()) return bad("worker", "name the worker");
        u.assignee = worker;
    } else if (action == "status") {
        std::string status = field(form, "status");
        if (!one_of(status, {"dispatched", "in_progress", "done"})) return bad("status", "dispatched, in progress or done");
        u.status = status;
        if (field(form, "on_site") == "1") u.on_site = true;
    } else if (action == "note") {
        if (note.empty()) return bad("note", "write the note");
    } else if (action == "close") {
        u.status = "closed";
        u.result = trimmed(field(form, "result"));
        u.approved_by = trimmed(field(form, "approved_by"));
        if (u.result.empty()) return bad("result", "say how it ended");
    } else if (action == "follow-up") {
        u.status = "followed_up";
        auto rating = small_number(field(form, "rating"), 1, 5);
        if (!rating) return bad("rating", "the resident's rating, 1 to 5");
        u.rating = *rating;
        u.result = trimmed(field(form, "result"));
    } else {
        return bad("action", "unknown");
    }
    u.note = note;
    return u;
}

AnnouncementInput announcement_input(const Form& form) {
    AnnouncementInput a;
    a.title_zh_cn = trimmed(field(form, "title.zh-CN"));
    a.title_zh_tw = trimmed(field(form, "title.zh-TW"));
    a.title_en = trimmed(field(form, "title.en"));
    // A browser sends a textarea's line breaks as CR LF, and its maxlength counts each as one.
    auto lines = [](std::string t) {
        std::string out;
        for (size_t i = 0; i < t.size(); ++i)
            if (t[i] != '\r') out += t[i];
            else if (i + 1 >= t.size() || t[i + 1] != '\n') out += '\n';
        return out;
    };
    a.body_zh_cn = lines(trimmed(field(form, "body.zh-CN")));
    a.body_zh_tw = lines(trimmed(field(form, "body.zh-TW")));
    a.body_en = lines(trimmed(field(form, "body.en")));
    for (auto& [name, value] : form)
        if (name.size() > 2 && name.compare(0, 2, "s:") == 0 && value == "1") a.sites.push_back(name.substr(2));
    std::string buildings = field(form, "buildings");
    for (size_t at = 0; at <= buildings.size();) {
        size_t comma = std::min(buildings.find(',', at), buildings.size());
        std::string b = trimmed(buildings.substr(at, comma - at));
        if (!b.empty()) a.buildings.push_back(b);
        at = comma + 1;
    }
    a.urgent = field(form, "urgent") == "1";
    a.starts_on = trimmed(field(form, "starts_on"));
    a.ends_on = trimmed(field(form, "ends_on"));
    return a;
}

std::optional<std::pair<int, int>> year_month(std::string_view text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    auto y = small_number(text.substr(0, 4), 2000, 9999);
    auto m = small_number(text.substr(5, 2), 1, 12);
    if (!y || !m) return std::nullopt;
    return std::pair{*y, *m};
}

}  // namespace kiosk::headoffice::console
