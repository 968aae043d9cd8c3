// Announcements: the live ones of a site, a form in three languages (Simplified Chinese required)
// for sites and buildings, urgent or not, from a start to an end date; edit and withdraw. A wrong
// field is named beside the field. Kiosks pull them at the next sync; an urgent one is the banner.
// Every publish, edit and withdrawal is audited.
#include "sync/server/console/pages.hpp"

namespace kiosk::headoffice::console {

namespace {

std::string text_of(const nlohmann::json& body, const char* key, const char* lang) {
    auto it = body.find(key);
    if (it == body.end() || !it->is_object()) return {};
    auto l = it->find(lang);
    return l != it->end() && l->is_string() ? l->get<std::string>() : std::string();
}

AnnouncementInput input_of(const AnnouncementRow& row) {
    const nlohmann::json& b = row.body;
    AnnouncementInput a;
    a.title_zh_cn = text_of(b, "title", "zh-CN");
    a.title_zh_tw = text_of(b, "title", "zh-TW");
    a.title_en = text_of(b, "title", "en");
    a.body_zh_cn = text_of(b, "body", "zh-CN");
    a.body_zh_tw = text_of(b, "body", "zh-TW");
    a.body_en = text_of(b, "body", "en");
    a.urgent = b.value("urgent", false);
    a.starts_on = b.value("starts_on", std::string());
    a.ends_on = b.value("ends_on", std::string());
    if (auto bl = b.find("buildings"); bl != b.end() && bl->is_array())
        for (auto& x : *bl)
            if (x.is_string()) a.buildings.push_back(x.get<std::string>());
    a.sites = {row.site};
    return a;
}

// A field as the form labels it, for the message beside it.
std::string field_label(std::string_view name) {
    static const std::pair<const char*, const char*> kLabels[] = {
        {"title.zh-CN", "The title (简体中文)"}, {"title.zh-TW", "The title (繁體中文)"}, {"title.en", "The title (English)"},
        {"body.zh-CN", "The text (简体中文)"},   {"body.zh-TW", "The text (繁體中文)"},   {"body.en", "The text (English)"},
        {"sites", "Sites"}, {"buildings", "Buildings"}, {"starts_on", "Starts on"}, {"ends_on", "Ends on"}};
    for (auto& [n, label] : kLabels)
        if (name == n) return label;
    return std::string(name);
}

Html problem(const std::vector<FieldProblem>& problems, const char* name) {
    Html h;
    for (auto& p : problems)
        if (p.field == name)
            h << R"(<div class="text-danger small field-problem" data-field=")"_html << name << "\">"_html << field_label(name) << " " << p.reason
              << "</div>"_html;
    return h;
}

Html text_field(const char* name, const char* label, const std::string& value, bool area, const std::vector<FieldProblem>& problems) {
    Html h;
    h << R"(<div class="col-md-4"><label class="form-label" for="a-)"_html << name << "\">"_html << label << "</label>"_html;
    if (area)
        h << R"(<textarea class="form-control" rows="3" maxlength=")"_html << static_cast<int64_t>(kMaxAnnouncementBodyChars) << R"(" id="a-)"_html << name << "\" name=\""_html
          << name << "\">"_html << value << "</textarea>"_html;
    else
        h << R"(<input class="form-control" maxlength=")"_html << static_cast<int64_t>(kMaxAnnouncementTitleChars) << R"(" id="a-)"_html << name << "\" name=\""_html << name
          << "\" value=\""_html << value << "\">"_html;
    return h << problem(problems, name) << "</div>"_html, h;
}

// The form: a new announcement (edit_id empty) or an edit of one site's announcement.
Html announcement_form(const PageIn& in, const std::vector<std::string>& sites, const AnnouncementInput& a, const std::vector<FieldProblem>& problems,
                       const std::string& edit_site, const std::string& edit_id) {
    Html h;
    h << R"(<h2 class="h5 mt-4">)"_html << (edit_id.empty() ? "New announcement" : "Edit " + edit_id) << R"(</h2><form method="post" action="/console/announcements/)"_html
      << (edit_id.empty() ? "publish" : "edit") << R"(" id="announcement-form" class="row g-2">)"_html << csrf_field(in.viewer.csrf)
      << text_field("title.zh-CN", "Title (简体中文, required)", a.title_zh_cn, false, problems)
      << text_field("title.zh-TW", "Title (繁體中文)", a.title_zh_tw, false, problems) << text_field("title.en", "Title (English)", a.title_en, false, problems)
      << text_field("body.zh-CN", "Text (简体中文, required)", a.body_zh_cn, true, problems)
      << text_field("body.zh-TW", "Text (繁體中文)", a.body_zh_tw, true, problems) << text_field("body.en", "Text (English)", a.body_en, true, problems);
    if (edit_id.empty()) {
        h << R"(<fieldset class="col-md-6"><legend class="form-label fs-6">Sites</legend>)"_html;
        for (auto& s : sites) {
            bool on = std::find(a.sites.begin(), a.sites.end(), s) != a.sites.end();
            h << R"(<div class="form-check form-check-inline"><input class="form-check-input" type="checkbox" value="1" id="a-s-)"_html << s << "\" name=\"s:"_html
              << s << "\""_html << (on ? " checked"_html : ""_html) << R"(><label class="form-check-label" for="a-s-)"_html << s << "\">"_html << s
              << "</label></div>"_html;
        }
        h << problem(problems, "sites") << "</fieldset>"_html;
    } else {
        h << R"(<input type="hidden" name="site" value=")"_html << edit_site << R"("><input type="hidden" name="id" value=")"_html << edit_id << "\">"_html;
    }
    std::string buildings;
    for (auto& b : a.buildings) buildings += (buildings.empty() ? "" : ", ") + b;
    h << R"(<div class="col-md-6"><label class="form-label" for="a-buildings">Buildings (ids, comma-separated; empty: every building))"_html
      << R"(</label><input class="form-control" id="a-buildings" name="buildings" maxlength="1000" value=")"_html << buildings << "\">"_html
      << problem(problems, "buildings") << R"(</div><div class="col-auto"><label class="form-label" for="a-starts">Starts on</label><input class="form-control" type="date" id="a-starts" name="starts_on" value=")"_html
      << a.starts_on << "\">"_html << problem(problems, "starts_on")
      << R"(</div><div class="col-auto"><label class="form-label" for="a-ends">Ends on</label><input class="form-control" type="date" id="a-ends" name="ends_on" value=")"_html
      << a.ends_on << "\">"_html << problem(problems, "ends_on")
      << R"(</div><div class="col-auto form-check mt-4 ms-2"><input class="form-check-input" type="checkbox" id="a-urgent" name="urgent" value="1")"_html
      << (a.urgent ? " checked"_html : ""_html)
      << R"(><label class="form-check-label" for="a-urgent">Urgent (the lobby's banner)</label></div><div class="col-12"><button class="btn btn-primary" type="submit" id="a-submit">)"_html
      << (edit_id.empty() ? "Publish" : "Save") << "</button></div></form>"_html;
    return h;
}

PageOut page(const PageIn& in, std::string site, const AnnouncementInput& draft, const std::vector<FieldProblem>& problems, const std::string& error,
             const std::string& edit_id) {
    PageOut out;
    out.title = "Announcements";
    SiteScope scope = site_scope(in.viewer);
    auto sites = in.data->sites(scope);
    if (site.empty() && !sites.empty()) site = sites.front();
    if (!site.empty() && !scope.allows(site)) return message_out(403, "Not in your scope", "This site is not one of yours.");
    Html& h = out.body;
    if (auto done = in.query.find("done"); done != in.query.end())
        h << R"(<div class="alert alert-success" role="status" id="done">Announcement )"_html << done->second << ".</div>"_html;
    if (!error.empty()) h << R"(<div class="alert alert-danger" role="alert" id="error">Not saved: )"_html << error << "</div>"_html;
    h << R"(<form method="get" action="/console/announcements" class="row g-2 align-items-end mb-3"><div class="col-auto"><label class="form-label" for="an-site">Site</label><select class="form-select form-select-sm" id="an-site" name="site">)"_html;
    for (auto& s : sites) h << "<option"_html << (s == site ? " selected"_html : ""_html) << ">"_html << s << "</option>"_html;
    h << R"(</select></div><div class="col-auto"><button class="btn btn-sm btn-secondary" type="submit">Show</button></div></form>)"_html;
    AnnouncementInput edit_draft = draft;
    auto rows = site.empty() ? std::vector<AnnouncementRow>{} : in.data->announcements(scope, site);
    h << R"(<table class="table table-sm align-middle" id="announcements"><thead><tr><th scope="col">Title</th><th scope="col">Urgent</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Buildings</th><th scope="col"></th></tr></thead><tbody>)"_html;
    for (const AnnouncementRow& r : rows) {
        AnnouncementInput a = input_of(r);
        if (r.id == edit_id && problems.empty() && error.empty()) edit_draft = a;
        h << "<tr><td>"_html << a.title_zh_cn << R"(<div class="small text-muted">)"_html << r.id << "</div></td><td>"_html
          << (a.urgent ? R"(<span class="badge text-bg-danger">URGENT</span>)"_html : "no"_html) << "</td><td>"_html << a.starts_on << "</td><td>"_html
          << a.ends_on << "</td><td>"_html;
        if (a.buildings.empty()) h << "all"_html;
        for (size_t i = 0; i < a.buildings.size(); ++i) h << (i ? ", " : "") << a.buildings[i];
        h << R"(</td><td class="d-flex gap-2">)"_html;
        if (may_act(in.viewer))
            h << R"(<a class="btn btn-sm btn-outline-primary" href="/console/announcements?site=)"_html << url_part(site) << "&amp;edit="_html << url_part(r.id)
              << R"(">Edit</a><form method="post" action="/console/announcements/withdraw">)"_html << csrf_field(in.viewer.csrf)
              << R"(<input type="hidden" name="site" value=")"_html << site << R"("><input type="hidden" name="id" value=")"_html << r.id
              << R"("><button class="btn btn-sm btn-outline-danger" type="submit">Withdraw</button></form>)"_html;
        h << "</td></tr>"_html;
    }
    h << "</tbody></table>"_html;
    if (rows.empty()) h << R"(<p id="no-announcements">No live announcement at this site.</p>)"_html;
    if (may_act(in.viewer)) h << announcement_form(in, sites, edit_draft, problems, site, edit_id);
    return out;
}

}  // namespace

PageOut announcements_page(const PageIn& in) {
    AnnouncementInput blank;
    return page(in, field(in.query, "site"), blank, {}, "", field(in.query, "edit"));
}

PageOut announcements_post(const PageIn& in, const std::string& action) {
    if (!may_act(in.viewer)) return message_out(403, "Read only", "An analyst reads announcements; a clerk or manager writes them.");
    SiteScope scope = site_scope(in.viewer);
    std::string site = field(in.form, "site"), id = field(in.form, "id");
    PageOut out;
    if (action == "withdraw") {
        auto done = in.data->withdraw_announcement(scope, site, id);
        if (!done) return page(in, site, {}, {}, done.error().detail, "");
        in.store.audit(in.viewer.name, "announcement.withdraw", site + "/" + id, "", "", in.address);
        return out.redirect = "/console/announcements?site=" + url_part(site) + "&done=withdrawn", out;
    }
    AnnouncementInput a = announcement_input(in.form);
    if (action == "edit") a.sites = {site};
    auto problems = announcement_problems(a);
    if (!problems.empty()) {
        PageOut p = page(in, action == "edit" ? site : (a.sites.empty() ? "" : a.sites.front()), a, problems, "Some fields are wrong (see below).",
                         action == "edit" ? id : "");
        p.status = 400;
        return p;
    }
    if (action == "edit") {
        auto done = in.data->edit_announcement(scope, site, id, a);
        if (!done) return page(in, site, a, {}, done.error().detail, id);
        in.store.audit(in.viewer.name, "announcement.edit", site + "/" + id, "", announcement_body(id, a).dump(), in.address);
        return out.redirect = "/console/announcements?site=" + url_part(site) + "&done=saved", out;
    }
    auto published = in.data->publish_announcement(scope, a);
    if (!published) return page(in, a.sites.front(), a, {}, published.error().detail, "");
    std::string sites;
    for (auto& s : a.sites) sites += (sites.empty() ? "" : ",") + s;
    in.store.audit(in.viewer.name, "announcement.publish", sites + "/" + published.value(), "", announcement_body(published.value(), a).dump(), in.address);
    return out.redirect = "/console/announcements?site=" + url_part(a.sites.front()) + "&done=published", out;
}

}  // namespace kiosk::headoffice::console
