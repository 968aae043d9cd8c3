// The runs of lobby-kiosk that need no kiosk loop: the widget ids scripts can tap, every screen
// as pictures (--capture) and a UI script on a virtual clock (--script).
#include <chrono>
#include <filesystem>
#include <fstream>

#include "kiosk/app/gl_driver.hpp"
#include "kiosk/app/options.hpp"
#include "kiosk/ui/app.hpp"
#include "kiosk/ui/script.hpp"
#include "kiosk/ui/tour.hpp"
#include "sync/client/sync_worker.hpp"
#include "lobby_version.hpp"  // generated: LOBBY_PACKAGE_VERSION_STRING

namespace kiosk::app {

namespace {
const std::vector<ui::TourStop>& tour_of(const Options& o) {
    return o.tour == "large" ? ui::large_estate_tour() : ui::screen_tour();
}
}  // namespace

void list_widgets(ui::KioskApp& app, ImVec2 display, std::time_t wall, const Options& o) {
    for (auto& st : tour_of(o)) {
        app.reset_session();
        ui::Driver d(app, display, wall);
        st.reach(d);
        d.frame();
        std::printf("%s  (screen %s)\n", st.name.c_str(), std::string(ui::screen_name(app.screen())).c_str());
        for (auto& r : app.widgets().rects()) std::printf("  %s\n", r.id.c_str());
    }
}

// Every tour stop in every language, normally (<stop>.<lang>.png) and in elder mode
// (<stop>.elder.<lang>.png): only the frames the stops need are drawn, and one per picture read back.
int run_capture(ui::KioskApp& app, platform::Window& win, const Options& o, std::time_t wall) {
    int written = 0;
    // The large estate's tour carries its own elder stops: it is drawn in one mode.
    for (bool elder : {false, true}) {
        if (elder && o.tour == "large") continue;
        for (auto& st : tour_of(o)) {
            for (Lang l : kAllLangs) {
                app.reset_session();
                app.state().lang = l;
                app.state().elder = elder;
                GlDriver d(app, win, wall);
                try {
                    st.reach(d);
                } catch (const std::exception& e) {
                    // Elder mode cannot yet reach every stop (the pinyin text box does not fit its
                    // screen, issue #14): said, and no picture under the stop's name.
                    if (elder) {
                        std::fprintf(stderr, "lobby-kiosk: capture %s (elder): not reached: %s\n", st.name.c_str(), e.what());
                        continue;
                    }
                    return fail("capture " + st.name + ": " + e.what());
                }
                d.frame();
                std::string path = o.capture_dir + "/" + st.name + (elder ? ".elder." : ".") + std::string(lang_code(l)) + ".png";
                if (auto r = d.capture(path); !r) return fail(r.error().detail);
                ++written;
            }
        }
    }
    std::printf("lobby-kiosk: wrote %d pictures to %s\n", written, o.capture_dir.c_str());
    return 0;
}

int run_script(ui::Driver& d, const Options& o) {
    std::ifstream in(o.script_file);
    if (!in) return fail("cannot open script " + o.script_file);
    auto base = std::filesystem::path(o.script_file).parent_path();
    auto r = ui::run_script(d, in, base);
    if (!r.ok) {
        std::fprintf(stderr, "lobby-kiosk: script %s:%d: step '%s' failed: %s\n", o.script_file.c_str(), r.line,
                     r.step.c_str(), r.reason.c_str());
        return 2;
    }
    std::printf("lobby-kiosk: script %s: %d steps passed\n", o.script_file.c_str(), r.steps);
    return 0;
}

sync::SyncOptions sync_options(const Options& o) {
    sync::SyncOptions so;
    so.url = o.headoffice;
    so.store_path = o.data_dir + "/kiosk.db";
    so.site = o.site_id;
    so.kiosk = o.kiosk_id;
    so.enrol_code = o.enrol_code;
    so.ca_file = o.headoffice_ca;
    so.version = LOBBY_PACKAGE_VERSION_STRING;
    return so;
}

std::optional<std::string> sync_once(const Options& o) {
    sync::SyncOptions so = sync_options(o);
    // A failed attempt is tried again soon: the whole exchange has o.sync_once_s, not a kiosk's patience.
    so.backoff_first_s = 0.2;
    so.backoff_cap_s = 2;
    so.connect_timeout_ms = 2000;
    so.request_timeout_s = static_cast<long>(o.sync_once_s) + 1;
    auto worker = sync::SyncWorker::start(so);
    if (!worker) return worker.error().detail;
    auto deadline = std::chrono::milliseconds(static_cast<int64_t>(o.sync_once_s * 1000));
    bool synced = worker.value()->wait_synced(deadline);
    std::string why = worker.value()->snapshot().last_error;
    worker.value()->stop();
    if (synced) return std::nullopt;
    return "no sync with " + o.headoffice + " within " + std::to_string(static_cast<int>(o.sync_once_s)) + " s" +
           (why.empty() ? std::string() : ": " + why);
}

}  // namespace kiosk::app
