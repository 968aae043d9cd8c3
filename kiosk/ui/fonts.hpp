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

class PackedAlpha;

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
    // `packed`: rasterise into it band by band (build_atlas_in_bands), not into the atlas' pixels.
    FontSet build(ImFontAtlas& atlas, FontBytes& font, const std::set<char32_t>& codepoints, float scale,
                  const std::set<char32_t>& typing = {}, PackedAlpha* packed = nullptr);

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
    // Packs pixels given in order, `n` at a time (an atlas rasterised band by band), never holding
    // them all plain.
    class Writer {
    public:
        Writer();
        ~Writer();
        Writer(const Writer&) = delete;
        Writer& operator=(const Writer&) = delete;
        void write(const unsigned char* px, size_t n);
        PackedAlpha finish();  // once
    private:
        void pump(int flush);
        z_stream m_z{};
        unsigned char* m_data = nullptr;
        size_t m_cap = 0, m_size = 0;
        bool m_open = false;
    };
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

// Builds `atlas` as atlas.Build() does (the same packing of the same glyphs), but rasterises its
// texture band by band into `out` instead of into atlas->TexPixelsAlpha8, which stays empty: the
// 5.9 MB of plain pixels of the full atlas never exist at once (peak_rss_mb). Fonts must be one
// config each, not oversampled (FontBuilder's); otherwise it builds as Build() and packs those.
bool build_atlas_in_bands(ImFontAtlas& atlas, PackedAlpha& out);

// The full atlas (catalogues, site texts and the typing set), rasterised on a thread of its own
// while the kiosk already draws from the first one, built with no typing set (issue #14 item 9:
// the typing set is ~4,300 of the ~5,200 glyphs, and rasterising it before the first frame cost
// ~200 ms). The UI thread keeps drawing from the first atlas (taps answered, screens change) and
// asks between frames, without waiting, whether this one is ready (swap_in_full_atlas); until
// then pinyin offers only candidates the first atlas can draw (KioskApp's typing context asks
// the font), so no character is ever drawn as "?".
//
// The worker touches no ImGui context; ImGui's allocator only counts its allocations in the
// current context's IO.MetricsActiveAllocations (a statistic for the metrics window), which the
// worker's allocations then also bump.
class FullAtlas {
public:
    // Starts rasterising at once. `on_ready` runs on the worker when the atlas is built (to wake
    // the event loop). `font`'s bytes are freed on the worker once rasterised. `before_build` runs
    // on the worker before it rasterises (a test holds the worker there).
    FullAtlas(FontBytes font, std::set<char32_t> codepoints, std::set<char32_t> typing, float scale,
              std::function<void()> on_ready = {}, std::function<void()> before_build = {});
    ~FullAtlas();  // waits for the worker (an atlas not taken is freed)
    FullAtlas(const FullAtlas&) = delete;
    FullAtlas& operator=(const FullAtlas&) = delete;

    bool ready() const;
    void wait();  // captures and scripts only: the kiosk's UI thread never waits for it
    struct Taken {
        ImFontAtlas* atlas = nullptr;  // the caller's: put it into io.Fonts, which frees it
        FontSet fonts;
        PackedAlpha pixels;  // the atlas' texture (its own pixels are freed): upload these
        double build_ms = 0;      // the worker's wall time rasterising and packing it
        double build_cpu_ms = 0;  // ... and its CPU time
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
    double m_build_ms = 0, m_build_cpu_ms = 0;
    mutable std::mutex m_mu;
    std::condition_variable m_cv;
    bool m_ready = false, m_taken = false;
    std::thread m_worker;
};

// How the full atlas reaches the GPU (platform::Window, or nothing in a headless test).
struct AtlasSwap {
    // The first atlas' texture goes, before the full one is made: both at once were the peak.
    std::function<void()> release_first;
    // The full atlas' texture is made from `taken.pixels` (the atlas is already in io.Fonts).
    std::function<void(FullAtlas::Taken& taken)> upload;
};
// Between frames, never waiting: once `full` is ready, frees the first atlas (io.Fonts), puts the
// full one in its place, uploads it and gives `app` its fonts, and returns true. False, with
// nothing changed, while the worker is still rasterising (the UI goes on drawing from the first
// atlas) or once the full atlas has been taken.
bool swap_in_full_atlas(FullAtlas& full, ImGuiIO& io, KioskApp& app, const AtlasSwap& swap);

}  // namespace kiosk::ui
