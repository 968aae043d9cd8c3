#pragma once
// The console's pages, one file each (page_*.cpp), and the frame they share (layout.cpp). A page
// reads through ConsoleStore (scoped in SQL) and returns its status, title and body; console.cpp
// routes, signs in, checks form tokens and sends every page with the security headers.
#include <cstdint>
#include <map>
#include <string>

#include "sync/server/console/console_store.hpp"
#include "sync/server/console/html.hpp"
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
};

struct PageOut {
    int status = 200;
    std::string title;
    Html body;
    std::string redirect;  // a POST's answer: 303 to here
};

inline constexpr int kPerPage = 25;

// The frame: head with the allowlisted stylesheet, the nav for `viewer` (none on sign-in), the body.
std::string layout(const Viewer* viewer, const std::string& active, const std::string& title, const Html& body,
                   const std::string& css_href);
Html csrf_field(const std::string& token);
// "Page 2 of 7" with previous/next links; `base` already holds any other query parameters.
Html pager(const std::string& base, int page, int64_t total);
// A positive page number from ?page= (1 when missing or wrong).
int page_number(const Form& query);
Html message_page(const std::string& title, const std::string& text);

PageOut sign_in_page(const std::string& csrf, const std::string& name, const std::string& message);
PageOut overview_page(const PageIn& in);
PageOut site_page(const PageIn& in);
PageOut fleet_page(const PageIn& in);
PageOut users_page(const PageIn& in);
PageOut users_post(const PageIn& in, const std::string& action);
PageOut audit_page(const PageIn& in);
PageOut coming_page(const std::string& title);

}  // namespace kiosk::headoffice::console
