// Repair requests end to end: taps, preset phrases and pinyin on the on-screen keyboard, the
// read-back, and the rows saved with their outbox entry, checked in the database.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk/core/text.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

namespace {
const ui::TextEntry& typed(test::Kiosk& k) { return k.app->features().repair.s.text; }
}  // namespace

TEST_CASE("pinyin on the on-screen keyboard produces real Chinese text", "[repair][pinyin]") {
    test::Kiosk k;
    k.prove("home.tile.repairs", "B1", "B1-102", "11021102");
    k.tap("repair.category.water");
    k.tap("repair.urgency.emergency");
    k.tap("repair.next");
    k.tap("repair.location.own");
    k.tap("repair.next");
    k.type("shuilongtou");
    REQUIRE_FALSE(typed(k).candidates.empty());
    CHECK(typed(k).candidates[0] == "水龙头");
    k.tap("ime.candidate.0");
    CHECK(typed(k).text == "水龙头");
    CHECK(typed(k).pinyin.empty());
    SECTION("choosing part of the syllables goes on with the rest") {
        k.type("woshui");
        auto& cands = typed(k).candidates;
        auto it = std::find(cands.begin(), cands.end(), "我");
        REQUIRE(it != cands.end());
        k.tap("ime.candidate." + std::to_string(it - cands.begin()));
        CHECK(typed(k).text == "水龙头我");
        CHECK(typed(k).pinyin == "shui");
        REQUIRE_FALSE(typed(k).candidates.empty());
        std::string first = typed(k).candidates[0];
        k.tap("keyboard.space");  // space takes the first candidate
        CHECK(typed(k).text == "水龙头我" + first);
        CHECK(typed(k).pinyin.empty());
    }
    SECTION("backspace removes letters being composed first, then characters") {
        k.type("lou");
        k.tap("keyboard.back");
        CHECK(typed(k).pinyin == "lo");
        k.tap("keyboard.back");
        k.tap("keyboard.back");
        CHECK(typed(k).pinyin.empty());
        k.tap("keyboard.back");
        CHECK(typed(k).text == "水龙");
    }
    SECTION("English mode types letters and digits as they are") {
        k.tap("keyboard.mode");
        k.type("3B");
        CHECK(typed(k).text == "水龙头3b");
    }
    SECTION("every candidate shown is drawable") {
        k.type("yi");
        for (auto& cand : typed(k).candidates)
            for (char32_t cp : utf8_decode(cand)) CHECK(k.fonts.normal.typing->FindGlyphNoFallback(static_cast<ImWchar>(cp)));
    }
}

TEST_CASE("the keyboard's first row is the digits until a syllable is composed, then its candidates, normally and in elder mode", "[repair][pinyin][elder]") {
    for (bool elder : {false, true}) {
        INFO((elder ? "elder" : "normal"));
        test::Kiosk k;
        k.app->state().elder = elder;
        k.start_emergency_repair();
        CHECK(k.app->state().elder == elder);
        REQUIRE(typed(k).chinese);
        REQUIRE(k.has_widget("keyboard.1"));
        CHECK_FALSE(k.has_widget("ime.candidate.0"));
        ui::WidgetRect digit = *k.app->widgets().find("keyboard.1"), q = *k.app->widgets().find("keyboard.Q");
        CHECK(digit.max.y < q.min.y);
        k.type("chufang");
        REQUIRE(k.has_widget("ime.candidate.0"));
        CHECK_FALSE(k.has_widget("keyboard.1"));
        // The candidates stand where the digits stood, and the letters did not move.
        ui::WidgetRect cand = *k.app->widgets().find("ime.candidate.0");
        CHECK(cand.min.y == Approx(digit.min.y));
        CHECK(cand.max.y == Approx(digit.max.y));
        CHECK(k.app->widgets().find("keyboard.Q")->min.y == Approx(q.min.y));
        k.tap("ime.candidate.0");
        REQUIRE(k.has_widget("keyboard.1"));
        k.type("12");
        CHECK(typed(k).text == "厨房12");
    }
}

TEST_CASE("a resident reports a leaking pipe by touch, the ticket, promise and saved rows agree", "[repair]") {
    test::Kiosk k;
    int64_t outbox_before = k.store->outbox().outbox_depth();
    k.start_emergency_repair();
    k.tap("repair.phrase.water.pipe_leak");
    k.type("chufang");
    k.tap("ime.candidate.0");
    k.tap("repair.next");
    CHECK(k.shows("李*"));   // contact: the household's registered people, masked
    CHECK(k.shows("139****1111"));
    k.tap("repair.contact.0");
    k.tap("repair.next");
    // Read back before saving.
    CHECK(k.shows("水管漏水；厨房"));
    CHECK(k.shows("我家（1栋 102）"));
    CHECK(k.store->outbox().outbox_depth() == outbox_before);  // nothing saved yet
    k.tap("repair.submit");
    CHECK(k.shows("BX-SG01-261122-K1-001"));
    CHECK(k.shows("维修人员将在 10:00 前上门（30 分钟内）。"));
    CHECK(k.shows("漏水维修后 3 天内，我们会回访确认。"));
    CHECK(k.has_widget("repair.ticket_qr"));

    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(),
                        "SELECT r.unit_id, r.category, r.urgency, r.description, r.contact_resident_id, "
                        "r.on_site_by - r.registered_at, r.follow_up_by - r.done_by, r.status, rec.type, rec.payload "
                        "FROM repairs r JOIN records rec ON rec.id = r.record_id JOIN outbox o ON o.record_id = rec.id "
                        "WHERE r.ticket = 'BX-SG01-261122-K1-001'");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "B1-102");
    CHECK(q.getColumn(1).getString() == "water");
    CHECK(q.getColumn(2).getString() == "emergency");
    CHECK(q.getColumn(3).getString() == "水管漏水；厨房");
    CHECK(q.getColumn(4).getString() == "R002");
    CHECK(q.getColumn(5).getInt() == 30 * 60);
    CHECK(q.getColumn(6).getInt() == 3 * 86400);
    CHECK(q.getColumn(7).getString() == "registered");
    CHECK(q.getColumn(8).getString() == "repair.request");
    auto payload = nlohmann::json::parse(q.getColumn(9).getString());
    CHECK(payload["ticket"] == "BX-SG01-261122-K1-001");
    CHECK(payload["description"] == "水管漏水；厨房");
    CHECK(k.store->outbox().outbox_depth() == outbox_before + 1);

    // The sent request's screen offers 完成 and Home, and no Back into the form it came from.
    CHECK(k.has_widget("repair.done"));
    CHECK(k.has_widget("nav.home"));
    CHECK_FALSE(k.has_widget("nav.back"));
    // Done: the household closes and what was typed is gone.
    k.tap("repair.done");
    CHECK(k.screen() == Screen::Home);
    CHECK_FALSE(k.app->state().session.household);
    CHECK(k.app->features().repair.s.text.text.empty());
}

TEST_CASE("a booked repair offers the site's slots with an hour's notice, and promises the one chosen", "[repair]") {
    test::Kiosk k;  // 2026-11-22 09:30
    k.prove("home.tile.repairs", "B1", "B1-102", "11021102");
    k.tap("repair.category.electrical");
    k.tap("repair.urgency.appointment");
    auto& windows = k.app->features().repair.s.windows;
    REQUIRE(windows.size() == 8);  // today 14:00 and 16:00 (09:00 has passed), then 3 a day for two days
    CHECK(k.shows("11-22 14:00–16:00"));
    CHECK_FALSE(k.shows("11-22 09:00–11:00"));
    CHECK(k.shows("11-24 16:00–18:00"));
    CHECK_FALSE(k.app->widgets().find("repair.next")->enabled);  // a slot first
    // The cards picked show as picked (edge and check mark, not the fill alone); nothing else does.
    CHECK(k.chosen("repair.urgency.appointment"));
    CHECK_FALSE(k.chosen("repair.urgency.emergency"));
    for (size_t i = 0; i < windows.size(); ++i) CHECK_FALSE(k.chosen("repair.window." + std::to_string(i)));
    k.tap("repair.window.1");
    CHECK(k.chosen("repair.window.1"));
    CHECK_FALSE(k.chosen("repair.window.0"));
    k.tap("repair.window.3");  // changed her mind: one slot is picked, the last tapped
    CHECK(k.chosen("repair.window.3"));
    CHECK_FALSE(k.chosen("repair.window.1"));
    k.tap("repair.window.1");
    k.tap("repair.next");
    CHECK_FALSE(k.chosen("repair.area.corridor"));
    k.tap("repair.area.corridor");
    CHECK(k.chosen("repair.area.corridor"));
    CHECK_FALSE(k.chosen("repair.location.own"));
    k.tap("repair.next");
    k.tap("repair.phrase.electrical.light");
    CHECK(k.chosen("repair.phrase.electrical.light"));
    k.tap("repair.next");
    k.tap("repair.next");
    CHECK(k.shows("楼道"));
    k.tap("repair.submit");
    CHECK(k.shows("维修人员将在 11-22 16:00–18:00 上门。"));
    CHECK_FALSE(k.shows("回访"));  // not a leak
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT unit_id IS NULL, public_area, urgency, window_end - window_start FROM repairs");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
    CHECK(q.getColumn(1).getString() == "corridor");
    CHECK(q.getColumn(2).getString() == "appointment");
    CHECK(q.getColumn(3).getInt() == 2 * 3600);
}

TEST_CASE("a repair with nothing described cannot go on, and says why", "[repair]") {
    test::Kiosk k;
    k.prove("home.tile.repairs", "B1", "B1-102", "11021102");
    k.tap("repair.category.doors");
    k.tap("repair.urgency.emergency");
    k.tap("repair.next");
    k.tap("repair.location.own");
    k.tap("repair.next");
    CHECK_FALSE(k.app->widgets().find("repair.next")->enabled);
    k.type("a");  // letters being composed count as something typed
    k.tap("keyboard.back");
    CHECK(k.app->features().repair.s.step == ui::RepairState::Step::Describe);
    CHECK(StoreProbe(*k.store).count("SELECT count(*) FROM repairs") == 0);
}

TEST_CASE("the store refuses a half-filled repair whole, and numbers tickets per day across restarts", "[repair][store]") {
    test::TempDir dir;
    std::time_t day1 = test::test_wall_clock();
    RepairRequest r;
    r.category = RepairCategory::Electrical;
    r.unit_id = "B1-101";
    r.phrases = {"插座没电"};
    r.contact_resident_id = "R001";
    r.contact_phone_masked = "138****5678";
    auto promise = repair_promise(RepairUrgency::Emergency, day1, std::nullopt, false);
    {
        auto s = test::open_store(dir.path / "k.db");
        RepairRequest nowhere = r;
        nowhere.unit_id.clear();
        auto bad = s->cases().save_repair(nowhere, day1, promise);
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().key == "repair.error.location");
        RepairRequest silent = r;
        silent.phrases.clear();
        CHECK(s->cases().save_repair(silent, day1, promise).error().key == "repair.error.description");
        CHECK(s->outbox().outbox_depth() == 0);
        CHECK(s->cases().save_repair(r, day1, promise).value() == "BX-SG01-261122-K1-001");
        CHECK(s->cases().save_repair(r, day1, promise).value() == "BX-SG01-261122-K1-002");
    }
    auto s = test::open_store(dir.path / "k.db", false);
    CHECK(s->cases().save_repair(r, day1 + 3600, promise).value() == "BX-SG01-261122-K1-003");
    CHECK(s->cases().save_repair(r, day1 + 86400, promise).value() == "BX-SG01-261123-K1-001");
    CHECK(StoreProbe(*s).count("SELECT count(*) FROM repairs") == 4);
    CHECK(s->outbox().outbox_depth() == 4);
}
