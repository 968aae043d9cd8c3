// Cases: the list (filtered by site, kind, status, severity and overdue; sorted by due time; paged
// in SQL), one case with its timeline and its action forms, and the filtered list as CSV. Every
// read and change goes through the data layer with the viewer's SiteScope (console_bridge.cpp):
// a case of another site is 403 and never in an export. Changes and exports are audited.
#include "sync/server/console/pages.hpp"

namespace kiosk::headoffice::console {

namespace {

PageOut not_in_scope() { return message_out(403, "Not in your scope", "This site is not one of yours; ask an admin if it should be."); }

Html option(const std::string& value, const std::string& label, const std::string& chosen) {
    Html h;
    h << "<option value=\""_html << value << "\""_html << (value == chosen ? " selected"_html : ""_html) << ">"_html << label
      << "</option>"_html;
    return h;
}

Html select(const char* name, const char* label, std::initializer_list<const char*> values, const std::string& chosen) {
    Html h;
    h << R"(<div class="col-auto"><label class="form-label" for="f-)"_html << name << "\">"_html << label
      << R"(</label><select class="form-select form-select-sm" id="f-)"_html << name << "\" name=\""_html << name << "\">"_html
      << option("", "any", chosen);
    for (const char* v : values) h << option(v, v, chosen);
    h << "</select></div>"_html;
    return h;
}

Html filter_form(const std::vector<std::string>& sites, const CaseFilter& f) {
    std::string site = f.sites.empty() ? "" : f.sites.front();
    Html h;
    h << R"(<form method="get" action="/console/cases" class="row g-2 align-items-end mb-3" id="case-filter">)"_html
      << R"(<div class="col-auto"><label class="form-label" for="f-site">Site</label><select class="form-select form-select-sm" id="f-site" name="site">)"_html
      << option("", "all your sites", site);
    for (auto& s : sites) h << option(s, s, site);
    h << "</select></div>"_html << select("kind", "Kind", {"repair", "complaint", "enquiry"}, f.kind)
      << select("status", "Status", {"open", "registered", "dispatched", "in_progress", "done", "followed_up", "closed"}, f.status)
      << select("severity", "Severity", {"major", "important", "minor"}, f.severity)
      << R"(<div class="col-auto form-check ms-2"><input class="form-check-input" type="checkbox" name="overdue" value="1" id="f-overdue")"_html
      << (f.overdue ? " checked"_html : ""_html)
      << R"(><label class="form-check-label" for="f-overdue">Overdue only</label></div>)"_html
      << R"(<div class="col-auto"><button class="btn btn-sm btn-primary" type="submit">Filter</button></div></form>)"_html;
    return h;
}

Html due_cell(const CaseListRow& r) {
    Html h;
    if (r.due_at >= kNoDeadline) return h << "–"_html, h;
    h << utc_text(r.due_at);
    if (r.overdue) h << R"( <span class="badge text-bg-danger">OVERDUE</span>)"_html;
    return h;
}

std::string case_href(const std::string& site, const std::string& ticket) {
    return "/console/case?site=" + url_part(site) + "&ticket=" + url_part(ticket);
}

constexpr auto kListHead =
    R"(<div class="table-responsive"><table class="table table-sm table-striped align-middle" id="cases"><thead><tr>)"
    R"(<th scope="col">Due</th><th scope="col">Site</th><th scope="col">Ticket</th><th scope="col">Kind</th><th scope="col">Category</th>)"
    R"(<th scope="col">Status</th><th scope="col">Severity</th><th scope="col">Worker</th><th scope="col">Filed</th></tr></thead><tbody>)"_html;

}  // namespace

PageOut cases_page(const PageIn& in) {
    PageOut out;
    out.title = "Cases";
    SiteScope scope = site_scope(in.viewer);
    auto filter = case_filter(in.query, in.now);
    if (!filter) return message_out(400, "Cases", filter.error().detail);
    if (!filter.value().sites.empty() && !scope.allows(filter.value().sites.front())) return not_in_scope();
    auto page = in.data->case_list(scope, filter.value());
    if (!page) return message_out(400, "Cases", page.error().detail);
    const CaseFilter& f = filter.value();
    std::string query = case_filter_query(f);
    Html& h = out.body;
    h << filter_form(in.data->sites(scope), f) << "<p>As of "_html << utc_text(in.now) << R"(. <a id="cases-csv" href="/console/cases.csv)"_html
      << query << R"(">Download this list as CSV</a></p>)"_html;
    if (page.value().total == 0) return h << R"(<p id="no-cases">No case matches.</p>)"_html, out;
    h << kListHead;
    for (const CaseListRow& r : page.value().rows) {
        h << (r.overdue ? R"(<tr class="table-danger">)"_html : "<tr>"_html) << "<td>"_html << due_cell(r) << "</td><td>"_html << r.site
          << "</td><td><a href=\""_html << case_href(r.site, r.c.ticket) << "\">"_html << r.c.ticket << "</a></td><td>"_html << r.c.kind
          << "</td><td>"_html << r.c.category << "</td><td>"_html << r.c.status << "</td><td>"_html << r.c.severity << "</td><td>"_html
          << r.assignee << "</td><td>"_html << utc_text(r.c.filed_at) << "</td></tr>"_html;
    }
    h << "</tbody></table></div>"_html << pager("/console/cases" + query, f.offset / kPerPage + 1, page.value().total);
    return out;
}

DownloadOut cases_csv(const PageIn& in) {
    DownloadOut out;
    SiteScope scope = site_scope(in.viewer);
    auto filter = case_filter(in.query, in.now);
    if (!filter) return out.refused = message_out(400, "Cases", filter.error().detail), out;
    if (!filter.value().sites.empty() && !scope.allows(filter.value().sites.front())) return out.refused = not_in_scope(), out;
    CaseFilter f = filter.value();
    f.offset = 0;
    out.filename = "cases.csv";
    std::string query = case_filter_query(f);
    std::string site = f.sites.empty() ? "" : f.sites.front();
    auto audit = start_export_audit(in.store, in.viewer, in.address, "export.cases", site.empty() ? "*" : site, "cases", scope, site,
                                    query.empty() ? "" : " filter=" + query);
    out.write = [data = in.data, audit, scope, f](const CsvSink& sink) {
        bool cut = false;
        auto rows = data->export_cases(scope, f, [&](std::string_view piece) { return sink(piece) || (cut = true, false); });
        audit.end(rows ? rows.value() : 0, !rows ? "failed" : cut ? "cut short" : "");
    };
    return out;
}

namespace {

std::string shown(const nlohmann::json& v) { return v.is_null() ? "–" : v.is_string() ? v.get<std::string>() : v.dump(); }

Html timeline(const CaseTimeline& t) {
    Html h;
    h << R"(<ol class="list-group list-group-numbered mb-3" id="timeline">)"_html;
    for (const CaseEvent& e : t.events) {
        h << R"(<li class="list-group-item"><strong>)"_html << e.what << "</strong> "_html << utc_text(e.at);
        if (!e.by.empty()) h << " by " << e.by;
        for (auto& [name, change] : e.changes.items()) {
            if (change.is_array() && change.size() == 2)
                h << R"(<br><span class="small">)"_html << name << ": " << shown(change[0]) << " → " << shown(change[1]) << "</span>"_html;
            else h << R"(<br><span class="small">)"_html << name << ": " << shown(change) << "</span>"_html;
        }
        if (!e.note.empty()) h << R"(<br><span class="small text-muted">)"_html << e.note << "</span>"_html;
        h << "</li>"_html;
    }
    return h << "</ol>"_html, h;
}

Html action_form(const char* action, const std::string& csrf, const CaseListRow& c, const char* title, Markup fields, const char* button) {
    Html h;
    h << R"(<form method="post" class="card card-body mb-2" id="act-)"_html << action << R"(" action="/console/case/)"_html << action << "\">"_html
      << R"(<h3 class="h6">)"_html << title << "</h3>"_html << csrf_field(csrf) << R"(<input type="hidden" name="site" value=")"_html << c.site
      << R"("><input type="hidden" name="ticket" value=")"_html << c.c.ticket << "\">"_html << fields
      << R"(<button class="btn btn-sm btn-primary mt-2" type="submit">)"_html << button << "</button></form>"_html;
    return h;
}

}  // namespace

PageOut case_page(const PageIn& in) {
    std::string site = field(in.query, "site"), ticket = field(in.query, "ticket");
    SiteScope scope = site_scope(in.viewer);
    if (!scope.allows(site)) return not_in_scope();
    auto t = in.data->case_timeline(scope, site, ticket, in.now);
    if (!t) return message_out(404, "No such case", "There is no case " + ticket + " at site " + site + ".");
    const CaseListRow& c = t->c;
    PageOut out;
    out.title = "Case " + ticket;
    Html& h = out.body;
    if (auto done = in.query.find("done"); done != in.query.end())
        h << R"(<div class="alert alert-success" role="status" id="done">Saved: )"_html << done->second << ".</div>"_html;
    if (auto e = in.query.find("error"); e != in.query.end())
        h << R"(<div class="alert alert-danger" role="alert" id="error">Not saved: )"_html << e->second << "</div>"_html;
    h << R"(<dl class="row" id="case"><dt class="col-sm-2">Site</dt><dd class="col-sm-10">)"_html << site
      << R"(</dd><dt class="col-sm-2">Kind</dt><dd class="col-sm-10">)"_html << c.c.kind << " · " << c.c.category
      << R"(</dd><dt class="col-sm-2">Status</dt><dd class="col-sm-10" id="status">)"_html << c.c.status
      << R"(</dd><dt class="col-sm-2">Severity</dt><dd class="col-sm-10">)"_html << (c.c.severity.empty() ? "–" : c.c.severity)
      << R"(</dd><dt class="col-sm-2">Worker</dt><dd class="col-sm-10">)"_html << (c.assignee.empty() ? "–" : c.assignee)
      << R"(</dd><dt class="col-sm-2">Due</dt><dd class="col-sm-10">)"_html << due_cell(c) << "</dd></dl>"_html
      << R"(<h2 class="h5">Timeline</h2>)"_html << timeline(*t);
    if (!may_act(in.viewer) || c.c.status == "closed") return out;
    h << R"(<h2 class="h5">Actions</h2><div class="row row-cols-1 row-cols-lg-3 g-2"><div class="col">)"_html
      << action_form("assign", in.viewer.csrf, c, "Assign to a worker",
                     R"(<input class="form-control form-control-sm" name="worker" maxlength="100" required placeholder="worker's name" aria-label="worker">)"_html,
                     "Assign")
      << action_form("status", in.viewer.csrf, c, "Change status",
                     R"(<select class="form-select form-select-sm" name="status" aria-label="status"><option>dispatched</option><option>in_progress</option><option>done</option></select>)"
                     R"(<label class="small"><input type="checkbox" name="on_site" value="1"> repairer on site now</label>)"_html,
                     "Set status")
      << "</div><div class=\"col\">"_html
      << action_form("note", in.viewer.csrf, c, "Add a note",
                     R"(<textarea class="form-control form-control-sm" name="note" maxlength="1000" rows="3" required aria-label="note"></textarea>)"_html,
                     "Add note")
      << action_form("follow-up", in.viewer.csrf, c, "Follow-up call",
                     R"(<select class="form-select form-select-sm" name="rating" aria-label="rating"><option value="5">5 very satisfied</option><option value="4">4</option><option value="3">3</option><option value="2">2</option><option value="1">1 not satisfied</option></select>)"
                     R"(<input class="form-control form-control-sm mt-1" name="result" maxlength="500" placeholder="what the resident said" aria-label="call result">)"_html,
                     "Record call")
      << "</div><div class=\"col\">"_html
      << action_form("close", in.viewer.csrf, c, "Close",
                     R"(<input class="form-control form-control-sm" name="result" maxlength="500" required placeholder="outcome" aria-label="outcome">)"
                     R"(<input class="form-control form-control-sm mt-1" name="approved_by" maxlength="100" placeholder="approved by: a major complaint needs it" aria-label="approved by">)"_html,
                     "Close case")
      << "</div></div>"_html;
    return out;
}

PageOut case_post(const PageIn& in, const std::string& action) {
    std::string site = field(in.form, "site"), ticket = field(in.form, "ticket");
    SiteScope scope = site_scope(in.viewer);
    if (!scope.allows(site)) return not_in_scope();
    if (!may_act(in.viewer)) return message_out(403, "Read only", "An analyst reads cases; a clerk or manager of the site changes them.");
    auto before = in.data->case_timeline(scope, site, ticket, in.now);
    if (!before) return message_out(404, "No such case", "There is no case " + ticket + " at site " + site + ".");
    PageOut out;
    std::string back = "/console/case?site=" + url_part(site) + "&ticket=" + url_part(ticket);
    auto update = case_action(action, in.form, in.viewer.name, in.now);
    if (!update) return out.redirect = back + "&error=" + url_part(update.error().detail), out;
    auto done = in.data->update_case(scope, site, ticket, update.value());
    if (!done) return out.redirect = back + "&error=" + url_part(done.error().detail), out;
    nlohmann::json was{{"status", before->c.c.status}, {"assignee", before->c.assignee}};
    nlohmann::json now{{"status", done.value().status}, {"assignee", update.value().assignee.value_or(before->c.assignee)}};
    if (!update.value().note.empty()) now["note"] = update.value().note;
    if (update.value().rating) now["rating"] = *update.value().rating;
    in.store.audit(in.viewer.name, "case." + action, site + "/" + ticket, was.dump(), now.dump(), in.address);
    out.redirect = back + "&done=" + url_part(action);
    return out;
}

}  // namespace kiosk::headoffice::console
