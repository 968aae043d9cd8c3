// Sections: code points and glyph checks; FontBuilder (the atlas' sizes); build_atlas_in_bands
// (the full atlas rasterised a band of rows at a time, never as plain pixels); FullAtlas (its
// worker) and swap_in_full_atlas; PackedAlpha (deflated pixels, Writer and Reader).
#include "kiosk/ui/fonts.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <imgui_internal.h>  // ImFontAtlasBuildInit, ImFontAtlasBuildSetupFont, ImFontAtlasBuildFinish
#include <stb_rect_pack.h>
#include <stb_truetype.h>  // Debian: libstb provides what libimgui.a links

#include "kiosk/core/text.hpp"

namespace kiosk::ui {

std::set<char32_t> kiosk_codepoints(const Catalog& catalog, const std::vector<std::string>& extra) {
    std::set<char32_t> cps;
    for (char32_t c = 0x20; c < 0x7F; ++c) cps.insert(c);
    auto add = [&](const std::string& s) {
        for (char32_t c : utf8_decode(s))
            if (c >= 0x20 && c != 0xFFFD) cps.insert(c);
    };
    for (Lang l : kAllLangs)
        for (auto& [k, v] : catalog.strings(l)) add(v);
    for (auto& s : extra) add(s);
    return cps;
}

std::set<char32_t> missing_glyphs(const FontBytes& font, const std::set<char32_t>& wanted) {
    std::set<char32_t> missing;
    stbtt_fontinfo info;
    int offset = stbtt_GetFontOffsetForIndex(font.data.data(), font.face_index);
    if (offset < 0 || !stbtt_InitFont(&info, font.data.data(), offset)) return wanted;
    for (char32_t c : wanted)
        if (c > 0x20 && stbtt_FindGlyphIndex(&info, static_cast<int>(c)) == 0) missing.insert(c);
    return missing;
}

std::set<char32_t> codepoints_of_text(const std::string& text) {
    std::set<char32_t> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (!line.empty() && line[0] != '#')
            for (char32_t c : utf8_decode(line))
                if (c > 0x20 && c != 0xFFFD) out.insert(c);
        start = end + 1;
    }
    return out;
}

ImFont* add_scaled_font(ImFontAtlas& atlas, const ImFont& base, float px) {
    const float k = px / base.FontSize;
    ImFont* f = IM_NEW(ImFont)();
    f->FontSize = px;
    f->ContainerAtlas = &atlas;
    f->ConfigData = base.ConfigData;
    f->ConfigDataCount = base.ConfigDataCount;
    f->FallbackChar = base.FallbackChar;
    f->EllipsisChar = base.EllipsisChar;
    f->DotChar = base.DotChar;
    f->Ascent = base.Ascent * k;
    f->Descent = base.Descent * k;
    f->MetricsTotalSurface = 0;  // it adds nothing to the texture
    f->Glyphs = base.Glyphs;     // the same texture rectangles (U, V), drawn k times larger
    for (ImFontGlyph& g : f->Glyphs) {
        g.X0 *= k;
        g.Y0 *= k;
        g.X1 *= k;
        g.Y1 *= k;
        g.AdvanceX *= k;
    }
    f->BuildLookupTable();
    atlas.Fonts.push_back(f);  // the atlas frees it with its own fonts
    return f;
}

void borrow_glyphs(ImFont& into, const ImFont& from) {
    const float k = into.FontSize / from.FontSize;
    int added = 0;
    for (const ImFontGlyph& g : from.Glyphs) {
        if (g.Codepoint <= 0x20 || into.FindGlyphNoFallback(static_cast<ImWchar>(g.Codepoint))) continue;
        // No config: the advance is taken as it is, already snapped when `from` was built.
        into.AddGlyph(nullptr, static_cast<ImWchar>(g.Codepoint), g.X0 * k, g.Y0 * k, g.X1 * k, g.Y1 * k, g.U0, g.V0,
                      g.U1, g.V1, g.AdvanceX * k);
        ++added;
    }
    if (added) into.BuildLookupTable();
}

FontSet FontBuilder::build(ImFontAtlas& atlas, FontBytes& font, const std::set<char32_t>& codepoints, float scale,
                           const std::set<char32_t>& typing, PackedAlpha* packed) {
    auto ranges = [](ImVector<ImWchar>& out, std::initializer_list<const std::set<char32_t>*> sets) {
        ImFontGlyphRangesBuilder b;
        for (auto* s : sets)
            for (char32_t c : *s)
                if (c <= 0xFFFF) b.AddChar(static_cast<ImWchar>(c));
        out.clear();
        b.BuildRanges(&out);
    };
    ranges(m_ranges, {&codepoints});
    ranges(m_body_ranges, {&codepoints, &typing});

    static const ImWchar kAscii[] = {0x20, 0x7E, 0};
    auto add = [&](float px, const ImWchar* ranges) {
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;  // one file serves every size (see below)
        cfg.FontNo = font.face_index;
        cfg.OversampleH = 1;               // CJK at these sizes needs no sub-pixel oversampling
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        ImFont* f = atlas.AddFontFromMemoryTTF(font.data.data(), static_cast<int>(font.data.size()), px * scale, &cfg,
                                               ranges);
        // ImGui 1.86 copies a file it does not own, once per size (4 x 1 MB held until the glyphs
        // are rasterised): each size reads `font` instead, and the copy goes at once.
        ImFontConfig& added = atlas.ConfigData.back();
        if (added.FontDataOwnedByAtlas && added.FontData != font.data.data()) {
            IM_FREE(added.FontData);
            added.FontData = font.data.data();
            added.FontDataOwnedByAtlas = false;
        }
        return f;
    };
    // Two rasterised sizes of the catalogue's characters: body 34 (with what residents type) and
    // title 50, which is also the elder body (1.47x). The elder title (75) draws the title's glyphs
    // 1.5x larger instead of a third atlas of the same characters (it was ~40 % of the texture).
    // The digit sizes (keypads, typed codes) carry ASCII only, rasterised at their own sizes.
    FontSet set;
    ImFont* body = add(34, m_body_ranges.Data);
    ImFont* title = add(50, m_ranges.Data);
    ImFont* big = add(60, kAscii);
    ImFont* elder_big = add(90, kAscii);
    atlas.TexGlyphPadding = 1;
    // No power-of-two rounding of the height: it wastes up to half the atlas (GL 3 takes any size).
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors | ImFontAtlasFlags_NoPowerOfTwoHeight;
    if (!packed || !build_atlas_in_bands(atlas, *packed)) atlas.Build();  // (a failed banded build: plain pixels)
    // Typed text shows at body size, but a read-back or a list in elder mode draws it with the
    // elder body (the title size): the typing set is borrowed from the body size, drawn 1.47x,
    // rather than rasterised a second time (5,000 glyphs at 50 px would double the atlas).
    borrow_glyphs(*title, *body);
    ImFont* elder_title = add_scaled_font(atlas, *title, 75 * scale);
    set.normal = {body, title, big, body};
    // Elder mode types at its own body size (the title size, with the borrowed typing set), as
    // every other elder text: typed Chinese is not the one thing left at 34 px.
    set.elder = {title, elder_title, elder_big, title};
    return set;
}

namespace {

// One font size's glyphs: what the font file says of each and where each goes in the texture.
struct BandSource {
    stbtt_fontinfo info{};
    float scale = 0;
    std::vector<ImWchar> codepoints;
    std::vector<int> glyphs;
    std::vector<stbrp_rect> rects;  // packed: the glyph at (x + pad, y + pad), (w - pad) x (h - pad)
};

bool bands_can_build(const ImFontAtlas& atlas) {
    if (atlas.ConfigData.empty()) return false;
    for (const ImFontConfig& cfg : atlas.ConfigData)
        if (cfg.MergeMode || cfg.OversampleH != 1 || cfg.OversampleV != 1 || cfg.RasterizerMultiply != 1.0f ||
            !cfg.DstFont || !cfg.FontData || cfg.SizePixels <= 0)
            return false;
    return true;
}

}  // namespace

// False when the face cannot be read or the glyphs do not fit a texture: FontBuilder then builds
// the plain way.
bool build_atlas_in_bands(ImFontAtlas& atlas, PackedAlpha& out) {
    if (!bands_can_build(atlas)) {  // not FontBuilder's kind of atlas: the plain way, packed after
        if (!atlas.Build()) return false;
        out = PackedAlpha(atlas.TexPixelsAlpha8, static_cast<size_t>(atlas.TexWidth) * atlas.TexHeight);
        atlas.ClearTexData();
        return true;
    }
    ImFontAtlasBuildInit(&atlas);  // the white pixel's and the baked lines' rectangles
    atlas.TexID = ImTextureID{};
    atlas.TexWidth = atlas.TexHeight = 0;
    atlas.TexUvScale = atlas.TexUvWhitePixel = ImVec2(0, 0);
    atlas.ClearTexData();
    const int pad = atlas.TexGlyphPadding;

    // 1. Each size's glyphs (those the face has) and the rectangle each needs.
    std::vector<BandSource> src(static_cast<size_t>(atlas.ConfigData.Size));
    size_t surface = 0;
    for (int i = 0; i < atlas.ConfigData.Size; ++i) {
        const ImFontConfig& cfg = atlas.ConfigData[i];
        BandSource& s = src[static_cast<size_t>(i)];
        const auto* data = static_cast<const unsigned char*>(cfg.FontData);
        const int offset = stbtt_GetFontOffsetForIndex(data, cfg.FontNo);
        if (offset < 0 || !stbtt_InitFont(&s.info, data, offset)) return false;
        s.scale = stbtt_ScaleForPixelHeight(&s.info, cfg.SizePixels);
        std::vector<bool> seen(0x10000);
        for (const ImWchar* r = cfg.GlyphRanges ? cfg.GlyphRanges : atlas.GetGlyphRangesDefault(); r[0] && r[1]; r += 2)
            for (unsigned c = r[0]; c <= r[1]; ++c) {
                if (seen[c]) continue;
                seen[c] = true;
                const int g = stbtt_FindGlyphIndex(&s.info, static_cast<int>(c));
                if (!g) continue;
                int x0, y0, x1, y1;
                stbtt_GetGlyphBitmapBoxSubpixel(&s.info, g, s.scale, s.scale, 0, 0, &x0, &y0, &x1, &y1);
                stbrp_rect rect{};
                rect.id = static_cast<int>(s.rects.size());
                rect.w = static_cast<stbrp_coord>(x1 - x0 + pad);
                rect.h = static_cast<stbrp_coord>(y1 - y0 + pad);
                surface += static_cast<size_t>(rect.w) * rect.h;
                s.codepoints.push_back(static_cast<ImWchar>(c));
                s.glyphs.push_back(g);
                s.rects.push_back(rect);
            }
    }

    // 2. Packed as ImGui's own builder packs them: its width for this surface, the white pixel
    // and lines first, then each size in code point order.
    const int root = static_cast<int>(std::sqrt(static_cast<double>(surface))) + 1;
    const int width = atlas.TexDesiredWidth > 0 ? atlas.TexDesiredWidth
                      : root >= 4096 * 0.7 ? 4096 : root >= 2048 * 0.7 ? 2048 : root >= 1024 * 0.7 ? 1024 : 512;
    constexpr int kMaxHeight = 1024 * 32;
    std::vector<stbrp_node> nodes(static_cast<size_t>(width - pad));
    stbrp_context pack;
    stbrp_init_target(&pack, width - pad, kMaxHeight - pad, nodes.data(), static_cast<int>(nodes.size()));
    int height = 0, tallest = 0;
    std::vector<stbrp_rect> custom(static_cast<size_t>(atlas.CustomRects.Size));
    for (size_t i = 0; i < custom.size(); ++i) {
        custom[i].id = static_cast<int>(i);
        custom[i].w = static_cast<stbrp_coord>(atlas.CustomRects[static_cast<int>(i)].Width);
        custom[i].h = static_cast<stbrp_coord>(atlas.CustomRects[static_cast<int>(i)].Height);
    }
    if (!custom.empty()) stbrp_pack_rects(&pack, custom.data(), static_cast<int>(custom.size()));
    for (size_t i = 0; i < custom.size(); ++i) {
        if (!custom[i].was_packed) return false;
        atlas.CustomRects[static_cast<int>(i)].X = static_cast<unsigned short>(custom[i].x);
        atlas.CustomRects[static_cast<int>(i)].Y = static_cast<unsigned short>(custom[i].y);
        height = std::max(height, custom[i].y + custom[i].h);
        tallest = std::max(tallest, custom[i].y + custom[i].h);  // drawn into the first band
    }
    for (BandSource& s : src) {
        if (s.rects.empty()) continue;
        stbrp_pack_rects(&pack, s.rects.data(), static_cast<int>(s.rects.size()));
        for (const stbrp_rect& r : s.rects) {
            if (!r.was_packed) return false;
            height = std::max(height, r.y + r.h);
            tallest = std::max(tallest, static_cast<int>(r.h));
        }
    }
    nodes = {};
    height = (atlas.Flags & ImFontAtlasFlags_NoPowerOfTwoHeight) ? height + 1 : ImUpperPowerOfTwo(height);
    atlas.TexWidth = width;
    atlas.TexHeight = height;
    atlas.TexUvScale = ImVec2(1.0f / width, 1.0f / height);

    // 3. The glyphs' geometry and texture rectangles, as ImGui's builder gives them.
    for (int i = 0; i < atlas.ConfigData.Size; ++i) {
        ImFontConfig& cfg = atlas.ConfigData[i];
        const BandSource& s = src[static_cast<size_t>(i)];
        int ascent, descent, gap;
        stbtt_GetFontVMetrics(&s.info, &ascent, &descent, &gap);
        ImFontAtlasBuildSetupFont(&atlas, cfg.DstFont, &cfg, ImFloor(ascent * s.scale + (ascent > 0 ? 1 : -1)),
                                  ImFloor(descent * s.scale + (descent > 0 ? 1 : -1)));
        const float off_x = cfg.GlyphOffset.x, off_y = cfg.GlyphOffset.y + IM_ROUND(cfg.DstFont->Ascent);
        for (size_t k = 0; k < s.rects.size(); ++k) {
            const stbrp_rect& r = s.rects[k];
            int x0, y0, x1, y1, advance, lsb;
            stbtt_GetGlyphBitmapBoxSubpixel(&s.info, s.glyphs[k], s.scale, s.scale, 0, 0, &x0, &y0, &x1, &y1);
            stbtt_GetGlyphHMetrics(&s.info, s.glyphs[k], &advance, &lsb);
            const float w = static_cast<float>(r.w - pad), h = static_cast<float>(r.h - pad);
            cfg.DstFont->AddGlyph(&cfg, s.codepoints[k], x0 + off_x, y0 + off_y, x0 + w + off_x, y0 + h + off_y,
                                  (r.x + pad) * atlas.TexUvScale.x, (r.y + pad) * atlas.TexUvScale.y,
                                  (r.x + r.w) * atlas.TexUvScale.x, (r.y + r.h) * atlas.TexUvScale.y,
                                  static_cast<float>(advance) * s.scale);
        }
    }

    // 4. The pixels, band by band: a glyph is drawn whole into the band its top row is in; the
    // buffer holds a band and the tallest glyph below it, and moves on by a band at a time.
    const int band = std::max(16, (256 * 1024) / width);
    const int rows = band + tallest;
    std::vector<unsigned char> buf(static_cast<size_t>(width) * rows, 0);
    atlas.TexPixelsAlpha8 = buf.data();  // the white pixel and the lines are drawn into the top band
    ImFontAtlasBuildFinish(&atlas);      // ... and the fonts' lookup tables made
    atlas.TexPixelsAlpha8 = nullptr;
    atlas.TexReady = true;
    struct Item {
        int y;
        unsigned src;
        unsigned k;
    };
    std::vector<Item> items;
    for (size_t i = 0; i < src.size(); ++i)
        for (size_t k = 0; k < src[i].rects.size(); ++k)
            items.push_back({src[i].rects[k].y, static_cast<unsigned>(i), static_cast<unsigned>(k)});
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.y < b.y; });
    PackedAlpha::Writer writer;
    size_t next = 0;
    const size_t band_bytes = static_cast<size_t>(width) * band;
    for (int y0 = 0; y0 < height; y0 += band) {
        for (; next < items.size() && items[next].y < y0 + band; ++next) {
            const BandSource& s = src[items[next].src];
            const stbrp_rect& r = s.rects[items[next].k];
            unsigned char* at = buf.data() + static_cast<size_t>(r.y + pad - y0) * width + r.x + pad;
            stbtt_MakeGlyphBitmapSubpixel(&s.info, at, r.w - pad, r.h - pad, width, s.scale, s.scale, 0, 0,
                                          s.glyphs[items[next].k]);
        }
        writer.write(buf.data(), static_cast<size_t>(std::min(band, height - y0)) * width);
        std::memmove(buf.data(), buf.data() + band_bytes, buf.size() - band_bytes);
        std::memset(buf.data() + buf.size() - band_bytes, 0, band_bytes);
    }
    out = writer.finish();
    return true;
}

FullAtlas::FullAtlas(FontBytes font, std::set<char32_t> codepoints, std::set<char32_t> typing, float scale,
                     std::function<void()> on_ready, std::function<void()> before_build)
    : m_font(std::move(font)), m_codepoints(std::move(codepoints)), m_typing(std::move(typing)) {
    m_atlas = IM_NEW(ImFontAtlas)();
    m_worker = std::thread([this, scale, on_ready = std::move(on_ready), before_build = std::move(before_build)] {
        if (before_build) before_build();
        auto t0 = std::chrono::steady_clock::now();
        auto thread_cpu_ms = [] {
            timespec t{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
            return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
        };
        const double c0 = thread_cpu_ms();
        // Rasterised band by band straight into its packed form: the atlas never holds its plain
        // pixels (TexReady is set; the caller uploads `pixels`).
        PackedAlpha packed;
        FontSet fonts = m_builder.build(*m_atlas, m_font, m_codepoints, scale, m_typing, &packed);
        if (m_atlas->TexPixelsAlpha8) {  // the banded build could not: packed from the plain pixels
            packed = PackedAlpha(m_atlas->TexPixelsAlpha8, static_cast<size_t>(m_atlas->TexWidth) * m_atlas->TexHeight, true);
            m_atlas->ClearTexData();
        }
        // The glyph lists, the font file and the code point sets are not needed again.
        m_atlas->ClearInputData();
        std::vector<unsigned char>().swap(m_font.data);
        std::set<char32_t>().swap(m_typing);
        std::set<char32_t>().swap(m_codepoints);
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        {
            std::lock_guard lock(m_mu);
            m_fonts = fonts;
            m_pixels = std::move(packed);
            m_build_ms = ms;
            m_build_cpu_ms = thread_cpu_ms() - c0;
            m_ready = true;
        }
        m_cv.notify_all();
        if (on_ready) on_ready();
    });
}

FullAtlas::~FullAtlas() {
    if (m_worker.joinable()) m_worker.join();
    if (!m_taken && m_atlas) IM_DELETE(m_atlas);
}

bool FullAtlas::ready() const {
    std::lock_guard lock(m_mu);
    return m_ready;
}

void FullAtlas::wait() {
    std::unique_lock lock(m_mu);
    m_cv.wait(lock, [&] { return m_ready; });
}

std::optional<FullAtlas::Taken> FullAtlas::take() {
    std::lock_guard lock(m_mu);
    if (!m_ready || m_taken) return std::nullopt;
    m_taken = true;
    return Taken{m_atlas, m_fonts, std::move(m_pixels), m_build_ms, m_build_cpu_ms};
}

bool swap_in_full_atlas(FullAtlas& full, ImGuiIO& io, KioskApp& app, const AtlasSwap& swap) {
    auto taken = full.take();  // nullopt while rasterising: no waiting here
    if (!taken) return false;
    if (swap.release_first) swap.release_first();
    IM_DELETE(io.Fonts);  // the first atlas' glyph tables; NewFrame picks the new default font
    io.Fonts = taken->atlas;
    if (swap.upload) swap.upload(*taken);
    taken->pixels = {};
    app.set_fonts(taken->fonts);
    return true;
}

PackedAlpha::Writer::Writer() {
    if (deflateInit(&m_z, Z_BEST_SPEED) != Z_OK) throw std::bad_alloc();
    m_open = true;
}

PackedAlpha::Writer::~Writer() {
    if (m_open) deflateEnd(&m_z);
    std::free(m_data);
}

void PackedAlpha::Writer::pump(int flush) {
    for (;;) {
        if (m_z.avail_out == 0) {
            // Grown by doubling: a big block is mapped on its own, so realloc moves no bytes and
            // only the pages written become resident.
            const size_t used = m_cap - m_z.avail_out;
            const size_t cap = m_cap ? m_cap * 2 : size_t{1} << 20;
            auto* grown = static_cast<unsigned char*>(std::realloc(m_data, cap));
            if (!grown) throw std::bad_alloc();
            m_data = grown;
            m_cap = cap;
            m_z.next_out = m_data + used;
            m_z.avail_out = static_cast<uInt>(cap - used);
        }
        const int rc = deflate(&m_z, flush);
        if (rc == Z_STREAM_ERROR) throw std::bad_alloc();  // our own stream: cannot happen
        if (flush == Z_FINISH ? rc == Z_STREAM_END : (m_z.avail_in == 0 && m_z.avail_out > 0)) return;
    }
}

void PackedAlpha::Writer::write(const unsigned char* px, size_t n) {
    m_size += n;
    while (n > 0) {
        const size_t k = std::min<size_t>(n, 1u << 30);
        m_z.next_in = const_cast<unsigned char*>(px);
        m_z.avail_in = static_cast<uInt>(k);
        pump(Z_NO_FLUSH);
        px += k;
        n -= k;
    }
}

PackedAlpha PackedAlpha::Writer::finish() {
    PackedAlpha p;
    if (!m_open) return p;
    m_z.next_in = nullptr;
    m_z.avail_in = 0;
    pump(Z_FINISH);
    p.m_bytes = m_z.total_out;
    p.m_size = m_size;
    deflateEnd(&m_z);
    m_open = false;
    if (void* fit = std::realloc(m_data, std::max<size_t>(p.m_bytes, 1))) m_data = static_cast<unsigned char*>(fit);
    p.m_data = std::exchange(m_data, nullptr);
    m_cap = 0;
    if (p.m_size == 0) p = PackedAlpha();
    return p;
}

PackedAlpha::PackedAlpha(const unsigned char* px, size_t n, bool give_back) {
    if (n == 0) return;
    Writer w;
    const long page = sysconf(_SC_PAGESIZE);
    const uintptr_t first_page = (reinterpret_cast<uintptr_t>(px) + page - 1) / page * page;
    constexpr size_t kStep = 1 << 20;
    for (size_t at = 0; at < n; at += kStep) {
        const size_t k = std::min(kStep, n - at);
        w.write(px + at, k);
        // deflate keeps its own window: the pixels read so far are not looked at again.
        const uintptr_t end = reinterpret_cast<uintptr_t>(px + at + k) / page * page;
        if (give_back && end > first_page) madvise(reinterpret_cast<void*>(first_page), end - first_page, MADV_DONTNEED);
    }
    *this = w.finish();
}

PackedAlpha::~PackedAlpha() { std::free(m_data); }

PackedAlpha::PackedAlpha(PackedAlpha&& o) noexcept
    : m_data(std::exchange(o.m_data, nullptr)), m_bytes(std::exchange(o.m_bytes, 0)), m_size(std::exchange(o.m_size, 0)) {}

PackedAlpha& PackedAlpha::operator=(PackedAlpha&& o) noexcept {
    if (this != &o) {
        std::free(m_data);
        m_data = std::exchange(o.m_data, nullptr);
        m_bytes = std::exchange(o.m_bytes, 0);
        m_size = std::exchange(o.m_size, 0);
    }
    return *this;
}

PackedAlpha::Reader::Reader(const PackedAlpha& p) {
    if (!p.m_data || inflateInit(&m_z) != Z_OK) return;
    m_z.next_in = p.m_data;
    m_z.avail_in = static_cast<uInt>(p.m_bytes);
    m_open = true;
}

PackedAlpha::Reader::~Reader() {
    if (m_open) inflateEnd(&m_z);
}

void PackedAlpha::Reader::read(unsigned char* out, size_t n) {
    m_z.next_out = out;
    m_z.avail_out = static_cast<uInt>(n);
    while (m_open && !m_ended && m_z.avail_out > 0) {
        int rc = inflate(&m_z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) m_ended = true;
        else if (rc != Z_OK) break;  // our own bytes: cannot happen; the rest reads as empty
    }
    std::fill_n(m_z.next_out ? m_z.next_out : out, m_z.avail_out, 0);  // past the end: empty pixels
}

}  // namespace kiosk::ui
