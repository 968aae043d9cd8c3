// On-screen setup (issue #15 item 5): a fresh kiosk set up by touch (and the setup slip's QR code
// through the scanner) against the real head-office server on loopback, ending on home with the
// site's data pulled; a wrong code and an unreachable head office each say so and keep what was
// typed; redoing setup from the desk needs the setup's staff PIN; the secret is never drawn or logged.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>

#include <stb/stb_image.h>
#include <sstream>

#include "fault_proxy.hpp"
#include "kiosk/app/options.hpp"
#include "headoffice_fixture.hpp"
#include "printing.hpp"
#include "kiosk/core/household.hpp"
#include "kiosk/core/qr.hpp"
#include "kiosk/core/setup.hpp"
#include "kiosk/print/print_queue.hpp"
#include "platform/config_file.hpp"
#include "platform/window.hpp"
#include "run_command.hpp"
#include "sync/client/setup_runner.hpp"
#include "sync/server/setup_slip.hpp"

using namespace kiosk;
using kiosk::ui::SetupState;
using kiosk::test::wait_until;

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Everything stderr gets while it lives, kept in a file (the journal, as systemd would keep it).
struct StderrCapture {
    test::TempDir dir;
    int saved = -1;
    StderrCapture() {
        std::fflush(stderr);
        saved = ::dup(2);
        int fd = ::open((dir.path / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 2);
        ::close(fd);
    }
    std::string text() {
        std::fflush(stderr);
        return read_text(dir.path / "stderr");
    }
    ~StderrCapture() {
        std::fflush(stderr);
        ::dup2(saved, 2);
        ::close(saved);
    }
};

// A fresh kiosk with its setup runner, showing setup as a kiosk with no enrolment boots.
struct FreshKiosk {
    test::Kiosk k{{1920, 1080}, nullptr, false};
    std::unique_ptr<sync::SetupRunner> runner;
    std::set<std::string> drawn;  // every text any frame drew

    // `queue`: the kiosk's print queue, as lobby-kiosk keeps one (a finished setup points it at
    // the printer chosen).
    explicit FreshKiosk(std::string pin_hash = {}, bool required = true, print::PrintQueue* queue = nullptr) {
        sync::SetupRunnerOptions o;
        o.data_dir = k.dir.path;
        o.sync.store_path = k.dir.path / "kiosk.db";
        o.sync.pull_every_s = 3600;
        o.staff_pin_hash = std::move(pin_hash);
        o.pull_timeout_s = 30;
        o.printer = queue;
        auto font = platform::find_cjk_font(KIOSK_ASSETS).value();
        o.font_path = font.path;
        o.font_face = font.face_index;
        if (queue) k.app->set_printer(queue);
        runner = std::make_unique<sync::SetupRunner>(o);
        k.app->set_sync([r = runner.get()] { return r->sync_snapshot(); }, [r = runner.get()] { r->wake_sync(); });
        k.app->set_setup(runner.get(), required);
        frame();
    }
    void frame() {
        k.driver->frame();
        for (auto& t : k.app->widgets().texts()) drawn.insert(t);
    }
    void tap(std::string_view id) {
        k.tap(id);
        frame();
    }
    // Frames until the runner has answered and the screen has taken its answer.
    void settle() {
        REQUIRE(wait_until(
            [&] {
                frame();
                return !k.app->working();
            },
            std::chrono::seconds(30)));
        frame();
        frame();
    }
    SetupState& s() { return k.app->features().setup.s; }
    SetupState::Step step() { return s().step; }
    bool drew(std::string_view needle) {
        for (auto& t : drawn)
            if (t.find(needle) != std::string::npos) return true;
        return false;
    }
};

std::string setup_string(const std::string& url, const std::string& kiosk, const std::string& code) {
    return setup_code_text({url, "SG01", kiosk, code}).value();
}

// Types a printer's address on the setup keyboard ('.' and ':' are keys of their own).
void type_address(FreshKiosk& f, std::string_view text) {
    for (char ch : text) {
        if (ch == '.') f.tap("keyboard.dot");
        else if (ch == ':') f.tap("keyboard.colon");
        else if (ch == '/') f.tap("keyboard.slash");
        else {
            f.k.type(std::string(1, ch));
            f.frame();
        }
    }
}

// A fresh kiosk in English taken to the printer step against `ho`, by the setup slip.
void to_printer_step(FreshKiosk& f, test::HeadOffice& ho, const std::string& code) {
    f.tap("setup.lang.en");
    f.tap("setup.next");
    f.k.driver->scan(setup_string(ho.url(), "K2", code));
    f.frame();
    f.tap("setup.check");
    f.settle();
    REQUIRE(f.step() == SetupState::Step::Printer);
}

// From the printer step with a printer chosen: past the scanner, the staff PIN 2468, setup
// finished and the kiosk home.
void finish_from_printer_step(FreshKiosk& f) {
    f.tap("setup.next");
    REQUIRE(f.step() == SetupState::Step::Scanner);
    f.tap("setup.next");
    f.k.type("2468");
    f.tap("setup.finish");
    f.settle();
    REQUIRE(f.k.screen() == ui::Screen::Home);
}

// A parcel label through the kiosk's own queue, printed: the printer's job `n` (1 = the first), as
// the image the printer was sent.
print::Bitmap print_parcel_label(print::PrintQueue& queue, test::FakePrinter& printer, size_t n) {
    print::Slip slip;
    slip.kind = "parcel_label";
    slip.reference = "P1";
    slip.title = "Parcel";
    slip.code128("P261122K2001");
    queue.submit(slip);
    REQUIRE(queue.wait_settled(std::chrono::seconds(20)));
    CHECK(queue.snapshot().recent.front().state == print::SlipState::Printed);
    auto jobs = printer.jobs(n);
    REQUIRE(jobs.size() == n);
    auto image = print::escpos_raster_image(jobs[n - 1]);
    REQUIRE(image.ok());
    return image.value();
}

}  // namespace

TEST_CASE("the setup slip's string carries address, site, kiosk and code, and nothing else reads as one", "[setup]") {
    auto text = setup_code_text({"http://10.0.0.5:8700", "SG01", "K2", "0123456789abcdef"});
    REQUIRE(text);
    CHECK(*text == "LOBBYSETUP1|http://10.0.0.5:8700|SG01|K2|0123456789abcdef");
    auto back = parse_setup_code(*text);
    REQUIRE(back);
    CHECK(back->url == "http://10.0.0.5:8700");
    CHECK(back->site == "SG01");
    CHECK(back->kiosk == "K2");
    CHECK(back->enrol_code == "0123456789abcdef");
    CHECK_FALSE(parse_setup_code("LOBBYSETUP1|http://a|SG01|K2"));            // a field short
    CHECK_FALSE(parse_setup_code("LOBBYSETUP1|http://a|SG01|K2|c|extra"));    // one too many
    CHECK_FALSE(parse_setup_code("LOBBYSETUP1|ftp://a|SG01|K2|c"));           // not http(s)
    CHECK_FALSE(parse_setup_code("LOBBYSETUP1|http://a|SG 01|K2|c"));         // a space
    CHECK_FALSE(parse_setup_code("LOBBYSETUP1|http://a|SG-01|K2|c"));         // ids have no '-'
    CHECK_FALSE(parse_setup_code("SF1400012345"));                            // a parcel's barcode
    CHECK_FALSE(parse_setup_code("LOBBYSETUP1|http://a|SG01|K2|" + std::string(2000, 'c')));
    CHECK_FALSE(setup_code_text({"http://a|b", "SG01", "K2", "c"}));
    auto qr = make_qr(*text);
    REQUIRE(qr);
    CHECK(qr_terminal_text(qr.value()).find("█") != std::string::npos);
}

TEST_CASE("setup.toml is written 0600 with the answers, without the code or the PIN, and the config reader takes it", "[setup]") {
    test::TempDir dir;
    SetupAnswers a;
    a.lang = Lang::En;
    a.url = "http://10.0.0.5:8700";
    a.site = "SG01";
    a.kiosk = "K2";
    a.enrol_code = "0123456789abcdef";
    a.staff_pin = "2468";
    a.staff_pin_hash = "$argon2id$v=19$m=8192,t=2,p=1$x$y";
    a.printer = "tcp://192.168.1.50:9100";
    a.paper_mm = 58;
    REQUIRE(write_setup_file(dir.path, a).empty());
    auto file = dir.path / "setup.toml";
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    std::string text = read_text(file);
    CHECK(text.find("0123456789abcdef") == std::string::npos);
    CHECK(text.find("2468") == std::string::npos);
    std::string language, site, kiosk, url, printer, hash;
    int paper = 0;
    std::vector<config::Key> keys{{"language", &language},      {"site_id", &site},          {"kiosk_id", &kiosk},
                                  {"staff_pin_hash", &hash},    {"headoffice.url", &url},    {"printer.target", &printer},
                                  {"printer.paper_mm", &paper, 0, -1, {58, 80}}};
    auto e = config::load(file.string(), keys);
    INFO(e.value_or(""));
    REQUIRE_FALSE(e);
    CHECK(language == "en");
    CHECK(site == "SG01");
    CHECK(kiosk == "K2");
    CHECK(url == a.url);
    CHECK(printer == a.printer);
    CHECK(paper == 58);
    CHECK(hash == a.staff_pin_hash);
    // Written again: the new answers replace the old file whole.
    a.printer.clear();
    REQUIRE(write_setup_file(dir.path, a).empty());
    CHECK(read_text(file).find("[printer]") == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path / "setup.toml.new"));
}

TEST_CASE("a fresh kiosk is set up by touch and the setup slip against head office, and ends on home with the site's data", "[setup][sync]") {
    test::HeadOffice ho;
    std::string code = ho.enrol("K2");
    StderrCapture err;
    FreshKiosk f;
    REQUIRE(f.k.screen() == ui::Screen::Setup);
    REQUIRE(f.step() == SetupState::Step::Language);
    // Home and the idle rule have nowhere else to go: still setup.
    f.tap("nav.home");
    CHECK(f.k.screen() == ui::Screen::Setup);

    f.tap("setup.lang.en");
    CHECK(f.k.chosen("setup.lang.en"));
    f.tap("setup.next");
    REQUIRE(f.step() == SetupState::Step::HeadOffice);
    // The slip's QR code through the scanner fills every field at once.
    f.k.driver->scan(setup_string(ho.url(), "K2", code));
    f.frame();
    CHECK(f.s().a.url == ho.url());
    CHECK(f.s().a.site == "SG01");
    CHECK(f.s().a.kiosk == "K2");
    CHECK(f.s().a.enrol_code == code);
    CHECK(f.k.shows("Setup slip read"));
    f.tap("setup.check");
    f.settle();
    REQUIRE(f.step() == SetupState::Step::Printer);
    CHECK(f.k.shows("Head office answered"));
    f.tap("setup.next");  // no printer
    REQUIRE(f.step() == SetupState::Step::Scanner);
    f.k.driver->scan("SF1400012345");
    f.frame();
    CHECK(f.k.shows("SF1400012345"));
    f.tap("setup.next");
    REQUIRE(f.step() == SetupState::Step::Pin);
    f.k.type("2468");
    f.tap("setup.finish");
    f.settle();
    INFO(f.k.app->state().session.message_key);
    REQUIRE(f.k.screen() == ui::Screen::Home);
    CHECK(f.k.app->state().lang == Lang::En);
    CHECK_FALSE(f.k.app->features().setup.required());
    // The site's data arrived: the demo site's notices and services show at home.
    CHECK_FALSE(f.k.store->datasets().display_texts().empty());
    CHECK(f.k.has_widget("home.tile.repairs"));
    // The answers are kept for the next start; the code and the PIN are not; the secret is beside the store.
    std::string setup_toml = read_text(f.k.dir.path / "setup.toml");
    CHECK(setup_toml.find("kiosk_id = \"K2\"") != std::string::npos);
    CHECK(setup_toml.find(code) == std::string::npos);
    CHECK(setup_toml.find("2468") == std::string::npos);
    CHECK(setup_toml.find("$argon2id$") != std::string::npos);
    auto secret = f.k.store->read_secret();
    REQUIRE(secret);
    // Records from now on carry the site and kiosk setup named.
    CHECK(f.k.store->kiosk_id() == "K2");
    CHECK(f.runner->sync_snapshot().configured);
    // The secret is never drawn, nor written to stderr (the journal).
    CHECK_FALSE(f.drew(*secret));
    CHECK_FALSE(f.drew(code));
    CHECK(err.text().find(*secret) == std::string::npos);
    CHECK(err.text().find(code) == std::string::npos);
    // The PIN set at setup is the one redoing setup asks for.
    CHECK(staff_pin_matches(f.runner->staff_pin_hash(), "2468"));
}

TEST_CASE("a wrong enrolment code says so and keeps what was typed", "[setup][sync]") {
    test::HeadOffice ho;
    ho.enrol("K2");
    StderrCapture err;
    FreshKiosk f;
    f.tap("setup.next");
    f.k.driver->scan(setup_string(ho.url(), "K2", "ffffffffffffffff"));
    f.frame();
    f.tap("setup.check");
    f.settle();
    REQUIRE(f.step() == SetupState::Step::Printer);
    f.tap("setup.next");
    f.tap("setup.next");
    f.k.type("2468");
    f.tap("setup.finish");
    f.settle();
    CHECK(f.k.screen() == ui::Screen::Setup);
    REQUIRE(f.step() == SetupState::Step::HeadOffice);
    CHECK(f.k.app->state().session.message_key == "setup.error.wrong_code");
    CHECK(f.k.shows(f.k.catalog.tr(Lang::ZhCN, "setup.error.wrong_code")));
    CHECK(f.s().a.url == ho.url());
    CHECK(f.s().a.kiosk == "K2");
    CHECK(f.s().a.enrol_code == "ffffffffffffffff");
    CHECK(f.s().field == 3);  // the code's field is the one to fix
    CHECK_FALSE(std::filesystem::exists(f.k.dir.path / "setup.toml"));
    CHECK_FALSE(f.k.store->read_secret());
    CHECK(err.text().find("ffffffffffffffff") == std::string::npos);
}

TEST_CASE("an unreachable head office says so and keeps what was typed", "[setup][sync]") {
    int port = 0;
    {
        test::HeadOffice gone;  // a port that answered once and is closed now
        port = gone.port;
    }
    FreshKiosk f;
    f.tap("setup.next");
    std::string url = "http://127.0.0.1:" + std::to_string(port);
    f.k.driver->scan(setup_string(url, "K2", "0123456789abcdef"));
    f.frame();
    f.tap("setup.check");
    f.settle();
    REQUIRE(f.step() == SetupState::Step::HeadOffice);
    CHECK(f.k.app->state().session.message_key == "setup.error.unreachable");
    CHECK(f.k.shows(f.k.catalog.tr(Lang::ZhCN, "setup.error.unreachable")));
    CHECK(f.s().a.url == url);
    CHECK(f.s().a.site == "SG01");
    CHECK(f.s().a.enrol_code == "0123456789abcdef");
}

TEST_CASE("fields typed on the setup keyboard: capitals, the address's characters and delete", "[setup]") {
    FreshKiosk f;
    f.tap("setup.next");
    f.tap("setup.field.url");
    for (const char* key : {"keyboard.H", "keyboard.T", "keyboard.T", "keyboard.P", "keyboard.colon", "keyboard.slash",
                            "keyboard.slash", "keyboard.H", "keyboard.O", "keyboard.dot", "keyboard.X", "keyboard.back"})
        f.tap(key);
    CHECK(f.s().a.url == "http://ho.");
    f.tap("setup.field.site");
    f.tap("keyboard.shift");
    f.k.type("SG01");
    CHECK(f.s().a.site == "SG01");
    // Fields missing or malformed are refused on the spot, before anything is sent.
    f.tap("setup.check");
    CHECK(f.step() == SetupState::Step::HeadOffice);
    CHECK(f.k.app->state().session.message_key == "setup.error.ids");  // no kiosk yet
    f.tap("setup.field.url");
    for (int i = 0; i < 4; ++i) f.tap("keyboard.back");
    CHECK(f.s().a.url == "http:/");
    f.tap("setup.check");
    CHECK(f.k.app->state().session.message_key == "setup.error.url");
    CHECK(f.k.shows(f.k.catalog.tr(Lang::ZhCN, "setup.error.url")));
}

TEST_CASE("setup is redone from the staff desk only, and only with the setup's staff PIN", "[setup]") {
    auto hash = household_pin_hash("2468");
    REQUIRE(hash);
    test::Kiosk k;
    sync::SetupRunnerOptions o;
    o.data_dir = k.dir.path;
    o.sync.store_path = k.dir.path / "kiosk.db";
    o.staff_pin_hash = *hash;
    sync::SetupRunner runner(o);
    k.app->set_setup(&runner, false);
    k.driver->frame();
    // A resident sees no way into setup.
    CHECK(k.screen() == ui::Screen::Home);
    CHECK_FALSE(k.has_widget("staff.desk.setup"));
    k.sign_in_staff();
    k.tap("staff.desk.setup");
    REQUIRE(k.screen() == ui::Screen::Setup);
    REQUIRE(k.app->features().setup.s.step == SetupState::Step::Unlock);
    CHECK_FALSE(k.has_widget("setup.next"));
    k.type("1357");
    k.tap("setup.unlock.submit");
    k.driver->frame();
    CHECK(k.app->features().setup.s.step == SetupState::Step::Unlock);
    CHECK(k.app->state().session.message_key == "setup.unlock.wrong");
    k.type("2468");
    k.tap("setup.unlock.submit");
    k.driver->frame();
    CHECK(k.app->features().setup.s.step == SetupState::Step::Language);
    CHECK(k.has_widget("setup.lang.en"));
}

TEST_CASE("lobby-headoffice add-kiosk --setup-url prints the setup string and writes the slip's QR code", "[setup][cli]") {
    test::TempDir dir;
    std::string db = (dir.path / "ho.db").string();
    auto [rc0, out0] = test::run_command(std::string(LOBBY_HEADOFFICE) + " import --db " + db + " --site-id SG01 " + KIOSK_DEMO_SITE);
    REQUIRE(rc0 == 0);
    auto slip = dir.path / "slip.png";
    auto [rc, out] = test::run_command(std::string(LOBBY_HEADOFFICE) + " add-kiosk --db " + db +
                                       " --site-id SG01 --kiosk K3 --setup-url http://10.0.0.5:8700 --qr --slip " + slip.string());
    INFO(out);
    REQUIRE(rc == 0);
    // stdout and stderr together: the code is the line of 16 hex digits, the setup string its own line.
    std::istringstream lines(out);
    std::string line, code, text;
    while (std::getline(lines, line)) {
        if (line.rfind("LOBBYSETUP1|", 0) == 0) text = line;
        else if (line.size() == 16 && line.find_first_not_of("0123456789abcdef") == std::string::npos) code = line;
    }
    REQUIRE_FALSE(code.empty());
    auto parsed = parse_setup_code(text);
    REQUIRE(parsed);
    CHECK(parsed->url == "http://10.0.0.5:8700");
    CHECK(parsed->kiosk == "K3");
    CHECK(parsed->enrol_code == code);
    CHECK(out.find("█") != std::string::npos);  // the terminal QR code
    CHECK(out.find("no font found") == std::string::npos);  // this machine has the kiosk's font: a captioned slip
    struct stat st {};
    REQUIRE(::stat(slip.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(read_text(slip).rfind("\x89PNG", 0) == 0);
    // The slip as printed: 80 mm of paper with a caption above and below the QR code, which a
    // scanner reads back as the setup string (zbar, from the PNG's pixels).
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(slip.c_str(), &w, &h, &n, 1);
    REQUIRE(px);
    std::vector<uint8_t> grey(px, px + static_cast<size_t>(w) * h);
    stbi_image_free(px);
    CHECK(w == 576);
    // The QR code alone was a square PNG; the caption's lines (site, kiosk, address, where to
    // scan it, that it is spent once used) above and below make the slip ~540 dots long.
    CHECK(h != w);
    CHECK(h > 400);
    // Ink above the QR code: the first 100 rows carry the title and the site.
    CHECK(std::count(grey.begin(), grey.begin() + 100 * w, uint8_t{0}) > 500);
    std::string decoded;
    for (auto& d : test::decode_grey(grey, w, h, false))
        if (d.type == "QR-Code") decoded = d.data;
    CHECK(decoded == text);
    // ... and that string fills in setup: the scanner types it into a fresh kiosk's setup screen.
    FreshKiosk f;
    f.tap("setup.next");
    f.k.driver->scan(decoded);
    f.frame();
    CHECK(f.step() == SetupState::Step::HeadOffice);
    CHECK(f.s().a.url == "http://10.0.0.5:8700");
    CHECK(f.s().a.site == "SG01");
    CHECK(f.s().a.kiosk == "K3");
    CHECK(f.s().a.enrol_code == code);
    // A bad address is refused before a code is spent.
    auto [bad, why] = test::run_command(std::string(LOBBY_HEADOFFICE) + " add-kiosk --db " + db +
                                        " --site-id SG01 --kiosk K4 --setup-url ftp://x 2>&1");
    CHECK(bad != 0);
    CHECK(why.find("--setup-url") != std::string::npos);
}

TEST_CASE("a head office without any font still writes a setup slip that scans, the QR code without its caption", "[setup][cli]") {
    test::TempDir dir;
    SetupCode code{"http://10.0.0.5:8700", "SG01", "K3", "0123456789abcdef"};
    auto png = dir.path / "slip.png";
    // No font on the machine: none of the fonts looked for is there.
    std::vector<headoffice::SlipFontFile> none{{(dir.path / "wqy-microhei.ttc").string(), 0, true},
                                               {(dir.path / "DejaVuSans.ttf").string(), 0, false}};
    auto w = headoffice::write_setup_slip(code, png, none);
    REQUIRE(w);
    CHECK_FALSE(w.value().captioned);
    CHECK(w.value().font.empty());
    int width = 0, height = 0, n = 0;
    unsigned char* px = stbi_load(png.c_str(), &width, &height, &n, 1);
    REQUIRE(px);
    std::vector<uint8_t> grey(px, px + static_cast<size_t>(width) * height);
    stbi_image_free(px);
    CHECK(width == height);  // the QR code alone, square: no caption's lines above or below
    std::string decoded;
    for (auto& d : test::decode_grey(grey, width, height, false))
        if (d.type == "QR-Code") decoded = d.data;
    CHECK(decoded == setup_code_text(code).value());
    // The first font that is there draws the caption: the list is what the package recommends.
    auto first = headoffice::setup_slip_fonts().front();
    CHECK(first.path == "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");  // fonts-wqy-microhei
    if (std::filesystem::exists(first.path)) {
        std::vector<headoffice::SlipFontFile> one{none[0], first};
        auto drawn = headoffice::write_setup_slip(code, png, one);
        REQUIRE(drawn);
        CHECK(drawn.value().captioned);
        CHECK(drawn.value().font == first.path);
    }
}

TEST_CASE("the printer step prints a test slip through the network printer typed, and says whether it came out", "[setup][print]") {
    test::HeadOffice ho;
    std::string code = ho.enrol("K2");
    test::FakePrinter printer;
    FreshKiosk f;
    to_printer_step(f, ho, code);
    CHECK_FALSE(f.k.has_widget("setup.printer.test"));  // no printer chosen: nothing to test
    f.tap("setup.printer.network");
    std::string where = printer.uri().substr(6);  // 127.0.0.1:PORT
    type_address(f, where);
    REQUIRE(f.s().printer_where == where);
    f.tap("setup.printer.test");
    f.settle();
    CHECK(f.runner->progress().slip_test == SetupProgress::SlipTest::Printed);
    CHECK(f.k.shows("Test slip printed"));
    // The slip came out of the printer chosen, and its barcode scans from the bytes it got.
    auto jobs = printer.jobs(1);
    REQUIRE(jobs.size() == 1);
    auto image = print::escpos_raster_image(jobs[0]);
    REQUIRE(image.ok());
    CHECK(image.value().width == 576);  // 80 mm paper, the default
    CHECK(test::decodes_to(image.value(), "CODE-128", "LOBBYTEST"));
    CHECK(f.step() == SetupState::Step::Printer);  // the step stays: Next still to tap

    // Out of paper: said in red words, with the reason, not as printed.
    printer.set_mode(test::FakePrinter::Mode::PaperOut);
    f.tap("setup.printer.test");
    f.settle();
    CHECK(f.runner->progress().slip_test == SetupProgress::SlipTest::Failed);
    CHECK(f.runner->progress().slip_key == "print.reason.paper_out");
    CHECK(f.k.shows("Test slip not printed: " + f.k.catalog.tr(Lang::En, "print.reason.paper_out")));
    CHECK(printer.jobs().size() == 1);  // nothing sent to a printer without paper

    // A printer that is not there: said too.
    int gone_port = 0;
    {
        test::FakePrinter gone;
        gone_port = std::stoi(gone.uri().substr(gone.uri().rfind(':') + 1));
    }
    for (int i = 0; i < 24; ++i) f.tap("keyboard.back");
    REQUIRE(f.s().printer_where.empty());
    type_address(f, "127.0.0.1:" + std::to_string(gone_port));
    f.tap("setup.printer.test");
    f.settle();
    CHECK(f.runner->progress().slip_key == "print.reason.unreachable");
    CHECK(f.k.shows("Test slip not printed: " + f.k.catalog.tr(Lang::En, "print.reason.unreachable")));
}

TEST_CASE("a printer chosen in setup prints at once when setup finishes, without a restart", "[setup][print][sync]") {
    test::HeadOffice ho;
    std::string code = ho.enrol("K2");
    test::FakePrinter printer;
    // As lobby-kiosk starts with no printer: a queue with nothing behind it.
    print::PrintQueue queue(nullptr, print::Paper::mm80, platform::find_cjk_font(KIOSK_ASSETS).value().path,
                            platform::find_cjk_font(KIOSK_ASSETS).value().face_index);
    CHECK_FALSE(queue.snapshot().configured);
    FreshKiosk f({}, true, &queue);
    CHECK_FALSE(f.k.app->state().printer.configured);
    to_printer_step(f, ho, code);
    f.tap("setup.printer.network");
    type_address(f, printer.uri().substr(6));
    finish_from_printer_step(f);
    // The kiosk's own queue prints to it now: the desk sees the printer, and a slip comes out.
    CHECK(queue.snapshot().configured);
    CHECK(queue.snapshot().name.find(printer.uri().substr(6)) != std::string::npos);
    f.frame();
    CHECK(f.k.app->state().printer.configured);
    CHECK(test::decodes_to(print_parcel_label(queue, printer, 1), "CODE-128", "P261122K2001"));
    // And the runner's current answers are this setup's, without the code or the PIN.
    SetupAnswers now = f.runner->current();
    CHECK(now.kiosk == "K2");
    CHECK(now.url == ho.url());
    CHECK(now.printer == printer.uri());
    CHECK(now.enrol_code.empty());
    CHECK(now.staff_pin.empty());
    CHECK(now.staff_pin_hash.empty());
}

TEST_CASE("the paper chosen on the printer step sizes the test slip, the kiosk's slips at once, and the next start", "[setup][print][sync]") {
    test::HeadOffice ho;
    std::string code = ho.enrol("K2");
    test::FakePrinter printer;
    auto font = platform::find_cjk_font(KIOSK_ASSETS).value();
    print::PrintQueue queue(nullptr, print::Paper::mm80, font.path, font.face_index);
    FreshKiosk f({}, true, &queue);
    to_printer_step(f, ho, code);
    CHECK_FALSE(f.k.has_widget("setup.paper.58"));  // no printer: no paper to choose
    f.tap("setup.printer.network");
    type_address(f, printer.uri().substr(6));
    // 80 mm unless told otherwise, shown as chosen (edge and check mark), not by colour alone.
    CHECK(f.k.chosen("setup.paper.80"));
    CHECK_FALSE(f.k.chosen("setup.paper.58"));
    CHECK(f.k.shows("58 mm paper"));

    f.tap("setup.paper.58");
    CHECK(f.k.chosen("setup.paper.58"));
    CHECK_FALSE(f.k.chosen("setup.paper.80"));
    f.tap("setup.printer.test");
    f.settle();
    REQUIRE(f.runner->progress().slip_test == SetupProgress::SlipTest::Printed);
    auto jobs = printer.jobs(1);
    REQUIRE(jobs.size() == 1);
    auto narrow = print::escpos_raster_image(jobs[0]);
    REQUIRE(narrow.ok());
    CHECK(narrow.value().width == 384);  // 58 mm: 48 mm printable at 203 dpi
    CHECK(test::decodes_to(narrow.value(), "CODE-128", "LOBBYTEST"));

    f.tap("setup.paper.80");
    CHECK_FALSE(f.k.shows("Test slip printed"));  // that answer was for the other roll
    f.tap("setup.printer.test");
    f.settle();
    jobs = printer.jobs(2);
    REQUIRE(jobs.size() == 2);
    auto wide = print::escpos_raster_image(jobs[1]);
    REQUIRE(wide.ok());
    CHECK(wide.value().width == 576);  // 80 mm: 72 mm printable

    // Setup finished on 58 mm: the kiosk's own queue prints 58 mm wide from now on, no restart.
    f.tap("setup.paper.58");
    finish_from_printer_step(f);
    CHECK(print_parcel_label(queue, printer, 3).width == 384);
    CHECK(f.runner->current().paper_mm == 58);

    // The next start: lobby-kiosk reads setup.toml as it does at start (flags > setup.toml >
    // kiosk.toml), and its queue is made for the roll chosen.
    CHECK(read_text(f.k.dir.path / "setup.toml").find("paper_mm = 58") != std::string::npos);
    app::Options o;
    o.data_dir = f.k.dir.path.string();
    REQUIRE_FALSE(app::read_setup_file(o, [](const char*) { return false; }));
    CHECK(o.paper_mm == 58);
    CHECK(o.printer == printer.uri());
    // ... unless the command line says otherwise.
    app::Options flagged;
    flagged.data_dir = f.k.dir.path.string();
    flagged.paper_mm = 80;
    REQUIRE_FALSE(app::read_setup_file(flagged, [](const char* flag) { return std::string_view(flag) == "--paper"; }));
    CHECK(flagged.paper_mm == 80);
}

TEST_CASE("a setup.toml with a paper width the printer cannot take is refused naming the file, the line and the key", "[setup][config]") {
    test::TempDir dir;
    {
        std::ofstream out(dir.path / "setup.toml");
        out << "site_id = \"SG01\"\n\n[printer]\ntarget = \"tcp://10.0.0.9:9100\"\npaper_mm = 76\n";
    }
    app::Options o;
    o.data_dir = dir.path.string();
    auto e = app::read_setup_file(o, [](const char*) { return false; });
    REQUIRE(e);
    CHECK(*e == (dir.path / "setup.toml").string() + ":5: key 'printer.paper_mm': is 58 or 80, not 76");
    CHECK(o.paper_mm == 80);  // nothing taken from a bad file
    CHECK(o.printer.empty());
}

TEST_CASE("setup redone from the desk starts from the kiosk's current answers, never the code or the PIN", "[setup]") {
    auto hash = household_pin_hash("2468");
    REQUIRE(hash);
    test::Kiosk k;
    sync::SetupRunnerOptions o;
    o.data_dir = k.dir.path;
    o.sync.store_path = k.dir.path / "kiosk.db";
    o.staff_pin_hash = *hash;
    o.current.lang = Lang::En;
    o.current.url = "http://10.0.0.5:8700";
    o.current.site = "SG01";
    o.current.kiosk = "K7";
    o.current.printer = "tcp://10.0.0.9:9100";
    o.current.paper_mm = 58;
    o.current.enrol_code = "0123456789abcdef";  // whatever the caller passes, setup never shows it
    sync::SetupRunner runner(o);
    k.app->set_setup(&runner, false);
    k.driver->frame();
    k.sign_in_staff();
    k.tap("staff.desk.setup");
    k.type("2468");
    k.tap("setup.unlock.submit");
    k.driver->frame();
    auto& s = k.app->features().setup.s;
    REQUIRE(s.step == SetupState::Step::Language);
    CHECK(k.app->state().lang == Lang::En);
    CHECK(k.app->widgets().find("setup.lang.en"));
    CHECK(k.chosen("setup.lang.en"));
    CHECK(s.a.url == "http://10.0.0.5:8700");
    CHECK(s.a.site == "SG01");
    CHECK(s.a.kiosk == "K7");
    CHECK(s.a.paper_mm == 58);
    CHECK(s.a.enrol_code.empty());
    CHECK(s.a.staff_pin.empty());
    k.tap("setup.next");
    k.driver->frame();
    CHECK(k.shows("http://10.0.0.5:8700"));
    CHECK(k.shows("K7"));
    // The printer step shows the printer the kiosk prints to.
    s.step = SetupState::Step::Printer;
    k.driver->frame();
    CHECK(s.printer_kind == 1);
    CHECK(s.printer_where == "10.0.0.9:9100");
    CHECK(k.chosen("setup.printer.network"));
    CHECK(k.has_widget("setup.printer.test"));
    CHECK(k.chosen("setup.paper.58"));  // the roll it prints on
    CHECK_FALSE(k.chosen("setup.paper.80"));
}

TEST_CASE("stopping the kiosk during a slow first pull returns within seconds, and asking twice never waits", "[setup][sync]") {
    test::HeadOffice ho;
    std::string code = ho.enrol("K2");
    test::FaultProxy proxy(ho.port);
    proxy.pass_first(2);  // the health check and the enrolment
    proxy.set_delay(std::chrono::seconds(60));
    proxy.set_mode(test::FaultProxy::Mode::Delay);
    test::TempDir dir;
    sync::SetupRunnerOptions o;
    o.data_dir = dir.path;
    o.sync.store_path = dir.path / "kiosk.db";
    o.pull_timeout_s = 120;
    auto runner = std::make_unique<sync::SetupRunner>(o);
    SetupAnswers a;
    a.url = proxy.url();
    a.site = "SG01";
    a.kiosk = "K2";
    a.enrol_code = code;
    a.staff_pin = "2468";
    auto t0 = std::chrono::steady_clock::now();
    runner->finish(a);
    // Asked again at once (the screen never does, but nothing may wait on the UI thread).
    runner->check(proxy.url());
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));
    REQUIRE(wait_until([&] { return runner->progress().stage == SetupStage::Pulling; }, std::chrono::seconds(30)));
    // The first pull is held back by the slow link (60 s): setup waits for it.
    auto stop0 = std::chrono::steady_clock::now();
    runner.reset();  // as the kiosk exits on SIGTERM
    auto took = std::chrono::steady_clock::now() - stop0;
    INFO("stopping took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    CHECK(took < std::chrono::seconds(5));  // the unit's stop timeout is 15 s
}
