// lobby-kiosk: the lobby touchscreen. Runs the kiosk in a window (or fullscreen), or renders every
// screen to PNG (--capture), or plays a UI script on a virtual clock (--script), or lists the
// widget ids scripts can tap (--list-widgets).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <csignal>
#include <malloc.h>
#include <unistd.h>

#include "lobby_version.hpp"  // generated: LOBBY_PACKAGE_VERSION_STRING
#include "kiosk/app/gl_driver.hpp"
#include "kiosk/app/load.hpp"
#include "kiosk/app/options.hpp"
#include "kiosk/core/private_file.hpp"
#include "kiosk/core/run_state.hpp"
#include "kiosk/core/setup.hpp"
#include "kiosk/print/print_queue.hpp"
#include "kiosk/store/large_estate.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/fonts.hpp"
#include "sync/client/setup_runner.hpp"
#include "sync/client/sync_worker.hpp"
#include "platform/chinese_script.hpp"
#include "platform/config_file.hpp"
#include "kiosk/app/service_loop.hpp"
#include "platform/service_notify.hpp"
#include "platform/pinyin.hpp"
#include "platform/speech.hpp"
#include "platform/window.hpp"

using namespace kiosk;

// The package's version (packaging/version.cmake), the one dpkg shows and the heartbeat reports.
#define KIOSK_VERSION LOBBY_PACKAGE_VERSION_STRING
using kiosk::app::fail;
using kiosk::app::Options;
using kiosk::app::Loaded;
using kiosk::app::load;

namespace {


double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double mono_now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::time_t parse_now(const std::string& s) {
    if (s.empty()) return std::time(nullptr);
    std::tm tm{};
    if (!strptime(s.c_str(), "%Y-%m-%d %H:%M", &tm)) throw std::runtime_error("--now takes 'YYYY-MM-DD HH:MM', not '" + s + "'");
    tm.tm_isdst = -1;
    return std::mktime(&tm);
}


// Resident memory now and at its peak, in MB (for --report-timing).
std::pair<double, double> rss_mb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    double now = 0, peak = 0;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) now = std::atof(line.c_str() + 6) / 1024;
        if (line.rfind("VmHWM:", 0) == 0) peak = std::atof(line.c_str() + 6) / 1024;
    }
    return {now, peak};
}


// The kiosk proper: draw only when something changed (input, a timer, a wake-up from another
// thread), sleep otherwise.
// `full_atlas`: started after the first frame is on screen, taken between frames once it is
// ready (never waited for: until then frames draw from the first atlas); see ui::FullAtlas.
struct FullAtlasHooks {
    std::function<void()> start;
    std::function<bool()> take;  // never waits; true: the full atlas is in io.Fonts and on the GPU now
};

int run_interactive(ui::KioskApp& app, platform::Window& win, bool report_timing, double started, const sync::SetupRunner* syncer,
                    const FullAtlasHooks& full_atlas) {
    std::atomic<int> forced_frames{0};
    std::thread reader;
    if (report_timing) {
        // The benchmark asks for N frames on stdin and reads what they cost.
        reader = std::thread([&] {
            std::string cmd;
            int n;
            while (std::cin >> cmd >> n) {
                if (cmd == "frames") {
                    forced_frames = n;
                    platform::wake_event_loop();
                }
            }
        });
        reader.detach();
    }
    int frames_left = 2;
    bool first = true;
    Watchdog watchdog(syncer);
    while (!win.should_close() && !stop_asked()) {
        double now = mono_now();
        watchdog.maybe_ping(now);
        if (frames_left == 0 && forced_frames == 0) {
            double wake = app.next_wake_in(now);
            double ping = watchdog.due_in(now);
            bool for_watchdog = ping >= 0 && (wake < 0 || ping < wake);
            if (win.wait_events(for_watchdog ? ping : wake)) frames_left = 3;  // ImGui settles a tap over a few frames
            else if (!for_watchdog || platform::take_wake() || (wake >= 0 && mono_now() - now >= wake))
                frames_left = 1;  // a timer or another thread's wake-up: one frame shows it
            else continue;        // only the watchdog's turn: nothing to draw
            now = mono_now();
        }
        if (!first) full_atlas.take();
        bool timing = forced_frames > 0;
        timespec c0{}, c1{};
        if (timing) clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        int n = timing ? forced_frames.load() : 1;
        for (int i = 0; i < n; ++i) {
            win.new_frame();
            ImGui::NewFrame();
            app.frame(mono_now(), std::time(nullptr), ImGui::GetIO().DisplaySize);
            ImGui::Render();
            win.render();
        }
        if (timing) {
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
            double ms = ((c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6) / n;
            std::printf("home_frame_cpu_ms: %.2f\n", ms);
            std::fflush(stdout);
            forced_frames = 0;
        }
        if (frames_left > 0) --frames_left;
        if (first && report_timing) {
            std::printf("first_frame_ms: %.1f\n", (mono_now() - started) * 1e3);
            std::fflush(stdout);
            auto [now, peak] = rss_mb();
            std::fprintf(stderr, "startup first frame: rss %.1f MB, peak %.1f MB\n", now, peak);
        }
        // systemd (Type=notify): ready once the store is open and the first frame is on screen.
        if (first) service::ready(syncer && syncer->sync_snapshot().configured ? "showing the screens, syncing with head office" : "showing the screens, no head office");
        if (first) full_atlas.start();
        first = false;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    double started = mono_now();
    // Buffers of 256 KB and more (font atlases, the driver's textures and framebuffers) are mapped
    // on their own and given back when freed, rather than glibc raising this threshold after the
    // first such free and keeping later ones in the heap: the first atlas, freed when the full one
    // comes (ui::FullAtlas), would otherwise stay in the resident set.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    Options o;
    CLI::App cli{"lobby-kiosk: the lobby touchscreen of a residential property-service desk"};
    cli.add_option("--data", o.data_dir, "folder of the kiosk's store (kiosk.db)");
    cli.add_option("--assets", o.assets_dir, "folder of catalogues, fonts list and demo data");
    cli.add_option("--font-dir", o.font_dir, "folder of the build's font subset (kiosk-cjk.ttf, kiosk-typing.txt); default: fonts/ beside the program");
    cli.add_option("--site", o.site_file, "import this site file (JSON) into the store first, e.g. assets/demo/site.json");
    cli.add_option("--site-id", o.site_id, "this kiosk's site, part of every record id");
    cli.add_option("--kiosk-id", o.kiosk_id, "this kiosk's id within the site");
    cli.add_option("--building", o.building, "the building whose lobby this kiosk is in (e.g. B2): announcements for other buildings are not shown");
    cli.add_flag("--fullscreen", o.fullscreen, "kiosk mode: fullscreen on the primary monitor");
    cli.add_option("--size", o.width, "window width (height follows 16:9)");
    cli.add_option("--capture", o.capture_dir, "render every screen in every language to DIR/<screen>.<lang>.png and exit");
    cli.add_option("--script", o.script_file, "play a UI script on a virtual clock and exit (non-zero on the first failing step)");
    cli.add_flag("--headless", o.headless, "with --script: no window (capture steps then fail)");
    cli.add_flag("--list-widgets", o.list_widgets, "print the widget ids scripts can tap, screen by screen");
    cli.add_option("--now", o.now, "start the virtual clock of --script/--capture at 'YYYY-MM-DD HH:MM'");
    cli.add_option("--printer", o.printer,
                   "slip printer: tcp://HOST:9100, dev:/dev/usb/lp0, file:PATH (ESC/POS bytes) or png:DIR");
    cli.add_option("--paper", o.paper_mm, "thermal paper width in mm: 58 or 80")->check(CLI::IsMember({58, 80}));
    cli.add_option("--headoffice", o.headoffice, "head office URL (http://HOST:PORT or https://…); records sync in the background");
    cli.add_option("--headoffice-ca", o.headoffice_ca, "with an https head office signed by a private CA: that CA's certificate (PEM)")
        ->check(CLI::ExistingFile);
    cli.add_option("--enrol", o.enrol_code, "with --headoffice, the first time: the enrolment code from 'lobby-headoffice add-kiosk'");
    cli.add_option("--sync-once", o.sync_once_s,
                   "with --headoffice and --capture or --script: sync with head office first (and after a script), within SECONDS each")
        ->check(CLI::Range(1.0, 600.0));
    cli.add_option("--hash-pin", o.hash_pin, "print the Argon2id hash of a staff PIN for a site file and exit");
    cli.add_flag("--report-timing", o.report_timing, "print first_frame_ms and answer 'frames N' on stdin (benchmark)");
    cli.add_option("--write-large-estate", o.write_large_estate,
                   "write a 6-tower × 33-floor site file (792 flats, ~3,000 residents, 24 months of bills) and exit");
    cli.add_flag("--all-pins", o.all_pins, "with --write-large-estate: a household PIN for every flat, not only floors 1 and 33 (slow)");
    cli.add_flag("--seed-desk", o.seed_desk, "on the large estate: register 200 parcels and 50 open repairs, if none are waiting");
    cli.add_option("--tour", o.tour, "which screens --capture and --list-widgets walk: demo or large")
        ->check(CLI::IsMember({"demo", "large"}));
    cli.add_option("--language", o.language, "the language home starts in: zh-CN, en or zh-TW")
        ->check(CLI::IsMember({"zh-CN", "en", "zh-TW"}));
    cli.add_flag("--setup", o.setup, "show the on-screen setup at start (a kiosk run from --config with no head office and no secret shows it anyway)");
    cli.set_version_flag("--version", std::string("lobby-kiosk ") + KIOSK_VERSION, "print the package version and exit");
    cli.add_option("--config", o.config_file,
                   "read defaults from this TOML file (/etc/lobby-kiosk/kiosk.toml); flags override it");
    // The configuration file first: its values become the defaults the flags parsed next override.
    // A bad file stops here, before anything is opened.
    if (std::string file = config::config_path_in(argc, argv); !file.empty()) {
        if (auto e = app::read_config_file(file, o)) return fail(*e);
    }
    CLI11_PARSE(cli, argc, argv);
    // What on-screen setup wrote, in the data folder (/etc is read-only under the unit): it comes
    // after kiosk.toml and before the flags, so flags > setup.toml > kiosk.toml.
    if (auto e = app::read_setup_file(o, [&](const char* flag) { return cli.count(flag) > 0; })) return fail(*e);
    o.height = o.width * 9 / 16;
    if (o.capture_dir.empty() && o.script_file.empty() && !o.list_widgets && o.write_large_estate.empty() && o.hash_pin.empty())
        take_stop_signals();  // before any thread starts
    spdlog::set_level(spdlog::level::warn);
    if (sodium_init() < 0) return fail("libsodium failed to start");

    if (!o.hash_pin.empty()) {
        char out[crypto_pwhash_STRBYTES];
        if (o.hash_pin.size() < 4 || crypto_pwhash_str(out, o.hash_pin.data(), o.hash_pin.size(),
                                                       crypto_pwhash_OPSLIMIT_INTERACTIVE, 8u << 20) != 0)
            return fail("a PIN has at least 4 digits");
        std::puts(out);
        return 0;
    }

    if (!o.write_large_estate.empty()) {
        std::ifstream in(o.assets_dir + "/demo/site.json");
        nlohmann::json base = nlohmann::json::parse(in, nullptr, false);
        if (!in || base.is_discarded()) return fail("cannot read " + o.assets_dir + "/demo/site.json");
        LargeEstateShape shape;
        shape.every_flat_has_a_pin = o.all_pins;
        std::string text = large_estate_site(base, shape).dump();
        // Residents' names, phones and PIN hashes, invented or not: 0600, as a real site file is.
        std::string tmp = o.write_large_estate + ".tmp";
        ::unlink(tmp.c_str());
        if (auto failed = write_new_private_file(tmp, text); !failed.empty()) return fail(failed);
        if (::rename(tmp.c_str(), o.write_large_estate.c_str()) != 0) {
            ::unlink(tmp.c_str());
            return fail("cannot write " + o.write_large_estate);
        }
        return 0;
    }

    std::time_t wall;
    try {
        wall = parse_now(o.now);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    std::function<void(const char*)> phase = [&, last = started](const char* what) mutable {
        if (o.report_timing) {
            auto [now, peak] = rss_mb();
            std::fprintf(stderr, "startup %s: %.1f ms (rss %.1f MB, peak %.1f MB)\n", what, (mono_now() - last) * 1e3, now, peak);
        }
        last = mono_now();
    };
    if (o.sync_once_s > 0 && (o.headoffice.empty() || (o.capture_dir.empty() && o.script_file.empty())))
        return fail("--sync-once goes with --headoffice and --capture or --script");
    bool want_window = o.capture_dir.size() || (!o.list_widgets && !(o.script_file.size() && o.headless));
    if (want_window) {
        if (auto p = platform::display_problem()) {
            std::fprintf(stderr,
                         "lobby-kiosk: %s\n"
                         "  To see the screens as pictures instead, run under a virtual X server:\n"
                         "    xvfb-run -s '-screen 0 1920x1080x24' lobby-kiosk --data %s --capture captures/\n"
                         "  or use packaging/dev.sh capture. Scripts can run without one: --script FILE --headless\n",
                         p->c_str(), o.data_dir.c_str());
            return 3;
        }
    }

    platform::WindowOptions wo;
    wo.width = o.width;
    wo.height = o.height;
    wo.fullscreen = o.fullscreen && o.capture_dir.empty();
    wo.visible = o.capture_dir.empty() && o.script_file.empty();
    wo.input = wo.visible;
    ui::KioskApp* app_ptr = nullptr;
    platform::InputSink sink;
    sink.on_pointer = [&] { if (app_ptr) app_ptr->on_touch(mono_now()); };
    sink.on_char = [&](const std::string& s) { if (app_ptr) app_ptr->on_char(s, mono_now()); };
    sink.on_enter = [&] { if (app_ptr) app_ptr->on_enter(mono_now()); };
    // With a window, the store, the font file and the first font atlas are made on a thread of
    // their own while GLFW and Mesa bring up the window on this one (the longest part of a start
    // on llvmpipe); neither touches ImGui's context meanwhile (it is created after). The first atlas
    // holds what the screens show (catalogues, site texts) at every size, but not the ~4,300
    // characters residents may type: ui::FullAtlas adds those after the first frame.
    float guessed_height = wo.fullscreen ? 1080.0f : static_cast<float>(wo.height);
    ui::FontBuilder fonts;
    struct FreeAtlas {
        void operator()(ImFontAtlas* a) const { IM_DELETE(a); }
    };
    std::unique_ptr<ImFontAtlas, FreeAtlas> first_atlas(want_window ? IM_NEW(ImFontAtlas)() : nullptr);
    ImFontAtlas* atlas = first_atlas.get();
    ui::FontSet set;
    std::set<char32_t> codepoints;
    std::optional<Result<Loaded>> loaded;
    std::optional<std::string> sync_failed;  // --sync-once's error, from the loader
    double atlas_ms = 0, atlas_cpu_ms = 0, load_ms = 0, window_ms = 0, window_cpu_ms = 0;
    auto load_and_rasterise = [&] {
        double t0 = mono_now();
        loaded = load(o, phase);
        load_ms = (mono_now() - t0) * 1e3;
        if (!*loaded) return;
        if (o.sync_once_s > 0) {
            if (auto why = app::sync_once(o)) {
                sync_failed = *why;
                return;
            }
            // What the pull brought is drawn too: its characters go into the atlas.
            loaded->value().site_texts = loaded->value().store->datasets().display_texts();
            phase("sync once");
        }
        codepoints = ui::kiosk_codepoints(loaded->value().catalog, loaded->value().site_texts);
        if (!atlas) return;
        double a0 = mono_now(), c0 = thread_cpu_ms();
        set = fonts.build(*atlas, loaded->value().font, codepoints, guessed_height / 1080.0f);
        atlas_ms = (mono_now() - a0) * 1e3;
        atlas_cpu_ms = thread_cpu_ms() - c0;
    };
    std::optional<Result<std::unique_ptr<platform::Window>>> win;
    if (want_window) {
        std::thread loader(load_and_rasterise);
        double t0 = mono_now(), c0 = thread_cpu_ms();
        win = platform::Window::open(wo, sink);
        window_ms = (mono_now() - t0) * 1e3;
        window_cpu_ms = thread_cpu_ms() - c0;
        loader.join();
        if (o.report_timing)
            std::fprintf(stderr, "startup   in parallel: window %.1f ms (%.1f ms CPU); store, files and first atlas %.1f ms, of which atlas %.1f ms (%.1f ms CPU)\n",
                         window_ms, window_cpu_ms, load_ms + atlas_ms, atlas_ms, atlas_cpu_ms);
        phase("window, store and first font atlas");
    } else {
        load_and_rasterise();
        phase("load");
    }
    if (!*loaded) return fail(loaded->error().detail);
    if (sync_failed) return fail(*sync_failed);
    Loaded& l = loaded->value();
    if (o.seed_desk && l.store->parcels().waiting_parcels().empty()) {
        auto seeded = seed_large_estate_desk(*l.store, wall);
        if (!seeded) return fail("seeding the desk: " + seeded.error().detail);
    }
    // A real run (not a capture, script or widget list) records how the run before it ended, for
    // the heartbeat's restart cause, and says on its way out that it ended in order.
    bool real_run = o.capture_dir.empty() && o.script_file.empty() && !o.list_widgets;
    // The slip printer, on a thread of its own; it wakes the event loop when a slip changes state.
    // A real run keeps a queue even with no printer yet: a printer chosen in on-screen setup is
    // put behind it at once.
    std::unique_ptr<print::PrintQueue> printer;
    if (!o.printer.empty() || real_run) {
        std::unique_ptr<print::Transport> transport;
        if (!o.printer.empty()) {
            auto t = print::make_transport(o.printer);
            if (!t) return fail(t.error().detail);
            transport = std::move(t.value());
        }
        printer = std::make_unique<print::PrintQueue>(std::move(transport),
                                                      o.paper_mm == 58 ? print::Paper::mm58 : print::Paper::mm80,
                                                      l.font_file.path, l.font_file.face_index,
                                                      [] { platform::wake_event_loop(); });
    }
    // Slips already handed to the printer are finished before the kiosk exits, within the unit's
    // stop timeout (15 s) with the rest of the way out.
    struct SettleOnExit {
        print::PrintQueue* q;
        ~SettleOnExit() { if (q) q->wait_settled(std::chrono::seconds(8)); }
    } settle{printer.get()};
    // Head office sync, on a thread of its own with its own connection to the store. Scripts,
    // captures and widget lists run on a virtual clock and never sync in the background (with
    // --sync-once, a capture or a script syncs once before it starts, and a script once after).
    // The setup runner owns the sync worker in a real run: started here when the kiosk is set up,
    // by on-screen setup when it finishes (no restart), and again when setup is redone.
    std::unique_ptr<sync::SetupRunner> syncer;
    std::string restart_cause = real_run ? note_start(o.data_dir, KIOSK_VERSION, current_boot_id()) : "unknown";
    if (real_run) std::fprintf(stderr, "lobby-kiosk %s: last restart cause %s\n", KIOSK_VERSION, restart_cause.c_str());
    bool need_setup = false;
    if (real_run) {
        sync::SyncOptions so = app::sync_options(o);
        so.heartbeat_every_s = 60;
        so.restart_cause = restart_cause;
        if (printer) so.printer_state = [q = printer.get()] {
            auto p = q->snapshot();
            return p.configured ? print::state_name(p.printer) : std::string("none");
        };
        sync::SetupRunnerOptions ro;
        ro.data_dir = o.data_dir;
        ro.sync = so;
        ro.staff_pin_hash = o.staff_pin_hash;
        // What redoing setup starts from, and where a finished setup's printer goes.
        if (Lang now_lang; parse_lang(o.language, now_lang)) ro.current.lang = now_lang;
        ro.current.url = o.headoffice;
        ro.current.site = o.site_id;
        ro.current.kiosk = o.kiosk_id;
        ro.current.printer = o.printer;
        ro.current.paper_mm = o.paper_mm == 58 ? 58 : 80;
        ro.printer = printer.get();
        ro.font_path = l.font_file.path;
        ro.font_face = l.font_file.face_index;
        ro.on_change = [] { platform::wake_event_loop(); };
        syncer = std::make_unique<sync::SetupRunner>(ro);
        if (!o.headoffice.empty()) {
            if (auto w = syncer->start_sync(so); !w) return fail(w.error().detail);
        }
        // No enrolment: an installed kiosk (run from --config) with no head office and no secret
        // boots into setup; a source-tree run without --setup works alone, as before.
        need_setup = o.setup || (!o.config_file.empty() && o.headoffice.empty() && !l.store->read_secret());
        if (need_setup) std::fprintf(stderr, "lobby-kiosk: no enrolment: showing the on-screen setup\n");
    }
    // zh-TW's traditional script for pinyin's candidates: OpenCC's tables are opened on their own
    // thread the first time a screen is in zh-TW, not at start.
    platform::LazyTraditionalScript traditional([] { platform::wake_event_loop(); });
    // Chinese input; without its dictionary residents can still type Latin letters.
    std::unique_ptr<platform::PinyinInput> pinyin;
    if (auto p = platform::PinyinInput::open()) pinyin = std::move(p.value());
    else std::fprintf(stderr, "lobby-kiosk: %s\n", p.error().detail.c_str());
    phase("printer, sync and pinyin engine");

    auto new_imgui_context = [] {
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        ui::apply_style(ImGui::GetStyle());
        return &io;
    };
    int rc = 0;


    if (!want_window) {
        ImGuiIO& io = *new_imgui_context();
        ImVec2 display{static_cast<float>(o.width), static_cast<float>(o.height)};
        ui::FontSet set = fonts.build(*io.Fonts, l.font, codepoints, display.y / 1080.0f, l.typing);
        unsigned char* px;
        int w, h;
        io.Fonts->GetTexDataAsAlpha8(&px, &w, &h);
        io.DisplaySize = display;
        ui::KioskApp app(l.catalog, l.store.get(), set);
        app.set_pinyin(pinyin.get());
        app.set_traditional(&traditional);
        app.set_printer(printer.get());
        platform::Speaker speaker;  // scripts may tap 朗读 too
        app.set_reader(&speaker);
        app.state().wall_now = wall;
        app.refresh_site();
        if (o.list_widgets) app::list_widgets(app, display, wall, o);
        else {
            ui::Driver d(app, display, wall);
            rc = app::run_script(d, o);
            if (rc == 0 && o.sync_once_s > 0)
                if (auto why = app::sync_once(o)) rc = fail(*why);
        }
        ImGui::DestroyContext();
        return rc;
    }

    if (o.report_timing) {
        std::fprintf(stderr, "startup first atlas: %d x %d px from a %zu-byte font; glyphs by size:", atlas->TexWidth,
                     atlas->TexHeight, l.font.data.size());
        for (ImFont* f : atlas->Fonts) std::fprintf(stderr, " %.0f px %d", f->FontSize, f->Glyphs.Size);
        std::fprintf(stderr, "\n");
    }
    if (!*win) return fail(win->error().detail);
    platform::Window& window = *win->value();
    ImGuiIO& io = *new_imgui_context();
    window.init_imgui();
    ImVec2 fb = window.framebuffer_size();
    if (fb.y != guessed_height) {  // a monitor of another size: rasterise again for it
        atlas->Clear();
        set = fonts.build(*atlas, l.font, codepoints, fb.y / 1080.0f);
    }
    atlas->ClearInputData();  // the pixels stay; the glyph lists are not needed again
    IM_DELETE(io.Fonts);
    io.Fonts = first_atlas.release();  // the context owns it from here and frees it with itself
    window.upload_font_atlas();
    phase("imgui backends and first atlas upload");
    // The full atlas: the font file moves to its worker, which frees it once rasterised. The UI
    // goes on drawing from the first atlas meanwhile; the swap happens between frames once the
    // worker is done (it wakes the event loop, so an idle kiosk draws the one frame it needs).
    std::unique_ptr<ui::FullAtlas> full;
    auto start_full_atlas = [&] {
        if (full) return;
        // What the start freed (the loader thread's heap: site file, store import) goes back to
        // the system before the worker adds its ~4 MB beside the first atlas (peak_rss_mb).
        // (/proc is read only for --report-timing: the UI thread does no file I/O otherwise.)
        double before = o.report_timing ? rss_mb().first : 0;
        malloc_trim(0);
        if (o.report_timing) std::fprintf(stderr, "startup heap trimmed after the first frame: rss %.1f -> %.1f MB\n", before, rss_mb().first);
        full = std::make_unique<ui::FullAtlas>(std::move(l.font), codepoints, std::move(l.typing), fb.y / 1080.0f,
                                               [] { platform::wake_event_loop(); });
    };
    ui::KioskApp app(l.catalog, l.store.get(), set);
    auto take_full_atlas = [&] {
        if (!full || !full->ready()) return false;  // asked before every frame: never waits
        double build_ms = 0, build_cpu_ms = 0;
        ui::AtlasSwap swap;
        swap.release_first = [&] {
            double before = o.report_timing ? rss_mb().first : 0;
            // The first texture's storage goes before the full one is made (llvmpipe zeroes a
            // texture's whole storage when it is made): not both at once (peak_rss_mb).
            window.release_font_texture();
            if (o.report_timing) {
                auto [now, peak] = rss_mb();
                std::fprintf(stderr, "startup first atlas texture freed: rss %.1f -> %.1f MB, peak %.1f MB\n", before, now, peak);
            }
        };
        swap.upload = [&](ui::FullAtlas::Taken& taken) {
            // What the first atlas and the worker freed in the heap goes back to the system before
            // the driver takes its copy.
            malloc_trim(0);
            build_ms = taken.build_ms;
            build_cpu_ms = taken.build_cpu_ms;
            ui::PackedAlpha::Reader pixels(taken.pixels);
            const int w = io.Fonts->TexWidth;
            window.upload_font_atlas(w, io.Fonts->TexHeight,
                                     [&](unsigned char* rows, int, int n) { pixels.read(rows, static_cast<size_t>(n) * w); });
        };
        if (!ui::swap_in_full_atlas(*full, io, app, swap)) return false;
        if (o.report_timing) {
            auto [now, peak] = rss_mb();
            std::fprintf(stderr, "startup full atlas in use %.1f ms after start (rasterised in %.1f ms, %.1f ms CPU, %d x %d px; rss %.1f MB, peak %.1f MB)\n",
                         (mono_now() - started) * 1e3, build_ms, build_cpu_ms, io.Fonts->TexWidth, io.Fonts->TexHeight, now, peak);
        }
        return true;
    };
    app.set_pinyin(pinyin.get());
    app.set_traditional(&traditional);
    app.set_printer(printer.get());
    // Elder mode's 朗读: espeak-ng on its own thread (idle until the button is tapped). No sound
    // device, as on CI: it synthesises, finds none, and says nothing.
    platform::Speaker speaker;
    app.set_reader(&speaker);
    if (syncer) {
        app.set_sync([s = syncer.get()] { return s->sync_snapshot(); }, [s = syncer.get()] { s->wake_sync(); });
        app.set_setup(syncer.get(), need_setup);
    }
    if (Lang home; parse_lang(o.language, home)) {
        app.set_home_lang(home);
        app.state().lang = home;
    }
    app.set_building(o.building);
    app_ptr = &app;
    app.state().wall_now = wall;
    app.refresh_site();
    phase("app");

    // Captures and scripts see every screen at once: they take the full atlas before their first frame.
    if (!o.capture_dir.empty() || !o.script_file.empty()) {
        start_full_atlas();
        full->wait();
        take_full_atlas();
    }
    if (!o.capture_dir.empty()) rc = app::run_capture(app, window, o, wall);
    else if (!o.script_file.empty()) {
        app::GlDriver d(app, window, wall);
        rc = app::run_script(d, o);
        // What the script filed goes to head office before the run ends.
        if (rc == 0 && o.sync_once_s > 0)
            if (auto why = app::sync_once(o)) rc = fail(*why);
    } else rc = run_interactive(app, window, o.report_timing, started, syncer.get(), {start_full_atlas, take_full_atlas});
    full.reset();  // its worker may still be rasterising: done before the context goes
    window.shutdown_imgui();
    ImGui::DestroyContext();
    if (real_run) note_clean_exit(o.data_dir);
    return rc;
}
