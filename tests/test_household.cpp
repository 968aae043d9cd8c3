// Household verification (the household PIN from the desk, checked off the UI thread) and the fee
// statement, driven by taps against the demo site's store.
#include <catch2/catch.hpp>
#include <set>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "kiosk/core/household.hpp"
#include "kiosk/store/probe.hpp"
#include "gated_pin_check.hpp"
#include "kiosk_fixture.hpp"
#include "wait_for.hpp"

using namespace kiosk;
using ui::Screen;

namespace {
void pick_unit(test::Kiosk& k, const std::string& building, const std::string& unit) {
    k.tap("home.tile.fees");
    REQUIRE(k.screen() == Screen::Verify);
    k.tap("verify.building." + building);
    k.tap("verify.unit." + unit);
}
void enter_pin(test::Kiosk& k, const std::string& pin) {
    k.type(pin);
    k.tap("verify.submit");  // waits for the worker's answer, as the resident watching would
}
// The demo rule (assets/demo/README.md): the building's digit and the flat's number, twice.
std::string demo_pin(const std::string& unit) {
    std::string once = unit.substr(1, 1) + unit.substr(3);
    return once + once;
}
// The household.pin_failed records this kiosk wrote, oldest first.
std::vector<nlohmann::json> pin_failures(test::Kiosk& k) {
    StoreProbe probe(*k.store);
    SQLite::Statement q(probe.connection(), "SELECT payload FROM records WHERE type = 'household.pin_failed' ORDER BY local_seq");
    std::vector<nlohmann::json> out;
    while (q.executeStep()) out.push_back(nlohmann::json::parse(q.getColumn(0).getString()));
    return out;
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

TEST_CASE("a household proves itself with the PIN the desk gave it and sees its own fee statement", "[household][fees][pin]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");
    CHECK(k.shows("请输入 1栋 102 的住户 PIN（8 位）"));
    CHECK(k.shows("本终端不会显示或打印"));
    CHECK_FALSE(k.shows("李*"));  // nothing of the household before it has proved itself
    k.type("1102");
    CHECK_FALSE(k.shows("1102"));  // masked as it is typed
    CHECK_FALSE(k.driver->tap("verify.submit").ok());  // half a PIN: confirm waits for all 8 digits
    k.type("1102");
    k.tap("verify.submit");
    REQUIRE(k.screen() == Screen::Fees);
    CHECK(k.shows("费用查询 · 1栋 102"));
    k.tap("fees.show");  // the amounts wait for the resident's tap
    CHECK(k.shows("待缴合计：¥" + format_yuan(owed_in_store(k, "B1-102"))));
    CHECK(k.shows("已欠费 1 个月"));  // October unpaid; November is due, not overdue
    CHECK(k.shows("电话或短信提醒"));
    CHECK(k.has_widget("fees.pay_qr"));
    CHECK(k.app->features().fees.s.pay_url == "https://pay.example.com/SG01?unit=B1-102&amount=" +
                                                     format_yuan(owed_in_store(k, "B1-102"), false));
    CHECK(pin_failures(k).empty());
    k.tap("fees.done");
    CHECK(k.screen() == Screen::Home);
    CHECK_FALSE(k.app->state().session.household);
    k.tap("home.tile.fees");
    CHECK(k.screen() == Screen::Verify);  // "done" ended it: the next person starts over
}

TEST_CASE("the phone digits the lobby screen shows half of prove nothing any more", "[household][pin][security]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");  // 李*, 139****1111
    CHECK_FALSE(k.has_widget("verify.use_pin"));  // no other way in
    enter_pin(k, "00001111");
    CHECK(k.screen() == Screen::Verify);
    CHECK(k.shows("PIN 不对，请再核对一下。还可以再试 2 次"));
    k.type("1111");
    CHECK_FALSE(k.driver->tap("verify.submit").ok());  // four digits are not even a try
}

TEST_CASE("each arrears stage reads as the trade's next step", "[household][fees]") {
    struct Case { std::string building, unit, months, says; };
    for (auto& c : {Case{"B1", "B1-201", "5", "快递寄送正式催缴函"}, Case{"B2", "B2-301", "3", "带缴费期限的通知"}}) {
        test::Kiosk k;
        pick_unit(k, c.building, c.unit);
        enter_pin(k, demo_pin(c.unit));
        REQUIRE(k.screen() == Screen::Fees);
        k.tap("fees.show");
        CHECK(k.shows("已欠费 " + c.months + " 个月"));
        CHECK(k.shows(c.says));
    }
    test::Kiosk paid_up;
    pick_unit(paid_up, "B1", "B1-101");
    enter_pin(paid_up, "11011101");
    REQUIRE(paid_up.screen() == Screen::Fees);
    paid_up.tap("fees.show");
    CHECK(paid_up.shows("谢谢您按时缴费"));
    CHECK(paid_up.shows("待缴合计：¥0.00"));
    CHECK_FALSE(paid_up.has_widget("fees.pay_qr"));  // nothing to pay
}

namespace {
// Nothing on screen that tells a neighbour what the household owes: no amount, no arrears, no
// payment code (it carries the amount).
void amounts_hidden(test::Kiosk& k, Lang l, const std::string& total) {
    CHECK(k.shows(k.catalog.tr(l, "fees.show")));
    CHECK(k.shows(k.catalog.tr(l, "fees.hidden")));
    CHECK_FALSE(k.shows("¥"));
    CHECK_FALSE(k.shows(total));
    CHECK_FALSE(k.shows(k.catalog.format(l, "fees.arrears", {{"months", "5"}})));
    CHECK_FALSE(k.shows(k.catalog.tr(l, "fees.stage.formal_demand")));
    CHECK_FALSE(k.has_widget("fees.pay_qr"));
    // The months stay, a page at a time (issue #14: bills are paged, a year never split over a page's end).
    const auto& months = k.app->features().fees.s.statement.months;
    std::set<std::string> seen;
    for (int page = 0; page < 30; ++page) {
        for (auto& m : months)
            if (k.shows(m.month)) seen.insert(m.month);
        auto* next = k.app->widgets().find("fees.pages.next");
        if (!next || !next->enabled) break;
        k.tap("fees.pages.next");
        CHECK_FALSE(k.shows("¥"));
    }
    CHECK(seen.size() == months.size());
}
}  // namespace

TEST_CASE("a fee statement opens with the months only: the amounts owed show after a tap and hide again on leaving",
          "[household][fees][privacy]") {
    // 1栋 201 is five months behind (assets/demo/README.md); every language, normal and elder mode.
    for (Lang l : kAllLangs)
        for (bool elder : {false, true}) {
            INFO(lang_code(l) << (elder ? " elder" : ""));
            test::Kiosk k;
            if (l != Lang::ZhCN) k.tap("lang." + std::string(lang_code(l)));
            if (elder) k.tap("elder.toggle");
            pick_unit(k, "B1", "B1-201");
            enter_pin(k, demo_pin("B1-201"));
            REQUIRE(k.screen() == Screen::Fees);
            std::string total = format_yuan(owed_in_store(k, "B1-201"));
            REQUIRE(k.app->features().fees.s.statement.months_in_arrears == 5);
            amounts_hidden(k, l, total);
            // A large button that says what it will show.
            auto show = *k.app->widgets().find("fees.show");
            CHECK(show.max.y - show.min.y >= 110 * (elder ? 1.5f : 1.0f) - 1);
            CHECK(show.max.x - show.min.x >= 420 * (elder ? 1.5f : 1.0f) - 1);

            k.tap("fees.show");
            CHECK(k.shows(k.catalog.format(l, "fees.total_owed", {{"amount", "¥" + total}})));
            CHECK(k.shows(k.catalog.format(l, "fees.arrears", {{"months", "5"}})));
            CHECK(k.has_widget("fees.pay_qr"));
            CHECK_FALSE(k.shows(k.catalog.tr(l, "fees.hidden")));
            CHECK(k.shows(k.catalog.tr(l, "fees.hide")));
            // Hidden again by the same button …
            k.tap("fees.show");
            amounts_hidden(k, l, total);
            // … and by leaving: home and back in, the statement opens hidden.
            k.tap("fees.show");
            k.tap("nav.home");
            k.tap("home.tile.fees");
            if (k.screen() == Screen::Verify) {  // home ended the visit: the household proves itself again
                k.tap("verify.building.B1");
                k.tap("verify.unit.B1-201");
                enter_pin(k, demo_pin("B1-201"));
            }
            REQUIRE(k.screen() == Screen::Fees);
            amounts_hidden(k, l, total);
            // … and by walking away: the idle limit ends the visit.
            k.tap("fees.show");
            REQUIRE(k.shows("¥" + total));
            k.driver->advance(300);
            CHECK(k.screen() == Screen::Home);
            CHECK_FALSE(k.shows("¥"));
            CHECK_FALSE(k.app->features().fees.s.amounts_shown);
        }
}

TEST_CASE("every demo household's PIN follows the rule in the demo README", "[household][pin][store]") {
    test::TempDir dir;
    auto store = test::open_store(dir.path / "kiosk.db");
    CHECK(demo_pin("B1-102") == "11021102");
    int checked = 0;
    auto site = test::demo_site();
    for (auto& u : site["units"]) {
        std::string unit = u["id"];
        auto proof = store->household().household_proof(unit);
        REQUIRE(proof);
        INFO(unit);
        CHECK_FALSE(proof->locked);
        CHECK(household_pin_matches(proof->pin_hash, demo_pin(unit)));
        ++checked;
    }
    CHECK(checked == 36);
    // Only hash strings: no PIN in clear anywhere in the table.
    StoreProbe probe(*store);
    SQLite::Statement plain(probe.connection(), "SELECT count(*) FROM household_pins WHERE pin_hash LIKE '%11021102%'");
    REQUIRE(plain.executeStep());
    CHECK(plain.getColumn(0).getInt() == 0);
}

TEST_CASE("wrong PINs are answered kindly, then slowed, and the fifth locks the flat at this kiosk for 15 minutes", "[household][pin][security]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");
    enter_pin(k, "00000000");
    CHECK(k.shows("PIN 不对，请再核对一下。还可以再试 2 次"));
    enter_pin(k, "00000001");
    CHECK(k.shows("还可以再试 1 次"));
    enter_pin(k, "00000002");
    CHECK(k.shows("请 30 秒后再试"));
    enter_pin(k, "11021102");  // right, but too soon
    CHECK(k.screen() == Screen::Verify);
    CHECK(k.shows("秒后再试"));
    // Each wrong PIN is a record for head office: the flat, when, and which PIN it was checked
    // against (a digest of the hash the kiosk holds), never what was typed.
    auto failures = pin_failures(k);
    REQUIRE(failures.size() == 3);
    std::string ref = household_pin_ref(k.store->household().household_proof("B1-102")->pin_hash);
    for (auto& f : failures) {
        CHECK(f == nlohmann::json{{"unit", "B1-102"}, {"at", f["at"]}, {"pin_ref", ref}});
        CHECK(f["at"].get<int64_t>() >= test::test_wall_clock());
    }
    CHECK(StoreProbe(*k.store).count("SELECT count(*) FROM records WHERE payload LIKE '%0000000%'") == 0);
    CHECK(k.store->outbox().outbox_depth() == 3);
    SECTION("another flat is not held up by this one") {
        k.tap("nav.back");
        k.tap("verify.unit.B1-101");
        enter_pin(k, "11011101");
        CHECK(k.screen() == Screen::Fees);
    }
    SECTION("after the wait the right PIN works") {
        k.driver->advance(31);
        enter_pin(k, "11021102");
        CHECK(k.screen() == Screen::Fees);
    }
    SECTION("guessing on doubles the wait, then the fifth wrong PIN locks the flat for 15 minutes") {
        stay_awhile(k, 31);
        enter_pin(k, "99999990");
        CHECK(k.shows("请 60 秒后再试"));
        stay_awhile(k, 61);
        enter_pin(k, "99999991");
        INFO(k.app->state().session.message_key << " " << k.app->state().session.message_arg);
        CHECK(k.shows("此房号暂停验证 15 分钟，请到服务台办理"));
        CHECK(pin_failures(k).size() == 5);
        stay_awhile(k, 14 * 60);
        enter_pin(k, "11021102");  // still locked: the right PIN is not even checked
        CHECK(k.screen() == Screen::Verify);
        CHECK(k.shows("秒后再试"));
        stay_awhile(k, 61);
        enter_pin(k, "11021102");
        CHECK(k.screen() == Screen::Fees);
    }
}

TEST_CASE("the flat's lock at this kiosk outlives a restart of the kiosk", "[household][pin][security]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");
    for (const char* wrong : {"00000000", "00000001", "00000002"}) enter_pin(k, wrong);
    stay_awhile(k, 31);
    enter_pin(k, "00000003");
    stay_awhile(k, 61);
    enter_pin(k, "00000004");
    REQUIRE(k.shows("此房号暂停验证 15 分钟"));
    CHECK(StoreProbe(*k.store).count("SELECT count(*) FROM household_pin_failures WHERE unit_id = 'B1-102'") == 5);
    // The kiosk is switched off and on: a new app on the same store, its clock going on.
    std::time_t wall = k.driver->wall_now() + 60;
    k.app = std::make_unique<ui::KioskApp>(k.catalog, k.store.get(), k.fonts);
    k.app->set_pinyin(k.pinyin.get());
    k.app->state().wall_now = wall;
    k.app->refresh_site();
    k.driver = std::make_unique<ui::Driver>(*k.app, ImVec2{1920, 1080}, wall);
    k.driver->frame();
    pick_unit(k, "B1", "B1-102");
    enter_pin(k, "11021102");  // the right PIN, still refused here
    CHECK(k.screen() == Screen::Verify);
    CHECK(k.shows("此房号暂停验证 14 分钟"));
    SECTION("another flat is free") {
        k.tap("nav.back");
        k.tap("verify.unit.B1-101");
        enter_pin(k, "11011101");
        CHECK(k.screen() == Screen::Fees);
    }
    SECTION("and after the 15 minutes the right PIN works") {
        stay_awhile(k, 14 * 60);
        enter_pin(k, "11021102");
        CHECK(k.screen() == Screen::Fees);
    }
}

TEST_CASE("the PIN is checked off the UI thread: the screen says it is checking and keeps drawing", "[household][pin][ui]") {
    test::Kiosk k;
    test::GatedPinCheck gate;  // the check answers only when the test lets it: frames go on meanwhile
    k.app->features().verify.set_pin_check(gate.check(household_pin_matches));
    pick_unit(k, "B1", "B1-102");
    k.type("11021102");
    REQUIRE(k.driver->press("verify.submit").ok());
    test::expect_checking(k, gate, "11021102", Screen::Verify, "verify.submit");
    CHECK(k.app->features().verify.s.code.empty());  // the typed PIN is not kept on the UI's side
    gate.open();
    REQUIRE(k.driver->settle().ok());
    CHECK_FALSE(k.app->working());
    CHECK(k.screen() == Screen::Fees);
}

TEST_CASE("a household head office locked after guessing at the site's kiosks is sent to the desk for a new PIN", "[household][pin][security]") {
    test::Kiosk k;
    auto hash = k.store->household().household_proof("B1-102")->pin_hash;
    REQUIRE(k.store->outbox()
                .apply_pull("household_pins", {{"B1-102", {{"unit", "B1-102"}, {"pin_hash", hash}, {"locked", true}}, false}},
                            k.store->outbox().pull_cursor("household_pins") + 1)
                .ok());
    pick_unit(k, "B1", "B1-102");
    CHECK(k.shows("住户 PIN 已暂停使用。请到服务台领取新的 PIN。"));
    enter_pin(k, "11021102");  // the right PIN, refused all the same
    CHECK(k.screen() == Screen::Verify);
    CHECK(k.shows("请到服务台领取新的 PIN"));
    CHECK(pin_failures(k).empty());  // not a guess: nothing was checked
    SECTION("the desk's new PIN unlocks it") {
        auto fresh = household_pin_hash("24682468");
        REQUIRE(fresh);
        REQUIRE(k.store->outbox()
                    .apply_pull("household_pins", {{"B1-102", {{"unit", "B1-102"}, {"pin_hash", *fresh}, {"locked", false}}, false}},
                                k.store->outbox().pull_cursor("household_pins") + 1)
                    .ok());
        k.tap("nav.back");
        k.tap("verify.unit.B1-102");
        enter_pin(k, "11021102");  // the old PIN no longer
        CHECK(k.screen() == Screen::Verify);
        enter_pin(k, "24682468");
        CHECK(k.screen() == Screen::Fees);
    }
}

TEST_CASE("a household lock pulled as anything but false locks the flat", "[household][pin][security]") {
    test::Kiosk k;
    auto hash = k.store->household().household_proof("B1-102")->pin_hash;
    auto pull = [&](nlohmann::json locked) {
        nlohmann::json body{{"unit", "B1-102"}, {"pin_hash", hash}};
        if (!locked.is_discarded()) body["locked"] = locked;
        REQUIRE(k.store->outbox().apply_pull("household_pins", {{"B1-102", body, false}}, k.store->outbox().pull_cursor("household_pins") + 1).ok());
        return k.store->household().household_proof("B1-102")->locked;
    };
    CHECK(pull(true));
    CHECK(pull("true"));   // a text from a spreadsheet: a lock all the same
    CHECK(pull("false"));  // not the boolean false: fails closed
    CHECK(pull(1));
    CHECK_FALSE(pull(false));
    CHECK_FALSE(pull(nlohmann::json(nlohmann::json::value_t::discarded)));  // no "locked" at all: as issued
}

TEST_CASE("a flat the desk has given no PIN yet is sent to the desk", "[household][pin]") {
    test::Kiosk k;
    StoreProbe::arrange(*k.store, "DELETE FROM household_pins WHERE unit_id = 'B3-502'");
    pick_unit(k, "B3", "B3-502");
    CHECK(k.shows("这个房号还没有住户 PIN，请到服务台领取"));
    enter_pin(k, "35023502");
    CHECK(k.screen() == Screen::Verify);
    CHECK(pin_failures(k).empty());
}

TEST_CASE("the verify screen reads in the three languages", "[household][pin][i18n]") {
    test::Kiosk k;
    k.tap("lang.en");
    pick_unit(k, "B1", "B1-102");
    CHECK(k.shows("Enter the 8-digit household PIN of Block 1 102"));
    k.tap("lang.zh-TW");
    CHECK(k.shows("請輸入 1棟 102 的住戶 PIN（8 位）"));
    enter_pin(k, "00000000");
    CHECK(k.shows("PIN 不對，請再核對一下。還可以再試 2 次"));
}

TEST_CASE("a proved household stays open while in use and closes by itself when the kiosk is left idle", "[household][privacy]") {
    test::Kiosk k;
    pick_unit(k, "B1", "B1-102");
    enter_pin(k, "11021102");
    REQUIRE(k.screen() == Screen::Fees);
    SECTION("in use past five minutes: no clock cuts the resident off") {
        for (int i = 0; i < 8; ++i) {
            k.driver->advance(50);
            k.tap(i % 2 ? "lang.zh-CN" : "lang.en");  // still tapping
        }
        CHECK(k.screen() == Screen::Fees);
        CHECK(k.app->state().session.household);
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
