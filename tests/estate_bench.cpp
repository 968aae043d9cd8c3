// estate-bench: what a real-size estate costs the UI thread (issue #14 item 10). The same screens
// on the demo site (6 floors a block, a few parcels) and on the large estate (6 towers × 33 floors
// × 4 flats, 24 months of bills a flat, 200 parcels on the desk's shelves), drawn by the headless
// driver: the CPU one frame of each screen takes to build (layout, text fitting, lists), median of
// 60 frames, and large over demo. The GL rasterising that follows is the same for both (the same
// pixels). Run by `packaging/dev.sh bench` for its figures; ctest runs it too (estate_bench_runs),
// so that every screen it times stays reachable on both estates. Nothing asserts a time: a
// benchmark prints figures, a test on a shared 2-core machine could not hold them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "kiosk/store/large_estate.hpp"
#include "kiosk/ui/tour.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;

namespace {

const ui::TourStop& stop_named(const std::vector<ui::TourStop>& tour, const std::string& name) {
    for (auto& s : tour)
        if (s.name == name) return s;
    throw std::runtime_error("no tour stop " + name);
}

// Median milliseconds of one frame on the screen `stop` reaches.
double frame_ms(test::Kiosk& k, const ui::TourStop& stop) {
    k.app->reset_session();
    stop.reach(*k.driver);
    k.driver->frame();
    std::vector<double> ms;
    for (int i = 0; i < 60; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        k.driver->frame();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

TEST_CASE("estate bench: frame cost of the flat picker, the bills and the parcel search, demo against large", "[bench]") {
    // The flat picker: the demo's flats of a 6-floor block against the large estate's floors and a
    // floor's flats (the slower of the two); the bills with their amounts shown; the desk's parcels,
    // searched on the large estate by a phone's last four digits.
    struct Figure {
        const char* name;
        const char* demo_stop;
        std::vector<const char*> large_stops;
        double demo = 0, large = 0;
    };
    std::vector<Figure> figures{
        {"flat_picker", "verify_unit", {"large_floors", "large_flats"}},
        {"bill_list", "fees_shown", {"large_bills"}},
        {"parcel_search", "parcel_list", {"large_parcel_phone"}},
    };
    {  // one kiosk at a time: they share ImGui's context and its font atlas
        test::Kiosk demo;
        for (auto& f : figures) f.demo = frame_ms(demo, stop_named(ui::screen_tour(), f.demo_stop));
    }
    {
        static const nlohmann::json large_site = large_estate_site(test::demo_site());
        test::Kiosk large({1920, 1080}, &large_site);
        auto seeded = seed_large_estate_desk(*large.store, large.driver->wall_now());
        REQUIRE(seeded.ok());
        for (auto& f : figures)
            for (const char* s : f.large_stops) f.large = std::max(f.large, frame_ms(large, stop_named(ui::large_estate_tour(), s)));
    }
    std::printf("# estate-bench: headless UI frames (CPU), median of 60, 1920x1080\n");
    double worst = 0;
    for (auto& f : figures) {
        double ratio = f.demo > 0 ? f.large / f.demo : 0;
        std::printf("%s_frame_ms: demo %.3f, large %.3f (%.2fx)\n", f.name, f.demo, f.large, ratio);
        worst = std::max(worst, ratio);
    }
    std::printf("large_vs_demo_frame_ratio: %.2f (goal <= 1.5: %s)\n", worst, worst <= 1.5 ? "met" : "NOT met");
    std::fflush(stdout);
    for (auto& f : figures) {
        INFO(f.name);
        CHECK(f.demo > 0);  // each screen was reached and drawn on both estates
        CHECK(f.large > 0);
    }
}
