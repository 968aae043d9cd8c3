// Catalogue completeness: every key in every language, and every character the kiosk can show has
// a glyph in the font and in the atlas (no "?" boxes on a resident's screen).
#include <catch2/catch.hpp>

#include "kiosk/core/text.hpp"
#include "kiosk_fixture.hpp"

using namespace kiosk;

TEST_CASE("every catalogue key exists in every language", "[i18n]") {
    auto c = test::load_catalog();
    auto missing = c.missing_keys();
    for (auto& m : missing) FAIL_CHECK("missing " << m);
    CHECK(c.strings(Lang::ZhCN).size() > 40);
    // And no translation is left empty, nor one language holding keys the others lack.
    for (Lang l : kAllLangs) {
        INFO("language " << lang_code(l));
        CHECK(c.strings(l).size() == c.strings(Lang::ZhCN).size());
        for (auto& [k, v] : c.strings(l)) {
            INFO(lang_code(l) << ": " << k);
            CHECK_FALSE(v.empty());
            CHECK(c.strings(Lang::ZhCN).count(k) == 1);
        }
    }
}

TEST_CASE("the three languages really differ where they should", "[i18n]") {
    auto c = test::load_catalog();
    CHECK(c.tr(Lang::ZhCN, "service.repairs") == "报修");
    CHECK(c.tr(Lang::ZhTW, "service.repairs") == "報修");
    CHECK(c.tr(Lang::En, "service.repairs") == "Repairs");
    size_t same = 0;
    for (auto& [k, v] : c.strings(Lang::ZhCN))
        if (c.tr(Lang::En, k) == v) ++same;
    CHECK(same * 20 <= c.strings(Lang::ZhCN).size());  // only templates like "¥{amount}" read the same
}

TEST_CASE("every character in the catalogues and the demo site has a glyph in the font", "[i18n][font]") {
    auto c = test::load_catalog();
    auto font = test::load_font();
    std::vector<std::string> site_texts;
    auto site = test::demo_site();
    for (auto& a : site["announcements"])
        for (auto& part : {"title", "body"})
            for (auto& [lang, text] : a[part].items()) site_texts.push_back(text.get<std::string>());
    const size_t announcement_texts = site_texts.size();
    for (auto& b : site["buildings"])
        for (auto& [lang, text] : b["name"].items()) site_texts.push_back(text.get<std::string>());
    // The site's own words are in the sweep: each announcement and building in each language.
    CHECK(announcement_texts >= 2 * kAllLangs.size() * site["announcements"].size());
    CHECK(site_texts.size() - announcement_texts >= kAllLangs.size() * site["buildings"].size());
    CHECK_FALSE(site["buildings"].empty());
    auto wanted = ui::kiosk_codepoints(c, site_texts);
    auto missing = ui::missing_glyphs(font, wanted);
    for (char32_t cp : missing) FAIL_CHECK("no glyph for U+" << std::hex << static_cast<uint32_t>(cp) << " '" << utf8_encode(cp) << "'");
    CHECK(wanted.size() > 300);
}

TEST_CASE("the atlas holds every character used, at every size", "[i18n][font]") {
    ui::HeadlessImGui imgui;
    auto c = test::load_catalog();
    auto font = test::load_font();
    ui::FontBuilder b;
    auto wanted = ui::kiosk_codepoints(c, {});
    auto set = b.build(*ImGui::GetIO().Fonts, font, wanted, 1.0f);
    REQUIRE(wanted.size() > 300);
    for (ImFont* f : {set.normal.body, set.normal.title, set.elder.body, set.elder.title}) {
        INFO("font at " << f->FontSize << " px");
        int absent = 0;
        for (char32_t cp : wanted)
            if (cp > 0x20 && cp <= 0xFFFF && !f->FindGlyphNoFallback(static_cast<ImWchar>(cp))) {
                if (absent++ < 5) UNSCOPED_INFO("no glyph for U+" << std::hex << static_cast<uint32_t>(cp) << std::dec);
            }
        CHECK(absent == 0);
    }
    // The digit sizes hold what keypads and typed codes show.
    for (ImFont* f : {set.normal.big, set.elder.big})
        for (char32_t cp = U'!'; cp <= U'~'; ++cp) {
            INFO("'" << static_cast<char>(cp) << "' at " << f->FontSize << " px");
            CHECK(f->FindGlyphNoFallback(static_cast<ImWchar>(cp)));
        }
    // The atlas stays small: only what is used, not every CJK character (~5.3 Mpx today, with the
    // staff's sync and parcel texts; the whole of GB2312 at these sizes would be ~70 Mpx).
    CHECK(ImGui::GetIO().Fonts->TexHeight * ImGui::GetIO().Fonts->TexWidth <= 2048 * 2816);
}

TEST_CASE("a character outside the font is reported, not drawn as a box", "[i18n][font]") {
    auto font = test::load_font();
    auto missing = ui::missing_glyphs(font, {U'报', U'\U0001F600'});  // an emoji the CJK face lacks
    CHECK(missing.count(U'报') == 0);
    CHECK(missing.count(U'\U0001F600') == 1);
}
