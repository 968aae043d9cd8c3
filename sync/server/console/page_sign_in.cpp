// Sign-in: a name and a password, the form token of the pre-session cookie, and why the last try
// failed (a wrong password, or how long the account or address is refused).
#include "sync/server/console/pages.hpp"

namespace kiosk::headoffice::console {

PageOut sign_in_page(const std::string& csrf, const std::string& name, const std::string& message) {
    PageOut out;
    out.title = "Sign in";
    Html& h = out.body;
    h << R"(<div class="row"><div class="col-sm-8 col-md-5 col-lg-4">)"_html;
    if (!message.empty()) h << R"(<div class="alert alert-danger" role="alert" id="sign-in-message">)"_html << message << "</div>"_html;
    h << R"(<form method="post" action="/console/sign-in">)"_html << csrf_field(csrf)
      << R"(<div class="mb-3"><label class="form-label" for="name">Name</label>)"_html
      << R"(<input class="form-control" id="name" name="name" autocomplete="username" required maxlength="64" value=")"_html << name
      << R"("></div><div class="mb-3"><label class="form-label" for="password">Password</label>)"_html
      << R"(<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required maxlength="128"></div>)"_html
      << R"(<button class="btn btn-primary" type="submit" id="sign-in">Sign in</button></form>)"_html
      << R"(<p class="text-muted small mt-3">Five wrong passwords refuse the account for 15 minutes. Accounts are made by an admin.</p>)"_html
      << "</div></div>"_html;
    return out;
}

}  // namespace kiosk::headoffice::console
