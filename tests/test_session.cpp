// A resident's session in the lobby (issue #14, items 1 and 5): it never ends on a clock while the
// person keeps touching the screen, only when they walk away (after a warning with a large "I need
// more time") or tap 完成; and at the warning the resident's details leave the screen. The real
// app, store and catalogues, on a virtual clock.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Statement.h>

#include <set>

#include "kiosk/store/probe.hpp"
#include "kiosk/ui/tour.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

namespace {
const std::string& typed(test::Kiosk& k) { return k.app->features().repair.s.text.text; }

// 1栋 102 proves itself for a repair and reaches the description, typing in Latin letters
// (one tap, one character).
void repair_to_describe(test::Kiosk& k) {
    k.start_emergency_repair();
    k.tap("keyboard.mode");
    REQUIRE(k.has_widget("keyboard.A"));
}

void submit_repair(test::Kiosk& k) {
    k.tap("repair.next");
    k.tap("repair.contact.0");
    k.tap("repair.next");
    k.tap("repair.submit");
}

std::string saved_description(test::Kiosk& k) {
    StoreProbe probe(*k.store);
    SQLite::Statement q(probe.connection(),
                        "SELECT r.description FROM repairs r JOIN outbox o ON o.record_id = r.record_id "
                        "WHERE r.unit_id = 'B1-102'");
    return q.executeStep() ? q.getColumn(0).getString() : std::string("(no repair saved)");
}

// What is on screen this frame is the idle warning and nothing else: its question, countdown,
// privacy note and its one button; no widget or word of the screen under it.
bool only_the_warning(test::Kiosk& k) {
    k.driver->frame();
    const auto& w = k.app->widgets();
    bool ok = w.rects().size() == 1 && w.rects()[0].id == "idle.continue";
    Lang lang = k.app->state().lang;
    std::set<std::string> allowed{k.catalog.tr(lang, "idle.title"), k.catalog.tr(lang, "idle.hidden"),
                                  k.catalog.tr(lang, "idle.continue")};
    for (int s = 0; s <= 120; ++s) allowed.insert(k.catalog.format(lang, "idle.countdown", {{"seconds", std::to_string(s)}}));
    for (auto& t : w.texts()) {
        if (allowed.count(t)) continue;
        UNSCOPED_INFO("also on screen under the warning: '" << t << "'");
        ok = false;
    }
    for (auto& r : w.rects())
        if (r.id != "idle.continue") UNSCOPED_INFO("also on screen under the warning: widget " << r.id);
    return ok;
}
}  // namespace

TEST_CASE("a resident typing one character every 20 s for 8 minutes keeps the household and files the repair", "[session][idle][repair]") {
    test::Kiosk k;
    repair_to_describe(k);
    const std::string words = "thekitchentapdripsallday";  // 24 characters, 20 s apart: 8 minutes
    const double start = k.driver->now();
    std::string so_far;
    for (char c : words) {
        k.driver->advance(20);
        INFO("after " << k.driver->now() - start << " s, typed '" << so_far << "'");
        REQUIRE(k.screen() == Screen::Repair);
        REQUIRE(k.app->state().session.household);
        CHECK_FALSE(k.has_widget("idle.continue"));  // 20 s between touches never brings the warning
        k.type(std::string(1, c));
        so_far += c;
        CHECK(typed(k) == so_far);
    }
    CHECK(k.driver->now() - start >= 8 * 60);
    CHECK(k.shows(words));
    submit_repair(k);
    CHECK(k.shows("BX-SG01-261122-K1-001"));
    CHECK(saved_description(k) == words);
    // 完成 is what closes the household, and what was typed goes with it.
    k.tap("repair.done");
    CHECK(k.screen() == Screen::Home);
    CHECK_FALSE(k.app->state().session.household);
    CHECK(typed(k).empty());
}

TEST_CASE("a resident who walks away mid-form: the warning hides their details, 20 s later the kiosk is home and wiped", "[session][idle][privacy]") {
    test::Kiosk k;
    repair_to_describe(k);
    k.type("leak");
    k.tap("repair.next");
    k.tap("repair.contact.0");
    k.tap("repair.next");  // the read-back: what they typed, their flat, their name
    const std::vector<std::string> details{"leak", "1栋 102", "李*"};
    for (auto& d : details) REQUIRE(k.shows(d));
    REQUIRE(k.has_widget("repair.submit"));
    const int64_t outbox_before = k.store->outbox().outbox_depth();

    const double left_at = k.driver->now();  // the last touch was a few frames before
    const IdlePolicy policy = k.app->idle().policy();
    double warned_at = -1, home_at = -1;
    while (home_at < 0 && k.driver->now() - left_at < policy.idle_after_s + policy.warning_s + 30) {
        k.driver->advance(0.5);
        k.driver->frame();
        double t = k.driver->now();
        if (k.screen() == Screen::Home) {
            home_at = t;
        } else if (k.app->widgets().find("idle.continue")) {
            if (warned_at < 0) {
                warned_at = t;
                CHECK(only_the_warning(k));
            }
        }
        if (warned_at >= 0) {
            INFO(t - left_at << " s after the last touch");
            for (auto& d : details) CHECK_FALSE(k.app->widgets().shows_text(d));
        }
    }
    REQUIRE(warned_at >= 0);
    REQUIRE(home_at >= 0);
    CHECK(warned_at - left_at <= policy.idle_after_s + 1);  // off the screen within the idle limit
    CHECK(home_at - warned_at >= 20);                       // the warning shows at least 20 s
    CHECK(home_at - left_at <= policy.idle_after_s + policy.warning_s + 1);
    // Home, and nothing of the visit kept.
    CHECK_FALSE(k.app->state().session.household);
    CHECK(typed(k).empty());
    for (auto& d : details) CHECK_FALSE(k.shows(d));
    CHECK(k.store->outbox().outbox_depth() == outbox_before);  // nothing half-typed was filed
}

TEST_CASE("I need more time: the screen comes back with what was typed, and the repair is filed", "[session][idle]") {
    test::Kiosk k;
    repair_to_describe(k);
    k.type("leak");
    REQUIRE(k.shows("leak"));
    k.driver->advance(k.app->idle().policy().idle_after_s + 1);
    REQUIRE(k.has_widget("idle.continue"));
    CHECK(k.app->idle().seconds_left(k.driver->now()) >= 20);
    CHECK(only_the_warning(k));
    CHECK(k.shows("我需要更多时间"));
    CHECK_FALSE(k.shows("leak"));
    k.tap("idle.continue");
    CHECK_FALSE(k.has_widget("idle.continue"));
    CHECK(k.screen() == Screen::Repair);
    CHECK(k.app->state().session.household);
    // Exactly what was typed: the tap on the button did not land on a key of the screen coming back.
    CHECK(typed(k) == "leak");
    CHECK(k.shows("leak"));
    // The clock starts again from the tap: another full wait before the next warning.
    k.driver->advance(k.app->idle().policy().idle_after_s - 2);
    CHECK_FALSE(k.has_widget("idle.continue"));
    k.type("s");
    submit_repair(k);
    CHECK(saved_description(k) == "leaks");
}

TEST_CASE("a touch anywhere on the warning keeps the session and taps nothing under it", "[session][idle]") {
    test::Kiosk k;
    repair_to_describe(k);
    k.type("leak");
    // Where a key of the keyboard is, under the warning.
    REQUIRE(k.has_widget("keyboard.Q"));
    ImVec2 key = k.app->widgets().find("keyboard.Q")->centre();
    k.driver->advance(k.app->idle().policy().idle_after_s + 1);
    REQUIRE(k.has_widget("idle.continue"));
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = key;
    k.driver->frame();
    io.MouseDown[0] = true;
    k.app->on_touch(k.driver->now());
    k.driver->frame();
    io.MouseDown[0] = false;
    k.driver->frame();
    k.driver->frame();
    io.MousePos = {-FLT_MAX, -FLT_MAX};
    CHECK_FALSE(k.has_widget("idle.continue"));
    CHECK(k.screen() == Screen::Repair);
    CHECK(typed(k) == "leak");  // no 'q'
}

TEST_CASE("the warning's button says I need more time in three languages, large, larger in elder mode", "[session][idle][i18n][elder]") {
    test::Kiosk k;
    CHECK(k.catalog.tr(Lang::ZhCN, "idle.continue") == "我需要更多时间");
    CHECK(k.catalog.tr(Lang::ZhTW, "idle.continue") == "我需要更多時間");
    CHECK(k.catalog.tr(Lang::En, "idle.continue") == "I need more time");
    static constexpr const char* kLangIds[3] = {"lang.zh-CN", "lang.en", "lang.zh-TW"};
    for (bool elder : {false, true})
        for (Lang l : kAllLangs) {
            INFO(lang_code(l) << (elder ? " elder" : ""));
            k.app->reset_session();
            k.tap(kLangIds[static_cast<int>(l)]);
            if (elder) k.tap("elder.toggle");
            k.tap("home.tile.announcements");
            k.driver->advance(k.app->idle().policy().idle_after_s + 1);
            REQUIRE(k.has_widget("idle.continue"));
            CHECK(only_the_warning(k));
            CHECK(k.shows(k.catalog.tr(l, "idle.continue")));
            auto r = *k.app->widgets().find("idle.continue");
            float w = r.max.x - r.min.x, h = r.max.y - r.min.y;
            CHECK(h >= (elder ? 269 : 179));  // touch targets of at least 60 px, many times over
            CHECK(w >= (elder ? 1300 : 900));
            CHECK(r.max.y <= 1080);
            for (auto& m : k.app->widgets().missing_glyphs()) FAIL_CHECK("no glyph for " << m);
        }
}

TEST_CASE("on every screen the idle warning takes the screen's place, and more time brings it back as it was", "[session][idle][privacy]") {
    test::Kiosk k;
    size_t warned = 0;
    for (auto& stop : ui::screen_tour()) {
        INFO("tour stop " << stop.name);
        k.app->reset_session();
        REQUIRE_NOTHROW(stop.reach(*k.driver));
        k.driver->frame();
        if (!k.app->idle().armed()) continue;  // the home screen at rest: nothing to protect
        if (!k.app->widgets().find("idle.continue")) {
            Screen before = k.screen();
            std::set<std::string> ids;
            for (auto& r : k.app->widgets().rects()) ids.insert(r.id);
            k.driver->advance(k.app->idle().policy().idle_after_s + 1);
            REQUIRE(k.has_widget("idle.continue"));
            CHECK(only_the_warning(k));
            k.tap("idle.continue");
            CHECK(k.screen() == before);
            std::set<std::string> back;
            for (auto& r : k.app->widgets().rects()) back.insert(r.id);
            CHECK(back == ids);
        } else {
            CHECK(only_the_warning(k));
        }
        ++warned;
    }
    CHECK(warned + 2 >= ui::screen_tour().size());  // all but the home screen and the attract loop
}

TEST_CASE("the contrast table holds the idle warning's words and button", "[session][contrast]") {
    size_t found = 0;
    for (auto& p : ui::theme_pairs())
        if (std::string(p.what).find("idle warning") != std::string::npos) {
            INFO(p.what);
            CHECK(ui::contrast_ratio(p.fg, p.bg) >= 4.5);
            ++found;
        }
    CHECK(found == 4);
}
