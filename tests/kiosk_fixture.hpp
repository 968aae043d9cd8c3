#pragma once
// A whole kiosk for tests: a real SQLite store in a temporary folder loaded with the demo site,
// the real catalogues and font, and the app driven headlessly (ImGui without GL) on a virtual clock.
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "local_time.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/driver.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/tour.hpp"
#include "platform/chinese_script.hpp"
#include "platform/pinyin.hpp"
#include "platform/window.hpp"

namespace kiosk::test {

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("kiosk-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path path;
};

inline nlohmann::json demo_site() {
    std::ifstream in(KIOSK_DEMO_SITE);
    return nlohmann::json::parse(in);
}

inline std::unique_ptr<Store> open_store(const std::filesystem::path& db, bool with_demo = true,
                                         const nlohmann::json* site = nullptr) {
    auto s = Store::open(db, "SG01", "K1");
    if (!s) throw std::runtime_error(s.error().detail);
    if (with_demo) {
        auto r = s.value()->import_site(site ? *site : demo_site());
        if (!r) throw std::runtime_error(r.error().detail);
    }
    return std::move(s.value());
}

inline Catalog load_catalog() {
    auto c = Catalog::load(std::string(KIOSK_ASSETS) + "/i18n");
    if (!c) throw std::runtime_error(c.error().detail);
    return std::move(c.value());
}

inline ui::FontBytes load_font() {
    auto f = platform::find_cjk_font(KIOSK_ASSETS);
    if (!f) throw std::runtime_error(f.error().detail);
    auto bytes = platform::read_file(f.value().path);
    if (!bytes) throw std::runtime_error(bytes.error().detail);
    return {std::move(bytes.value()), f.value().face_index};
}

// 2026-11-22 (a Sunday) 09:30 local time.
inline std::time_t test_wall_clock() { return local_time(2026, 11, 22, 9, 30); }

struct Kiosk {
    // `site`: another site file than the demo's (the large estate).
    // `with_site` false: a fresh kiosk, nothing imported (on-screen setup pulls the site).
    explicit Kiosk(ImVec2 display = {1920, 1080}, const nlohmann::json* site = nullptr, bool with_site = true) {
        store = open_store(dir.path / "kiosk.db", with_site, site);
        catalog = load_catalog();
        auto script = platform::TraditionalScript::open();
        if (!script) throw std::runtime_error(script.error().detail);
        traditional = std::move(script.value());
        std::string typing;
#ifdef KIOSK_FONT_SUBSET_DIR
        // As the kiosk starts: the build's font subset and its list of what residents can type.
        if (auto subset = platform::find_font_subset(KIOSK_FONT_SUBSET_DIR)) {
            auto bytes = platform::read_file(subset->font.path);
            auto list = platform::read_file(subset->typing_path);
            if (!bytes || !list) throw std::runtime_error("cannot read the font subset in " KIOSK_FONT_SUBSET_DIR);
            font = {std::move(bytes.value()), 0};
            typing.assign(list.value().begin(), list.value().end());
        }
#endif
        if (font.data.empty()) {  // no subset built: the system font, as the kiosk falls back
            font = load_font();
            auto common = platform::read_file(std::string(KIOSK_ASSETS) + "/hanzi_common.txt");
            if (!common) throw std::runtime_error(common.error().detail);
            typing.assign(common.value().begin(), common.value().end());
            typing += traditional->from_simplified(typing);  // as the app does: zh-TW types traditional
        }
        fonts = builder.build(*ImGui::GetIO().Fonts, font, ui::kiosk_codepoints(catalog, store->datasets().display_texts()),
                              display.y / 1080.0f,
                              ui::codepoints_of_text(typing));
        auto engine = platform::PinyinInput::open();
        if (!engine) throw std::runtime_error(engine.error().detail);
        pinyin = std::move(engine.value());
        imgui.finish_atlas();
        app = std::make_unique<ui::KioskApp>(catalog, store.get(), fonts);
        app->set_pinyin(pinyin.get());
        app->set_traditional(traditional.get());
        app->state().wall_now = test_wall_clock();
        app->refresh_site();
        driver = std::make_unique<ui::Driver>(*app, display, test_wall_clock());
        driver->frame();
    }
    // A new session in `lang`, then the tour's `stop`, drawn: a screen as a resident reaches it.
    void reach(const ui::TourStop& stop, Lang lang) {
        app->reset_session();
        app->state().lang = lang;
        REQUIRE_NOTHROW(stop.reach(*driver));
        driver->frame();
    }
    void tap(std::string_view id) {
        auto r = driver->tap(id);
        INFO("tap " << id << ": " << (r.ok() ? "" : r.error().detail));
        REQUIRE(r.ok());
    }
    void type(std::string_view text) {
        auto r = driver->type(text);
        INFO("type " << text << ": " << (r.ok() ? "" : r.error().detail));
        REQUIRE(r.ok());
    }
    // A resident opens `tile` and proves the household with its PIN (demo rule: assets/demo/README.md).
    void prove(std::string_view tile, const std::string& building, const std::string& unit, std::string_view pin) {
        tap(tile);
        tap("verify.building." + building);
        tap("verify.unit." + unit);
        type(pin);
        tap("verify.submit");
    }
    // 1栋 102 proves itself for a repair and reaches the description of a burst pipe in the flat
    // (water, emergency, its own flat).
    void start_emergency_repair() {
        prove("home.tile.repairs", "B1", "B1-102", "11021102");
        REQUIRE(app->screen() == ui::Screen::Repair);
        tap("repair.category.water");
        tap("repair.urgency.emergency");
        tap("repair.next");
        tap("repair.location.own");
        tap("repair.next");
    }
    // ... and files it: the pipe-leak phrase, the first contact, submitted.
    void file_emergency_repair() {
        start_emergency_repair();
        tap("repair.phrase.water.pipe_leak");
        tap("repair.next");
        tap("repair.contact.0");
        tap("repair.next");
        tap("repair.submit");
    }
    // A member of staff signs in at the corner (demo: A01 clerk 246810, S01 supervisor 135790).
    void sign_in_staff(std::string_view staff_no = "A01", std::string_view pin = "246810") {
        tap("staff.corner");
        type(staff_no);
        tap("staff.login.next");
        type(pin);
        tap("staff.login.sign_in");
        REQUIRE(app->screen() == ui::Screen::StaffDesk);
    }
    bool shows(std::string_view text) {
        driver->frame();
        return app->widgets().shows_text(text);
    }
    bool has_widget(std::string_view id) {
        driver->frame();
        return app->widgets().find(id) != nullptr;
    }
    // Shown as the option picked (a check mark and a thick edge, Ui::choice / Ui::tile).
    bool chosen(std::string_view id) {
        driver->frame();
        return app->widgets().chosen(id);
    }
    ui::Screen screen() const { return app->screen(); }

    TempDir dir;
    ui::HeadlessImGui imgui;
    std::unique_ptr<Store> store;
    Catalog catalog;
    ui::FontBytes font;
    ui::FontBuilder builder;
    ui::FontSet fonts;
    std::unique_ptr<platform::PinyinInput> pinyin;
    std::unique_ptr<platform::TraditionalScript> traditional;
    std::unique_ptr<ui::KioskApp> app;
    std::unique_ptr<ui::Driver> driver;
};

}  // namespace kiosk::test
