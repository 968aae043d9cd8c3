// The trade's rules in kiosk/core, with no display and no store.
#include <catch2/catch.hpp>
#include <sodium.h>
#include <fstream>
#include <set>

#include "kiosk/core/attempt_limiter.hpp"
#include "kiosk/core/household.hpp"
#include "kiosk/core/i18n.hpp"
#include "kiosk/core/idle_timer.hpp"
#include "kiosk/core/scanner.hpp"
#include "kiosk/core/services.hpp"
#include "kiosk/core/text.hpp"

using namespace kiosk;

TEST_CASE("a lobby screen shows names and phones masked", "[core][privacy]") {
    CHECK(mask_name("张小明") == "张*明");
    CHECK(mask_name("李华") == "李*");
    CHECK(mask_name("欧阳娜娜") == "欧**娜");
    CHECK(mask_name("王") == "王*");
    CHECK(mask_name("Li Wei") == "L***i");
    CHECK(mask_name("") == "");
    CHECK(mask_phone("13812345678") == "138****5678");
    CHECK(mask_phone("138-1234-5678") == "138****5678");
    CHECK(mask_phone("12345") == "*****");
}

TEST_CASE("a shelf label shows the flat masked: 102 is 1*2, 1502 is 1**2", "[core][privacy]") {
    CHECK(mask_flat("102") == "1*2");
    CHECK(mask_flat("1502") == "1**2");
    CHECK(mask_flat("3-1502") == "3****2");
    CHECK(mask_flat("12") == "1*");
    CHECK(mask_flat("7") == "*");
    CHECK(mask_flat("") == "");
    CHECK(mask_flat("甲01") == "甲*1");
}

TEST_CASE("UTF-8 survives a backspace and bad bytes", "[core]") {
    std::string s = "A栋";
    utf8_pop_back(s);
    CHECK(s == "A");
    CHECK(utf8_length("阳光花园") == 4);
    auto cps = utf8_decode(std::string("a\xff") + "b");
    REQUIRE(cps.size() == 3);
    CHECK(cps[1] == 0xFFFD);
    CHECK(utf8_encode(U'园') == "园");
}

TEST_CASE("the idle timer warns after 60 s and gives at least 20 s before it wipes the session", "[core][idle]") {
    IdleTimer t({60, 30});
    CHECK_FALSE(t.armed());
    t.touch(100);
    CHECK(t.update(159.9) == IdleTimer::State::Active);
    CHECK(t.next_change_in(150) == Approx(10));
    CHECK(t.update(160.0) == IdleTimer::State::Warning);
    CHECK(t.seconds_left(160.0) == 30);
    CHECK(t.seconds_left(170.5) == 20);
    // A tap during the warning keeps the session.
    t.touch(175);
    CHECK(t.update(176) == IdleTimer::State::Active);
    CHECK(t.update(265) == IdleTimer::State::Expired);
    // Expired is reported once, then the timer rests until the next touch.
    CHECK(t.update(266) == IdleTimer::State::Idle);
    CHECK_FALSE(t.armed());
    CHECK(t.next_change_in(266) < 0);
    CHECK(IdlePolicy{}.warning_s >= 20);
}

TEST_CASE("a barcode scanner's burst ending in Enter is a scan, a person's typing is typing", "[core][scanner]") {
    ScannerDetector d(0.06, 4);
    std::string typed;
    SECTION("scanner: characters 4 ms apart then Enter") {
        double t = 10;
        for (char c : std::string("SF1234567890")) {
            INFO("key '" << c << "'");
            CHECK_FALSE(d.key(std::string(1, c), t).has_value());
            t += 0.004;
        }
        auto e = d.enter(t, typed);
        REQUIRE(e);
        CHECK(e->kind == ScannerDetector::Event::Kind::Scanned);
        CHECK(e->text == "SF1234567890");
        CHECK(typed.empty());
    }
    SECTION("person: 200 ms between keys, each key released as typing") {
        CHECK_FALSE(d.key("A", 10.0));
        auto e = d.key("0", 10.2);
        REQUIRE(e);
        CHECK(e->kind == ScannerDetector::Event::Kind::Typed);
        CHECK(e->text == "A");
        CHECK(d.flush_in(10.2) > 0);
        auto f = d.flush(10.3);
        REQUIRE(f);
        CHECK(f->text == "0");
        auto en = d.enter(11.0, typed);
        REQUIRE(en);
        CHECK(en->kind == ScannerDetector::Event::Kind::Enter);
    }
    SECTION("a short fast burst is not a scan") {
        d.key("1", 10.0);
        d.key("2", 10.01);
        auto e = d.enter(10.02, typed);
        REQUIRE(e);
        CHECK(e->kind == ScannerDetector::Event::Kind::Enter);
        CHECK(typed == "12");
    }
}

TEST_CASE("wrong PINs are slowed and then locked out for 5 minutes", "[core][security]") {
    AttemptLimiter staff{AttemptPolicy{5, 0, 5, 300}};
    for (int i = 0; i < 4; ++i) {
        INFO("wrong PIN " << i + 1);
        staff.failure(100);
        CHECK_FALSE(staff.locked_out(100));
        CHECK(staff.wait_s(100) == 0);
    }
    staff.failure(100);
    CHECK(staff.locked_out(100));
    CHECK(staff.wait_s(100) == Approx(300));
    CHECK(staff.locked_out(399));
    CHECK_FALSE(staff.locked_out(400.5));

    AttemptLimiter household;  // 3 free tries, then 5 s, 10 s, …
    for (int i = 0; i < 3; ++i) household.failure(0);
    CHECK(household.wait_s(0) == Approx(5));
    household.failure(6);
    CHECK(household.wait_s(6) == Approx(10));
}

TEST_CASE("a household PIN is 8 random digits kept only as an Argon2id hash with the chosen costs", "[core][privacy]") {
    std::string pin = new_household_pin();
    CHECK(household_pin_well_formed(pin));
    CHECK(new_household_pin() != pin);  // 1 in 10^8 to fail
    auto hash = household_pin_hash(pin);
    REQUIRE(hash);
    CHECK(hash->rfind("$argon2id$v=19$m=16384,t=3,p=1$", 0) == 0);
    CHECK(crypto_pwhash_str_verify(hash->c_str(), pin.data(), pin.size()) == 0);
    CHECK(crypto_pwhash_str_needs_rehash(hash->c_str(), kHouseholdPinOpsLimit, kHouseholdPinMemLimit) == 0);
    CHECK(hash->find(pin) == std::string::npos);
    CHECK(household_pin_matches(*hash, pin));
    std::string other = pin;
    other[0] = other[0] == '9' ? '0' : char(other[0] + 1);
    CHECK_FALSE(household_pin_matches(*hash, other));
    CHECK_FALSE(household_pin_matches(*hash, pin.substr(4)));  // the last four are not a proof
    // The old fast verifier is refused as a PIN hash, and so is junk from a pulled row.
    CHECK_FALSE(household_pin_matches(household_verifier("00112233", pin), pin));
    CHECK_FALSE(household_pin_matches("$argon2id$junk", pin));
    CHECK_FALSE(household_pin_matches(std::string(500, 'x'), pin));
    // A hash with other costs is refused unverified: a pulled row cannot make the kiosk spend
    // gigabytes or minutes on one check, nor accept a cheaper proof.
    for (auto [ops, mem] : {std::pair{kHouseholdPinOpsLimit + 1, kHouseholdPinMemLimit},
                            std::pair{kHouseholdPinOpsLimit, kHouseholdPinMemLimit / 2}}) {
        char other_costs[crypto_pwhash_STRBYTES];
        REQUIRE(crypto_pwhash_str_alg(other_costs, pin.data(), pin.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) == 0);
        CHECK(crypto_pwhash_str_verify(other_costs, pin.data(), pin.size()) == 0);
        CHECK_FALSE(household_pin_matches(other_costs, pin));
    }
}

TEST_CASE("the home screen offers every service of the desk once", "[core]") {
    std::set<std::string_view> ids;
    for (auto& s : all_services()) {
        INFO("service " << s.id);
        CHECK(ids.insert(s.id).second);
        Service found;
        REQUIRE(find_service(s.id, found));
        CHECK(found == s.service);
        CHECK(&service_info(s.service) == &s);
    }
    CHECK(ids.size() == 10);
}

TEST_CASE("catalogue placeholders are filled by name", "[core][i18n]") {
    auto dir = std::filesystem::temp_directory_path() / "kiosk-i18n-test";
    std::filesystem::create_directories(dir);
    for (auto code : {"zh-CN", "en", "zh-TW"}) {
        std::ofstream(dir / (std::string(code) + ".json")) << R"({"a": "{n} 秒后 {n}", "only": "x"})";
    }
    std::ofstream(dir / "en.json") << R"({"a": "in {n} s"})";
    auto c = Catalog::load(dir);
    REQUIRE(c.ok());
    CHECK(c.value().format(Lang::ZhCN, "a", {{"n", "25"}}) == "25 秒后 25");
    CHECK(c.value().format(Lang::En, "a", {{"n", "25"}}) == "in 25 s");
    CHECK(c.value().tr(Lang::En, "only") == "only");  // a missing key shows as itself
    REQUIRE(c.value().missing_keys().size() == 1);
    CHECK(c.value().missing_keys()[0] == "en: only");
    std::ofstream(dir / "en.json") << R"({"a": 3})";
    CHECK_FALSE(Catalog::load(dir).ok());
    std::filesystem::remove_all(dir);
}
