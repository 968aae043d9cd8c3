#include "kiosk/core/qr.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

#include <zint.h>

namespace kiosk {

Result<QrMatrix> make_qr(std::string_view text) {
    if (text.empty() || text.size() > 1000) return Error{"error.qr", "QR text must be 1–1000 bytes"};
    std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> sym(ZBarcode_Create(), ZBarcode_Delete);
    if (!sym) return Error{"error.qr", "zint: out of memory"};
    sym->symbology = BARCODE_QRCODE;
    sym->input_mode = UNICODE_MODE;  // UTF-8 in
    sym->option_1 = 2;  // ECC level M
    int rc = ZBarcode_Encode(sym.get(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (rc >= ZINT_ERROR) return Error{"error.qr", std::string("zint: ") + sym->errtxt};
    QrMatrix m;
    m.size = sym->width;
    if (sym->rows != sym->width) return Error{"error.qr", "zint returned a non-square QR"};
    m.modules.resize(static_cast<size_t>(m.size) * m.size);
    for (int r = 0; r < m.size; ++r)
        for (int c = 0; c < m.size; ++c)
            m.modules[static_cast<size_t>(r) * m.size + c] = (sym->encoded_data[r][c >> 3] >> (c & 7)) & 1;
    return m;
}

Result<std::vector<bool>> make_code128(std::string_view text) {
    if (text.empty() || text.size() > 64) return Error{"error.barcode", "Code 128 text must be 1–64 characters"};
    for (char ch : text)
        if (ch < 0x20 || ch > 0x7e) return Error{"error.barcode", "Code 128 text must be printable ASCII"};
    std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> sym(ZBarcode_Create(), ZBarcode_Delete);
    if (!sym) return Error{"error.barcode", "zint: out of memory"};
    sym->symbology = BARCODE_CODE128;
    int rc = ZBarcode_Encode(sym.get(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (rc >= ZINT_ERROR) return Error{"error.barcode", std::string("zint: ") + sym->errtxt};
    std::vector<bool> bars(static_cast<size_t>(sym->width));
    for (int c = 0; c < sym->width; ++c) bars[static_cast<size_t>(c)] = (sym->encoded_data[0][c >> 3] >> (c & 7)) & 1;
    return bars;
}

std::string qr_terminal_text(const QrMatrix& m) {
    const int q = 2, n = m.size + 2 * q;
    auto dark = [&](int r, int c) { return r >= q && c >= q && r < m.size + q && c < m.size + q && m.dark(r - q, c - q); };
    std::string out;
    for (int r = 0; r < n; r += 2) {
        for (int c = 0; c < n; ++c) {
            bool top = dark(r, c), bottom = r + 1 < n && dark(r + 1, c);
            out += top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ";
        }
        out += '\n';
    }
    return out;
}

Result<Ok> write_qr_png(std::string_view text, const std::filesystem::path& png, int scale) {
    if (text.empty() || text.size() > 1000) return Error{"error.qr", "QR text must be 1–1000 bytes"};
    if (png.extension() != ".png" || png.string().size() >= sizeof(zint_symbol::outfile))
        return Error{"error.qr", "the slip's file must end in .png and be a shorter path"};
    std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> sym(ZBarcode_Create(), ZBarcode_Delete);
    if (!sym) return Error{"error.qr", "zint: out of memory"};
    sym->symbology = BARCODE_QRCODE;
    sym->input_mode = UNICODE_MODE;
    sym->option_1 = 2;
    sym->scale = static_cast<float>(std::clamp(scale, 1, 40)) / 2.0f;  // zint: 2 px a module at scale 1
    sym->whitespace_width = 4;
    sym->whitespace_height = 4;
    std::snprintf(sym->outfile, sizeof(sym->outfile), "%s", png.c_str());
    int rc = ZBarcode_Encode_and_Print(sym.get(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()), 0);
    if (rc >= ZINT_ERROR) return Error{"error.qr", std::string("zint: ") + sym->errtxt};
    return Ok{};
}

}  // namespace kiosk
