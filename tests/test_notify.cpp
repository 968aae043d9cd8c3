// Texts to households are durable (issue #13 B11): written into head office's notification
// outbox in the same transaction as the parcel that asks for one, sent after the commit, tried
// again when the sender fails, given up visibly, and never sent twice by two head-office
// processes. The webhook sender is tried by the real `lobby-headoffice serve` against a listener
// on loopback that fails, times out and then accepts.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "headoffice_fixture.hpp"
#include "run_command.hpp"
#include "headoffice_process.hpp"
#include "wait_for.hpp"

using namespace kiosk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using headoffice::IncomingRecord;

namespace {

IncomingRecord parcel_record(int n, const std::string& unit = "B1-102") {
    char id[48], parcel[16], code[8];
    std::snprintf(id, sizeof id, "SG01-K1-notify-%06d", n);
    std::snprintf(parcel, sizeof parcel, "P2611K1%04d", n);
    std::snprintf(code, sizeof code, "%06d", 100000 + n);
    return {id, "parcel.registered", "2026-11-22T01:00:00Z", 1, n,
            nlohmann::json{{"parcel_id", parcel}, {"pickup_code", code}, {"tracking", std::string("SF") + parcel}, {"carrier", "sf"},
                           {"unit", unit}, {"shelf", "A1"}, {"consent", true}, {"registered_at", 1795320000}, {"notify", "parcel_arrived"}}};
}

// A sender that fails as told, then keeps what it is given.
struct ScriptedSender : headoffice::NotificationSender {
    std::vector<std::string> script;  // per call: "throw", "retry", "refuse", anything else delivers
    std::vector<std::string> delivered;
    size_t calls = 0;
    Result<Ok> send(const headoffice::OutgoingNotification& n) override {
        std::string what = calls < script.size() ? script[calls] : "ok";
        ++calls;
        if (what == "throw") throw std::runtime_error("the gateway's client threw");
        if (what == "retry") return Error{"notify.retry", "HTTP 503"};
        if (what == "refuse") return Error{"notify.refused", "HTTP 400"};
        delivered.push_back(n.id);
        return Ok{};
    }
    std::string describe() const override { return "the test"; }
};

std::string state_of(headoffice::HeadOfficeStore& s, const std::string& id) {
    for (auto& n : s.notifications("", "", INT64_MAX / 2, 1000))
        if (n.id == id) return n.state;
    return "(none)";
}

headoffice::RetryPolicy fast() {
    headoffice::RetryPolicy p;
    p.first_s = 0;  // due again at once: the test decides when to run
    p.max_attempts = 3;
    return p;
}

}  // namespace

TEST_CASE("a parcel's text is queued with the parcel, survives a sender that throws, and is sent once", "[notify]") {
    std::string backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice ho(backend);
    auto& store = *ho.store;
    std::vector<IncomingRecord> batch{parcel_record(1), parcel_record(2)};
    batch.push_back({"SG01-K1-notify-enq", "enquiry.question", "2026-11-22T01:00:00Z", 1, 3,
                     {{"ticket", "ZX-SG01-261122-K1-1"}, {"question", "停车费怎么交？"}, {"asked_at", 1795320000}}});
    auto pushed = store.push("SG01", "K1", batch);
    REQUIRE(pushed.ok());
    REQUIRE(pushed.value().stored.size() == 3);
    CHECK(pushed.value().queued_notifications == 2);  // the enquiry asks for no text
    // The same batch again (its ack was lost): no second text.
    REQUIRE(store.push("SG01", "K1", batch).value().queued_notifications == 0);
    CHECK(store.notifications("SG01", "pending", 0, 100).size() == 2);

    ScriptedSender sender;
    sender.script = {"throw", "retry"};
    headoffice::NotifyDispatcher d(store, sender, fast());
    CHECK(d.run_once() == 2);  // both tried, both failed: nothing lost
    CHECK(sender.delivered.empty());
    auto rows = store.notifications("SG01", "pending", 0, 100);
    REQUIRE(rows.size() == 2);
    for (auto& r : rows) {
        CHECK(r.attempts == 1);
        CHECK_FALSE(r.last_error.empty());
    }
    CHECK(d.run_once() == 2);
    CHECK(sender.delivered.size() == 2);
    CHECK(d.run_once() == 0);  // sent ones are not sent again
    CHECK(state_of(store, batch[0].id) == "sent");
    CHECK(state_of(store, batch[1].id) == "sent");
    CHECK(store.notifications("SG01", "sent", 0, 100).size() == 2);
}

TEST_CASE("a text the receiver refuses, or that keeps failing, is given up and shown, and can be put back", "[notify]") {
    test::HeadOffice ho;
    auto& store = *ho.store;
    REQUIRE(store.push("SG01", "K1", {parcel_record(1), parcel_record(2)}).ok());
    ScriptedSender sender;
    sender.script = {"refuse", "retry", "retry", "retry"};  // #1 refused at once; #2 fails three times
    headoffice::NotifyDispatcher d(store, sender, fast());
    while (d.run_once() > 0) {
    }
    auto failed = store.notifications("SG01", "failed", 0, 100);
    REQUIRE(failed.size() == 2);
    std::map<int, std::string> by_tries;
    for (auto& f : failed) by_tries[f.attempts] = f.last_error;
    CHECK(by_tries[1] == "HTTP 400");
    CHECK(by_tries[3] == "HTTP 503");
    CHECK(sender.delivered.empty());
    // The desk fixed the gateway: the texts go back in the queue and are sent.
    CHECK(store.retry_failed_notifications("SG01", 0) == 2);
    while (d.run_once() > 0) {
    }
    CHECK(sender.delivered.size() == 2);
    CHECK(store.notifications("SG01", "failed", 0, 100).empty());
}

TEST_CASE("two head-office processes on one PostgreSQL send each text once", "[notify][conflicts]") {
    test::HeadOffice a("postgresql");
    auto b_store = headoffice::HeadOfficeStore::open(a.where).value();
    std::vector<IncomingRecord> batch;
    for (int i = 1; i <= 60; ++i) batch.push_back(parcel_record(i));
    REQUIRE(a.store->push("SG01", "K1", batch).value().queued_notifications == 60);
    ScriptedSender sa, sb;
    headoffice::RetryPolicy p = fast();
    p.batch = 5;
    headoffice::NotifyDispatcher da(*a.store, sa, p), db(*b_store, sb, p);
    std::thread ta([&] { while (da.run_once() > 0) {} });
    std::thread tb([&] { while (db.run_once() > 0) {} });
    ta.join();
    tb.join();
    std::multiset<std::string> all(sa.delivered.begin(), sa.delivered.end());
    all.insert(sb.delivered.begin(), sb.delivered.end());
    CHECK(all.size() == 60);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 60);
    CHECK(a.store->notifications("SG01", "sent", 0, 1000).size() == 60);
}

namespace {

// A gateway on loopback: answers 500, then hangs past the sender's timeout, then accepts;
// keeps what it accepted and the headers it came with.
struct Gateway {
    httplib::Server http;
    std::thread thread;
    int port = 0;
    std::mutex m;
    std::condition_variable cv;
    bool releasing = false;
    std::vector<std::string> plan;  // per request: "500", "hang", "400", "200"
    size_t calls = 0;
    struct Got {
        std::string body, id, signature;
    };
    std::vector<Got> accepted;

    Gateway() {
        http.Post("/sms", [this](const httplib::Request& req, httplib::Response& res) {
            std::unique_lock lock(m);
            std::string what = calls < plan.size() ? plan[calls] : "200";
            ++calls;
            if (what == "hang") {
                cv.wait_for(lock, 5s, [this] { return releasing; });
                res.status = 200;  // too late: the sender gave up
                return;
            }
            res.status = std::stoi(what);
            if (res.status == 200)
                accepted.push_back({req.body, req.get_header_value("X-Lobby-Id"), req.get_header_value("X-Lobby-Signature")});
            res.set_content(R"({"echo":"B1-102 138****5678"})", "application/json");
        });
        port = http.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { http.listen_after_bind(); });
    }
    ~Gateway() {
        {
            std::lock_guard lock(m);
            releasing = true;
            cv.notify_all();
        }
        http.stop();
        thread.join();
    }
    size_t seen() {
        std::lock_guard lock(m);
        return calls;
    }
};

std::string first_line(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s.substr(0, s.find('\n'));
}

}  // namespace

TEST_CASE("the webhook sender: a gateway that fails, then times out, then accepts gets the text once, signed", "[notify][webhook]") {
    test::TempDir dir;
    std::string db = (dir.path / "ho.db").string(), ho = LOBBY_HEADOFFICE;
    REQUIRE(test::run_command(ho + " import --db " + db + " --site-id SG01 " + KIOSK_DEMO_SITE).first == 0);
    auto [rc, code] = test::run_command(ho + " add-kiosk --db " + db + " --site-id SG01 --kiosk K1");
    REQUIRE(rc == 0);
    fs::path secret_file = dir.path / "webhook.secret";
    const std::string kSecret = "gateway-shared-secret-0123456789";
    {
        std::ofstream(secret_file) << kSecret << "\n";
    }
    // A secret file others can read is refused, naming the file.
    ::chmod(secret_file.c_str(), 0644);
    Gateway gw;
    std::string url = "http://127.0.0.1:" + std::to_string(gw.port) + "/sms";
    auto [bad_rc, bad_out] = test::run_command(ho + " serve --db " + db + " --listen 127.0.0.1:0 --webhook-url " + url +
                                               " --webhook-secret-file " + secret_file.string());
    CHECK(bad_rc == 1);
    CHECK(bad_out.find("can be read by others; chmod 600 it") != std::string::npos);
    ::chmod(secret_file.c_str(), 0600);

    gw.plan = {"500", "hang", "200"};
    test::ServeProcess serve(LOBBY_HEADOFFICE, db, dir.path / "serve.log",
                       {"--webhook-url", url, "--webhook-secret-file", secret_file.string(), "--webhook-timeout-ms", "500",
                        "--notify-retry-s", "0.05"});
    httplib::Client c("127.0.0.1", serve.port());
    auto enrolled = c.Post("/v1/register", nlohmann::json{{"site", "SG01"}, {"kiosk", "K1"}, {"enrol_code", first_line(code)}}.dump(),
                           "application/json");
    REQUIRE(enrolled);
    REQUIRE(enrolled->status == 200);
    std::string secret = nlohmann::json::parse(enrolled->body)["secret"];
    IncomingRecord r = parcel_record(7);
    nlohmann::json push{{"protocol", 1},
                        {"records", {{{"id", r.id}, {"type", r.type}, {"schema_version", 1}, {"created_at", r.created_at},
                                      {"local_seq", r.local_seq}, {"payload", r.payload}}}}};
    auto stored = test::signed_post(serve.port(), secret, push.dump(), std::time(nullptr), "webhook-nonce-1");
    REQUIRE(stored);
    REQUIRE(stored->status == 200);

    REQUIRE(test::wait_until([&] { return gw.seen() >= 3; }, 20s));
    REQUIRE(test::wait_until(
        [&] { return test::run_command(ho + " notifications --db " + db + " --state sent --json").second.find(r.id) != std::string::npos; },
        10s));
    std::lock_guard lock(gw.m);
    REQUIRE(gw.accepted.size() == 1);
    auto& got = gw.accepted[0];
    CHECK(got.id == r.id);
    auto body = nlohmann::json::parse(got.body);
    CHECK(body["unit"] == "B1-102");
    CHECK(body["kind"] == "parcel_arrived");
    CHECK(body["detail"]["pickup_code"] == r.payload["pickup_code"]);
    // X-Lobby-Signature: t=<unix>,v1=HMAC-SHA256(secret, "<t>." + body)
    std::smatch m;
    REQUIRE(std::regex_match(got.signature, m, std::regex("t=(\\d+),v1=([0-9a-f]{64})")));
    CHECK(m[2] == sync::hmac_sha256_hex(kSecret, std::string(m[1]) + "." + got.body));
    auto shown = nlohmann::json::parse(first_line(test::run_command(ho + " notifications --db " + db + " --json").second));
    CHECK(shown["state"] == "sent");
    CHECK(shown["attempts"] == 3);
    // What the log says about the failures: the text's id and why, never its unit or code.
    std::string log = serve.output();
    CHECK(log.find("webhook answered HTTP 500") != std::string::npos);
    CHECK(log.find("Timeout was reached") != std::string::npos);
    CHECK(log.find(r.payload["pickup_code"].get<std::string>()) == std::string::npos);
    CHECK(log.find(kSecret) == std::string::npos);
}

TEST_CASE("notifications at the command line: a refused text is shown as failed with its reason and goes back with --retry-failed", "[notify][cli]") {
    test::TempDir dir;
    std::string db = (dir.path / "ho.db").string(), ho = LOBBY_HEADOFFICE;
    {
        auto store = headoffice::HeadOfficeStore::open(db).value();
        REQUIRE(store->push("SG01", "K1", {parcel_record(1), parcel_record(2, "B2-301")}).ok());
        ScriptedSender sender;
        sender.script = {"refuse", "ok"};
        headoffice::NotifyDispatcher d(*store, sender, fast());
        while (d.run_once() > 0) {
        }
    }
    auto [rc, text] = test::run_command(ho + " notifications --db " + db + " --state failed");
    CHECK(rc == 0);
    INFO(text);
    CHECK(text.find("failed") == 0);
    CHECK(text.find("last error: HTTP 400") != std::string::npos);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    auto [rc2, all] = test::run_command(ho + " notifications --db " + db);
    CHECK(std::count(all.begin(), all.end(), '\n') == 2);
    CHECK(test::run_command(ho + " notifications --db " + db + " --retry-failed").second == "1 texts back in the queue\n");
    CHECK(test::run_command(ho + " notifications --db " + db + " --state pending").second.find("parcel_arrived") != std::string::npos);
    auto [rc3, out3] = test::run_command(ho + " notifications --db " + db + " --state lost");
    CHECK(rc3 != 0);
    CHECK(out3.find("--state") != std::string::npos);
}
