// The console's changes reach a real kiosk (issue #16): a kiosk store with its real sync worker
// files a repair and pulls from the real head-office server, which also serves the console. The
// case is assigned, marked done and closed through the console's forms over HTTP (signed in, with
// the form token), and an urgent announcement is published there; after the next pull the kiosk's
// "my requests" says closed and the announcements its home screen reads hold the notice, urgent.
// (The banner's picture is the browser test's: tests/console/test_console.py runs the lobby-kiosk
// binary with --sync-once and checks its capture.)
#include <catch2/catch.hpp>

#include <httplib.h>

#include <regex>

#include "headoffice_fixture.hpp"
#include "run_command.hpp"
#include "sync/server/console/console.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

// A signed-in console client: its cookie and form token.
struct ConsoleClient {
    httplib::Client cli;
    httplib::Headers cookie;
    std::string csrf;

    explicit ConsoleClient(int port) : cli("127.0.0.1", port) {
        auto form = cli.Get("/console/sign-in");
        REQUIRE(form);
        std::smatch m;
        std::string body = form->body;
        REQUIRE(std::regex_search(body, m, std::regex(R"(name="csrf" value="([0-9a-f]+)\")")));
        std::string pre = form->get_header_value("Set-Cookie");
        auto in = cli.Post("/console/sign-in", {{"Cookie", pre.substr(0, pre.find(';'))}},
                           "csrf=" + m[1].str() + "&name=clerk-a&password=clerk+a+password", "application/x-www-form-urlencoded");
        REQUIRE(in);
        REQUIRE(in->status == 303);
        std::string session = in->get_header_value("Set-Cookie");
        cookie = {{"Cookie", session.substr(0, session.find(';'))}};
        auto page = cli.Get("/console/cases", cookie);
        REQUIRE(page);
        body = page->body;
        REQUIRE(std::regex_search(body, m, std::regex(R"(name="csrf" value="([0-9a-f]+)\")")));
        csrf = m[1].str();
    }
    // A form POST; the answer's Location (a 303), or "" and a failed check.
    std::string post(const std::string& path, const httplib::Params& fields) {
        httplib::Params all = fields;
        all.emplace("csrf", csrf);
        auto r = cli.Post(path.c_str(), cookie, all);
        REQUIRE(r);
        CHECK(r->status == 303);
        return r->get_header_value("Location");
    }
};

}  // namespace

TEST_CASE("a case closed and an urgent notice published in the console reach the kiosk at its next pull", "[console][sync]") {
    test::HeadOffice ho("sqlite");
    ho.stop();  // served again below, with the console mounted
    auto console = headoffice::console::ConsoleStore::open(ho.where);
    REQUIRE(console.ok());
    headoffice::console::StaffUser clerk{"clerk-a", "clerk", false, {"SG01"}, false, 0};
    REQUIRE(console.value()->add_user(clerk, "clerk a password", "test", "test").ok());
    headoffice::console::ConsoleOptions options;
    options.data = ho.store.get();
    headoffice::Server server(*ho.store, {}, nullptr, 16,
                              [&](httplib::Server& http) { headoffice::console::mount_console(http, *console.value(), options); });
    int port = server.bind("127.0.0.1", 0);
    REQUIRE(port > 0);
    std::thread serving([&] { server.run(); });
    REQUIRE(test::wait_until([&] { return server.running(); }, 10s));
    std::string url = "http://127.0.0.1:" + std::to_string(port);

    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    std::string ticket = test::file_repair(*kiosk, RepairUrgency::Appointment, test::test_wall_clock());
    auto worker = test::start_sync(dir.path / "kiosk.db", "K1", url, ho.enrol("K1"));
    REQUIRE(worker->wait_synced(20s));
    auto status_at_kiosk = [&] {
        for (auto& c : kiosk->cases().household_cases("B1-101"))
            if (c.ticket == ticket) return std::string(case_status_id(c.status));
        return std::string();
    };
    REQUIRE(status_at_kiosk() == "registered");

    ConsoleClient web(port);
    CHECK(web.post("/console/case/assign", {{"site", "SG01"}, {"ticket", ticket}, {"worker", "王师傅"}}).find("done=assign") != std::string::npos);
    CHECK(web.post("/console/case/status", {{"site", "SG01"}, {"ticket", ticket}, {"status", "done"}}).find("done=status") != std::string::npos);
    CHECK(web.post("/console/case/close", {{"site", "SG01"}, {"ticket", ticket}, {"result", "fuse replaced"}}).find("done=close") !=
          std::string::npos);
    CHECK(web.post("/console/announcements/publish", {{"title.zh-CN", "停电通知"}, {"body.zh-CN", "今晚 22:00 停电"}, {"s:SG01", "1"},
                                                      {"urgent", "1"}, {"starts_on", "2026-01-01"}, {"ends_on", "2099-12-31"}})
              .find("done=published") != std::string::npos);

    worker->wake();
    REQUIRE(worker->wait_synced(20s));
    REQUIRE(test::wait_until([&] { return status_at_kiosk() == "closed"; }, 20s));
    // What the home screen draws its banner from: the store's announcements of the day.
    bool urgent_at_kiosk = false;
    for (const Announcement& a : kiosk->datasets().announcements("2026-11-22"))
        if (a.id.rfind("HO-", 0) == 0) urgent_at_kiosk = a.urgent && a.title.in(Lang::ZhCN) == "停电通知";
    CHECK(urgent_at_kiosk);

    server.stop();
    serving.join();
}

// `lobby-kiosk --sync-once S` (what the browser test's kiosk capture rests on), on its own: the
// real binary, headless, against the real head-office server. The script sees what only a pull
// brings (head office's notice differs from the kiosk's own site file), and the repair the script
// files reaches head office before the program exits. With nobody listening it gives up within S
// seconds, names the address, and plays no step of the script.
TEST_CASE("lobby-kiosk --sync-once pulls before a script and pushes what the script filed after it", "[sync][kiosk]") {
    test::HeadOffice ho("sqlite");
    nlohmann::json site = test::demo_site();
    REQUIRE(site["announcements"][0]["id"] == "A-2026-031");
    site["announcements"][0]["title"]["zh-CN"] = "总部更新的停水通知";
    REQUIRE(ho.store->import_site("SG01", site).ok());
    int64_t repairs_before = ho.store->record_count("SG01", "repair.request");

    test::TempDir dir;
    std::ofstream(dir.path / "run.kiosk") << "expect-screen home\n"
                                             "tap home.tile.announcements\n"
                                             "tap announcements.item.0\n"
                                             "expect-text 总部更新的停水通知\n"
                                             "tap nav.home\n"
                                             "tap home.tile.repairs\n"
                                             "tap verify.building.B1\n"
                                             "tap verify.unit.B1-102\n"
                                             "type 11021102\n"
                                             "tap verify.submit\n"
                                             "tap repair.category.water\n"
                                             "tap repair.urgency.emergency\n"
                                             "tap repair.next\n"
                                             "tap repair.location.own\n"
                                             "tap repair.next\n"
                                             "tap keyboard.mode\n"
                                             "type leak\n"
                                             "tap repair.next\n"
                                             "tap repair.contact.0\n"
                                             "tap repair.next\n"
                                             "tap repair.submit\n"
                                             "expect-text BX-SG01-261122-K1-001\n"
                                             "tap repair.done\n";
    auto kiosk = [&](const std::string& url, const std::string& more) {
        return test::run_command("'" KIOSK_BIN "' --headless --assets '" KIOSK_ASSETS "' --site '" KIOSK_DEMO_SITE "' --data '" +
                                 (dir.path / "data").string() + "' --now '2026-11-22 09:30' --script '" +
                                 (dir.path / "run.kiosk").string() + "' --headoffice " + url + " " + more);
    };

    SECTION("head office answers") {
        auto [rc, out] = kiosk(ho.url(), "--enrol " + ho.enrol("K1") + " --sync-once 20");
        INFO(out);
        REQUIRE(rc == 0);
        CHECK(ho.store->record_count("SG01", "repair.request") == repairs_before + 1);
    }
    SECTION("nobody listens") {
        int port = ho.port;
        ho.stop();
        std::string url = "http://127.0.0.1:" + std::to_string(port);
        auto t0 = std::chrono::steady_clock::now();
        auto [rc, out] = kiosk(url, "--enrol " + ho.enrol("K1") + " --sync-once 2");
        INFO(out);
        CHECK(rc != 0);
        CHECK(out.find("no sync with " + url + " within 2 s") != std::string::npos);
        CHECK(std::chrono::steady_clock::now() - t0 < 30s);  // the 2 s and the program's start, on a loaded machine
        // No step ran: the kiosk's store holds no record of its own.
        auto store = test::open_store(dir.path / "data" / "kiosk.db");
        CHECK(store->outbox().last_record_seq() == 0);
    }
}
