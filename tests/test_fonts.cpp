// The font the kiosk draws with (issue #14 item 9): the build's subset of the CJK face holds every
// character of every catalogue string, the demo site and what residents can type, and the atlas
// made from it draws all of them in the normal and the elder fonts, with elder sizes taking no
// second atlas of the same characters.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>

#include "kiosk/core/text.hpp"
#include "kiosk/ui/tour.hpp"
#include "kiosk_fixture.hpp"
#include "wait_for.hpp"

using namespace kiosk;

namespace {

std::set<char32_t> typing_of_subset(const platform::FontSubset& s) {
    auto bytes = platform::read_file(s.typing_path);
    REQUIRE(bytes);
    return ui::codepoints_of_text(std::string(bytes.value().begin(), bytes.value().end()));
}

ui::FontBytes bytes_of(const platform::FontFile& f) {
    auto bytes = platform::read_file(f.path);
    REQUIRE(bytes);
    return {std::move(bytes.value()), f.face_index};
}

std::vector<std::string> demo_site_texts() {
    test::TempDir dir;
    auto store = test::open_store(dir.path / "kiosk.db");
    return store->datasets().display_texts();
}

std::string hex(char32_t cp) {
    char b[16];
    std::snprintf(b, sizeof b, "U+%04X", static_cast<unsigned>(cp));
    return b;
}

// As the kiosk has it at its first frame: an atlas of what the screens show (no typing set) in
// io.Fonts, its texture "uploaded", and the app drawing from it. `builder` outlives the atlas (the
// fonts point into its buffer).
// Opens a test's gate (sets its flag, wakes its waiters) when the test ends, passed or failed.
struct OpenOnExit {
    std::mutex& m;
    std::condition_variable& cv;
    bool& open;
    ~OpenOnExit() {
        {
            std::lock_guard lock(m);
            open = true;
        }
        cv.notify_all();
    }
};

void use_atlas(test::Kiosk& k, ImFontAtlas* atlas, const ui::FontSet& set) {
    ImGuiIO& io = ImGui::GetIO();
    IM_DELETE(io.Fonts);
    io.Fonts = atlas;
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));  // as a renderer would, once uploaded
    k.app->set_fonts(set);
}
ui::FontSet use_first_atlas(test::Kiosk& k, ui::FontBuilder& builder, const std::set<char32_t>& shown) {
    auto* first = IM_NEW(ImFontAtlas)();
    ui::FontSet set = builder.build(*first, k.font, shown, 1.0f);
    use_atlas(k, first, set);
    return set;
}

}  // namespace

TEST_CASE("the build's font subset holds every character the kiosk shows or residents type", "[font]") {
    auto subset = platform::find_font_subset(KIOSK_FONT_SUBSET_DIR);
    REQUIRE(subset);
    auto font = bytes_of(subset->font);
    auto typing = typing_of_subset(*subset);
    // hanzi_common.txt and its traditional forms: zh-TW's candidates are converted by OpenCC.
    CHECK(typing.size() > 4000);
    for (char32_t c : {U'车', U'車', U'报', U'報', U'门', U'門', U'楼', U'樓'}) {
        INFO(utf8_encode(c));
        CHECK(typing.count(c) == 1);
    }
    auto wanted = ui::kiosk_codepoints(test::load_catalog(), demo_site_texts());
    wanted.insert(typing.begin(), typing.end());
    for (char32_t cp : ui::missing_glyphs(font, wanted)) FAIL_CHECK("no glyph for " << hex(cp) << " '" << utf8_encode(cp) << "'");
    // A subset, not the system's 5-20 MB face.
    CHECK(font.data.size() < 2'000'000);
    // Site data arriving later may carry anything: what the subset lacks is reported, not guessed.
    auto missing = ui::missing_glyphs(font, {U'報', U'龘', U'\U0001F600'});
    CHECK(missing.count(U'報') == 0);
    CHECK(missing.count(U'龘') == 1);
    CHECK(missing.count(U'\U0001F600') == 1);
}

TEST_CASE("every glyph of every catalogue string is in the atlas, normal and elder", "[font]") {
    auto subset = platform::find_font_subset(KIOSK_FONT_SUBSET_DIR);
    REQUIRE(subset);
    auto font = bytes_of(subset->font);
    auto typing = typing_of_subset(*subset);
    auto catalog = test::load_catalog();
    auto site = demo_site_texts();
    ui::HeadlessImGui imgui;
    ui::FontBuilder builder;
    auto set = builder.build(*ImGui::GetIO().Fonts, font, ui::kiosk_codepoints(catalog, site), 1.0f, typing);

    struct Named {
        const char* name;
        ImFont* font;
    };
    const Named fonts[] = {{"normal body", set.normal.body}, {"normal title", set.normal.title},
                           {"elder body", set.elder.body},   {"elder title", set.elder.title}};
    size_t strings = 0;
    for (Lang l : kAllLangs)
        for (auto& [key, text] : catalog.strings(l)) {
            ++strings;
            for (auto& f : fonts)
                for (char32_t cp : utf8_decode(text))
                    if (cp > 0x20) {
                        INFO(f.name << ", " << lang_code(l) << " " << key << ": '" << text << "'");
                        CHECK((cp <= 0xFFFF && f.font->FindGlyphNoFallback(static_cast<ImWchar>(cp))));
                    }
        }
    CHECK(strings > 3 * 300);
    for (auto& s : site)
        for (char32_t cp : utf8_decode(s))
            if (cp > 0x20) {
                INFO("site text '" << s << "'");
                CHECK(set.elder.title->FindGlyphNoFallback(static_cast<ImWchar>(cp)));
                CHECK(set.normal.body->FindGlyphNoFallback(static_cast<ImWchar>(cp)));
            }
    // What residents type shows at body size in both modes, and wherever a screen shows it again
    // in a title or elder-body font (a read-back, My Requests): borrowed from the body size there.
    int absent = 0;
    for (char32_t cp : typing)
        for (ImFont* f : {set.normal.typing, set.elder.typing, set.normal.title, set.elder.body, set.elder.title})
            if (!f->FindGlyphNoFallback(static_cast<ImWchar>(cp)))
                if (absent++ < 5) UNSCOPED_INFO("typing glyph missing: " << hex(cp) << " at " << f->FontSize << " px");
    CHECK(absent == 0);
    const ImFontGlyph* typed34 = set.normal.body->FindGlyphNoFallback(U'厨');
    const ImFontGlyph* typed50 = set.elder.body->FindGlyphNoFallback(U'厨');
    REQUIRE((typed34 && typed50));
    CHECK(typed50->U0 == typed34->U0);  // the same pixels, drawn larger
    CHECK(typed50->AdvanceX == Approx(typed34->AdvanceX * 50 / 34));

    // The elder title is the title's glyphs drawn 1.5x: the same texture rectangles, no more pixels.
    CHECK(set.elder.title->FontSize == Approx(75));
    CHECK(set.elder.title->ContainerAtlas == ImGui::GetIO().Fonts);
    const char* sample = "报修 Repairs 報修";
    float w50 = set.normal.title->CalcTextSizeA(50, FLT_MAX, 0, sample).x;
    float w75 = set.elder.title->CalcTextSizeA(75, FLT_MAX, 0, sample).x;
    CHECK(w75 == Approx(w50 * 1.5f).epsilon(0.02));
    const ImFontGlyph* g50 = set.normal.title->FindGlyphNoFallback(U'报');
    const ImFontGlyph* g75 = set.elder.title->FindGlyphNoFallback(U'报');
    REQUIRE((g50 && g75));
    CHECK(g75->U0 == g50->U0);
    CHECK(g75->V1 == g50->V1);
    CHECK(g75->X1 - g75->X0 == Approx((g50->X1 - g50->X0) * 1.5f));

    // Sized to what is used: two rasterised sizes of the catalogue's ~900 characters, the typing
    // set at body size only, and two ASCII digit sizes.
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    imgui.finish_atlas();
    INFO("atlas " << atlas.TexWidth << " x " << atlas.TexHeight);
    CHECK(static_cast<long>(atlas.TexWidth) * atlas.TexHeight <= 4096L * 2560L);
}

TEST_CASE("every screen of the tour draws with no missing glyph in elder mode too", "[font][ui]") {
    test::Kiosk k;
    for (bool elder : {false, true})
        for (auto& stop : ui::screen_tour())
            for (Lang l : kAllLangs) {
                INFO(stop.name << " in " << lang_code(l) << (elder ? ", elder" : ""));
                k.app->reset_session();
                k.app->state().lang = l;
                REQUIRE_NOTHROW(stop.reach(*k.driver));
                k.app->state().elder = elder;  // the same screen drawn with the elder fonts
                k.driver->frame();
                CHECK_FALSE(k.app->widgets().texts().empty());
                for (auto& m : k.app->widgets().missing_glyphs()) FAIL_CHECK("no glyph for " << m);
            }
}

TEST_CASE("zh-TW's script opens off the UI thread when first needed, and candidates wait for it", "[font][language][pinyin]") {
    test::Kiosk k;
    // OpenCC opened through a gate the test holds: the frames must go on meanwhile.
    std::mutex m;
    std::condition_variable cv;
    bool gate_open = false, asked = false;
    platform::LazyTraditionalScript lazy({}, [&] {
        std::unique_lock lock(m);
        asked = true;
        cv.notify_all();
        cv.wait(lock, [&] { return gate_open; });
        return platform::TraditionalScript::open();
    });
    OpenOnExit open_on_exit{m, cv, gate_open};  // a failed check must not leave the opener waiting for ever
    k.app->set_traditional(static_cast<const platform::TraditionalScript*>(nullptr));
    k.app->set_traditional(&lazy);

    // zh-CN never opens it.
    k.tap("home.tile.enquiries");
    k.tap("enquiry.ask");
    k.type("che");
    auto& question = k.app->features().enquiries.s.question;
    REQUIRE_FALSE(question.candidates.empty());
    CHECK(question.candidates[0] == "车");
    CHECK_FALSE(lazy.pending());
    CHECK(lazy.get() == nullptr);
    k.tap("keyboard.back");
    k.tap("keyboard.back");
    k.tap("keyboard.back");

    // The screen turns zh-TW: the next frame starts opening it, and frames keep coming.
    k.app->state().lang = Lang::ZhTW;
    k.driver->frame();
    {
        std::unique_lock lock(m);
        REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return asked; }));
    }
    CHECK(lazy.pending());
    CHECK(k.app->working());  // scripts and drivers wait for it
    for (const char* key : {"keyboard.C", "keyboard.H", "keyboard.E"}) REQUIRE(k.driver->press(key).ok());
    for (int i = 0; i < 5; ++i) k.driver->frame();
    CHECK(question.pinyin == "che");
    CHECK(question.candidates.empty());  // not simplified ones in a traditional screen

    {
        std::lock_guard lock(m);
        gate_open = true;
    }
    cv.notify_all();
    REQUIRE(test::wait_until([&] { return !lazy.pending(); }, std::chrono::seconds(20)));
    REQUIRE(lazy.get() != nullptr);
    k.driver->frame();
    REQUIRE_FALSE(question.candidates.empty());
    CHECK(question.candidates[0] == "車");
    CHECK_FALSE(k.app->working());
}

TEST_CASE("the first atlas lacks the typing set, and after the full atlas is taken every glyph is there", "[font][atlas]") {
    // As the kiosk starts: the first frame draws from an atlas of what the screens show; the
    // typing set comes with the full atlas, rasterised on a worker and taken between frames.
    auto subset = platform::find_font_subset(KIOSK_FONT_SUBSET_DIR);
    REQUIRE(subset);
    auto typing = typing_of_subset(*subset);
    test::Kiosk k;
    auto shown = ui::kiosk_codepoints(k.catalog, k.store->datasets().display_texts());
    ui::FontBuilder first_builder;
    auto first_set = use_first_atlas(k, first_builder, shown);

    std::set<char32_t> typed_only;
    for (char32_t c : typing)
        if (!shown.count(c)) typed_only.insert(c);
    REQUIRE(typed_only.size() > 3000);  // most of what residents type is in no catalogue
    for (char32_t c : typed_only) {
        INFO(hex(c));
        REQUIRE_FALSE(first_set.normal.typing->FindGlyphNoFallback(static_cast<ImWchar>(c)));
    }
    // A keyboard opened before the full atlas is in: only candidates the first atlas can draw.
    auto& question = k.app->features().enquiries.s.question;
    auto only_shown = [&] {
        for (auto& cand : question.candidates)
            for (char32_t c : utf8_decode(cand))
                if (!shown.count(c)) return false;
        return true;
    };
    k.tap("home.tile.enquiries");
    k.tap("enquiry.ask");
    k.type("xiong");
    const size_t before = question.candidates.size();
    CHECK(only_shown());
    CHECK(k.app->widgets().missing_glyphs().empty());

    auto font = k.font;  // the worker takes its own copy and frees it
    ui::FullAtlas full(std::move(font), shown, typing, 1.0f);
    full.wait();
    CHECK(full.ready());
    auto taken = full.take();
    REQUIRE(taken);
    CHECK_FALSE(full.take());  // once
    CHECK(taken->build_ms > 0);
    // Its pixels come packed (its own are freed): the texture as the GL window unpacks it.
    CHECK(taken->atlas->TexPixelsAlpha8 == nullptr);
    const size_t area = static_cast<size_t>(taken->atlas->TexWidth) * taken->atlas->TexHeight;
    REQUIRE(taken->pixels.size() == area);
    CHECK(taken->pixels.packed_bytes() < area);  // CJK glyphs are dense: ~15 % smaller
    std::vector<unsigned char> unpacked(area);
    ui::PackedAlpha::Reader reader(taken->pixels);
    for (size_t at = 0; at < area; at += 100'003) reader.read(unpacked.data() + at, std::min<size_t>(100'003, area - at));
    CHECK(std::count_if(unpacked.begin(), unpacked.end(), [](unsigned char c) { return c != 0; }) > static_cast<long>(area / 20));
    use_atlas(k, taken->atlas, taken->fonts);
    // The same pinyin, still in its box, offers what the full atlas draws, on the next frame.
    k.driver->frame();
    CHECK(question.pinyin == "xiong");
    CHECK(question.candidates.size() > before);
    CHECK_FALSE(only_shown());
    CHECK(k.app->widgets().missing_glyphs().empty());

    const ui::FontSet& set = k.app->fonts();
    int absent = 0;
    for (char32_t cp : typing)
        for (ImFont* f : {set.normal.typing, set.elder.typing, set.normal.title, set.elder.body, set.elder.title})
            if (!f->FindGlyphNoFallback(static_cast<ImWchar>(cp)))
                if (absent++ < 5) UNSCOPED_INFO("typing glyph missing: " << hex(cp) << " at " << f->FontSize << " px");
    for (char32_t cp : shown)
        if (cp > 0x20)
            for (ImFont* f : {set.normal.body, set.normal.title, set.elder.body, set.elder.title})
                if (!f->FindGlyphNoFallback(static_cast<ImWchar>(cp)))
                    if (absent++ < 10) UNSCOPED_INFO("shown glyph missing: " << hex(cp) << " at " << f->FontSize << " px");
    CHECK(absent == 0);
    // Every screen still draws every glyph, in both modes.
    for (bool elder : {false, true})
        for (auto& stop : ui::screen_tour()) {
            INFO(stop.name << (elder ? ", elder" : ""));
            k.reach(stop, Lang::ZhTW);
            k.app->state().elder = elder;
            k.driver->frame();
            for (auto& m : k.app->widgets().missing_glyphs()) FAIL_CHECK("no glyph for " << m);
        }
}

TEST_CASE("while the full atlas is still rasterised the kiosk draws and answers taps from the first one, and swaps when it is ready", "[font][atlas]") {
    // As the kiosk runs after its first frame: the UI thread asks between frames whether the full
    // atlas is ready and never waits for it. The worker is held by the test before it rasterises;
    // it goes on by itself after 20 s, so a swap that waited would be seen (it would return true
    // late) rather than hang the test.
    auto subset = platform::find_font_subset(KIOSK_FONT_SUBSET_DIR);
    REQUIRE(subset);
    auto typing = typing_of_subset(*subset);
    test::Kiosk k;
    auto shown = ui::kiosk_codepoints(k.catalog, k.store->datasets().display_texts());
    ImGuiIO& io = ImGui::GetIO();
    ui::FontBuilder first_builder;
    use_first_atlas(k, first_builder, shown);
    ImFontAtlas* first = io.Fonts;

    std::mutex m;
    std::condition_variable cv;
    bool held = false, let_go = false;
    std::atomic<int> wakes{0};
    auto font = k.font;
    ui::FullAtlas full(
        std::move(font), shown, typing, 1.0f, [&] { ++wakes; },
        [&] {
            std::unique_lock lock(m);
            held = true;
            cv.notify_all();
            cv.wait_for(lock, std::chrono::seconds(20), [&] { return let_go; });
        });
    OpenOnExit let_go_on_exit{m, cv, let_go};  // a failed check must not leave the worker held
    {
        std::unique_lock lock(m);
        REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return held; }));
    }

    std::vector<std::string> order;
    ui::AtlasSwap swap;
    swap.release_first = [&] {
        CHECK(io.Fonts == first);  // still the first atlas' when its texture goes
        order.push_back("release first");
    };
    swap.upload = [&](ui::FullAtlas::Taken& taken) {
        CHECK(io.Fonts == taken.atlas);
        CHECK(taken.pixels.size() == static_cast<size_t>(taken.atlas->TexWidth) * taken.atlas->TexHeight);
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(2));  // as the GL window does, once uploaded
        order.push_back("upload full");
    };
    // Frames and taps while the worker is held: each frame asks first, as the kiosk's loop does.
    auto frame = [&] {
        bool swapped = ui::swap_in_full_atlas(full, io, *k.app, swap);
        k.driver->frame();
        return swapped;
    };
    CHECK_FALSE(frame());
    k.tap("home.tile.enquiries");
    CHECK_FALSE(frame());
    CHECK(k.screen() == ui::Screen::Enquiries);
    k.tap("enquiry.ask");
    k.type("xiong");
    CHECK_FALSE(frame());
    auto& question = k.app->features().enquiries.s.question;
    CHECK(question.pinyin == "xiong");
    const size_t before = question.candidates.size();
    for (auto& cand : question.candidates)
        for (char32_t c : utf8_decode(cand)) CHECK(shown.count(c));  // only what the first atlas draws
    CHECK(k.app->widgets().missing_glyphs().empty());
    CHECK_FALSE(frame());
    CHECK_FALSE(full.ready());
    CHECK(order.empty());
    CHECK(io.Fonts == first);
    CHECK(wakes == 0);

    {
        std::lock_guard lock(m);
        let_go = true;
    }
    cv.notify_all();
    REQUIRE(test::wait_until([&] { return full.ready() && wakes > 0; }, std::chrono::seconds(60)));
    CHECK(wakes == 1);  // the loop is woken once, so an idle kiosk draws the frame that swaps
    CHECK(frame());
    CHECK(order == std::vector<std::string>{"release first", "upload full"});
    CHECK(io.Fonts != first);
    CHECK(io.Fonts->TexID == reinterpret_cast<ImTextureID>(2));
    CHECK_FALSE(frame());  // once
    CHECK(order.size() == 2);

    // The same pinyin, still in its box, now offers what the full atlas draws.
    CHECK(question.pinyin == "xiong");
    CHECK(question.candidates.size() > before);
    CHECK(k.app->widgets().missing_glyphs().empty());
    const ui::FontSet& set = k.app->fonts();
    int absent = 0;
    for (char32_t cp : typing)
        for (ImFont* f : {set.normal.typing, set.elder.typing, set.normal.title, set.elder.body, set.elder.title})
            if (!f->FindGlyphNoFallback(static_cast<ImWchar>(cp)))
                if (absent++ < 5) UNSCOPED_INFO("typing glyph missing: " << hex(cp) << " at " << f->FontSize << " px");
    CHECK(absent == 0);
    for (ImFont* f : {set.normal.body, set.normal.title, set.elder.body, set.elder.title}) CHECK(f->ContainerAtlas == io.Fonts);
}

TEST_CASE("the full atlas rasterised band by band is the atlas Build() makes, glyph for glyph and pixel for pixel", "[font][atlas]") {
    // The worker never holds the full atlas' plain pixels (peak_rss_mb): it packs and draws the
    // glyphs itself, a band of rows at a time. What it gives must be what ImGui's builder gives.
    auto subset = platform::find_font_subset(KIOSK_FONT_SUBSET_DIR);
    REQUIRE(subset);
    auto typing = typing_of_subset(*subset);
    test::Kiosk k;
    auto shown = ui::kiosk_codepoints(k.catalog, k.store->datasets().display_texts());
    ImFontAtlas plain, banded;
    ui::FontBuilder plain_builder, banded_builder;
    auto plain_set = plain_builder.build(plain, k.font, shown, 1.0f, typing);
    ui::PackedAlpha packed;
    auto banded_set = banded_builder.build(banded, k.font, shown, 1.0f, typing, &packed);
    CHECK(banded.TexPixelsAlpha8 == nullptr);  // never made
    CHECK(banded.IsBuilt());
    REQUIRE(banded.TexWidth == plain.TexWidth);
    REQUIRE(banded.TexHeight == plain.TexHeight);
    CHECK(banded.TexUvWhitePixel.x == plain.TexUvWhitePixel.x);
    CHECK(banded.TexUvWhitePixel.y == plain.TexUvWhitePixel.y);
    CHECK(std::equal(std::begin(banded.TexUvLines), std::end(banded.TexUvLines), std::begin(plain.TexUvLines),
                     [](const ImVec4& a, const ImVec4& b) { return a.x == b.x && a.y == b.y && a.z == b.z && a.w == b.w; }));
    REQUIRE(banded.Fonts.Size == plain.Fonts.Size);
    for (int i = 0; i < plain.Fonts.Size; ++i) {
        const ImFont& a = *plain.Fonts[i];
        const ImFont& b = *banded.Fonts[i];
        INFO("font " << i << ", " << a.FontSize << " px");
        CHECK(a.FontSize == b.FontSize);
        CHECK(a.Ascent == b.Ascent);
        CHECK(a.Descent == b.Descent);
        REQUIRE(a.Glyphs.Size == b.Glyphs.Size);
        int differ = 0;
        for (int g = 0; g < a.Glyphs.Size; ++g) {
            const ImFontGlyph& x = a.Glyphs[g];
            const ImFontGlyph& y = b.Glyphs[g];
            if (x.Codepoint != y.Codepoint || x.Visible != y.Visible || x.AdvanceX != y.AdvanceX || x.X0 != y.X0 ||
                x.Y0 != y.Y0 || x.X1 != y.X1 || x.Y1 != y.Y1 || x.U0 != y.U0 || x.V0 != y.V0 || x.U1 != y.U1 || x.V1 != y.V1)
                if (differ++ < 3) UNSCOPED_INFO("glyph " << hex(x.Codepoint) << " differs");
        }
        CHECK(differ == 0);
    }
    CHECK(banded_set.normal.typing->ContainerAtlas == &banded);
    CHECK(plain_set.normal.typing->ContainerAtlas == &plain);
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    plain.GetTexDataAsAlpha8(&px, &w, &h);
    const size_t area = static_cast<size_t>(w) * h;
    REQUIRE(packed.size() == area);
    std::vector<unsigned char> unpacked(area);
    ui::PackedAlpha::Reader reader(packed);
    for (size_t at = 0; at < area; at += 65'536) reader.read(unpacked.data() + at, std::min<size_t>(65'536, area - at));
    size_t differ = 0;
    for (size_t i = 0; i < area; ++i)
        if (unpacked[i] != px[i] && differ++ < 3) UNSCOPED_INFO("pixel " << i % w << "," << i / w << ": " << int(unpacked[i]) << " vs " << int(px[i]));
    CHECK(differ == 0);
    CHECK(std::count_if(unpacked.begin(), unpacked.end(), [](unsigned char c) { return c != 0; }) > static_cast<long>(area / 20));
}

TEST_CASE("packed atlas pixels read back as they were, in any slices", "[font][atlas]") {
    std::vector<unsigned char> px(70'001, 0);
    for (size_t i = 0; i < px.size(); ++i)
        if ((i / 37) % 3 == 1 || i % 101 == 0 || (i > 50'000 && i % 5 < 2)) px[i] = static_cast<unsigned char>(1 + i % 250);
    px.back() = 0;
    ui::PackedAlpha packed(px.data(), px.size());
    CHECK(packed.size() == px.size());
    CHECK(packed.packed_bytes() < px.size());
    for (size_t slice : {size_t{1}, size_t{7}, size_t{4096}, px.size()}) {
        INFO("slices of " << slice);
        std::vector<unsigned char> back(px.size(), 9);
        ui::PackedAlpha::Reader r(packed);
        for (size_t at = 0; at < back.size(); at += slice) r.read(back.data() + at, std::min(slice, back.size() - at));
        CHECK(back == px);
    }
    ui::PackedAlpha empty(px.data(), 0);
    unsigned char one = 5;
    ui::PackedAlpha::Reader r(empty);
    r.read(&one, 1);
    CHECK(one == 0);
}
