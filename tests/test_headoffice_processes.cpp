// Several `lobby-headoffice serve` processes on one database, as a head office grows: kiosks of
// one site on both, pushing at once records that clash (the same parcel handed over at every desk,
// the same ticket, pickup codes drawn from the same few) and every batch again at the other
// process at once (a lost ack, the retry sent elsewhere), with and without the site's lock. Every record is stored once, every clash is
// decided once and answered the same to the kiosk and its retry, no two waiting parcels share a
// code. On PostgreSQL a site's writes wait only for that site's: another site's go by.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "headoffice_fixture.hpp"
#include "headoffice_process.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

nlohmann::json record(const std::string& site, const std::string& kiosk, int seq, const std::string& type, nlohmann::json payload) {
    return {{"id", site + "-" + kiosk + "-abcdef-" + std::to_string(seq)},
            {"type", type},
            {"schema_version", 1},
            {"created_at", "2026-11-22T01:00:00Z"},
            {"local_seq", seq},
            {"payload", std::move(payload)}};
}

// What a kiosk was told about its records: id -> "reason winner" (absent: no conflict).
using Answers = std::map<std::string, std::string>;

Answers conflicts_in(const nlohmann::json& reply) {
    Answers out;
    for (auto& c : reply["conflicts"]) out[c["id"].get<std::string>()] = c["reason"].get<std::string>() + " " + c["winner"].get<std::string>();
    return out;
}

struct Kiosk {
    Kiosk(std::string s, std::string k, int process) : site(std::move(s)), kiosk(std::move(k)), at(process) {}
    std::string site, kiosk;
    int at = 0;  // the process it syncs with; its retries go to the other
    std::string secret;
    std::vector<std::string> ids, errors;
    Answers told;
};

// A batch of kiosk `k`. SG01: parcels with codes from a pool the site's kiosks share, repairs of
// which half carry tickets every kiosk of the site uses, and hand-overs of parcels every desk hands
// over (its pushes take the site's lock). SG02: only repairs, half with shared tickets (its pushes
// take no lock: the cases table's key decides).
nlohmann::json batch_of(const Kiosk& k, int batch, int& seq) {
    bool parcels = k.site == "SG01";
    nlohmann::json rs = nlohmann::json::array();
    for (int j = 0; parcels && j < 8; ++j, ++seq)
        rs.push_back(record(k.site, k.kiosk, seq, "parcel.registered",
                            {{"parcel_id", "P" + k.kiosk + "-" + std::to_string(seq)}, {"pickup_code", std::to_string(100000 + seq % 30)},
                             {"tracking", "SF" + std::to_string(seq)}, {"carrier", "sf"}, {"unit", "B1-102"}, {"shelf", "A1"},
                             {"consent", true}, {"registered_at", 1795320000}}));
    for (int j = 0; j < (parcels ? 6 : 20); ++j, ++seq) {
        std::string ticket = j % 2 ? "BX-" + k.site + "-" + k.kiosk + "-" + std::to_string(seq)
                                   : "BX-" + k.site + "-shared-" + std::to_string(batch) + "-" + std::to_string(j);
        rs.push_back(record(k.site, k.kiosk, seq, "repair.request",
                            {{"ticket", ticket}, {"category", "plumbing"}, {"urgency", "appointment"}, {"registered_at", 1795300000},
                             {"on_site_by", 1795310000}, {"done_by", 1795400000}}));
    }
    for (int j = 0; parcels && j < 6; ++j, ++seq)
        rs.push_back(record(k.site, k.kiosk, seq, "parcel.handed_over",
                            {{"parcels", {"PSHARED-" + std::to_string(batch) + "-" + std::to_string(j)}}, {"how", "code"},
                             {"staff", "A01"}, {"at", 1795330000}}));
    return rs;
}

std::string where_for(const std::string& backend, const test::TempDir& dir) {
    return backend == "postgresql" ? test::PgServer::shared().new_database() : (dir.path / "headoffice.db").string();
}

std::unique_ptr<headoffice::HeadOfficeStore> open_store(const std::string& where) {
    auto opened = headoffice::HeadOfficeStore::open(where);
    INFO((opened ? std::string() : opened.error().detail));
    REQUIRE(opened.ok());
    return std::move(opened.value());
}

std::string secret_for(headoffice::HeadOfficeStore& s, const std::string& site, const std::string& kiosk) {
    auto secret = s.register_kiosk(site, kiosk, s.add_kiosk(site, kiosk).value());
    REQUIRE(secret.ok());
    return secret.value();
}

}  // namespace

TEST_CASE("two serve processes on one database, kiosks of one site on both: every record once, each clash decided once, no clashing pickup codes", "[sync][push][processes]") {
    auto backend = GENERATE(as<std::string>{}, "postgresql", "sqlite");
    test::TempDir dir;
    std::string where = where_for(backend, dir);
    auto store = open_store(where);  // makes the schema; enrols the kiosks; reads the outcome
    std::vector<std::unique_ptr<test::ServeProcess>> serving;
    serving.push_back(std::make_unique<test::ServeProcess>(LOBBY_HEADOFFICE, where, dir.path / "a.log"));
    serving.push_back(std::make_unique<test::ServeProcess>(LOBBY_HEADOFFICE, where, dir.path / "b.log"));

    std::vector<Kiosk> kiosks{{"SG01", "K1", 0}, {"SG01", "K2", 0}, {"SG01", "K3", 1}, {"SG01", "K4", 1},
                              {"SG02", "K1", 0}, {"SG02", "K2", 1}};
    for (auto& k : kiosks) k.secret = secret_for(*store, k.site, k.kiosk);
    constexpr int kBatches = 8;
    std::vector<std::thread> threads;
    for (auto& k : kiosks)
        threads.emplace_back([&k, &serving] {
            test::KioskPusher mine(serving[k.at]->port(), k.site, k.kiosk, k.secret);
            test::KioskPusher other(serving[1 - k.at]->port(), k.site, k.kiosk, k.secret);
            int seq = 1;
            for (int b = 0; b < kBatches; ++b) {
                auto rs = batch_of(k, b, seq);
                // Sent twice at once: the ack was lost and the retry went to the other process,
                // while the first was still being written.
                std::pair<int, nlohmann::json> retry;
                std::thread retrying([&] { retry = other.push(rs); });
                auto [status, reply] = mine.push(rs);
                retrying.join();
                auto& [again_status, again] = retry;
                if (status != 200 || again_status != 200 || reply.is_discarded() || again.is_discarded()) {
                    k.errors.push_back("push answered " + std::to_string(status) + " / " + std::to_string(again_status));
                    continue;
                }
                for (auto& r : rs) k.ids.push_back(r["id"]);
                if (!reply["rejected"].empty()) k.errors.push_back("rejected: " + reply["rejected"].dump());
                if (reply["stored"].size() != rs.size() || again["stored"] != reply["stored"])
                    k.errors.push_back("not every record stored, or stored differently on the retry");
                auto told = conflicts_in(reply);
                if (conflicts_in(again) != told) k.errors.push_back("the retry was told other conflicts: " + again["conflicts"].dump());
                k.told.insert(told.begin(), told.end());
            }
        });
    for (auto& t : threads) t.join();
    for (auto& k : kiosks) {
        INFO(k.site << "/" << k.kiosk);
        CHECK(k.errors.empty());
        if (!k.errors.empty()) FAIL_CHECK(k.errors.front());
    }

    for (const std::string site : {"SG01", "SG02"}) {
        INFO(backend << " site " << site);
        std::set<std::string> sent;
        Answers told;
        for (auto& k : kiosks)
            if (k.site == site) {
                sent.insert(k.ids.begin(), k.ids.end());
                told.insert(k.told.begin(), k.told.end());
            }
        // Every record once.
        auto held = store->record_ids(site);
        CHECK(std::set<std::string>(held.begin(), held.end()) == sent);
        CHECK(held.size() == sent.size());
        // Each clash decided once: what the store holds is what the kiosk was told.
        Answers in_store;
        for (auto& c : store->conflicts(site)) in_store[c.id] = c.reason + " " + c.winner;
        CHECK(in_store == told);
        // Each shared ticket and each shared parcel has one holder; every other claimant lost to it.
        std::map<std::string, std::vector<std::string>> claimants;  // ticket or parcel -> record ids
        for (auto& k : kiosks) {
            if (k.site != site) continue;
            int seq = 1;
            for (int b = 0; b < kBatches; ++b)
                for (auto& r : batch_of(k, b, seq)) {
                    auto& p = r["payload"];
                    if (r["type"] == "repair.request" && p["ticket"].get<std::string>().find("shared") != std::string::npos)
                        claimants["ticket " + p["ticket"].get<std::string>()].push_back(r["id"]);
                    if (r["type"] == "parcel.handed_over") claimants["parcel " + p["parcels"][0].get<std::string>()].push_back(r["id"]);
                }
        }
        int kiosks_of_site = site == "SG01" ? 4 : 2;
        for (auto& [thing, ids] : claimants) {
            INFO(thing);
            REQUIRE(ids.size() == static_cast<size_t>(kiosks_of_site));
            std::vector<std::string> winners;
            for (auto& id : ids)
                if (!in_store.count(id)) winners.push_back(id);
            REQUIRE(winners.size() == 1);
            const char* reason = thing.rfind("ticket", 0) == 0 ? "ticket_taken " : "parcel_already_gone ";
            for (auto& id : ids)
                if (id != winners[0]) CHECK(in_store[id] == reason + winners[0]);
            if (thing.rfind("ticket", 0) == 0) {
                auto c = store->case_row(site, thing.substr(7));
                REQUIRE(c);
                CHECK(c->record_id == winners[0]);
            }
        }
        // No two waiting parcels share a pickup code, and every parcel registered is waiting.
        auto page = store->pull(site, "parcels", 0, 100000);
        REQUIRE(page.ok());
        std::set<std::string> codes;
        size_t waiting = 0;
        for (auto& r : page.value().rows) {
            if (r.body.value("status", "") != "waiting") continue;
            ++waiting;
            CHECK(codes.insert(r.body.value("pickup_code", "")).second);
        }
        CHECK(waiting == (site == "SG01" ? static_cast<size_t>(kiosks_of_site * kBatches * 8) : 0));
    }
    for (auto& s : serving) {
        CHECK(s->stop() == 0);
        INFO(s->output().substr(0, 2000));
        CHECK(s->stat("pushes") >= kBatches * 3);
        CHECK(s->stat("lock_wait_s") >= 0);
    }
}

TEST_CASE("on PostgreSQL a push waits only for writes of its own site by other processes", "[sync][push][processes]") {
    test::TempDir dir;
    std::string where = test::PgServer::shared().new_database();
    auto store = open_store(where);
    test::ServeProcess a(LOBBY_HEADOFFICE, where, dir.path / "a.log"), b(LOBBY_HEADOFFICE, where, dir.path / "b.log");
    std::string sg01_secret = secret_for(*store, "SG01", "K1"), sg02_secret = secret_for(*store, "SG02", "K1");
    test::KioskPusher sg01(a.port(), "SG01", "K1", sg01_secret), sg01_at_b(b.port(), "SG01", "K1", sg01_secret);
    test::KioskPusher sg02(b.port(), "SG02", "K1", sg02_secret), sg02_at_a(a.port(), "SG02", "K1", sg02_secret);
    auto parcel = [](const std::string& site, int seq) {
        return nlohmann::json::array({record(site, "K1", seq, "parcel.registered",
                                             {{"parcel_id", "P" + std::to_string(seq)}, {"pickup_code", "482913"}, {"tracking", "SF1"},
                                              {"registered_at", 1795320000}})});
    };
    auto repair = [](const std::string& site, int seq) {
        return nlohmann::json::array({record(site, "K1", seq, "repair.request",
                                             {{"ticket", "BX-" + site + "-" + std::to_string(seq)}, {"category", "plumbing"},
                                              {"registered_at", 1795300000}})});
    };

    std::atomic<int> sg01_status{-1};
    std::jthread waiting;  // joined after `other` is gone (and its lock with it), should a check fail
    // Another process is in the middle of a write of SG01: it holds SG01's lock.
    auto other = headoffice::open_postgres(where);
    other->begin_write("SG01");
    waiting = std::jthread([&] { sg01_status = sg01.push(parcel("SG01", 1)).first; });
    auto watcher = headoffice::open_postgres(where);
    REQUIRE(test::wait_until([&] { return watcher->row("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")->integer(0) == 1; },
                             20s));
    // SG01's parcel waits for the lock (its pickup code is decided under it); SG02's pushes are
    // answered meanwhile, by either process, and so is an SG01 repair, which needs no lock (the
    // cases table's key decides who holds its ticket).
    CHECK(sg02.push(parcel("SG02", 1)).first == 200);
    CHECK(sg02_at_a.push(repair("SG02", 2)).first == 200);
    CHECK(sg01_at_b.push(repair("SG01", 2)).first == 200);
    CHECK(sg01_status == -1);
    CHECK(store->record_count("SG01") == 1);
    other->rollback();
    CHECK(test::wait_until([&] { return sg01_status != -1; }, 20s));
    waiting.join();
    CHECK(sg01_status == 200);
    CHECK(store->record_count("SG01") == 2);
    CHECK(store->record_count("SG02") == 2);
    CHECK(a.stop() == 0);
    CHECK(a.stat("lock_wait_s") > 0);  // the SG01 parcel waited for the lock
}

// --push-connections N: several processes on one PostgreSQL share its max_connections, so each
// process's pushes hold at most N connections of their own. Three pushes of one site arrive while
// another process holds that site's lock: with N = 1 one of them waits for the lock on the one
// connection and the others wait for it, and no second connection is ever opened; all three are
// stored once the lock goes.
TEST_CASE("on PostgreSQL --push-connections caps the connections a serve process's pushes hold", "[sync][push][processes]") {
    test::TempDir dir;
    std::string where = test::PgServer::shared().new_database();
    auto store = open_store(where);
    std::vector<std::string> secrets;
    for (const char* k : {"K1", "K2", "K3"}) secrets.push_back(secret_for(*store, "SG01", k));
    test::ServeProcess serve(LOBBY_HEADOFFICE, where, dir.path / "serve.log", {"--push-connections", "1"});
    auto other = headoffice::open_postgres(where);
    auto watcher = headoffice::open_postgres(where);
    // The serve process's connections to this database: all but the test's three (store, other, watcher).
    auto serve_connections = [&] {
        return watcher->row("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")->integer(0) - 3;
    };
    int64_t before = serve_connections();
    other->begin_write("SG01");
    std::vector<std::jthread> pushing;
    std::atomic<int> answered{0}, ok{0};
    for (int i = 0; i < 3; ++i)
        pushing.emplace_back([&, i] {
            std::string kiosk = "K" + std::to_string(i + 1);
            test::KioskPusher p(serve.port(), "SG01", kiosk, secrets[static_cast<size_t>(i)]);
            auto [status, reply] = p.push(nlohmann::json::array({record("SG01", kiosk, 1, "parcel.registered",
                                                                        {{"parcel_id", "P" + kiosk}, {"pickup_code", "48291" + std::to_string(i)},
                                                                         {"tracking", "SF1"}, {"registered_at", 1795320000}})}));
            if (status == 200) ++ok;
            ++answered;
        });
    REQUIRE(test::wait_until(
        [&] { return watcher->row("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")->integer(0) == 1; }, 20s));
    CHECK(serve_connections() == before + 1);
    CHECK(answered == 0);
    other->rollback();
    REQUIRE(test::wait_until([&] { return answered == 3; }, 30s));
    CHECK(ok == 3);
    CHECK(store->record_count("SG01") == 3);
    // Three pushes, one connection: the pool never opened a second.
    CHECK(serve_connections() == before + 1);
    CHECK(serve.stop() == 0);
}

// The Overview's counts of open cases (case_counts, kept by triggers on cases) never make two
// pushes of one site wait on each other: while another process's transaction has filed a repair
// of SG01 and not yet committed, a push of SG01 repairs is stored and answered; both count.
TEST_CASE("on PostgreSQL the open-case counts never hold a push of a site behind another writer of that site's cases", "[sync][push][processes]") {
    test::TempDir dir;
    std::string where = test::PgServer::shared().new_database();
    auto store = open_store(where);
    std::string secret = secret_for(*store, "SG01", "K1");
    test::ServeProcess serve(LOBBY_HEADOFFICE, where, dir.path / "serve.log");
    auto other = headoffice::open_postgres(where);
    other->begin_unscoped_write();
    other->exec("INSERT INTO cases (site, ticket, record_id, kind, category, filed_at, status) "
                "VALUES ('SG01', 'BX-OTHER', 'r-other', 'repair', 'plumbing', 1795300000, 'registered')");
    test::KioskPusher k1(serve.port(), "SG01", "K1", secret);
    std::atomic<int> status{-1};
    std::jthread pushing([&] {
        status = k1.push(nlohmann::json::array({record("SG01", "K1", 1, "repair.request",
                                                       {{"ticket", "BX-SG01-1"}, {"category", "plumbing"}, {"registered_at", 1795300000}})}))
                     .first;
    });
    CHECK(test::wait_until([&] { return status != -1; }, 20s));
    other->commit();
    pushing.join();
    CHECK(status == 200);
    auto watcher = headoffice::open_postgres(where);
    auto counted = [&] {
        return watcher->row("SELECT CAST(sum(open_count) AS BIGINT) FROM case_counts WHERE site = 'SG01' AND kind = 'repair'")->integer(0);
    };
    CHECK(counted() == 2);
    store->fold_case_counts();
    CHECK(counted() == 2);
    CHECK(watcher->row("SELECT count(*) FROM case_counts WHERE site = 'SG01'")->integer(0) == 1);
    CHECK(serve.stop() == 0);
}
