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
    // The console's own script (no inline script: the CSP forbids it), from the binary.
    Asset own{kChartsScript, "text/javascript", ""};
    unsigned char h[8];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(own.body.data()), own.body.size(), nullptr, 0);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    own.version = hex;
    out.emplace("console-charts.js", std::move(own));
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
        // Names are percent-encoded too (a checkbox "s:SG01" arrives as s%3ASG01).
        auto decode = [](std::string_view raw, size_t cap, std::string& to) {
            for (size_t i = 0; i < raw.size(); ++i) {
                if (raw[i] == '+') to += ' ';
                else if (raw[i] == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0 && hex_value(raw[i + 2]) >= 0) {
                    to += static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2]));
                    i += 2;
                } else to += raw[i];
                if (to.size() > cap) return false;
            }
            return true;
        };
        std::string name, value;
        if (!decode(pair.substr(0, eq), 32, name) || name.empty()) return std::nullopt;
        std::string_view raw = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (!decode(raw, kMaxFieldBytes, value)) return std::nullopt;
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
    Console(ConsoleStore& store, const ConsoleOptions& o) : m_store(store), m_options(o), m_assets(load_assets(o)) {
        for (auto& [name, a] : m_assets) m_assets_version += a.version.substr(0, 4);
    }

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
            PageIn in{m_store, *v, now(), q, none, peer(req), req.matches.size() > 1 ? std::string(req.matches[1]) : "", m_options.data, m_assets_version};
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
            PageIn in{m_store, *v, now(), q, form, peer(req), "", m_options.data, m_assets_version};
            send(res, &*v, "", handle(in));
        };
    }

    // A CSV download for a signed-in viewer: the page checks scope and writes the audit entry, then
    // the rows are streamed (chunked) from the database a page at a time.
    httplib::Server::Handler download(std::function<DownloadOut(const PageIn&)> page) {
        return [this, page](const httplib::Request& req, httplib::Response& res) {
            auto v = viewer(req);
            if (!v) return send(res, nullptr, "", PageOut{303, "", {}, "/console/sign-in"});
            Form q = query_of(req), none;
            PageIn in{m_store, *v, now(), q, none, peer(req), "", m_options.data, m_assets_version};
            DownloadOut out = page(in);
            if (!out.write) return send(res, &*v, "", std::move(out.refused));
            security_headers(res);
            res.set_header("Cache-Control", "no-store");
            res.set_header("Content-Disposition", "attachment; filename=\"" + out.filename + "\"");
            res.set_chunked_content_provider("text/csv; charset=utf-8", [write = out.write](size_t, httplib::DataSink& sink) {
                write([&sink](std::string_view piece) { return sink.write(piece.data(), piece.size()); });
                sink.done();
                return true;
            });
        };
    }

    // A site-data CSV as multipart/form-data (fields csrf, site, dataset, replace; the file
    // "csv"), at most kMaxUploadBytes in all: read, token checked, then previewed.
    void upload(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        Form form;
        std::string csv, name, current;
        bool over = false;
        size_t total = 0;
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        auto take = [&](const char* data, size_t n) {
            total += n;
            if (total > kMaxUploadBytes || std::chrono::steady_clock::now() > until) return over = true, false;
            if (name == "csv") csv.append(data, n);
            else if (current.size() + n > kMaxFieldBytes) return over = true, false;
            else current.append(data, n);
            return true;
        };
        bool ok = req.is_multipart_form_data() && reader(
                                                      [&](const httplib::MultipartFormData& part) {
                                                          if (!name.empty() && name != "csv") form[name] = current;
                                                          current.clear();
                                                          name = part.name;
                                                          return form.size() < static_cast<size_t>(kMaxFields) && name.size() <= 32;
                                                      },
                                                      take);
        if (!name.empty() && name != "csv") form[name] = current;
        if (over || !ok) {
            res.set_header("Connection", "close");
            return refuse(res, nullptr, over ? 413 : 400, "Upload refused.",
                          "Upload a CSV file through the form; at most " + std::to_string(kMaxUploadBytes >> 20) + " MB.");
        }
        auto v = viewer(req);
        if (!v) return refuse(res, nullptr, 403, "Not signed in.", "Sign in again, then repeat what you did.");
        if (!same_token(form["csrf"], v->csrf))
            return refuse(res, &*v, 403, "Form refused.", "The form had no valid token: open the page again and repeat.");
        Form q = query_of(req);
        PageIn in{m_store, *v, now(), q, form, peer(req), "", m_options.data, m_assets_version};
        send(res, &*v, "site-data", site_data_preview(in, csv));
    }

    ConsoleStore& m_store;
    ConsoleOptions m_options;
    std::map<std::string, Asset> m_assets;
    std::string m_assets_version;
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

    if (options.data) {
        http.Get("/console/cases", con->get("cases", cases_page));
        http.Get("/console/cases.csv", con->download(cases_csv));
        http.Get("/console/case", con->get("cases", case_page));
        for (const char* action : {"assign", "status", "note", "close", "follow-up"})
            http.Post(std::string("/console/case/") + action,
                      con->post([action = std::string(action)](const PageIn& in) { return case_post(in, action); }));
        http.Get("/console/announcements", con->get("announcements", announcements_page));
        for (const char* action : {"publish", "edit", "withdraw"})
            http.Post(std::string("/console/announcements/") + action,
                      con->post([action = std::string(action)](const PageIn& in) { return announcements_post(in, action); }));
        http.Get("/console/site-data", con->get("site-data", site_data_page));
        http.Get("/console/site-data.csv", con->download(site_data_csv));
        http.Post("/console/site-data/preview", [con](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
            con->upload(req, res, reader);
        });
        for (const char* action : {"commit", "cancel"})
            http.Post(std::string("/console/site-data/") + action,
                      con->post([action = std::string(action)](const PageIn& in) { return site_data_post(in, action); }));
        http.Get("/console/statistics", con->get("statistics", statistics_page));
        http.Get("/console/statistics.csv", con->download(statistics_csv));
    } else {
        // Without the sync store (a console-only test): the data pages say so.
        const std::pair<const char*, const char*> coming[] = {
            {"cases", "Cases"}, {"announcements", "Announcements"}, {"site-data", "Site data"}, {"statistics", "Statistics"}};
        for (auto [key, title] : coming)
            http.Get(std::string("/console/") + key, con->get(key, [title = std::string(title)](const PageIn&) { return coming_page(title); }));
    }

    http.Get("/console/.*", [con](const httplib::Request& req, httplib::Response& res) {
        auto v = con->viewer(req);
        con->refuse(res, v ? &*v : nullptr, 404, "No such page.", "There is no console page at this address.");
    });
}

}  // namespace kiosk::headoffice::console
