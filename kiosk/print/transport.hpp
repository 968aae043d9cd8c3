#pragma once
// Where the bytes of a slip go: a printer's device file (/dev/usb/lp0), a network printer's raw
// port 9100, a plain file, or a folder of PNG pictures. Transports block (with timeouts); only
// the print queue's thread calls them, never drawing code.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "kiosk/core/result.hpp"
#include "kiosk/print/escpos.hpp"

namespace kiosk::print {

class Transport {
public:
    virtual ~Transport() = default;
    virtual std::string name() const = 0;         // for the desk and the log: "tcp 10.0.0.7:9100"
    virtual bool speaks_escpos() const { return true; }  // false: the PNG folder
    virtual bool reports_status() const = 0;      // a file cannot say it is out of paper
    virtual Result<Ok> open() = 0;
    virtual Result<Ok> send(const Bytes& bytes) = 0;
    // Sends DLE EOT n and waits up to `timeout_ms` for the one-byte reply; nullopt: no reply.
    virtual std::optional<uint8_t> ask_status(uint8_t n, int timeout_ms) = 0;
    virtual void close() = 0;
    // PNG folder only: the slip's picture instead of bytes.
    virtual Result<Ok> save_picture(const std::string& /*stem*/, const Bitmap& /*slip*/) { return Ok{}; }
};

// "tcp://host:9100", "dev:/dev/usb/lp0" (or any path under /dev/), "file:/path/out.bin",
// "png:/folder". An error names what was wrong with the setting.
Result<std::unique_ptr<Transport>> make_transport(const std::string& uri);

}  // namespace kiosk::print
