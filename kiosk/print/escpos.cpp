#include "kiosk/print/escpos.hpp"

#include <algorithm>

namespace kiosk::print {

namespace {
constexpr uint8_t ESC = 0x1B, GS = 0x1D, DLE = 0x10, EOT = 0x04;
constexpr int kBandRows = 256;  // many printers' receive buffers hold no more in one GS v 0
}  // namespace

Bytes escpos_job(const Bitmap& b, bool cut) {
    Bytes out = {ESC, '@'};
    int bytes_per_row = (b.width + 7) / 8;
    for (int y0 = 0; y0 < b.height; y0 += kBandRows) {
        int rows = std::min(kBandRows, b.height - y0);
        out.insert(out.end(), {GS, 'v', '0', 0, static_cast<uint8_t>(bytes_per_row & 0xFF),
                               static_cast<uint8_t>(bytes_per_row >> 8), static_cast<uint8_t>(rows & 0xFF),
                               static_cast<uint8_t>(rows >> 8)});
        for (int y = y0; y < y0 + rows; ++y)
            for (int xb = 0; xb < bytes_per_row; ++xb) {
                uint8_t v = 0;
                for (int bit = 0; bit < 8; ++bit) {
                    int x = xb * 8 + bit;
                    if (x < b.width && b.at(x, y)) v |= static_cast<uint8_t>(0x80 >> bit);
                }
                out.push_back(v);
            }
    }
    out.insert(out.end(), {ESC, 'd', 4});
    if (cut) out.insert(out.end(), {GS, 'V', 66, 0});
    return out;
}

PrinterState printer_state(uint8_t printer, uint8_t paper) {
    auto is_reply = [](uint8_t v) { return (v & 0x93) == 0x12; };
    if (!is_reply(printer) || !is_reply(paper)) return PrinterState::Unknown;
    if (paper & 0x60) return PrinterState::PaperOut;  // paper roll end sensor
    if (printer & 0x08) return PrinterState::Offline;
    return PrinterState::Ready;
}

std::string state_name(PrinterState s) {
    switch (s) {
        case PrinterState::Ready: return "ready";
        case PrinterState::Offline: return "offline";
        case PrinterState::PaperOut: return "paper_out";
        case PrinterState::Unknown: return "unknown";
    }
    return "unknown";
}

Result<std::optional<EscPosCommand>> escpos_next(const uint8_t* p, size_t n) {
    using K = EscPosCommand::Kind;
    if (n == 0) return std::optional<EscPosCommand>{};
    auto need = [&](size_t len, K kind, uint8_t arg = 0) -> Result<std::optional<EscPosCommand>> {
        if (n < len) return std::optional<EscPosCommand>{};
        return std::optional<EscPosCommand>{EscPosCommand{kind, len, arg}};
    };
    if (p[0] == ESC) {
        if (n < 2) return std::optional<EscPosCommand>{};
        if (p[1] == '@') return need(2, K::Init);
        if (p[1] == 'd') return need(3, K::Feed, n >= 3 ? p[2] : 0);
    } else if (p[0] == DLE) {
        if (n < 2) return std::optional<EscPosCommand>{};
        if (p[1] == EOT) return need(3, K::StatusQuery, n >= 3 ? p[2] : 0);
    } else if (p[0] == GS) {
        if (n < 3) return std::optional<EscPosCommand>{};
        if (p[1] == 'V') {
            if (p[2] == 0 || p[2] == 1 || p[2] == '0' || p[2] == '1') return need(3, K::Cut);
            return need(4, K::Cut);  // GS V 65/66 n
        }
        if (p[1] == 'v' && p[2] == '0') {
            if (n < 8) return std::optional<EscPosCommand>{};
            size_t bytes_per_row = p[4] | (p[5] << 8), rows = p[6] | (p[7] << 8);
            return need(8 + bytes_per_row * rows, K::Raster);
        }
    }
    return Error{"print.error.stream", "unexpected byte 0x" + std::to_string(p[0]) + " in the ESC/POS stream"};
}

Result<Bitmap> escpos_raster_image(const Bytes& s) {
    Bitmap img;
    size_t at = 0;
    while (at < s.size()) {
        auto cmd = escpos_next(s.data() + at, s.size() - at);
        if (!cmd) return cmd.error();
        if (!cmd.value()) return Error{"print.error.stream", "stream ends inside a command"};
        if (cmd.value()->kind == EscPosCommand::Kind::Raster) {
            const uint8_t* p = s.data() + at;
            int width = (p[4] | (p[5] << 8)) * 8, rows = p[6] | (p[7] << 8);
            if (img.width == 0) img.width = width;
            if (width != img.width) return Error{"print.error.stream", "raster bands of different widths"};
            size_t first = img.ink.size();
            img.ink.resize(first + static_cast<size_t>(width) * rows);
            for (int y = 0; y < rows; ++y)
                for (int x = 0; x < width; ++x)
                    img.ink[first + static_cast<size_t>(y) * width + x] = (p[8 + y * (width / 8) + x / 8] >> (7 - x % 8)) & 1;
            img.height += rows;
        }
        at += cmd.value()->length;
    }
    return img;
}

}  // namespace kiosk::print
