#include "kiosk/ui/fonts.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

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
                           const std::set<char32_t>& typing) {
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
    atlas.Build();
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

FullAtlas::FullAtlas(FontBytes font, std::set<char32_t> codepoints, std::set<char32_t> typing, float scale,
                     std::function<void()> on_ready)
    : m_font(std::move(font)), m_codepoints(std::move(codepoints)), m_typing(std::move(typing)) {
    m_atlas = IM_NEW(ImFontAtlas)();
    m_worker = std::thread([this, scale, on_ready = std::move(on_ready)] {
        auto t0 = std::chrono::steady_clock::now();
        FontSet fonts = m_builder.build(*m_atlas, m_font, m_codepoints, scale, m_typing);
        // The pixels stay, packed; the glyph lists, the font file and the code point sets are not needed again.
        m_atlas->ClearInputData();
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        m_atlas->GetTexDataAsAlpha8(&px, &w, &h);
        PackedAlpha packed(px, static_cast<size_t>(w) * h, true);
        m_atlas->ClearTexData();  // TexReady stays set: the caller uploads `pixels` instead
        std::vector<unsigned char>().swap(m_font.data);
        std::set<char32_t>().swap(m_typing);
        std::set<char32_t>().swap(m_codepoints);
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        {
            std::lock_guard lock(m_mu);
            m_fonts = fonts;
            m_pixels = std::move(packed);
            m_build_ms = ms;
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
    return Taken{m_atlas, m_fonts, std::move(m_pixels), m_build_ms};
}

PackedAlpha::PackedAlpha(const unsigned char* px, size_t n, bool give_back) : m_size(n) {
    if (n == 0) return;
    z_stream z{};
    if (deflateInit(&z, Z_BEST_SPEED) != Z_OK) throw std::bad_alloc();
    // As large as deflate can ever make it, but only the pages written become resident, and the
    // tail goes back at the end (realloc of a mapped block shrinks it in place).
    size_t cap = deflateBound(&z, static_cast<uLong>(n));
    m_data = static_cast<unsigned char*>(std::malloc(cap));
    if (!m_data) {
        deflateEnd(&z);
        throw std::bad_alloc();
    }
    z.next_out = m_data;
    z.avail_out = static_cast<uInt>(cap);
    const long page = sysconf(_SC_PAGESIZE);
    const uintptr_t first_page = (reinterpret_cast<uintptr_t>(px) + page - 1) / page * page;
    constexpr size_t kStep = 1 << 20;
    for (size_t at = 0; at < n; at += kStep) {
        const size_t k = std::min(kStep, n - at);
        z.next_in = const_cast<unsigned char*>(px + at);
        z.avail_in = static_cast<uInt>(k);
        deflate(&z, at + k == n ? Z_FINISH : Z_NO_FLUSH);
        // deflate keeps its own window: the pixels read so far are not looked at again.
        const uintptr_t end = reinterpret_cast<uintptr_t>(px + at + k) / page * page;
        if (give_back && end > first_page) madvise(reinterpret_cast<void*>(first_page), end - first_page, MADV_DONTNEED);
    }
    m_bytes = z.total_out;
    deflateEnd(&z);
    if (void* fit = std::realloc(m_data, std::max<size_t>(m_bytes, 1))) m_data = static_cast<unsigned char*>(fit);
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
