// An estate of real size (issue #14 item 8): 6 towers × 33 floors × 4 flats, ~3,000 residents,
// 24 months of bills a flat, 200 parcels on the shelves and 50 open repairs. A resident reaches
// the top flat of the last tower in a few taps, reads the bills a year at a time, and the desk
// finds a parcel among 200 by the digits a caller gives.
#include <catch2/catch.hpp>
#include <cmath>
#include <regex>
#include <set>

#include "kiosk/core/datasets.hpp"
#include "kiosk/core/flat_number.hpp"
#include "kiosk/store/large_estate.hpp"
#include "kiosk/ui/tour.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

namespace {
const nlohmann::json& large_site() {
    static const nlohmann::json site = large_estate_site(test::demo_site());  // generated once per run
    return site;
}

struct LargeKiosk : test::Kiosk {
    LargeKiosk() : test::Kiosk({1920, 1080}, &large_site()) {}
    // The widgets on screen whose id starts with `prefix`.
    std::vector<ui::WidgetRect> widgets(std::string_view prefix) {
        driver->frame();
        std::vector<ui::WidgetRect> out;
        for (auto& r : app->widgets().rects())
            if (r.id.rfind(prefix, 0) == 0) out.push_back(r);
        return out;
    }
    bool enabled(std::string_view id) {
        driver->frame();
        auto* r = app->widgets().find(id);
        return r && r->enabled;
    }
};

std::string digits_of(const std::string& s) {
    std::string out;
    for (char ch : s)
        if (std::isalnum(static_cast<unsigned char>(ch))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return out;
}
}  // namespace

TEST_CASE("the large estate has 792 flats, about 3,000 residents and 24 months of bills a flat, inside the import caps",
          "[large]") {
    const nlohmann::json& site = large_site();
    CHECK(site["buildings"].size() == 6);
    CHECK(site["units"].size() == 6 * 33 * 4);
    CHECK(site["residents"].size() >= 2900);
    CHECK(site["residents"].size() <= 3100);
    CHECK(site["fee_items"].size() == 792 * 24 * 2);
    // Ground and top floors have PINs in tests (Argon2id is slow on purpose); dev.sh demo-large gives every flat one.
    CHECK(site["household_pins"].size() == 6 * 2 * 4);
    for (auto& [name, rows] : site.items())
        if (rows.is_array()) {
            INFO(name);
            CHECK(rows.size() <= kMaxRowsPerDataset);
        }
    CHECK(site.dump().size() < (32u << 20));  // head office's kMaxSiteFileBytes
    // The same estate each time (the PIN hashes aside: their salts are random).
    LargeEstateShape small;
    small.towers = 1;
    small.floors = 2;
    nlohmann::json a = large_estate_site(test::demo_site(), small), b = large_estate_site(test::demo_site(), small);
    a.erase("household_pins");
    b.erase("household_pins");
    CHECK(a == b);
    CHECK(large_estate_unit(6, 33, 4) == "T6-3304");
    CHECK(large_estate_pin(6, 33, 4) == "63346334");
}

TEST_CASE("on the large estate every flat of a 33-floor tower is four taps from the building step, in three languages and elder mode",
          "[large][ui]") {
    LargeKiosk k;
    REQUIRE(k.store->household().units_of("T6").size() == 33 * 4);
    // Each of the three ranges' first and last floors, in each language and mode: building, range
    // of floors, floor, flat.
    const std::vector<std::pair<const char*, std::vector<int>>> ranges{
        {"verify.range.1-11", {1, 11}}, {"verify.range.12-22", {12, 22}}, {"verify.range.23-33", {23, 33}}};
    for (bool elder : {false, true})
        for (Lang l : kAllLangs) {
            INFO((elder ? "elder " : "") << lang_code(l));
            k.app->reset_session();
            k.app->state().lang = l;
            if (elder) k.tap("elder.toggle");
            k.tap("home.tile.fees");
            REQUIRE(k.screen() == Screen::Verify);
            k.tap("verify.building.T6");
            REQUIRE(k.app->features().verify.s.step == ui::VerifyState::Step::Range);
            // Three large ranges, nothing else to choose.
            auto shown = k.widgets("verify.range.");
            REQUIRE(shown.size() == 3);
            for (auto& r : shown) {
                INFO(r.id);
                CHECK(r.max.y - r.min.y >= 110);
                CHECK(r.max.x - r.min.x >= 500);
                CHECK_FALSE(r.text_cut);
            }
            CHECK(k.shows(l == Lang::En ? "Floors 23 – 33" : l == Lang::ZhTW ? "23 – 33 樓" : "23 – 33 层"));
            for (auto& [range, ends] : ranges)
                for (int floor : ends)
                    for (int flat : {1, 4}) {
                        std::string unit = large_estate_unit(6, floor, flat);
                        INFO(unit);
                        int taps = 0;
                        k.tap(range);
                        ++taps;
                        REQUIRE(k.app->features().verify.s.step == ui::VerifyState::Step::Floor);
                        // At most a dozen floors, large, across the whole width, no page buttons.
                        auto floors = k.widgets("verify.floor.");
                        CHECK(floors.size() == 11);
                        CHECK_FALSE(k.has_widget("verify.floors.next"));
                        float left = 1e9f, right = 0;
                        for (auto& r : floors) {
                            INFO(r.id);
                            CHECK(r.max.y - r.min.y >= (elder ? 150 : 120));
                            CHECK(r.max.x - r.min.x >= 200);
                            left = std::min(left, r.min.x);
                            right = std::max(right, r.max.x);
                        }
                        CHECK(right - left >= 0.8f * 1920);
                        k.tap("verify.floor." + std::to_string(floor));
                        ++taps;
                        auto flats = k.widgets("verify.unit.");
                        REQUIRE(flats.size() == 4);
                        for (auto& r : flats) {
                            INFO(r.id);
                            CHECK(r.max.y - r.min.y >= 60);
                            CHECK(r.max.x - r.min.x >= 300);
                        }
                        k.tap("verify.unit." + unit);
                        ++taps;
                        CHECK(taps + 1 <= 4);  // and the building before them
                        CHECK(k.app->features().verify.s.step == ui::VerifyState::Step::Code);
                        CHECK(k.app->features().verify.s.unit_id == unit);
                        // Back walks the same steps: the floor's flats, the floors, the ranges.
                        k.tap("nav.back");
                        CHECK(k.has_widget("verify.unit." + large_estate_unit(6, floor, 2)));
                        k.tap("nav.back");
                        CHECK(k.app->features().verify.s.step == ui::VerifyState::Step::Floor);
                        k.tap("nav.back");
                        CHECK(k.app->features().verify.s.step == ui::VerifyState::Step::Range);
                    }
            k.tap("nav.back");
            CHECK(k.has_widget("verify.building.T1"));
        }
}

TEST_CASE("a tall tower's floors are cut into even ranges of at most twelve", "[large][ui]") {
    auto sizes = [](int n) {
        std::vector<int> floors(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) floors[static_cast<size_t>(i)] = i + 1;
        std::vector<size_t> out;
        size_t next = 0;
        for (auto r : ui::floor_ranges(floors)) {
            CHECK(r.first == next);  // consecutive, nothing left out
            next = r.last + 1;
            out.push_back(r.last - r.first + 1);
        }
        CHECK(next == static_cast<size_t>(n));
        return out;
    };
    CHECK(sizes(33) == std::vector<size_t>{11, 11, 11});
    CHECK(sizes(12) == std::vector<size_t>{12});
    CHECK(sizes(13) == std::vector<size_t>{7, 6});
    CHECK(sizes(25) == std::vector<size_t>{9, 8, 8});
    CHECK(sizes(60) == std::vector<size_t>{12, 12, 12, 12, 12});
    CHECK(ui::floor_ranges({}).empty());
}

TEST_CASE("a flat number typed as 3-1502 names tower 3, flat 1502, and nothing else", "[large][ui]") {
    auto n = parse_flat_number("3-1502");
    REQUIRE(n);
    CHECK(n->building == "3");
    CHECK(n->flat == "1502");
    CHECK(parse_flat_number("03-0101")->flat == "101");
    for (const char* bad : {"", "-", "31502", "3-", "-1502", "3--1502", "3-15-02", "a-1502", "12345-1", "3-1234567", "3 -1502"})
        CHECK_FALSE(parse_flat_number(bad));
    std::vector<Building> towers;
    for (int t = 1; t <= 12; ++t) {
        std::string n = std::to_string(t);
        towers.push_back({"T" + n, {{n + "栋", "Tower " + n, n + "棟"}}});
    }
    CHECK(building_numbered(towers, "3") == "T3");
    CHECK(building_numbered(towers, "03") == "T3");
    CHECK(building_numbered(towers, "12") == "T12");
    CHECK_FALSE(building_numbered(towers, "13"));
    std::vector<Unit> floor = {{"T3-0101", "T3", 1, "0101"}, {"T3-1502", "T3", 15, "1502"}};
    CHECK(unit_labelled(floor, "101") == "T3-0101");
    CHECK(unit_labelled(floor, "1502") == "T3-1502");
    CHECK_FALSE(unit_labelled(floor, "1503"));
}

TEST_CASE("a resident types 3-1502 on the large keypad and reaches that flat's PIN, in three languages and elder mode",
          "[large][ui]") {
    LargeKiosk k;
    for (bool elder : {false, true})
        for (Lang l : kAllLangs) {
            INFO((elder ? "elder " : "") << lang_code(l));
            k.app->reset_session();
            k.app->state().lang = l;
            if (elder) k.tap("elder.toggle");
            k.tap("home.tile.fees");
            k.tap("verify.by_number");
            REQUIRE(k.app->features().verify.s.step == ui::VerifyState::Step::Number);
            // Every key large: at least 60 px each way (more than the normal keypad in elder mode).
            auto keys = k.widgets("keypad.");
            REQUIRE(keys.size() == 12);
            CHECK(k.has_widget("keypad.dash"));
            for (auto& r : keys) {
                INFO(r.id);
                CHECK(r.max.y - r.min.y >= (elder ? 110 : 60));
                CHECK(r.max.x - r.min.x >= (elder ? 110 : 60));
                CHECK_FALSE(r.text_cut);
            }
            CHECK_FALSE(k.enabled("verify.number.submit"));
            // A flat that does not exist: said plainly, the typing kept to correct.
            k.type("3-3405");
            k.tap("verify.number.submit");
            CHECK(k.app->features().verify.s.step == ui::VerifyState::Step::Number);
            CHECK(k.app->state().session.message_key == "verify.number_unknown");
            CHECK(k.shows("3-3405"));
            // Without the dash: how to write it.
            for (int i = 0; i < 6; ++i) k.tap("keypad.back");
            k.type("31502");
            k.tap("verify.number.submit");
            CHECK(k.app->state().session.message_key == "verify.number_form");
            CHECK(k.app->features().verify.s.step == ui::VerifyState::Step::Number);
            for (int i = 0; i < 5; ++i) k.tap("keypad.back");
            CHECK(k.app->features().verify.s.number.empty());
            k.type("3-1502");
            k.tap("verify.number.submit");
            REQUIRE(k.app->features().verify.s.step == ui::VerifyState::Step::Code);
            CHECK(k.app->features().verify.s.unit_id == "T3-1502");
            CHECK(k.app->state().session.message_key != "verify.number_unknown");
            // The PIN step names the flat; Back returns to the number, then to the buildings.
            CHECK(k.shows(l == Lang::En ? "Tower 3 1502" : l == Lang::ZhTW ? "3棟 1502" : "3栋 1502"));
            k.tap("nav.back");
            CHECK(k.app->features().verify.s.step == ui::VerifyState::Step::Number);
            k.tap("nav.back");
            CHECK(k.has_widget("verify.building.T1"));
        }
    // And on to the bills: the typed way ends where the buttons do.
    k.app->reset_session();
    k.tap("home.tile.fees");
    k.tap("verify.by_number");
    k.type("6-3304");
    k.tap("verify.number.submit");
    k.type(large_estate_pin(6, 33, 4));
    k.tap("verify.submit");
    CHECK(k.screen() == Screen::Fees);
}

TEST_CASE("on the demo estate 1-601 typed is block 1, flat 601", "[large][ui]") {
    test::Kiosk k;
    k.tap("home.tile.fees");
    k.tap("verify.by_number");
    k.type("1-601");
    k.tap("verify.number.submit");
    CHECK(k.app->features().verify.s.step == ui::VerifyState::Step::Code);
    CHECK(k.app->features().verify.s.unit_id == "B1-601");
}

TEST_CASE("the demo's six-floor blocks still show their flats straight after the building", "[large][ui]") {
    test::Kiosk k;
    k.tap("home.tile.fees");
    k.tap("verify.building.B1");
    CHECK(k.app->features().verify.s.step == ui::VerifyState::Step::Unit);
    CHECK(k.has_widget("verify.unit.B1-601"));
}

TEST_CASE("24 months of bills are read a year at a time with large page buttons, every month once", "[large][ui][fees]") {
    LargeKiosk k;
    k.tap("home.tile.fees");
    k.tap("verify.building.T6");
    k.tap("verify.range.23-33");
    k.tap("verify.floor.33");
    k.tap("verify.unit.T6-3304");
    k.type(large_estate_pin(6, 33, 4));
    k.tap("verify.submit");
    REQUIRE(k.screen() == Screen::Fees);
    CHECK_FALSE(k.shows("¥"));  // amounts wait for the resident's tap
    k.tap("fees.show");
    REQUIRE(k.has_widget("fees.pages.next"));
    for (auto id : {"fees.pages.prev", "fees.pages.next"}) {
        auto* r = k.app->widgets().find(id);
        REQUIRE(r);
        CHECK(r->max.y - r->min.y >= 60);
        CHECK(r->max.x - r->min.x >= 200);
    }
    CHECK_FALSE(k.enabled("fees.pages.prev"));
    const std::regex month_line(R"(^(\d{4})-(\d{2}) )");
    std::vector<std::string> months;   // in the order the pages show them
    std::vector<std::set<std::string>> years_by_page;
    for (int page = 0; page < 30; ++page) {
        k.driver->frame();
        std::set<std::string> years;
        for (auto& t : k.app->widgets().texts()) {
            std::smatch m;
            if (std::regex_search(t, m, month_line)) {
                months.push_back(m[1].str() + "-" + m[2].str());
                years.insert(m[1].str());
            }
        }
        years_by_page.push_back(years);
        if (!k.enabled("fees.pages.next")) break;
        k.tap("fees.pages.next");
    }
    int pages = static_cast<int>(years_by_page.size());
    INFO(pages << " pages");
    CHECK(pages >= 3);  // 2026, 2025 and 2024 at least
    CHECK(k.shows("（" + std::to_string(pages) + "/" + std::to_string(pages) + "）"));  // "2024 年账单（n/n）"
    for (auto& y : years_by_page) CHECK(y.size() == 1);  // a page never mixes two years
    CHECK(*years_by_page.front().begin() == "2026");
    CHECK(*years_by_page.back().begin() == "2024");
    REQUIRE(months.size() == 24);
    CHECK(std::set<std::string>(months.begin(), months.end()).size() == 24);
    CHECK(std::is_sorted(months.rbegin(), months.rend()));  // newest first
    CHECK(months.front() == "2026-11");
    // And back to the first page.
    for (int i = 1; i < pages; ++i) k.tap("fees.pages.prev");
    CHECK(k.shows("2026-11"));
    CHECK_FALSE(k.enabled("fees.pages.prev"));
}

TEST_CASE("fee pages hold at most the months that fit and never two years", "[large][fees]") {
    FeeStatement st;
    for (const char* m : {"2026-03", "2026-02", "2026-01", "2025-12", "2025-11", "2025-10", "2025-09", "2025-08"})
        st.months.push_back({m, {}, 0});
    auto pages = ui::fee_pages(st, 3);
    REQUIRE(pages.size() == 3);
    CHECK(pages[0].first == 0);
    CHECK(pages[0].count == 3);
    CHECK(pages[1].first == 3);
    CHECK(pages[1].count == 3);
    CHECK(pages[2].first == 6);
    CHECK(pages[2].count == 2);
    CHECK(ui::fee_pages(st, 10).size() == 2);
    CHECK(ui::fee_pages(FeeStatement{}, 5).empty());
}

TEST_CASE("the desk finds a parcel among 200 by the last four digits of a phone and by its tracking number, page by page",
          "[large][ui][parcels]") {
    LargeKiosk k;
    auto seeded = seed_large_estate_desk(*k.store, k.driver->wall_now());
    REQUIRE(seeded.ok());
    REQUIRE(seeded.value() == 200);
    k.sign_in_staff();
    k.tap("staff.desk.parcel_list");
    REQUIRE(k.screen() == Screen::ParcelList);
    CHECK(k.shows("待取快递（200 件）"));
    auto page_ids = [&] {
        std::set<std::string> ids;
        for (auto& r : k.widgets("parcels.item.")) ids.insert(r.id);
        return ids;
    };
    // Every parcel once, a screenful a page, the count on the pager right.
    auto walk = [&](std::set<std::string>& seen) {
        size_t per_page = page_ids().size();
        REQUIRE(per_page > 0);
        int pages = 0;
        for (;;) {
            ++pages;
            auto ids = page_ids();
            CHECK(ids.size() <= per_page);
            seen.insert(ids.begin(), ids.end());
            if (!k.has_widget("parcels.pages.next") || !k.enabled("parcels.pages.next")) break;
            k.tap("parcels.pages.next");
            REQUIRE(pages < 100);
        }
        return std::pair{per_page, pages};
    };
    std::set<std::string> all;
    auto [per_page, pages] = walk(all);
    CHECK(all.size() == 200);
    CHECK(pages == static_cast<int>((200 + per_page - 1) / per_page));
    CHECK(k.shows("第 " + std::to_string(pages) + "/" + std::to_string(pages) + " 页"));
    CHECK(per_page >= 5);
    for (auto& r : k.widgets("parcels.pages.")) {
        CHECK(r.max.y - r.min.y >= 60);
        CHECK(r.max.x - r.min.x >= 200);
    }

    std::vector<Parcel> waiting = k.store->parcels().waiting_parcels();
    REQUIRE(waiting.size() == 200);
    // What a search should find, worked out here from the store: part of the tracking number or
    // the flat, or exactly the last four digits of a resident's phone.
    auto expected = [&](const std::string& q) {
        std::set<std::string> ids;
        for (size_t i = 0; i < waiting.size(); ++i) {
            bool hit = digits_of(waiting[i].tracking).find(q) != std::string::npos ||
                       digits_of(waiting[i].unit_id).find(q) != std::string::npos;
            for (auto& m : k.store->household().members(waiting[i].unit_id))
                hit = hit || (q.size() == 4 && m.phone_masked.size() >= 4 && m.phone_masked.substr(m.phone_masked.size() - 4) == q);
            if (hit) ids.insert("parcels.item." + std::to_string(i));
        }
        return ids;
    };

    SECTION("by the last four digits of a resident's phone") {
        const Parcel& wanted = waiting[17];
        auto members = k.store->household().members(wanted.unit_id);
        REQUIRE(members.size() >= 2);
        std::string tail = members[1].phone_masked.substr(members[1].phone_masked.size() - 4);
        k.type(tail);
        CHECK(k.shows(tail));
        std::set<std::string> found;
        auto [pp, found_pages] = walk(found);
        auto want = expected(tail);
        CHECK(found == want);
        CHECK(found.count("parcels.item.17") == 1);
        CHECK(found.size() < 200);
        CHECK(k.shows("找到 " + std::to_string(want.size()) + " 件"));
        CHECK(found_pages == static_cast<int>((want.size() + per_page - 1) / per_page));
    }
    SECTION("by its tracking number") {
        const Parcel& wanted = waiting[123];
        std::string number = digits_of(wanted.tracking).substr(2);  // the digits after "SF"
        k.type(number);
        std::set<std::string> found;
        walk(found);
        CHECK(found == expected(number));
        CHECK(found == std::set<std::string>{"parcels.item.123"});
        CHECK(k.shows("找到 1 件"));
        CHECK_FALSE(k.has_widget("parcels.pages.next"));  // one result, one page
        // Cleared, the whole list is back.
        k.tap("keypad.clear");
        CHECK(k.shows("待取快递（200 件）"));
        CHECK(page_ids().size() == per_page);
    }
    SECTION("a flat's number") {
        k.type("3304");
        std::set<std::string> found;
        walk(found);
        CHECK(found == expected("3304"));
    }
}

TEST_CASE("parcel search matches tracking number, flat and exactly four phone digits", "[large][parcels]") {
    Parcel p;
    p.tracking = "SF3100958280";
    p.unit_id = "T6-3304";
    std::string tails = "5678 1111 ";
    CHECK(ui::parcel_matches("", p, tails));
    CHECK(ui::parcel_matches("958280", p, tails));
    CHECK(ui::parcel_matches("SF31", p, tails));
    CHECK(ui::parcel_matches("63304", p, tails));
    CHECK(ui::parcel_matches("1111", p, tails));
    CHECK_FALSE(ui::parcel_matches("111", p, tails));  // three digits are no phone search
    CHECK_FALSE(ui::parcel_matches("2222", p, tails));
    CHECK_FALSE(ui::parcel_matches("678", Parcel{}, tails));
}

TEST_CASE("the large estate's tour reaches every stop in three languages with large targets, words and glyphs", "[large][ui][i18n]") {
    LargeKiosk k;
    REQUIRE(seed_large_estate_desk(*k.store, k.driver->wall_now()).ok());
    std::set<std::string> keys;
    for (auto& [key, v] : k.catalog.strings(Lang::ZhCN)) keys.insert(key);
    REQUIRE(ui::large_estate_tour().size() >= 6);
    for (auto& stop : ui::large_estate_tour()) {
        CHECK(stop.name.rfind("large_", 0) == 0);
        for (Lang l : kAllLangs) {
            INFO(stop.name << " in " << lang_code(l));
            k.reach(stop, l);
            for (auto& r : k.app->widgets().rects()) {
                INFO(r.id);
                CHECK(r.max.x - r.min.x >= 90);
                CHECK(r.max.y - r.min.y >= 90);
            }
            for (auto& t : k.app->widgets().texts()) CHECK(keys.count(t) == 0);
            for (auto& m : k.app->widgets().missing_glyphs()) FAIL_CHECK("no glyph for " << m);
        }
    }
}

TEST_CASE("a clerk registers a parcel for the top flat of tower 6, paging through the tower's 132 flats", "[large][ui][parcels]") {
    LargeKiosk k;
    k.sign_in_staff();
    k.tap("staff.desk.parcel_intake");
    k.driver->scan("SF9900000001");
    k.driver->frame();
    k.tap("parcel.carrier.sf");
    k.tap("parcel.building.T6");
    int pages_turned = 0;
    while (!k.has_widget("parcel.unit.T6-3304")) {
        REQUIRE(k.has_widget("parcel.units.next"));
        // Every flat drawn sits above the page buttons: none is cut off the screen.
        float pager_top = k.app->widgets().find("parcel.units.next")->min.y;
        for (auto& r : k.widgets("parcel.unit.")) CHECK(r.max.y <= pager_top);
        k.tap("parcel.units.next");
        REQUIRE(++pages_turned < 20);
    }
    CHECK(pages_turned >= 1);
    k.tap("parcel.unit.T6-3304");
    k.tap("parcel.shelf.0");
    k.tap("parcel.register");
    REQUIRE(k.app->features().parcel_intake.s.saved);
    CHECK(k.app->features().parcel_intake.s.saved->unit_id == "T6-3304");
}
