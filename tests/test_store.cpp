// The store on a real SQLite file: pragmas, migrations, the transactional outbox, site data.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk/core/household.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using kiosk::test::TempDir;

TEST_CASE("the store opens in WAL with synchronous=FULL and foreign keys on, at the latest schema", "[store]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db", false);
    auto settings = s->connection_settings();  // the app's own connection, not a probe's
    CHECK(settings.journal_mode == "wal");
    CHECK(settings.synchronous == 2);  // FULL
    CHECK(settings.foreign_keys);
    CHECK(s->schema_version() == Store::latest_schema_version());
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM schema_migrations") == Store::latest_schema_version());
    // Opening again runs nothing twice.
    s.reset();
    auto again = test::open_store(dir.path / "k.db", false);
    CHECK(StoreProbe(*again).count("SELECT count(*) FROM schema_migrations") == Store::latest_schema_version());
}

TEST_CASE("a store from before the site's parcels, passes and loans upgrades with them and their records intact", "[store][parcels]") {
    TempDir dir;
    {
        SQLite::Database db((dir.path / "k.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA foreign_keys=ON");
        migrate(db, 13);
        db.exec(R"sql(
INSERT INTO records VALUES ('SG01-K1-abcdef-00000001', 'parcel.registered', 1, '{}', '2026-11-22T01:30:00Z', 1);
INSERT INTO records VALUES ('SG01-K1-abcdef-00000002', 'parcel.proxy_issued', 1, '{}', '2026-11-22T01:40:00Z', 2);
INSERT INTO parcels (id, record_id, tracking, carrier, unit_id, recipient_masked, shelf, pickup_code, consent, registered_at)
  VALUES ('P261122K1001', 'SG01-K1-abcdef-00000001', 'SF5000000001', 'sf', 'B1-101', '张*', 'A-01', '123456', 1, 1795318200);
INSERT INTO parcel_proxy_codes (code, parcel_id, record_id, issued_at, expires_at)
  VALUES ('654321', 'P261122K1001', 'SG01-K1-abcdef-00000002', 1795318800, 1795405200);
INSERT INTO records VALUES ('SG01-K1-abcdef-00000003', 'exit_pass.requested', 1, '{}', '2026-11-22T01:50:00Z', 3);
INSERT INTO exit_passes (id, record_id, unit_id, requester_id, requester_role, items, pass_date, time_window, carrier,
                         status, reviewed_by, requested_at, reviewed_at)
  VALUES ('F261122K1001', 'SG01-K1-abcdef-00000003', 'B1-101', 'R001', 'owner', '[["boxes",3]]', '2026-11-23', 'morning',
          'self', 'approved', 'A01', 1795319400, 1795320000);
INSERT INTO records VALUES ('SG01-K1-abcdef-00000004', 'loan.lent', 1, '{}', '2026-11-22T02:00:00Z', 4);
INSERT INTO loans (id, record_id, item_id, unit_id, borrower_id, lent_at, due_at)
  VALUES ('L261122K1001', 'SG01-K1-abcdef-00000004', 'wheelchair', 'B1-101', 'R001', 1795320000, 1795924800);
)sql");
        CHECK(db.execAndGet("PRAGMA user_version").getInt() == 13);
    }
    auto s = test::open_store(dir.path / "k.db", false);
    CHECK(s->schema_version() == Store::latest_schema_version());
    auto p = s->parcels().parcel("P261122K1001");
    REQUIRE(p);
    CHECK(p->pickup_code == "123456");
    CHECK(p->status == "waiting");
    CHECK(StoreProbe(*s).text("SELECT record_id FROM parcels") == "SG01-K1-abcdef-00000001");
    CHECK(StoreProbe(*s).count("SELECT origin_kiosk IS NULL FROM parcels") == 1);
    CHECK(s->parcels().parcel_for_code("654321", 1795320000)->parcel.id == "P261122K1001");
    auto pass = s->exit_passes().exit_pass("F261122K1001");
    REQUIRE(pass);
    CHECK(pass->status == "approved");
    CHECK(pass->request.items == std::vector<std::pair<std::string, int>>{{"boxes", 3}});
    auto loans = s->loans().household_loans("B1-101");
    REQUIRE(loans.size() == 1);
    CHECK(loans[0].due_at == 1795924800);
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM exit_passes WHERE record_id = 'SG01-K1-abcdef-00000003' "
                             "AND origin_kiosk IS NULL") == 1);
    StoreProbe fk_probe(*s);
    SQLite::Statement fk(fk_probe.connection(), "PRAGMA foreign_key_check");
    CHECK_FALSE(fk.executeStep());
    CHECK(StoreProbe(*s).text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a saved record and its outbox entry are written together", "[store][outbox]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db", false);
    auto r = s->save_record("repair.request", 1, {{"unit", "B1-101"}, {"what", "水龙头漏水"}});
    REQUIRE(r.ok());
    CHECK_THAT(r.value().id, Catch::Matches("SG01-K1-[0-9a-f]{6}-00000001"));
    CHECK(s->outbox().outbox_depth() == 1);
    auto batch = s->outbox().outbox_batch(10);
    REQUIRE(batch.size() == 1);
    CHECK(batch[0].record_id == r.value().id);
    CHECK(batch[0].record_type == "repair.request");
    CHECK(nlohmann::json::parse(batch[0].payload)["what"] == "水龙头漏水");
    CHECK_FALSE(batch[0].created_at.empty());
}

TEST_CASE("when the record's own rows fail, neither the record nor its outbox entry is saved", "[store][outbox]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db", false);
    REQUIRE(s->save_record("a", 1, {{"n", 1}}).ok());
    auto bad = s->save_record("b", 1, {{"n", 2}}, [](SQLite::Database& db, const SavedRecord&, nlohmann::json&) {
        db.exec("INSERT INTO residents (id, unit_id, name_masked, phone_masked, role, verify_salt, verify_hash) "
                "VALUES ('R9', 'no-such-unit', 'x', 'x', 'owner', 's', 'h')");  // violates the foreign key
    });
    CHECK_FALSE(bad.ok());
    CHECK(bad.error().key == "error.store_write");
    CHECK(s->outbox().outbox_depth() == 1);
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM records") == 1);
    // The sequence did not advance either: the next id follows the last saved one.
    auto next = s->save_record("c", 1, {{"n", 3}});
    REQUIRE(next.ok());
    CHECK(next.value().id.substr(next.value().id.size() - 9) == "-00000002");
}

TEST_CASE("record ids stay unique across restarts", "[store][outbox]") {
    TempDir dir;
    std::set<std::string> ids;
    for (int run = 0; run < 3; ++run) {
        auto s = test::open_store(dir.path / "k.db", false);
        for (int i = 0; i < 5; ++i) {
            auto r = s->save_record("t", 1, {{"run", run}, {"i", i}});
            REQUIRE(r.ok());
            CHECK(ids.insert(r.value().id).second);
        }
    }
    CHECK(ids.size() == 15);
    // A reinstalled kiosk (a new store file, the sequence from 1 again) makes different ids.
    TempDir other;
    auto fresh = test::open_store(other.path / "k.db", false);
    auto r = fresh->save_record("t", 1, {{"run", 9}});
    REQUIRE(r.ok());
    CHECK(r.value().local_seq == 1);
    CHECK(ids.count(r.value().id) == 0);
    auto s = test::open_store(dir.path / "k.db", false);
    auto batch = s->outbox().outbox_batch(100);
    REQUIRE(batch.size() == 15);
    for (size_t i = 1; i < batch.size(); ++i) CHECK(batch[i].local_seq > batch[i - 1].local_seq);
}

TEST_CASE("a bad payload is refused and nothing is half-saved", "[store]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db", false);
    // The payload column only takes JSON; a raw SQL attempt to slip one in fails the CHECK.
    CHECK_THROWS(StoreProbe::arrange(*s, "INSERT INTO records VALUES ('x', 't', 1, 'not json', 'now', 99)"));
    CHECK(s->outbox().outbox_depth() == 0);
}

TEST_CASE("the demo site loads, and a broken site file changes nothing", "[store][site]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    CHECK(s->datasets().has_site_data());
    int units = StoreProbe(*s).count("SELECT count(*) FROM units");
    CHECK(units == 36);
    auto site = test::demo_site();
    site["residents"].push_back({{"id", "R999"}, {"unit", "B9-999"}, {"name_masked", "某*"}, {"phone_masked", "1"},
                                 {"role", "owner"}, {"verify_salt", "s"}, {"verify_hash", "h"}});
    auto r = s->import_site(site);
    CHECK_FALSE(r.ok());
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM units") == units);
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM residents") == 10);
    site = test::demo_site();
    site["units"][0].erase("label");
    auto missing = s->import_site(site);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().detail.find("label") != std::string::npos);
}

TEST_CASE("the store hands the site's facts over typed, and a pulled fact shows on the next read", "[store][site][facts]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    SiteFacts f = s->datasets().site_facts();
    CHECK(f.site_name.in(Lang::En) == "Sunshine Garden");
    CHECK(f.desk_phone == "0755-2345 6789");
    CHECK(f.repair_slots.size() == 3);
    CHECK(f.public_areas.size() == 6);
    CHECK(f.enquiry_topics.size() == 6);
    REQUIRE(f.survey);
    CHECK(f.survey->questions.size() == 5);
    CHECK(f.parcel_shelves.size() == 8);
    CHECK(f.parcel_limits.return_after == 14);
    CHECK(f.exit_pass_arrears_rule == ArrearsRule::Block);
    CHECK(payment_url(f, s->site_id(), "B1-101", 100).value() == "https://pay.example.com/" + s->site_id() + "?unit=B1-101&amount=1.00");
    // Head office changes one fact and breaks another: the change shows, the broken one falls back.
    REQUIRE(s->outbox().apply_pull("facts",
                                   {{"exit_pass_arrears_rule", "warn", false}, {"public_areas", "[{\"id\": ", false}, {"survey", {}, true}},
                                   s->outbox().pull_cursor("facts") + 1).ok());
    f = s->datasets().site_facts();
    CHECK(f.exit_pass_arrears_rule == ArrearsRule::Warn);
    CHECK(f.public_areas.empty());
    CHECK_FALSE(f.survey);
    CHECK(f.repair_slots.size() == 3);
}

TEST_CASE("residents are stored masked, with a salted hash that proves the household", "[store][privacy]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    StoreProbe q_probe(*s);
    SQLite::Statement q(q_probe.connection(), "SELECT name_masked, phone_masked, verify_salt, verify_hash FROM residents WHERE unit_id = 'B1-101'");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "张*明");
    CHECK(q.getColumn(1).getString() == "138****5678");
    CHECK(household_secret_matches(q.getColumn(2).getString(), q.getColumn(3).getString(), "5678"));
    CHECK_FALSE(household_secret_matches(q.getColumn(2).getString(), q.getColumn(3).getString(), "1234"));
    // No column anywhere holds a full phone number.
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM residents WHERE phone_masked GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'") == 0);
}

TEST_CASE("announcements are those valid today, urgent first", "[store][site]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    auto today = s->datasets().announcements("2026-11-22");
    REQUIRE(today.size() == 4);
    CHECK(today[0].urgent);
    CHECK(today[0].title.in(Lang::ZhCN) == "2栋停水通知");
    CHECK(today[0].title.in(Lang::En) == "Water cut in Block 2");
    for (auto& a : today) CHECK(a.id != "A-2025-099");  // expired at the end of 2025
    CHECK(s->datasets().announcements("2025-06-01").size() == 1);
}

TEST_CASE("a staff PIN is checked against its Argon2id hash", "[store][security]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    auto clerk = s->household().check_staff_pin("A01", "246810");
    REQUIRE(clerk);
    CHECK(clerk->role == StaffRole::Clerk);
    CHECK(s->household().check_staff_pin("S01", "135790")->role == StaffRole::Supervisor);
    CHECK_FALSE(s->household().check_staff_pin("A01", "246811"));
    CHECK_FALSE(s->household().check_staff_pin("A01", ""));
    CHECK_FALSE(s->household().check_staff_pin("Z99", "246810"));
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM staff WHERE pin_hash NOT LIKE '$argon2id$%'") == 0);
}

TEST_CASE("importing the site again keeps the repairs and complaints already filed", "[store][site]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    RepairRequest r;
    r.unit_id = "B1-101";
    r.phrases = {"灯不亮"};
    r.contact_resident_id = "R001";
    r.contact_phone_masked = "138****5678";
    std::time_t now = test::test_wall_clock();
    REQUIRE(s->cases().save_repair(r, now, repair_promise(RepairUrgency::Emergency, now, std::nullopt, false)).ok());
    auto site = test::demo_site();
    // Head office dropped B1-101 from the directory, with its residents, PIN and bills.
    site["units"].erase(0);
    site["residents"].erase(0);
    site["household_pins"].erase(0);
    site["parcel_consent"].erase(0);
    auto& fees = site["fee_items"];
    for (size_t i = fees.size(); i-- > 0;)
        if (fees[i]["unit"] == "B1-101") fees.erase(i);
    auto again = s->import_site(site);
    INFO((again.ok() ? "" : again.error().detail));
    REQUIRE(again.ok());
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM repairs WHERE unit_id = 'B1-101'") == 1);
    CHECK(s->outbox().outbox_depth() == 1);
}

TEST_CASE("a pulled page lands in short transactions and its cursor only with the last of them", "[store][sync]") {
    test::TempDir dir;
    auto s = test::open_store(dir.path / "kiosk.db");
    StoreProbe probe(*s);
    const int64_t before = probe.count("SELECT count(*) FROM announcements");
    auto notices = [](int from, int n, int bad_at = -1) {
        std::vector<DatasetRow> out;
        for (int i = from; i < from + n; ++i) {
            std::string id = "PULL" + std::to_string(i);
            nlohmann::json body{{"id", id}, {"title", {{"zh-CN", "通知"}}}, {"body", {{"zh-CN", "内容"}}},
                                {"urgent", false}, {"starts_on", "2026-11-01"}, {"ends_on", "2026-11-30"}};
            if (i == bad_at) body.erase("title");  // a row the kiosk's table cannot take
            out.push_back({id, body});
        }
        return out;
    };
    // Two and a half transactions' worth: every row and the cursor.
    const int page = static_cast<int>(kPullRowsPerTransaction * 5 / 2);
    REQUIRE(s->outbox().apply_pull("announcements", notices(0, page), 7).ok());
    CHECK(probe.count("SELECT count(*) FROM announcements") == before + page);
    CHECK(s->outbox().pull_cursor("announcements") == 7);
    // A bad row in the last transaction: the pull fails, the cursor stays, so the page comes again.
    auto failed = s->outbox().apply_pull("announcements", notices(page, page, page + page - 1), 8);
    CHECK_FALSE(failed.ok());
    CHECK(s->outbox().pull_cursor("announcements") == 7);
    // Pulled again (fixed at head office), the same rows apply once more without harm.
    REQUIRE(s->outbox().apply_pull("announcements", notices(page, page), 8).ok());
    CHECK(probe.count("SELECT count(*) FROM announcements") == before + 2 * page);
    CHECK(s->outbox().pull_cursor("announcements") == 8);
}
