// A kiosk's credentials over their life (PROTOCOL.md, "Key life cycle"), against the real
// head-office server on loopback, on SQLite and PostgreSQL: a new code rotates an enrolled
// kiosk's secret (the old one works until the new one is used, or stops at once with --force),
// a revoked kiosk is refused from its next request, and enrolment and replay state outlive a
// restart of head office. Head office's own files are private.
#include <sys/stat.h>

#include <thread>

#include <catch2/catch.hpp>

#include "headoffice_fixture.hpp"
#include "kiosk/core/household.hpp"
#include "run_command.hpp"
#include "wait_for.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

const std::string kEmpty = R"({"protocol":1,"records":[]})";

// The secret a code buys, or the status that refused it.
std::pair<int, std::string> enrol(int port, const std::string& code) {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Post("/v1/register", nlohmann::json{{"site", "SG01"}, {"kiosk", "K1"}, {"enrol_code", code}}.dump(), "application/json");
    REQUIRE(r);
    if (r->status != 200) return {r->status, ""};
    return {200, nlohmann::json::parse(r->body)["secret"].get<std::string>()};
}

// The status of an empty signed push with `secret` (a new nonce each time).
int push_with(int port, const std::string& secret) {
    static int n = 0;
    auto r = test::signed_post(port, secret, kEmpty, std::time(nullptr), "nonce-" + std::to_string(++n) + "-" + sync::random_hex(4));
    REQUIRE(r);
    return r->status;
}

int mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("a new enrolment code rotates a kiosk's secret: the old one works until the new one is used, --force stops it at once, revoke refuses the kiosk", "[sync][security][keys]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto [ok1, s1] = enrol(ho.port, ho.enrol("K1"));
    REQUIRE(ok1 == 200);
    REQUIRE(push_with(ho.port, s1) == 200);
    CHECK(ho.store->kiosk_info("SG01", "K1")->enrolled);

    // Rotation: a new code; the kiosk keeps working with its secret until it enrols with it.
    std::string code2 = ho.enrol("K1");
    CHECK(push_with(ho.port, s1) == 200);
    auto [ok2, s2] = enrol(ho.port, code2);
    REQUIRE(ok2 == 200);
    CHECK(s2 != s1);
    CHECK(enrol(ho.port, code2).second == s2);  // asked again before it is used: the same answer
    CHECK(ho.store->kiosk_info("SG01", "K1")->rotating);
    CHECK(push_with(ho.port, s1) == 200);       // the old secret still works ...
    CHECK(push_with(ho.port, s2) == 200);       // ... until the new one is used,
    CHECK(push_with(ho.port, s1) == 401);       // then it stops
    CHECK(push_with(ho.port, s2) == 200);
    CHECK(enrol(ho.port, code2).first == 403);  // and the code is spent
    CHECK_FALSE(ho.store->kiosk_info("SG01", "K1")->rotating);

    // A kiosk stolen: --force stops its secret now, before any new enrolment.
    std::string code3 = ho.store->add_kiosk("SG01", "K1", true).value();
    CHECK(push_with(ho.port, s2) == 401);
    auto [ok3, s3] = enrol(ho.port, code3);
    REQUIRE(ok3 == 200);
    CHECK(push_with(ho.port, s3) == 200);

    // Revoked: refused from the next request on, and no code it held works.
    std::string unused = ho.enrol("K1");
    REQUIRE(ho.store->revoke_kiosk("SG01", "K1").ok());
    CHECK(push_with(ho.port, s3) == 401);
    CHECK(enrol(ho.port, unused).first == 403);
    CHECK(ho.store->kiosk_info("SG01", "K1")->revoked);
    CHECK_FALSE(ho.store->revoke_kiosk("SG01", "K9").ok());
    // Admitted again with a new code.
    auto [ok4, s4] = enrol(ho.port, ho.enrol("K1"));
    REQUIRE(ok4 == 200);
    CHECK(push_with(ho.port, s4) == 200);
    CHECK_FALSE(ho.store->kiosk_info("SG01", "K1")->revoked);
}

TEST_CASE("enrolment and replay state survive a restart of head office, and a replay at another head-office process is refused", "[sync][security][keys]") {
    std::string backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice ho(backend);
    std::string code = ho.enrol("K1");
    auto [ok, secret] = enrol(ho.port, code);
    REQUIRE(ok == 200);
    int64_t now = std::time(nullptr);
    auto first = test::signed_post(ho.port, secret, kEmpty, now, "restart-nonce-1");
    REQUIRE(first);
    REQUIRE(first->status == 200);

    int port = ho.port;
    ho.stop();
    ho.serve(port);
    auto replay = test::signed_post(ho.port, secret, kEmpty, now, "restart-nonce-1");
    REQUIRE(replay);
    CHECK(replay->status == 401);
    CHECK(nlohmann::json::parse(replay->body)["message"] == "replayed request");
    CHECK(enrol(ho.port, code).first == 403);  // the code was spent before the restart
    CHECK(test::signed_post(ho.port, secret, kEmpty, now, "restart-nonce-2")->status == 200);

    if (backend == "postgresql") {
        test::HeadOffice other("postgresql", ho.where);
        auto there = test::signed_post(other.port, secret, kEmpty, now, "restart-nonce-2");
        REQUIRE(there);
        CHECK(there->status == 401);
        CHECK(test::signed_post(other.port, secret, kEmpty, now, "restart-nonce-3")->status == 200);
    }
}

TEST_CASE("a push's replay row is written with its records: a replay is refused whether the push was stored or refused for its body, and a refused replay stores nothing", "[sync][security][keys]") {
    std::string backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice ho(backend);
    auto [ok, secret] = enrol(ho.port, ho.enrol("K1"));
    REQUIRE(ok == 200);
    int64_t now = std::time(nullptr);
    std::string one = R"({"protocol":1,"records":[{"id":"SG01-K1-r-1","type":"enquiry.question","schema_version":1,)"
                      R"("created_at":"2026-11-22T01:00:00Z","local_seq":1,"payload":{"ticket":"ZX-1","question":"?","asked_at":1}}]})";
    auto stored = test::signed_post(ho.port, secret, one, now, "row-nonce-1");
    REQUIRE(stored);
    REQUIRE(stored->status == 200);
    CHECK(ho.store->record_count("SG01") == 1);
    // Refused for its body: still a request seen, so its replay is a replay.
    auto bad = test::signed_post(ho.port, secret, "{\"protocol\":1,", now, "row-nonce-2");
    REQUIRE(bad);
    CHECK(bad->status == 400);
    auto bad_again = test::signed_post(ho.port, secret, "{\"protocol\":1,", now, "row-nonce-2");
    REQUIRE(bad_again);
    CHECK(bad_again->status == 401);
    // The stored push replayed at a head office that has not seen it (a restart): the store's row
    // refuses it inside the push's transaction, and nothing more is stored.
    int port = ho.port;
    ho.stop();
    ho.serve(port);
    auto replay = test::signed_post(ho.port, secret, one, now, "row-nonce-1");
    REQUIRE(replay);
    CHECK(replay->status == 401);
    CHECK(nlohmann::json::parse(replay->body)["message"] == "replayed request");
    CHECK(ho.store->record_count("SG01") == 1);
    // And the same request at once from two connections: one is stored, the other refused.
    auto twice = std::string(R"({"protocol":1,"records":[{"id":"SG01-K1-r-2","type":"enquiry.question","schema_version":1,)") +
                 R"("created_at":"2026-11-22T01:00:00Z","local_seq":2,"payload":{"ticket":"ZX-2","question":"?","asked_at":1}}]})";
    int statuses[2] = {0, 0};
    auto send = [&](int& status) {
        auto r = test::signed_post(ho.port, secret, twice, now, "row-nonce-3");
        status = r ? r->status : -1;
    };
    std::thread a(send, std::ref(statuses[0]));
    std::thread b(send, std::ref(statuses[1]));
    a.join();
    b.join();
    CHECK(std::min(statuses[0], statuses[1]) == 200);
    CHECK(std::max(statuses[0], statuses[1]) == 401);
    CHECK(ho.store->record_count("SG01") == 2);
}

TEST_CASE("a kiosk given a new enrolment code enrols again and syncs on, and a refused code leaves it on its old secret", "[sync][keys]") {
    test::HeadOffice ho;
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    REQUIRE(kiosk->save_record("repair.request", 1, {{"n", 1}, {"unit", "B1-101"}}).ok());
    {
        auto w = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), ho.enrol("K1"));
        REQUIRE(w->wait_synced(20s));
    }
    std::string before = kiosk->read_secret().value();

    // Head office rotates; the technician starts the kiosk with the new code.
    std::string code2 = ho.enrol("K1");
    REQUIRE(kiosk->save_record("repair.request", 1, {{"n", 2}, {"unit", "B1-101"}}).ok());
    {
        auto w = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), code2);
        REQUIRE(w->wait_synced(20s));
    }
    std::string after = kiosk->read_secret().value();
    CHECK(after != before);
    CHECK(ho.store->record_count("SG01") == 2);
    CHECK(push_with(ho.port, before) == 401);  // the kiosk used the new one: the old is gone

    // A mistyped code: refused once, and the kiosk syncs on with the secret it has.
    REQUIRE(kiosk->save_record("repair.request", 1, {{"n", 3}, {"unit", "B1-101"}}).ok());
    auto w = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), "0123456789abcdef");
    REQUIRE(w->wait_synced(20s));
    CHECK(ho.store->record_count("SG01") == 3);
    CHECK(kiosk->read_secret().value() == after);
}

TEST_CASE("head office's store and notification file are readable by its user only, whatever the umask", "[security][keys]") {
    test::TempDir dir;
    mode_t old = ::umask(022);
    auto db = dir.path / "ho" / "headoffice.db";
    {
        auto store = headoffice::HeadOfficeStore::open(db);
        REQUIRE(store.ok());
        REQUIRE(store.value()->add_kiosk("SG01", "K1").ok());
        CHECK(mode_of(db) == 0600);
        for (const char* side : {"-wal", "-shm"})
            if (std::filesystem::exists(db.string() + side)) CHECK(mode_of(db.string() + side) == 0600);
        headoffice::FileSender texts((dir.path / "texts.jsonl").string());
        REQUIRE(texts.send({"SG01-K1-x-1", R"({"id":"SG01-K1-x-1"})", 1}).ok());
        CHECK(mode_of(dir.path / "texts.jsonl") == 0600);
    }
    // An older install's world-readable store is narrowed when head office opens it.
    ::chmod(db.c_str(), 0644);
    REQUIRE(headoffice::HeadOfficeStore::open(db).ok());
    CHECK(mode_of(db) == 0600);
    ::umask(old);
}

TEST_CASE("add-kiosk and revoke-kiosk at the command line say what they did", "[keys][cli]") {
    test::TempDir dir;
    std::string db = (dir.path / "ho.db").string();
    std::string ho = LOBBY_HEADOFFICE;
    auto [rc1, code1] = test::run_command(ho + " add-kiosk --db " + db + " --site-id SG01 --kiosk K1");
    REQUIRE(rc1 == 0);
    REQUIRE(code1.size() == 17);  // 16 hex digits and a newline: nothing else on a first enrolment
    auto store = headoffice::HeadOfficeStore::open(db).value();
    auto s1 = store->register_kiosk("SG01", "K1", code1.substr(0, 16));
    REQUIRE(s1.ok());
    store->kiosk_used_secret("SG01", "K1", s1.value());
    auto [rc2, out2] = test::run_command(ho + " add-kiosk --db " + db + " --site-id SG01 --kiosk K1");
    CHECK(rc2 == 0);
    CHECK(out2.find("K1 is enrolled: its secret keeps working until it enrols with this code") != std::string::npos);
    auto [rc3, out3] = test::run_command(ho + " add-kiosk --force --db " + db + " --site-id SG01 --kiosk K1");
    CHECK(rc3 == 0);
    CHECK(out3.find("K1's secret no longer works") != std::string::npos);
    auto [rc4, out4] = test::run_command(ho + " revoke-kiosk --db " + db + " --site-id SG01 --kiosk K1");
    CHECK(rc4 == 0);
    CHECK(out4.find("SG01/K1 revoked") != std::string::npos);
    auto [rc5, out5] = test::run_command(ho + " revoke-kiosk --db " + db + " --site-id SG01 --kiosk K7");
    CHECK(rc5 == 1);
    CHECK(out5.find("no kiosk K7 at site SG01") != std::string::npos);
    auto [rc6, out6] = test::run_command(ho + " add-kiosk --db " + db + " --site-id SG01 --kiosk 'K-1'");
    CHECK(rc6 == 1);
    CHECK(out6.find("no '-'") != std::string::npos);
}

TEST_CASE("a PIN issued for a flat whose PIN row an import deleted makes the row live again", "[keys][household]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto hash = household_pin_hash("24682468");
    REQUIRE(hash);
    // A site file of PINs that no longer names B1-102: its row is deleted, kiosks drop it.
    std::vector<DatasetRow> rows{{"B1-101", {{"unit", "B1-101"}, {"pin_hash", *hash}, {"locked", false}}, false}};
    REQUIRE(ho.store->import_rows("SG01", "household_pins", rows, true).ok());
    CHECK_FALSE(ho.store->household_locked("SG01", "B1-102").has_value());
    // The desk issues B1-102 a PIN: the row is live again, unlocked, a new version kiosks pull.
    auto pin = ho.store->issue_household_pin("SG01", "B1-102");
    REQUIRE(pin.ok());
    CHECK(ho.store->household_locked("SG01", "B1-102") == false);
    auto pulled = ho.store->pull("SG01", "household_pins", 0, 1000);
    REQUIRE(pulled.ok());
    bool live = false;
    for (auto& r : pulled.value().rows)
        if (r.key == "B1-102") live = !r.deleted && household_pin_matches(r.body.value("pin_hash", ""), pin.value());
    CHECK(live);
}
