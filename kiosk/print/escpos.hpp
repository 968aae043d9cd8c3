#pragma once
// ESC/POS for thermal receipt printers: a slip goes as one raster image (GS v 0), so Chinese needs
// no printer code page, followed by a feed and a cut. The parser reads such a stream back into a
// picture: the tests decode the barcodes from exactly the bytes a printer would get, and the fake
// network printer uses it to find the status queries in the stream.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/result.hpp"
#include "kiosk/print/slip.hpp"

namespace kiosk::print {

using Bytes = std::vector<uint8_t>;

// ESC @, the raster in bands of at most 256 rows, ESC d 4, GS V 66 0 (feed to the cutter, cut).
Bytes escpos_job(const Bitmap& slip, bool cut = true);

// The real-time status query DLE EOT n: n = 1 printer, 2 offline cause, 4 paper roll sensor.
inline Bytes escpos_status_query(uint8_t n) { return {0x10, 0x04, n}; }

enum class PrinterState { Ready, Offline, PaperOut, Unknown };
// What the replies to DLE EOT 1 and DLE EOT 4 say. A byte without the fixed bits of a status
// reply (bit 1 and 4 set, 0 and 7 clear) is not one: Unknown.
PrinterState printer_state(uint8_t printer_status, uint8_t paper_status);
std::string state_name(PrinterState s);

// One command of a stream, as a printer would read it.
struct EscPosCommand {
    enum class Kind { Init, Raster, Feed, Cut, StatusQuery, Other } kind;
    size_t length = 0;   // bytes the command takes
    uint8_t arg = 0;     // DLE EOT n, ESC d n
};
// The command at the start of `p` (n bytes available); nullopt when more bytes are needed.
// Unknown bytes are an error: we only ever send the commands above.
Result<std::optional<EscPosCommand>> escpos_next(const uint8_t* p, size_t n);

// The raster images of a whole job stacked into one bitmap; an error if the stream is malformed.
Result<Bitmap> escpos_raster_image(const Bytes& stream);

}  // namespace kiosk::print
