// The console's routes: sign-in and sessions, form tokens, the security headers every answer
// carries, Debian's web assets from a fixed allowlist, and the pages (pages.hpp).
//   [routes] assets · sign-in/out · pages · admin pages · posts · coming pages · anything else: 404
#include "sync/server/console/console.hpp"

#include <httplib.h>
#include <sodium.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

#include "sync/server/console/pages.hpp"
#include "sync/server/front_door.hpp"

namespace kiosk::headoffice::console {

namespace {

constexpr const char* kSessionCookie = "lobby_session";
constexpr const char* kPreCookie = "lobby_signin";  // the sign-in form's token comes from this
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

struct Asset {
    std::string body, type, version;
};

// The allowlist: URL name -> a file of a Debian package. Nothing else under /console/assets/.
std::map<std::string, Asset> load_assets(const ConsoleOptions& o) {
    const std::pair<const char*, std::pair<std::string, const char*>> files[] = {
        {"bootstrap.min.css", {o.bootstrap_dir + "/css/bootstrap.min.css", "text/css"}},
        {"bootstrap.bundle.min.js", {o.bootstrap_dir + "/js/bootstrap.bundle.min.js", "text/javascript"}},
        {"chart.min.js", {o.chart_dir + "/chart.min.js", "text/javascript"}},
    };
    std::map<std::string, Asset> out;
    for (auto& [name, where] : files) {
        std::ifstream in(where.first, std::ios::binary);
        if (!in) {
            spdlog::warn("console: {} not found (install {}): pages will lack it", where.first,
                         std::string(name).find("chart") == 0 ? "libjs-chart.js" : "libjs-bootstrap5");
            continue;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        Asset a{ss.str(), where.second, ""};
        unsigned char h[8];
        crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(a.body.data()), a.body.size(), nullptr, 0);
        char hex[17];
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        a.version = hex;  // in the link: a package upgrade is a new URL, so a year's cache is safe
        out.emplace(name, std::move(a));
    }
    return out;
}

void security_headers(httplib::Response& res) {
    res.set_header("Content-Security-Policy", kCsp);
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cross-Origin-Opener-Policy", "same-origin");
}

std::string cookie(const httplib::Request& req, const std::string& name) {
    std::string all = req.get_header_value("Cookie");
    if (all.size() > 4096) return {};
    for (size_t at = 0; at < all.size();) {
        size_t end = std::min(all.find(';', at), all.size());
        std::string_view part(all.data() + at, end - at);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
        at = end + 1;
    }
    return {};
}

std::string set_cookie(const std::string& name, const std::string& value, bool secure, int max_age = -1) {
    std::string c = name + "=" + value + "; HttpOnly; SameSite=Strict; Path=/console";
    if (max_age >= 0) c += "; Max-Age=" + std::to_string(max_age);
    if (secure) c += "; Secure";
    return c;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// application/x-www-form-urlencoded, bounded: nothing when over kMaxFields or a value over
// kMaxFieldBytes, or a name that is not short and plain.
std::optional<Form> parse_form(std::string_view body) {
    Form out;
    int fields = 0;
    for (size_t at = 0; at < body.size();) {
        size_t end = std::min(body.find('&', at), body.size());
        std::string_view pair = body.substr(at, end - at);
        at = end + 1;
        if (pair.empty()) continue;
        if (++fields > kMaxFields) return std::nullopt;
        size_t eq = pair.find('=');
        std::string name(pair.substr(0, eq)), value;
        if (name.empty() || name.size() > 32) return std::nullopt;
        std::string_view raw = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        for (size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '+') value += ' ';
            else if (raw[i] == '%' && i + 2 < raw.size() + 0 && hex_value(raw[i + 1]) >= 0 && hex_value(raw[i + 2]) >= 0) {
                value += static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2]));
                i += 2;
            } else value += raw[i];
            if (value.size() > kMaxFieldBytes) return std::nullopt;
        }
        out[name] = std::move(value);
    }
    return out;
}

// The URL's parameters, bounded as a form is.
Form query_of(const httplib::Request& req) {
    Form q;
    int n = 0;
    for (auto& [k, v] : req.params) {
        if (++n > kMaxFields) break;
        if (k.size() <= 32 && v.size() <= kMaxFieldBytes) q[k] = v;
    }
    return q;
}

const std::string& peer(const httplib::Request& req) { return req.remote_addr.empty() ? door_peer_address() : req.remote_addr; }

class Console {
public:
    Console(ConsoleStore& store, const ConsoleOptions& o) : m_store(store), m_options(o), m_assets(load_assets(o)) {}

    int64_t now() const { return m_options.clock ? m_options.clock() : static_cast<int64_t>(std::time(nullptr)); }

    std::string css_href() const {
        auto a = m_assets.find("bootstrap.min.css");
        return "/console/assets/bootstrap.min.css?v=" + (a == m_assets.end() ? std::string("missing") : a->second.version);
    }

    void send(httplib::Response& res, const Viewer* viewer, const std::string& active, PageOut out) {
        security_headers(res);
        res.set_header("Cache-Control", "no-store");
        if (!out.redirect.empty()) {
            res.status = 303;
            res.set_header("Location", out.redirect);
            return;
        }
        res.status = out.status;
        res.set_content(layout(viewer, active, out.title, out.body, css_href()), "text/html; charset=utf-8");
    }

    void refuse(httplib::Response& res, const Viewer* viewer, int status, const std::string& title, const std::string& text) {
        PageOut out;
        out.status = status;
        out.title = title;
        out.body = message_page(title, text);
        send(res, viewer, "", std::move(out));
    }

    void asset(const httplib::Request& req, httplib::Response& res) {
        security_headers(res);
        auto a = m_assets.find(req.matches[1]);
        if (a == m_assets.end()) {
            res.status = 404;
            res.set_content("not found", "text/plain");
            return;
        }
        res.set_header("Cache-Control", "public, max-age=31536000, immutable");
        res.set_content(a->second.body, a->second.type);
    }

    std::optional<Viewer> viewer(const httplib::Request& req) { return m_store.session(cookie(req, kSessionCookie), now()); }

    void sign_in_form(const httplib::Request& req, httplib::Response& res, const std::string& name, const std::string& message,
                      int status = 200) {
        std::string pre = cookie(req, kPreCookie);
        if (pre.size() != 64) {
            pre = new_token();
            res.set_header("Set-Cookie", set_cookie(kPreCookie, pre, m_options.secure, 1800));
        }
        PageOut out = sign_in_page(form_token(pre), name, message);
        out.status = status;
        send(res, nullptr, "", std::move(out));
    }

    // A POST's body, capped: false (and the answer set) when over the cap.
    bool read_form(const httplib::ContentReader& reader, httplib::Response& res, Form& form) {
        std::string body;
        bool over = false;
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        reader([&](const char* data, size_t n) {
            if (body.size() + n > kMaxFormBytes || std::chrono::steady_clock::now() > until) return over = true, false;
            body.append(data, n);
            return true;
        });
        auto parsed = over ? std::nullopt : parse_form(body);
        if (!parsed) {
            res.set_header("Connection", "close");
            refuse(res, nullptr, 413, "Form too large.", "A form here is at most 16 KB, 32 fields, 1 KB a field.");
            return false;
        }
        form = std::move(*parsed);
        return true;
    }

    void sign_in(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        Form form;
        if (!read_form(reader, res, form)) return;
        std::string pre = cookie(req, kPreCookie);
        if (pre.size() != 64 || !same_token(form["csrf"], form_token(pre)))
            return refuse(res, nullptr, 403, "Form expired.", "The sign-in form had no valid token: open the sign-in page again.");
        std::string name = form["name"].substr(0, 64);
        SignInOutcome o = m_store.sign_in(name, form["password"], peer(req), now());
        switch (o.kind) {
            case SignInOutcome::signed_in:
                res.set_header("Set-Cookie", set_cookie(kSessionCookie, o.token, m_options.secure));
                return send(res, nullptr, "", PageOut{303, "", {}, "/console/overview"});
            case SignInOutcome::refused:
                return sign_in_form(req, res, name,
                                    std::string("Too many wrong passwords ") + (o.by_address ? "from this address" : "for this account") +
                                        ": signing in is refused until " + utc_text(o.refused_until) + " (a wrong password counts for " +
                                        std::to_string(kThrottleWindowS / 60) +
                                        " minutes). An admin can set a new password sooner.",
                                    429);
            case SignInOutcome::disabled:
                return sign_in_form(req, res, name, "This account is disabled; ask an admin.", 403);
            case SignInOutcome::wrong:
                return sign_in_form(req, res, name, "Wrong name or password.", 401);
        }
    }

    using Page = std::function<PageOut(const PageIn&)>;

    // A GET page for a signed-in viewer (admins only when `admin`).
    httplib::Server::Handler get(std::string active, Page page, bool admin = false) {
        return [this, active, page, admin](const httplib::Request& req, httplib::Response& res) {
            auto v = viewer(req);
            if (!v) return send(res, nullptr, "", PageOut{303, "", {}, "/console/sign-in"});
            if (admin && !v->admin()) return refuse(res, &*v, 403, "Admins only.", "This page is for admins.");
            Form q = query_of(req), none;
            PageIn in{m_store, *v, now(), q, none, peer(req), req.matches.size() > 1 ? std::string(req.matches[1]) : ""};
            send(res, &*v, active, page(in));
        };
    }

    // A POST for a signed-in viewer: the body capped, the form token checked before anything else.
    httplib::Server::HandlerWithContentReader post(std::function<PageOut(const PageIn&)> handle, bool admin = false) {
        return [this, handle, admin](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
            Form form;
            if (!read_form(reader, res, form)) return;
            auto v = viewer(req);
            if (!v) return refuse(res, nullptr, 403, "Not signed in.", "Sign in again, then repeat what you did.");
            if (!same_token(form["csrf"], v->csrf))
                return refuse(res, &*v, 403, "Form refused.", "The form had no valid token: open the page again and repeat.");
            if (admin && !v->admin()) return refuse(res, &*v, 403, "Admins only.", "This is for admins.");
            Form q = query_of(req);
            PageIn in{m_store, *v, now(), q, form, peer(req), ""};
            send(res, &*v, "", handle(in));
        };
    }

    ConsoleStore& m_store;
    ConsoleOptions m_options;
    std::map<std::string, Asset> m_assets;
};

}  // namespace

void mount_console(httplib::Server& http, ConsoleStore& store, const ConsoleOptions& options) {
    // Lives as long as the routes: the server keeps the handlers, the asset route keeps this.
    auto keep = std::make_shared<Console>(store, options);
    Console* con = keep.get();

    http.Get(R"(/console/assets/([a-z0-9.\-]{1,64}))", [con, keep](const httplib::Request& req, httplib::Response& res) { con->asset(req, res); });
    http.Get("/console/?", [con](const httplib::Request& req, httplib::Response& res) {
        bool in = con->viewer(req).has_value();
        con->send(res, nullptr, "", PageOut{303, "", {}, in ? "/console/overview" : "/console/sign-in"});
    });
    http.Get("/console/sign-in", [con](const httplib::Request& req, httplib::Response& res) {
        if (con->viewer(req)) return con->send(res, nullptr, "", PageOut{303, "", {}, "/console/overview"});
        con->sign_in_form(req, res, "", "");
    });
    http.Post("/console/sign-in", [con](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        con->sign_in(req, res, reader);
    });
    http.Post("/console/sign-out", [con](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        Form form;
        if (!con->read_form(reader, res, form)) return;
        std::string token = cookie(req, kSessionCookie);
        auto v = con->viewer(req);
        if (!v || !same_token(form["csrf"], v->csrf))
            return con->refuse(res, nullptr, 403, "Form refused.", "The form had no valid token: open the page again and repeat.");
        con->m_store.sign_out(token, peer(req), con->now());
        res.set_header("Set-Cookie", set_cookie(kSessionCookie, "", con->m_options.secure, 0));
        con->send(res, nullptr, "", PageOut{303, "", {}, "/console/sign-in"});
    });

    http.Get("/console/overview", con->get("overview", overview_page));
    http.Get(R"(/console/sites/([^/]{1,128}))", con->get("overview", site_page));
    http.Get("/console/fleet", con->get("fleet", fleet_page));
    http.Get("/console/users", con->get("users", users_page, true));
    http.Get("/console/audit", con->get("audit", audit_page, true));
    for (const char* action : {"add", "disable", "enable", "password"})
        http.Post(std::string("/console/users/") + action,
                  con->post([action = std::string(action)](const PageIn& in) { return users_post(in, action); }, true));

    const std::pair<const char*, const char*> coming[] = {
        {"cases", "Cases"}, {"announcements", "Announcements"}, {"site-data", "Site data"}, {"statistics", "Statistics"}};
    for (auto [key, title] : coming)
        http.Get(std::string("/console/") + key, con->get(key, [title = std::string(title)](const PageIn&) { return coming_page(title); }));

    http.Get("/console/.*", [con](const httplib::Request& req, httplib::Response& res) {
        auto v = con->viewer(req);
        con->refuse(res, v ? &*v : nullptr, 404, "No such page.", "There is no console page at this address.");
    });
}

}  // namespace kiosk::headoffice::console
