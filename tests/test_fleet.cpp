// Heartbeats and the fleet (issue #15 item 6): a kiosk's sync worker reports how it stands to the
// real head-office server on loopback (SQLite and PostgreSQL), head office keeps its last state and
// a bounded history, and `lobby-headoffice fleet` lists it online, then late and offline once it
// stops (judged with --now rather than by waiting 15 minutes). Hostile heartbeats are refused,
// naming the field, and head office stays up. And the restart cause the kiosk derives at start.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <fstream>

#include "headoffice_fixture.hpp"
#include "kiosk/core/run_state.hpp"
#include "run_command.hpp"
#include "sync/common/heartbeat.hpp"
#include "sync/server/fleet.hpp"
#include "wait_for.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

sync::Heartbeat healthy() {
    sync::Heartbeat h;
    h.version = "0.1.0";
    h.uptime_s = 7200;
    h.last_sync = 1795320000;
    h.disk_free_bytes = 60LL << 30;
    h.disk_total_bytes = 100LL << 30;
    h.printer = "ready";
    h.restart_cause = "normal";
    return h;
}

const headoffice::FleetLine& line_of(const std::vector<headoffice::FleetLine>& lines, const std::string& kiosk) {
    for (auto& l : lines)
        if (l.kiosk.kiosk == kiosk) return l;
    FAIL("no line for " << kiosk);
    throw std::logic_error("unreachable");
}

bool says(const std::vector<std::string>& reasons, const std::string& what) {
    for (auto& r : reasons)
        if (r == what) return true;
    return false;
}

std::string shell_quoted(const std::string& s) { return "'" + s + "'"; }

// `lobby-headoffice fleet` as a person runs it; the JSON form parsed.
nlohmann::json fleet_json(const std::string& where, const std::string& extra = {}) {
    auto [rc, out] = test::run_command(std::string(LOBBY_HEADOFFICE) + " fleet --db " + shell_quoted(where) + " --json " + extra);
    INFO(out);
    REQUIRE(rc == 0);
    auto j = nlohmann::json::parse(out, nullptr, false);
    REQUIRE(j.is_object());
    return j;
}

nlohmann::json kiosk_of(const nlohmann::json& fleet, const std::string& kiosk) {
    for (auto& k : fleet["kiosks"])
        if (k["kiosk"] == kiosk) return k;
    return nullptr;
}

// The kiosk's secret, got as a kiosk gets it.
std::string enrolled_secret(test::HeadOffice& ho, const std::string& kiosk) {
    httplib::Client c("127.0.0.1", ho.port);
    auto r = c.Post("/v1/register", nlohmann::json{{"site", "SG01"}, {"kiosk", kiosk}, {"enrol_code", ho.enrol(kiosk)}}.dump(),
                    "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return nlohmann::json::parse(r->body)["secret"];
}

httplib::Result signed_heartbeat(int port, const std::string& secret, const std::string& body, const std::string& nonce,
                                 const std::string& kiosk = "SG01/K1") {
    int64_t ts = std::time(nullptr);
    httplib::Client c("127.0.0.1", port);
    httplib::Headers h{{"X-Kiosk", kiosk},
                       {"X-Timestamp", std::to_string(ts)},
                       {"X-Nonce", nonce},
                       {"X-Signature", sync::request_signature(secret, "POST", "/v1/heartbeat", ts, nonce, body)}};
    return c.Post("/v1/heartbeat", h, body, "application/json");
}

}  // namespace

TEST_CASE("the restart cause: first start, an orderly stop, an upgrade, a power cut, a crash and a watchdog kill", "[fleet]") {
    using kiosk::RunState;
    CHECK(restart_cause(std::nullopt, "0.2.0", "boot-a", "") == "first");
    CHECK(restart_cause(RunState{"0.1.0", "boot-a", true}, "0.2.0", "boot-a", "") == "upgrade");
    CHECK(restart_cause(RunState{"0.1.0", "boot-a", false}, "0.2.0", "boot-b", "watchdog") == "upgrade");
    CHECK(restart_cause(RunState{"0.2.0", "boot-a", true}, "0.2.0", "boot-b", "") == "normal");
    CHECK(restart_cause(RunState{"0.2.0", "boot-a", false}, "0.2.0", "boot-b", "") == "power");
    CHECK(restart_cause(RunState{"0.2.0", "boot-a", false}, "0.2.0", "boot-a", "") == "crash");
    CHECK(restart_cause(RunState{"0.2.0", "boot-a", false}, "0.2.0", "boot-a", "signal") == "crash");
    CHECK(restart_cause(RunState{"0.2.0", "boot-a", false}, "0.2.0", "boot-a", "watchdog") == "watchdog");
    CHECK(restart_cause(RunState{"0.2.0", "", false}, "0.2.0", "boot-a", "") == "unknown");
    // An upgrade through the package's postinst: the restart's SIGHUP took the kiosk down before
    // it marked its end, and the version string may be the same (one build repackaged under a
    // higher version). The postinst's note says upgrade; without it, systemd's orderly stop
    // ("success") is a normal restart, not a crash.
    CHECK(restart_cause(RunState{"0.2.0", "boot-a", false}, "0.2.0", "boot-a", "success", "0.2.0~5.gabc") == "upgrade");
    CHECK(restart_cause(RunState{"0.2.0", "boot-a", true}, "0.2.0", "boot-a", "", "0.2.0~5.gabc") == "upgrade");
    CHECK(restart_cause(RunState{"0.2.0", "boot-a", false}, "0.2.0", "boot-a", "success") == "normal");
    CHECK(restart_cause(std::nullopt, "0.2.0", "boot-a", "", "0.1.0") == "upgrade");

    // The same through the file the kiosk keeps in its data folder.
    test::TempDir dir;
    CHECK(note_start(dir.path, "0.1.0", "boot-a") == "first");
    note_clean_exit(dir.path);
    CHECK(note_start(dir.path, "0.1.0", "boot-a") == "normal");
    CHECK(note_start(dir.path, "0.1.0", "boot-a") == "crash");  // the run before never said it ended
    {
        std::ofstream(dir.path / "last-stop") << "watchdog\n";  // what the unit's ExecStopPost= kept
    }
    CHECK(note_start(dir.path, "0.1.0", "boot-a") == "watchdog");
    CHECK_FALSE(std::filesystem::exists(dir.path / "last-stop"));  // read once
    CHECK(note_start(dir.path, "0.1.0", "boot-b") == "power");
    note_clean_exit(dir.path);
    CHECK(note_start(dir.path, "0.2.0", "boot-b") == "upgrade");
    {
        std::ofstream(dir.path / "run-state.json") << "{not json";
    }
    CHECK(note_start(dir.path, "0.2.0", "boot-b") == "unknown");
    // The postinst's note of an upgrade, with systemd's "success" for the restart that stopped it:
    // read once and removed, so the start after is not an upgrade again.
    {
        std::ofstream(dir.path / "last-stop") << "success\n";
        std::ofstream(dir.path / "upgraded-from") << "0.2.0~5.gabc\n";
    }
    CHECK(note_start(dir.path, "0.2.0", "boot-b") == "upgrade");
    CHECK_FALSE(std::filesystem::exists(dir.path / "upgraded-from"));
    {
        std::ofstream(dir.path / "last-stop") << "success\n";
    }
    CHECK(note_start(dir.path, "0.2.0", "boot-b") == "normal");
    CHECK(current_boot_id().size() == 36);  // Linux's /proc/sys/kernel/random/boot_id
}

TEST_CASE("a heartbeat's fields are checked one by one and a refusal names the field", "[fleet][security]") {
    nlohmann::json good = sync::heartbeat_json(healthy());
    sync::Heartbeat h;
    REQUIRE_FALSE(sync::read_heartbeat(good, h));
    CHECK(h.disk_total_bytes == 100LL << 30);
    auto refused = [&](const char* field, nlohmann::json value) {
        nlohmann::json j = good;
        if (value.is_discarded()) j.erase(field);
        else j[field] = value;
        sync::Heartbeat out;
        auto why = sync::read_heartbeat(j, out);
        INFO(field << " = " << value.dump());
        REQUIRE(why);
        CHECK(why->find(std::string("'") + field + "'") != std::string::npos);
    };
    refused("outbox", "12");
    refused("outbox", -1);
    refused("outbox", 1.5);
    refused("dead_letters", nullptr);
    refused("dead_letters", nlohmann::json::value_t::discarded);
    refused("uptime_s", 18446744073709551615ULL);
    refused("uptime_s", true);
    refused("last_sync", 99999999999999LL);
    refused("disk_free_bytes", nlohmann::json::array());
    refused("disk_free_bytes", 200LL << 30);  // more free than there is
    refused("printer", "on fire");
    refused("printer", 3);
    refused("restart_cause", "gremlins");
    refused("version", std::string(65, 'v'));
    refused("version", "0.1\n0");
    refused("version", "");
    refused("protocol", "1");
    // A field it does not know is left alone (a newer kiosk may send more).
    nlohmann::json more = good;
    more["temperature_c"] = 41;
    CHECK_FALSE(sync::read_heartbeat(more, h));
    CHECK(sync::read_heartbeat(nlohmann::json::array(), h));
}

TEST_CASE("the fleet judges each kiosk by its last heartbeat and says why: silent, disk nearly full, dead letters growing, paper out", "[fleet]") {
    const int64_t now = 1795320000;
    std::vector<headoffice::FleetKiosk> ks;
    auto add = [&](const std::string& kiosk, std::optional<int64_t> heard, std::optional<sync::Heartbeat> h,
                   std::optional<int64_t> contact = std::nullopt) {
        headoffice::FleetKiosk k;
        k.site = "SG01";
        k.kiosk = kiosk;
        k.added_at = "2026-11-01T08:00:00Z";
        k.heartbeat_at = h ? heard : std::nullopt;
        k.heartbeat = h;
        k.last_contact = contact ? contact : heard;
        ks.push_back(k);
        return &ks.back();
    };
    add("K1", now - 40, healthy());
    auto full = healthy();
    full.disk_free_bytes = 4LL << 30;  // 96% used
    add("K2", now - 30, full);
    auto growing = healthy();
    growing.dead_letters = 9;
    add("K3", now - 20, growing)->dead_letters_hour_ago = 3;
    auto paper = healthy();
    paper.printer = "paper_out";
    add("K4", now - 10, paper);
    add("K5", now - 6 * 60, healthy());
    add("K6", now - 17 * 60, healthy());
    add("K7", std::nullopt, std::nullopt);
    add("K8", now - 3 * 60, std::nullopt);  // an older kiosk: syncs, sends no heartbeat
    auto crashed = healthy();
    crashed.uptime_s = 300;
    crashed.restart_cause = "watchdog";
    add("K9", now - 50, crashed);
    add("KA", now - 50, healthy())->revoked = true;

    auto lines = headoffice::judge_fleet(ks, now);
    CHECK(line_of(lines, "K1").status == "online");
    CHECK(line_of(lines, "K1").reasons.empty());
    CHECK(line_of(lines, "K2").status == "online");
    CHECK(line_of(lines, "K2").reasons == std::vector<std::string>{"disk 96% full"});
    CHECK(line_of(lines, "K3").reasons == std::vector<std::string>{"dead letters growing: 3 → 9 in the last hour"});
    CHECK(line_of(lines, "K4").reasons == std::vector<std::string>{"printer: paper out"});
    CHECK(line_of(lines, "K5").status == "late");
    CHECK(line_of(lines, "K5").reasons == std::vector<std::string>{"no heartbeat for 6 min"});
    CHECK(line_of(lines, "K6").status == "offline");
    CHECK(line_of(lines, "K6").reasons == std::vector<std::string>{"no heartbeat for 17 min"});
    CHECK(line_of(lines, "K7").status == "offline");
    CHECK(line_of(lines, "K7").reasons == std::vector<std::string>{"never heard from (added 2026-11-01T08:00:00Z)"});
    CHECK(line_of(lines, "K8").status == "online");
    CHECK(line_of(lines, "K8").reasons == std::vector<std::string>{"no heartbeat yet; last sync 3 min ago"});
    CHECK(says(line_of(lines, "K9").reasons, "restarted by the watchdog (the screen froze) 5 min ago"));
    CHECK(line_of(lines, "KA").status == "offline");
    CHECK(says(line_of(lines, "KA").reasons, "revoked"));
    // Offline first, then late, then the online ones with something to say, then the quiet ones.
    std::vector<std::string> order;
    for (auto& l : lines) order.push_back(l.kiosk.kiosk);
    CHECK(order == std::vector<std::string>{"K6", "K7", "KA", "K5", "K2", "K3", "K4", "K8", "K9", "K1"});
    // A heartbeat exactly 5 and 15 minutes old is late and offline.
    ks.clear();
    add("K1", now - 300, healthy());
    CHECK(headoffice::judge_fleet(ks, now)[0].status == "late");
    CHECK(headoffice::judge_fleet(ks, now - 1)[0].status == "online");
    CHECK(headoffice::judge_fleet(ks, now + 600)[0].status == "offline");

    auto text = headoffice::fleet_text(lines, now);
    INFO(text);
    CHECK(text.find("10 kiosks, 6 online, 1 late, 3 offline") != std::string::npos);
    CHECK(text.find("\nSG01\n") != std::string::npos);
    CHECK(text.find("K6         offline  no heartbeat for 17 min") != std::string::npos);
}

TEST_CASE("a kiosk's heartbeats reach head office, and the fleet lists it online, then late and offline once it stops", "[fleet][sync]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice ho(backend);
    ho.enrol("K2");  // added, never enrolled
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    REQUIRE(kiosk->save_record("repair.request", 1, {{"unit", "B1-101"}}).ok());
    REQUIRE(kiosk->save_record("mystery.kind", 1, {{"what", "a newer build's record"}}).ok());  // a dead letter

    sync::SyncOptions o;
    o.url = ho.url();
    o.store_path = dir.path / "kiosk.db";
    o.site = "SG01";
    o.kiosk = "K1";
    o.enrol_code = ho.enrol("K1");
    o.backoff_first_s = 0.05;
    o.backoff_cap_s = 0.5;
    o.heartbeat_every_s = 0.1;
    o.version = "0.1.0-test";
    o.restart_cause = "crash";
    o.printer_state = [] { return std::string("paper_out"); };
    auto worker = sync::SyncWorker::start(o);
    REQUIRE(worker.ok());
    // Several heartbeats, each one sent after the one before was answered.
    REQUIRE(test::wait_until([&] { return worker.value()->heartbeats_sent() >= 3; }, 20s));
    REQUIRE(worker.value()->wait_synced(20s));
    REQUIRE(test::wait_until([&] { return worker.value()->heartbeats_sent() >= 5; }, 20s));
    CHECK(ho.store->fleet_history_rows("SG01", "K1") >= 1);

    auto now = fleet_json(ho.where);
    auto k1 = kiosk_of(now, "K1");
    INFO(now.dump(2));
    REQUIRE(k1.is_object());
    CHECK(k1["status"] == "online");
    CHECK(k1["heartbeat"]["version"] == "0.1.0-test");
    CHECK(k1["heartbeat"]["restart_cause"] == "crash");
    CHECK(k1["heartbeat"]["printer"] == "paper_out");
    CHECK(k1["heartbeat"]["outbox"] == 0);
    CHECK(k1["heartbeat"]["dead_letters"] == 1);
    CHECK(k1["heartbeat"]["disk_total_bytes"].get<int64_t>() > 0);
    CHECK(k1["heartbeat"]["disk_free_bytes"].get<int64_t>() > 0);
    CHECK(k1["heartbeat"]["last_sync"].get<int64_t>() >= std::time(nullptr) - 60);
    CHECK(says(k1["reasons"].get<std::vector<std::string>>(), "printer: paper out"));
    auto k2 = kiosk_of(now, "K2");
    CHECK(k2["status"] == "offline");
    CHECK(k2["reasons"][0].get<std::string>().rfind("never heard from", 0) == 0);
    // Late and offline ones come first.
    CHECK(now["kiosks"][0]["kiosk"] == "K2");

    // The kiosk stops: judged 6 and 16 minutes after its last heartbeat, rather than waited for.
    worker.value().reset();
    int64_t last = ho.store->fleet("SG01", std::time(nullptr))[0].heartbeat_at.value();
    auto late = fleet_json(ho.where, "--site SG01 --now " + std::to_string(last + 6 * 60));
    CHECK(kiosk_of(late, "K1")["status"] == "late");
    CHECK(kiosk_of(late, "K1")["reasons"][0] == "no heartbeat for 6 min");
    auto offline = fleet_json(ho.where, "--now " + std::to_string(last + 16 * 60));
    CHECK(kiosk_of(offline, "K1")["status"] == "offline");
    CHECK(kiosk_of(offline, "K1")["reasons"][0] == "no heartbeat for 16 min");

    auto [rc, text] = test::run_command(std::string(LOBBY_HEADOFFICE) + " fleet --db " + shell_quoted(ho.where) + " --now " +
                                        std::to_string(last + 16 * 60));
    INFO(text);
    CHECK(rc == 0);
    CHECK(text.find("2 kiosks, 0 online, 0 late, 2 offline") != std::string::npos);
    CHECK(text.find("K1         offline  no heartbeat for 16 min; printer: paper out; restarted after a crash 16 min ago  [0.1.0-test,") != std::string::npos);
    // Another site's list is empty, and a site id with a control character is refused.
    CHECK(fleet_json(ho.where, "--site SG99")["kiosks"].empty());
    CHECK(test::run_command(std::string(LOBBY_HEADOFFICE) + " fleet --db " + shell_quoted(ho.where) + " --site \"$(printf 'S\\t1')\"").first != 0);
}

TEST_CASE("head office keeps a bounded history of heartbeats and sees dead letters grow over the hour", "[fleet]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice ho(backend);
    ho.enrol("K1");
    const int64_t t0 = 1795320000;
    auto h = healthy();
    for (int i = 0; i < headoffice::kFleetHistoryRows + 60; ++i) {
        h.dead_letters = i < headoffice::kFleetHistoryRows + 10 ? 3 : 9;
        REQUIRE(ho.store->record_heartbeat("SG01", "K1", h, t0 + 60 * i).ok());
    }
    CHECK(ho.store->fleet_history_rows("SG01", "K1") == headoffice::kFleetHistoryRows);
    int64_t last = t0 + 60 * (headoffice::kFleetHistoryRows + 59);
    auto lines = headoffice::judge_fleet(ho.store->fleet("SG01", last), last);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].status == "online");
    CHECK(lines[0].reasons == std::vector<std::string>{"dead letters growing: 3 → 9 in the last hour"});
    // Two in one second: the later stands. A week later everything before is gone.
    REQUIRE(ho.store->record_heartbeat("SG01", "K1", h, last).ok());
    CHECK(ho.store->fleet_history_rows("SG01", "K1") == headoffice::kFleetHistoryRows);
    REQUIRE(ho.store->record_heartbeat("SG01", "K1", h, last + headoffice::kFleetHistoryS + 1).ok());
    CHECK(ho.store->fleet_history_rows("SG01", "K1") == 1);
}

TEST_CASE("hostile heartbeats: oversized, wrong types, unknown kiosk, bad signature and replays are refused and head office stays up", "[fleet][security]") {
    test::HeadOffice ho;
    std::string secret = enrolled_secret(ho, "K1");
    std::string good = sync::heartbeat_json(healthy()).dump();
    int n = 0;
    auto nonce = [&] { return "hostile" + std::to_string(++n); };
    auto status_of = [&](const std::string& body) {
        auto r = signed_heartbeat(ho.port, secret, body, nonce());
        REQUIRE(r);
        return std::make_pair(r->status, nlohmann::json::parse(r->body, nullptr, false));
    };

    auto big = nlohmann::json::parse(good);
    big["padding"] = std::string(sync::kMaxHeartbeatBytes, 'x');
    {
        // Refused by the door on its Content-Length; the close may beat the answer to the client.
        auto r = signed_heartbeat(ho.port, secret, big.dump(), nonce());
        CHECK((!r || r->status == 413));
    }
    {
        // The same sent chunked, without a length: cut off by the route's reader at 4 KiB.
        httplib::Client chunky("127.0.0.1", ho.port);
        int64_t ts = std::time(nullptr);
        std::string body = big.dump();
        httplib::Headers h{{"X-Kiosk", "SG01/K1"},
                           {"X-Timestamp", std::to_string(ts)},
                           {"X-Nonce", "chunked001"},
                           {"X-Signature", sync::request_signature(secret, "POST", "/v1/heartbeat", ts, "chunked001", body)}};
        auto r = chunky.Post(
            "/v1/heartbeat", h,
            [&](size_t offset, httplib::DataSink& sink) {
                size_t n = std::min<size_t>(512, body.size() - offset);
                sink.write(body.data() + offset, n);
                if (offset + n == body.size()) sink.done();
                return true;
            },
            "application/json");
        CHECK((!r || r->status == 413));
    }
    auto [bad_type, why] = status_of(R"({"protocol":1,"version":"0.1.0","uptime_s":"long","outbox":0,"dead_letters":0,"last_sync":0,)"
                                     R"("disk_free_bytes":1,"disk_total_bytes":2,"printer":"none","restart_cause":"normal"})");
    CHECK(bad_type == 400);
    CHECK(why["error"] == "bad_request");
    CHECK(why["message"] == "field 'uptime_s' must be an integer from 0 to 3153600000");
    auto negative = nlohmann::json::parse(good);
    negative["outbox"] = -5;
    CHECK(status_of(negative.dump()).second["message"] == "field 'outbox' must be an integer from 0 to 100000000");
    CHECK(status_of("not json").first == 400);
    CHECK(status_of(std::string(40, '[') + std::string(40, ']')).first == 400);
    CHECK(status_of("[]").first == 400);
    auto other_protocol = nlohmann::json::parse(good);
    other_protocol["protocol"] = 2;
    CHECK(status_of(other_protocol.dump()).second["error"] == "protocol");

    // Unknown kiosk, wrong secret, no signature at all, and a replay of an accepted one.
    auto stranger = signed_heartbeat(ho.port, secret, good, nonce(), "SG01/K9");
    REQUIRE(stranger);
    CHECK(stranger->status == 401);
    auto forged = signed_heartbeat(ho.port, std::string(64, 'a'), good, nonce());
    CHECK(forged->status == 401);
    httplib::Client c("127.0.0.1", ho.port);
    CHECK(c.Post("/v1/heartbeat", good, "application/json")->status == 401);
    int64_t ts = std::time(nullptr);
    httplib::Headers once{{"X-Kiosk", "SG01/K1"},
                          {"X-Timestamp", std::to_string(ts)},
                          {"X-Nonce", "replay0001"},
                          {"X-Signature", sync::request_signature(secret, "POST", "/v1/heartbeat", ts, "replay0001", good)}};
    CHECK(c.Post("/v1/heartbeat", once, good, "application/json")->status == 200);
    auto replay = c.Post("/v1/heartbeat", once, good, "application/json");
    CHECK(replay->status == 401);
    CHECK(nlohmann::json::parse(replay->body)["message"] == "replayed request");
    // None of the refused ones was kept; the good one was, and head office still answers.
    CHECK(ho.store->fleet_history_rows("SG01", "K1") == 1);
    CHECK(ho.store->fleet_history_rows("SG01", "K9") == 0);
    CHECK(c.Get("/v1/health")->status == 200);
    CHECK(status_of(good).first == 200);
}

TEST_CASE("a kiosk's last contact moves on at most every 30 s, and a heartbeat that sets it back is followed", "[fleet]") {
    std::string backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice ho(backend);
    REQUIRE(ho.store->add_kiosk("SG01", "K1").ok());
    auto contact = [&] {
        for (auto& k : ho.store->fleet("SG01", 1795400000))
            if (k.kiosk == "K1") return k.last_contact.value_or(-1);
        return int64_t{-2};
    };
    ho.store->note_contact("SG01", "K1", 1795320000);
    CHECK(contact() == 1795320000);
    ho.store->note_contact("SG01", "K1", 1795320030);  // within 30 s: unchanged
    CHECK(contact() == 1795320000);
    ho.store->note_contact("SG01", "K1", 1795320031);
    CHECK(contact() == 1795320031);
    // A heartbeat stamped earlier (another head-office process's clock) sets it outright; the next
    // contact 30 s after that is written, though it is within 30 s of the last one written here.
    REQUIRE(ho.store->record_heartbeat("SG01", "K1", healthy(), 1795319990).ok());
    CHECK(contact() == 1795319990);
    ho.store->note_contact("SG01", "K1", 1795320040);
    CHECK(contact() == 1795320040);
    // Written by another process (another store on the same file or database): followed too.
    if (backend == "postgresql") {
        auto other = headoffice::HeadOfficeStore::open(ho.where);
        REQUIRE(other.ok());
        other.value()->note_contact("SG01", "K1", 1795320100);
        ho.store->note_contact("SG01", "K1", 1795320101);
        CHECK(contact() == 1795320100);
        ho.store->note_contact("SG01", "K1", 1795320131);
        CHECK(contact() == 1795320131);
    }
}
