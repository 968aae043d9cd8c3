// Enquiries: the site's answers by touch, and a question left for staff with a number to call
// back, checked in the database; a malformed number is refused where the resident is looking.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk/core/text.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

TEST_CASE("enquiries answer from the site's data, without asking who you are", "[enquiry]") {
    test::Kiosk k;
    k.tap("home.tile.enquiries");
    REQUIRE(k.screen() == Screen::Enquiries);
    for (auto id : {"estate", "fees", "emergency", "renovation", "move_in", "parking"})
        CHECK(k.has_widget(std::string("enquiry.topic.") + id));
    k.tap("enquiry.topic.emergency");
    CHECK(k.shows("急救 120"));
    CHECK(k.shows("0755-2345 6700"));
    k.tap("lang.en");
    CHECK(k.shows("Ambulance 120"));
    k.tap("nav.back");
    k.tap("enquiry.topic.renovation");
    CHECK(k.shows("business licence"));
}

TEST_CASE("a question that isn't answered is recorded with a number to call back", "[enquiry]") {
    test::Kiosk k;
    k.tap("home.tile.enquiries");
    k.tap("enquiry.ask");
    k.type("tingchewei");
    REQUIRE_FALSE(k.app->features().enquiries.s.question.candidates.empty());
    CHECK(k.app->features().enquiries.s.question.candidates[0] == "停车位");
    k.tap("ime.candidate.0");
    k.tap("enquiry.next");
    REQUIRE(k.app->features().enquiries.s.step == ui::EnquiryState::Step::Phone);
    SECTION("a malformed number is refused and nothing is saved") {
        k.type("1234567890");
        k.tap("enquiry.submit");
        CHECK(k.shows("这个号码不对"));
        CHECK(StoreProbe(*k.store).count("SELECT count(*) FROM questions") == 0);
        CHECK(k.app->features().enquiries.s.question.text == "停车位");  // what was typed is kept
    }
    SECTION("a mobile number is taken, and kept masked on the kiosk") {
        k.type("13912345678");
        k.tap("enquiry.submit");
        CHECK(k.shows("ZX-SG01-261122-K1-001"));
        CHECK(k.shows("24 小时内"));
        StoreProbe q_probe(*k.store);
        SQLite::Statement q(q_probe.connection(),
                            "SELECT q.question, q.phone_masked, rec.type, json_extract(rec.payload, '$.phone') "
                            "FROM questions q JOIN records rec ON rec.id = q.record_id JOIN outbox o ON o.record_id = rec.id");
        REQUIRE(q.executeStep());
        CHECK(q.getColumn(0).getString() == "停车位");
        CHECK(q.getColumn(1).getString() == "139****5678");
        CHECK(q.getColumn(2).getString() == "enquiry.question");
        CHECK(q.getColumn(3).getString() == "13912345678");  // head office needs it to call back
        CHECK(k.app->features().enquiries.s.phone.empty());
        k.tap("enquiry.done");
        CHECK(k.screen() == Screen::Home);
    }
}

TEST_CASE("a character beyond the basic plane, typed on a keyboard, reaches the saved question whole", "[enquiry][text]") {
    test::Kiosk k;
    k.tap("home.tile.enquiries");
    k.tap("enquiry.ask");
    // 𠀀 (U+20000) is four bytes of UTF-8: the encoder the window uses must not drop it.
    k.driver->keyboard("停车位\U00020000");
    CHECK(k.app->features().enquiries.s.question.text == "停车位\U00020000");
    k.tap("enquiry.next");
    k.type("13912345678");
    k.tap("enquiry.submit");
    REQUIRE(k.shows("ZX-SG01-261122-K1-001"));
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT q.question, json_extract(rec.payload, '$.question') "
                                       "FROM questions q JOIN records rec ON rec.id = q.record_id");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "停车位\U00020000");
    CHECK(q.getColumn(1).getString() == "停车位\U00020000");  // what goes to head office
}

TEST_CASE("the one UTF-8 encoder: every plane, and nothing for what is not a character", "[core][text]") {
    CHECK(utf8_encode(U'A') == "A");
    CHECK(utf8_encode(U'车') == "车");
    CHECK(utf8_encode(U'\U00020000') == "\xF0\xA0\x80\x80");
    CHECK(utf8_decode(utf8_encode(U'\U00020000')) == std::vector<char32_t>{U'\U00020000'});
    CHECK(utf8_encode(0xD800).empty());
    CHECK(utf8_encode(0x110000).empty());
}

TEST_CASE("phone numbers: mobiles of 11 digits, landlines with an area code", "[core]") {
    CHECK(valid_phone("13912345678"));
    CHECK(valid_phone("075523456789"));
    CHECK(valid_phone("0755234567"));
    CHECK_FALSE(valid_phone("1234567890"));
    CHECK_FALSE(valid_phone("12912345678"));
    CHECK_FALSE(valid_phone("1391234567a"));
    CHECK_FALSE(valid_phone(""));
}
