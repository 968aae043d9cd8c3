// A household's own parcels: days left, a hold extended once, a one-time proxy code for a
// neighbour, everything collected at once after proving the household, and a signature drawn at
// the hand-over, kept as strokes and as a picture.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>
#include <stb/stb_image.h>

#include "kiosk/store/probe.hpp"
#include "kiosk/print/signature_image.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

namespace {

// Ink at a point of a PNG, looking a few pixels around it (the pen is round and a few wide).
bool ink_near(const std::vector<unsigned char>& png, double fx, double fy) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 1);
    REQUIRE(px);
    int cx = static_cast<int>(fx * (w - 1)), cy = static_cast<int>(fy * (h - 1));
    bool found = false;
    for (int y = std::max(0, cy - 3); y <= std::min(h - 1, cy + 3); ++y)
        for (int x = std::max(0, cx - 3); x <= std::min(w - 1, cx + 3); ++x) found = found || px[y * w + x] < 128;
    stbi_image_free(px);
    return found;
}

std::pair<int, int> png_size(const std::vector<unsigned char>& png) {
    int w = 0, h = 0, n = 0;
    REQUIRE(stbi_info_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n));
    return {w, h};
}

}  // namespace

TEST_CASE("days left before a parcel goes back, and the site's own limits", "[parcels]") {
    ParcelLimits limits;  // 3, 7, 14 days; a hold extends by 7
    std::time_t in = test::test_wall_clock();
    CHECK(parcel_days_left(in, in, limits) == 14);
    CHECK(parcel_days_left(in, in + 1, limits) == 14);                  // 13 days 23:59:59 is "14 days"
    CHECK(parcel_days_left(in, in + 13 * 86400 + 1, limits) == 1);      // less than a day: still 1
    CHECK(parcel_days_left(in, in + 14 * 86400, limits) == 0);          // due
    CHECK(parcel_days_left(in, in + 20 * 86400, limits) == 0);
    CHECK(parcel_days_left(in, in + 14 * 86400, limits, limits.extend_days) == 7);

    auto site = parcel_limits_from_json(R"({"remind_after": 2, "overdue_after": 5, "return_after": 10, "extend_days": 3})");
    CHECK(site.remind_after == 2);
    CHECK(site.overdue_after == 5);
    CHECK(site.return_after == 10);
    CHECK(site.extend_days == 3);
    // Out of order or out of range: the defaults stand.
    auto bad = parcel_limits_from_json(R"({"remind_after": 9, "overdue_after": 5, "return_after": 10})");
    CHECK(bad.remind_after == 3);
    CHECK(bad.return_after == 14);
    CHECK(parcel_limits_from_json(R"({"return_after": -1})").return_after == 14);
    CHECK(parcel_limits_from_json("not json").overdue_after == 7);
}

TEST_CASE("a hold extends once, a proxy code is one-time, expires in 24 h, and a new one revokes the old", "[parcels][store]") {
    test::TempDir dir;
    auto store = test::open_store(dir.path / "kiosk.db");
    std::time_t now = test::test_wall_clock();
    ParcelLimits limits;
    auto a = store->parcels().register_parcel({"SF2000000001", "sf", "B1-102", "A-01"}, now - 2 * 86400).value();
    auto b = store->parcels().register_parcel({"SF2000000002", "sf", "B1-102", "A-02"}, now - 86400).value();

    // Extending: only the household's own parcel, only once.
    auto other_flat = store->parcels().extend_parcel_hold(a.id, "B1-101", limits, now);
    REQUIRE_FALSE(other_flat.ok());
    CHECK(other_flat.error().key == "parcel.error.gone");
    auto ext = store->parcels().extend_parcel_hold(a.id, "B1-102", limits, now);
    REQUIRE(ext.ok());
    CHECK(ext.value().extra_days == 7);
    CHECK(parcel_return_at(ext.value().registered_at, limits, ext.value().extra_days) == a.registered_at + 21 * 86400);
    auto twice = store->parcels().extend_parcel_hold(a.id, "B1-102", limits, now + 60);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().key == "myparcels.extended_once");

    // A proxy code opens the parcel at the desk as a proxy, never clashing with a pickup code.
    auto first = store->parcels().issue_proxy_code(a.id, "B1-102", now).value();
    CHECK(looks_like_pickup_code(first.code));
    CHECK(first.code != a.pickup_code);
    CHECK(first.code != b.pickup_code);
    CHECK(first.expires_at == now + 24 * 3600);
    auto m = store->parcels().parcel_for_code(first.code, now + 60);
    REQUIRE(m);
    CHECK(m->parcel.id == a.id);
    CHECK(m->by_proxy);
    auto own = store->parcels().parcel_for_code(a.pickup_code, now + 60);
    REQUIRE(own);
    CHECK_FALSE(own->by_proxy);
    // Expired after 24 h.
    CHECK_FALSE(store->parcels().parcel_for_code(first.code, now + 24 * 3600));
    // A second code revokes the first.
    auto second = store->parcels().issue_proxy_code(a.id, "B1-102", now + 120).value();
    CHECK_FALSE(store->parcels().parcel_for_code(first.code, now + 180));
    CHECK(store->parcels().parcel_for_code(second.code, now + 180));
    CHECK(store->parcels().active_proxy_code(a.id, now + 180)->code == second.code);
    // Not for someone else's parcel.
    CHECK(store->parcels().issue_proxy_code(a.id, "B1-101", now).error().key == "parcel.error.gone");
    // Head office gets the code (for the site's other desks, test_across_kiosks), and once it has
    // it, this kiosk's copy of the record no longer carries it.
    auto payloads = [&] {
        std::vector<std::string> out;
        StoreProbe q_probe(*store);
        SQLite::Statement q(q_probe.connection(), "SELECT payload FROM records WHERE type = 'parcel.proxy_issued' ORDER BY local_seq");
        while (q.executeStep()) out.push_back(q.getColumn(0).getString());
        return out;
    };
    auto before = payloads();
    REQUIRE(before.size() == 2);
    CHECK(before[0].find(first.code) != std::string::npos);
    CHECK(before[1].find(second.code) != std::string::npos);
    Store::PushAnswer acked;
    StoreProbe ids_probe(*store);
    SQLite::Statement ids(ids_probe.connection(), "SELECT id FROM records");
    while (ids.executeStep()) acked.stored.push_back(ids.getColumn(0).getString());
    REQUIRE(store->outbox().settle_push(acked).ok());
    for (auto& p : payloads()) {
        CHECK(p.find(first.code) == std::string::npos);
        CHECK(p.find(second.code) == std::string::npos);
    }

    // Handing over with the proxy code uses it up; a stale or wrong code stops the hand-over.
    Store::HandOver stale{{a.id}, "proxy", "A01", first.code, nullptr, {}};
    auto refused = store->parcels().hand_over_parcels(stale, now + 200);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().key == "pickup.proxy_gone");
    CHECK(store->parcels().parcel(a.id)->status == "waiting");  // nothing half-done
    Store::HandOver ok{{a.id}, "proxy", "A01", second.code, nullptr, {}};
    REQUIRE(store->parcels().hand_over_parcels(ok, now + 200).ok());
    CHECK(store->parcels().parcel(a.id)->status == "collected");
    CHECK_FALSE(store->parcels().parcel_for_code(second.code, now + 300));
    CHECK_FALSE(store->parcels().active_proxy_code(a.id, now + 300));
}

TEST_CASE("signature strokes: a scribble is not a signature, strokes survive JSON, the picture has the ink", "[parcels][signature]") {
    Signature s;
    s.begin({100, 100});
    s.extend({102, 101});  // too close to count
    CHECK(s.points() == 1);
    CHECK_FALSE(s.usable());
    s.extend({130, 100});
    CHECK_FALSE(s.usable());  // 30 units of travel
    s.begin({200, 500});
    s.extend({800, 500});
    s.extend({2000, -50});  // off the pad: held to its edge
    CHECK(s.usable());
    CHECK(s.strokes.back().back() == Signature::Point{1000, 0});

    Signature back;
    REQUIRE(signature_from_json(signature_json(s), back));
    CHECK(back.strokes == s.strokes);
    CHECK_FALSE(signature_from_json(nlohmann::json::parse("[[[1,2],[3]]]"), back));
    CHECK_FALSE(signature_from_json(nlohmann::json::parse("[[[1,2000]]]"), back));

    auto png = print::bitmap_png(print::signature_bitmap(s, 600, 200));
    CHECK(png_size(png) == std::pair{600, 200});
    CHECK(ink_near(png, 0.5, 0.5));    // on the long stroke
    CHECK(ink_near(png, 0.2, 0.5));
    CHECK_FALSE(ink_near(png, 0.5, 0.9));  // below it: paper
}

TEST_CASE("a resident sees days left, extends a hold once and gives a neighbour a one-time code", "[parcels][ui]") {
    test::Kiosk k;
    std::time_t now = test::test_wall_clock();
    auto a = k.store->parcels().register_parcel({"SF3000000001", "sf", "B1-102", "A-01"}, now - 2 * 86400).value();
    REQUIRE(k.store->parcels().register_parcel({"YT3000000002", "yto", "B1-102", "A-02"}, now - 12 * 86400 - 3600).ok());
    REQUIRE(k.store->parcels().register_parcel({"YT3000000003", "yto", "B1-101", "A-02"}, now).ok());  // a neighbour's

    k.prove("home.tile.parcels", "B1", "B1-102", "11021102");
    REQUIRE(k.screen() == Screen::MyParcels);
    CHECK(k.shows("您有 2 件快递在前台"));
    CHECK(k.shows("顺丰  11-20 到  还可保管 12 天（12-04 退回）"));
    CHECK(k.shows("圆通  11-10 到  还可保管 2 天（11-24 退回）"));
    CHECK_FALSE(k.shows("A-01"));  // no shelves or codes in the list

    k.tap("myparcels.item.1");  // oldest first: the SF parcel is second
    CHECK(k.shows("货架 A-01  " + a.id));
    CHECK_FALSE(k.shows(a.pickup_code));  // the pickup code is texted, never shown here
    k.tap("myparcels.extend");
    CHECK(k.shows("已延期，退回日期已更新"));
    CHECK(k.shows("还可保管 19 天（12-11 退回）"));
    CHECK(k.shows("已延期 7 天（每件只能延期一次）"));
    CHECK_FALSE(k.app->widgets().find("myparcels.extend")->enabled);
    CHECK(k.store->parcels().parcel(a.id)->extra_days == 7);

    k.tap("myparcels.proxy");
    auto issued = k.app->features().my_parcels.s.issued;
    REQUIRE(issued);
    CHECK(k.shows(issued->code));
    CHECK(k.shows("请把代取码告诉代取人：11-23 09:3"));
    k.tap("nav.back");
    CHECK(k.shows("已发代取码"));
    k.tap("nav.home");

    // The neighbour at the desk with the proxy code: the clerk is told to check who collects.
    k.sign_in_staff();
    k.tap("staff.desk.parcel_pickup");
    k.type(issued->code);
    k.tap("pickup.submit");
    CHECK(k.shows("货架 A-01"));
    CHECK(k.shows("这是住户发出的一次性代取码"));
    k.tap("pickup.confirm");
    CHECK(k.shows("已交付，已记录。"));
    StoreProbe h_probe(*k.store);
    SQLite::Statement h(h_probe.connection(), "SELECT collected_how FROM parcels WHERE id = ?");
    h.bind(1, a.id);
    REQUIRE(h.executeStep());
    CHECK(h.getColumn(0).getString() == "proxy");
    // One use only.
    k.tap("pickup.next");
    k.type(issued->code);
    k.tap("pickup.submit");
    CHECK(k.shows("没有找到这个取件码"));
}

TEST_CASE("a proved household collects everything at once and signs for it on the screen", "[parcels][ui][signature]") {
    test::Kiosk k;
    std::time_t now = test::test_wall_clock();
    auto a = k.store->parcels().register_parcel({"JD4000000001", "jd", "B1-102", "A-01"}, now - 3600).value();
    auto b = k.store->parcels().register_parcel({"JD4000000002", "jd", "B1-102", "B-02"}, now - 7200).value();
    auto other = k.store->parcels().register_parcel({"JD4000000003", "jd", "B1-101", "B-02"}, now).value();

    k.sign_in_staff();
    k.tap("staff.desk.parcel_pickup");
    k.tap("pickup.household");
    REQUIRE(k.screen() == Screen::Verify);
    k.tap("verify.building.B1");
    k.tap("verify.unit.B1-102");
    k.type("11021102");
    k.tap("verify.submit");
    REQUIRE(k.screen() == Screen::ParcelPickup);
    CHECK(k.shows("1栋 102：共 2 件，全部交付"));
    CHECK(k.shows("货架 B-02  京东  " + b.id + "  11-22"));
    CHECK_FALSE(k.app->state().session.household);  // the proof opened this hand-over only

    // A slip of the finger is not a signature.
    REQUIRE(k.driver->drag("pickup.signature", {{0.5f, 0.5f}, {0.51f, 0.5f}}).ok());
    k.tap("pickup.confirm");
    CHECK(k.shows("签名太短"));
    CHECK(k.store->parcels().parcel(a.id)->status == "waiting");
    k.tap("pickup.signature.clear");
    CHECK(k.app->features().parcel_pickup.s.signature.empty());
    // A real one: a line across, and one down.
    REQUIRE(k.driver->drag("pickup.signature", {{0.2f, 0.4f}, {0.4f, 0.4f}, {0.6f, 0.4f}, {0.8f, 0.4f}}).ok());
    REQUIRE(k.driver->drag("pickup.signature", {{0.5f, 0.1f}, {0.5f, 0.5f}, {0.5f, 0.9f}}).ok());
    CHECK(k.app->features().parcel_pickup.s.signature.strokes.size() == 2);
    k.tap("pickup.confirm");
    CHECK(k.shows("已交付，签名已保存。"));
    CHECK(k.store->parcels().parcel(a.id)->status == "collected");
    CHECK(k.store->parcels().parcel(b.id)->status == "collected");
    CHECK(k.store->parcels().parcel(other.id)->status == "waiting");

    // The record names both parcels and carries the strokes; the picture stays with it locally.
    StoreProbe q_probe(*k.store);
    SQLite::Statement q(q_probe.connection(),
                        "SELECT id, payload FROM records WHERE type = 'parcel.handed_over' ORDER BY local_seq DESC LIMIT 1");
    REQUIRE(q.executeStep());
    std::string record = q.getColumn(0).getString();
    auto payload = nlohmann::json::parse(q.getColumn(1).getString());
    CHECK(payload["how"] == "household");
    CHECK(payload["parcels"].size() == 2);
    Signature sig;
    REQUIRE(signature_from_json(payload["signature"], sig));
    REQUIRE(sig.strokes.size() == 2);
    CHECK(std::abs(sig.strokes[0].front().x - 200) <= 2);
    CHECK(std::abs(sig.strokes[1].back().y - 900) <= 2);
    REQUIRE(k.store->parcels().signature_strokes(record));
    auto png = k.store->parcels().signature_png(record);
    REQUIRE_FALSE(png.empty());
    CHECK(png_size(png) == std::pair{ui::kSignaturePngW, ui::kSignaturePngH});
    CHECK(ink_near(png, 0.3, 0.4));
    CHECK(ink_near(png, 0.5, 0.8));
    CHECK_FALSE(ink_near(png, 0.2, 0.8));

    // A household with nothing waiting is told so, and the clerk is back at the code.
    k.tap("pickup.next");
    k.tap("pickup.household");
    k.tap("verify.building.B1");
    k.tap("verify.unit.B1-102");
    k.type("11021102");
    k.tap("verify.submit");
    CHECK(k.screen() == Screen::ParcelPickup);
    CHECK(k.shows("1栋 102 没有待取的快递"));
    CHECK(k.has_widget("pickup.code"));
}
