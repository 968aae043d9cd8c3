// Pictures of every screen in every language, rendered by the real kiosk binary with OpenGL under
// a real X server (Xvfb + Mesa's llvmpipe), then read back and checked.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string_view>
#include <stb_image.h>

#include "kiosk/ui/tour.hpp"
#include "kiosk_fixture.hpp"
#include "printing.hpp"

using namespace kiosk;

namespace {
struct Png {
    int w = 0, h = 0;
    std::vector<unsigned char> px;
};
Png load_png(const std::filesystem::path& p) {
    Png img;
    int n;
    unsigned char* d = stbi_load(p.string().c_str(), &img.w, &img.h, &n, 4);
    if (!d) return img;
    img.px.assign(d, d + static_cast<size_t>(img.w) * img.h * 4);
    stbi_image_free(d);
    return img;
}
size_t distinct_colours(const Png& p) {
    std::set<uint32_t> c;
    for (size_t i = 0; i + 3 < p.px.size(); i += 4 * 7)
        c.insert(p.px[i] | p.px[i + 1] << 8 | p.px[i + 2] << 16);
    return c.size();
}
size_t differing_pixels(const Png& a, const Png& b) {
    size_t n = 0;
    for (size_t i = 0; i + 3 < a.px.size() && i + 3 < b.px.size(); i += 4)
        if (a.px[i] != b.px[i] || a.px[i + 1] != b.px[i + 1] || a.px[i + 2] != b.px[i + 2]) ++n;
    return n;
}
// Every QR code zbar finds in the picture, as text.
std::vector<std::string> decode(const Png& p) {
    std::vector<uint8_t> grey(static_cast<size_t>(p.w) * p.h);
    for (size_t i = 0; i < grey.size(); ++i)
        grey[i] = static_cast<uint8_t>((p.px[i * 4] * 299 + p.px[i * 4 + 1] * 587 + p.px[i * 4 + 2] * 114) / 1000);
    std::vector<std::string> out;
    for (auto& d : test::decode_grey(grey, p.w, p.h, false)) out.push_back(d.data);
    return out;
}
int run(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}
const std::string kXvfb = "xvfb-run -a -s '-screen 0 1920x1080x24' ";
}  // namespace

TEST_CASE("--capture renders every screen in every language, normal and elder, not blank, different per language", "[capture]") {
    test::TempDir dir;
    auto out = dir.path / "captures";
    std::string cmd = kXvfb + "'" KIOSK_BIN "' --data '" + (dir.path / "data").string() + "' --site '" KIOSK_DEMO_SITE
                      "' --now '2026-11-22 09:30' --capture '" + out.string() + "'";
    REQUIRE(run(cmd) == 0);
    // Exactly a picture per stop and language, normal and elder: none missing, none under a name the tour lacks.
    size_t pictures = 0;
    for (auto& e : std::filesystem::directory_iterator(out)) pictures += e.path().extension() == ".png";
    // Elder mode's pictures: each stop in each language (the typing steps included), not blank, and
    // not the normal picture.
    CHECK(pictures == 2 * ui::screen_tour().size() * kAllLangs.size());
    for (auto& stop : ui::screen_tour()) {
        for (Lang l : kAllLangs) {
            auto elder = out / (stop.name + ".elder." + std::string(lang_code(l)) + ".png");
            INFO(elder);
            REQUIRE(std::filesystem::exists(elder));
            Png p = load_png(elder);
            REQUIRE(p.w == 1920);
            CHECK(distinct_colours(p) > 30);
            if (stop.name.find("elder") == std::string::npos && stop.name != "attract")
                CHECK(differing_pixels(p, load_png(out / (stop.name + "." + std::string(lang_code(l)) + ".png"))) > 10000);
        }
    }
    // Each stop shows a screen of its own: no two stops' pictures are the same in a language.
    std::array<std::map<size_t, std::string>, kAllLangs.size()> stop_by_picture;  // by a hash of the pixels
    size_t checked = 0;
    for (auto& stop : ui::screen_tour()) {
        std::array<Png, 3> by_lang;
        for (Lang l : kAllLangs) {
            auto path = out / (stop.name + "." + std::string(lang_code(l)) + ".png");
            INFO(path);
            REQUIRE(std::filesystem::exists(path));
            Png p = load_png(path);
            REQUIRE(p.w == 1920);
            REQUIRE(p.h == 1080);
            CHECK(distinct_colours(p) > 30);  // text is anti-aliased: a blank or flat frame has a handful
            std::string_view pixels(reinterpret_cast<const char*>(p.px.data()), p.px.size());
            auto [same, fresh] = stop_by_picture[static_cast<size_t>(l)].emplace(std::hash<std::string_view>{}(pixels), stop.name);
            INFO("the same picture as " << same->second);
            CHECK(fresh);
            by_lang[static_cast<int>(l)] = std::move(p);
        }
        INFO(stop.name);
        CHECK(differing_pixels(by_lang[0], by_lang[1]) > 2000);
        CHECK(differing_pixels(by_lang[0], by_lang[2]) > 200);  // simplified vs traditional: fewer glyphs differ
        CHECK(differing_pixels(by_lang[1], by_lang[2]) > 2000);
        ++checked;
    }
    CHECK(checked == ui::screen_tour().size());
    // The payment QR on the fee statement scans, in every language, to the site's URL for the unit.
    for (Lang l : kAllLangs) {
        INFO("fees in " << lang_code(l));
        CHECK(decode(load_png(out / ("fees." + std::string(lang_code(l)) + ".png"))).empty());  // hidden until asked
        auto codes = decode(load_png(out / ("fees_shown." + std::string(lang_code(l)) + ".png")));
        REQUIRE(codes.size() == 1);
        CHECK(codes[0] == "https://pay.example.com/SG01?unit=B1-201&amount=2148.00");
    }
    CHECK(decode(load_png(out / "home.zh-CN.png")).empty());
    // The repair ticket's QR holds the ticket number the screen shows (one saved per language).
    for (Lang l : kAllLangs) {
        INFO("repair and complaint done in " << lang_code(l));
        auto codes = decode(load_png(out / ("repair_done." + std::string(lang_code(l)) + ".png")));
        REQUIRE(codes.size() == 1);
        CHECK_THAT(codes[0], Catch::Matches("BX-SG01-261122-K1-00[1-3]"));
        auto complaint = decode(load_png(out / ("complaint_done." + std::string(lang_code(l)) + ".png")));
        REQUIRE(complaint.size() == 1);
        CHECK_THAT(complaint[0], Catch::Matches("TS-SG01-261122-K1-00[1-3]"));
    }
    // The same screen in the same language renders the same picture (pinned font, virtual clock):
    // a script's capture of the home screen matches the tour's, pixel for pixel.
    std::ofstream(dir.path / "home.kiosk") << "expect-screen home\ncapture again/home.png\n";
    std::string cmd2 = kXvfb + "'" KIOSK_BIN "' --data '" + (dir.path / "data").string() +
                       "' --now '2026-11-22 09:30' --script '" + (dir.path / "home.kiosk").string() + "'";
    REQUIRE(run(cmd2) == 0);
    CHECK(differing_pixels(load_png(out / "home.zh-CN.png"), load_png(dir.path / "again/home.png")) == 0);
    CHECK(differing_pixels(load_png(out / "home.zh-CN.png"), load_png(out / "home_elder.zh-CN.png")) > 10000);
}

TEST_CASE("a script's capture step writes the screen it is on", "[capture][script]") {
    test::TempDir dir;
    std::filesystem::copy_file(KIOSK_SCRIPTS "/capture.kiosk", dir.path / "capture.kiosk");
    std::string cmd = kXvfb + "'" KIOSK_BIN "' --data '" + (dir.path / "data").string() + "' --site '" KIOSK_DEMO_SITE
                      "' --script '" + (dir.path / "capture.kiosk").string() + "'";
    REQUIRE(run(cmd) == 0);
    Png a = load_png(dir.path / "out/announcements.png"), h = load_png(dir.path / "out/home.png");
    REQUIRE(a.w == 1920);
    REQUIRE(h.w == 1920);
    CHECK(distinct_colours(h) > 30);
    CHECK(differing_pixels(a, h) > 10000);
}

TEST_CASE("--capture --tour large renders the big estate's floors, bills and parcel search in every language", "[capture][large]") {
    test::TempDir dir;
    auto site = dir.path / "site-large.json", out = dir.path / "captures";
    REQUIRE(run("'" KIOSK_BIN "' --assets '" KIOSK_ASSETS "' --write-large-estate '" + site.string() + "'") == 0);
    // Residents' names, phones and PIN hashes: readable by the owner only, like a real site file.
    CHECK((std::filesystem::status(site).permissions() & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
          std::filesystem::perms::none);
    std::string cmd = kXvfb + "'" KIOSK_BIN "' --data '" + (dir.path / "data").string() + "' --site '" + site.string() +
                      "' --seed-desk --now '2026-11-22 09:30' --tour large --capture '" + out.string() + "'";
    REQUIRE(run(cmd) == 0);
    size_t pictures = 0;
    for (auto& e : std::filesystem::directory_iterator(out)) {
        pictures += e.path().extension() == ".png";
        CHECK(e.path().filename().string().rfind("large_", 0) == 0);  // beside the demo's pictures, never over them
    }
    CHECK(pictures == ui::large_estate_tour().size() * kAllLangs.size());
    for (auto& stop : ui::large_estate_tour()) {
        std::array<Png, 3> by_lang;
        for (Lang l : kAllLangs) {
            auto path = out / (stop.name + "." + std::string(lang_code(l)) + ".png");
            INFO(path);
            REQUIRE(std::filesystem::exists(path));
            by_lang[static_cast<int>(l)] = load_png(path);
            CHECK(distinct_colours(by_lang[static_cast<int>(l)]) > 30);
        }
        INFO(stop.name);
        CHECK(differing_pixels(by_lang[0], by_lang[1]) > 2000);
    }
    // The elder floors are another picture than the normal ones (larger, paged).
    CHECK(differing_pixels(load_png(out / "large_floors.zh-CN.png"), load_png(out / "large_floors_elder.zh-CN.png")) > 20000);
}
