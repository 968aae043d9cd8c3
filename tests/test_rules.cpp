// Service levels and arrears, as the trade states them (domain.md).
#include <catch2/catch.hpp>

#include "kiosk/core/fees.hpp"
#include "kiosk/core/service_levels.hpp"

#include "local_time.hpp"

using namespace kiosk;

namespace {
constexpr auto local = &test::local_time;
}  // namespace

TEST_CASE("an emergency repair gets a repairer within 30 minutes and is done the same day", "[rules][repair]") {
    auto p = repair_promise(RepairUrgency::Emergency, local(2026, 11, 20, 14, 5), std::nullopt, false);
    CHECK(p.on_site_by == local(2026, 11, 20, 14, 35));
    CHECK(p.done_by == local(2026, 11, 20, 23, 59) + 59);
    CHECK_FALSE(p.follow_up_by);
}

TEST_CASE("an emergency called at 23:50 is still promised within 30 minutes", "[rules][repair]") {
    auto p = repair_promise(RepairUrgency::Emergency, local(2026, 11, 20, 23, 50), std::nullopt, false);
    CHECK(p.on_site_by == local(2026, 11, 21, 0, 20));
    CHECK(p.done_by >= p.on_site_by);
}

TEST_CASE("a booked repair is promised for its window, a leak gets a follow-up within 3 days", "[rules][repair]") {
    TimeWindow w{local(2026, 11, 24, 14, 0), local(2026, 11, 24, 16, 0)};
    auto p = repair_promise(RepairUrgency::Appointment, local(2026, 11, 22, 9, 30), w, true);
    CHECK(p.on_site_by == w.start);
    CHECK(p.done_by == w.end);
    REQUIRE(p.follow_up_by);
    CHECK(*p.follow_up_by == local(2026, 11, 27, 16, 0));
}

TEST_CASE("a minor complaint filed on Friday 17:00 is due Sunday 17:00", "[rules][complaint]") {
    auto d = complaint_deadlines(Severity::Minor, local(2026, 11, 20, 17, 0));
    CHECK(d.resolved_by == local(2026, 11, 22, 17, 0));
    CHECK(d.to_department_by == local(2026, 11, 20, 17, 10));
    CHECK_FALSE(d.answer_by);
}

TEST_CASE("a minor complaint is handled by the date the resident asked, when later", "[rules][complaint]") {
    auto d = complaint_deadlines(Severity::Minor, local(2026, 11, 20, 17, 0), local(2026, 11, 25, 12, 0));
    CHECK(d.resolved_by == local(2026, 11, 25, 12, 0));
}

TEST_CASE("an important complaint reaches the manager within an hour and is handled within 3 days", "[rules][complaint]") {
    auto d = complaint_deadlines(Severity::Important, local(2026, 11, 20, 9, 0));
    CHECK(d.escalated_by == local(2026, 11, 20, 10, 0));
    CHECK(d.resolved_by == local(2026, 11, 23, 9, 0));
}

TEST_CASE("a major complaint goes to the general manager the same day, answered in 2 days, solved in 10", "[rules][complaint]") {
    auto d = complaint_deadlines(Severity::Major, local(2026, 11, 20, 9, 0));
    CHECK(d.escalated_by == local(2026, 11, 20, 23, 59) + 59);
    REQUIRE(d.answer_by);
    CHECK(*d.answer_by == local(2026, 11, 22, 9, 0));
    CHECK(d.resolved_by == local(2026, 11, 30, 9, 0));
    CHECK(complaint_reply_by(local(2026, 11, 20, 9, 0)) == local(2026, 11, 21, 9, 0));
}

TEST_CASE("the arrears ladder: reminder, written notice, final notice in the third month, then a formal demand", "[rules][fees]") {
    CHECK(arrears_stage(0) == ArrearsStage::None);
    CHECK(arrears_stage(1) == ArrearsStage::Reminder);
    CHECK(arrears_stage(2) == ArrearsStage::WrittenNotice);
    CHECK(arrears_stage(3) == ArrearsStage::FinalNotice);
    CHECK(arrears_stage(4) == ArrearsStage::FormalDemand);
    CHECK(arrears_stage(12) == ArrearsStage::FormalDemand);
    CHECK(arrears_stage_id(ArrearsStage::FinalNotice) == "final_notice");
}

TEST_CASE("a fee statement groups by month, totals what is owed, and counts months in arrears", "[rules][fees]") {
    std::vector<FeeItem> items{
        {"2026-08", "management", 32000, true},  {"2026-09", "management", 32000, false},
        {"2026-09", "water", 4500, true},        {"2026-10", "management", 32000, false},
        {"2026-10", "electricity", 12050, false}, {"2026-11", "management", 32000, false},
    };
    auto st = fee_statement(items, "2026-11");
    REQUIRE(st.months.size() == 4);
    CHECK(st.months.front().month == "2026-11");  // newest first
    CHECK(st.months.back().month == "2026-08");
    CHECK(st.months[1].owed_cents == 44050);
    CHECK(st.total_owed_cents == 32000 + 32000 + 12050 + 32000);
    // September and October are past and unpaid; November's bill is due, not in arrears.
    CHECK(st.months_in_arrears == 2);
    CHECK(st.stage == ArrearsStage::WrittenNotice);
    auto paid_up = fee_statement({{"2026-10", "water", 100, true}, {"2026-11", "water", 100, false}}, "2026-11");
    CHECK(paid_up.months_in_arrears == 0);
    CHECK(paid_up.stage == ArrearsStage::None);
    CHECK(paid_up.total_owed_cents == 100);
}

TEST_CASE("amounts read as yuan with thousands separators", "[rules][fees]") {
    CHECK(format_yuan(0) == "0.00");
    CHECK(format_yuan(4500) == "45.00");
    CHECK(format_yuan(123456789) == "1,234,567.89");
    CHECK(format_yuan(-5) == "-0.05");
    CHECK(format_yuan(214800, false) == "2148.00");
}
