// Complaints and suggestions end to end: taps and pinyin, the read-back, the open case saved with
// its outbox entry, and the deadlines that the severity staff set later fixes.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

TEST_CASE("a resident complains that a parcel came late, in their own words, and gets a reply time", "[complaint]") {
    test::Kiosk k;
    k.prove("home.tile.complaints", "B2", "B2-301", "23012301");
    REQUIRE(k.screen() == Screen::Complaint);
    k.tap("complaint.kind.quality");
    k.tap("complaint.phrase.quality.parcel_late");
    k.type("kuaidi");
    auto& cands = k.app->features().complaint.s.text.candidates;
    REQUIRE_FALSE(cands.empty());
    CHECK(cands[0] == "快递");
    k.tap("ime.candidate.0");
    k.tap("complaint.next");
    // One question a screen, four of them, Next in the same place on each.
    CHECK(k.shows("在哪里发生的？"));
    CHECK(k.shows("问题 1/4"));
    CHECK_FALSE(k.has_widget("complaint.when.0"));
    CHECK_FALSE(k.app->widgets().find("complaint.next")->enabled);  // an answer first
    auto next_at = k.app->widgets().find("complaint.next")->min;
    k.tap("complaint.where.1");   // 大堂
    k.tap("complaint.next");
    CHECK(k.shows("什么时候发生的？"));
    CHECK(k.shows("问题 2/4"));
    CHECK_FALSE(k.app->widgets().find("complaint.next")->enabled);
    k.tap("complaint.when.1");    // 昨天
    CHECK(k.app->widgets().find("complaint.next")->min.x == next_at.x);
    CHECK(k.app->widgets().find("complaint.next")->min.y == next_at.y);
    k.tap("complaint.next");
    CHECK(k.shows("问题 3/4"));
    CHECK(k.app->widgets().find("complaint.next")->enabled);  // "about whom" may be skipped
    k.tap("complaint.about.0");   // 客服前台
    k.tap("complaint.next");
    CHECK(k.shows("问题 4/4"));
    k.tap("complaint.wants.1");   // 给我一个答复
    k.tap("nav.back");            // back one question keeps the answers given
    CHECK(k.shows("问题 3/4"));
    CHECK(k.app->features().complaint.s.about == 0);
    k.tap("complaint.next");
    CHECK(k.app->features().complaint.s.wants == 1);
    k.tap("complaint.next");
    k.tap("complaint.next");      // the household's first contact
    CHECK(k.shows("快递没有及时送到；快递"));
    CHECK(k.shows("大堂  昨天"));
    k.tap("complaint.submit");
    CHECK(k.shows("TS-SG01-261122-K1-001"));
    CHECK(k.shows("我们会在 11-23 09:30 前答复您。"));  // within 24 hours
    CHECK(k.has_widget("complaint.ticket_qr"));

    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(),
                        "SELECT c.kind, c.what, c.where_text, c.when_text, c.about, c.wants, c.unit_id, "
                        "c.reply_by - c.filed_at, c.severity IS NULL, c.status, rec.type "
                        "FROM complaints c JOIN records rec ON rec.id = c.record_id JOIN outbox o ON o.record_id = rec.id");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "quality");
    CHECK(q.getColumn(1).getString() == "快递没有及时送到；快递");
    CHECK(q.getColumn(2).getString() == "大堂");
    CHECK(q.getColumn(3).getString() == "昨天");
    CHECK(q.getColumn(4).getString() == "客服前台");
    CHECK(q.getColumn(5).getString() == "给我一个答复");
    CHECK(q.getColumn(6).getString() == "B2-301");
    CHECK(q.getColumn(7).getInt() == 86400);
    CHECK(q.getColumn(8).getInt() == 1);  // severity is staff's to set
    CHECK(q.getColumn(9).getString() == "registered");
    CHECK(q.getColumn(10).getString() == "complaint.case");
    CHECK_FALSE(q.executeStep());
}

TEST_CASE("the case is written in the office's language whatever the resident reads", "[complaint][i18n]") {
    test::Kiosk k;
    k.tap("lang.en");
    k.prove("home.tile.complaints", "B2", "B2-301", "23012301");
    k.tap("complaint.kind.suggestion");
    k.tap("complaint.phrase.suggestion.parking");
    k.tap("complaint.next");
    k.tap("complaint.where.0");
    k.tap("complaint.next");
    k.tap("complaint.when.3");
    k.tap("complaint.next");
    k.tap("complaint.next");
    k.tap("complaint.wants.4");
    k.tap("complaint.next");
    k.tap("complaint.next");
    CHECK(k.shows("More parking spaces"));
    CHECK(k.shows("Block 2 301"));
    k.tap("complaint.submit");
    CHECK(k.shows("We will reply to you by"));
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT what, where_text, when_text, about IS NULL, wants FROM complaints");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "增加停车位");
    CHECK(q.getColumn(1).getString() == "2栋 301");
    CHECK(q.getColumn(2).getString() == "更早");
    CHECK(q.getColumn(3).getInt() == 1);  // the department is optional
    CHECK(q.getColumn(4).getString() == "只是建议");
}

TEST_CASE("a complaint with nothing said cannot go on, the store refuses a half-filled one", "[complaint]") {
    test::Kiosk k;
    k.prove("home.tile.complaints", "B2", "B2-301", "23012301");
    k.tap("complaint.kind.other");
    CHECK_FALSE(k.app->widgets().find("complaint.next")->enabled);
    ComplaintRequest c;
    c.kind = ComplaintKind::Equipment;
    c.phrases = {"电梯经常故障"};
    c.where = "电梯";
    c.when = "今天";
    c.contact_resident_id = "R005";
    auto no_wants = k.store->cases().save_complaint(c, test::test_wall_clock());
    REQUIRE_FALSE(no_wants.ok());
    CHECK(no_wants.error().key == "complaint.error.wants");
    CHECK(StoreProbe(*k.store).count("SELECT count(*) FROM complaints") == 0);
    c.wants = "尽快处理";
    CHECK(k.store->cases().save_complaint(c, test::test_wall_clock()).value() == "TS-SG01-261122-K1-001");
}
