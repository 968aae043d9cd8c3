#pragma once
// lobby-kiosk's options: what the command line, /etc/lobby-kiosk/kiosk.toml (--config) and
// on-screen setup's <data>/setup.toml set, and the runs that need no kiosk loop (the widget list,
// the capture tour, a UI script).
#include <cstdio>
#include <ctime>
#include <functional>
#include <optional>
#include <string>

#include "platform/window.hpp"
#include "sync/client/sync_worker.hpp"

namespace kiosk::ui {
class KioskApp;
class Driver;
}  // namespace kiosk::ui

namespace kiosk::app {

struct Options {
    std::string data_dir = "kiosk-data";
    std::string assets_dir = platform::default_assets_dir(KIOSK_ASSETS_DIR);
    std::string font_dir;     // the build's font subset; "" = fonts/ beside this program
    std::string site_file;
    std::string site_id = "SG01";
    std::string kiosk_id = "K1";
    std::string building;     // the lobby's building (announcements for some buildings); "" = the desk, all
    std::string capture_dir;
    std::string script_file;
    std::string now;          // "YYYY-MM-DD HH:MM" for the virtual clock of scripts and captures
    std::string hash_pin;
    std::string printer;      // "" none; tcp://host:9100, dev:/dev/usb/lp0, file:PATH, png:DIR
    int paper_mm = 80;
    std::string headoffice;   // "" works alone; http://host:8700 or https://…
    std::string enrol_code;   // first start with a head office: exchanged once for the kiosk's secret
    std::string headoffice_ca;  // https with a private CA: its certificate (PEM)
    bool fullscreen = false;
    bool headless = false;
    bool list_widgets = false;
    bool report_timing = false;
    std::string write_large_estate;  // write the large estate's site file here and exit
    bool all_pins = false;           // with --write-large-estate: a PIN for every flat (~25 s)
    bool seed_desk = false;          // the large estate's parcels and open repairs, once
    std::string tour = "demo";       // --capture / --list-widgets: demo | large
    std::string config_file;         // --config: /etc/lobby-kiosk/kiosk.toml
    std::string language;            // the language home starts in: zh-CN (default), en, zh-TW
    bool setup = false;              // --setup: show on-screen setup even though the kiosk is set up
    std::string staff_pin_hash;      // the setup's staff PIN (setup.toml only): redoing setup asks for it
    int width = 1920, height = 1080;
    // --sync-once S: a capture or a script meets head office first (and a script again after),
    // each exchange within S seconds; 0: they never sync.
    double sync_once_s = 0;
};

// "lobby-kiosk: WHAT" on stderr; returns the exit code 1.
inline int fail(const std::string& what) {
    std::fprintf(stderr, "lobby-kiosk: %s\n", what.c_str());
    return 1;
}

// The configuration file's keys (--config FILE) into `o`: nullopt, or the error naming the file,
// line and key. Called before the flags are parsed, so flags override it.
std::optional<std::string> read_config_file(const std::string& file, Options& o);
// What on-screen setup wrote (<data>/setup.toml), if it exists, into `o` for every key whose flag
// was not given (`flag_given("--printer")`): flags > setup.toml > kiosk.toml.
std::optional<std::string> read_setup_file(Options& o, const std::function<bool(const char*)>& flag_given);

// The runs without the kiosk loop (headless_runs.cpp).
void list_widgets(ui::KioskApp& app, ImVec2 display, std::time_t wall, const Options& o);
int run_capture(ui::KioskApp& app, platform::Window& win, const Options& o, std::time_t wall);
int run_script(ui::Driver& d, const Options& o);
// One sync round with o.headoffice, on a worker of its own over the store file: the outbox pushed
// and every data set pulled, or why not within o.sync_once_s (the last error head office or the
// network gave). What a capture or a script shows is then what head office holds.
std::optional<std::string> sync_once(const Options& o);
// The sync worker's settings the options give (head office, store, site, kiosk, enrolment code,
// CA, version); the caller adds its own pace and reports.
sync::SyncOptions sync_options(const Options& o);

}  // namespace kiosk::app
