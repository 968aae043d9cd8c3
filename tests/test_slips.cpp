// Slips a resident takes away, printed through the kiosk: the repair receipt and the fee
// statement, on a network printer standing in on 127.0.0.1, read back by zbar from the bytes.
#include <catch2/catch.hpp>

#include "kiosk/ui/slips.hpp"
#include "kiosk_fixture.hpp"
#include "printing.hpp"

using namespace kiosk;
using ui::Screen;

namespace {

struct PrintingKiosk {
    PrintingKiosk() {
        auto font = platform::find_cjk_font(KIOSK_ASSETS);
        REQUIRE(font.ok());
        queue = std::make_unique<print::PrintQueue>(print::make_transport(printer.uri()).value(), print::Paper::mm58,
                                                    font.value().path, font.value().face_index);
        k.app->set_printer(queue.get());
    }
    void settle() { REQUIRE(queue->wait_settled(std::chrono::seconds(30))); }
    print::Bitmap last_printed() {
        auto jobs = printer.jobs(1);
        REQUIRE_FALSE(jobs.empty());
        auto image = print::escpos_raster_image(jobs.back());
        REQUIRE(image.ok());
        return image.value();
    }
    test::FakePrinter printer;
    test::Kiosk k;
    std::unique_ptr<print::PrintQueue> queue;
};

bool says(const print::Slip& s, const std::string& text) {
    for (auto& b : s.body)
        if (auto* t = std::get_if<print::SlipText>(&b); t && t->text.find(text) != std::string::npos) return true;
    return s.title.find(text) != std::string::npos || s.footer.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("with a printer, a saved repair prints its receipt, whose QR scans as the ticket", "[slips][repair]") {
    PrintingKiosk p;
    p.k.file_emergency_repair();
    REQUIRE(p.k.shows("BX-SG01-261122-K1-001"));
    auto receipt = ui::repair_receipt(p.k.catalog, p.k.app->state(), p.k.app->features().repair.s);
    CHECK(receipt.title == "报修回执");
    CHECK(says(receipt, "BX-SG01-261122-K1-001"));
    CHECK(says(receipt, "维修人员将在 10:00 前上门（30 分钟内）。"));
    CHECK(says(receipt, "我家（1栋 102）"));
    CHECK_FALSE(says(receipt, "139"));  // no phone on a slip that may be left behind
    p.settle();
    CHECK(p.k.shows("已打印，请从下方出纸口取走。"));
    REQUIRE(p.printer.jobs(1).size() == 1);
    CHECK(test::decodes_to(p.last_printed(), "QR-Code", "BX-SG01-261122-K1-001"));
    CHECK(p.last_printed().width == 384);
}

TEST_CASE("a household prints its fee statement once, its payment QR scans as the site's payment link", "[slips][fees]") {
    PrintingKiosk p;
    p.k.prove("home.tile.fees", "B1", "B1-102", "11021102");
    REQUIRE(p.k.screen() == Screen::Fees);
    p.k.tap("fees.show");
    CHECK(p.k.shows("已欠费 1 个月"));  // the screen and the slip below: one statement, one count
    p.k.tap("fees.print");
    p.settle();
    CHECK(p.k.shows("已打印，请从下方出纸口取走。"));
    auto pay_url = p.k.app->features().fees.s.pay_url;
    REQUIRE_FALSE(pay_url.empty());
    CHECK(test::decodes_to(p.last_printed(), "QR-Code", pay_url));
    auto slip = ui::fee_statement_slip(p.k.catalog, p.k.app->state(), p.k.app->features().fees.s);
    CHECK(says(slip, "1栋 102"));
    CHECK(says(slip, "已欠费 1 个月"));
    CHECK(says(slip, "待缴合计"));
    // One statement a visit: the button is spent.
    auto again = p.k.driver->tap("fees.print");
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().detail.find("disabled") != std::string::npos);
    p.settle();
    CHECK(p.printer.jobs(1).size() == 1);
}

TEST_CASE("out of paper: the repair is still saved, the resident is told to ask the desk, and the desk reprints", "[slips][staff]") {
    PrintingKiosk p;
    p.printer.set_mode(test::FakePrinter::Mode::PaperOut);
    p.k.file_emergency_repair();
    p.settle();
    CHECK(p.k.shows("BX-SG01-261122-K1-001"));
    CHECK(p.k.shows("暂时无法打印（打印机缺纸）。您的记录已保存，服务台可以为您补打。"));
    CHECK(p.k.store->outbox().outbox_depth() >= 1);
    CHECK(p.printer.jobs().empty());
    p.k.tap("repair.done");

    p.printer.set_mode(test::FakePrinter::Mode::Ready);  // the clerk refills the paper
    p.k.sign_in_staff();
    REQUIRE(p.k.screen() == Screen::StaffDesk);
    CHECK(p.k.shows("打印机 tcp 127.0.0.1:"));
    CHECK(p.k.shows("报修回执  BX-SG01-261122-K1-001  失败 · 打印机缺纸"));
    CHECK(p.printer.jobs().empty());  // nothing printed by itself after the refill
    auto id = p.queue->snapshot().recent.front().id;
    p.k.tap("staff.slip.reprint." + std::to_string(id));
    p.settle();
    CHECK(p.printer.jobs(1).size() == 1);
    CHECK(test::decodes_to(p.last_printed(), "QR-Code", "BX-SG01-261122-K1-001"));
    CHECK(p.k.shows("报修回执  BX-SG01-261122-K1-001  已打印"));
}

TEST_CASE("without a printer no slip is offered", "[slips]") {
    test::Kiosk k;
    k.prove("home.tile.fees", "B1", "B1-102", "11021102");
    CHECK_FALSE(k.has_widget("fees.print"));
    k.tap("fees.done");
    k.sign_in_staff();
    CHECK(k.shows("本机未配置打印机。"));
}

TEST_CASE("a saved complaint prints its receipt in the resident's language, with the reply time and ticket QR", "[slips][complaint]") {
    PrintingKiosk p;
    p.k.tap("lang.en");
    p.k.prove("home.tile.complaints", "B2", "B2-301", "23012301");
    p.k.tap("complaint.kind.suggestion");
    p.k.tap("complaint.phrase.suggestion.parking");
    p.k.tap("complaint.next");
    p.k.tap("complaint.where.0");
    p.k.tap("complaint.next");
    p.k.tap("complaint.when.3");
    p.k.tap("complaint.next");
    p.k.tap("complaint.next");
    p.k.tap("complaint.wants.4");
    p.k.tap("complaint.next");
    p.k.tap("complaint.next");
    p.k.tap("complaint.submit");
    std::string ticket = p.k.app->features().complaint.s.ticket;
    REQUIRE(ticket.rfind("TS-SG01-261122-K1-", 0) == 0);
    auto receipt = ui::complaint_receipt(p.k.catalog, p.k.app->state(), p.k.app->features().complaint.s);
    CHECK(says(receipt, "We will reply to you by 11-23 09:30"));
    CHECK(says(receipt, "Suggestion"));
    p.settle();
    CHECK(p.k.shows("Printed: please take it from the slot below."));
    CHECK(test::decodes_to(p.last_printed(), "QR-Code", ticket));
}
