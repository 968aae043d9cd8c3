// My requests: the household's cases with status and deadlines, overdue marks, and the follow-up
// rating once head office marks the work done.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

namespace {
std::string file_repair(test::Kiosk& k, std::time_t at, const std::string& unit = "B1-102") {
    RepairRequest r;
    r.category = RepairCategory::WaterDrains;
    r.unit_id = unit;
    r.phrases = {"下水道堵塞"};
    r.contact_resident_id = "R002";
    r.contact_phone_masked = "139****1111";
    return k.store->cases().save_repair(r, at, repair_promise(RepairUrgency::Emergency, at, std::nullopt, false)).value();
}
// What head office's status update (pulled by sync) does to a case.
void head_office_sets(test::Kiosk& k, const std::string& ticket, const std::string& status) {
    REQUIRE(StoreProbe::arrange(*k.store, "UPDATE repairs SET status = ? WHERE ticket = ?", {status, ticket}) == 1);
}
}  // namespace

TEST_CASE("my requests lists the household's own cases, newest first, and marks the overdue", "[my]") {
    test::Kiosk k;
    std::time_t now = test::test_wall_clock();
    std::string yesterday = file_repair(k, now - 86400);    // due yesterday, still registered
    std::string today = file_repair(k, now - 600);
    file_repair(k, now - 300, "B1-101");                     // the neighbours' case
    k.prove("home.tile.my_requests", "B1", "B1-102", "11021102");
    REQUIRE(k.screen() == Screen::MyRequests);
    auto& cases = k.app->features().my_requests.s.cases;
    REQUIRE(cases.size() == 2);
    CHECK(cases[0].ticket == today);
    CHECK(cases[1].ticket == yesterday);
    CHECK(k.shows("已逾期，我们正在催办"));
    CHECK(k.has_widget("my.case.1"));
    CHECK_FALSE(k.has_widget("my.case.2"));  // nothing of another household
    k.tap("my.case.1");
    CHECK(k.shows("已登记"));
    CHECK(k.shows("已逾期"));
    CHECK(k.shows("下水道堵塞"));
    CHECK_FALSE(k.has_widget("my.rate"));  // not done: nothing to rate yet
    k.tap("nav.back");
    k.tap("my.case.0");
    CHECK_FALSE(k.shows("已逾期"));
}

TEST_CASE("a finished repair is rated once, and the follow-up is saved with its outbox entry", "[my]") {
    test::Kiosk k;
    std::string ticket = file_repair(k, test::test_wall_clock() - 3600);
    head_office_sets(k, ticket, "done");
    int64_t outbox = k.store->outbox().outbox_depth();
    k.prove("home.tile.my_requests", "B1", "B1-102", "11021102");
    k.tap("my.case.0");
    CHECK(k.shows("已完成"));
    k.tap("my.rate");
    CHECK_FALSE(k.app->widgets().find("my.submit")->enabled);  // a score first
    k.tap("my.stars.5");
    CHECK(k.shows("非常满意"));
    k.type("henkuai");
    k.tap("ime.candidate.0");
    std::string comment = k.app->features().my_requests.s.comment.text;
    CHECK_FALSE(comment.empty());
    k.tap("my.submit");
    CHECK(k.shows("谢谢您的评价！"));
    CHECK(k.shows("您的评价：5 分"));
    CHECK(k.shows("已回访"));
    CHECK_FALSE(k.has_widget("my.rate"));
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(),
                        "SELECT f.rating, f.comment, r.status, rec.type FROM follow_ups f JOIN repairs r USING (ticket) "
                        "JOIN records rec ON rec.id = f.record_id JOIN outbox o ON o.record_id = rec.id");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 5);
    CHECK(q.getColumn(1).getString() == comment);
    CHECK(q.getColumn(2).getString() == "followed_up");
    CHECK(q.getColumn(3).getString() == "case.follow_up");
    CHECK(k.store->outbox().outbox_depth() == outbox + 1);
}

TEST_CASE("the store takes a follow-up only for finished work, once, with a score from 1 to 5", "[my][store]") {
    test::Kiosk k;
    std::string ticket = file_repair(k, test::test_wall_clock());
    std::time_t now = test::test_wall_clock();
    CHECK(k.store->cases().save_follow_up(ticket, 4, "", now).error().key == "my.error.not_done");
    head_office_sets(k, ticket, "done");
    CHECK(k.store->cases().save_follow_up(ticket, 0, "", now).error().key == "my.error.rating");
    CHECK(k.store->cases().save_follow_up(ticket, 6, "", now).error().key == "my.error.rating");
    CHECK(k.store->cases().save_follow_up("BX-NOPE", 4, "", now).error().key == "my.error.unknown");
    CHECK(k.store->cases().save_follow_up(ticket, 4, "好", now).ok());
    CHECK_FALSE(k.store->cases().save_follow_up(ticket, 5, "", now).ok());
    CHECK(StoreProbe(*k.store).count("SELECT count(*) FROM follow_ups") == 1);
}

TEST_CASE("the rating step fits elder mode: stars, comment keys and Submit clear of one another and of the bars", "[my][elder]") {
    test::Kiosk k;
    std::string ticket = file_repair(k, test::test_wall_clock() - 3600);
    head_office_sets(k, ticket, "done");
    k.app->state().elder = true;
    k.prove("home.tile.my_requests", "B1", "B1-102", "11021102");
    k.tap("my.case.0");
    k.tap("my.rate");
    k.tap("my.stars.4");
    REQUIRE(k.has_widget("keyboard.1"));
    REQUIRE(k.app->state().elder);
    const ui::WidgetRect* top = k.app->widgets().find("bar.top");
    const ui::WidgetRect* bottom = k.app->widgets().find("bar.bottom");
    REQUIRE(top);
    REQUIRE(bottom);
    std::vector<ui::WidgetRect> taps;
    for (auto& r : k.app->widgets().rects()) {
        bool in_bar = r.min.y >= top->min.y - 1 && r.max.y <= top->max.y + 1;
        in_bar = in_bar || (r.min.y >= bottom->min.y - 1 && r.max.y <= bottom->max.y + 1);
        if (!r.tappable || in_bar) continue;
        INFO(r.id);
        CHECK(r.min.y >= top->max.y - 1);
        CHECK(r.max.y <= bottom->min.y + 1);
        CHECK(r.max.x - r.min.x >= 110 - 0.5f);
        CHECK(r.max.y - r.min.y >= 110 - 0.5f);
        taps.push_back(r);
    }
    CHECK(taps.size() > 40);  // five stars, the keys, Submit
    for (size_t i = 0; i < taps.size(); ++i)
        for (size_t j = i + 1; j < taps.size(); ++j) {
            INFO(taps[i].id << " and " << taps[j].id);
            CHECK_FALSE((taps[i].min.x + 1 < taps[j].max.x && taps[j].min.x + 1 < taps[i].max.x &&
                         taps[i].min.y + 1 < taps[j].max.y && taps[j].min.y + 1 < taps[i].max.y));
        }
}
