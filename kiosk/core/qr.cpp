#include "kiosk/core/qr.hpp"

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

}  // namespace kiosk
