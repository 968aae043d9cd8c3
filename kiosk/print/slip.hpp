#pragma once
// A slip is what the desk hands over on paper: a parcel label, an exit pass, a repair receipt, a
// fee statement. It is described here as text and barcodes, rendered to a 1-bit bitmap with the
// kiosk's CJK font (so the printer needs no code page) and zint's bars, then encoded for the
// printer (escpos.hpp) or written as PNG for previews and tests.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "kiosk/core/result.hpp"

namespace kiosk::print {

enum class TextSize { Small, Normal, Large, Huge };  // 24, 30, 44, 96 dots high at 203 dpi
enum class Align { Left, Centre };

struct SlipText {
    std::string text;
    TextSize size = TextSize::Normal;
    Align align = Align::Left;
};
struct SlipCode128 { std::string payload; };  // printable ASCII, printed with its text below
struct SlipQr { std::string payload; };
struct SlipRule {};
using SlipBlock = std::variant<SlipText, SlipCode128, SlipQr, SlipRule>;

struct Slip {
    std::string kind;       // "parcel_label", "exit_pass", "repair_receipt", "fee_statement", ...
    std::string reference;  // the parcel id / ticket, shown in the desk's reprint list
    std::string title;
    std::vector<SlipBlock> body;
    std::string footer;

    Slip& text(std::string t, TextSize size = TextSize::Normal, Align align = Align::Left) {
        body.emplace_back(std::in_place_type<SlipText>, SlipText{std::move(t), size, align});
        return *this;
    }
    Slip& code128(std::string payload) {
        body.emplace_back(std::in_place_type<SlipCode128>, SlipCode128{std::move(payload)});
        return *this;
    }
    Slip& qr(std::string payload) {
        body.emplace_back(std::in_place_type<SlipQr>, SlipQr{std::move(payload)});
        return *this;
    }
    Slip& rule() {
        body.emplace_back(std::in_place_type<SlipRule>);
        return *this;
    }
};

// Printable width in dots of the two thermal paper sizes at 203 dpi.
enum class Paper { mm58 = 384, mm80 = 576 };
inline int dots(Paper p) { return static_cast<int>(p); }

// 1 bit per pixel, kept a byte per pixel for simplicity: 1 = ink.
struct Bitmap {
    int width = 0, height = 0;
    std::vector<uint8_t> ink;
    bool at(int x, int y) const { return ink[static_cast<size_t>(y) * width + x] != 0; }
};

// The CJK font, loaded once (a TrueType file or a face of a collection).
class SlipFont {
public:
    static Result<std::shared_ptr<const SlipFont>> load(const std::string& path, int face_index);
    struct Impl;
    const Impl& impl() const { return *m; }
    ~SlipFont();

private:
    SlipFont() = default;
    std::unique_ptr<Impl> m;
};

// Renders a slip `width` dots wide (its height follows the content). Fails when a barcode cannot
// be printed wide enough to scan (Code 128 modules under 2 dots) or a payload cannot be encoded.
Result<Bitmap> render_slip(const Slip& slip, int width, const SlipFont& font);

// How a text breaks into lines on a slip `width` dots wide: Chinese between any two characters
// (closing punctuation never starts a line), Latin words at spaces.
std::vector<std::u32string> slip_lines(const SlipFont& font, TextSize size, const std::string& text, int width);

// The bitmap as PNG bytes (black on white, 8-bit grey).
std::vector<unsigned char> bitmap_png(const Bitmap& b);
// 8-bit grey pixels (0 = ink, 255 = paper) for tools that want them: zbar in tests.
std::vector<uint8_t> bitmap_grey(const Bitmap& b);

}  // namespace kiosk::print
