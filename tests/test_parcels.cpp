// Parcels at the desk: pickup codes, intake by scanner and taps with the label printed and read
// back by zbar, hand-over against the code, and guessing codes slowed.
#include <catch2/catch.hpp>

#include <set>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/probe.hpp"
#include "kiosk/ui/slips.hpp"
#include "kiosk_fixture.hpp"
#include "printing.hpp"

using namespace kiosk;
using ui::Screen;

namespace {

// The clerk scans a parcel for 1栋 102 and shelves it on A-03.
void register_parcel(test::Kiosk& k, const std::string& tracking, const std::string& building = "B1",
                     const std::string& unit = "B1-102") {
    k.tap("staff.desk.parcel_intake");
    REQUIRE(k.screen() == Screen::ParcelIntake);
    k.driver->scan(tracking);
    k.tap("parcel.carrier.sf");
    k.tap("parcel.building." + building);
    k.tap("parcel.unit." + unit);
    k.tap("parcel.shelf.2");
    k.tap("parcel.register");
}

}  // namespace

TEST_CASE("pickup codes are 6 digits from a CSPRNG: spread over every digit, rarely repeating") {
    std::set<std::string> seen;
    int first_digit[10] = {};
    for (int i = 0; i < 20000; ++i) {
        std::string c = new_pickup_code();
        REQUIRE(looks_like_pickup_code(c));
        seen.insert(c);
        ++first_digit[c[0] - '0'];
    }
    // 20,000 draws from a million: about 200 repeats expected; a weak generator shows far more.
    CHECK(seen.size() > 19600);
    for (int d = 0; d < 10; ++d) {
        CAPTURE(d);
        CHECK(first_digit[d] > 1700);  // 2,000 expected for each leading digit
        CHECK(first_digit[d] < 2300);
    }
    CHECK_FALSE(looks_like_pickup_code("12345"));
    CHECK_FALSE(looks_like_pickup_code("12345a"));
}

TEST_CASE("a parcel waits: reminded after 3 days, overdue after 7, warned 48 h before it goes back") {
    ParcelLimits limits;  // 3, 7, 14 days
    std::time_t in = test::test_wall_clock();
    auto at = [&](double days) { return in + static_cast<std::time_t>(days * 86400); };
    CHECK(parcel_stage(in, at(2.9), limits) == ParcelStage::Fresh);
    CHECK(parcel_stage(in, at(3), limits) == ParcelStage::Remind);
    CHECK(parcel_stage(in, at(7), limits) == ParcelStage::Overdue);
    CHECK(parcel_stage(in, at(11.9), limits) == ParcelStage::Overdue);
    CHECK(parcel_stage(in, at(12), limits) == ParcelStage::ReturnSoon);
    CHECK(parcel_stage(in, at(14), limits) == ParcelStage::ReturnDue);
    CHECK(parcel_stage(in, at(14), limits, 3) == ParcelStage::Overdue);  // held 3 more days
    CHECK(parcel_return_at(in, limits) == at(14));
}

TEST_CASE("registered parcels hold distinct codes, a tracking number registers once, two kiosks cannot hand one over twice", "[parcels][store]") {
    test::TempDir dir;
    auto store = test::open_store(dir.path / "kiosk.db");
    std::time_t now = test::test_wall_clock();
    std::set<std::string> codes, ids;
    for (int i = 0; i < 300; ++i) {
        auto p = store->parcels().register_parcel({"SF" + std::to_string(100000 + i), "sf", "B1-101", "A-01"}, now);
        REQUIRE(p.ok());
        codes.insert(p.value().pickup_code);
        ids.insert(p.value().id);
    }
    CHECK(codes.size() == 300);
    CHECK(ids.size() == 300);
    CHECK(*ids.begin() == "P261122K1001");

    auto dup = store->parcels().register_parcel({"SF100007", "sf", "B2-301", "B-01"}, now);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().key == "parcel.error.duplicate");
    CHECK(dup.error().arg == "P261122K1008");
    CHECK(store->outbox().outbox_depth() == 300);  // nothing half-saved

    auto first = store->parcels().waiting_parcels().front();
    auto other = Store::open(dir.path / "kiosk.db", "SG01", "K2");  // a second kiosk on the same data
    REQUIRE(other.ok());
    CHECK(store->parcels().hand_over_parcels({first.id}, "code", "A01", now + 60).ok());
    auto again = other.value()->parcels().hand_over_parcels({first.id}, "code", "S01", now + 61);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().key == "parcel.error.gone");
    CHECK(store->parcels().parcel(first.id)->status == "collected");
    CHECK(store->parcels().waiting_parcels().size() == 299);
}

TEST_CASE("a clerk scans a parcel in, prints its label, and a resident collects it with the code", "[parcels][slips]") {
    test::FakePrinter printer;
    test::Kiosk k;
    auto font = platform::find_cjk_font(KIOSK_ASSETS);
    print::PrintQueue queue(print::make_transport(printer.uri()).value(), print::Paper::mm58, font.value().path,
                            font.value().face_index);
    k.app->set_printer(&queue);
    k.sign_in_staff();
    int64_t outbox = k.store->outbox().outbox_depth();
    register_parcel(k, "SF1400023456789");
    auto& pi = k.app->features().parcel_intake.s;
    REQUIRE(pi.saved);
    const Parcel parcel = *pi.saved;
    CHECK(parcel.id == "P261122K1001");
    CHECK(parcel.shelf == "A-03");
    CHECK(parcel.recipient_masked == "李*");
    CHECK(k.shows(parcel.pickup_code));
    CHECK(k.shows("P261122K1001 · 1栋 102 李* · 货架 A-03"));

    // The label, in view of anyone at the desk: the parcel id, the flat masked, the masked name and
    // the shelf; Code 128 and QR scan as the parcel id. Never the pickup code, in any form.
    REQUIRE(queue.wait_settled(std::chrono::seconds(30)));
    auto jobs = printer.jobs(1);
    REQUIRE(jobs.size() == 1);
    auto label = print::escpos_raster_image(jobs[0]);
    REQUIRE(label.ok());
    auto codes = test::decode_slip(label.value());
    REQUIRE(codes.size() == 2);
    for (auto& c : codes) {
        INFO(c.type << " " << c.data);
        CHECK(c.data == parcel.id);
        CHECK(c.data.find(parcel.pickup_code) == std::string::npos);
    }
    CHECK(test::decodes_to(label.value(), "CODE-128", parcel.id));
    CHECK(test::decodes_to(label.value(), "QR-Code", parcel.id));
    const std::string job(jobs[0].begin(), jobs[0].end());
    CHECK(job.find(parcel.pickup_code) == std::string::npos);  // nor in the bytes sent to the printer
    CHECK(job.find(parcel.pickup_code.substr(0, 3) + " " + parcel.pickup_code.substr(3)) == std::string::npos);
    // The text is rasterised: what was printed is, dot for dot, this label, whose text is read here.
    auto slip = ui::parcel_label(k.catalog, k.app->state(), parcel, "1栋 1*2");
    auto slip_font = print::SlipFont::load(font.value().path, font.value().face_index);
    REQUIRE(slip_font.ok());
    auto expected = print::render_slip(slip, print::dots(print::Paper::mm58), *slip_font.value());
    REQUIRE(expected.ok());
    CHECK(expected.value().width == label.value().width);
    CHECK(expected.value().height == label.value().height);
    CHECK(expected.value().ink == label.value().ink);
    std::string all_text = slip.title + "\n" + slip.footer;
    for (auto& b : slip.body)
        if (auto* t = std::get_if<print::SlipText>(&b)) all_text += "\n" + t->text;
    INFO(all_text);
    CHECK(all_text.find("1栋 1*2  李*") != std::string::npos);  // the flat masked, with the masked name
    CHECK(all_text.find("货架 A-03") != std::string::npos);
    CHECK(all_text.find(parcel.id) != std::string::npos);      // what the pickup screen names
    CHECK(all_text.find("1栋 102") == std::string::npos);
    CHECK(all_text.find(parcel.pickup_code) == std::string::npos);
    CHECK(all_text.find(parcel.pickup_code.substr(0, 3) + " " + parcel.pickup_code.substr(3)) == std::string::npos);
    CHECK(all_text.find("取件码") == std::string::npos);

    // Head office gets a record to text the household.
    CHECK(k.store->outbox().outbox_depth() == outbox + 1);
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT type, payload FROM records ORDER BY local_seq DESC LIMIT 1");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "parcel.registered");
    auto payload = nlohmann::json::parse(q.getColumn(1).getString());
    CHECK(payload["pickup_code"] == parcel.pickup_code);
    CHECK(payload["notify"] == "parcel_arrived");
    CHECK(payload["unit"] == "B1-102");

    // The same parcel scanned again is flagged before anything is chosen.
    k.tap("parcel.another");
    k.driver->scan("SF1400023456789");
    CHECK(k.shows("这个运单号已经登记过（P261122K1001）"));
    CHECK(k.app->features().parcel_intake.s.step == ui::ParcelIntakeState::Step::Tracking);

    // Pickup: the resident types the code; the clerk sees the shelf and confirms.
    k.tap("nav.back");
    k.tap("staff.desk.parcel_pickup");
    k.type(parcel.pickup_code);
    k.tap("pickup.submit");
    CHECK(k.shows("货架 A-03"));
    CHECK(k.shows("1栋 102  李*  顺丰"));
    k.tap("pickup.confirm");
    CHECK(k.shows("已交付，已记录。"));
    CHECK(k.store->parcels().parcel(parcel.id)->status == "collected");
    StoreProbe h_probe(*k.store);
    SQLite::Statement h(h_probe.connection(), "SELECT collected_how, handed_by FROM parcels WHERE id = ?");
    h.bind(1, parcel.id);
    REQUIRE(h.executeStep());
    CHECK(h.getColumn(0).getString() == "code");
    CHECK(h.getColumn(1).getString() == "A01");
    // The code is spent.
    k.tap("pickup.next");
    k.type(parcel.pickup_code);
    k.tap("pickup.submit");
    CHECK(k.shows("没有找到这个取件码"));
}

TEST_CASE("a flat that has not agreed to desk custody is flagged at intake and on the label", "[parcels]") {
    test::Kiosk k;
    k.sign_in_staff();
    k.tap("staff.desk.parcel_intake");
    k.driver->scan("YT9876543210");
    k.tap("parcel.carrier.yto");
    k.tap("parcel.building.B2");
    k.tap("parcel.unit.B2-302");
    CHECK(k.shows("注意：这户没有同意由服务台代收快递。请先联系住户确认。"));
    k.tap("parcel.shelf.0");
    k.tap("parcel.register");
    REQUIRE(k.app->features().parcel_intake.s.saved);
    CHECK_FALSE(k.app->features().parcel_intake.s.saved->consent);
    CHECK(k.shows("本机未配置打印机。"));
}

TEST_CASE("typed tracking numbers are checked, guessing pickup codes is slowed, then paused", "[parcels][security]") {
    test::Kiosk k;
    k.sign_in_staff();
    k.tap("staff.desk.parcel_intake");
    k.type("SF12");
    k.tap("parcel.tracking_next");
    CHECK(k.shows("运单号应为 6–40 位字母或数字"));
    k.type("34567");
    k.tap("parcel.tracking_next");
    CHECK(k.shows("选择快递公司"));
    k.tap("nav.home");  // leaves the desk: staff sessions end on Home

    k.sign_in_staff();
    k.tap("staff.desk.parcel_pickup");
    for (int i = 0; i < 2; ++i) {
        k.type("00000" + std::to_string(i));
        k.tap("pickup.submit");
        CHECK(k.shows("没有找到这个取件码"));
    }
    k.type("000009");
    k.tap("pickup.submit");  // the third wrong code starts a 10 s wait
    CHECK(k.shows("请 10 秒后再试"));
    k.type("000008");
    k.tap("pickup.submit");  // refused unread while it lasts
    CHECK(k.shows("请 10 秒后再试"));
    // Each further wrong code doubles the wait (20, 40, 80, 160, 320, 640 s), and the tenth pauses
    // pickup at this kiosk for 15 minutes. The clerk stays, touching the screen now and then.
    for (int i = 0; i < 7; ++i) {
        for (int s = 0; s < 15; ++s) {
            k.driver->advance(45);
            k.tap("keypad.clear");
        }
        k.type("11111" + std::to_string(i));
        k.tap("pickup.submit");
    }
    CHECK(k.shows("本机暂停取件 15 分钟"));
}

TEST_CASE("a clerk's session lasts 2 minutes without a touch, longer than a resident's", "[parcels][staff]") {
    test::Kiosk k;
    k.sign_in_staff();
    k.driver->advance(95);
    CHECK(k.app->state().session.staff);  // a resident's would have ended at 90 s
    CHECK(k.has_widget("idle.continue"));  // the countdown is on
    k.driver->advance(30);
    CHECK(k.screen() == Screen::Home);
    CHECK_FALSE(k.app->state().session.staff);
    // A resident afterwards keeps the resident rule.
    k.tap("home.tile.announcements");
    k.driver->advance(91);
    CHECK(k.screen() == Screen::Home);
}

TEST_CASE("the desk's dashboard counts today's parcels, what waits and what is overdue", "[parcels][staff]") {
    test::Kiosk k;
    std::time_t now = test::test_wall_clock();
    // Two from earlier in the week (one 8 days old: overdue), then one today through the screens.
    REQUIRE(k.store->parcels().register_parcel({"ZT0000000001", "zto", "B3-101", "C-01"}, now - 8 * 86400).ok());
    REQUIRE(k.store->parcels().register_parcel({"ZT0000000002", "zto", "B3-101", "C-01"}, now - 2 * 86400).ok());
    k.sign_in_staff();
    CHECK(k.shows("今日登记快递 0 件，已交付 0 件；待取 2 件"));
    CHECK(k.shows("超期未取 1 件"));
    register_parcel(k, "SF7777777777");
    std::string code = k.app->features().parcel_intake.s.saved->pickup_code;
    k.tap("nav.back");
    k.tap("staff.desk.parcel_pickup");
    k.type(code);
    k.tap("pickup.submit");
    k.tap("pickup.confirm");
    k.tap("nav.back");
    REQUIRE(k.screen() == Screen::StaffDesk);
    CHECK(k.shows("今日登记快递 1 件，已交付 1 件；待取 2 件"));
    k.tap("staff.desk.parcel_list");
    CHECK(k.shows("待取快递（2 件）"));
    CHECK(k.shows("C-01  3栋 101  吴*华  11-14  超期未取"));
    CHECK(k.shows("C-01  3栋 101  吴*华  11-20  新到"));
}

TEST_CASE("reminders go out once per stage, a parcel past its time goes back to the carrier", "[parcels][staff]") {
    test::Kiosk k;
    std::time_t now = test::test_wall_clock();
    REQUIRE(k.store->parcels().register_parcel({"YD0000000001", "yunda", "B1-201", "B-01"}, now - 5 * 86400).ok());   // reminded
    REQUIRE(k.store->parcels().register_parcel({"YD0000000002", "yunda", "B1-201", "B-01"}, now - 12 * 86400 - 3600).ok());  // back soon
    REQUIRE(k.store->parcels().register_parcel({"YD0000000003", "yunda", "B1-201", "B-01"}, now - 86400).ok());       // fresh
    auto reminders = [&] {
        StoreProbe q_probe(*k.store);
        SQLite::Statement q(q_probe.connection(),
                            "SELECT group_concat(json_extract(payload, '$.stage'), ' ') FROM "
                            "(SELECT payload FROM records WHERE type = 'parcel.reminder' ORDER BY local_seq)");
        q.executeStep();
        return q.getColumn(0).isNull() ? std::string() : q.getColumn(0).getString();
    };
    k.sign_in_staff();  // the desk's sweep runs as it opens
    CHECK(reminders() == "return_soon remind");
    k.tap("staff.desk.parcel_list");
    k.tap("nav.back");
    CHECK(reminders() == "return_soon remind");  // not twice

    k.tap("staff.desk.parcel_list");
    CHECK(k.shows("B-01  1栋 201  王*国  11-10  即将退回"));
    k.tap("parcels.item.0");
    CHECK(k.shows("如无人领取，11-24 退回快递公司"));
    k.tap("parcel.return_to_sender");
    CHECK(k.shows("已登记退回快递公司。"));
    CHECK(k.shows("待取快递（2 件）"));
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(), "SELECT status, handed_by FROM parcels WHERE tracking = 'YD0000000002'");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "returned");
    CHECK(q.getColumn(1).getString() == "A01");
}

TEST_CASE("a parcel another kiosk of the site holds opens at this desk with where it is kept", "[parcels][sync]") {
    test::Kiosk k;
    std::time_t now = test::test_wall_clock();
    nlohmann::json body{{"id", "P261122K2001"}, {"kiosk", "K2"},        {"tracking", "SF7000000001"}, {"carrier", "sf"},
                        {"unit", "B1-102"},     {"shelf", "C-07"},      {"consent", true},            {"registered_at", now - 3600},
                        {"pickup_code", "482913"}, {"status", "waiting"}, {"extra_days", 0}};
    REQUIRE(k.store->outbox().apply_pull("parcels", {{"P261122K2001", body, false}}, 7).ok());
    auto p = k.store->parcels().parcel("P261122K2001");
    REQUIRE(p);
    CHECK(p->held_at == "K2");
    CHECK(p->recipient_masked == "李*");  // the flat's first member, as this kiosk knows the flat
    CHECK(k.store->parcels().queue_parcel_reminders(now + 4 * 86400, {}) == 0);  // K2 reminds its household
    // A proxy code made at K2 comes with the parcel; one made here since is not undone by it.
    body["proxy"] = {{"code", "111111"}, {"expires_at", now + 86400}, {"issued_at", now}};
    REQUIRE(k.store->outbox().apply_pull("parcels", {{"P261122K2001", body, false}}, 8).ok());
    CHECK(k.store->parcels().parcel_for_code("111111", now + 60)->by_proxy);
    auto mine = k.store->parcels().issue_proxy_code("P261122K2001", "B1-102", now + 120).value();
    CHECK_FALSE(k.store->parcels().parcel_for_code("111111", now + 150));  // the newer code revokes the older
    body["proxy"] = {{"code", "222222"}, {"expires_at", now + 86400 + 30}, {"issued_at", now + 30}};  // older than ours
    REQUIRE(k.store->outbox().apply_pull("parcels", {{"P261122K2001", body, false}}, 9).ok());
    CHECK_FALSE(k.store->parcels().parcel_for_code("222222", now + 180));
    CHECK(k.store->parcels().parcel_for_code(mine.code, now + 180)->parcel.id == "P261122K2001");
    k.sign_in_staff();
    k.tap("staff.desk.parcel_pickup");
    k.type("482913");
    k.tap("pickup.submit");
    CHECK(k.shows("货架 C-07"));
    CHECK(k.shows("存放在 K2 终端的前台"));
    k.tap("nav.back");
    k.tap("nav.back");
    k.tap("staff.desk.parcel_list");
    CHECK(k.shows("存放在 K2 终端的前台"));
}
