// Household verification and the fee statement, driven by taps against the demo site's store.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

namespace {
void pick_unit(test::Kiosk& k, const std::string& building, const std::string& unit) {
    k.tap("home.tile.fees");
    REQUIRE(k.screen() == Screen::Verify);
    k.tap("verify.building." + building);
    k.tap("verify.unit." + unit);
}
void enter_code(test::Kiosk& k, const std::string& code) {
    k.type(code);
    k.tap("verify.submit");
}
// Lets time pass while the resident stays at the kiosk (a tap now and then keeps the idle timer off).
void stay_awhile(test::Kiosk& k, double seconds) {
    while (seconds > 0) {
        double step = std::min(seconds, 45.0);
        k.driver->advance(step);
        k.tap("keypad.clear");
        seconds -= step;
    }
}
int64_t owed_in_store(test::Kiosk& k, const std::string& unit) {
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT coalesce(sum(amount_cents), 0) FROM fee_items WHERE unit_id = ? AND paid = 0");
    q.bind(1, unit);
    q.executeStep();
    return q.getColumn(0).getInt64();
}
}  // namespace

TEST_CASE("a household proves itself with the last 4 digits and sees its own fee statement", "[household][fees]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");
    CHECK(k.shows("请输入 1栋 102 登记手机号的后 4 位"));
    CHECK_FALSE(k.shows("李*"));  // nothing of the household before it has proved itself
    enter_code(k, "1111");
    REQUIRE(k.screen() == Screen::Fees);
    CHECK(k.shows("费用查询 · 1栋 102"));
    CHECK(k.shows("待缴合计：¥" + format_yuan(owed_in_store(k, "B1-102"))));
    CHECK(k.shows("已欠费 1 个月"));  // October unpaid; November is due, not overdue
    CHECK(k.shows("电话或短信提醒"));
    CHECK(k.has_widget("fees.pay_qr"));
    CHECK(k.app->features().fees.s.pay_url == "https://pay.example.com/SG01?unit=B1-102&amount=" +
                                                     format_yuan(owed_in_store(k, "B1-102"), false));
    k.tap("fees.done");
    CHECK(k.screen() == Screen::Home);
    CHECK_FALSE(k.app->state().session.household);
    k.tap("home.tile.fees");
    CHECK(k.screen() == Screen::Verify);  // "done" ended it: the next person starts over
}

TEST_CASE("each arrears stage reads as the trade's next step", "[household][fees]") {
    struct Case { std::string building, unit, code, months, says; };
    for (auto& c : {Case{"B1", "B1-201", "2222", "5", "快递寄送正式催缴函"}, Case{"B2", "B2-301", "5555", "3", "带缴费期限的通知"}}) {
        test::Kiosk k;
        pick_unit(k, c.building, c.unit);
        enter_code(k, c.code);
        REQUIRE(k.screen() == Screen::Fees);
        CHECK(k.shows("已欠费 " + c.months + " 个月"));
        CHECK(k.shows(c.says));
    }
    test::Kiosk paid_up;
    pick_unit(paid_up, "B1", "B1-101");
    enter_code(paid_up, "5678");
    REQUIRE(paid_up.screen() == Screen::Fees);
    CHECK(paid_up.shows("谢谢您按时缴费"));
    CHECK(paid_up.shows("待缴合计：¥0.00"));
    CHECK_FALSE(paid_up.has_widget("fees.pay_qr"));  // nothing to pay
}

TEST_CASE("wrong digits are answered kindly, then slowed for that flat", "[household][security]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");
    enter_code(k, "0000");
    CHECK(k.shows("号码不对，请再核对一下。还可以再试 2 次"));
    enter_code(k, "0001");
    CHECK(k.shows("还可以再试 1 次"));
    enter_code(k, "0002");
    CHECK(k.shows("请 30 秒后再试"));
    enter_code(k, "1111");  // right, but too soon
    CHECK(k.screen() == Screen::Verify);
    CHECK(k.shows("秒后再试"));
    SECTION("another flat is not held up by this one") {
        k.tap("nav.back");
        k.tap("verify.unit.B1-101");
        enter_code(k, "5678");
        CHECK(k.screen() == Screen::Fees);
    }
    SECTION("after the wait the right digits work") {
        k.driver->advance(31);
        enter_code(k, "1111");
        CHECK(k.screen() == Screen::Fees);
    }
    SECTION("guessing on doubles the wait, then locks the flat for 15 minutes") {
        stay_awhile(k, 31);
        enter_code(k, "9990");
        CHECK(k.shows("请 60 秒后再试"));
        stay_awhile(k, 61);
        enter_code(k, "9991");
        CHECK(k.shows("暂停验证 2 分钟"));  // a wait of minutes reads in minutes
        stay_awhile(k, 121);
        enter_code(k, "9992");
        INFO(k.app->state().session.message_key << " " << k.app->state().session.message_arg);
        CHECK(k.shows("暂停验证 15 分钟"));
    }
}

TEST_CASE("a proved household closes by itself: after 5 minutes, and when the kiosk is left idle", "[household][privacy]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");
    enter_code(k, "1111");
    REQUIRE(k.screen() == Screen::Fees);
    SECTION("five minutes, even while in use") {
        for (int i = 0; i < 6; ++i) {
            k.driver->advance(50);
            k.tap(i % 2 ? "lang.zh-CN" : "lang.en");  // still tapping
        }
        CHECK(k.screen() == Screen::Home);
        CHECK_FALSE(k.app->state().session.household);
        CHECK(k.app->features().fees.s.statement.months.empty());
    }
    SECTION("walking away") {
        k.driver->advance(95);
        CHECK(k.screen() == Screen::Home);
        CHECK_FALSE(k.app->state().session.household);
        CHECK_FALSE(k.shows("1栋 102"));
    }
}

TEST_CASE("the unit picker lists the building's flats by floor, and Back steps back", "[household]") {
    test::Kiosk k;
    k.tap("home.tile.fees");
    for (auto b : {"B1", "B2", "B3"}) CHECK(k.has_widget(std::string("verify.building.") + b));
    k.tap("verify.building.B3");
    CHECK(k.has_widget("verify.unit.B3-101"));
    CHECK(k.has_widget("verify.unit.B3-602"));
    CHECK_FALSE(k.has_widget("verify.unit.B1-101"));
    k.tap("verify.unit.B3-101");
    CHECK(k.has_widget("keypad.1"));
    k.tap("nav.back");
    CHECK(k.has_widget("verify.unit.B3-101"));
    k.tap("nav.back");
    CHECK(k.has_widget("verify.building.B1"));
    k.tap("nav.back");
    CHECK(k.screen() == Screen::Home);
}

TEST_CASE("a household without a phone of its own proves itself with its 6-digit PIN instead", "[household][pin]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-101");
    k.tap("verify.use_pin");
    CHECK(k.shows("请输入 1栋 101 的住户 PIN（6 位）"));
    CHECK(k.shows("改用手机号后 4 位"));
    k.type("3141");
    CHECK_FALSE(k.driver->tap("verify.submit").ok());  // 4 digits are not a PIN: confirm waits for 6
    k.type("59");
    k.tap("verify.submit");
    REQUIRE(k.screen() == Screen::Fees);
    CHECK(k.shows("费用查询 · 1栋 101"));
}

TEST_CASE("a wrong PIN counts against the flat like wrong digits, and says the phone digits still work", "[household][pin][security]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");  // this household has no PIN
    k.tap("verify.use_pin");
    enter_code(k, "111111");
    CHECK(k.screen() == Screen::Verify);
    CHECK(k.shows("PIN 不对。没有设置 PIN 的住户，请改用手机号后 4 位。还可以再试 2 次"));
    k.tap("verify.use_pin");  // back to the phone digits, the count goes on
    CHECK(k.shows("请输入 1栋 102 登记手机号的后 4 位"));
    enter_code(k, "0000");
    CHECK(k.shows("还可以再试 1 次"));
    enter_code(k, "1111");
    CHECK(k.screen() == Screen::Fees);
}

TEST_CASE("the site import carries household PINs as salted hashes only", "[household][pin][store]") {
    test::TempDir dir;
    auto store = test::open_store(dir.path / "kiosk.db");
    StoreProbe q_probe(*store);
    SQLite::Statement q(q_probe.connection(), "SELECT count(*), min(length(verifier)) FROM household_pins");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 2);
    CHECK(q.getColumn(1).getInt() == 64);
    CHECK(store->household().household_pin_matches("B2-302", "271828"));
    CHECK_FALSE(store->household().household_pin_matches("B2-302", "314159"));
    CHECK_FALSE(store->household().household_pin_matches("B1-102", "271828"));
    StoreProbe plain_probe(*store);
    SQLite::Statement plain(plain_probe.connection(), "SELECT count(*) FROM household_pins WHERE verifier LIKE '%271828%' OR salt LIKE '%271828%'");
    REQUIRE(plain.executeStep());
    CHECK(plain.getColumn(0).getInt() == 0);
}
