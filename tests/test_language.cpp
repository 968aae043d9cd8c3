// Language done right (issue #14, item 6): every string a screen shows is in the screen's script
// (no Chinese in English, no simplified-only character in zh-TW, judged by OpenCC's own tables),
// pinyin on a zh-TW screen offers traditional characters, and the keyboard opens in the screen's
// language.
#include <catch2/catch.hpp>

#include "kiosk/core/text.hpp"
#include "kiosk/ui/slips.hpp"
#include "kiosk_fixture.hpp"
#include "platform/chinese_script.hpp"

using namespace kiosk;

namespace {
bool is_cjk(char32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}
std::string cjk_in(const std::string& s) {
    std::string out;
    for (char32_t cp : utf8_decode(s))
        if (is_cjk(cp)) out += utf8_encode(cp);
    return out;
}

// English strings that show Chinese on purpose. Each is a deliberate choice, not a gap.
const std::set<std::string> kChineseInEnglish{
    "text.mode_chinese",  // the keyboard's mode key names the script it switches to: 中 ⇄ EN
    "text.mode_latin",
};

struct Script {
    std::unique_ptr<platform::TraditionalScript> s2tw;
    std::unique_ptr<platform::SimplifiedOnly> simplified_only;
    Script() {
        auto t = platform::TraditionalScript::open();
        REQUIRE(t.ok());
        s2tw = std::move(t.value());
        auto o = platform::SimplifiedOnly::open();
        REQUIRE(o.ok());
        simplified_only = std::move(o.value());
    }
    // The simplified-only characters of `s` that OpenCC's s2tw conversion replaces. Both tests
    // together: 灶 (kept by s2tw, a Taiwan variant) and 台 (traditional in its own right) pass.
    std::string simplified_in(const std::string& s) const {
        std::string converted = s2tw->from_simplified(s);
        if (converted == s) return {};
        std::string out;
        for (char32_t cp : utf8_decode(s)) {
            std::string ch = utf8_encode(cp);
            if (simplified_only->contains(ch) && converted.find(ch) == std::string::npos) out += ch;
        }
        return out;
    }
};

// Every per-language text of the site (objects keyed by language code, also inside facts that
// hold JSON text), and every site text shown to all languages alike (shelf names).
void site_texts(const nlohmann::json& j, const std::string& path, std::vector<std::tuple<std::string, std::string, std::string>>& out) {
    if (j.is_object()) {
        for (auto& [k, v] : j.items()) {
            if ((k == "en" || k == "zh-TW" || k == "zh-CN") && v.is_string()) out.emplace_back(k, path, v.get<std::string>());
            else site_texts(v, path + "." + k, out);
        }
    } else if (j.is_array()) {
        for (auto& v : j) site_texts(v, path + "[]", out);
    } else if (j.is_string()) {
        auto s = j.get<std::string>();
        if (!s.empty() && (s[0] == '[' || s[0] == '{')) {
            auto inner = nlohmann::json::parse(s, nullptr, false);
            if (!inner.is_discarded()) site_texts(inner, path, out);
        }
    }
}
}  // namespace

TEST_CASE("the script checks catch what they are for", "[i18n][language]") {
    Script sc;
    CHECK(sc.simplified_in("请到停车场") == "请车场");
    CHECK(sc.simplified_in("請到服務台") == "");   // 台 is traditional too
    CHECK(sc.simplified_in("灶具打不著火") == "");  // and s2tw keeps 灶
    CHECK(cjk_in("Shelf 大件区") == "大件区");
}

TEST_CASE("no Chinese in an English string and no simplified-only character in a zh-TW string", "[i18n][language]") {
    Script sc;
    auto cat = test::load_catalog();
    for (auto& [key, text] : cat.strings(Lang::En)) {
        if (kChineseInEnglish.count(key)) continue;
        INFO("en: " << key << " = " << text);
        CHECK(cjk_in(text).empty());
    }
    for (auto& [key, text] : cat.strings(Lang::ZhTW)) {
        INFO("zh-TW: " << key << " = " << text);
        CHECK(sc.simplified_in(text).empty());
    }
    std::vector<std::tuple<std::string, std::string, std::string>> site;
    site_texts(test::demo_site(), "site", site);
    CHECK(site.size() > 30);
    for (auto& [lang, path, text] : site) {
        INFO(lang << " " << path << " = " << text);
        if (lang == "en") CHECK(cjk_in(text).empty());
        if (lang == "zh-TW") CHECK(sc.simplified_in(text).empty());
    }
    // Shelf names show on every language's screens and labels: codes, not words of one language.
    auto shelves = nlohmann::json::parse(test::demo_site()["facts"]["parcel_shelves"].get<std::string>());
    REQUIRE_FALSE(shelves.empty());
    for (auto& s : shelves) {
        INFO("shelf " << s);
        CHECK(cjk_in(s.get<std::string>()).empty());
    }
}

namespace {
ui::TextEntry& question(test::Kiosk& k) { return k.app->features().enquiries.s.question; }
}  // namespace

TEST_CASE("pinyin on a zh-TW screen offers traditional characters, on zh-CN simplified", "[i18n][language][pinyin]") {
    test::Kiosk k;
    Script sc;
    SECTION("zh-TW: tingchewei offers 停車位, and the chosen word lands in the text as shown") {
        k.tap("lang.zh-TW");
        k.tap("home.tile.enquiries");
        k.tap("enquiry.ask");
        k.type("tingchewei");
        REQUIRE_FALSE(question(k).candidates.empty());
        CHECK(question(k).candidates[0] == "停車位");
        for (auto& c : question(k).candidates) {
            INFO("candidate " << c);
            CHECK(sc.simplified_in(c).empty());
            for (char32_t cp : utf8_decode(c)) CHECK(k.fonts.normal.typing->FindGlyphNoFallback(static_cast<ImWchar>(cp)));
        }
        CHECK(k.has_widget("ime.candidate.0"));
        k.tap("ime.candidate.0");
        CHECK(question(k).text == "停車位");
        CHECK(question(k).pinyin.empty());
        CHECK(k.shows("停車位"));
    }
    SECTION("zh-TW: choosing one character goes on with the rest of the syllables, still traditional") {
        k.tap("lang.zh-TW");
        k.tap("home.tile.enquiries");
        k.tap("enquiry.ask");
        k.type("tingche");
        auto& cands = question(k).candidates;
        auto it = std::find(cands.begin(), cands.end(), "停");
        REQUIRE(it != cands.end());
        k.tap("ime.candidate." + std::to_string(it - cands.begin()));
        CHECK(question(k).text == "停");
        CHECK(question(k).pinyin == "che");
        REQUIRE_FALSE(question(k).candidates.empty());
        CHECK(question(k).candidates[0] == "車");
        k.tap("keyboard.space");
        CHECK(question(k).text == "停車");
    }
    SECTION("zh-CN: the same letters offer simplified characters") {
        k.tap("lang.zh-CN");
        k.tap("home.tile.enquiries");
        k.tap("enquiry.ask");
        k.type("tingchewei");
        REQUIRE_FALSE(question(k).candidates.empty());
        CHECK(question(k).candidates[0] == "停车位");
        k.tap("ime.candidate.0");
        CHECK(question(k).text == "停车位");
    }
}

TEST_CASE("the keyboard opens in the screen's language", "[i18n][language][keyboard]") {
    test::Kiosk k;
    SECTION("English: letters, not pinyin") {
        k.tap("lang.en");
        k.tap("home.tile.enquiries");
        k.tap("enquiry.ask");
        CHECK_FALSE(question(k).chinese);
        CHECK(k.shows(k.catalog.tr(Lang::En, "text.mode_latin")));
        k.type("lift 3");
        CHECK(question(k).text == "lift 3");
        CHECK(question(k).pinyin.empty());
        SECTION("and the mode key still offers pinyin") {
            k.tap("keyboard.mode");
            CHECK(question(k).chinese);
        }
    }
    SECTION("English: the repair description opens in letters too") {
        k.tap("lang.en");
        k.prove("home.tile.repairs", "B1", "B1-102", "11021102");
        REQUIRE(k.screen() == ui::Screen::Repair);
        CHECK_FALSE(k.app->features().repair.s.text.chinese);
    }
    for (Lang l : {Lang::ZhCN, Lang::ZhTW}) {
        DYNAMIC_SECTION("pinyin in " << lang_code(l)) {
            k.tap("lang." + std::string(lang_code(l)));
            k.tap("home.tile.enquiries");
            k.tap("enquiry.ask");
            CHECK(question(k).chinese);
            k.type("lou");
            CHECK(question(k).pinyin == "lou");
            CHECK(question(k).text.empty());
        }
    }
}

TEST_CASE("an emergency repair reported at 00:29 reads the same deadline on the done screen, the slip and My Requests", "[language][dates][repair]") {
    test::Kiosk k;
    // The night: a repairer at the door by 00:59, the repair promised done by the day's end.
    k.driver = std::make_unique<ui::Driver>(*k.app, ImVec2{1920, 1080}, test::local_time(2026, 11, 23, 0, 29));
    k.driver->frame();
    k.file_emergency_repair();
    const std::string due = "承诺时间：11-23 23:59";
    CHECK(k.shows("维修人员将在 00:59 前上门（30 分钟内）。"));
    CHECK(k.shows(due));
    auto receipt = ui::repair_receipt(k.catalog, k.app->state(), k.app->features().repair.s);
    bool on_slip = false;
    for (auto& b : receipt.body)
        if (auto* t = std::get_if<print::SlipText>(&b); t && t->text == due) on_slip = true;
    CHECK(on_slip);
    k.tap("repair.done");
    k.prove("home.tile.my_requests", "B1", "B1-102", "11021102");
    REQUIRE(k.screen() == ui::Screen::MyRequests);
    k.tap("my.case.0");
    CHECK(k.shows(due));
}
