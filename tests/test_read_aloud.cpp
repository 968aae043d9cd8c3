// Elder mode's 朗读: a button on every screen's bottom bar that asks for the screen's title and
// prompt to be read aloud. The voice here is a stand-in that records what it was handed, and
// whether it was called while the screen was being drawn (it must not be: drawing only asks).
#include <catch2/catch.hpp>
#include <imgui_internal.h>

#include <regex>

#include "kiosk_fixture.hpp"
#include "platform/speech.hpp"

using namespace kiosk;
using ui::Screen;

namespace {
struct RecordingReader : platform::ReadAloud {
    struct Said {
        Lang lang;
        std::string text;
        bool while_drawing;
    };
    std::vector<Said> said;
    int stops = 0;
    void say(Lang lang, std::string text) override { said.push_back({lang, std::move(text), drawing()}); }
    void stop() override { ++stops; }
    // Inside a window of the frame (the kiosk's, the attract loop's): a screen is being drawn.
    static bool drawing() { return ImGui::GetCurrentContext() && ImGui::GetCurrentContext()->CurrentWindowStack.Size > 1; }
};

bool overlaps(const ui::WidgetRect& a, const ui::WidgetRect& b) {
    return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
}

// The read-aloud button is a full elder-size target and covers no other control.
void check_button(test::Kiosk& k) {
    REQUIRE(k.has_widget("read.aloud"));
    const ui::WidgetRect* r = k.app->widgets().find("read.aloud");
    CHECK(r->max.x - r->min.x >= 60);
    CHECK(r->max.y - r->min.y >= 60);
    CHECK(r->max.y - r->min.y >= k.app->widgets().find("staff.corner")->max.y - k.app->widgets().find("staff.corner")->min.y);
    for (auto& other : k.app->widgets().rects()) {
        if (other.id == "read.aloud" || !other.tappable) continue;  // the bar it sits in is not a control
        INFO("read.aloud against " << other.id << " " << other.min.x << "," << other.min.y << "-" << other.max.x << "," << other.max.y << " vs " << r->min.x << "," << r->min.y << "-" << r->max.x << "," << r->max.y);
        CHECK_FALSE(overlaps(*r, other));
    }
}
}  // namespace

TEST_CASE("in elder mode 朗读 reads the home screen's greeting and services aloud in the language showing", "[ui][elder][speech]") {
    test::Kiosk k;
    RecordingReader reader;
    k.app->set_reader(&reader);
    CHECK_FALSE(k.has_widget("read.aloud"));  // elder mode's: the normal screen stays as it was
    k.tap("elder.toggle");
    check_button(k);
    CHECK(k.shows("朗读"));
    CHECK(reader.said.empty());  // drawing the button says nothing

    k.tap("read.aloud");
    REQUIRE(reader.said.size() == 1);
    CHECK(reader.said[0].lang == Lang::ZhCN);
    CHECK(reader.said[0].text.find("您好！请选择您要办理的服务") != std::string::npos);
    CHECK(reader.said[0].text.find("报修") != std::string::npos);
    CHECK(reader.said[0].text.find("费用查询") != std::string::npos);
    CHECK_FALSE(reader.said[0].while_drawing);  // handed over after the frame, by the shell
    k.driver->frame();
    CHECK(reader.said.size() == 1);  // one tap, one reading

    k.tap("lang.en");
    CHECK(k.shows("Read aloud"));
    k.tap("read.aloud");
    REQUIRE(reader.said.size() == 2);
    CHECK(reader.said[1].lang == Lang::En);
    CHECK(reader.said[1].text.find("Hello! Please choose a service") != std::string::npos);

    k.tap("lang.zh-TW");
    CHECK(k.shows("朗讀"));
    k.tap("read.aloud");
    REQUIRE(reader.said.size() == 3);
    CHECK(reader.said[2].lang == Lang::ZhTW);
    CHECK(reader.said[2].text.find("您好！請選擇您要辦理的服務") != std::string::npos);
    for (auto& s : reader.said) CHECK_FALSE(s.while_drawing);
}

TEST_CASE("朗读 on the PIN screen asks for the PIN without saying the flat aloud, and a wrong PIN is read too", "[ui][elder][speech][security]") {
    test::Kiosk k;
    RecordingReader reader;
    k.app->set_reader(&reader);
    k.tap("elder.toggle");
    k.tap("home.tile.repairs");
    REQUIRE(k.screen() == Screen::Verify);
    check_button(k);
    k.tap("read.aloud");
    REQUIRE(reader.said.size() == 1);
    CHECK(reader.said[0].text.find("请选择您的楼栋") != std::string::npos);

    k.tap("verify.building.B2");
    k.tap("verify.unit.B2-301");
    check_button(k);
    k.tap("read.aloud");
    REQUIRE(reader.said.size() == 2);
    CHECK(reader.said[1].text.find("验证住户身份") != std::string::npos);
    CHECK(reader.said[1].text.find("8 位住户 PIN") != std::string::npos);
    CHECK(reader.said[1].text.find("301") == std::string::npos);  // on the screen, not in the lobby's ears

    k.type("11111111");
    k.tap("verify.submit");
    REQUIRE(k.driver->settle().ok());
    k.tap("read.aloud");
    REQUIRE(reader.said.size() == 3);
    CHECK(reader.said[2].text.find("PIN 不对") != std::string::npos);
    for (auto& s : reader.said) CHECK_FALSE(s.while_drawing);
}

TEST_CASE("朗读 reads each repair step's own question, and every screen has something to read", "[ui][elder][speech]") {
    test::Kiosk k;
    RecordingReader reader;
    k.app->set_reader(&reader);
    k.tap("elder.toggle");
    k.prove("home.tile.repairs", "B2", "B2-301", "23012301");
    REQUIRE(k.screen() == Screen::Repair);
    k.tap("read.aloud");
    REQUIRE(reader.said.size() == 1);
    CHECK(reader.said[0].text.find("报修：请选择哪里坏了") != std::string::npos);

    // Whatever screen shows, what 朗读 reads is a sentence of the catalogue, never a raw key.
    for (size_t i = 0; i < ui::kScreenCount; ++i) {
        auto screen = static_cast<Screen>(i);
        k.app->state().session.screen = screen;
        for (Lang lang : kAllLangs) {
            k.app->state().lang = lang;
            std::string text = k.app->spoken_text();
            INFO(ui::screen_name(screen) << " " << static_cast<int>(lang) << ": " << text);
            CHECK(text.size() >= 2);
            CHECK_FALSE(std::regex_search(text, std::regex(R"([a-z_]+\.[a-z_]+)")));  // a key, not its wording
        }
    }
}

TEST_CASE("the visit ending silences the reader, so nothing of a household is still being said", "[ui][elder][speech][security]") {
    test::Kiosk k;
    RecordingReader reader;
    k.app->set_reader(&reader);
    k.tap("elder.toggle");
    k.tap("home.tile.repairs");
    k.tap("read.aloud");
    int before = reader.stops;
    k.tap("nav.home");
    CHECK(reader.stops > before);
}
