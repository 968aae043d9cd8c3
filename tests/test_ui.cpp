// The UI driven without a GPU: taps at named widgets on a headless ImGui context, the real store
// and catalogues, a virtual clock. Each case says what a resident or clerk would see.
#include <catch2/catch.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "kiosk/core/household.hpp"
#include "kiosk/ui/script.hpp"
#include "kiosk/ui/tour.hpp"
#include "gated_pin_check.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

TEST_CASE("the kiosk starts on the home screen in Chinese with a tile for every service", "[ui]") {
    test::Kiosk k;
    CHECK(k.screen() == Screen::Home);
    CHECK(k.shows("您好！请选择您要办理的服务"));
    for (auto& s : all_services()) CHECK(k.has_widget("home.tile." + std::string(s.id)));
    CHECK(k.has_widget("staff.corner"));
    CHECK(k.shows("紧急通知：2栋停水通知"));  // today's urgent notice as the banner
}

TEST_CASE("tapping 报修 opens the repair service, which first asks the household to prove itself", "[ui]") {
    test::Kiosk k;
    k.tap("home.tile.repairs");
    CHECK(k.screen() == Screen::Verify);
    CHECK(k.shows("请选择您的楼栋"));
    k.tap("nav.back");
    CHECK(k.screen() == Screen::Home);
}

TEST_CASE("every tile opens a screen with a way back home", "[ui]") {
    test::Kiosk k;
    size_t tiles_tried = 0;
    for (auto& s : all_services()) {
        INFO("tile " << s.id);
        k.tap("home.tile." + std::string(s.id));
        CHECK(k.screen() != Screen::Home);
        CHECK(k.has_widget("nav.home"));
        k.tap("nav.home");
        CHECK(k.screen() == Screen::Home);
        ++tiles_tried;
    }
    CHECK(tiles_tried == all_services().size());
    CHECK(tiles_tried >= 10);  // the desk's services, as the home screen offers them
}

TEST_CASE("announcements: today's notices, and a tap opens one", "[ui]") {
    test::Kiosk k;
    k.tap("home.tile.announcements");
    CHECK(k.screen() == Screen::Announcements);
    CHECK(k.shows("电梯年检安排"));
    CHECK_FALSE(k.shows("旧通知"));  // expired
    CHECK_FALSE(k.has_widget("announcements.item.4"));
    k.tap("announcements.item.0");
    CHECK(k.screen() == Screen::AnnouncementDetail);
    CHECK(k.shows("因管道维修"));
    k.tap("nav.back");
    CHECK(k.screen() == Screen::Announcements);
}

TEST_CASE("the urgent banner opens the urgent announcement", "[ui]") {
    test::Kiosk k;
    k.tap("home.urgent");
    CHECK(k.screen() == Screen::AnnouncementDetail);
    CHECK(k.shows("请提前储水"));
}

TEST_CASE("an announcement for some buildings shows only in their lobbies", "[ui]") {
    auto site = test::demo_site();
    for (auto& a : site["announcements"])
        if (a["id"] == "A-2026-031") a["buildings"] = {"B2"};  // the water cut in Block 2
    test::Kiosk k({1920, 1080}, &site);
    CHECK(k.has_widget("home.urgent"));  // a kiosk that names no building (the desk): every notice
    k.app->set_building("B1");
    k.app->refresh_site();
    k.driver->frame();
    CHECK_FALSE(k.has_widget("home.urgent"));
    CHECK_FALSE(k.shows("2栋停水通知"));
    k.app->set_building("B2");
    k.app->refresh_site();
    k.driver->frame();
    CHECK(k.has_widget("home.urgent"));
    CHECK(k.shows("紧急通知：2栋停水通知"));
}

TEST_CASE("the idle timer warns, then returns home and wipes what was typed", "[ui][idle]") {
    test::Kiosk k;
    k.tap("staff.corner");
    k.type("A01");
    CHECK(k.shows("A01"));
    k.driver->advance(59);
    CHECK_FALSE(k.has_widget("idle.continue"));
    k.driver->advance(2);
    REQUIRE(k.has_widget("idle.continue"));
    CHECK(k.app->idle().seconds_left(k.driver->now()) >= 20);
    CHECK(k.shows("您还在使用吗？"));
    SECTION("continue keeps the session") {
        k.tap("idle.continue");
        CHECK_FALSE(k.has_widget("idle.continue"));
        CHECK(k.screen() == Screen::StaffLogin);
        CHECK(k.shows("A01"));
    }
    SECTION("walking away wipes it") {
        k.driver->advance(31);
        CHECK(k.screen() == Screen::Home);
        CHECK_FALSE(k.has_widget("idle.continue"));
        k.tap("staff.corner");
        CHECK(k.app->features().staff.s.staff_no.empty());
        CHECK_FALSE(k.shows("A01"));
    }
}

TEST_CASE("the home screen untouched keeps no timer running", "[ui][idle]") {
    test::Kiosk k;
    CHECK_FALSE(k.app->idle().armed());
    k.tap("lang.en");
    CHECK(k.app->idle().armed());  // someone is using it: English returns to Chinese when they leave
    k.driver->advance(95);
    CHECK(k.app->state().lang == Lang::ZhCN);
    CHECK_FALSE(k.app->idle().armed());
}

TEST_CASE("the language switch changes the whole screen, on every screen", "[ui][i18n]") {
    test::Kiosk k;
    CHECK(k.chosen("lang.zh-CN"));  // the language showing is marked, not by its fill alone
    k.tap("lang.en");
    CHECK(k.chosen("lang.en"));
    CHECK_FALSE(k.chosen("lang.zh-CN"));
    CHECK_FALSE(k.chosen("lang.zh-TW"));
    CHECK(k.shows("Hello! Please choose a service"));
    CHECK_FALSE(k.shows("您好！请选择您要办理的服务"));
    k.tap("home.tile.parcels");
    CHECK(k.shows("Choose your building"));
    k.tap("lang.zh-TW");
    CHECK(k.shows("請選擇您的樓棟"));
    CHECK_FALSE(k.shows("Choose your building"));
    // Each language button names itself in its own language, whatever is showing.
    CHECK(k.shows("English"));
    CHECK(k.shows("中文"));
}

TEST_CASE("elder mode makes text and touch targets 1.5 times larger, one tap away", "[ui][elder]") {
    test::Kiosk k;
    k.tap("home.tile.repairs");
    auto before = *k.app->widgets().find("nav.back");
    CHECK_FALSE(k.chosen("elder.toggle"));
    k.tap("elder.toggle");
    CHECK(k.app->state().elder);
    CHECK(k.chosen("elder.toggle"));  // on, and shown so: edge and check mark
    k.driver->frame();
    auto after = *k.app->widgets().find("nav.back");
    float h0 = before.max.y - before.min.y, h1 = after.max.y - after.min.y;
    float w0 = before.max.x - before.min.x, w1 = after.max.x - after.min.x;
    CHECK(h1 / h0 == Approx(1.5).epsilon(0.05));
    CHECK(w1 >= w0);  // short labels: taller, and the message beside them keeps the bar's width
    CHECK(k.fonts.elder.body->FontSize / k.fonts.normal.body->FontSize == Approx(1.5).epsilon(0.03));
    CHECK(k.fonts.elder.title->FontSize / k.fonts.normal.title->FontSize == Approx(1.5));
    k.tap("elder.toggle");
    CHECK_FALSE(k.app->state().elder);
    CHECK_FALSE(k.chosen("elder.toggle"));
}

TEST_CASE("every touch target on every screen is at least 90 px at 1080p", "[ui][touch]") {
    test::Kiosk k;
    std::set<std::string> stops_measured;
    std::set<Screen> screens_reached;
    for (auto& stop : ui::screen_tour()) {
        INFO("tour stop " << stop.name);
        k.app->reset_session();
        REQUIRE_NOTHROW(stop.reach(*k.driver));
        k.driver->frame();
        CHECK(stops_measured.insert(stop.name).second);  // each stop once, under its own name
        screens_reached.insert(k.screen());
        CHECK_FALSE(k.app->widgets().rects().empty());  // every stop offers something to touch
        for (auto& r : k.app->widgets().rects()) {
            INFO(stop.name << ": " << r.id);
            CHECK(r.max.x - r.min.x >= 90);
            CHECK(r.max.y - r.min.y >= 90);
        }
    }
    CHECK(stops_measured.size() == ui::screen_tour().size());
    // The tour measures every screen in the table of screens.
    for (size_t i = 0; i < ui::kScreenCount; ++i) {
        INFO("screen " << ui::screen_name(static_cast<Screen>(i)));
        CHECK(screens_reached.count(static_cast<Screen>(i)) == 1);
    }
}

TEST_CASE("no screen in any language shows a raw catalogue key or a character its font cannot draw", "[ui][i18n]") {
    test::Kiosk k;
    std::set<std::string> keys;
    for (auto& [key, v] : k.catalog.strings(Lang::ZhCN)) keys.insert(key);
    REQUIRE(keys.size() > 40);
    size_t screens_read = 0;
    for (auto& stop : ui::screen_tour()) {
        std::array<std::vector<std::string>, kAllLangs.size()> shown;  // by language
        for (Lang l : kAllLangs) {
            INFO(stop.name << " in " << lang_code(l));
            k.reach(stop, l);
            shown[static_cast<size_t>(l)] = k.app->widgets().texts();
            CHECK_FALSE(shown[static_cast<size_t>(l)].empty());  // every stop says something
            ++screens_read;
            for (auto& t : k.app->widgets().texts()) {
                INFO(stop.name << " in " << lang_code(l) << ": '" << t << "'");
                CHECK(keys.count(t) == 0);
                CHECK_FALSE(t.empty());
            }
            for (auto& m : k.app->widgets().missing_glyphs()) {
                INFO(stop.name << " in " << lang_code(l));
                FAIL_CHECK("no glyph for " << m);
            }
        }
        // Each language's words are its own: English shares no screen with either Chinese.
        INFO(stop.name);
        CHECK(shown[static_cast<size_t>(Lang::En)] != shown[static_cast<size_t>(Lang::ZhCN)]);
        CHECK(shown[static_cast<size_t>(Lang::En)] != shown[static_cast<size_t>(Lang::ZhTW)]);
    }
    CHECK(screens_read == ui::screen_tour().size() * kAllLangs.size());
}

TEST_CASE("staff sign in with number and PIN on the on-screen keys", "[ui][staff]") {
    test::Kiosk k;
    k.tap("staff.corner");
    CHECK(k.screen() == Screen::StaffLogin);
    CHECK(k.has_widget("keyboard.Q"));
    k.type("A01");
    k.tap("staff.login.next");
    CHECK(k.has_widget("keypad.5"));
    k.type("246810");
    CHECK_FALSE(k.shows("246810"));  // a PIN is never shown
    CHECK_FALSE(k.has_widget("staff.badge"));  // not signed in yet: the residents' bar
    k.tap("staff.login.sign_in");
    CHECK(k.screen() == Screen::StaffDesk);
    CHECK(k.shows("黄*"));
    CHECK(k.shows("前台文员"));
    CHECK(k.has_widget("staff.badge"));  // signed in: the staff bar, with its 员工 badge
    k.tap("staff.desk.sign_out");
    CHECK(k.screen() == Screen::Home);
    CHECK_FALSE(k.app->state().session.staff);
    CHECK_FALSE(k.has_widget("staff.badge"));
}

TEST_CASE("five wrong PINs lock staff sign-in for five minutes, even for the right PIN", "[ui][staff][security]") {
    test::Kiosk k;
    k.tap("staff.corner");
    k.type("A01");
    k.tap("staff.login.next");
    for (int i = 1; i <= 4; ++i) {
        k.type("1111");
        k.tap("staff.login.sign_in");
        CHECK(k.shows("还可以再试 " + std::to_string(5 - i) + " 次"));
    }
    k.type("1111");
    k.tap("staff.login.sign_in");
    CHECK(k.shows("5 分钟后再试"));
    k.type("246810");
    k.tap("staff.login.sign_in");
    CHECK(k.screen() == Screen::StaffLogin);
    CHECK(k.shows("分钟后再试"));
    // Five minutes later (kept alive by taps), the right PIN works.
    for (int i = 0; i < 6; ++i) {
        k.driver->advance(55);
        k.tap("keypad.clear");
    }
    k.type("246810");
    k.tap("staff.login.sign_in");
    CHECK(k.screen() == Screen::StaffDesk);
}

TEST_CASE("a clerk's PIN is checked off the UI thread: the screen keeps drawing and Back waits for the answer", "[ui][staff][pin]") {
    test::Kiosk k;
    test::GatedPinCheck gate;  // the check answers only when the test lets it: frames go on meanwhile
    k.app->features().staff.set_pin_check(gate.check(staff_pin_matches));
    k.tap("staff.corner");
    k.type("A01");
    k.tap("staff.login.next");
    k.type("246810");
    REQUIRE(k.driver->press("staff.login.sign_in").ok());
    test::expect_checking(k, gate, "246810", Screen::StaffLogin, "staff.login.sign_in");
    CHECK(k.app->features().staff.s.pin.empty());  // the typed PIN is not kept on the UI's side
    gate.open();
    REQUIRE(k.driver->settle().ok());
    CHECK_FALSE(k.app->working());
    CHECK(k.screen() == Screen::StaffDesk);
    CHECK(k.app->state().session.staff);
}

TEST_CASE("a wrong clerk PIN answered by the worker counts toward the lock like any other", "[ui][staff][pin][security]") {
    test::Kiosk k;
    k.tap("staff.corner");
    k.type("A01");
    k.tap("staff.login.next");
    k.type("999999");
    k.tap("staff.login.sign_in");  // the driver waits for the worker's answer
    CHECK_FALSE(k.app->working());
    CHECK(k.screen() == Screen::StaffLogin);
    CHECK(k.shows("还可以再试 4 次"));
    CHECK_FALSE(k.app->state().session.staff);
    CHECK(k.has_widget("keypad.1"));  // the keypad is back for the next try
}

TEST_CASE("a scanned staff badge fills the staff number, a scan where none is wanted says so", "[ui][scanner]") {
    test::Kiosk k;
    k.driver->scan("SF1234567");
    CHECK(k.screen() == Screen::Home);
    k.tap("staff.corner");
    k.driver->scan("S01");  // too short for a scanner burst: typing, then Enter = next
    CHECK(k.app->features().staff.s.staff_no == "S01");
    CHECK(k.app->features().staff.s.entering_pin);
    k.tap("nav.back");  // from the PIN back to the number
    CHECK_FALSE(k.app->features().staff.s.entering_pin);
    k.tap("nav.back");
    CHECK(k.screen() == Screen::Home);
    k.tap("staff.corner");
    k.driver->scan("A01B");
    CHECK(k.app->features().staff.s.entering_pin);
    CHECK(k.app->features().staff.s.staff_no == "A01B");
    k.tap("nav.home");
    k.tap("home.tile.parcels");
    k.driver->scan("SF1234567");
    CHECK(k.shows("此页面不需要扫码"));
}

TEST_CASE("dragging the announcement list scrolls it instead of opening a notice", "[ui][touch]") {
    test::Kiosk k;
    k.tap("elder.toggle");  // large text: the list no longer fits
    k.tap("home.tile.announcements");
    auto list = *k.app->widgets().find("announcements.list");
    ImGuiIO& io = ImGui::GetIO();
    ImVec2 start{list.centre().x, list.max.y - 40};
    io.MousePos = start;
    k.driver->frame();
    io.MouseDown[0] = true;
    k.driver->frame();
    for (int i = 1; i <= 10; ++i) {
        io.MousePos = {start.x, start.y - 30.0f * i};
        k.driver->frame();
    }
    io.MouseDown[0] = false;
    k.driver->frame();
    k.driver->frame();
    CHECK(k.screen() == Screen::Announcements);
    CHECK(k.app->state().session.list_scroll > 100);
}

TEST_CASE("a UI script passes, and a failing one names its step and line", "[ui][script]") {
    test::Kiosk k;
    std::istringstream good(R"(# a resident reads the notices
expect-screen home
tap home.tile.announcements
expect-screen announcements
expect-text 电梯年检安排
tap nav.home
tap staff.corner
type a01
expect-text A01
advance 100
expect-screen home
)");
    auto ok = ui::run_script(*k.driver, good, ".");
    INFO(ok.reason);
    CHECK(ok.ok);
    CHECK(ok.steps == 10);

    if (k.has_widget("attract")) k.tap("attract");  // the kiosk dozed off after the last script
    std::istringstream bad("tap home.tile.parcels\nexpect-screen home\ntap nav.back\n");
    auto r = ui::run_script(*k.driver, bad, ".");
    CHECK_FALSE(r.ok);
    CHECK(r.line == 2);
    CHECK(r.step == "expect-screen home");
    CHECK(r.reason.find("verify") != std::string::npos);

    std::istringstream missing("tap no.such.widget\n");
    auto m = ui::run_script(*k.driver, missing, ".");
    CHECK_FALSE(m.ok);
    CHECK(m.reason.find("no widget 'no.such.widget'") != std::string::npos);

    // What must not be on screen: a resident's words once the idle warning has hidden them.
    std::istringstream hidden("tap staff.corner\ntype a01\nexpect-no-text 电梯年检安排\nexpect-no-text A01\n");
    auto h = ui::run_script(*k.driver, hidden, ".");
    CHECK_FALSE(h.ok);
    CHECK(h.line == 4);
    CHECK(h.reason == "'A01' is on screen 'staff_login'");
    k.app->reset_session();

    std::istringstream headless_capture("capture shot.png\n");
    auto c = ui::run_script(*k.driver, headless_capture, ".");
    CHECK_FALSE(c.ok);
    CHECK(c.reason.find("display") != std::string::npos);
}

TEST_CASE("left alone, the home screen shows today's urgent notice, a touch returns without opening anything", "[ui][attract]") {
    test::Kiosk k;
    k.driver->advance(40);
    CHECK_FALSE(k.has_widget("attract"));
    k.driver->advance(10);
    REQUIRE(k.has_widget("attract"));
    CHECK(k.shows("请提前储水"));
    CHECK_FALSE(k.shows("张*"));  // nothing personal on the attract screen
    // A touch where the repairs tile lies underneath ends the loop and opens nothing.
    auto* tile = k.app->widgets().find("home.tile.repairs");
    REQUIRE(tile == nullptr);  // the attract screen covers the home screen
    k.tap("attract");
    CHECK(k.screen() == Screen::Home);
    CHECK_FALSE(k.has_widget("attract"));
    // With one urgent notice the loop has nothing to cycle: the kiosk sleeps until input.
    k.driver->advance(60);
    CHECK(k.has_widget("attract"));
    double wake = k.app->next_wake_in(k.driver->now());
    CHECK((wake < 0 || wake >= 1.0));  // at most the clock's minute, never a busy redraw
}

TEST_CASE("every text and background pair of the theme has contrast of at least 4.5 to 1, and control borders 3 to 1", "[ui][contrast]") {
    // The WCAG formula itself, on pairs whose ratio is known.
    CHECK(ui::contrast_ratio(IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255)) == Approx(21.0));
    CHECK(ui::contrast_ratio(IM_COL32(118, 118, 118, 255), IM_COL32(255, 255, 255, 255)) == Approx(4.54).epsilon(0.01));
    CHECK(ui::text_on(ui::colour::selected) == ui::colour::text);
    CHECK(ui::text_on(ui::colour::bar) == ui::colour::bar_text);
    auto pairs = ui::theme_pairs();
    REQUIRE(pairs.size() > 20);
    for (auto& p : pairs) {
        double ratio = ui::contrast_ratio(p.fg, p.bg);
        INFO(p.what << std::hex << ": 0x" << p.fg << " on 0x" << p.bg << std::dec << " is " << ratio << ":1");
        CHECK(ratio >= p.minimum);
    }
}

TEST_CASE("a UI script checks which option shows as chosen, and what is not on screen", "[ui][script]") {
    test::Kiosk k;
    std::istringstream good(R"(# an English-speaking resident answers the survey, then goes back
expect-chosen lang.zh-CN
tap lang.en
expect-chosen lang.en
expect-not-chosen lang.zh-CN
expect-not-chosen elder.toggle
tap elder.toggle
expect-chosen elder.toggle
tap home.tile.survey
tap verify.building.B3
tap verify.unit.B3-101
type 31013101
tap verify.submit
expect-chosen survey.anonymous
tap survey.start
expect-not-chosen survey.answer.3
tap survey.answer.3
tap nav.back
expect-chosen survey.answer.3
expect-not-chosen survey.answer.4
expect-no-text 31013101
)");
    auto ok = ui::run_script(*k.driver, good, ".");
    INFO(ok.reason << " at line " << ok.line);
    CHECK(ok.ok);
    CHECK(ok.steps == 20);

    std::istringstream wrong("expect-chosen lang.zh-TW\n");
    auto w = ui::run_script(*k.driver, wrong, ".");
    CHECK_FALSE(w.ok);
    CHECK(w.reason.find("not shown as chosen") != std::string::npos);
    std::istringstream shown("expect-no-text English\n");
    auto s = ui::run_script(*k.driver, shown, ".");
    CHECK_FALSE(s.ok);
    CHECK(s.reason.find("is on screen") != std::string::npos);
}

namespace {
bool intersect(ImVec2 a0, ImVec2 a1, ImVec2 b0, ImVec2 b1, float slack = 1) {
    return a0.x + slack < b1.x && b0.x + slack < a1.x && a0.y + slack < b1.y && b0.y + slack < a1.y;
}
// What a finger can reach of a widget: its rectangle within the list it is drawn in (a widget
// drawn past the screen's edge is not clipped away: it is off the screen).
ui::WidgetRect visible(const ui::WidgetRect& r, ImVec2 display) {
    ui::WidgetRect v = r;
    bool in_list = r.clip_min.x > 0.5f || r.clip_min.y > 0.5f || r.clip_max.x < display.x - 0.5f || r.clip_max.y < display.y - 0.5f;
    if (!in_list) return v;
    v.min = {std::max(r.min.x, r.clip_min.x), std::max(r.min.y, r.clip_min.y)};
    v.max = {std::min(r.max.x, r.clip_max.x), std::min(r.max.y, r.clip_max.y)};
    return v;
}
// Every way a screen's layout can fail a resident, as text for the report (empty: none).
std::vector<std::string> layout_faults(const ui::WidgetRegistry& w, ImVec2 display, bool elder) {
    std::vector<std::string> faults;
    auto box = [](const ui::WidgetRect& r) {
        std::ostringstream o;
        o << r.id << " [" << r.min.x << "," << r.min.y << " " << r.max.x - r.min.x << "x" << r.max.y - r.min.y << "]";
        return o.str();
    };
    const ui::WidgetRect* bars[2] = {w.find("bar.top"), w.find("bar.bottom")};
    std::vector<ui::WidgetRect> taps;
    for (auto& r : w.rects()) {
        if (r.has_text()) {
            // The label inside its box, whole words, at a readable size.
            if (r.text_min.x < r.min.x - 1 || r.text_max.x > r.max.x + 1 || r.text_min.y < r.min.y - 1 ||
                r.text_max.y > r.max.y + 1)
                faults.push_back("label overflows " + box(r) + " (text " + std::to_string(int(r.text_max.x - r.text_min.x)) + "x" +
                                 std::to_string(int(r.text_max.y - r.text_min.y)) + ")");
            if (r.text_cut) faults.push_back("a word is cut in " + box(r));
            if (r.text_px < 32) faults.push_back("text under 32 px in " + box(r));
        }
        if (!r.tappable) continue;
        ui::WidgetRect v = visible(r, display);
        if (v.max.x - v.min.x <= 1 || v.max.y - v.min.y <= 1) continue;  // scrolled out of its list
        taps.push_back(v);
        if (v.min.x < -1 || v.min.y < -1 || v.max.x > display.x + 1 || v.max.y > display.y + 1)
            faults.push_back("off the screen: " + box(r));
        float least = elder ? 60 : 90;
        if (r.max.x - r.min.x < least || r.max.y - r.min.y < least) faults.push_back("too small to tap: " + box(r));
        for (const ui::WidgetRect* bar : bars) {
            if (!bar) continue;
            ImVec2 c = v.centre();
            bool in_bar = c.x >= bar->min.x && c.x <= bar->max.x && c.y >= bar->min.y && c.y <= bar->max.y;
            if (in_bar ? (v.min.y < bar->min.y - 1 || v.max.y > bar->max.y + 1) : intersect(v.min, v.max, bar->min, bar->max))
                faults.push_back("across " + bar->id + ": " + box(r));
        }
    }
    // Whatever a list hides below its edge is a page button away (drag is only the extra way:
    // elderly hands and cheap panels drag badly).
    bool has_next_page = std::any_of(w.rects().begin(), w.rects().end(), [](const ui::WidgetRect& r) {
        return r.tappable && r.enabled && r.id.size() > 5 && r.id.ends_with(".next");
    });
    for (auto& r : w.rects()) {
        bool hidden_below = r.tappable && r.clip_max.y < display.y - 0.5f && r.max.y > r.clip_max.y + 1;
        if (hidden_below && !has_next_page) {
            faults.push_back("hidden below its list's edge with no page buttons: " + box(r));
            break;
        }
    }
    for (size_t i = 0; i < taps.size(); ++i)
        for (size_t j = i + 1; j < taps.size(); ++j)
            if (intersect(taps[i].min, taps[i].max, taps[j].min, taps[j].max))
                faults.push_back("overlap: " + box(taps[i]) + " and " + box(taps[j]));
    return faults;
}
}  // namespace

TEST_CASE("every screen in every language, normal and elder, keeps each label whole inside its box and each target clear of the others and of the bars", "[ui][elder][layout]") {
    test::Kiosk k;
    const ImVec2 display{1920, 1080};
    size_t screens = 0;
    std::map<std::string, std::vector<std::string>> failing;  // by stop (".elder" for elder mode): what is wrong
    for (bool elder : {false, true}) {
        for (auto& stop : ui::screen_tour()) {
            for (Lang l : kAllLangs) {
                std::string where = stop.name + (elder ? " (elder)" : "") + " in " + std::string(lang_code(l));
                INFO(where);
                k.app->reset_session();
                k.app->state().lang = l;
                k.app->state().elder = elder;
                try {
                    stop.reach(*k.driver);  // a stop a person cannot reach in this mode is a fault too
                } catch (const std::exception& e) {
                    failing[stop.name + (elder ? ".elder" : "")].push_back(where + ": not reached: " + e.what());
                    continue;
                }
                k.driver->frame();
                CHECK(k.app->state().elder == (elder || stop.name.find("elder") != std::string::npos));
                ++screens;
                for (auto& f : layout_faults(k.app->widgets(), display, elder)) {
                    failing[stop.name + (elder ? ".elder" : "")].push_back(where + ": " + f);
                }
            }
        }
    }
    // Every stop in both modes and every language, the typing steps with their keyboard and the
    // desk's exit review included: no stop is excused.
    CHECK(screens == 2 * ui::screen_tour().size() * kAllLangs.size());
    for (auto& [stop, faults] : failing)
        for (auto& f : faults) FAIL_CHECK(f);
}

TEST_CASE("elder mode's keypad is larger than the normal one, and its home screen greets with the date", "[ui][elder]") {
    test::Kiosk k;
    auto key = [&](bool elder) {
        k.app->reset_session();
        k.app->state().elder = elder;
        k.tap("home.tile.fees");
        k.tap("verify.building.B1");
        k.tap("verify.unit.B1-102");
        k.driver->frame();
        REQUIRE(k.has_widget("keypad.5"));
        return *k.app->widgets().find("keypad.5");
    };
    ui::WidgetRect normal = key(false), elder = key(true);
    CHECK(elder.max.x - elder.min.x > normal.max.x - normal.min.x);
    CHECK(elder.max.y - elder.min.y > normal.max.y - normal.min.y);
    k.app->reset_session();
    k.app->state().elder = true;
    k.driver->frame();
    CHECK(k.shows("您好！请选择您要办理的服务"));
    CHECK(k.shows("2026"));  // the date, whatever the top bar has room for
}

TEST_CASE("a label's fit is remembered across frames by its text, box and font, and points into the text asked about", "[ui][layout]") {
    test::Kiosk k;
    ui::WidgetRegistry reg;
    ui::Metrics m;
    auto tr = [](std::string_view) -> const std::string& {
        static const std::string none;
        return none;
    };
    ui::FitCache cache;
    ui::Ui fresh(reg, m, k.fonts.normal, tr), cached(reg, m, k.fonts.normal, tr, &cache);
    auto same = [](const ui::TextLines& a, const ui::TextLines& b) {
        return a.font == b.font && a.px == b.px && a.cut == b.cut && a.size.x == b.size.x && a.size.y == b.size.y &&
               std::vector<std::string>(a.lines.begin(), a.lines.end()) == std::vector<std::string>(b.lines.begin(), b.lines.end());
    };
    const std::vector<std::string> labels{"请在此处签名，然后点击下一步提交您的报修", "Announcements about the water supply this week",
                                          "Supercalifragilisticexpialidocious", "3-1502"};
    for (float width : {200.0f, 420.0f, 900.0f}) {
        for (const std::string& label : labels) {
            INFO(label << " in " << width);
            ui::TextLines first = cached.fit(label, {width, 120}, nullptr);
            // The same words in another string (a label rebuilt each frame): the answer is the
            // remembered one, and its lines are inside the new string.
            std::string again = label;
            ui::TextLines second = cached.fit(again, {width, 120}, nullptr);
            CHECK(same(first, fresh.fit(label, {width, 120}, nullptr)));
            CHECK(same(first, second));
            for (std::string_view line : second.lines) {
                CHECK(line.data() >= again.data());
                CHECK(line.data() + line.size() <= again.data() + again.size());
            }
            // Another box or font is another answer.
            CHECK(same(cached.fit(label, {width / 2, 120}, nullptr), fresh.fit(label, {width / 2, 120}, nullptr)));
            CHECK(same(cached.fit(label, {width, 120}, k.fonts.normal.title), fresh.fit(label, {width, 120}, k.fonts.normal.title)));
        }
    }
    CHECK(cache.size() == 3 * labels.size() * 3);
    // Bounded: past its limit it starts again rather than grow.
    for (size_t i = 0; i < ui::FitCache::kMaxEntries + 10; ++i) cached.fit("label " + std::to_string(i), {300, 0}, nullptr);
    CHECK(cache.size() <= ui::FitCache::kMaxEntries);
}
