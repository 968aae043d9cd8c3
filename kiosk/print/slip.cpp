#include "kiosk/print/slip.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC  // Dear ImGui carries its own copy; keep ours private to this file
#include <stb/stb_truetype.h>
#include <stb/stb_image_write.h>

#include "kiosk/core/qr.hpp"
#include "kiosk/core/text.hpp"

namespace kiosk::print {

struct SlipFont::Impl {
    std::vector<unsigned char> data;
    stbtt_fontinfo info{};
};

SlipFont::~SlipFont() = default;

Result<std::shared_ptr<const SlipFont>> SlipFont::load(const std::string& path, int face_index) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"print.error.font", "cannot read font " + path};
    auto impl = std::make_unique<Impl>();
    impl->data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    int offset = stbtt_GetFontOffsetForIndex(impl->data.data(), face_index);
    if (offset < 0 || !stbtt_InitFont(&impl->info, impl->data.data(), offset))
        return Error{"print.error.font", "not a usable TrueType face: " + path};
    std::shared_ptr<SlipFont> f(new SlipFont());
    f->m = std::move(impl);
    return std::shared_ptr<const SlipFont>(std::move(f));
}

namespace {

constexpr int kMargin = 8;        // dots left and right: thermal heads fade at the edge
constexpr int kGap = 10;          // between blocks
constexpr int kBarHeight = 90;    // Code 128 bar height: ~11 mm, sweeps easily with a hand scanner
constexpr int kBarQuiet = 10;     // modules of quiet zone each side, as Code 128 asks

int pixel_height(TextSize s) {
    switch (s) {
        case TextSize::Small: return 24;
        case TextSize::Normal: return 30;
        case TextSize::Large: return 44;
        case TextSize::Huge: return 96;
    }
    return 30;
}

class Canvas {
public:
    explicit Canvas(int width) : m_width(width) {}
    int width() const { return m_width; }
    int height() const { return m_height; }
    void grow(int rows) {
        m_height += rows;
        m_ink.resize(static_cast<size_t>(m_height) * m_width, 0);
    }
    void set(int x, int y) {
        if (x >= 0 && x < m_width && y >= 0 && y < m_height) m_ink[static_cast<size_t>(y) * m_width + x] = 1;
    }
    void fill(int x, int y, int w, int h) {
        for (int yy = y; yy < y + h; ++yy)
            for (int xx = x; xx < x + w; ++xx) set(xx, yy);
    }
    Bitmap take() { return Bitmap{m_width, m_height, std::move(m_ink)}; }

private:
    int m_width, m_height = 0;
    std::vector<uint8_t> m_ink;
};

struct Glyph {
    char32_t cp;
    int advance;  // dots
};

bool no_line_start(char32_t cp) {
    static constexpr std::u32string_view kClosing = U"。，、；：？！）」』》〉】”’,.;:?!)";
    return kClosing.find(cp) != std::u32string_view::npos;
}

// Splits text into lines no wider than `max_w`: Chinese breaks between any two characters, Latin
// words break at spaces (a word wider than the line is cut).
std::vector<std::vector<Glyph>> wrap(const stbtt_fontinfo& f, float scale, const std::string& text, int max_w) {
    std::vector<Glyph> glyphs;
    for (char32_t cp : utf8_decode(text)) {
        int adv = 0, lsb = 0;
        stbtt_GetCodepointHMetrics(&f, static_cast<int>(cp), &adv, &lsb);
        glyphs.push_back({cp, static_cast<int>(adv * scale + 0.5f)});
    }
    std::vector<std::vector<Glyph>> lines(1);
    int line_w = 0;
    size_t i = 0;
    while (i < glyphs.size()) {
        if (glyphs[i].cp == U'\n') {
            lines.emplace_back();
            line_w = 0;
            ++i;
            continue;
        }
        // One unit: a Latin word (with its trailing space) or one CJK character.
        size_t j = i + 1;
        if (glyphs[i].cp < 0x2E80) {
            while (j < glyphs.size() && glyphs[j].cp < 0x2E80 && glyphs[j].cp != U' ' && glyphs[j].cp != U'\n' &&
                   glyphs[j - 1].cp != U' ')
                ++j;
            if (j < glyphs.size() && glyphs[j].cp == U' ') ++j;
        }
        int unit_w = 0;
        for (size_t k = i; k < j; ++k) unit_w += glyphs[k].advance;
        if (line_w + unit_w > max_w && line_w > 0) {
            // Closing punctuation never starts a line: the character before it comes along.
            std::vector<Glyph> carried;
            char32_t next = glyphs[i].cp;
            while (no_line_start(next) && lines.back().size() > 1) {
                carried.insert(carried.begin(), lines.back().back());
                lines.back().pop_back();
                next = carried.front().cp;
            }
            lines.emplace_back(carried);
            line_w = 0;
            for (auto& g : carried) line_w += g.advance;
            if (glyphs[i].cp == U' ') { ++i; continue; }
        }
        for (size_t k = i; k < j; ++k) {
            if (line_w + glyphs[k].advance > max_w && line_w > 0) {
                lines.emplace_back();
                line_w = 0;
            }
            lines.back().push_back(glyphs[k]);
            line_w += glyphs[k].advance;
        }
        i = j;
    }
    return lines;
}

void draw_text(Canvas& c, const stbtt_fontinfo& f, const SlipText& t) {
    int px = pixel_height(t.size);
    float scale = stbtt_ScaleForPixelHeight(&f, static_cast<float>(px));
    int ascent = 0, descent = 0, gap = 0;
    stbtt_GetFontVMetrics(&f, &ascent, &descent, &gap);
    int baseline = static_cast<int>(ascent * scale + 0.5f);
    int line_h = static_cast<int>((ascent - descent) * scale + 0.5f) + 4;
    int max_w = c.width() - 2 * kMargin;
    for (const auto& line : wrap(f, scale, t.text, max_w)) {
        int w = 0;
        for (auto& g : line) w += g.advance;
        int x = t.align == Align::Centre ? (c.width() - w) / 2 : kMargin;
        int top = c.height();
        c.grow(line_h);
        for (auto& g : line) {
            int gw = 0, gh = 0, xoff = 0, yoff = 0;
            unsigned char* bmp = stbtt_GetCodepointBitmap(&f, 0, scale, static_cast<int>(g.cp), &gw, &gh, &xoff, &yoff);
            if (bmp) {
                for (int yy = 0; yy < gh; ++yy)
                    for (int xx = 0; xx < gw; ++xx)
                        if (bmp[yy * gw + xx] >= 110) c.set(x + xoff + xx, top + baseline + yoff + yy);
                stbtt_FreeBitmap(bmp, nullptr);
            }
            x += g.advance;
        }
    }
}

Result<Ok> draw_code128(Canvas& c, const stbtt_fontinfo& f, const SlipCode128& b) {
    auto bars = make_code128(b.payload);
    if (!bars) return bars.error();
    int modules = static_cast<int>(bars.value().size()) + 2 * kBarQuiet;
    int module_w = std::min(4, (c.width() - 2 * kMargin) / modules);
    // Under 2 dots (0.25 mm) a bar is narrower than most scanners resolve from a thermal print.
    if (module_w < 2)
        return Error{"print.error.barcode_too_long", "Code 128 of \"" + b.payload + "\" does not fit at 2 dots a module"};
    int w = static_cast<int>(bars.value().size()) * module_w;
    int x0 = (c.width() - w) / 2;
    int top = c.height();
    c.grow(kBarHeight);
    for (size_t i = 0; i < bars.value().size(); ++i)
        if (bars.value()[i]) c.fill(x0 + static_cast<int>(i) * module_w, top, module_w, kBarHeight);
    draw_text(c, f, SlipText{b.payload, TextSize::Small, Align::Centre});
    return Ok{};
}

Result<Ok> draw_qr(Canvas& c, const SlipQr& q) {
    auto m = make_qr(q.payload);
    if (!m) return m.error();
    int size = m.value().size;
    // About 30 mm square on either paper; never under 4 dots (0.5 mm) a module.
    int module = std::clamp(240 / (size + 8), 4, 8);
    if ((size + 8) * module > c.width())
        return Error{"print.error.barcode_too_long", "QR does not fit the paper"};
    int w = size * module;
    int x0 = (c.width() - w) / 2;
    int top = c.height();
    c.grow(w + 8 * module);
    top += 4 * module;
    for (int r = 0; r < size; ++r)
        for (int col = 0; col < size; ++col)
            if (m.value().dark(r, col)) c.fill(x0 + col * module, top + r * module, module, module);
    return Ok{};
}

}  // namespace

std::vector<std::u32string> slip_lines(const SlipFont& font, TextSize size, const std::string& text, int width) {
    const stbtt_fontinfo& f = font.impl().info;
    float scale = stbtt_ScaleForPixelHeight(&f, static_cast<float>(pixel_height(size)));
    std::vector<std::u32string> out;
    for (auto& line : wrap(f, scale, text, width - 2 * kMargin)) {
        out.emplace_back();
        for (auto& g : line) out.back() += g.cp;
    }
    return out;
}

Result<Bitmap> render_slip(const Slip& slip, int width, const SlipFont& font) {
    const stbtt_fontinfo& f = font.impl().info;
    Canvas c(width);
    c.grow(kGap);
    if (!slip.title.empty()) {
        draw_text(c, f, SlipText{slip.title, TextSize::Large, Align::Centre});
        c.grow(kGap);
    }
    for (const auto& block : slip.body) {
        if (auto* t = std::get_if<SlipText>(&block)) {
            draw_text(c, f, *t);
        } else if (auto* b = std::get_if<SlipCode128>(&block)) {
            c.grow(kGap);
            if (auto r = draw_code128(c, f, *b); !r) return r.error();
        } else if (auto* q = std::get_if<SlipQr>(&block)) {
            if (auto r = draw_qr(c, *q); !r) return r.error();
        } else {
            c.grow(kGap);
            int y = c.height();
            c.grow(2);
            c.fill(kMargin, y, width - 2 * kMargin, 2);
        }
        c.grow(kGap / 2);
    }
    if (!slip.footer.empty()) {
        c.grow(kGap);
        draw_text(c, f, SlipText{slip.footer, TextSize::Small, Align::Centre});
    }
    c.grow(kGap);
    return c.take();
}

std::vector<uint8_t> bitmap_grey(const Bitmap& b) {
    std::vector<uint8_t> g(b.ink.size());
    for (size_t i = 0; i < g.size(); ++i) g[i] = b.ink[i] ? 0 : 255;
    return g;
}

std::vector<unsigned char> bitmap_png(const Bitmap& b) {
    std::vector<unsigned char> out;
    auto grey = bitmap_grey(b);
    stbi_write_png_to_func(
        [](void* ctx, void* data, int size) {
            auto* o = static_cast<std::vector<unsigned char>*>(ctx);
            o->insert(o->end(), static_cast<unsigned char*>(data), static_cast<unsigned char*>(data) + size);
        },
        &out, b.width, b.height, 1, grey.data(), b.width);
    return out;
}

}  // namespace kiosk::print
