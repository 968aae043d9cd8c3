// Users (admins): the staff accounts, paged in SQL; add one, disable or enable one, set a new
// password. Every change goes to the audit log with who made it and from where.
#include "sync/common/protocol.hpp"
#include "sync/server/console/pages.hpp"

namespace kiosk::headoffice::console {

namespace {

Html user_row(const StaffUser& u, const std::string& csrf, bool self) {
    Html h;
    h << "<tr><td>"_html << u.name << "</td><td>"_html << u.role << "</td><td>"_html;
    // An admin sees every site whatever an account made before the rule lists (site_scope).
    if (u.all_sites || u.role == "admin") h << "all sites"_html;
    else
        for (size_t i = 0; i < u.sites.size(); ++i) h << (i ? ", " : "") << u.sites[i];
    h << "</td><td>"_html << (u.disabled ? "disabled" : "active") << "</td><td>"_html << utc_text(u.created_at) << R"(</td><td class="d-flex gap-2">)"_html;
    if (!self) {
        h << R"(<form method="post" action="/console/users/)"_html << (u.disabled ? "enable" : "disable") << "\">"_html << csrf_field(csrf)
          << R"(<input type="hidden" name="name" value=")"_html << u.name << R"("><button class="btn btn-sm btn-outline-secondary" type="submit">)"_html
          << (u.disabled ? "Enable" : "Disable") << "</button></form>"_html;
    }
    h << R"(<form method="post" action="/console/users/password" class="d-flex gap-1">)"_html << csrf_field(csrf)
      << R"(<input type="hidden" name="name" value=")"_html << u.name
      << R"("><input class="form-control form-control-sm" type="password" name="password" autocomplete="new-password" minlength="10" maxlength="128" required placeholder="new password" aria-label="new password">)"_html
      << R"(<button class="btn btn-sm btn-outline-primary" type="submit">Set</button></form></td></tr>)"_html;
    return h;
}

constexpr auto kAddForm =
    R"(<h2 class="h5 mt-4">Add a user</h2><form method="post" action="/console/users/add" class="row g-2 align-items-end" id="add-user">)"_html;
constexpr auto kAddFields =
    R"(<div class="col-auto"><label class="form-label" for="new-name">Name</label><input class="form-control" id="new-name" name="name" required maxlength="64" pattern="[A-Za-z0-9._\-]+"></div>)"
    R"(<div class="col-auto"><label class="form-label" for="new-role">Role</label><select class="form-select" id="new-role" name="role">)"
    R"(<option>clerk</option><option>manager</option><option>analyst</option><option>admin</option></select></div>)"
    R"(<div class="col-auto"><label class="form-label" for="new-sites">Sites (comma-separated, or *)</label><input class="form-control" id="new-sites" name="sites" required maxlength="1000"></div>)"
    R"(<div class="col-auto"><label class="form-label" for="new-password">Password (10+)</label><input class="form-control" id="new-password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="128"></div>)"
    R"(<div class="col-auto"><button class="btn btn-primary" type="submit">Add</button></div></form>)"_html;

}  // namespace

PageOut users_page(const PageIn& in) {
    PageOut out;
    out.title = "Users";
    int page = page_number(in.query);
    int64_t total = in.store.user_count();
    Html& h = out.body;
    if (auto done = in.query.find("done"); done != in.query.end())
        h << R"(<div class="alert alert-success" role="status" id="done">)"_html
          << (done->second == "add" ? "User added." : done->second == "password" ? "Password set; the user's sessions ended." : "Saved.")
          << "</div>"_html;
    h << R"(<div class="table-responsive"><table class="table table-sm align-middle" id="users"><thead><tr><th scope="col">Name</th>)"_html
      << R"(<th scope="col">Role</th><th scope="col">Sites</th><th scope="col">State</th><th scope="col">Added</th><th scope="col">Change</th></tr></thead><tbody>)"_html;
    for (const StaffUser& u : in.store.users(kPerPage, (page - 1) * kPerPage)) h << user_row(u, in.viewer.csrf, u.name == in.viewer.name);
    h << "</tbody></table></div>"_html << pager("/console/users", page, total) << kAddForm << csrf_field(in.viewer.csrf) << kAddFields;
    return out;
}

PageOut users_post(const PageIn& in, const std::string& action) {
    PageOut out;
    std::string name = field(in.form, "name");
    Result<Ok> done = Ok{};
    if (action == "add") {
        StaffUser u;
        u.name = name;
        u.role = field(in.form, "role");
        std::string sites = field(in.form, "sites");
        for (size_t at = 0; at <= sites.size();) {
            size_t comma = std::min(sites.find(',', at), sites.size());
            std::string s = sites.substr(at, comma - at);
            while (!s.empty() && s.front() == ' ') s.erase(0, 1);
            while (!s.empty() && s.back() == ' ') s.pop_back();
            if (s == "*") u.all_sites = true;
            else if (!s.empty()) u.sites.push_back(s);
            at = comma + 1;
        }
        if (u.sites.size() > 200) done = Error{"console.error.sites", "at most 200 sites; give all sites with *"};
        else done = in.store.add_user(u, field(in.form, "password"), in.viewer.name, in.address);
    } else if (action == "disable" || action == "enable") {
        if (name == in.viewer.name) done = Error{"console.error.self", "you cannot disable yourself"};
        else done = in.store.set_disabled(name, action == "disable", in.viewer.name, in.address);
    } else if (action == "password") {
        done = in.store.set_password(name, field(in.form, "password"), in.viewer.name, in.address);
    }
    if (done) {
        out.redirect = "/console/users?done=" + action;
        return out;
    }
    out.status = 400;
    out.title = "Users";
    // A store failure's detail may hold SQL: the admin gets the short story.
    out.body = message_page("Not saved.", done.error().key == "headoffice.error.store" ? "the store failed; try again" : done.error().detail);
    return out;
}

}  // namespace kiosk::headoffice::console
