// Printing: slips drawn with the CJK font and zint, encoded as ESC/POS raster, sent to a printer
// standing in on 127.0.0.1:<port>, and every barcode read back by zbar from what was printed.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <stb/stb_image.h>

#include "kiosk/print/print_queue.hpp"
#include "platform/window.hpp"
#include "wait_for.hpp"
#include "printing.hpp"

using namespace kiosk;
using namespace kiosk::print;

namespace {

std::shared_ptr<const SlipFont> font() {
    static auto f = [] {
        auto where = platform::find_cjk_font(KIOSK_ASSETS);
        REQUIRE(where.ok());
        auto loaded = SlipFont::load(where.value().path, where.value().face_index);
        REQUIRE(loaded.ok());
        return loaded.value();
    }();
    return f;
}

std::string font_path() { return platform::find_cjk_font(KIOSK_ASSETS).value().path; }
int font_face() { return platform::find_cjk_font(KIOSK_ASSETS).value().face_index; }

Slip parcel_label() {
    Slip s;
    s.kind = "parcel_label";
    s.reference = "P261122K1003";
    s.title = "快递取件单 Parcel";
    // As kiosk/ui/slips.cpp lays it out: the parcel id, the flat masked; never the pickup code.
    s.text("包裹编号 Parcel no.", TextSize::Normal, Align::Centre)
        .text("P261122K1003", TextSize::Large, Align::Centre)
        .rule()
        .text("1栋 1*1 · 张*明 · 货架 A-03")
        .text("2026-11-22 09:30 顺丰速运")
        .code128("P261122K1003")
        .qr("PARCEL:P261122K1003");
    s.footer = "阳光花园物业服务中心";
    return s;
}

Bitmap from_png(const std::vector<unsigned char>& png) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 1);
    REQUIRE(px);
    Bitmap b{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h)};
    for (size_t i = 0; i < b.ink.size(); ++i) b.ink[i] = px[i] < 128;
    stbi_image_free(px);
    return b;
}

std::vector<uint8_t> read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a parcel label's Code 128 and QR scan from the PNG and from the ESC/POS raster, on both papers") {
    for (Paper paper : {Paper::mm58, Paper::mm80}) {
        CAPTURE(dots(paper));
        auto slip = render_slip(parcel_label(), dots(paper), *font());
        REQUIRE(slip.ok());
        CHECK(slip.value().width == dots(paper));
        CHECK(slip.value().height > 400);

        auto png = from_png(bitmap_png(slip.value()));
        CHECK(test::decodes_to(png, "CODE-128", "P261122K1003"));
        CHECK(test::decodes_to(png, "QR-Code", "PARCEL:P261122K1003"));

        auto raster = escpos_raster_image(escpos_job(slip.value()));
        REQUIRE(raster.ok());
        CHECK(raster.value().width == dots(paper));
        CHECK(raster.value().height == slip.value().height);
        CHECK(test::decodes_to(raster.value(), "CODE-128", "P261122K1003"));
        CHECK(test::decodes_to(raster.value(), "QR-Code", "PARCEL:P261122K1003"));
    }
}

TEST_CASE("Chinese text is drawn as ink, and a longer text makes a longer slip") {
    Slip a;
    a.text("报修");
    Slip b;
    b.text(std::string(40 * 3, ' ').replace(0, 120, "水电维修水电维修水电维修水电维修水电维修水电维修水电维修水电维修水电维修水电维修"));
    auto ra = render_slip(a, 384, *font());
    auto rb = render_slip(b, 384, *font());
    REQUIRE(ra.ok());
    REQUIRE(rb.ok());
    auto inked = [](const Bitmap& m) { return std::count(m.ink.begin(), m.ink.end(), 1); };
    CHECK(inked(ra.value()) > 100);
    CHECK(rb.value().height > ra.value().height + 30);  // wrapped onto more lines, not cut off
    CHECK(inked(rb.value()) > 5 * inked(ra.value()));
}

TEST_CASE("slip lines break between Chinese characters, but never before closing punctuation") {
    std::string row;
    for (int i = 0; i < 20; ++i) row += "水";
    auto full = slip_lines(*font(), TextSize::Large, row, 384);
    REQUIRE(full.size() >= 2);
    size_t per_line = full[0].size();  // how many fit on 58 mm paper at this size
    std::string text;
    for (size_t i = 0; i < per_line; ++i) text += "水";
    text += "）。";  // would start the second line on its own
    auto lines = slip_lines(*font(), TextSize::Large, text, 384);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == U"水）。");  // the last character came along
    CHECK(lines[0].size() == per_line - 1);

    auto latin = slip_lines(*font(), TextSize::Normal, "Please take your slip from the slot below", 384);
    REQUIRE(latin.size() >= 2);
    for (auto& l : latin) CHECK(l.front() != U' ');  // words break at spaces
}

TEST_CASE("a Code 128 too long to scan on 58 mm paper is refused, not printed thin") {
    Slip s;
    s.code128("THIS-PAYLOAD-IS-FAR-TOO-LONG-FOR-58MM-PAPER-AT-TWO-DOTS");
    auto r = render_slip(s, 384, *font());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().key == "print.error.barcode_too_long");
}

TEST_CASE("the ESC/POS job initialises, sends raster bands of at most 256 rows, feeds and cuts") {
    auto slip = render_slip(parcel_label(), 576, *font());
    REQUIRE(slip.ok());
    Bytes job = escpos_job(slip.value());
    REQUIRE(job.size() > 10);
    CHECK(job[0] == 0x1B);
    CHECK(job[1] == '@');
    CHECK(Bytes(job.end() - 4, job.end()) == Bytes{0x1D, 'V', 66, 0});
    size_t at = 0;
    int bands = 0, rows = 0;
    while (at < job.size()) {
        auto c = escpos_next(job.data() + at, job.size() - at);
        REQUIRE(c.ok());
        REQUIRE(c.value().has_value());
        if (c.value()->kind == EscPosCommand::Kind::Raster) {
            int band = job[at + 6] | job[at + 7] << 8;
            CHECK(band <= 256);
            CHECK((job[at + 4] | job[at + 5] << 8) == 576 / 8);
            rows += band;
            ++bands;
        }
        at += c.value()->length;
    }
    CHECK(rows == slip.value().height);
    CHECK(bands == (slip.value().height + 255) / 256);

    Bytes broken(job.begin(), job.begin() + 20);  // cut off inside the first band
    CHECK_FALSE(escpos_raster_image(broken).ok());
}

TEST_CASE("status replies: paper out, offline, ready, and bytes that are not replies") {
    CHECK(printer_state(0x12, 0x12) == PrinterState::Ready);
    CHECK(printer_state(0x12, 0x72) == PrinterState::PaperOut);
    CHECK(printer_state(0x1A, 0x12) == PrinterState::Offline);
    CHECK(printer_state(0x12, 0x1E) == PrinterState::Ready);  // paper near end still prints
    CHECK(printer_state(0xFF, 0x12) == PrinterState::Unknown);
    CHECK(printer_state(0x00, 0x12) == PrinterState::Unknown);
}

TEST_CASE("printer settings are read or refused with the forms that work") {
    CHECK(make_transport("tcp://10.0.0.7:9100").value()->name() == "tcp 10.0.0.7:9100");
    CHECK(make_transport("tcp://printer.local").value()->name() == "tcp printer.local:9100");
    CHECK(make_transport("/dev/usb/lp0").value()->name() == "device /dev/usb/lp0");
    CHECK(make_transport("dev:/dev/usb/lp1").value()->reports_status());
    CHECK_FALSE(make_transport("file:/tmp/x.bin").value()->reports_status());
    auto bad = make_transport("lp0");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().key == "print.error.setting");
    CHECK_FALSE(make_transport("tcp://host:port").ok());
}

TEST_CASE("a slip sent to a ready network printer is printed, and its barcodes scan from the bytes it got") {
    test::FakePrinter printer;
    auto transport = make_transport(printer.uri());
    REQUIRE(transport.ok());
    PrintQueue q(std::move(transport.value()), Paper::mm58, font_path(), font_face());
    int64_t id = q.submit(parcel_label());
    REQUIRE(q.wait_settled(std::chrono::seconds(20)));
    auto snap = q.snapshot();
    REQUIRE(snap.recent.size() == 1);
    CHECK(snap.recent[0].id == id);
    CHECK(snap.recent[0].state == SlipState::Printed);
    CHECK(snap.printer == PrinterState::Ready);
    CHECK(printer.status_queries() >= 4);  // before and after: printer and paper sensor
    auto jobs = printer.jobs(1);
    REQUIRE(jobs.size() == 1);
    auto image = escpos_raster_image(jobs[0]);
    REQUIRE(image.ok());
    CHECK(image.value().width == 384);
    CHECK(test::decodes_to(image.value(), "CODE-128", "P261122K1003"));
    CHECK(test::decodes_to(image.value(), "QR-Code", "PARCEL:P261122K1003"));
}

TEST_CASE("out of paper: nothing is sent, later slips are held, and refilling paper prints only what staff reprint") {
    test::FakePrinter printer;
    printer.set_mode(test::FakePrinter::Mode::PaperOut);
    PrintQueue q(make_transport(printer.uri()).value(), Paper::mm80, font_path(), font_face());
    int64_t first = q.submit(parcel_label());
    q.submit(parcel_label());
    q.submit(parcel_label());
    REQUIRE(q.wait_settled(std::chrono::seconds(20)));
    auto snap = q.snapshot();
    CHECK(snap.printer == PrinterState::PaperOut);
    for (auto& j : snap.recent) {
        CHECK((j.state == SlipState::Failed || j.state == SlipState::Held));
        CHECK_FALSE(j.reason_key.empty());
    }
    CHECK(snap.recent.back().reason_key == "print.reason.paper_out");
    CHECK(printer.jobs().empty());

    printer.set_mode(test::FakePrinter::Mode::Ready);  // paper refilled
    int64_t again = q.reprint(first);
    CHECK(again > first);
    REQUIRE(q.wait_settled(std::chrono::seconds(20)));
    // Nothing flushed on its own: the queue has printed since the paper came back, and the slips
    // held behind the failure are still held (and failed ones failed), older though they are.
    auto after = q.snapshot();
    CHECK(after.recent.front().id == again);
    CHECK(after.recent.front().state == SlipState::Printed);
    CHECK(after.printer == PrinterState::Ready);
    REQUIRE(after.recent.size() == snap.recent.size() + 1);
    for (size_t i = 0; i < snap.recent.size(); ++i) {
        INFO("slip " << snap.recent[i].id << " was " << slip_state_name(snap.recent[i].state));
        CHECK(after.recent[i + 1].id == snap.recent[i].id);
        CHECK(after.recent[i + 1].state == snap.recent[i].state);
    }
    CHECK(printer.jobs(1).size() == 1);
    CHECK(q.reprint(987654) == 0);
}

TEST_CASE("a printer that takes the bytes but never answers leaves the slip unconfirmed, an offline one fails it") {
    test::FakePrinter printer;
    printer.set_mode(test::FakePrinter::Mode::Silent);
    PrintQueue q(make_transport(printer.uri()).value(), Paper::mm58, font_path(), font_face());
    q.submit(parcel_label());
    REQUIRE(q.wait_settled(std::chrono::seconds(30)));
    auto snap = q.snapshot();
    CHECK(snap.recent[0].state == SlipState::Unconfirmed);
    CHECK(snap.recent[0].reason_key == "print.reason.no_status");
    CHECK(printer.jobs(1).size() == 1);

    printer.set_mode(test::FakePrinter::Mode::Offline);
    q.submit(parcel_label());
    REQUIRE(q.wait_settled(std::chrono::seconds(30)));
    CHECK(q.snapshot().recent[0].state == SlipState::Failed);
    CHECK(q.snapshot().recent[0].reason_key == "print.reason.offline");
    CHECK(printer.jobs(1).size() == 1);
}

TEST_CASE("a printer nobody listens for fails the slip as unreachable") {
    int port;
    {
        test::FakePrinter gone;  // take a free port, then close it
        port = std::stoi(gone.uri().substr(gone.uri().rfind(':') + 1));
    }
    PrintQueue q(make_transport("tcp://127.0.0.1:" + std::to_string(port)).value(), Paper::mm58, font_path(), font_face());
    q.submit(parcel_label());
    REQUIRE(q.wait_settled(std::chrono::seconds(20)));
    CHECK(q.snapshot().recent[0].state == SlipState::Failed);
    CHECK(q.snapshot().recent[0].reason_key == "print.reason.unreachable");
}

TEST_CASE("a file printer gets the ESC/POS bytes, a PNG folder gets pictures that scan") {
    auto dir = std::filesystem::temp_directory_path() / ("kiosk-print-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    {
        PrintQueue q(make_transport("file:" + (dir / "out.bin").string()).value(), Paper::mm58, font_path(), font_face());
        q.submit(parcel_label());
        REQUIRE(q.wait_settled(std::chrono::seconds(20)));
        CHECK(q.snapshot().recent[0].state == SlipState::Printed);
    }
    auto image = escpos_raster_image(read_all(dir / "out.bin"));
    REQUIRE(image.ok());
    CHECK(test::decodes_to(image.value(), "CODE-128", "P261122K1003"));
    {
        PrintQueue q(make_transport("png:" + (dir / "slips").string()).value(), Paper::mm80, font_path(), font_face());
        int64_t id = q.submit(parcel_label());
        REQUIRE(q.wait_settled(std::chrono::seconds(20)));
        auto png = read_all(dir / "slips" / ("parcel_label-" + std::to_string(id) + ".png"));
        REQUIRE_FALSE(png.empty());
        CHECK(test::decodes_to(from_png(png), "QR-Code", "PARCEL:P261122K1003"));
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("a USB printer's device file: the slip goes in, the status comes back on the same file") {
    // A pseudo-terminal in raw mode stands in for /dev/usb/lp0: what the kiosk writes to the
    // device comes out of the master side, and what the "printer" answers goes back in.
    int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    std::string device = ::ptsname(master);
    int keep = ::open(device.c_str(), O_RDWR | O_NOCTTY);  // held open so the line stays raw
    REQUIRE(keep >= 0);
    termios raw{};
    ::tcgetattr(keep, &raw);
    ::cfmakeraw(&raw);
    ::tcsetattr(keep, TCSANOW, &raw);

    std::atomic<bool> stop{false};
    std::atomic<int> status_queries_read{0};  // counted once the query is in `received`
    Bytes received;
    std::thread printer([&] {
        Bytes pending;
        while (!stop) {
            pollfd p{master, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            uint8_t buf[4096];
            ssize_t n = ::read(master, buf, sizeof buf);
            if (n <= 0) continue;
            pending.insert(pending.end(), buf, buf + n);
            for (;;) {
                auto c = escpos_next(pending.data(), pending.size());
                if (!c.ok() || !c.value()) break;
                if (c.value()->kind == EscPosCommand::Kind::StatusQuery) {
                    uint8_t ok = 0x12;
                    (void)::write(master, &ok, 1);
                }
                received.insert(received.end(), pending.begin(), pending.begin() + static_cast<long>(c.value()->length));
                pending.erase(pending.begin(), pending.begin() + static_cast<long>(c.value()->length));
                if (c.value()->kind == EscPosCommand::Kind::StatusQuery) ++status_queries_read;
            }
        }
    });
    {
        PrintQueue q(make_transport("dev:" + device).value(), Paper::mm58, font_path(), font_face());
        q.submit(parcel_label());
        REQUIRE(q.wait_settled(std::chrono::seconds(30)));
        CHECK(q.snapshot().recent[0].state == SlipState::Printed);
        CHECK(q.snapshot().printer == PrinterState::Ready);
    }
    // The queue asks printer and paper status before the slip and again after it: once the
    // "printer" has read the fourth query, every byte of the slip is in `received`.
    CHECK(test::wait_until([&] { return status_queries_read >= 4; }, std::chrono::seconds(10)));
    stop = true;
    printer.join();
    ::close(keep);
    ::close(master);
    auto image = escpos_raster_image(received);
    REQUIRE(image.ok());
    CHECK(test::decodes_to(image.value(), "CODE-128", "P261122K1003"));

    auto missing = make_transport("dev:/dev/usb/lp-not-here").value();
    auto opened = missing->open();
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().key == "print.error.offline");
}
