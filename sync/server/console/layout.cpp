// The frame every console page shares, and the small pieces pages repeat (escaping, the pager,
// the form token field).
#include <ctime>

#include "sync/server/console/pages.hpp"

namespace kiosk::headoffice::console {

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string url_part(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}


namespace {
struct NavItem {
    const char* key;
    const char* href;
    const char* label;
    bool admin_only;
};
// Cases, announcements, site data and statistics are the next pages (issue #16); their links
// answer a "coming" page until then.
constexpr NavItem kNav[] = {
    {"overview", "/console/overview", "Overview", false},       {"cases", "/console/cases", "Cases", false},
    {"announcements", "/console/announcements", "Announcements", false}, {"site-data", "/console/site-data", "Site data", false},
    {"statistics", "/console/statistics", "Statistics", false}, {"fleet", "/console/fleet", "Fleet", false},
    {"users", "/console/users", "Users", true},                  {"audit", "/console/audit", "Audit log", true},
};
}  // namespace

Html csrf_field(const std::string& token) {
    Html h;
    h << R"(<input type="hidden" name="csrf" value=")"_html << token << R"(">)"_html;
    return h;
}

std::string layout(const Viewer* viewer, const std::string& active, const std::string& title, const Html& body,
                   const std::string& css_href) {
    Html h;
    h << R"(<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">)"_html
      << R"(<link rel="icon" href="data:,">)"_html
      << "<title>"_html << title << " · Lobby head office</title><link rel=\"stylesheet\" href=\""_html << css_href
      << "\"></head><body>"_html;
    if (viewer) {
        h << R"(<nav class="navbar navbar-expand navbar-dark bg-dark mb-3"><div class="container-fluid">)"_html
          << R"(<a class="navbar-brand" href="/console/overview">Lobby head office</a><ul class="navbar-nav me-auto flex-wrap">)"_html;
        for (const NavItem& n : kNav) {
            if (n.admin_only && !viewer->admin()) continue;
            h << R"(<li class="nav-item"><a class="nav-link)"_html << (active == n.key ? " active" : "") << "\" href=\""_html << n.href
              << "\">"_html << n.label << "</a></li>"_html;
        }
        h << R"(</ul><span class="navbar-text me-3" id="who">)"_html << viewer->name << " (" << viewer->role << ")"
          << R"(</span><form method="post" action="/console/sign-out" class="d-flex">)"_html << csrf_field(viewer->csrf)
          << R"(<button class="btn btn-outline-light btn-sm" type="submit" id="sign-out">Sign out</button></form></div></nav>)"_html;
    }
    h << R"(<main class="container-fluid"><h1 class="h3 mb-3">)"_html << title << "</h1>"_html << body << "</main></body></html>"_html;
    return h.str();
}

int page_number(const Form& query) {
    auto p = query.find("page");
    if (p == query.end() || p->second.empty() || p->second.size() > 6) return 1;
    int n = 0;
    for (char c : p->second) {
        if (c < '0' || c > '9') return 1;
        n = n * 10 + (c - '0');
    }
    return n < 1 ? 1 : n;
}

Html pager(const std::string& base, int page, int64_t total) {
    int64_t pages = std::max<int64_t>(1, (total + kPerPage - 1) / kPerPage);
    std::string join = base.find('?') == std::string::npos ? "?" : "&";
    Html h;
    h << R"(<nav class="my-2" aria-label="pages"><ul class="pagination pagination-sm">)"_html;
    if (page > 1)
        h << R"(<li class="page-item"><a class="page-link" rel="prev" href=")"_html << base << join << "page=" << int64_t{page - 1}
          << "\">Previous</a></li>"_html;
    h << R"(<li class="page-item disabled"><span class="page-link">Page )"_html << int64_t{page} << " of " << pages << " · " << total
      << " in all</span></li>"_html;
    if (page < pages)
        h << R"(<li class="page-item"><a class="page-link" rel="next" href=")"_html << base << join << "page=" << int64_t{page + 1}
          << "\">Next</a></li>"_html;
    h << "</ul></nav>"_html;
    return h;
}

PageOut message_out(int status, const std::string& title, const std::string& text) {
    PageOut out;
    out.status = status;
    out.title = title;
    out.body = message_page(title, text);
    return out;
}

Html message_page(const std::string& title, const std::string& text) {
    Html h;
    h << R"(<div class="alert alert-warning" role="alert" id="message"><strong>)"_html << title << "</strong> "_html << text
      << R"(</div><p><a href="/console/overview">Back to the overview</a></p>)"_html;
    return h;
}

PageOut coming_page(const std::string& title) {
    PageOut out;
    out.title = title;
    out.body << R"(<p class="text-muted" id="coming">This page is coming: it is the next part of the console (issue #16).</p>)"_html;
    return out;
}

}  // namespace kiosk::headoffice::console
