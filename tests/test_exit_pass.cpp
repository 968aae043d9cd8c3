// Exit passes: a household asks, the desk reviews against the rules (owner or tenant, arrears),
// a supervisor overrides with a reason, the pass prints with a barcode that scans, and the gate
// lets it through once, on its day.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk_fixture.hpp"
#include "printing.hpp"

using namespace kiosk;
using ui::Screen;

namespace {

// A household asks to move two pieces of furniture and an appliance out this afternoon.
std::string request_pass(test::Kiosk& k, const std::string& building, const std::string& unit, const std::string& pin) {
    k.prove("home.tile.exit_passes", building, unit, pin);
    REQUIRE(k.screen() == Screen::ExitPass);
    k.tap("exit.next");
    CHECK(k.shows("请至少选择一件物品"));
    k.tap("exit.item.furniture");
    k.tap("exit.item.furniture");
    k.tap("exit.item.appliance");
    CHECK(k.shows("家具 × 2"));
    k.tap("exit.next");
    k.tap("exit.day.0");
    k.tap("exit.window.1");
    k.tap("exit.next");
    k.tap("exit.requester.0");
    k.tap("exit.carrier.2");
    k.tap("exit.next");
    k.tap("exit.next");  // no plate
    CHECK(k.shows("家具 × 2、家电 × 1"));
    CHECK(k.shows("2026-11-22 下午"));
    k.tap("exit.submit");
    std::string id = k.app->features().exit_pass.s.pass_id;
    REQUIRE_FALSE(id.empty());
    CHECK(k.shows(id));
    k.tap("exit.done");
    return id;
}

}  // namespace

TEST_CASE("the gate lets an approved pass through on its day only, and once") {
    CHECK(gate_verdict("approved", "2026-11-22", "2026-11-22") == GateVerdict::LetThrough);
    CHECK(gate_verdict("used", "2026-11-22", "2026-11-22") == GateVerdict::AlreadyUsed);
    CHECK(gate_verdict("approved", "2026-11-21", "2026-11-22") == GateVerdict::Expired);
    CHECK(gate_verdict("approved", "2026-11-23", "2026-11-22") == GateVerdict::NotToday);
    CHECK(gate_verdict("pending", "2026-11-22", "2026-11-22") == GateVerdict::NotApproved);
    CHECK(gate_verdict("rejected", "2026-11-22", "2026-11-22") == GateVerdict::NotApproved);
    CHECK(gate_verdict("", "", "2026-11-22") == GateVerdict::Unknown);
    CHECK_FALSE(review_exit_pass("owner", 0, ArrearsRule::Block).needs_override());
    CHECK(review_exit_pass("tenant", 0, ArrearsRule::Block).needs_override());
    CHECK(review_exit_pass("owner", 2, ArrearsRule::Block).needs_override());
    CHECK_FALSE(review_exit_pass("owner", 2, ArrearsRule::Warn).needs_override());
}

TEST_CASE("an owner's exit pass goes from request to approval to print to one use at the gate", "[exit][slips]") {
    test::FakePrinter printer;
    test::Kiosk k;
    auto font = platform::find_cjk_font(KIOSK_ASSETS);
    print::PrintQueue queue(print::make_transport(printer.uri()).value(), print::Paper::mm80, font.value().path,
                            font.value().face_index);
    k.app->set_printer(&queue);
    std::string id = request_pass(k, "B1", "B1-101", "11011101");
    CHECK(id == "F261122K1001");
    CHECK(k.store->exit_passes().exit_pass(id)->status == "pending");

    k.sign_in_staff();
    k.tap("staff.desk.exit_review");
    CHECK(k.shows("待审核放行申请（1）"));
    k.tap("exit.review.pass.0");
    CHECK(k.shows("业主申请，无欠费。"));
    k.tap("exit.approve");
    CHECK(k.shows("已批准，正在打印放行条"));
    REQUIRE(queue.wait_settled(std::chrono::seconds(30)));
    auto jobs = printer.jobs(1);
    REQUIRE(jobs.size() == 1);
    auto slip = print::escpos_raster_image(jobs[0]);
    REQUIRE(slip.ok());
    CHECK(test::decodes_to(slip.value(), "CODE-128", id));
    CHECK(test::decodes_to(slip.value(), "QR-Code", id));
    CHECK(k.store->exit_passes().exit_pass(id)->status == "approved");
    CHECK(k.store->exit_passes().exit_pass(id)->reviewed_by == "A01");

    // The gate scans what was printed.
    k.tap("nav.back");
    k.tap("nav.back");
    REQUIRE(k.screen() == Screen::StaffDesk);
    k.tap("staff.desk.gate");
    k.driver->scan(id);
    CHECK(k.shows("放行"));
    CHECK(k.shows("家具 × 2、家电 × 1"));
    CHECK(k.store->exit_passes().exit_pass(id)->status == "used");
    k.driver->scan(id);
    CHECK(k.shows("已使用过，不能再放行"));
    k.driver->scan("F261122K1999");
    CHECK(k.shows("无此放行条"));
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT group_concat(type, ' ') FROM (SELECT type FROM records WHERE type LIKE 'exit_pass.%' ORDER BY local_seq)");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "exit_pass.requested exit_pass.reviewed exit_pass.used");
}

TEST_CASE("a tenant's pass needs a supervisor and a reason, a clerk may reject with one", "[exit][staff]") {
    test::Kiosk k;
    std::string first = request_pass(k, "B2", "B2-302", "23022302");  // 周*婷 rents 2栋 302
    std::string second = request_pass(k, "B2", "B2-302", "23022302");
    k.sign_in_staff();
    k.tap("staff.desk.exit_review");
    k.tap("exit.review.pass.0");
    CHECK(k.shows("申请人是租户：须业主授权。"));
    k.tap("exit.approve");
    CHECK(k.shows("此申请不符合规定，需要主管批准"));
    k.tap("exit.reject");
    CHECK(k.shows("请选择原因"));
    k.tap("exit.reason.3");  // 业主未授权
    k.tap("exit.reject");
    CHECK(k.shows("已驳回，已记录原因"));
    CHECK(k.store->exit_passes().exit_pass(first)->status == "rejected");
    CHECK(k.store->exit_passes().exit_pass(first)->reason == "owner_not_authorised");
    k.tap("nav.back");
    k.tap("nav.back");
    k.tap("staff.desk.sign_out");

    k.sign_in_staff("S01", "135790");  // the supervisor rang the owner
    k.tap("staff.desk.exit_review");
    CHECK(k.shows("待审核放行申请（1）"));
    k.tap("exit.review.pass.0");
    k.tap("exit.approve");
    CHECK(k.shows("请选择原因"));
    k.tap("exit.reason.0");  // 已电话联系业主确认
    k.tap("exit.approve");
    auto pass = k.store->exit_passes().exit_pass(second);
    CHECK(pass->status == "approved");
    CHECK(pass->overridden);
    CHECK(pass->reason == "owner_confirmed");
    CHECK(pass->reviewed_by == "S01");
    // The gate refuses the rejected one.
    k.tap("nav.back");
    k.tap("nav.back");
    k.tap("staff.desk.gate");
    k.driver->scan(first);
    CHECK(k.shows("放行条未获批准"));
}

TEST_CASE("arrears block an owner's pass by the site's rule, passes for another day are refused at the gate", "[exit]") {
    test::Kiosk k;
    std::string id = request_pass(k, "B2", "B2-301", "23012301");  // three months behind
    k.sign_in_staff();
    k.tap("staff.desk.exit_review");
    k.tap("exit.review.pass.0");
    CHECK(k.shows("欠费 3 个月：按本小区规定须先结清。"));
    k.tap("exit.approve");
    CHECK(k.shows("此申请不符合规定，需要主管批准"));
    CHECK(k.store->exit_passes().exit_pass(id)->status == "pending");

    // Two approved passes, for yesterday and tomorrow, straight through the store.
    std::time_t now = test::test_wall_clock();
    ExitPassRequest r{"B1-101", "R001", "owner", {{"boxes", 3}}, "2026-11-21", "morning", "self", ""};
    auto old_id = k.store->exit_passes().save_exit_pass_request(r, now - 86400);
    r.date = "2026-11-23";
    auto later_id = k.store->exit_passes().save_exit_pass_request(r, now);
    REQUIRE(old_id.ok());
    REQUIRE(later_id.ok());
    REQUIRE(k.store->exit_passes().review_exit_pass(old_id.value(), true, "", "A01", false, now).ok());
    REQUIRE(k.store->exit_passes().review_exit_pass(later_id.value(), true, "", "A01", false, now).ok());
    CHECK_FALSE(k.store->exit_passes().review_exit_pass(later_id.value(), false, "details_unclear", "A01", false, now).ok());
    k.tap("nav.back");
    k.tap("nav.back");
    k.tap("staff.desk.gate");
    k.driver->scan(old_id.value());
    CHECK(k.shows("放行条已过期"));
    k.driver->scan(later_id.value());
    CHECK(k.shows("不是今天的放行条"));
    CHECK(k.store->exit_passes().exit_pass(later_id.value())->status == "approved");  // still good tomorrow
}
