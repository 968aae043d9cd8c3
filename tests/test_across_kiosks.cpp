// The site's parcels, exit passes and loans across its kiosks, through the real head office on
// loopback (SQLite and PostgreSQL): a parcel registered at the desk is the household's at the
// lobby kiosk too; what is done to it at one kiosk reaches the others; two kiosks acting on one
// parcel or pass while apart get one answer; two kiosks drawing the same pickup code while apart
// end with different codes; a pass asked for in the lobby is reviewed at the desk and used at the
// gate; an item lent at one kiosk counts against the stock at another and is returned there.
// Every kiosk here starts empty and gets the site's data by pull, as a new kiosk does.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include <fstream>
#include <iterator>
#include <set>

#include "kiosk/core/household.hpp"
#include "kiosk/store/probe.hpp"
#include "sync/server/csv.hpp"
#include "headoffice_fixture.hpp"
#include "run_command.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

constexpr std::time_t kDay = 86400;

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

struct SiteKiosk {
    test::TempDir dir;
    std::string id, enrol_code;
    std::unique_ptr<Store> store;
    std::unique_ptr<sync::SyncWorker> worker;

    SiteKiosk(test::HeadOffice& ho, const std::string& kiosk) : id(kiosk) {
        auto code = ho.store->add_kiosk("SG01", kiosk);
        INFO("enrol " << kiosk << ": " << (code ? std::string() : code.error().detail));
        REQUIRE(code.ok());
        enrol_code = code.value();
        auto opened = Store::open(dir.path / "kiosk.db", "SG01", kiosk);
        INFO("open " << kiosk << ": " << (opened ? std::string() : opened.error().detail));
        REQUIRE(opened.ok());
        store = std::move(opened.value());
        connect(ho);
    }
    void connect(test::HeadOffice& ho) { worker = test::start_sync(dir.path / "kiosk.db", id, ho.url(), enrol_code); }
    void disconnect() { worker.reset(); }
    void sync() {
        worker->wake();
        REQUIRE(worker->wait_synced(20s));
    }
};

}  // namespace

TEST_CASE("a parcel registered at the desk is the household's at the lobby kiosk, and what either does to it reaches the other", "[sync][parcels]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    SiteKiosk desk(ho, "K1"), lobby(ho, "K2");
    desk.sync();
    lobby.sync();
    REQUIRE(desk.store->household().unit("B1-101"));  // the site came by pull
    const std::time_t now = test::test_wall_clock();
    const ParcelLimits limits;

    auto p = desk.store->parcels().register_parcel({"SF5000000001", "sf", "B1-101", "A-01"}, now).value();
    desk.sync();
    lobby.sync();
    auto mine = lobby.store->parcels().household_parcels("B1-101");
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].id == p.id);
    CHECK(mine[0].shelf == "A-01");
    CHECK(mine[0].carrier == "sf");
    CHECK(mine[0].recipient_masked == p.recipient_masked);
    CHECK(mine[0].registered_at == p.registered_at);
    auto by_code = lobby.store->parcels().parcel_for_code(p.pickup_code, now);
    REQUIRE(by_code);
    CHECK(by_code->parcel.id == p.id);
    CHECK_FALSE(by_code->by_proxy);
    // Head office texted the code once; only the kiosk holding the parcel sends its reminders.
    auto texts = ho.texts();
    REQUIRE(texts.size() == 1);
    CHECK(texts[0].detail["pickup_code"] == p.pickup_code);
    CHECK(lobby.store->parcels().queue_parcel_reminders(now + 3 * kDay + 60, limits) == 0);

    // At the lobby kiosk the household extends the hold and makes a code for a neighbour.
    REQUIRE(lobby.store->parcels().extend_parcel_hold(p.id, "B1-101", limits, now + 60).ok());
    auto proxy = lobby.store->parcels().issue_proxy_code(p.id, "B1-101", now + 120).value();
    lobby.sync();
    desk.sync();
    CHECK(desk.store->parcels().parcel(p.id)->extra_days == limits.extend_days);
    auto neighbour = desk.store->parcels().parcel_for_code(proxy.code, now + 600);
    REQUIRE(neighbour);
    CHECK(neighbour->parcel.id == p.id);
    CHECK(neighbour->by_proxy);
    // The desk hands it to the neighbour with that code; the code is then used up.
    REQUIRE(desk.store->parcels().hand_over_parcels(Store::HandOver{{p.id}, "proxy", "A01", proxy.code, nullptr, {}}, now + 700).ok());
    CHECK_FALSE(desk.store->parcels().parcel_for_code(proxy.code, now + 800));
    desk.sync();
    lobby.sync();
    CHECK(lobby.store->parcels().parcel(p.id)->status == "collected");
    CHECK(lobby.store->parcels().household_parcels("B1-101").empty());
    CHECK_FALSE(lobby.store->parcels().parcel_for_code(proxy.code, now + 800));
    CHECK_FALSE(lobby.store->parcels().parcel_for_code(p.pickup_code, now + 800));
    CHECK(ho.store->conflicts("SG01").empty());
    // The end check: each kiosk holds exactly what head office has, data set by data set.
    test::check_pulled_matches(ho, *desk.store);
    test::check_pulled_matches(ho, *lobby.store);
}

TEST_CASE("two kiosks hand over one parcel while apart: the first to reach head office wins, the other is told, both agree it is gone", "[sync][parcels][conflicts]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    SiteKiosk k1(ho, "K1"), k2(ho, "K2");
    k1.sync();
    k2.sync();
    const std::time_t now = test::test_wall_clock();
    auto p = k1.store->parcels().register_parcel({"SF5000000002", "sf", "B2-301", "B-02"}, now).value();
    k1.sync();
    k2.sync();
    REQUIRE(k2.store->parcels().parcel(p.id));

    // The network goes; each desk hands the parcel over, one by code, one to the household.
    k1.disconnect();
    k2.disconnect();
    auto first = k1.store->parcels().hand_over_parcels(Store::HandOver{{p.id}, "code", "A01", {}, nullptr, {}}, now + 60).value();
    auto second = k2.store->parcels().hand_over_parcels(Store::HandOver{{p.id}, "household", "A02", {}, nullptr, {}}, now + 90).value();
    k1.connect(ho);
    k1.sync();
    k2.connect(ho);
    k2.sync();
    CHECK(ho.store->record_count("SG01", "parcel.handed_over") == 2);  // both kept
    CHECK(k1.store->outbox().sync_conflicts().empty());
    auto told = k2.store->outbox().sync_conflicts();
    REQUIRE(told.size() == 1);
    CHECK(told[0].record_id == second);
    CHECK(told[0].reason == "parcel_already_gone");
    CHECK(told[0].winner == first);
    CHECK(k1.store->parcels().parcel(p.id)->status == "collected");
    CHECK(k2.store->parcels().parcel(p.id)->status == "collected");
}

TEST_CASE("the same pickup code drawn at two kiosks while apart: head office gives the later parcel a new code and texts that one", "[sync][parcels][conflicts]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    SiteKiosk k1(ho, "K1"), k2(ho, "K2");
    k1.sync();
    k2.sync();
    k1.disconnect();
    k2.disconnect();
    const std::time_t now = test::test_wall_clock();
    auto a = k1.store->parcels().register_parcel({"SF5000000003", "sf", "B1-101", "A-03"}, now).value();
    auto b = k2.store->parcels().register_parcel({"YT5000000004", "yto", "B2-301", "C-01"}, now + 30).value();
    // The one-in-a-million coincidence, arranged: K2 drew the code K1 drew.
    {
        REQUIRE(StoreProbe::arrange(*k2.store, "UPDATE parcels SET pickup_code = ? WHERE id = ?", {a.pickup_code, b.id}) == 1);
        REQUIRE(StoreProbe::arrange(*k2.store,
                                    "UPDATE records SET payload = json_set(payload, '$.pickup_code', ?) WHERE type = 'parcel.registered'",
                                    {a.pickup_code}) == 1);
    }
    k1.connect(ho);
    k1.sync();
    k2.connect(ho);
    k2.sync();

    auto told = k2.store->outbox().sync_conflicts();
    REQUIRE(told.size() == 1);
    CHECK(told[0].reason == "pickup_code_clash");
    std::string fresh = k2.store->parcels().parcel(b.id)->pickup_code;
    CHECK(fresh != a.pickup_code);
    CHECK(fresh.size() == 6);
    CHECK(fresh.find_first_not_of("0123456789") == std::string::npos);
    // Each household was texted one code, and they differ: B2-301 got the new one.
    std::map<std::string, std::string> texted;
    for (auto& t : ho.texts()) texted[t.unit] = t.detail["pickup_code"];
    CHECK(texted["B1-101"] == a.pickup_code);
    CHECK(texted["B2-301"] == fresh);
    // Both kiosks agree which parcel each code opens.
    k1.sync();
    for (Store* s : {k1.store.get(), k2.store.get()}) {
        CHECK(s->parcels().parcel_for_code(a.pickup_code, now + 60)->parcel.id == a.id);
        CHECK(s->parcels().parcel_for_code(fresh, now + 60)->parcel.id == b.id);
        CHECK(s->parcels().waiting_parcels().size() == 2);
    }
}

TEST_CASE("an exit pass asked for at the lobby kiosk is reviewed at the desk and used once at the gate, even with two gates apart", "[sync][exit_pass][conflicts]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    SiteKiosk desk(ho, "K1"), lobby(ho, "K2"), gate(ho, "K3");
    for (SiteKiosk* k : {&desk, &lobby, &gate}) k->sync();
    const std::time_t now = test::test_wall_clock();
    ExitPassRequest r{"B1-101", "R001", "owner", {{"boxes", 3}}, "2026-11-23", "morning", "movers", "粤B12345"};
    auto id = lobby.store->exit_passes().save_exit_pass_request(r, now).value();
    lobby.sync();
    desk.sync();
    auto pending = desk.store->exit_passes().pending_exit_passes();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].id == id);
    CHECK(pending[0].request.items == r.items);
    CHECK(pending[0].request.plate == "粤B12345");
    CHECK(pending[0].request.requester_role == "owner");
    REQUIRE(desk.store->exit_passes().review_exit_pass(id, true, "", "A01", false, now + 600).ok());
    desk.sync();
    gate.sync();
    lobby.sync();
    CHECK(gate.store->exit_passes().exit_pass(id)->status == "approved");
    CHECK(gate.store->exit_passes().exit_pass(id)->reviewed_by == "A01");
    CHECK(lobby.store->exit_passes().exit_pass(id)->status == "approved");

    // Moving day, the network down: the movers show the pass at the gate and again at the lobby.
    gate.disconnect();
    lobby.disconnect();
    CHECK(gate.store->exit_passes().use_exit_pass(id, "2026-11-23", now + kDay) == GateVerdict::LetThrough);
    CHECK(lobby.store->exit_passes().use_exit_pass(id, "2026-11-23", now + kDay + 300) == GateVerdict::LetThrough);
    gate.connect(ho);
    gate.sync();
    lobby.connect(ho);
    lobby.sync();
    desk.sync();
    auto told = lobby.store->outbox().sync_conflicts();
    REQUIRE(told.size() == 1);
    CHECK(told[0].reason == "exit_pass_already_used");
    CHECK(gate.store->outbox().sync_conflicts().empty());
    CHECK(desk.store->exit_passes().exit_pass(id)->status == "used");
    CHECK(desk.store->exit_passes().use_exit_pass(id, "2026-11-23", now + kDay + 600) == GateVerdict::AlreadyUsed);
    gate.sync();
    for (SiteKiosk* k : {&desk, &lobby, &gate}) test::check_pulled_matches(ho, *k->store);
}

TEST_CASE("the last wheelchair lent at the desk is gone at the lobby kiosk too, and is returned there", "[sync][loans]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    SiteKiosk desk(ho, "K1"), lobby(ho, "K2");
    desk.sync();
    lobby.sync();
    const std::time_t now = test::test_wall_clock();
    auto available = [](Store& s) {
        for (auto& c : s.datasets().catalogue())
            if (c.id == "wheelchair") return c.available;
        return -1;
    };
    REQUIRE(available(*lobby.store) == 1);
    auto lent = desk.store->loans().lend_item("wheelchair", "B1-101", "R001", now);
    INFO((lent ? std::string() : lent.error().key + ": " + lent.error().detail));
    REQUIRE(lent.ok());
    auto loan = lent.value();
    desk.sync();
    lobby.sync();
    CHECK(available(*lobby.store) == 0);
    auto refused = lobby.store->loans().lend_item("wheelchair", "B3-101", "R008", now + 60);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().key == "loan.error.none_left");
    auto out = lobby.store->loans().household_loans("B1-101");
    REQUIRE(out.size() == 1);
    CHECK(out[0].id == loan.id);
    CHECK(out[0].due_at == loan.due_at);

    REQUIRE(lobby.store->loans().return_loan(loan.id, "worn", "A02", now + 3 * kDay).ok());
    lobby.sync();
    desk.sync();
    CHECK(desk.store->loans().loans_out().empty());
    CHECK(available(*desk.store) == 1);
    CHECK(desk.store->loans().lend_item("wheelchair", "B3-101", "R008", now + 3 * kDay + 60).ok());
    CHECK(ho.store->conflicts("SG01").empty());
}

TEST_CASE("wrong household PINs at two kiosks add up at head office: the tenth in a day locks the household at every kiosk until the desk issues a new PIN", "[sync][household][security]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    SiteKiosk lobby(ho, "K1"), desk(ho, "K2");
    lobby.sync();
    desk.sync();
    const std::time_t now = test::test_wall_clock();
    auto proof = lobby.store->household().household_proof("B1-102");
    REQUIRE(proof);
    CHECK_FALSE(proof->locked);
    // A wrong PIN as the verify screen records it: against the hash the kiosk holds now.
    auto wrong_pin = [](SiteKiosk& k, const std::string& unit, std::time_t at) {
        return k.store->household().record_pin_failure(unit, at, k.store->household().household_proof(unit)->pin_hash).ok();
    };

    // Three wrong PINs two days ago are past the window; nine today, at two kiosks, are not yet ten.
    for (int i = 0; i < 3; ++i) REQUIRE(wrong_pin(lobby, "B1-102", now - 2 * kDay + i));
    for (int i = 0; i < 5; ++i) REQUIRE(wrong_pin(lobby, "B1-102", now + i * 60));
    for (int i = 0; i < 4; ++i) REQUIRE(wrong_pin(desk, "B1-102", now + 30 + i * 60));
    REQUIRE(wrong_pin(desk, "B2-301", now));  // another household's count is its own
    lobby.sync();
    desk.sync();
    CHECK(ho.store->record_count("SG01", "household.pin_failed") == 13);
    CHECK(ho.store->household_locked("SG01", "B1-102") == false);
    // The tenth today.
    REQUIRE(wrong_pin(desk, "B1-102", now + 600));
    desk.sync();
    CHECK(ho.store->household_locked("SG01", "B1-102") == true);
    CHECK(ho.store->household_locked("SG01", "B2-301") == false);
    lobby.sync();
    desk.sync();
    CHECK(lobby.store->household().household_proof("B1-102")->locked);
    CHECK(desk.store->household().household_proof("B1-102")->locked);
    CHECK_FALSE(lobby.store->household().household_proof("B2-301")->locked);

    // The desk hands the household a new PIN: printed once, kept only as its hash, and unlocked.
    std::string db = "--db '" + ho.where + "' --site-id SG01";
    auto [rc, out] = test::run_command(std::string(LOBBY_HEADOFFICE) + " household-pin " + db + " --unit B1-102");
    INFO(out);
    REQUIRE(rc == 0);
    REQUIRE(out.size() == 9);
    std::string pin = out.substr(0, 8);
    CHECK(household_pin_well_formed(pin));
    CHECK(ho.store->household_locked("SG01", "B1-102") == false);
    // The lobby kiosk was offline meanwhile: ten guesses at the old PIN, the last after the new one
    // was issued, reach head office late and count for nothing against the new one.
    for (int i = 0; i < 10; ++i) REQUIRE(wrong_pin(lobby, "B1-102", now + 700 + i));
    lobby.sync();
    CHECK(ho.store->record_count("SG01", "household.pin_failed") == 24);  // kept, as every record
    CHECK(ho.store->household_locked("SG01", "B1-102") == false);
    lobby.sync();
    desk.sync();
    for (Store* s : {lobby.store.get(), desk.store.get()}) {
        auto fresh = s->household().household_proof("B1-102");
        REQUIRE(fresh);
        CHECK_FALSE(fresh->locked);
        CHECK(household_pin_matches(fresh->pin_hash, pin));
        CHECK_FALSE(household_pin_matches(fresh->pin_hash, "11021102"));  // the old one is gone
        CHECK(fresh->pin_hash.find(pin) == std::string::npos);
    }
    // The count started again with the new PIN: one more wrong try locks nothing.
    REQUIRE(wrong_pin(lobby, "B1-102", now + 900));
    lobby.sync();
    CHECK(ho.store->household_locked("SG01", "B1-102") == false);
    // Nothing of head office's holds the PIN itself.
    if (ho.store->dialect() == std::string("sqlite")) {
        SQLite::Database hodb(ho.where, SQLite::OPEN_READONLY);
        SQLite::Statement q(hodb, "SELECT (SELECT count(*) FROM site_rows WHERE instr(body, ?1) > 0) + "
                                  "(SELECT count(*) FROM records WHERE instr(payload, ?1) > 0)");
        q.bind(1, pin);
        REQUIRE(q.executeStep());
        CHECK(q.getColumn(0).getInt() == 0);
    }
    // A flat the site does not have gets no PIN.
    auto [bad_rc, bad_out] = test::run_command(std::string(LOBBY_HEADOFFICE) + " household-pin " + db + " --unit B9-999");
    CHECK(bad_rc == 1);
    CHECK(bad_out.find("no unit B9-999 at site SG01") != std::string::npos);
    test::check_pulled_matches(ho, *lobby.store);
}

TEST_CASE("after a kiosk is stolen, household-pin --all gives every household a new PIN, in a new 0600 file and nowhere else", "[sync][household][security]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    SiteKiosk lobby(ho, "K1");
    lobby.sync();
    std::set<std::string> units;
    for (auto& b : lobby.store->household().buildings())
        for (auto& u : lobby.store->household().units_of(b.id)) units.insert(u.id);
    REQUIRE(units.size() >= 5);
    REQUIRE(household_pin_matches(lobby.store->household().household_proof("B1-102")->pin_hash, "11021102"));
    std::string old_b1_102 = lobby.store->household().household_proof("B1-102")->pin_hash;

    std::string db = "--db '" + ho.where + "' --site-id SG01";
    auto file = lobby.dir.path / "pins.csv";
    // The PINs are never printed: --all without a file is refused, and changes nothing.
    auto [no_out_rc, no_out] = test::run_command(std::string(LOBBY_HEADOFFICE) + " household-pin " + db + " --all");
    CHECK(no_out_rc == 1);
    CHECK(no_out.find("--out") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(file));

    auto [rc, out] = test::run_command(std::string(LOBBY_HEADOFFICE) + " household-pin " + db + " --all --out '" + file.string() + "'");
    INFO(out);
    REQUIRE(rc == 0);
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    auto rows = headoffice::parse_csv(slurp(file));
    REQUIRE(rows.ok());
    REQUIRE(rows.value().size() == units.size() + 1);
    CHECK(rows.value()[0] == std::vector<std::string>{"unit", "pin"});
    lobby.sync();
    std::set<std::string> given;
    for (size_t i = 1; i < rows.value().size(); ++i) {
        const auto& row = rows.value()[i];
        REQUIRE(row.size() == 2);
        INFO(row[0]);
        given.insert(row[0]);
        CHECK(household_pin_well_formed(row[1]));
        CHECK(out.find(row[1]) == std::string::npos);  // not on the screen
        auto proof = lobby.store->household().household_proof(row[0]);
        REQUIRE(proof);
        CHECK_FALSE(proof->locked);
        CHECK(household_pin_matches(proof->pin_hash, row[1]));
    }
    CHECK(given == units);
    CHECK(lobby.store->household().household_proof("B1-102")->pin_hash != old_b1_102);
    CHECK_FALSE(household_pin_matches(lobby.store->household().household_proof("B1-102")->pin_hash, "11021102"));

    // A second run never overwrites the first file (the desk may not have printed it yet), and
    // changes no PIN.
    std::string first = slurp(file);
    std::string b1_102 = lobby.store->household().household_proof("B1-102")->pin_hash;
    auto [again_rc, again] = test::run_command(std::string(LOBBY_HEADOFFICE) + " household-pin " + db + " --all --out '" + file.string() + "'");
    CHECK(again_rc == 1);
    CHECK(again.find("never overwritten") != std::string::npos);
    CHECK(slurp(file) == first);
    lobby.sync();
    CHECK(lobby.store->household().household_proof("B1-102")->pin_hash == b1_102);
}
