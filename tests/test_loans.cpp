// Item loans: what is left, lending the last one once even from two kiosks, due dates, returns
// with the item's condition, and the dashboard's counts.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

TEST_CASE("an item lent on Sunday morning for 3 days is due Wednesday night, overdue after") {
    std::time_t sunday = test::test_wall_clock();  // 2026-11-22 09:30
    std::time_t due = loan_due(sunday, 3);
    std::tm tm{};
    localtime_r(&due, &tm);
    CHECK(tm.tm_mday == 25);
    CHECK(tm.tm_hour == 23);
    CHECK(tm.tm_min == 59);
    Loan l;
    l.status = "out";
    l.due_at = due;
    CHECK_FALSE(loan_overdue(l, due));
    CHECK(loan_overdue(l, due + 1));
    l.status = "returned";
    CHECK_FALSE(loan_overdue(l, due + 1));
}

TEST_CASE("two kiosks cannot both lend the last wheelchair, a return makes it available again", "[loans][store]") {
    test::TempDir dir;
    auto k1 = test::open_store(dir.path / "kiosk.db");
    auto k2 = Store::open(dir.path / "kiosk.db", "SG01", "K2");
    REQUIRE(k2.ok());
    std::time_t now = test::test_wall_clock();
    auto first = k1->loans().lend_item("wheelchair", "B1-101", "R001", now);
    REQUIRE(first.ok());
    auto second = k2.value()->loans().lend_item("wheelchair", "B3-101", "R008", now + 5);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().key == "loan.error.none_left");
    CHECK(k1->outbox().outbox_depth() == 1);  // the refused loan left nothing behind
    for (auto& it : k1->datasets().catalogue())
        if (it.id == "wheelchair") CHECK(it.available == 0);
    CHECK_FALSE(k1->loans().return_loan(first.value().id, "shiny", "A01", now + 60).ok());
    REQUIRE(k1->loans().return_loan(first.value().id, "worn", "A01", now + 60).ok());
    auto twice = k2.value()->loans().return_loan(first.value().id, "good", "S01", now + 61);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().key == "loan.error.returned");
    CHECK(k2.value()->loans().lend_item("wheelchair", "B3-101", "R008", now + 120).ok());
    CHECK(StoreProbe(*k1).count("SELECT count(*) FROM loans WHERE status = 'out'") == 1);
    CHECK_FALSE(k1->loans().lend_item("spaceship", "B1-101", "R001", now).ok());
}

TEST_CASE("a household borrows an umbrella by touch, the desk takes it back and notes its condition", "[loans]") {
    test::Kiosk k;
    k.prove("home.tile.borrowing", "B1", "B1-102", "11021102");
    REQUIRE(k.screen() == Screen::Borrow);
    CHECK(k.shows("雨伞\n剩 20 件"));
    k.tap("loan.item.umbrella");
    CHECK(k.shows("无需押金"));
    CHECK(k.shows("11-25 前归还"));
    k.tap("loan.confirm");
    CHECK(k.shows("已登记借用：雨伞"));
    auto loan = k.app->features().borrow.s.loan;
    REQUIRE(loan);
    CHECK(loan->id == "L261122K1001");
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT unit_id, borrower_id, status FROM loans");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "B1-102");
    CHECK(q.getColumn(1).getString() == "R002");
    CHECK(q.getColumn(2).getString() == "out");
    k.tap("loan.done");
    // The household sees what it has out next time.
    k.prove("home.tile.borrowing", "B1", "B1-102", "11021102");
    CHECK(k.shows("您家借的雨伞：11-25 前归还"));
    CHECK(k.shows("雨伞\n剩 19 件"));
    k.tap("nav.home");

    k.sign_in_staff();
    CHECK(k.shows("待审核放行 0 张；借出物品 1 件"));
    k.tap("staff.desk.returns");
    CHECK(k.shows("雨伞  1栋 102  11-25 前归还"));
    k.tap("returns.loan.0");
    CHECK_FALSE(k.driver->tap("returns.confirm").ok());  // the condition first
    k.tap("returns.condition.1");
    k.tap("returns.confirm");
    CHECK(k.shows("已归还，已记录。"));
    StoreProbe r_probe(*k.store);
    SQLite::Statement r(r_probe.connection(), "SELECT status, condition, received_by FROM loans");
    REQUIRE(r.executeStep());
    CHECK(r.getColumn(0).getString() == "returned");
    CHECK(r.getColumn(1).getString() == "worn");
    CHECK(r.getColumn(2).getString() == "A01");
}

TEST_CASE("an item with none left cannot be chosen, overdue loans are marked for the household and the desk", "[loans]") {
    test::Kiosk k;
    std::time_t now = test::test_wall_clock();
    REQUIRE(k.store->loans().lend_item("wheelchair", "B1-102", "R002", now - 10 * 86400).ok());  // 3 days overdue
    k.prove("home.tile.borrowing", "B1", "B1-102", "11021102");
    CHECK(k.shows("轮椅\n已借完"));
    CHECK_FALSE(k.driver->tap("loan.item.wheelchair").ok());
    CHECK(k.shows("您家借的轮椅已逾期（应于 11-19 归还），请尽快归还"));
    k.tap("nav.home");
    k.sign_in_staff();
    CHECK(k.shows("逾期未还 1 件"));
    k.tap("staff.desk.returns");
    CHECK(k.shows("轮椅  1栋 102  已逾期（应于 11-19 归还）"));
}
