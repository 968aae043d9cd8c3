#pragma once
// On-screen setup (issue #15 item 5): what a fresh kiosk is told on its setup screen, the one
// string a setup slip's QR code carries (a keyboard-wedge scanner types it into the setup screen),
// the file the answers are kept in (<data>/setup.toml), and the door through which the setup
// screen asks for the slow parts (a connection test, the enrolment and the first pull) to run off
// the UI thread. No network and no threads here: sync/client/setup_runner does the work.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/i18n.hpp"

namespace kiosk {

// What a setup slip's QR code holds: "LOBBYSETUP1|<url>|<site>|<kiosk>|<enrolment code>".
struct SetupCode {
    std::string url, site, kiosk, enrol_code;
};
inline constexpr std::string_view kSetupCodePrefix = "LOBBYSETUP1|";
inline constexpr size_t kMaxSetupCodeBytes = 1024;
// nullopt when a field cannot go in the string (empty, '|', a space or a control character, too long).
std::optional<std::string> setup_code_text(const SetupCode& c);
// A scanned string, hostile: nullopt unless it is exactly the format above with each field sound.
std::optional<SetupCode> parse_setup_code(std::string_view text);

// Checks of what is typed on the setup screen (the same rules the config files apply).
bool setup_url_ok(std::string_view url);             // http:// or https:// and a host, no spaces
bool setup_id_ok(std::string_view id);               // a site or kiosk id: 1-128 printable, no '-', '|' or space
bool setup_printer_ok(std::string_view target);      // "" (none), tcp://HOST:PORT or dev:/PATH
// A printer setting as the setup screen's choice: 0 none, 1 network (HOST:PORT), 2 USB (/dev/…);
// a target the screen cannot offer (file:, png:) reads as none.
struct SetupPrinterChoice {
    int kind = 0;
    std::string where;
};
SetupPrinterChoice setup_printer_choice(std::string_view target);

// The answers. Written to <data>/setup.toml with the keys kiosk.toml uses (site_id, kiosk_id,
// language, [headoffice] url, [printer] target and paper_mm) plus staff_pin_hash. The enrolment
// code is never written: once exchanged, the secret is kept beside the store (kiosk.secret).
struct SetupAnswers {
    Lang lang = Lang::ZhCN;
    std::string url, site, kiosk, enrol_code;
    std::string printer;   // "" none, tcp://HOST:9100, dev:/dev/usb/lp0
    int paper_mm = 80;
    std::string staff_pin;       // digits; hashed (Argon2id) by the runner, off the UI thread
    std::string staff_pin_hash;  // what is written
};
inline constexpr std::string_view kSetupFileName = "setup.toml";
// The file's text (TOML): strings escaped, nothing of the code or the PIN.
std::string setup_file_text(const SetupAnswers& a);
// Writes <dir>/setup.toml atomically (a new 0600 file beside it, fsynced, renamed over): "" when
// done, else what failed (and the old file is kept).
std::string write_setup_file(const std::filesystem::path& dir, const SetupAnswers& a);

// How the slow part of setup stands, as the setup screen reads it once a frame.
enum class SetupStage { Idle, Checking, Reachable, Enrolling, Pulling, Done, Failed };
struct SetupProgress {
    SetupStage stage = SetupStage::Idle;
    std::string error_key;  // Failed: setup.error.unreachable, setup.error.wrong_code, setup.error.save …
    std::string detail;     // for the log, never the code or the secret
    // The printer step's test slip (print_test), apart from the stages above.
    enum class SlipTest { None, Printing, Printed, Failed };
    SlipTest slip_test = SlipTest::None;
    std::string slip_key;   // Printed: setup.printer.test_printed; Failed: print.reason.* (why)
    uint64_t version = 0;
};

// What the setup screen asks of the kiosk's setup runner. Each call returns at once; the work
// runs on the runner's thread and shows in progress().
class SetupBackend {
public:
    virtual ~SetupBackend() = default;
    // GET <url>/v1/health.
    virtual void check(const std::string& url) = 0;
    // Hashes the PIN, enrols with the code, writes setup.toml, starts sync and pulls the site's data.
    virtual void finish(SetupAnswers a) = 0;
    // Prints a test slip through `target` (tcp://HOST:PORT or dev:/PATH) on `paper_mm` paper.
    virtual void print_test(const std::string& target, int paper_mm) = 0;
    virtual SetupProgress progress() const = 0;
    // The answers the kiosk runs with now (after a finished setup, that setup's): setup redone
    // from the desk starts from them. Never the enrolment code or a PIN.
    virtual SetupAnswers current() const = 0;
    // The hash of the setup's staff PIN ("" when none was set): redoing setup asks for it.
    virtual std::string staff_pin_hash() const = 0;
};

}  // namespace kiosk
