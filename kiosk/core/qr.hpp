#pragma once
// QR codes as a module matrix (zint encodes; the UI draws squares, the printer rasterises them).
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

}  // namespace kiosk
