#pragma once
// What the print tests share: a real barcode decoder (zbar) for printed slips, and a stand-in for
// a network thermal printer — a TCP listener on 127.0.0.1 that keeps every byte it is sent and
// answers the ESC/POS status queries the way the test tells it to.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <zbar.h>

#include "kiosk/print/escpos.hpp"
#include "kiosk/print/slip.hpp"
#include "loopback.hpp"

namespace kiosk::test {

struct Decoded {
    std::string type;  // "QR-Code", "CODE-128"
    std::string data;
};

// Every barcode zbar finds in an 8-bit grey picture. QR always; Code 128 when asked: on screen
// captures zbar reads stripes of rendered text as linear codes now and then.
inline std::vector<Decoded> decode_grey(const std::vector<uint8_t>& grey, int width, int height, bool code128) {
    using namespace zbar;  // zbar.h wraps its C API in a namespace for C++
    zbar_image_scanner_t* scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    if (code128) zbar_image_scanner_set_config(scanner, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
    zbar_image_t* img = zbar_image_create();
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, static_cast<unsigned>(width), static_cast<unsigned>(height));
    zbar_image_set_data(img, grey.data(), grey.size(), nullptr);
    zbar_scan_image(scanner, img);
    std::vector<Decoded> out;
    for (const zbar_symbol_t* s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s))
        out.push_back({zbar_get_symbol_name(zbar_symbol_get_type(s)), zbar_symbol_get_data(s)});
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(scanner);
    return out;
}

// Every barcode zbar finds in a slip, as printed (ink black on white paper).
inline std::vector<Decoded> decode_slip(const kiosk::print::Bitmap& b) {
    return decode_grey(kiosk::print::bitmap_grey(b), b.width, b.height, true);
}

inline bool decodes_to(const kiosk::print::Bitmap& b, const std::string& type, const std::string& data) {
    for (auto& d : decode_slip(b))
        if (d.type == type && d.data == data) return true;
    return false;
}

// A network printer on 127.0.0.1:<port>. Each connection is one job's bytes.
class FakePrinter {
public:
    enum class Mode { Ready, PaperOut, Offline, Silent };

    FakePrinter() {
        m_listen = kiosk::test::listen_on_loopback(m_port, 8);
        if (m_listen < 0) throw std::runtime_error("no loopback port for the printer");
        m_thread = std::thread([this] { serve(); });
    }
    ~FakePrinter() {
        m_stop = true;
        m_thread.join();
        ::close(m_listen);
    }
    std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(m_port); }
    void set_mode(Mode m) { m_mode = m; }

    // Jobs that carried a raster image, in arrival order. A job counts once the kiosk has closed
    // the connection, which may be a moment after it saw the status reply: wait for `at_least`.
    std::vector<kiosk::print::Bytes> jobs(size_t at_least = 0) {
        std::unique_lock lock(m_mu);
        m_cv.wait_for(lock, std::chrono::seconds(10), [&] { return m_jobs.size() >= at_least; });
        return m_jobs;
    }
    int status_queries() const { return m_queries; }

private:
    void serve() {
        while (!m_stop) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0) continue;
            handle(fd);
            ::close(fd);
        }
    }
    void handle(int fd) {
        kiosk::print::Bytes all, pending;
        bool raster = false;
        for (;;) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) {
                if (m_stop) break;
                continue;
            }
            uint8_t buf[4096];
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0) break;
            pending.insert(pending.end(), buf, buf + n);
            // Read commands as a printer does, answering status queries as they come.
            for (;;) {
                auto cmd = kiosk::print::escpos_next(pending.data(), pending.size());
                if (!cmd || !cmd.value()) break;
                auto c = *cmd.value();
                if (c.kind == kiosk::print::EscPosCommand::Kind::StatusQuery) {
                    ++m_queries;
                    reply(fd, c.arg);
                }
                if (c.kind == kiosk::print::EscPosCommand::Kind::Raster) raster = true;
                all.insert(all.end(), pending.begin(), pending.begin() + static_cast<long>(c.length));
                pending.erase(pending.begin(), pending.begin() + static_cast<long>(c.length));
            }
        }
        if (raster) {
            std::lock_guard lock(m_mu);
            m_jobs.push_back(all);
            m_cv.notify_all();
        }
    }
    void reply(int fd, uint8_t n) {
        uint8_t b = 0x12;  // fixed bits of a status reply, nothing wrong
        switch (m_mode.load()) {
            case Mode::Silent: return;
            case Mode::Ready: break;
            case Mode::PaperOut: if (n == 4) b |= 0x60; break;
            case Mode::Offline: if (n == 1) b |= 0x08; break;
        }
        (void)::write(fd, &b, 1);
    }

    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<Mode> m_mode{Mode::Ready};
    std::atomic<int> m_queries{0};
    std::mutex m_mu;
    std::condition_variable m_cv;
    std::vector<kiosk::print::Bytes> m_jobs;
    std::thread m_thread;
};

}  // namespace kiosk::test
