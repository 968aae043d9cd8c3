#pragma once
// The UI font: one CJK face, rasterised only for the code points the kiosk can show (every
// catalogue string, the site's reference texts, printable ASCII). A full CJK atlas costs tens of
// MB; this one a few.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <imgui.h>
#include <zlib.h>

#include "kiosk/core/i18n.hpp"
#include "kiosk/ui/app.hpp"

namespace kiosk::ui {

struct FontBytes {
    std::vector<unsigned char> data;  // the whole font file; must outlive the atlas
    int face_index = 0;               // the face inside a .ttc collection
};

// Every code point the UI may draw: catalogues in all languages, `extra` texts, printable ASCII.
std::set<char32_t> kiosk_codepoints(const Catalog& catalog, const std::vector<std::string>& extra);
// The characters in a text file (assets/hanzi_common.txt), '#' lines skipped.
std::set<char32_t> codepoints_of_text(const std::string& text);
// Code points of `wanted` that the face has no glyph for (they would draw as "?").
std::set<char32_t> missing_glyphs(const FontBytes& font, const std::set<char32_t>& wanted);

// A font drawn at `px` from the glyphs `base` was rasterised with (the same texture rectangles,
// the geometry scaled): large text without a second atlas of the same characters. Added to
// `atlas`, which frees it; call after atlas.Build().
ImFont* add_scaled_font(ImFontAtlas& atlas, const ImFont& base, float px);

// Gives `into` every glyph of `from` it lacks, drawn from `from`'s texture rectangles scaled to
// `into`'s size (so no character `from` can draw shows as "?" in `into`). After atlas.Build().
void borrow_glyphs(ImFont& into, const ImFont& from);

// Owns the glyph ranges the atlas points into.
class FontBuilder {
public:
    // Adds the normal and elder (~1.5×) fonts to `atlas`, sized for a display `scale` (height/1080),
    // and builds it. Rasterised: body 34 px (catalogue + typing), title 50 px (also the elder body),
    // digits 60 and 90 px; the elder title (75 px) is the title's glyphs drawn 1.5× (add_scaled_font),
    // and the title sizes borrow the typing set from the body size (borrow_glyphs).
    // `big` fonts carry ASCII only: draw them only with digits and Latin text.
    // `typing`: characters residents may type (pinyin candidates); only the body size rasterises
    // them, and the elder body (the title size) draws those glyphs 1.47x: typed Chinese is 50 px in
    // elder mode, like the rest of its text.
    FontSet build(ImFontAtlas& atlas, FontBytes& font, const std::set<char32_t>& codepoints, float scale,
                  const std::set<char32_t>& typing = {});

private:
    ImVector<ImWchar> m_ranges, m_body_ranges;
};

// An atlas' one-channel pixels, deflated (zlib's fastest level: 5.9 MB of CJK glyphs become
// ~2.1 MB in ~0.1 s): what the full atlas is kept as between the worker and the upload, so the
// driver's copy (llvmpipe makes and zeroes the whole texture first) never sits beside a 6 MB
// plain one (peak_rss_mb).
class PackedAlpha {
public:
    PackedAlpha() = default;
    // `give_back`: the pages of `px` already deflated are returned to the system as it goes (they
    // read as zero after): only for a buffer that is freed next and mapped on its own (a big malloc).
    PackedAlpha(const unsigned char* px, size_t n, bool give_back = false);
    ~PackedAlpha();
    PackedAlpha(PackedAlpha&& o) noexcept;
    PackedAlpha& operator=(PackedAlpha&& o) noexcept;
    size_t size() const { return m_size; }          // pixels
    size_t packed_bytes() const { return m_bytes; }
    // Reads the pixels in order, `n` at a time, from the start.
    class Reader {
    public:
        explicit Reader(const PackedAlpha& p);
        ~Reader();
        Reader(const Reader&) = delete;
        Reader& operator=(const Reader&) = delete;
        void read(unsigned char* out, size_t n);
    private:
        z_stream m_z{};
        bool m_open = false, m_ended = false;
    };

private:
    unsigned char* m_data = nullptr;  // malloc'd zlib stream
    size_t m_bytes = 0;
    size_t m_size = 0;
};

// The full atlas (catalogues, site texts and the typing set), rasterised on a thread of its own
// while the kiosk already draws from the first one, built with no typing set (issue #14 item 9:
// the typing set is ~4,300 of the ~5,200 glyphs, and rasterising it before the first frame cost
// ~200 ms). The UI thread takes it between frames (take) and uploads it; until then pinyin
// offers only candidates the first atlas can draw (KioskApp's typing context asks the font), so
// no character is ever drawn as "?".
//
// The worker touches no ImGui context; ImGui's allocator only counts its allocations in the
// current context's IO.MetricsActiveAllocations (a statistic for the metrics window), which the
// worker's allocations then also bump.
class FullAtlas {
public:
    // Starts rasterising at once. `on_ready` runs on the worker when the atlas is built (to wake
    // the event loop). `font`'s bytes are freed on the worker once rasterised.
    FullAtlas(FontBytes font, std::set<char32_t> codepoints, std::set<char32_t> typing, float scale,
              std::function<void()> on_ready = {});
    ~FullAtlas();  // waits for the worker (an atlas not taken is freed)
    FullAtlas(const FullAtlas&) = delete;
    FullAtlas& operator=(const FullAtlas&) = delete;

    bool ready() const;
    void wait();
    struct Taken {
        ImFontAtlas* atlas = nullptr;  // the caller's: put it into io.Fonts, which frees it
        FontSet fonts;
        PackedAlpha pixels;  // the atlas' texture (its own pixels are freed): upload these
        double build_ms = 0;  // the worker's wall time rasterising it
    };
    // The built atlas, once; nullopt before it is ready or after it was taken.
    std::optional<Taken> take();

private:
    FontBytes m_font;
    std::set<char32_t> m_codepoints, m_typing;
    FontBuilder m_builder;
    ImFontAtlas* m_atlas = nullptr;
    FontSet m_fonts;
    PackedAlpha m_pixels;
    double m_build_ms = 0;
    mutable std::mutex m_mu;
    std::condition_variable m_cv;
    bool m_ready = false, m_taken = false;
    std::thread m_worker;
};

}  // namespace kiosk::ui
