// The satisfaction survey: one tap per question, anonymous by default, once per household.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

TEST_CASE("a household answers the survey anonymously, once", "[survey]") {
    test::Kiosk k;
    int64_t outbox = k.store->outbox().outbox_depth();
    k.prove("home.tile.survey", "B3", "B3-101", "31013101");
    REQUIRE(k.screen() == Screen::Survey);
    CHECK(k.shows("2026 年第四季度物业服务满意度调查"));
    CHECK(k.shows("匿名参加（已选）"));
    CHECK(k.chosen("survey.anonymous"));
    k.tap("survey.start");
    for (int s = 1; s <= 5; ++s) CHECK_FALSE(k.chosen("survey.answer." + std::to_string(s)));  // nothing answered yet
    CHECK(k.shows("第 1 题 / 共 5 题"));
    k.tap("survey.answer.5");
    k.tap("survey.answer.2");
    CHECK(k.shows("公共区域是否干净"));
    k.tap("nav.back");  // changes the second answer
    CHECK(k.shows("报修是否及时"));
    // The answer given before shows as chosen (edge and check mark), and only that one.
    CHECK(k.chosen("survey.answer.2"));
    for (int s : {1, 3, 4, 5}) CHECK_FALSE(k.chosen("survey.answer." + std::to_string(s)));
    k.tap("survey.answer.4");
    CHECK(k.shows("公共区域是否干净"));
    k.tap("nav.back");
    CHECK(k.chosen("survey.answer.4"));
    CHECK_FALSE(k.chosen("survey.answer.2"));
    k.tap("survey.answer.4");
    k.tap("survey.answer.3");
    k.tap("survey.answer.5");
    k.tap("survey.answer.1");
    CHECK(k.shows("谢谢您参加调查"));
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(),
                        "SELECT s.unit_id IS NULL, json_extract(s.answers, '$.overall'), json_extract(s.answers, '$.repairs'), "
                        "json_extract(s.answers, '$.staff'), json_extract(rec.payload, '$.unit') IS NULL, rec.type "
                        "FROM survey_answers s JOIN records rec ON rec.id = s.record_id JOIN outbox o ON o.record_id = rec.id");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);  // anonymous: no flat stored
    CHECK(q.getColumn(1).getInt() == 5);
    CHECK(q.getColumn(2).getInt() == 4);
    CHECK(q.getColumn(3).getInt() == 1);
    CHECK(q.getColumn(4).getInt() == 1);  // nor sent to head office
    CHECK(q.getColumn(5).getString() == "survey.answer");
    CHECK(k.store->outbox().outbox_depth() == outbox + 1);
    k.tap("survey.done");
    // The same household again, this survey period: thanked, not asked twice.
    k.prove("home.tile.survey", "B3", "B3-101", "31013101");
    CHECK(k.shows("您家本期已经参加过调查"));
    CHECK_FALSE(k.has_widget("survey.start"));
    CHECK(StoreProbe(*k.store).count("SELECT count(*) FROM survey_answers") == 1);
}

TEST_CASE("a household may answer with its flat, so the desk can follow up", "[survey]") {
    test::Kiosk k;
    k.prove("home.tile.survey", "B3", "B3-101", "31013101");
    k.tap("survey.anonymous");
    CHECK(k.shows("署名参加"));
    k.tap("survey.start");
    for (int i = 0; i < 5; ++i) k.tap("survey.answer.4");
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT s.unit_id, json_extract(rec.payload, '$.unit') FROM survey_answers s JOIN records rec ON rec.id = s.record_id");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "B3-101");
    CHECK(q.getColumn(1).getString() == "B3-101");
    auto again = k.store->cases().save_survey("2026Q4", "B3-101", true, {{"overall", 5}}, test::test_wall_clock());
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().key == "survey.already");
    CHECK_FALSE(k.store->cases().save_survey("2026Q4", "B1-101", true, {{"overall", 6}}, test::test_wall_clock()).ok());
}

TEST_CASE("outside its period the survey is not offered, the next period's survey is", "[survey]") {
    test::Kiosk k;
    auto site = test::demo_site();
    auto survey = nlohmann::json::parse(site["facts"]["survey"].get<std::string>());
    survey["closes"] = "2026-11-15";  // a week before the kiosk's clock
    site["facts"]["survey"] = survey.dump();
    REQUIRE(k.store->import_site(site).ok());
    k.prove("home.tile.survey", "B3", "B3-101", "31013101");
    CHECK(k.shows("目前没有进行中的调查。"));
    CHECK_FALSE(k.has_widget("survey.start"));
    k.tap("nav.home");

    survey["id"] = "2027Q1";
    survey["opens"] = "2027-01-01";  // not yet
    survey.erase("closes");
    site["facts"]["survey"] = survey.dump();
    REQUIRE(k.store->import_site(site).ok());
    k.prove("home.tile.survey", "B3", "B3-101", "31013101");
    CHECK(k.shows("目前没有进行中的调查。"));
    k.tap("nav.home");

    survey["opens"] = "2026-11-16";  // open now, with no end date
    site["facts"]["survey"] = survey.dump();
    REQUIRE(k.store->import_site(site).ok());
    k.prove("home.tile.survey", "B3", "B3-101", "31013101");
    CHECK(k.has_widget("survey.start"));
}
