// The head-office console's store (issue #16): staff accounts with Argon2id hashes, sessions kept
// only as hashes that end when idle or old, the sign-in throttle per account and per address that
// a restart does not forgive, the append-only audit log, and scope decided in the SQL, on SQLite
// and on a real PostgreSQL.
#include <catch2/catch.hpp>

#include <regex>

#include "headoffice_fixture.hpp"
#include "run_command.hpp"
#include "sync/server/console/console_store.hpp"
#include "kiosk/core/text.hpp"
#include "sync/server/console/pages.hpp"

using namespace kiosk;
using namespace kiosk::headoffice::console;
using kiosk::headoffice::SiteScope;

namespace {

constexpr int64_t kNow = 1795320000;  // 2026-11-22

struct ConsoleFixture {
    test::TempDir dir;
    std::string where;
    std::unique_ptr<headoffice::HeadOfficeStore> sync_store;
    std::unique_ptr<ConsoleStore> store;

    explicit ConsoleFixture(const std::string& backend) {
        where = backend == "postgresql" ? test::PgServer::shared().new_database() : (dir.path / "headoffice.db").string();
        auto s = headoffice::HeadOfficeStore::open(where);
        REQUIRE(s.ok());
        sync_store = std::move(s.value());
        REQUIRE(sync_store->import_site("SG01", test::demo_site()).ok());
        REQUIRE(sync_store->import_site("SG02", test::demo_site()).ok());
        REQUIRE(sync_store->add_kiosk("SG01", "K1").ok());
        REQUIRE(sync_store->add_kiosk("SG02", "K9").ok());
        reopen();
        REQUIRE(std::string(store->dialect()) == backend);
    }
    void reopen() {
        store.reset();
        auto c = ConsoleStore::open(where);
        INFO((c ? "" : c.error().detail));
        REQUIRE(c.ok());
        store = std::move(c.value());
    }
    void add(const std::string& name, const std::string& role, std::vector<std::string> sites, const std::string& password = "correct horse 1") {
        StaffUser u{name, role, sites.empty(), sites, false, 0};
        auto r = store->add_user(u, password, "test", "127.0.0.1");
        INFO((r ? "" : r.error().detail));
        REQUIRE(r.ok());
    }
    Viewer viewer(const std::string& name, const std::string& password = "correct horse 1") {
        auto o = store->sign_in(name, password, "10.0.0.1", kNow);
        REQUIRE(o.kind == SignInOutcome::signed_in);
        auto v = store->session(o.token, kNow);
        REQUIRE(v);
        return *v;
    }
};

}  // namespace

TEST_CASE("a staff account signs in with its password and the store keeps only hashes of password and session", "[console]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    f.add("ana", "admin", {});
    auto hash = f.store->db_for_tests().row("SELECT password_hash FROM console_users WHERE name = 'ana'")->text(0);
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(hash.find("correct horse") == std::string::npos);

    CHECK(f.store->sign_in("ana", "wrong horse 1", "10.0.0.1", kNow).kind == SignInOutcome::wrong);
    CHECK(f.store->sign_in("nobody", "correct horse 1", "10.0.0.1", kNow).kind == SignInOutcome::wrong);
    auto in = f.store->sign_in("ana", "correct horse 1", "10.0.0.1", kNow);
    REQUIRE(in.kind == SignInOutcome::signed_in);
    CHECK(in.token.size() == 64);
    CHECK_FALSE(f.store->db_for_tests().row("SELECT 1 FROM console_sessions WHERE token_hash = ?", {in.token}));
    CHECK(f.store->db_for_tests().row("SELECT 1 FROM console_sessions WHERE token_hash = ?", {token_hash(in.token)}));

    auto v = f.store->session(in.token, kNow + 60);
    REQUIRE(v);
    CHECK(v->name == "ana");
    CHECK(v->admin());
    CHECK(v->csrf == form_token(in.token));
    CHECK_FALSE(f.store->session(std::string(64, 'a'), kNow));
    f.store->sign_out(in.token, "10.0.0.1", kNow + 120);
    CHECK_FALSE(f.store->session(in.token, kNow + 121));
}

TEST_CASE("a session ends after 30 minutes unused or 12 hours after sign-in, and at once when its user is disabled", "[console]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    f.add("ana", "admin", {});
    f.add("cleo", "clerk", {"SG01"});
    auto idle = f.store->sign_in("cleo", "correct horse 1", "10.0.0.1", kNow).token;
    CHECK(f.store->session(idle, kNow + kSessionIdleS - 1));
    CHECK_FALSE(f.store->session(idle, kNow + 2 * kSessionIdleS));

    auto busy = f.store->sign_in("cleo", "correct horse 1", "10.0.0.1", kNow).token;
    int64_t t = kNow;
    for (; t < kNow + kSessionLifeS - kSessionIdleS; t += kSessionIdleS / 2) REQUIRE(f.store->session(busy, t));
    CHECK_FALSE(f.store->session(busy, kNow + kSessionLifeS));

    auto live = f.store->sign_in("cleo", "correct horse 1", "10.0.0.1", kNow).token;
    REQUIRE(f.store->set_disabled("cleo", true, "ana", "10.0.0.2").ok());
    CHECK_FALSE(f.store->session(live, kNow + 1));
    CHECK(f.store->sign_in("cleo", "correct horse 1", "10.0.0.1", kNow + 2).kind == SignInOutcome::disabled);
    REQUIRE(f.store->set_disabled("cleo", false, "ana", "10.0.0.2").ok());
    CHECK(f.store->sign_in("cleo", "correct horse 1", "10.0.0.1", kNow + 3).kind == SignInOutcome::signed_in);
}

TEST_CASE("five wrong passwords refuse the account for 15 minutes even with the right one, across a restart", "[console][security]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    f.add("cleo", "clerk", {"SG01"});
    for (int i = 0; i < kAccountFailures; ++i)
        REQUIRE(f.store->sign_in("cleo", "guess " + std::to_string(i) + "xxxxx", "10.0.0." + std::to_string(i), kNow + i).kind ==
                SignInOutcome::wrong);
    f.reopen();  // head office restarted: the count is in the store
    auto refused = f.store->sign_in("cleo", "correct horse 1", "10.0.0.99", kNow + 10);
    CHECK(refused.kind == SignInOutcome::refused);
    CHECK_FALSE(refused.by_address);
    CHECK(refused.refused_until == kNow + kThrottleWindowS);  // when the first of the five stops counting
    CHECK(f.store->sign_in("cleo", "correct horse 1", "10.0.0.99", refused.refused_until - 1).kind == SignInOutcome::refused);
    CHECK(f.store->sign_in("cleo", "correct horse 1", "10.0.0.99", refused.refused_until + 1).kind == SignInOutcome::signed_in);
}

TEST_CASE("wrong passwords from one address for many names refuse that address, not the others", "[console][security]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    f.add("cleo", "clerk", {"SG01"});
    for (int i = 0; i < kAddressFailures; ++i)
        REQUIRE(f.store->sign_in("name" + std::to_string(i), "guess xxxxxxx", "203.0.113.7", kNow).kind == SignInOutcome::wrong);
    auto refused = f.store->sign_in("cleo", "correct horse 1", "203.0.113.7", kNow + 1);
    CHECK(refused.kind == SignInOutcome::refused);
    CHECK(refused.by_address);
    CHECK(f.store->sign_in("cleo", "correct horse 1", "198.51.100.1", kNow + 1).kind == SignInOutcome::signed_in);
}

TEST_CASE("the audit log holds every sign-in and change, newest first, and the database refuses to change or delete it", "[console][security]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    f.add("ana", "admin", {});
    f.add("cleo", "clerk", {"SG01"});
    f.store->sign_in("cleo", "wrong password", "10.0.0.5", kNow);
    f.viewer("ana");
    REQUIRE(f.store->set_password("cleo", "a new password", "ana", "10.0.0.1").ok());
    auto log = f.store->audit_log(10, 0);
    REQUIRE(log.size() == 5);
    CHECK(log[0].action == "user.password");
    CHECK(log[0].actor == "ana");
    CHECK(log[0].after.find("a new password") == std::string::npos);
    CHECK(log[1].action == "signin");
    CHECK(log[2].action == "signin.failed");
    CHECK(log[2].address == "10.0.0.5");
    CHECK(log[3].action == "user.add");
    CHECK(log[3].after == "role=clerk sites=SG01");
    CHECK(log[4].after == "role=admin sites=*");
    CHECK(f.store->audit_log(2, 4).size() == 1);  // paged in SQL
    CHECK_THROWS(f.store->db_for_tests().exec("UPDATE console_audit SET actor = 'someone else'"));
    CHECK_THROWS(f.store->db_for_tests().exec("DELETE FROM console_audit"));
    CHECK(f.store->audit_count() == 5);
}

TEST_CASE("a clerk of site SG01 sees nothing of SG02: scope, overview and fleet are decided in the SQL from the viewer's SiteScope", "[console][security]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    f.add("ana", "admin", {});
    f.add("cleo", "clerk", {"SG01"});
    SiteScope clerk = site_scope(f.viewer("cleo")), admin = site_scope(f.viewer("ana"));
    CHECK(f.store->in_scope(clerk, "SG01"));
    CHECK_FALSE(f.store->in_scope(clerk, "SG02"));
    CHECK(f.store->in_scope(admin, "SG02"));
    CHECK(f.store->sites_in_scope(clerk, 10, 0) == std::vector<std::string>{"SG01"});
    CHECK(f.store->sites_in_scope(admin, 10, 0) == std::vector<std::string>{"SG01", "SG02"});
    CHECK(f.store->sites_in_scope(admin, 1, 1) == std::vector<std::string>{"SG02"});

    auto clerk_fleet = f.store->fleet(clerk, "", kNow, 10, 0);
    REQUIRE(clerk_fleet.size() == 1);
    CHECK(clerk_fleet[0].kiosk.kiosk == "K1");
    CHECK(clerk_fleet[0].status == "offline");  // never heard from
    CHECK(f.store->fleet(clerk, "SG02", kNow, 10, 0).empty());
    CHECK(f.store->fleet_count(clerk, "") == 1);
    CHECK(f.store->fleet_count(admin, "") == 2);

    // A repair of SG02 whose on-site deadline passed: the admin counts it, the clerk asking for
    // SG02 directly gets nothing from the query itself.
    f.store->db_for_tests().exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, on_site_by, done_by, status) "
                                 "VALUES ('SG02', 'T1', 'r1', 'repair', 'plumbing', ?, ?, ?, 'registered')",
                                 {kNow - 7200, kNow - 3600, kNow + 86400});
    auto seen = f.store->site_overview(admin, "SG02", kNow);
    CHECK(seen.open_repairs == 1);
    CHECK(seen.overdue_repairs == 1);
    CHECK(seen.kiosks == 1);
    CHECK(seen.kiosks_offline == 1);
    auto hidden = f.store->site_overview(clerk, "SG02", kNow);
    CHECK(hidden.open_repairs == 0);
    CHECK(hidden.kiosks == 0);
}

TEST_CASE("accounts refuse a bad name, role, site list or a short password, and a second account of one name", "[console]") {
    ConsoleFixture f("sqlite");
    auto add = [&](StaffUser u, const std::string& pw) { return f.store->add_user(u, pw, "test", "cli").ok(); };
    CHECK_FALSE(add({"a b", "clerk", false, {"SG01"}}, "long enough 1"));
    CHECK_FALSE(add({"ok", "owner", false, {"SG01"}}, "long enough 1"));
    CHECK_FALSE(add({"ok", "clerk", false, {}}, "long enough 1"));
    CHECK_FALSE(add({"ok", "clerk", false, {"SG01"}}, "short"));
    CHECK(add({"ok", "clerk", false, {"SG01"}}, "long enough 1"));
    CHECK_FALSE(add({"ok", "admin", true, {}}, "long enough 1"));
    CHECK(f.store->user_count() == 1);
}

TEST_CASE("a console page escapes every value it shows: markup comes only from literals", "[console][security]") {
    Html h;
    h << "<td>"_html << std::string("<script>alert('x')</script> & \"q\"") << "</td>"_html;
    CHECK(h.str() == "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</td>");
    CHECK(url_part("SG 01/../x?a=1&b") == "SG%2001%2F..%2Fx%3Fa%3D1%26b");
    // A site id may hold any printable byte (sync::valid_id): one made of markup shows as text.
    Viewer v{"ana", "admin", true, {}, "f0f0"};
    Html body;
    body << "<p>"_html << "<img src=x onerror=alert(1)>" << "</p>"_html;
    std::string page = layout(&v, "overview", "Site <b>SG01</b>", body, "/console/assets/bootstrap.min.css?v=1");
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("<b>") == std::string::npos);
    CHECK(page.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    CHECK(page.find(R"(<input type="hidden" name="csrf" value="f0f0">)") != std::string::npos);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("style=") == std::string::npos);
}

TEST_CASE("head office's console connection keeps the sync store's locks: another process closing the SQLite file leaves the WAL and sees every commit",
          "[console][sqlite]") {
    ConsoleFixture f("sqlite");  // the sync store's connection, then the console's on the same file
    auto count = [&] {
        auto [rc, out] = test::run_command("sqlite3 '" + f.where + "' 'SELECT count(*) FROM kiosks'");
        INFO(out);
        REQUIRE(rc == 0);
        return std::stoi(out);
    };
    CHECK(count() == 2);
    // sqlite3 closing as the last connection it could see would have checkpointed and deleted the
    // WAL under this process's connections, and their commits from then on reached nobody else.
    CHECK(std::filesystem::exists(f.where + "-wal"));
    REQUIRE(f.sync_store->add_kiosk("SG01", "K2").ok());
    CHECK(count() == 3);
    f.reopen();  // a console store opened again in the same process changes nothing either
    REQUIRE(f.sync_store->add_kiosk("SG01", "K3").ok());
    CHECK(count() == 4);
}

namespace {

// A page or a download as the console would serve it to `v`, without the HTTP around it.
struct AsViewer {
    ConsoleFixture& f;
    const Viewer& v;
    Form none;
    PageIn in(const Form& query) { return PageIn{*f.store, v, kNow, query, none, "10.0.0.9", "", f.sync_store.get(), "1"}; }
    std::string page(PageOut (*render)(const PageIn&), const Form& query = {}) {
        Form q = query;
        PageOut out = render(in(q));
        INFO(out.body.str());
        CHECK(out.status == 200);
        return out.body.str();
    }
    // The CSV sent, or "refused <status>".
    std::string download(DownloadOut (*render)(const PageIn&), const Form& query = {}) {
        Form q = query;
        DownloadOut out = render(in(q));
        if (!out.write) return "refused " + std::to_string(out.refused.status);
        std::string csv;
        out.write([&](std::string_view piece) { return csv.append(piece), true; });
        return csv;
    }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("an admin takes no site list: add-user and the Users page refuse one, and an admin listed before the rule sees every site on every page and export",
          "[console][security]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    auto refused = f.store->add_user({"al", "admin", false, {"SG01"}, false, 0}, "correct horse 1", "test", "cli");
    REQUIRE_FALSE(refused.ok());
    CHECK(has(refused.error().detail, "an admin sees every site"));
    CHECK_FALSE(f.store->add_user({"al", "admin", true, {"SG01"}, false, 0}, "correct horse 1", "test", "cli").ok());
    CHECK(f.store->add_user({"al", "admin", true, {}, false, 0}, "correct horse 1", "test", "cli").ok());

    // An admin stored with a site list before the rule (a manager of SG01 made admin in SQL).
    f.add("old", "manager", {"SG01"});
    f.store->db_for_tests().exec("UPDATE console_users SET role = 'admin' WHERE name = 'old'");
    f.add("cleo", "clerk", {"SG01"});
    f.store->db_for_tests().exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, on_site_by, done_by, status, due_at) "
                                 "VALUES ('SG02', 'T-SG02', 'r1', 'repair', 'plumbing', ?, ?, ?, 'registered', ?)",
                                 {kNow - 7200, kNow - 3600, kNow + 86400, kNow - 3600});
    Viewer admin = f.viewer("old"), clerk = f.viewer("cleo");
    CHECK(site_scope(admin).all);

    AsViewer a{f, admin, {}}, c{f, clerk, {}};
    const Form sg02{{"site", "SG02"}}, sg02_units{{"site", "SG02"}, {"dataset", "units"}};
    SECTION("every page shows SG02 to the admin, none to the clerk of SG01") {
        CHECK(has(a.page(overview_page), "/console/sites/SG02"));
        CHECK_FALSE(has(c.page(overview_page), "/console/sites/SG02"));
        CHECK(has(a.page(fleet_page), "K9"));
        CHECK_FALSE(has(c.page(fleet_page), "K9"));
        CHECK(has(a.page(cases_page), "T-SG02"));
        CHECK_FALSE(has(c.page(cases_page), "T-SG02"));
        CHECK(has(a.page(announcements_page), "s:SG02"));
        CHECK_FALSE(has(c.page(announcements_page), "s:SG02"));
        CHECK(has(a.page(site_data_page, sg02), "site=SG02&amp;dataset=units"));
        CHECK(has(a.page(statistics_page), "SG02"));
        CHECK_FALSE(has(c.page(statistics_page), "SG02"));
        Form q = sg02;
        PageIn site_in = a.in(q);
        site_in.path_arg = "SG02";
        CHECK(site_page(site_in).status == 200);
        PageIn clerk_site_in = c.in(q);
        clerk_site_in.path_arg = "SG02";
        CHECK(site_page(clerk_site_in).status == 403);
    }
    SECTION("every export holds SG02's rows for the admin and none for the clerk, and each is audited with its data set, sites and rows") {
        std::string cases = a.download(cases_csv);
        CHECK(has(cases, "T-SG02"));
        CHECK_FALSE(has(c.download(cases_csv), "T-SG02"));
        CHECK(c.download(cases_csv, sg02) == "refused 403");
        std::string units = a.download(site_data_csv, sg02_units);
        CHECK(has(units, "B1-101"));
        CHECK(c.download(site_data_csv, sg02_units) == "refused 403");
        std::string stats = a.download(statistics_csv);
        CHECK(has(stats, "\nSG02,"));
        CHECK_FALSE(has(c.download(statistics_csv), "\nSG02,"));

        // Each export: an entry before its first byte, and one with its rows when it ended.
        std::vector<AuditEntry> exports;
        for (const AuditEntry& e : f.store->audit_log(100, 0))
            if (e.action.rfind("export.", 0) == 0 && e.actor == "old") exports.push_back(e);
        REQUIRE(exports.size() == 6);  // newest first
        CHECK(exports[5].action == "export.cases");
        CHECK(exports[5].after == "dataset=cases sites=* started");
        CHECK(exports[5].address == "10.0.0.9");
        CHECK(exports[4].action == "export.cases.end");
        CHECK(exports[4].after == "dataset=cases sites=* rows=1 of #" + std::to_string(exports[5].id));
        CHECK(exports[3].action == "export.sitedata");
        CHECK(exports[3].target == "SG02/units");
        CHECK(exports[3].after == "dataset=units sites=SG02 started");
        auto unit_lines = std::count(units.begin(), units.end(), '\n') - 1;  // less the header
        CHECK(exports[2].action == "export.sitedata.end");
        CHECK(exports[2].target == "SG02/units");
        CHECK(exports[2].after == "dataset=units sites=SG02 rows=" + std::to_string(unit_lines) + " of #" + std::to_string(exports[3].id));
        CHECK(exports[1].action == "export.statistics");
        CHECK(exports[1].after == "dataset=statistics sites=* started");
        CHECK(exports[0].action == "export.statistics.end");
        CHECK(has(exports[0].after, "dataset=statistics sites=* rows="));
        // The clerk's exports name the clerk's one site; refused ones write nothing.
        int clerk_exports = 0;
        for (const AuditEntry& e : f.store->audit_log(100, 0))
            if (e.action.rfind("export.", 0) == 0 && e.actor == "cleo") {
                ++clerk_exports;
                CHECK(has(e.after, "sites=SG01 "));
            }
        CHECK(clerk_exports == 4);
        // The audit page shows them to an admin.
        std::string audit = a.page(audit_page);
        CHECK(has(audit, "export.cases"));
        CHECK(has(audit, "dataset=units sites=SG02 rows="));
    }
    SECTION("an export whose stream never ends still left who, what and which sites in the audit log before its first byte") {
        Form q;
        DownloadOut out = cases_csv(a.in(q));
        REQUIRE(out.write);
        // The process dies here, mid-download: the stream is never written, nor its end.
        auto log = f.store->audit_log(1, 0);
        REQUIRE(log.size() == 1);
        CHECK(log[0].action == "export.cases");
        CHECK(log[0].actor == "old");
        CHECK(log[0].target == "*");
        CHECK(log[0].after == "dataset=cases sites=* started");
        // A download the client drops half-way ends with its rows so far, marked cut short.
        DownloadOut units = site_data_csv(a.in(q = sg02_units));
        REQUIRE(units.write);
        int pieces = 0;
        units.write([&](std::string_view) { return ++pieces, false; });  // the client is gone at the first piece
        CHECK(pieces == 1);
        log = f.store->audit_log(2, 0);
        REQUIRE(log.size() == 2);
        CHECK(log[1].action == "export.sitedata");
        CHECK(log[0].action == "export.sitedata.end");
        CHECK(has(log[0].after, "(cut short) of #" + std::to_string(log[1].id)));
        // The log stays append-only: the opening entry was not changed by the closing one.
        CHECK(log[1].after == "dataset=units sites=SG02 started");
    }
}

TEST_CASE("a CSV preview is kept in the store: uploaded through one serve process, committed through another or after a restart, by its uploader or an admin, and refused once expired",
          "[console][import]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    CHECK(f.store->db_for_tests().row("SELECT max(version) FROM schema_version")->integer(0) ==
          headoffice::HeadOfficeStore::latest_schema_version());
    f.add("ana", "admin", {});
    f.add("vic", "manager", {"SG01"});
    f.add("val", "manager", {"SG01"});
    // A second serve process on the same database: its own sync store and console store.
    auto other_data = headoffice::HeadOfficeStore::open(f.where);
    REQUIRE(other_data.ok());
    auto other_console = ConsoleStore::open(f.where);
    REQUIRE(other_console.ok());
    Viewer vic = f.viewer("vic"), val = f.viewer("val"), ana = f.viewer("ana");

    auto upload = [&](const Viewer& v, const std::string& csv, int64_t now) {
        Form none, form{{"site", "SG01"}, {"dataset", "units"}};
        PageIn in{*f.store, v, now, none, form, "10.0.0.9", "", f.sync_store.get(), "1"};
        PageOut out = site_data_preview(in, csv);
        INFO(out.body.str());
        REQUIRE(out.status == 200);
        std::smatch m;
        std::string body = out.body.str();
        REQUIRE(std::regex_search(body, m, std::regex(R"(name="id" value="([0-9a-f]{32})\")")));
        return m[1].str();
    };
    auto post_on_other = [&](const Viewer& v, const std::string& action, const std::string& id, int64_t now) {
        Form none, form{{"id", id}};
        PageIn in{*other_console.value(), v, now, none, form, "10.0.0.8", "", other_data.value().get(), "1"};
        return site_data_post(in, action);
    };
    auto units = [&] {
        return f.store->db_for_tests().row("SELECT count(*) FROM site_rows WHERE site = 'SG01' AND dataset = 'units' AND key LIKE 'B9-%'")
            ->integer(0);
    };
    const std::string csv = "id,building,floor,label\nB9-101,B1,1,101\nB9-102,B1,1,102\n";

    SECTION("committed through the other process, once") {
        std::string id = upload(vic, csv, kNow);
        CHECK(f.store->db_for_tests().row("SELECT owner, row_count FROM csv_previews WHERE id = ?", {id})->text(0) == "vic");
        CHECK(post_on_other(val, "commit", id, kNow + 60).status == 403);  // another manager of the site: not theirs
        CHECK(units() == 0);
        PageOut done = post_on_other(vic, "commit", id, kNow + 60);
        CHECK(done.redirect.find("Imported%202%20rows") != std::string::npos);
        CHECK(units() == 2);
        CHECK(post_on_other(vic, "commit", id, kNow + 61).status == 410);  // taken
        CHECK_FALSE(f.store->db_for_tests().row("SELECT 1 FROM csv_previews WHERE id = ?", {id}));
    }
    SECTION("kept across a restart, and an admin may commit another's") {
        std::string id = upload(vic, csv, kNow);
        f.sync_store.reset();
        auto restarted = headoffice::HeadOfficeStore::open(f.where);
        REQUIRE(restarted.ok());
        f.sync_store = std::move(restarted.value());
        PageOut done = post_on_other(ana, "commit", id, kNow + 600);
        CHECK(done.redirect.find("Imported%202%20rows") != std::string::npos);
        CHECK(units() == 2);
        bool said = false;
        for (const AuditEntry& e : f.store->audit_log(20, 0)) said = said || (e.action == "sitedata.commit" && e.after == "2 rows uploaded by vic");
        CHECK(said);
    }
    SECTION("cancelled through the other process: nothing imported, nothing kept") {
        std::string id = upload(vic, csv, kNow);
        CHECK(post_on_other(vic, "cancel", id, kNow + 5).redirect.find("Cancelled") != std::string::npos);
        CHECK(post_on_other(vic, "commit", id, kNow + 6).status == 410);
        CHECK(units() == 0);
    }
    SECTION("an expired preview is refused with its reason and dropped") {
        std::string id = upload(vic, csv, kNow);
        PageOut late = post_on_other(vic, "commit", id, kNow + headoffice::kCsvPreviewLifeS);
        CHECK(late.status == 410);
        CHECK(late.title == "Preview expired");
        CHECK(has(late.body.str(), "expired"));
        CHECK(units() == 0);
        CHECK_FALSE(f.store->db_for_tests().row("SELECT 1 FROM csv_previews WHERE id = ?", {id}));
    }
    SECTION("an uploader keeps at most a few previews: the oldest goes") {
        std::vector<std::string> ids;
        for (int i = 0; i < headoffice::kMaxCsvPreviewsPerOwner + 1; ++i) ids.push_back(upload(vic, csv, kNow + i));
        CHECK(f.store->db_for_tests().row("SELECT count(*) FROM csv_previews WHERE owner = 'vic'")->integer(0) ==
              headoffice::kMaxCsvPreviewsPerOwner);
        CHECK(post_on_other(vic, "commit", ids.front(), kNow + 100).status == 410);
        CHECK(post_on_other(vic, "commit", ids.back(), kNow + 100).redirect.find("Imported") != std::string::npos);
    }
    SECTION("a file with a bad row is not kept") {
        Form none, form{{"site", "SG01"}, {"dataset", "units"}};
        PageIn in{*f.store, vic, kNow, none, form, "10.0.0.9", "", f.sync_store.get(), "1"};
        CHECK(site_data_preview(in, "id,building,floor,label\nB9-101,B1,nine,101\n").status == 422);
        CHECK(f.store->db_for_tests().row("SELECT count(*) FROM csv_previews")->integer(0) == 0);
    }
}

namespace {

// The Overview's figures for cases counted the plain way, from every row of the table.
struct PlainCounts {
    int64_t open_repairs = 0, overdue_repairs = 0, open_complaints = 0, overdue_complaints = 0;
};
PlainCounts plain_counts(headoffice::SqlDb& db, const std::string& site, int64_t now) {
    PlainCounts p;
    for (auto& r : db.query("SELECT kind, on_site_by, on_site_at, done_by, reply_by, done_at, closed_at FROM cases WHERE site = ?", {site})) {
        if (!r.null(5) || !r.null(6)) continue;
        bool overdue = (!r.null(1) && r.integer(1) < now && r.null(2)) || (!r.null(3) && r.integer(3) < now) || (!r.null(4) && r.integer(4) < now);
        if (r.text(0) == "repair") p.open_repairs++, p.overdue_repairs += overdue;
        if (r.text(0) == "complaint") p.open_complaints++, p.overdue_complaints += overdue;
    }
    return p;
}

void check_overview_matches(ConsoleStore& store, const SiteScope& scope, int64_t now) {
    auto got = store.site_overviews(scope, {"SG01", "SG02", "SG03"}, now);
    REQUIRE(got.size() == 3);
    for (auto& o : got) {
        INFO(o.site << " at " << now);
        PlainCounts want = scope.allows(o.site) ? plain_counts(store.db_for_tests(), o.site, now) : PlainCounts{};
        CHECK(o.open_repairs == want.open_repairs);
        CHECK(o.overdue_repairs == want.overdue_repairs);
        CHECK(o.open_complaints == want.open_complaints);
        CHECK(o.overdue_complaints == want.overdue_complaints);
        // One site asked alone (the site page) says the same.
        auto alone = store.site_overview(scope, o.site, now);
        CHECK(alone.open_repairs == o.open_repairs);
        CHECK(alone.overdue_complaints == o.overdue_complaints);
    }
}

}  // namespace

TEST_CASE("the Overview's open and overdue counts equal a plain count of the cases at every deadline boundary, as cases close, reopen, change kind and go",
          "[console][overview]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    f.add("ana", "admin", {});
    f.add("cleo", "clerk", {"SG01"});
    SiteScope admin = site_scope(f.viewer("ana")), clerk = site_scope(f.viewer("cleo"));
    auto& db = f.store->db_for_tests();
    // Every deadline a second before, at and after now, or none; on site or not; open, done or closed.
    const std::optional<int64_t> times[] = {std::nullopt, kNow - 1, kNow, kNow + 1};
    auto param = [](std::optional<int64_t> t) { return t ? headoffice::SqlParam{*t} : headoffice::SqlParam{nullptr}; };
    int n = 0;
    {
        headoffice::SqlWrite tx(db, "");
        for (const char* site : {"SG01", "SG02"})
            for (const char* kind : {"repair", "complaint", "enquiry"})
                for (auto on_site_by : times)
                    for (bool on_site : {false, true})
                        for (auto done_by : times)
                            for (auto reply_by : times)
                                for (int state = 0; state < 3; ++state, ++n)
                                    db.exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, on_site_by, on_site_at, done_by, "
                                            "reply_by, done_at, closed_at, status) VALUES (?, ?, ?, ?, 'plumbing', ?, ?, ?, ?, ?, ?, ?, 'registered')",
                                            {std::string(site), "T" + std::to_string(n), "r" + std::to_string(n), std::string(kind), kNow - 86400,
                                             param(on_site_by), on_site ? headoffice::SqlParam{kNow - 100} : headoffice::SqlParam{nullptr},
                                             param(done_by), param(reply_by), state == 1 ? headoffice::SqlParam{kNow - 10} : headoffice::SqlParam{nullptr},
                                             state == 2 ? headoffice::SqlParam{kNow - 5} : headoffice::SqlParam{nullptr}});
        tx.commit();
    }
    auto sg01 = plain_counts(db, "SG01", kNow);
    REQUIRE(sg01.open_repairs == 128);  // 4 x 2 x 4 x 4 open of each kind
    REQUIRE(sg01.overdue_repairs > 0);
    REQUIRE(sg01.overdue_repairs < sg01.open_repairs);
    for (int64_t now : {kNow - 1, kNow, kNow + 1, kNow + 2}) {
        check_overview_matches(*f.store, admin, now);
        check_overview_matches(*f.store, clerk, now);
    }
    // Cases change: some close, some done ones reopen, some move kind or site, some go.
    db.exec("UPDATE cases SET closed_at = ? WHERE site = 'SG01' AND kind = 'repair' AND done_by = ?", {kNow, kNow});
    db.exec("UPDATE cases SET done_at = NULL WHERE site = 'SG02' AND reply_by = ?", {kNow + 1});
    db.exec("UPDATE cases SET kind = 'complaint' WHERE site = 'SG02' AND kind = 'enquiry' AND on_site_by = ?", {kNow - 1});
    db.exec("UPDATE cases SET site = 'SG03' WHERE site = 'SG01' AND kind = 'complaint' AND done_by IS NULL");
    db.exec("UPDATE cases SET on_site_at = ? WHERE site = 'SG02' AND on_site_at IS NULL AND done_by = ?", {kNow - 50, kNow + 1});
    db.exec("DELETE FROM cases WHERE site = 'SG02' AND kind = 'repair' AND on_site_by IS NULL");
    REQUIRE(plain_counts(db, "SG03", kNow).open_complaints > 0);
    for (int64_t now : {kNow - 1, kNow, kNow + 1, kNow + 2}) {
        check_overview_matches(*f.store, admin, now);
        check_overview_matches(*f.store, clerk, now);
    }
    // Folded (PostgreSQL keeps rows of changes, folded about once a minute): the same counts, from
    // at most a row a site and kind.
    f.sync_store->fold_case_counts();
    CHECK(db.row("SELECT count(*) FROM case_counts")->integer(0) <=
          db.row("SELECT count(*) FROM (SELECT DISTINCT site, kind FROM cases) k")->integer(0));
    check_overview_matches(*f.store, admin, kNow);
    check_overview_matches(*f.store, clerk, kNow);
    // A case closed through head office's own update (a case action) is counted out at once.
    auto before = f.store->site_overview(admin, "SG02", kNow);
    std::string ticket = db.row("SELECT ticket FROM cases WHERE site = 'SG02' AND kind = 'complaint' AND done_at IS NULL AND closed_at IS NULL")->text(0);
    db.exec("UPDATE cases SET status = 'closed', closed_at = ? WHERE site = 'SG02' AND ticket = ?", {kNow, ticket});
    CHECK(f.store->site_overview(admin, "SG02", kNow).open_complaints == before.open_complaints - 1);
}

TEST_CASE("a store at schema 3 opens at schema 4: the open cases already stored are counted and the Overview's index replaces the console's",
          "[console][overview][migration]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    auto& db = f.store->db_for_tests();
    bool postgres = backend == "postgresql";
    // Back to what schema 3 left: no counts, no trigger, no index of schema 4, the console's index.
    db.script(postgres ? "DROP TRIGGER case_counts_insert ON cases; DROP TRIGGER case_counts_update ON cases; DROP TRIGGER case_counts_delete ON cases;"
                         "DROP FUNCTION case_counts_follow();"
                       : "DROP TRIGGER case_counts_insert; DROP TRIGGER case_counts_delete; DROP TRIGGER case_counts_update;");
    db.script("DROP TABLE case_counts; DROP INDEX cases_open_overdue;"
              "CREATE INDEX console_cases_open ON cases (site, kind, on_site_by, on_site_at, done_by, reply_by) "
              "WHERE done_at IS NULL AND closed_at IS NULL;"
              "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (3);");
    for (int i = 0; i < 30; ++i)
        db.exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, done_by, done_at, status) "
                "VALUES (?, ?, ?, ?, 'plumbing', ?, ?, ?, 'registered')",
                {std::string(i % 3 ? "SG01" : "SG02"), "T" + std::to_string(i), "r" + std::to_string(i), std::string(i % 2 ? "repair" : "complaint"),
                 kNow - 86400, i % 4 ? kNow - 60 : kNow + 60, i % 5 ? headoffice::SqlParam{nullptr} : headoffice::SqlParam{kNow}});
    // The console's store of this version no longer makes the old index; head office's open migrates.
    f.reopen();
    auto reopened = headoffice::HeadOfficeStore::open(f.where);
    REQUIRE(reopened.ok());
    CHECK(f.store->db_for_tests().row("SELECT max(version) FROM schema_version")->integer(0) == 4);
    auto index_exists = [&](const char* name) {
        return postgres ? f.store->db_for_tests().row("SELECT 1 FROM pg_indexes WHERE indexname = ?", {std::string(name)}).has_value()
                        : f.store->db_for_tests().row("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", {std::string(name)}).has_value();
    };
    CHECK(index_exists("cases_open_overdue"));
    CHECK_FALSE(index_exists("console_cases_open"));
    f.add("ana", "admin", {});
    SiteScope admin = site_scope(f.viewer("ana"));
    check_overview_matches(*f.store, admin, kNow);
    auto sg01 = f.store->site_overview(admin, "SG01", kNow);
    CHECK(sg01.open_repairs + sg01.open_complaints == plain_counts(f.store->db_for_tests(), "SG01", kNow).open_repairs +
                                                          plain_counts(f.store->db_for_tests(), "SG01", kNow).open_complaints);
    CHECK(sg01.open_repairs > 0);
    CHECK(sg01.overdue_repairs > 0);
    // Opened once more, nothing is counted twice.
    REQUIRE(headoffice::HeadOfficeStore::open(f.where).ok());
    check_overview_matches(*f.store, admin, kNow);
    // And new cases after the migration are counted by the triggers.
    f.store->db_for_tests().exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, status) "
                                 "VALUES ('SG01', 'N1', 'n1', 'repair', 'plumbing', ?, 'registered')", {kNow});
    CHECK(f.store->site_overview(admin, "SG01", kNow).open_repairs == sg01.open_repairs + 1);
}

TEST_CASE("recount-cases makes the open-case counts again from the cases after cases were written with the counting triggers off, and names the counts that were wrong",
          "[console][overview][recount]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    ConsoleFixture f(backend);
    f.add("ana", "admin", {});
    SiteScope admin = site_scope(f.viewer("ana"));
    auto& db = f.store->db_for_tests();
    bool postgres = backend == "postgresql";
    int n = 0;
    auto file = [&](const char* site, const char* kind, bool open) {
        db.exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, done_by, done_at, status) "
                "VALUES (?, ?, ?, ?, 'plumbing', ?, ?, ?, 'registered')",
                {std::string(site), "T" + std::to_string(++n), "r" + std::to_string(n), std::string(kind), kNow - 86400, kNow - 60,
                 open ? headoffice::SqlParam{nullptr} : headoffice::SqlParam{kNow - 10}});
    };
    for (int i = 0; i < 6; ++i) file("SG01", "repair", i % 3 != 0);  // 4 open, counted as they go in
    file("SG02", "complaint", true);
    auto open_repairs = f.store->site_overview(admin, "SG01", kNow).open_repairs;
    REQUIRE(open_repairs == 4);
    REQUIRE(f.sync_store->recount_case_counts().empty());  // nothing wrong yet
    // Written behind the triggers' back: PostgreSQL's triggers switched off for a data-only restore
    // (SQLite has no switch: its count rows edited by hand instead), and one count simply wrong.
    if (postgres) {
        db.script("ALTER TABLE cases DISABLE TRIGGER USER");
        for (int i = 0; i < 3; ++i) file("SG02", "complaint", true);
        db.script("ALTER TABLE cases ENABLE TRIGGER USER");
        db.exec("INSERT INTO case_counts (site, kind, open_count) VALUES ('SG01', 'repair', 5)");
    } else {
        for (int i = 0; i < 3; ++i) file("SG02", "complaint", true);
        db.exec("UPDATE case_counts SET open_count = open_count - 3 WHERE site = 'SG02' AND kind = 'complaint'");
        db.exec("UPDATE case_counts SET open_count = open_count + 5 WHERE site = 'SG01' AND kind = 'repair'");
    }
    REQUIRE(f.store->site_overview(admin, "SG01", kNow).open_repairs == open_repairs + 5);
    REQUIRE(f.store->site_overview(admin, "SG02", kNow).open_complaints == 1);
    auto wrong = f.sync_store->recount_case_counts();
    REQUIRE(wrong.size() == 2);
    CHECK(wrong[0].site == "SG01");
    CHECK(wrong[0].kind == "repair");
    CHECK(wrong[0].was == 9);
    CHECK(wrong[0].is == 4);
    CHECK(wrong[1].site == "SG02");
    CHECK(wrong[1].kind == "complaint");
    CHECK(wrong[1].was == 1);
    CHECK(wrong[1].is == 4);
    check_overview_matches(*f.store, admin, kNow);
    CHECK(f.sync_store->recount_case_counts().empty());
    // The triggers go on counting after a recount.
    file("SG01", "repair", true);
    CHECK(f.store->site_overview(admin, "SG01", kNow).open_repairs == 5);
    CHECK(f.sync_store->recount_case_counts().empty());
}

TEST_CASE("lobby-headoffice recount-cases says which counts it corrected, or that all were right, and makes no store out of a mistyped path",
          "[console][overview][recount][cli]") {
    ConsoleFixture f("sqlite");
    auto& db = f.store->db_for_tests();
    db.exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, status) "
            "VALUES ('SG01', 'T1', 'r1', 'repair', 'plumbing', ?, 'registered')",
            {kNow});
    db.exec("UPDATE case_counts SET open_count = 7 WHERE site = 'SG01' AND kind = 'repair'");
    std::string ho = LOBBY_HEADOFFICE;
    auto [rc1, out1] = test::run_command(ho + " recount-cases --db " + f.where);
    CHECK(rc1 == 0);
    CHECK(out1.find("SG01 repair: 7 open cases counted, 1 open") != std::string::npos);
    CHECK(out1.find("1 open-case counts corrected") != std::string::npos);
    auto [rc2, out2] = test::run_command(ho + " recount-cases --db " + f.where);
    CHECK(rc2 == 0);
    CHECK(out2.find("every open-case count was right") != std::string::npos);
    auto missing = (f.dir.path / "no-such.db").string();
    auto [rc3, out3] = test::run_command(ho + " recount-cases --db " + missing);
    CHECK(rc3 == 1);
    CHECK(out3.find("no head-office store at") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(missing));
}

TEST_CASE("an announcement's texts are capped in characters as the writer sees them: 1000 characters of Chinese are published, one more is named beside its field with everything typed kept",
          "[console][announcements]") {
    ConsoleFixture f("sqlite");
    f.add("vic", "manager", {"SG01"});
    Viewer vic = f.viewer("vic");
    auto post = [&](const Form& form) {
        Form q;
        PageIn in{*f.store, vic, kNow, q, form, "10.0.0.9", "", f.sync_store.get(), "1"};
        return announcements_post(in, "publish");
    };
    auto repeat = [](const std::string& s, int n) {
        std::string out;
        for (int i = 0; i < n; ++i) out += s;
        return out;
    };
    // 999 characters and a line break as the browser sends it (CR LF, counted as one): 1000.
    std::string body = repeat("停", 499) + "\r\n" + repeat("水", 500), title = repeat("通", 200);
    Form form{{"title.zh-CN", title}, {"body.zh-CN", body}, {"s:SG01", "1"}, {"starts_on", "2026-11-22"}, {"ends_on", "2026-12-31"}};
    // The form tells the browser the same caps, in characters.
    Form none;
    std::string blank = announcements_page(PageIn{*f.store, vic, kNow, none, none, "10.0.0.9", "", f.sync_store.get(), "1"}).body.str();
    CHECK(blank.find(R"(maxlength="1000" id="a-body.zh-CN")") != std::string::npos);
    CHECK(blank.find(R"(maxlength="200" id="a-title.zh-CN")") != std::string::npos);

    SECTION("at the caps it is published, and the kiosks' site-data limits take it") {
        PageOut out = post(form);
        INFO(out.body.str());
        CHECK(out.redirect.find("done=published") != std::string::npos);
        bool found = false;
        for (auto& row : f.sync_store->announcements(SiteScope::everything(), "SG01")) {
            auto text = row.body["body"].value("zh-CN", std::string());
            if (text.rfind("停停", 0) != 0) continue;
            found = true;
            CHECK(text == repeat("停", 499) + "\n" + repeat("水", 500));
            CHECK(utf8_length(text) == 1000);
            CHECK(text.size() <= kMaxDatasetFieldBytes);  // 3000 bytes: a byte cap of 1 KB took a third of it
        }
        CHECK(found);
    }
    SECTION("one character more is refused, named beside its field, and the form comes back with all that was typed") {
        Form longer = form;
        longer["body.zh-CN"] = body + "。";
        longer["title.en"] = "Water off on Friday";
        PageOut out = post(longer);
        std::string page = out.body.str();
        CHECK(out.redirect.empty());
        CHECK(page.find("The text (简体中文) is 1001 characters long; at most 1000 are taken") != std::string::npos);
        CHECK(page.find(repeat("停", 499) + "\n" + repeat("水", 500) + "。</textarea>") != std::string::npos);
        CHECK(page.find("value=\"" + title + "\"") != std::string::npos);
        CHECK(page.find("value=\"Water off on Friday\"") != std::string::npos);
        CHECK(page.find("2026-12-31") != std::string::npos);
        Form long_title = form;
        long_title["title.zh-CN"] = title + "知";
        CHECK(post(long_title).body.str().find("The title (简体中文) is 201 characters long; at most 200 are taken") != std::string::npos);
        // Bytes that are not UTF-8 are named too, not counted as characters.
        Form bad = form;
        bad["title.en"] = "\xff\xfe";
        CHECK(post(bad).body.str().find("The title (English) is not UTF-8 text") != std::string::npos);
        for (auto& row : f.sync_store->announcements(SiteScope::everything(), "SG01"))
            CHECK(row.body["body"].value("zh-CN", std::string()).rfind("停停", 0) != 0);  // nothing was published
    }
}
