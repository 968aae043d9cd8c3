// console-bench: how long the head-office console takes to answer a page over loopback, signed in,
// through the same server, routes and store as `lobby-headoffice serve`. A program that prints
// figures, not a test (packaging/dev.sh bench runs it).
//
//   console_empty_page_ms  the Overview of a store with the demo site and 2 kiosks (median of 200;
//                          p95 beside it), SQLite, and PostgreSQL when its server is installed
//   console_fleet_page_ms  the Fleet page of the same store
//   console_overview_100k_cases_ms  then with 20 sites of 10 kiosks and 100 000 open cases (a fifth
//                          past their deadline): the Overview (20 sites on its page) and the Fleet
//   console_cases_page_ms  the Cases list at 100 000 cases: first page of every site by due time
//   console_overview_100k_cases_vacuumed_ms (postgresql)  the Overview again once the table is
//                          vacuumed, as autovacuum leaves a running store
//
//   console-bench
#include <httplib.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <thread>
#include <vector>

#include <fstream>

#include "pg_server.hpp"
#include "sync/server/console/console.hpp"
#include "sync/server/server.hpp"
#include "wait_for.hpp"

using namespace kiosk;
using Clock = std::chrono::steady_clock;

namespace {

nlohmann::json demo_site() {
    std::ifstream in(KIOSK_DEMO_SITE);
    return nlohmann::json::parse(in);
}

struct Figures {
    double median_ms = 0, p95_ms = 0;
};

Figures time_page(httplib::Client& cli, const std::string& path, const httplib::Headers& headers, int n) {
    std::vector<double> ms;
    for (int i = 0; i < n; ++i) {
        auto t0 = Clock::now();
        auto r = cli.Get(path.c_str(), headers);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!r || r->status != 200) throw std::runtime_error(path + " did not answer 200");
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[ms.size() * 95 / 100]};
}

void bench(const std::string& label, const std::string& where) {
    auto store = headoffice::HeadOfficeStore::open(where);
    if (!store) throw std::runtime_error(store.error().detail);
    if (!store.value()->import_site("SG01", demo_site())) throw std::runtime_error("import failed");
    store.value()->add_kiosk("SG01", "K1");
    store.value()->add_kiosk("SG01", "K2");
    auto console = headoffice::console::ConsoleStore::open(where);
    if (!console) throw std::runtime_error(console.error().detail);
    headoffice::console::StaffUser admin{"admin", "admin", true, {}, false, 0};
    if (!console.value()->add_user(admin, "bench password", "bench", "bench")) throw std::runtime_error("add_user failed");
    headoffice::console::ConsoleOptions options;
    options.data = store.value().get();
    headoffice::Server server(*store.value(), {}, nullptr, 16,
                              [&](httplib::Server& http) { headoffice::console::mount_console(http, *console.value(), options); });
    int port = server.bind("127.0.0.1", 0);
    std::thread serving([&] { server.run(); });
    test::wait_until([&] { return server.running(); }, std::chrono::seconds(10));

    httplib::Client cli("127.0.0.1", port);
    cli.set_keep_alive(true);
    auto form = cli.Get("/console/sign-in");
    std::smatch m;
    std::string body = form ? form->body : "";
    if (!form || !std::regex_search(body, m, std::regex(R"(name="csrf" value="([0-9a-f]+)\")")))
        throw std::runtime_error("no sign-in form");
    std::string pre = form->get_header_value("Set-Cookie");
    pre = pre.substr(0, pre.find(';'));
    auto in = cli.Post("/console/sign-in", {{"Cookie", pre}}, "csrf=" + m[1].str() + "&name=admin&password=bench+password",
                       "application/x-www-form-urlencoded");
    if (!in || in->status != 303) throw std::runtime_error("sign-in failed");
    std::string session = in->get_header_value("Set-Cookie");
    httplib::Headers headers{{"Cookie", session.substr(0, session.find(';'))}};
    time_page(cli, "/console/overview", headers, 20);  // warm: connections, prepared statements
    auto overview = time_page(cli, "/console/overview", headers, 200);
    auto fleet = time_page(cli, "/console/fleet", headers, 200);
    std::printf("console_empty_page_ms%s: %.2f (p95 %.2f)\n", label.c_str(), overview.median_ms, overview.p95_ms);
    std::printf("console_fleet_page_ms%s: %.2f (p95 %.2f)\n", label.c_str(), fleet.median_ms, fleet.p95_ms);
    std::fflush(stdout);

    // The estate at scale: cases written straight into the table (what pushes would leave there).
    auto& db = console.value()->db_for_tests();
    for (int site = 2; site <= 20; ++site)
        for (int k = 1; k <= 10; ++k) store.value()->add_kiosk("SG" + std::to_string(site + 100).substr(1), "K" + std::to_string(k));
    for (int k = 3; k <= 10; ++k) store.value()->add_kiosk("SG01", "K" + std::to_string(k));
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    {
        headoffice::SqlWrite tx(db, "");
        for (int i = 0; i < 100000; ++i) {
            std::string site = "SG" + std::to_string(i % 20 + 101).substr(1);
            int64_t filed = now - 86400 * (i % 30);
            db.exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, on_site_by, done_by, reply_by, status, due_at) "
                    "VALUES (?, ?, ?, ?, 'plumbing', ?, ?, ?, ?, 'registered', ?)",
                    {site, "T" + std::to_string(i), "r" + std::to_string(i), std::string(i % 2 ? "repair" : "complaint"), filed,
                     i % 5 == 0 ? filed + 3600 : now + 86400, now + 86400 * 3, i % 5 == 0 ? filed + 3600 : now + 86400,
                     i % 5 == 0 ? filed + 3600 : now + 86400});
        }
        tx.commit();
    }
    auto big_overview = time_page(cli, "/console/overview", headers, 50);
    auto big_fleet = time_page(cli, "/console/fleet", headers, 50);
    auto cases = time_page(cli, "/console/cases", headers, 50);
    auto overdue = time_page(cli, "/console/cases?site=SG01&overdue=1&page=20", headers, 50);
    std::printf("console_overview_100k_cases_ms%s: %.2f (p95 %.2f; 20 sites on the page)\n", label.c_str(), big_overview.median_ms,
                big_overview.p95_ms);
    std::printf("console_fleet_200_kiosks_page_ms%s: %.2f (p95 %.2f; 25 of 200 on the page)\n", label.c_str(), big_fleet.median_ms,
                big_fleet.p95_ms);
    std::printf("console_cases_page_ms%s: %.2f (p95 %.2f; 100 000 cases, the first page of all sites by due time)\n", label.c_str(),
                cases.median_ms, cases.p95_ms);
    std::printf("console_cases_overdue_page_ms%s: %.2f (p95 %.2f; one site's overdue, page 20)\n", label.c_str(), overdue.median_ms,
                overdue.p95_ms);
    std::fflush(stdout);
    // PostgreSQL right after the load above has not yet marked the new rows visible to all (its
    // autovacuum does, within a minute or so): an index-only scan still visits the table for each
    // row. As a store that has been running is, once vacuumed:
    if (std::string_view(db.dialect()) == "postgresql") {
        db.script("VACUUM ANALYZE cases");
        auto settled = time_page(cli, "/console/overview", headers, 50);
        std::printf("console_overview_100k_cases_vacuumed_ms%s: %.2f (p95 %.2f; after VACUUM ANALYZE cases)\n", label.c_str(), settled.median_ms,
                    settled.p95_ms);
        std::fflush(stdout);
    }
    server.stop();
    serving.join();
}

}  // namespace

int main() {
    spdlog::set_level(spdlog::level::warn);  // the access log of 800 requests is not the figure
    try {
        char tmpl[] = "/tmp/console-bench-XXXXXX";
        if (!::mkdtemp(tmpl)) throw std::runtime_error("cannot make a scratch folder");
        std::filesystem::path dir = tmpl;
        bench("", (dir / "headoffice.db").string());
        std::filesystem::remove_all(dir);
        try {
            bench(" (postgresql)", test::PgServer::shared().new_database());
        } catch (const std::exception& e) {
            std::printf("console_*_page_ms (postgresql): not measured: %s\n", e.what());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "console-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
