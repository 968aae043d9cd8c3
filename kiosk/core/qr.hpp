#pragma once
// Barcodes as modules (zint encodes; the UI draws squares, the printer rasterises them).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.hpp"

namespace kiosk {

struct QrMatrix {
    int size = 0;                  // modules per side, without the quiet zone
    std::vector<bool> modules;     // row-major, true = dark
    bool dark(int row, int col) const { return modules[static_cast<size_t>(row) * size + col]; }
};

// UTF-8 text to a QR code (error correction level M).
Result<QrMatrix> make_qr(std::string_view text);

// Printable ASCII to Code 128 bars, without quiet zones: one entry per module, true = bar.
// zint picks code sets A/B/C, so a run of digits costs half a symbol per digit.
Result<std::vector<bool>> make_code128(std::string_view text);

// The QR code as text for a terminal: two modules a character (▀ ▄ █ and space), dark on a light
// terminal's background, with a quiet zone of 2 modules.
std::string qr_terminal_text(const QrMatrix& m);

// `text` as a QR code in a PNG file (zint draws it, `scale` pixels a module, with its quiet zone):
// a setup slip to print on any printer. `png` must end in ".png".
Result<Ok> write_qr_png(std::string_view text, const std::filesystem::path& png, int scale = 8);

}  // namespace kiosk
