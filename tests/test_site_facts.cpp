// A site's facts as the kiosk reads them, and the rules that read them, in the trade's words.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "kiosk/core/dates.hpp"
#include "kiosk/core/site_facts.hpp"

#include "local_time.hpp"

using namespace kiosk;

namespace {
using Facts = std::map<std::string, std::string, std::less<>>;

constexpr auto local = &test::local_time;

SiteFacts with_slots(const std::string& slots) { return parse_site_facts(Facts{{"repair_windows", slots}}); }

// The demo site's facts, as assets/demo/site.json has them (shortened).
Facts demo_facts() {
    return {
        {"site_name", R"({"zh-CN": "阳光花园", "en": "Sunshine Garden", "zh-TW": "陽光花園"})"},
        {"desk_phone", "0755-2345 6789"},
        {"payment_url_template", "https://pay.example.com/{site}?unit={unit}&amount={amount}"},
        {"repair_windows", R"(["09:00-11:00", "14:00-16:00", "16:00-18:00"])"},
        {"public_areas", R"([{"id": "lobby", "name": {"zh-CN": "大堂", "en": "Lobby", "zh-TW": "大堂"}},
                             {"id": "lift", "name": {"zh-CN": "电梯", "en": "Lift", "zh-TW": "電梯"}}])"},
        {"enquiry_topics", R"([{"id": "fees", "title": {"zh-CN": "收费标准", "en": "Fee standards"},
                                "body": {"zh-CN": "物业服务费", "en": "Management fee"}}])"},
        {"survey", R"({"id": "2026Q4", "opens": "2026-10-01", "closes": "2026-12-31",
                       "title": {"zh-CN": "满意度调查", "en": "Service satisfaction survey"},
                       "questions": [{"id": "overall", "text": {"zh-CN": "总体满意吗？", "en": "Overall?"}},
                                     {"id": "repairs", "text": {"zh-CN": "报修及时吗？", "en": "Repairs?"}}]})"},
        {"parcel_shelves", R"(["A-01", "A-02", "大件区"])"},
        {"parcel_limits", R"({"remind_after": 2, "overdue_after": 5, "return_after": 10, "extend_days": 3})"},
        {"exit_pass_arrears_rule", "warn"},
    };
}
}  // namespace

// ---- What the site file says, typed -------------------------------------------------------------

TEST_CASE("the demo site's facts read as the screens show them", "[core][facts]") {
    SiteFacts f = parse_site_facts(demo_facts());
    CHECK(f.site_name.in(Lang::ZhCN) == "阳光花园");
    CHECK(f.site_name.in(Lang::En) == "Sunshine Garden");
    CHECK(f.desk_phone == "0755-2345 6789");
    CHECK(f.parcel_limits.remind_after == 2);
    CHECK(f.parcel_limits.return_after == 10);
    REQUIRE(f.repair_slots.size() == 3);
    CHECK(f.repair_slots[0].start_minute == 9 * 60);
    CHECK(f.repair_slots[0].end_minute == 11 * 60);
    REQUIRE(f.public_areas.size() == 2);
    CHECK(f.public_areas[1].id == "lift");
    CHECK(f.public_areas[1].name.in(Lang::ZhTW) == "電梯");
    REQUIRE(f.enquiry_topics.size() == 1);
    CHECK(f.enquiry_topics[0].title.in(Lang::En) == "Fee standards");
    CHECK(f.enquiry_topics[0].body.in(Lang::ZhTW) == "物业服务费");  // no zh-TW text: the zh-CN one
    REQUIRE(f.survey);
    CHECK(f.survey->id == "2026Q4");
    CHECK(f.survey->opens == "2026-10-01");
    CHECK(f.survey->closes == "2026-12-31");
    REQUIRE(f.survey->questions.size() == 2);
    CHECK(f.survey->questions[1].id == "repairs");
    CHECK(f.survey->questions[1].text.in(Lang::En) == "Repairs?");
    CHECK(f.parcel_shelves == std::vector<std::string>{"A-01", "A-02", "大件区"});
    CHECK(f.exit_pass_arrears_rule == ArrearsRule::Warn);
}

TEST_CASE("each fact is read once however many things are made of it", "[core][facts]") {
    std::map<std::string, int> reads;
    Facts facts = demo_facts();
    parse_site_facts([&](std::string_view key) -> std::optional<std::string> {
        ++reads[std::string(key)];
        auto it = facts.find(key);
        return it == facts.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
    CHECK(reads.size() == 11);
    for (auto& [key, n] : reads) {
        INFO(key);
        CHECK(n == 1);
    }
}

TEST_CASE("a site with no facts gets today's rules and nothing to choose from", "[core][facts]") {
    SiteFacts f = parse_site_facts(Facts{});
    CHECK(f.site_name.in(Lang::En).empty());
    CHECK(f.desk_phone.empty());
    CHECK(f.parcel_limits.remind_after == ParcelLimits{}.remind_after);
    CHECK(f.repair_slots.empty());
    CHECK(f.public_areas.empty());
    CHECK(f.enquiry_topics.empty());
    CHECK_FALSE(f.survey);
    CHECK(f.parcel_shelves.empty());
    CHECK(f.exit_pass_arrears_rule == ArrearsRule::Block);
    CHECK_FALSE(payment_url(f, "SG01", "B1-101", 100));
}

TEST_CASE("a fact that is broken, the wrong shape or too large falls back and never throws", "[core][facts][security]") {
    std::string deep(100000, '[');
    std::string huge = "[\"" + std::string(kFactMaxBytes, 'x') + "\"]";
    for (std::string bad : {std::string(""), std::string("{"), std::string("null"), std::string("42"), std::string("\"x\""),
                            std::string("[1, 2, {}]"), std::string("{\"id\": 7}"), std::string("[{\"id\": [\"lobby\"]}]"),
                            std::string("[[[[\"09:00-11:00\"]]]]"), std::string("\xff\xfe"), deep, huge}) {
        Facts facts;
        for (const char* key : {"site_name", "desk_phone", "parcel_limits", "payment_url_template", "repair_windows",
                                "public_areas", "enquiry_topics", "survey", "parcel_shelves", "exit_pass_arrears_rule",
                                "attempt_limits"})
            facts[key] = bad;
        INFO(bad.substr(0, 40));
        SiteFacts f;
        REQUIRE_NOTHROW(f = parse_site_facts(facts));
        CHECK(f.site_name.in(Lang::ZhCN) == (bad == "\"x\"" ? "x" : ""));
        CHECK(f.repair_slots.empty());
        CHECK(f.public_areas.empty());
        CHECK(f.enquiry_topics.empty());
        CHECK_FALSE(f.survey);
        CHECK(f.parcel_shelves.empty());
        CHECK(f.exit_pass_arrears_rule == ArrearsRule::Block);
        CHECK(f.parcel_limits.overdue_after == ParcelLimits{}.overdue_after);
        CHECK(f.attempt_limits.staff_sign_in.lockout_after == AttemptLimits{}.staff_sign_in.lockout_after);
    }
}

TEST_CASE("an item without its id is passed over and the rest of the list kept", "[core][facts]") {
    SiteFacts f = parse_site_facts(Facts{
        {"public_areas", R"([{"name": {"en": "No id"}}, {"id": "", "name": {"en": "Empty id"}}, {"id": "lobby"},
                            {"id": "lift", "name": {"en": "Lift", "zh-CN": 5}}])"},
        {"parcel_shelves", R"(["A-01", 7, "", null, "B-01"])"},
        {"survey", R"({"id": "S1", "questions": [{"id": "q1"}, {"text": {"en": "no id"}}, {"id": "q2", "text": {"en": "Ok?"}}]})"},
    });
    REQUIRE(f.public_areas.size() == 1);
    CHECK(f.public_areas[0].id == "lift");
    CHECK(f.public_areas[0].name.in(Lang::ZhCN) == "");  // a number is not a name
    CHECK(f.public_areas[0].name.in(Lang::En) == "Lift");
    CHECK(f.parcel_shelves == std::vector<std::string>{"A-01", "B-01"});
    REQUIRE(f.survey);
    REQUIRE(f.survey->questions.size() == 1);
    CHECK(f.survey->questions[0].id == "q2");
}

TEST_CASE("a list longer than any site needs is cut at its bound", "[core][facts][security]") {
    std::string areas = "[", shelves = "[", slots = "[";
    for (int i = 0; i < 1000; ++i) {
        areas += std::string(i ? "," : "") + R"({"id": "a)" + std::to_string(i) + R"(", "name": {"en": "Area"}})";
        shelves += std::string(i ? "," : "") + "\"S" + std::to_string(i) + "\"";
        slots += std::string(i ? "," : "") + "\"09:00-10:00\"";
    }
    SiteFacts f = parse_site_facts(Facts{{"public_areas", areas + "]"}, {"parcel_shelves", shelves + "]"}, {"repair_windows", slots + "]"}});
    CHECK(f.public_areas.size() == kFactMaxItems);
    CHECK(f.public_areas.back().id == "a" + std::to_string(kFactMaxItems - 1));
    CHECK(f.parcel_shelves.size() == kFactMaxItems);
    CHECK(f.repair_slots.size() == kFactMaxSlots);
}

TEST_CASE("an overlong id or text is not shown, and a phone with a line break is not a phone", "[core][facts][security]") {
    std::string long_id(kFactIdMaxBytes + 1, 'x');
    std::string long_text(kLocalTextMaxBytes + 1, 'y');
    SiteFacts f = parse_site_facts(Facts{
        {"public_areas", R"([{"id": ")" + long_id + R"(", "name": {"en": "Too long"}}, {"id": "lobby", "name": {"en": ")" +
                             long_text + R"(", "zh-CN": "大堂"}}])"},
        {"desk_phone", "0755-2345 6789\nCall the police"},
    });
    REQUIRE(f.public_areas.size() == 1);
    CHECK(f.public_areas[0].name.in(Lang::En) == "大堂");  // the English was too long: zh-CN stands in
    CHECK(f.desk_phone.empty());
}

TEST_CASE("localized text: every language given, one missing, or a bare string", "[core][facts]") {
    auto t = local_text_from_json(nlohmann::json::parse(R"({"zh-CN": "大堂", "en": "Lobby", "zh-TW": "大堂", "fr": "Hall"})"));
    CHECK(t.text[static_cast<int>(Lang::En)] == "Lobby");
    auto partial = local_text_from_json(nlohmann::json::parse(R"({"zh-CN": "电梯"})"));
    CHECK(partial.in(Lang::En) == "电梯");
    CHECK(local_text_from_json("门卫").in(Lang::ZhTW) == "门卫");
    CHECK(local_text_from_json(nlohmann::json::array({"a"})).in(Lang::ZhCN).empty());
    CHECK(local_text_from_json(nlohmann::json("abcdef"), 5).in(Lang::ZhCN).empty());
}

TEST_CASE("only a site that chose warn lets a clerk approve a pass over arrears", "[core][facts][rules]") {
    CHECK(parse_site_facts(Facts{{"exit_pass_arrears_rule", "warn"}}).exit_pass_arrears_rule == ArrearsRule::Warn);
    CHECK(parse_site_facts(Facts{{"exit_pass_arrears_rule", "block"}}).exit_pass_arrears_rule == ArrearsRule::Block);
    CHECK(parse_site_facts(Facts{{"exit_pass_arrears_rule", "WARN"}}).exit_pass_arrears_rule == ArrearsRule::Block);
    CHECK(parse_site_facts(Facts{{"exit_pass_arrears_rule", "\"warn\""}}).exit_pass_arrears_rule == ArrearsRule::Block);
}

// ---- Guessing secrets ---------------------------------------------------------------------------

TEST_CASE("the kiosk's guessing limits are today's unless the site sets them", "[core][facts][security]") {
    AttemptLimits l = parse_site_facts(Facts{}).attempt_limits;
    CHECK(l.staff_sign_in.free_tries == 5);
    CHECK(l.staff_sign_in.lockout_after == 5);
    CHECK(l.staff_sign_in.lockout_s == 300);
    CHECK(l.household_verify_unit.free_tries == 3);
    CHECK(l.household_verify_unit.first_wait_s == 30);
    CHECK(l.household_verify_unit.lockout_after == 5);  // 5 wrong PINs: the flat waits 15 minutes at this kiosk (C14)
    CHECK(l.household_verify_unit.lockout_s == 900);
    CHECK(l.household_verify_kiosk.lockout_after == 20);
    CHECK(l.household_verify_kiosk.lockout_s == 600);
    CHECK(l.pickup_code.first_wait_s == 10);
    CHECK(l.pickup_code.lockout_after == 10);

    l = parse_site_facts(Facts{{"attempt_limits", R"({"pickup_code": {"lockout_after": 8, "lockout_s": 1800},
                                                      "staff_sign_in": {"free_tries": 3, "first_wait_s": 15}})"}})
            .attempt_limits;
    CHECK(l.pickup_code.lockout_after == 8);
    CHECK(l.pickup_code.lockout_s == 1800);
    CHECK(l.pickup_code.free_tries == 3);  // not set: today's
    CHECK(l.staff_sign_in.free_tries == 3);
    CHECK(l.staff_sign_in.first_wait_s == 15);
    CHECK(l.household_verify_unit.lockout_after == 5);
}

TEST_CASE("no site can switch the lockout off", "[core][facts][security]") {
    AttemptLimits l = parse_site_facts(Facts{{"attempt_limits", R"({
        "staff_sign_in": {"lockout_after": 100000},
        "pickup_code": {"lockout_s": 0},
        "household_verify_unit": {"free_tries": 9, "lockout_after": 6},
        "household_verify_kiosk": {"free_tries": -1, "first_wait_s": "10"}})"}})
                          .attempt_limits;
    AttemptLimits today;
    CHECK(l.staff_sign_in.lockout_after == today.staff_sign_in.lockout_after);
    CHECK(l.pickup_code.lockout_s == today.pickup_code.lockout_s);
    // Free tries past the lockout would make no sense: the policy stays as it was.
    CHECK(l.household_verify_unit.free_tries == today.household_verify_unit.free_tries);
    CHECK(l.household_verify_kiosk.free_tries == today.household_verify_kiosk.free_tries);
    CHECK(l.household_verify_kiosk.first_wait_s == today.household_verify_kiosk.first_wait_s);
}

// ---- Repair appointments ------------------------------------------------------------------------

TEST_CASE("at 08:30 the 09:00-11:00 slot is not offered today: it starts in under an hour", "[rules][facts][repair]") {
    auto offered = repair_slots_offered(with_slots(R"(["09:00-11:00", "14:00-16:00"])"), local(2026, 11, 20, 8, 30));
    REQUIRE(offered.size() == 5);
    CHECK(offered[0].start == local(2026, 11, 20, 14, 0));
    CHECK(offered[0].end == local(2026, 11, 20, 16, 0));
    CHECK(offered[1].start == local(2026, 11, 21, 9, 0));
    CHECK(offered[4].start == local(2026, 11, 22, 14, 0));
}

TEST_CASE("at 08:00 the 09:00-11:00 slot is offered today: an hour's notice is enough", "[rules][facts][repair]") {
    auto offered = repair_slots_offered(with_slots(R"(["09:00-11:00"])"), local(2026, 11, 20, 8, 0));
    REQUIRE(offered.size() == 3);
    CHECK(offered[0].start == local(2026, 11, 20, 9, 0));
    CHECK(offered[2].end == local(2026, 11, 22, 11, 0));
}

TEST_CASE("in the evening only the next two days are offered, across the end of the month", "[rules][facts][repair]") {
    auto offered = repair_slots_offered(with_slots(R"(["09:00-11:00", "16:00-18:00"])"), local(2026, 11, 30, 19, 0));
    REQUIRE(offered.size() == 4);
    CHECK(offered[0].start == local(2026, 12, 1, 9, 0));
    CHECK(offered[3].end == local(2026, 12, 2, 18, 0));
}

TEST_CASE("a slot written badly is passed over, the good ones kept", "[rules][facts][repair]") {
    SiteFacts f = with_slots(R"(["9:00-11:00", " 20:00 - 24:00 ", "11:00-09:00", "10:00-10:00", "25:00-26:00", "09:60-11:00",
                                 "09:00-11:00x", "0900-1100", "-09:00-11:00", "", 930, null])");
    REQUIRE(f.repair_slots.size() == 2);
    CHECK(f.repair_slots[0].start_minute == 9 * 60);
    CHECK(f.repair_slots[1].end_minute == 24 * 60);
    // A slot to midnight ends at the start of the next day.
    auto offered = repair_slots_offered(f, local(2026, 11, 20, 12, 0));
    REQUIRE_FALSE(offered.empty());
    CHECK(offered[0].start == local(2026, 11, 20, 20, 0));
    CHECK(offered[0].end == local(2026, 11, 21, 0, 0));
}

// ---- Paying what is owed ------------------------------------------------------------------------

TEST_CASE("the payment link names the flat and the amount, never the resident", "[rules][facts][fees]") {
    SiteFacts f = parse_site_facts(demo_facts());
    auto url = payment_url(f, "SG01", "B1-101", 123450);
    REQUIRE(url);
    CHECK(*url == "https://pay.example.com/SG01?unit=B1-101&amount=1234.50");
    // Every placeholder filled, however often it appears.
    f.payment_url_template = "https://pay.example.com/?u={unit}&again={unit}&a={amount}";
    CHECK(payment_url(f, "SG01", "B2-301", 5).value() == "https://pay.example.com/?u=B2-301&again=B2-301&a=0.05");
}

TEST_CASE("no payment link when nothing is owed or the site takes no payment online", "[rules][facts][fees]") {
    SiteFacts f = parse_site_facts(demo_facts());
    CHECK_FALSE(payment_url(f, "SG01", "B1-101", 0));
    CHECK_FALSE(payment_url(f, "SG01", "B1-101", -500));  // in credit
    f.payment_url_template.clear();
    CHECK_FALSE(payment_url(f, "SG01", "B1-101", 100));
}

TEST_CASE("a flat id cannot add its own parameters to the payment link", "[rules][facts][fees][security]") {
    SiteFacts f = parse_site_facts(demo_facts());
    auto url = payment_url(f, "SG 01", "B1-101&amount=0.01#", 10000);
    REQUIRE(url);
    CHECK(*url == "https://pay.example.com/SG%2001?unit=B1-101%26amount%3D0.01%23&amount=100.00");
}

// ---- The satisfaction survey --------------------------------------------------------------------

TEST_CASE("the survey takes answers from its first day to its last, both included", "[rules][facts][survey]") {
    SurveyFacts s = parse_site_facts(demo_facts()).survey.value();
    CHECK_FALSE(survey_open(s, local(2026, 9, 30, 23, 59)));
    CHECK(survey_open(s, local(2026, 10, 1, 0, 0)));
    CHECK(survey_open(s, local(2026, 12, 31, 23, 59)));
    CHECK_FALSE(survey_open(s, local(2027, 1, 1, 0, 0)));
}

TEST_CASE("a survey without a closing day stays open, and one with a period that is not a date is not run", "[rules][facts][survey]") {
    auto open_ended = parse_site_facts(Facts{{"survey", R"({"id": "S", "opens": "2026-10-01"})"}}).survey;
    REQUIRE(open_ended);
    CHECK(survey_open(*open_ended, local(2030, 1, 1, 12, 0)));
    CHECK_FALSE(parse_site_facts(Facts{{"survey", R"({"id": "S", "opens": "October"})"}}).survey);
    CHECK_FALSE(parse_site_facts(Facts{{"survey", R"({"id": "S", "closes": 20261231})"}}).survey);
}

// ---- Dates and the case ladder ------------------------------------------------------------------

TEST_CASE("a local day, a fee month and a clock as the lobby writes them", "[core][dates]") {
    std::time_t t = local(2026, 3, 7, 9, 5);
    CHECK(local_date(t, "%Y-%m-%d") == "2026-03-07");
    CHECK(local_date(t, "%Y-%m") == "2026-03");
    CHECK(local_date(t, "%H:%M") == "09:05");
    std::string too_long;
    for (int i = 0; i < 8; ++i) too_long += "%Y-%m-%d ";
    CHECK(local_date(t, too_long.c_str()).empty());  // past 64 bytes: nothing, not half a date
}

TEST_CASE("a case's status reads and writes as records name it, and only climbs the ladder", "[core][cases]") {
    for (int i = 0; i < kCaseStatusCount; ++i) {
        auto s = static_cast<CaseStatus>(i);
        CHECK(parse_case_status(case_status_id(s)) == s);
    }
    CHECK(case_status_id(CaseStatus::InProgress) == "in_progress");
    CHECK(case_status_id(CaseStatus::FollowedUp) == "followed_up");
    CHECK_FALSE(parse_case_status("reopened"));  // a newer head office's: not guessed
    CHECK_FALSE(parse_case_status(""));
    CHECK(CaseStatus::Registered < CaseStatus::Dispatched);
    CHECK(CaseStatus::Done < CaseStatus::FollowedUp);
    CHECK(CaseStatus::FollowedUp < CaseStatus::Closed);
}
