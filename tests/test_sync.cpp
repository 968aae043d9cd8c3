// Sync against the real head-office server on loopback: signed pushes stored exactly once,
// pulls by cursor, dead letters, conflicts between kiosks, and a proxy that cuts the network,
// answers 500, delays and loses acks. The store-facing cases run twice: head office on SQLite, and
// on PostgreSQL (a private server the test starts).
#include <catch2/catch.hpp>

#include <httplib.h>

#include <SQLiteCpp/Statement.h>

#include <random>
#include <optional>
#include <set>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/store/probe.hpp"
#include "fault_proxy.hpp"
#include "headoffice_fixture.hpp"
#include "sync/common/protocol.hpp"
#include "wait_for.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

std::string save_n(Store& s, int n, const std::string& type = "repair.request") {
    std::string last;
    for (int i = 0; i < n; ++i) last = s.save_record(type, 1, {{"n", i}, {"unit", "B1-101"}}).value().id;
    return last;
}

int64_t ho_count(test::HeadOffice& ho, const std::string& type) {
    return ho.store->record_count("SG01", type);
}

}  // namespace

TEST_CASE("request signatures: HMAC-SHA256 over method, path, time, nonce and body", "[sync][security]") {
    std::string sig = sync::request_signature("secret", "POST", "/v1/push", 1700000000, "abcd1234", "{}");
    CHECK(sig.size() == 64);
    CHECK(sig == sync::request_signature("secret", "POST", "/v1/push", 1700000000, "abcd1234", "{}"));
    CHECK(sig != sync::request_signature("secret", "POST", "/v1/push", 1700000001, "abcd1234", "{}"));
    CHECK(sig != sync::request_signature("secret", "POST", "/v1/push", 1700000000, "abcd1235", "{}"));
    CHECK(sig != sync::request_signature("secret", "POST", "/v1/push", 1700000000, "abcd1234", "{ }"));
    CHECK(sig != sync::request_signature("secret", "GET", "/v1/push", 1700000000, "abcd1234", "{}"));
    CHECK(sig != sync::request_signature("other!", "POST", "/v1/push", 1700000000, "abcd1234", "{}"));
    CHECK(sync::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("head office refuses unsigned, forged, stale and replayed requests, and enrols a kiosk once", "[sync][security]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    std::string code = ho.enrol("K1");
    httplib::Client c("127.0.0.1", ho.port);
    auto bad_enrol = c.Post("/v1/register", R"({"site":"SG01","kiosk":"K1","enrol_code":"wrong"})", "application/json");
    REQUIRE(bad_enrol);
    CHECK(bad_enrol->status == 403);
    auto enrol = c.Post("/v1/register", nlohmann::json{{"site", "SG01"}, {"kiosk", "K1"}, {"enrol_code", code}}.dump(),
                        "application/json");
    REQUIRE(enrol);
    REQUIRE(enrol->status == 200);
    std::string secret = nlohmann::json::parse(enrol->body)["secret"];
    // Asking again before the secret is used (the kiosk lost power before keeping it): the same one.
    auto again = c.Post("/v1/register", nlohmann::json{{"site", "SG01"}, {"kiosk", "K1"}, {"enrol_code", code}}.dump(),
                        "application/json");
    REQUIRE(again->status == 200);
    CHECK(nlohmann::json::parse(again->body)["secret"] == secret);

    std::string body = R"({"protocol":1,"records":[]})";
    int64_t now = std::time(nullptr);
    auto unsigned_req = c.Post("/v1/push", body, "application/json");
    CHECK(unsigned_req->status == 401);
    CHECK(nlohmann::json::parse(unsigned_req->body)["error"] == "unauthorised");
    CHECK(test::signed_post(ho.port, "not-the-secret-not-the-secret-xx", body, now, "nonce0001")->status == 401);  // forged
    CHECK(test::signed_post(ho.port, secret, body, now - 3600, "nonce0002")->status == 401);                        // stale
    CHECK(test::signed_post(ho.port, secret, body, now, "nonce0003", "SG01/K2")->status == 401);                    // not K2's
    auto ok = test::signed_post(ho.port, secret, body, now, "nonce0004");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    // Once the secret has been used, the enrolment code is spent.
    auto late = c.Post("/v1/register", nlohmann::json{{"site", "SG01"}, {"kiosk", "K1"}, {"enrol_code", code}}.dump(),
                       "application/json");
    CHECK(late->status == 403);
    auto replay = test::signed_post(ho.port, secret, body, now, "nonce0004");  // the same request again
    CHECK(replay->status == 401);
    CHECK(nlohmann::json::parse(replay->body)["message"] == "replayed request");
    // A kiosk may only push its own records.
    std::string other = R"({"protocol":1,"records":[{"id":"SG01-K9-abcdef-00000001","type":"repair.request",)"
                        R"("schema_version":1,"created_at":"2026-11-22T01:00:00Z","local_seq":1,"payload":{}}]})";
    auto foreign = test::signed_post(ho.port, secret, other, now, "nonce0005");
    REQUIRE(foreign->status == 200);
    auto j = nlohmann::json::parse(foreign->body);
    CHECK(j["stored"].empty());
    CHECK(j["rejected"][0]["reason"] == "record id must start with SG01-K1-");
}

TEST_CASE("over https the kiosk checks head office's certificate: an unknown one or another host's is refused, its CA's is trusted", "[sync][security]") {
    test::HeadOffice ho;
    test::TempDir certs;
    std::string cert = (certs.path / "headoffice.pem").string(), key = (certs.path / "headoffice.key").string();
    std::string make = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                       "-subj /CN=lobby-headoffice-test -addext subjectAltName=IP:127.0.0.1 -keyout " +
                       key + " -out " + cert + " >/dev/null 2>&1";
    REQUIRE(std::system(make.c_str()) == 0);
    headoffice::TlsFiles tls{cert, key};
    headoffice::Server https(*ho.store, {}, &tls);
    int port = https.bind("127.0.0.1", 0);
    REQUIRE(port > 0);
    std::thread serving([&] { https.run(); });
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    save_n(*kiosk, 3);
    std::string code = ho.enrol("K1"), at = "https://127.0.0.1:" + std::to_string(port);
    auto refused = [&](const std::string& url, const std::string& ca) {
        auto w = test::start_sync(dir.path / "kiosk.db", "K1", url, code, ca);
        test::wait_until([&] { return !w->snapshot().last_error.empty(); }, 10s);
        return w->snapshot().last_error;
    };
    // The system's CAs do not know this certificate; and it is not localhost's.
    CHECK(refused(at, "").find("certificate") != std::string::npos);
    auto wrong_host = refused("https://localhost:" + std::to_string(port), cert);
    CHECK(wrong_host.find("certificate") != std::string::npos);
    CHECK(wrong_host.find("'localhost'") != std::string::npos);
    CHECK(ho.store->record_count() == 0);
    // With head office's CA the kiosk enrols (the code was never sent before) and syncs.
    auto trusted = test::start_sync(dir.path / "kiosk.db", "K1", at, code, cert);
    REQUIRE(trusted->wait_synced(20s));
    CHECK(ho.store->record_count() == 3);
    https.stop();
    serving.join();
}

TEST_CASE("with the network cut a repair and a parcel wait, and when it is back they reach head office once, and a fee change comes back", "[sync]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    test::FaultProxy net(ho.port);
    net.set_mode(test::FaultProxy::Mode::Refuse);  // the network is down
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    std::time_t now = test::test_wall_clock();
    auto ticket = test::file_repair(*kiosk, RepairUrgency::Emergency, now);
    REQUIRE_FALSE(ticket.empty());
    auto parcel = kiosk->parcels().register_parcel({"SF5000000001", "sf", "B1-101", "A-01"}, now);
    REQUIRE(parcel.ok());

    auto worker = test::start_sync(dir.path / "kiosk.db", "K1", net.url(), ho.enrol("K1"));
    REQUIRE(test::wait_until([&] { return !worker->snapshot().last_error.empty(); }, 10s));
    auto s = worker->snapshot();
    CHECK_FALSE(s.online);
    CHECK(s.outbox == 2);
    CHECK_FALSE(s.last_error.empty());
    CHECK(ho.store->record_count() == 0);

    // Head office records a payment while the kiosk is cut off: one of 1栋 201's unpaid bills.
    nlohmann::json bill, site = test::demo_site();
    for (auto& f : site["fee_items"])
        if (f["unit"] == "B1-201" && (f["paid"] == false || f["paid"] == 0)) bill = f;
    REQUIRE(bill.is_object());
    auto paid_at_kiosk = [&] {
        StoreProbe q_probe(*kiosk);
        SQLite::Statement q(q_probe.connection(), "SELECT paid FROM fee_items WHERE id = ?");
        q.bind(1, bill["id"].get<std::string>());
        return q.executeStep() && q.getColumn(0).getInt() == 1;
    };
    CHECK_FALSE(paid_at_kiosk());
    bill["paid"] = true;
    REQUIRE(ho.store->put_row("SG01", "fee_items", DatasetRow{bill["id"], bill, false}).ok());

    net.set_mode(test::FaultProxy::Mode::Pass);  // the network is back
    REQUIRE(worker->wait_synced(20s));
    CHECK(ho.store->record_count() == 2);
    CHECK(ho_count(ho, "repair.request") == 1);
    CHECK(ho_count(ho, "parcel.registered") == 1);
    CHECK(kiosk->outbox().outbox_depth() == 0);
    CHECK(worker->snapshot().online);
    // Head office has the pickup code to text; the kiosk's copy of the record no longer carries it.
    auto ids = ho.store->record_ids("SG01");
    bool code_at_ho = false;
    for (auto& id : ids)
        if (auto p = ho.store->record_payload(id); p && p->value("pickup_code", "") == parcel.value().pickup_code) code_at_ho = true;
    CHECK(code_at_ho);
    StoreProbe q_probe(*kiosk);
    SQLite::Statement q(q_probe.connection(), "SELECT payload FROM records WHERE type = 'parcel.registered'");
    REQUIRE(q.executeStep());
    CHECK_FALSE(nlohmann::json::parse(q.getColumn(0).getString()).contains("pickup_code"));
    // The payment made at head office shows at the kiosk.
    CHECK(paid_at_kiosk());
    CHECK(kiosk->outbox().pull_cursor("fee_items") > 0);
}

TEST_CASE("lost acks, 500s, delays and a server restart: every record is in head office exactly once", "[sync][faults]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    test::FaultProxy net(ho.port);
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    save_n(*kiosk, 40);
    auto worker = test::start_sync(dir.path / "kiosk.db", "K1", net.url(), ho.enrol("K1"));
    REQUIRE(worker->wait_synced(20s));
    CHECK(ho.store->record_count() == 40);

    // The server commits and the answer is lost, three times over; then two 500s.
    net.set_mode(test::FaultProxy::Mode::CutAnswer, 3);
    save_n(*kiosk, 25);
    worker->wake();
    REQUIRE(test::wait_until([&] { return net.faults() >= 3; }, 20s));
    net.set_mode(test::FaultProxy::Mode::Error500, 2);
    save_n(*kiosk, 10);
    worker->wake();
    REQUIRE(worker->wait_synced(30s));
    CHECK(net.faults() >= 3);
    CHECK(ho.store->record_count() == 75);
    // Someone on the network replays a push the kiosk made: refused, and nothing stored twice.
    std::string seen = net.captured();
    REQUIRE(seen.rfind("POST /v1/push", 0) == 0);
    CHECK(net.replay(seen) == 401);
    CHECK(ho.store->record_count() == 75);
    CHECK(kiosk->outbox().outbox_depth() == 0);

    // Slow network and the server going away mid-stream and coming back on the same port.
    net.set_delay(50ms);
    net.set_mode(test::FaultProxy::Mode::Delay);
    save_n(*kiosk, 15);
    worker->wake();
    ho.stop();
    save_n(*kiosk, 15);
    worker->wake();
    CHECK(test::wait_until([&] { return !worker->snapshot().online; }, 20s));
    ho.serve(ho.port);
    net.set_mode(test::FaultProxy::Mode::Pass);
    REQUIRE(worker->wait_synced(30s));
    CHECK(ho.store->record_count() == 105);
    std::set<std::string> at_ho;
    for (auto& id : ho.store->record_ids("SG01")) at_ho.insert(id);
    StoreProbe all_probe(*kiosk);
    SQLite::Statement all(all_probe.connection(), "SELECT id FROM records");
    int local = 0;
    while (all.executeStep()) {
        ++local;
        CHECK(at_ho.count(all.getColumn(0).getString()) == 1);
    }
    CHECK(local == 105);
}

TEST_CASE("a record head office refuses goes to the dead letters with the reason, and the rest go on", "[sync]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    save_n(*kiosk, 3);
    auto poison = kiosk->save_record("mystery.kind", 1, {{"what", "from a newer kiosk build"}}).value().id;
    save_n(*kiosk, 3);
    auto worker = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), ho.enrol("K1"));
    REQUIRE(worker->wait_synced(20s));
    CHECK(ho.store->record_count() == 6);
    CHECK(kiosk->outbox().outbox_depth() == 0);
    auto dead = kiosk->outbox().dead_letters();
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].record_id == poison);
    CHECK(dead[0].reason == "unknown record type 'mystery.kind'");
    CHECK(worker->snapshot().dead_letters == 1);
}

TEST_CASE("two kiosks hand over one parcel while offline: the first to reach head office wins, the other is flagged", "[sync][conflicts]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    test::TempDir d1, d2;
    auto k1 = Store::open(d1.path / "kiosk.db", "SG01", "K1").value();
    auto k2 = Store::open(d2.path / "kiosk.db", "SG01", "K2").value();
    std::string parcel = "P261122K1001";
    auto first = k1->save_record("parcel.handed_over", 1, {{"parcels", {parcel}}, {"how", "code"}, {"staff", "A01"}}).value().id;
    auto second = k2->save_record("parcel.handed_over", 1, {{"parcels", {parcel}}, {"how", "household"}, {"staff", "A02"}}).value().id;
    // The last wheelchair, lent at both kiosks.
    auto lent1 = k1->save_record("loan.lent", 1, {{"item", "wheelchair"}, {"loan_id", "L261122K1001"}, {"unit", "B1-101"}}).value().id;
    auto lent2 = k2->save_record("loan.lent", 1, {{"item", "wheelchair"}, {"loan_id", "L261122K2001"}, {"unit", "B2-301"}}).value().id;

    auto w1 = test::start_sync(d1.path / "kiosk.db", "K1", ho.url(), ho.enrol("K1"));
    REQUIRE(w1->wait_synced(20s));
    auto w2 = test::start_sync(d2.path / "kiosk.db", "K2", ho.url(), ho.enrol("K2"));
    REQUIRE(w2->wait_synced(20s));

    CHECK(ho.store->record_count() == 4);  // both kept: nothing silently lost
    CHECK(k1->outbox().sync_conflicts().empty());
    auto flagged = k2->outbox().sync_conflicts();
    REQUIRE(flagged.size() == 2);
    std::set<std::string> reasons;
    for (auto& c : flagged) {
        reasons.insert(c.reason);
        if (c.record_id == second) CHECK(c.winner == first);
        else CHECK(c.record_id == lent2);
    }
    CHECK(reasons == std::set<std::string>{"parcel_already_gone", "no_stock_left"});
    CHECK(w2->snapshot().conflicts == 2);
    CHECK(ho.store->conflicts("SG01").size() == 2);
    (void)lent1;
}

TEST_CASE("two head-office servers on one database: kiosks pushing through either, at once, get one answer per parcel and every record once", "[sync][conflicts]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice a(backend);
    test::HeadOffice b(backend, a.where);  // a second server process's worth: its own connection
    test::TempDir d1, d2;
    auto k1 = Store::open(d1.path / "kiosk.db", "SG01", "K1").value();
    auto k2 = Store::open(d2.path / "kiosk.db", "SG01", "K2").value();
    save_n(*k1, 300);
    save_n(*k2, 300);
    // Ten parcels each kiosk handed over while offline, the same ten: each goes to one kiosk only.
    for (int i = 0; i < 10; ++i) {
        std::string parcel = "P261122K100" + std::to_string(i);
        k1->save_record("parcel.handed_over", 1, {{"parcels", {parcel}}, {"how", "code"}, {"staff", "A01"}});
        k2->save_record("parcel.handed_over", 1, {{"parcels", {parcel}}, {"how", "code"}, {"staff", "A02"}});
    }
    save_n(*k1, 300);
    save_n(*k2, 300);
    auto w1 = test::start_sync(d1.path / "kiosk.db", "K1", a.url(), a.enrol("K1"));
    auto w2 = test::start_sync(d2.path / "kiosk.db", "K2", b.url(), b.enrol("K2"));
    REQUIRE(w1->wait_synced(30s));
    REQUIRE(w2->wait_synced(30s));
    CHECK(a.store->record_count() == 1220);
    CHECK(b.store->record_count() == 1220);
    auto lost1 = k1->outbox().sync_conflicts(), lost2 = k2->outbox().sync_conflicts();
    CHECK(lost1.size() + lost2.size() == 10);
    for (auto& c : lost1) CHECK(c.winner.rfind("SG01-K2-", 0) == 0);
    for (auto& c : lost2) CHECK(c.winner.rfind("SG01-K1-", 0) == 0);
    CHECK(a.store->conflicts("SG01").size() == 10);
}

TEST_CASE("the kiosk's screens: a saved record wakes the sync, the desk sees how it stands and what conflicted", "[sync][ui]") {
    test::HeadOffice ho;
    test::FaultProxy net(ho.port);
    test::Kiosk k;
    auto worker = test::start_sync(k.dir.path / "kiosk.db", "K1", net.url(), ho.enrol("K1"));
    k.app->set_sync([w = worker.get()] { return w->snapshot(); }, [w = worker.get()] { w->wake(); });
    REQUIRE(worker->wait_synced(20s));
    CHECK(k.has_widget("sync.icon.online"));

    // Another kiosk already handed over the parcel this one is about to hand over.
    k.sign_in_staff();
    k.tap("staff.desk.parcel_intake");
    k.driver->scan("SF6000000001");
    k.tap("parcel.carrier.sf");
    k.tap("parcel.building.B1");
    k.tap("parcel.unit.B1-102");
    k.tap("parcel.shelf.0");
    k.tap("parcel.register");
    auto parcel = *k.app->features().parcel_intake.s.saved;
    nlohmann::json rival{{"id", "SG01-K2-abcdef-00000001"}, {"type", "parcel.handed_over"}, {"schema_version", 1},
                         {"created_at", "2026-11-22T01:00:00Z"}, {"local_seq", 1},
                         {"payload", {{"parcels", {parcel.id}}, {"how", "code"}, {"staff", "B01"}}}};
    headoffice::IncomingRecord in{rival["id"], rival["type"], rival["created_at"], 1, 1, rival["payload"]};
    REQUIRE(ho.store->push("SG01", "K2", {in}).ok());
    // The registration went up by itself: the save woke the worker.
    CHECK(test::wait_until([&] { return ho.store->record_count("SG01") == 2; }, 10s));

    // The network goes; the clerk hands the parcel over anyway: the kiosk works alone.
    net.set_mode(test::FaultProxy::Mode::Refuse);
    k.tap("nav.back");
    k.tap("staff.desk.parcel_pickup");
    k.type(parcel.pickup_code);
    k.tap("pickup.submit");
    k.tap("pickup.confirm");
    CHECK(k.shows("已交付，已记录。"));
    REQUIRE(test::wait_until([&] { return !worker->snapshot().online; }, 10s));
    k.tap("nav.back");
    CHECK(k.shows("总部连接中断：待上传 1 条"));
    CHECK(k.has_widget("sync.icon.offline"));

    // Back online: the hand-over reaches head office, which had the other kiosk's first.
    net.set_mode(test::FaultProxy::Mode::Pass);
    REQUIRE(worker->wait_synced(20s));
    k.tap("staff.desk.parcel_list");
    k.tap("nav.back");  // the desk reloads what it shows
    CHECK(k.shows("总部同步正常：待上传 0 条"));
    CHECK(k.shows("这件快递已在其他终端交付或退回，请核实"));
    CHECK(ho.store->conflicts("SG01").size() == 1);
    CHECK(k.has_widget("sync.icon.attention"));

    // The clerk checks with the other desk and marks it handled: the desk and the ring let go.
    k.tap("sync.handled.0");
    CHECK(test::wait_until([&] { return worker->snapshot().conflicts == 0; }, 10s));
    k.tap("staff.desk.parcel_list");
    k.tap("nav.back");
    CHECK_FALSE(k.shows("这件快递已在其他终端交付或退回，请核实"));
    CHECK_FALSE(k.has_widget("sync.handled.0"));
    CHECK_FALSE(k.has_widget("sync.icon.attention"));
    CHECK(k.store->outbox().conflict_count() == 1);  // kept, with who handled it
    CHECK(k.store->outbox().conflict_count(true) == 0);
    CHECK(StoreProbe(*k.store).text("SELECT seen_by FROM sync_conflicts") == "A01");
}

namespace {
// Runs sync-kiosk; with `kill_at` set, kills it with SIGKILL as soon as it has said that many
// lines ("enrolling", then one "saved" per record): at a chosen point of its own work, while its
// sync worker is wherever it happens to be (mid-enrolment, mid-batch, mid-commit).
int run_sync_kiosk(const std::vector<std::string>& args, std::optional<int> kill_at) {
    std::vector<std::string> a{SYNC_KIOSK};
    a.insert(a.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    int out[2];
    if (::pipe(out) != 0) return -1;
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::close(out[0]);
        ::close(out[1]);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    if (kill_at) {
        // Lines as they come; a kiosk that stops saying them (it died) ends the read with EOF.
        int lines = 0;
        char c;
        while (lines < *kill_at && ::read(out[0], &c, 1) == 1) lines += c == '\n';
        ::kill(pid, SIGKILL);
    }
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}
}  // namespace

TEST_CASE("a kiosk killed mid-sync again and again: every record it saved is at head office exactly once", "[sync][faults]") {
    test::HeadOffice ho;
    test::FaultProxy net(ho.port);
    test::TempDir dir;
    std::string db = (dir.path / "kiosk.db").string();
    std::string code = ho.enrol("K1");
    std::mt19937 rng(20261122);
    for (int round = 0; round < 12; ++round) {
        // Some rounds lose acks too: the kill then finds records head office has and the kiosk does not know.
        net.set_mode(round % 3 == 2 ? test::FaultProxy::Mode::CutAnswer : test::FaultProxy::Mode::Pass, 2);
        // The first kill lands as it enrols; the others after 20 to 150 saves.
        int lines = round == 0 ? 1 : 1 + std::uniform_int_distribution<int>(20, 150)(rng);
        int st = run_sync_kiosk({db, net.url(), code, "write"}, lines);
        INFO("round " << round << " killed after " << lines - 1 << " saves");
        REQUIRE(WIFSIGNALED(st));
        CHECK(WTERMSIG(st) == SIGKILL);
    }
    CHECK(ho.store->record_count() > 0);  // records went up between the kills, not only at the end
    net.set_mode(test::FaultProxy::Mode::Pass);
    int st = run_sync_kiosk({db, net.url(), code, "drain"}, std::nullopt);
    REQUIRE(WIFEXITED(st));
    REQUIRE(WEXITSTATUS(st) == 0);

    auto kiosk = Store::open(db, "SG01", "K1").value();
    CHECK(kiosk->outbox().outbox_depth() == 0);
    CHECK(StoreProbe(*kiosk).text("PRAGMA integrity_check") == "ok");
    std::set<std::string> local;
    StoreProbe all_probe(*kiosk);
    SQLite::Statement all(all_probe.connection(), "SELECT id FROM records");
    while (all.executeStep()) local.insert(all.getColumn(0).getString());
    auto remote = ho.store->record_ids("SG01");
    CHECK(local.size() > 100);
    CHECK(std::set<std::string>(remote.begin(), remote.end()) == local);
    CHECK(remote.size() == local.size());  // and no id twice
}
