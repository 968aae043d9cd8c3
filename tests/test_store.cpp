// The store on a real SQLite file: pragmas, migrations, the transactional outbox, site data.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "kiosk/store/probe.hpp"
#include "kiosk/core/announcement.hpp"
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
        db.exec("INSERT INTO residents (id, unit_id, name_masked, phone_masked, role) "
                "VALUES ('R9', 'no-such-unit', 'x', 'x', 'owner')");  // violates the foreign key
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
                                 {"role", "owner"}});
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

TEST_CASE("residents are stored masked, and nothing on the kiosk's disk is a fast hash of digits the screen shows", "[store][privacy]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    StoreProbe q_probe(*s);
    SQLite::Statement q(q_probe.connection(), "SELECT name_masked, phone_masked FROM residents WHERE unit_id = 'B1-101'");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "张*明");
    CHECK(q.getColumn(1).getString() == "138****5678");
    // The phone's digits prove nothing any more: no salted hash of them is kept.
    StoreProbe cols_probe(*s);
    SQLite::Statement cols(cols_probe.connection(), "SELECT group_concat(name, ',') FROM pragma_table_info('residents')");
    REQUIRE(cols.executeStep());
    CHECK(cols.getColumn(0).getString() == "id,unit_id,name_masked,phone_masked,role");
    // What proves a household is an Argon2id hash of its PIN, one per flat of the demo site.
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM household_pins WHERE pin_hash LIKE '$argon2id$v=19$m=16384,t=3,p=1$%'") == 36);
    auto proof = s->household().household_proof("B1-101");
    REQUIRE(proof);
    CHECK_FALSE(proof->locked);
    CHECK(household_pin_matches(proof->pin_hash, "11011101"));
    CHECK_FALSE(household_pin_matches(proof->pin_hash, "00005678"));
    // No column anywhere holds a full phone number.
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM residents WHERE phone_masked GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'") == 0);
}

TEST_CASE("a store from before the household PIN upgrades: the phone-digit hashes and old PIN hashes leave the disk, the PINs are pulled anew", "[store][privacy][sync]") {
    TempDir dir;
    {
        SQLite::Database db((dir.path / "k.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA foreign_keys=ON");
        migrate(db, 16);
        db.exec(R"sql(
INSERT INTO buildings VALUES ('B1', '{"zh-CN": "1栋"}', 1);
INSERT INTO units VALUES ('B1-101', 'B1', 1, '101');
INSERT INTO residents VALUES ('R001', 'B1-101', '张*明', '138****5678', 'owner', '0cc20e3c', '53f393f1');
INSERT INTO household_pins VALUES ('B1-101', '21a5534c', 'b5a48dd6');
INSERT INTO sync_cursors VALUES ('household_pins', 41), ('residents', 42);
)sql");
        CHECK(db.execAndGet("PRAGMA user_version").getInt() == 16);
    }
    auto s = test::open_store(dir.path / "k.db", false);
    CHECK(s->schema_version() == Store::latest_schema_version());
    auto members = s->household().members("B1-101");
    REQUIRE(members.size() == 1);
    CHECK(members[0].phone_masked == "138****5678");
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM pragma_table_info('residents') WHERE name LIKE 'verify%'") == 0);
    // The old salted SHA-256 PIN is gone; until the pull brings the Argon2id hash the flat has no PIN.
    CHECK_FALSE(s->household().household_proof("B1-101"));
    CHECK(s->outbox().pull_cursor("household_pins") == 0);
    CHECK(s->outbox().pull_cursor("residents") == 42);
    auto hash = household_pin_hash("11011101");
    REQUIRE(hash);
    REQUIRE(s->outbox().apply_pull("household_pins", {{"B1-101", {{"unit", "B1-101"}, {"pin_hash", *hash}, {"locked", false}}, false}}, 43).ok());
    REQUIRE(s->household().household_proof("B1-101"));
    CHECK(household_pin_matches(s->household().household_proof("B1-101")->pin_hash, "11011101"));
    // An older head office's row (salt and verifier, no hash) lands as no PIN, and the rest of the page goes in.
    REQUIRE(s->outbox().apply_pull("household_pins", {{"B1-101", {{"unit", "B1-101"}, {"salt", "aa"}, {"verifier", "bb"}}, false}}, 44).ok());
    CHECK(s->household().household_proof("B1-101")->pin_hash.empty());
    CHECK(StoreProbe(*s).text("PRAGMA integrity_check") == "ok");
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

TEST_CASE("an announcement head office wrote for Block 2 is kept with its buildings, one for no building with none",
          "[store][site]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    nlohmann::json row{{"id", "HO-1"}, {"title", {{"zh-CN", "2栋停水"}}}, {"body", {{"zh-CN", "周六停水"}}}, {"urgent", true},
                       {"starts_on", "2026-11-20"}, {"ends_on", "2026-11-30"}, {"buildings", {"B2"}}};
    REQUIRE(s->outbox().apply_pull("announcements", {{"HO-1", row, false}}, 50).ok());
    auto found = [&](const std::string& id) {
        for (auto& a : s->datasets().announcements("2026-11-22"))
            if (a.id == id) return std::optional<Announcement>(a);
        return std::optional<Announcement>();
    };
    REQUIRE(found("HO-1"));
    CHECK(found("HO-1")->buildings == std::vector<std::string>{"B2"});
    CHECK(announcement_for_building(*found("HO-1"), "B2"));
    CHECK_FALSE(announcement_for_building(*found("HO-1"), "B1"));
    REQUIRE(found("A-2026-031"));
    CHECK(found("A-2026-031")->buildings.empty());  // the demo's, for every building
    CHECK(announcement_for_building(*found("A-2026-031"), "B1"));
    // A list that is not one (or too long) is refused with its row, the rest of the page goes in,
    // and what was there stays.
    row["buildings"] = "B2";
    auto other = row;
    other["id"] = "HO-2";
    other.erase("buildings");
    REQUIRE(s->outbox().apply_pull("announcements", {{"HO-1", row, false}, {"HO-2", other, false}}, 51).ok());
    row["buildings"] = nlohmann::json::array();
    for (int i = 0; i < 65; ++i) row["buildings"].push_back("B" + std::to_string(i));
    REQUIRE(s->outbox().apply_pull("announcements", {{"HO-1", row, false}}, 52).ok());
    CHECK(found("HO-2"));
    CHECK(found("HO-1")->buildings == std::vector<std::string>{"B2"});
}

TEST_CASE("a staff PIN is checked against its Argon2id hash", "[store][security]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "k.db");
    auto clerk = s->household().staff_member("A01");
    REQUIRE(clerk);
    CHECK(clerk->member.role == StaffRole::Clerk);
    CHECK(staff_pin_matches(clerk->pin_hash, "246810"));
    auto supervisor = s->household().staff_member("S01");
    REQUIRE(supervisor);
    CHECK(supervisor->member.role == StaffRole::Supervisor);
    CHECK(staff_pin_matches(supervisor->pin_hash, "135790"));
    CHECK_FALSE(staff_pin_matches(clerk->pin_hash, "246811"));
    CHECK_FALSE(staff_pin_matches(clerk->pin_hash, ""));
    CHECK_FALSE(staff_pin_matches(clerk->pin_hash, "135790"));
    CHECK_FALSE(s->household().staff_member("Z99"));
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM staff WHERE pin_hash NOT LIKE '$argon2id$%'") == 0);
}

TEST_CASE("a pulled staff hash naming other algorithms or huge costs is refused, not run", "[store][security]") {
    char out[crypto_pwhash_STRBYTES];
    // Dearer than the household PIN's costs (3 passes, 16 MiB): refused without hashing.
    REQUIRE(crypto_pwhash_str_alg(out, "246810", 6, 4, 8u << 20, crypto_pwhash_ALG_ARGON2ID13) == 0);
    CHECK_FALSE(staff_pin_matches(out, "246810"));
    REQUIRE(crypto_pwhash_str_alg(out, "246810", 6, 2, 32u << 20, crypto_pwhash_ALG_ARGON2ID13) == 0);
    CHECK_FALSE(staff_pin_matches(out, "246810"));
    // Within them: fine.
    REQUIRE(crypto_pwhash_str_alg(out, "246810", 6, 2, 8u << 20, crypto_pwhash_ALG_ARGON2ID13) == 0);
    CHECK(staff_pin_matches(out, "246810"));
    // Argon2i, or no hash at all.
    REQUIRE(crypto_pwhash_str_alg(out, "246810", 6, 3, 8u << 20, crypto_pwhash_ALG_ARGON2I13) == 0);
    CHECK_FALSE(staff_pin_matches(out, "246810"));
    CHECK_FALSE(staff_pin_matches("", "246810"));
    CHECK_FALSE(staff_pin_matches("$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdA$aGFzaA", "246810"));
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

namespace {
unsigned file_mode(const std::filesystem::path& p) {
    return static_cast<unsigned>(std::filesystem::status(p).permissions() & std::filesystem::perms::all);
}
bool file_contains(const std::filesystem::path& p, const std::string& needle) {
    std::ifstream in(p, std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return all.find(needle) != std::string::npos;
}
}  // namespace

TEST_CASE("the kiosk's database, its -wal and -shm are 0600 whatever the umask, an older install's too", "[store][security]") {
    TempDir dir;
    auto old_mask = ::umask(0022);
    {
        auto s = test::open_store(dir.path / "k.db", false);
        REQUIRE(s->outbox().set_sync_setting("kiosk_note", "x").ok());
        CHECK(file_mode(dir.path / "k.db") == 0600);
        CHECK(file_mode(dir.path / "k.db-wal") == 0600);
        CHECK(file_mode(dir.path / "k.db-shm") == 0600);
    }
    std::filesystem::permissions(dir.path / "k.db", std::filesystem::perms::all);  // an older install left it open
    auto s = test::open_store(dir.path / "k.db", false);
    ::umask(old_mask);
    CHECK(file_mode(dir.path / "k.db") == 0600);
}

TEST_CASE("the head-office secret is kept in its own 0600 file, not in kiosk.db, and an old store's moves out", "[store][security]") {
    TempDir dir;
    const std::string secret = "s3cr3t-c0ffee-0123456789abcdef-kiosk";
    {
        SQLite::Database db((dir.path / "kiosk.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        migrate(db);
        db.exec("INSERT INTO sync_config (key, value) VALUES ('secret', '" + secret + "')");
    }
    REQUIRE(file_contains(dir.path / "kiosk.db", secret));  // today's layout: in clear beside everything
    {
        auto s = test::open_store(dir.path / "kiosk.db", false);
        CHECK(s->outbox().sync_setting("secret") == secret);
        CHECK(StoreProbe(*s).count("SELECT count(*) FROM sync_config WHERE key = 'secret'") == 0);
        CHECK(file_mode(dir.path / "kiosk.secret") == 0600);
        REQUIRE(s->outbox().set_sync_setting("secret", secret + "-new").ok());
    }
    for (auto tail : {"", "-wal", "-shm"}) {
        auto p = dir.path / ("kiosk.db" + std::string(tail));
        if (std::filesystem::exists(p)) CHECK_FALSE(file_contains(p, secret));
    }
    auto s = test::open_store(dir.path / "kiosk.db", false);
    CHECK(s->outbox().sync_setting("secret") == secret + "-new");
}

namespace {
nlohmann::json announcement(const std::string& id, const std::string& title_en) {
    return {{"id", id}, {"urgent", false}, {"starts_on", "2026-01-01"}, {"ends_on", "2028-12-31"},
            {"title", {{"zh-CN", "通知"}, {"en", title_en}, {"zh-TW", "通知"}}},
            {"body", {{"zh-CN", "内容"}, {"en", "Body"}, {"zh-TW", "內容"}}}};
}
}  // namespace

TEST_CASE("a pulled row with a 5 MB field is refused on its own: the last good row stays, the rest go in, staff are told", "[store][sync][limits]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "kiosk.db");
    REQUIRE(s->outbox().apply_pull("announcements", {{"A-X", announcement("A-X", "Lift check"), false}}, 1).ok());
    std::vector<DatasetRow> page{{"A-X", announcement("A-X", std::string(5 << 20, 'W')), false},
                                 {"A-Y", announcement("A-Y", "Fire drill"), false}};
    REQUIRE(s->outbox().apply_pull("announcements", page, 2).ok());
    StoreProbe probe(*s);
    CHECK(probe.text("SELECT json_extract(title, '$.en') FROM announcements WHERE id = 'A-X'") == "Lift check");
    CHECK(probe.count("SELECT count(*) FROM announcements WHERE id = 'A-Y'") == 1);
    CHECK(s->outbox().pull_cursor("announcements") == 2);  // the page is done: it is not pulled forever
    auto told = s->outbox().refusals();
    REQUIRE(told.size() == 1);
    CHECK(told[0].dataset == "announcements");
    CHECK(told[0].rows == 1);
    CHECK(told[0].why.find("4096") != std::string::npos);
    CHECK(told[0].why.find("WWW") == std::string::npos);
}

TEST_CASE("a pulled page of too many rows, or one that takes a data set past its cap, is refused whole", "[store][sync][limits]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "kiosk.db");
    std::vector<DatasetRow> page;
    for (size_t i = 0; i <= kMaxPulledRowsPerPage; ++i) {
        auto id = "A-" + std::to_string(i);
        page.push_back({id, announcement(id, "x"), false});
    }
    auto before = StoreProbe(*s).count("SELECT count(*) FROM announcements");
    auto r = s->outbox().apply_pull("announcements", page, 5);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().key == "sync.error.pull_refused");
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM announcements") == before);
    CHECK(s->outbox().pull_cursor("announcements") == 0);
    page.pop_back();
    int64_t cursor = 0;
    Result<Ok> last = Ok{};
    for (size_t round = 0; round * kMaxPulledRowsPerPage <= kMaxRowsPerDataset && last.ok(); ++round) {
        for (size_t i = 0; i < page.size(); ++i) {
            page[i].key = "A-" + std::to_string(round) + "-" + std::to_string(i);
            page[i].body["id"] = page[i].key;
        }
        last = s->outbox().apply_pull("announcements", page, ++cursor);
    }
    REQUIRE_FALSE(last.ok());
    CHECK(last.error().key == "sync.error.pull_refused");
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM announcements") <= static_cast<int64_t>(kMaxRowsPerDataset));
    CHECK_FALSE(s->outbox().refusals().empty());
}

TEST_CASE("a site file with a huge field is refused whole and the kiosk keeps the site it had", "[store][limits]") {
    TempDir dir;
    auto s = test::open_store(dir.path / "kiosk.db");
    auto before = StoreProbe(*s).count("SELECT count(*) FROM announcements");
    auto site = test::demo_site();
    site["announcements"][0]["title"]["en"] = std::string(50 << 20, 'W');
    auto r = s->import_site(site);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().key == "error.site_import");
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM announcements") == before);
}

namespace {
// Overwrites the middle of one page of the named table's b-tree (a leaf, or its root when it has
// only one), as a failing disk would: a real page of a real file.
void damage_page_of(const std::filesystem::path& db_path, const std::string& table, int nth_leaf = 0) {
    int64_t page = 0, page_size = 0;
    {
        SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
        page_size = db.execAndGet("PRAGMA page_size").getInt64();
        SQLite::Statement q(db, "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET ?");
        q.bind(1, table);
        q.bind(2, nth_leaf);
        REQUIRE(q.executeStep());
        page = q.getColumn(0).getInt64();
    }
    std::fstream f(db_path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((page - 1) * page_size);
    std::string junk(static_cast<size_t>(page_size), '\xA5');
    junk.replace(0, 1, "\x0D");  // still claims to be a table leaf, with nonsense cells
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

std::vector<std::string> save_notes(Store& s, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
        auto r = s.save_record("enquiry.question", 1, {{"n", i}, {"text", std::string(300, 'q')}});
        REQUIRE(r.ok());
        ids.push_back(r.value().id);
    }
    return ids;
}
}  // namespace

TEST_CASE("a damaged page of pulled data is found at start: the store is rebuilt, every unsynced record kept, the data sets pulled anew", "[store][damage]") {
    TempDir dir;
    auto path = dir.path / "kiosk.db";
    std::vector<std::string> ids;
    {
        auto s = test::open_store(path);
        ids = save_notes(*s, 5);
        REQUIRE(s->outbox().apply_pull("announcements", {{"A-X", announcement("A-X", "Lift check"), false}}, 9).ok());
    }
    damage_page_of(path, "announcements");
    auto opened = Store::open(path, "SG01", "K1");
    REQUIRE(opened.ok());
    auto& s = *opened.value();
    auto d = s.damage();
    REQUIRE(d);
    CHECK_FALSE(d->why.empty());
    CHECK(d->kept == 5);
    CHECK(d->unreadable == 0);
    CHECK(std::filesystem::exists(dir.path / d->file));  // kept aside for a look later
    auto batch = s.outbox().outbox_batch(100);
    REQUIRE(batch.size() == 5);
    for (size_t i = 0; i < ids.size(); ++i) CHECK(batch[i].record_id == ids[i]);
    CHECK(s.outbox().pull_cursor("announcements") == 0);  // the next pull brings everything again
    CHECK(StoreProbe(s).count("SELECT count(*) FROM announcements") == 0);
    auto next = s.save_record("enquiry.question", 1, {{"n", 99}});
    REQUIRE(next.ok());
    CHECK(next.value().id != ids.back());
    CHECK(file_mode(path) == 0600);
    // Staff have seen it: residents are served again; the damage stays only in the set-aside file.
    REQUIRE(s.clear_damage().ok());
    CHECK_FALSE(s.damage());
}

TEST_CASE("a damaged page of the records themselves loses only the records on it", "[store][damage]") {
    TempDir dir;
    auto path = dir.path / "kiosk.db";
    {
        auto s = test::open_store(path, false);
        save_notes(*s, 60);  // about 15 pages of records
    }
    damage_page_of(path, "records", 1);
    auto opened = Store::open(path, "SG01", "K1");
    REQUIRE(opened.ok());
    auto d = opened.value()->damage();
    REQUIRE(d);
    CHECK(d->unreadable > 0);
    CHECK(d->kept > 30);
    CHECK(d->kept + d->unreadable == 60);
    CHECK(opened.value()->outbox().outbox_depth() == d->kept);
}

TEST_CASE("a kiosk started on a damaged kiosk.db is out of service to residents, and staff read why, rebuild and resume", "[store][damage][ui]") {
    test::Kiosk k;
    auto path = k.dir.path / "kiosk.db";
    REQUIRE(k.store->save_record("enquiry.question", 1, {{"n", 1}}).ok());
    k.driver.reset();
    k.app.reset();
    k.store.reset();
    damage_page_of(path, "announcements");
    auto reopened = Store::open(path, "SG01", "K1");  // as lobby-kiosk's start does
    REQUIRE(reopened.ok());
    k.store = std::move(reopened.value());
    k.app = std::make_unique<ui::KioskApp>(k.catalog, k.store.get(), k.fonts);
    k.app->state().wall_now = test::test_wall_clock();
    k.app->refresh_site();
    k.driver = std::make_unique<ui::Driver>(*k.app, ImVec2{1920, 1080}, test::test_wall_clock());
    k.driver->frame();
    CHECK_FALSE(k.app->out_of_service().empty());
    CHECK(k.shows(k.catalog.tr(k.app->state().lang, "service.out_of_service.title")));
    CHECK_FALSE(k.has_widget("home.tile.repairs"));
    CHECK(k.store->outbox().outbox_depth() == 1);  // the unsynced record was kept
    // The data sets come back from head office (here: the same rows, as a pull would bring them).
    REQUIRE(k.store->import_site(test::demo_site()).ok());
    k.tap("service.staff");
    k.type("A01");
    k.tap("staff.login.next");
    k.type("246810");
    k.tap("staff.login.sign_in");
    CHECK(k.has_widget("service.rebuild"));
    CHECK(k.shows(k.catalog.tr(k.app->state().lang, "service.staff_note")));
    REQUIRE(k.store->outbox().apply_pull("announcements", {{"A-X", announcement("A-X", "x"), false}}, 4).ok());
    k.tap("service.rebuild");
    CHECK(k.store->outbox().pull_cursor("announcements") == 0);
    k.tap("service.resume");
    CHECK(k.app->out_of_service().empty());
    CHECK_FALSE(k.store->damage());
}

TEST_CASE("a SQLite error while the kiosk runs takes it out of service instead of out of the process", "[store][damage][ui]") {
    test::Kiosk k;
    {
        SQLite::Database other((k.dir.path / "kiosk.db").string(), SQLite::OPEN_READWRITE);
        other.exec("DROP TABLE announcements");  // the file changes under the running kiosk
    }
    CHECK(k.app->out_of_service().empty());
    k.app->refresh_site();  // what the next pull or visit does
    k.driver->frame();
    CHECK_FALSE(k.app->out_of_service().empty());
    CHECK(k.shows(k.catalog.tr(k.app->state().lang, "service.out_of_service.title")));
    CHECK_FALSE(k.has_widget("home.tile.repairs"));
}
