#pragma once
// The kiosk application shell: routing between screens, the session, idle handling, language and
// elder mode, and the loop step that draws a frame and then applies the intents the screens
// returned. Each service is a feature module (kiosk/ui/features/), registered in the one screen
// table in app.cpp; the shell knows none of their intents. Drawing never touches the store;
// intents do, between frames.
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kiosk/core/i18n.hpp"
#include "kiosk/core/idle_timer.hpp"
#include "kiosk/core/scanner.hpp"
#include "kiosk/core/services.hpp"
#include "kiosk/core/sync_state.hpp"
#include "kiosk/print/print_queue.hpp"
#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/feature.hpp"
#include "kiosk/ui/features/complaint.hpp"
#include "kiosk/ui/features/enquiries.hpp"
#include "kiosk/ui/features/exit_pass.hpp"
#include "kiosk/ui/features/fees.hpp"
#include "kiosk/ui/features/loans.hpp"
#include "kiosk/ui/features/my_parcels.hpp"
#include "kiosk/ui/features/my_requests.hpp"
#include "kiosk/ui/features/notices.hpp"
#include "kiosk/ui/features/parcels.hpp"
#include "kiosk/ui/features/repair.hpp"
#include "kiosk/ui/features/setup.hpp"
#include "kiosk/ui/features/staff.hpp"
#include "kiosk/ui/features/survey.hpp"
#include "kiosk/ui/features/verify.hpp"
#include "kiosk/ui/widgets.hpp"

namespace kiosk {
class Store;
}
namespace kiosk::platform {
class PinyinInput;
class ReadAloud;
class TraditionalScript;
class LazyTraditionalScript;
}

namespace kiosk::ui {

// What the frame around every screen asks of the shell (top bar, bottom bar, idle warning, text box).
namespace shell {
struct Back {};
struct Home {};                     // the visit ends; language and elder mode stay
struct Done {};                     // the resident is finished: the household closes
struct SetLang { Lang lang; };
struct ToggleElder {};
struct StillHere {};                // the idle warning's "continue"
struct Open { Screen screen; };     // the staff corner, the desk's task buttons
struct TextKey { std::string key; };          // a key of the on-screen keyboard, to the active text box
struct TextCandidate { size_t index; };       // a pinyin candidate chosen
struct RebuildData {};              // out of service: staff pull the data sets again from head office
struct BackInService {};            // out of service: staff have read why and put the kiosk back
struct ReadAloud {};                // elder mode's 朗读: the screen's title and prompt, spoken
}  // namespace shell
using ShellIntent = std::variant<shell::Back, shell::Home, shell::Done, shell::SetLang, shell::ToggleElder,
                                 shell::StillHere, shell::Open, shell::TextKey, shell::TextCandidate,
                                 shell::RebuildData, shell::BackInService, shell::ReadAloud>;

struct FontSet {
    Fonts normal;
    Fonts elder;
};

// The home screen left untouched this long shows today's urgent notices full-screen (the attract
// loop), a new one every kAttractCycleS when there are several.
inline constexpr double kAttractAfterS = 45;
inline constexpr double kAttractCycleS = 15;

// Every feature module, owned by the app: one member per module.
struct Features {
    NoticesFeature notices;
    StaffFeature staff;
    VerifyFeature verify;
    FeesFeature fees;
    RepairFeature repair;
    ComplaintFeature complaint;
    MyRequestsFeature my_requests;
    EnquiriesFeature enquiries;
    SurveyFeature survey;
    ParcelIntakeFeature parcel_intake;
    ParcelPickupFeature parcel_pickup;
    ParcelListFeature parcel_list;
    MyParcelsFeature my_parcels;
    ExitPassFeature exit_pass;
    ExitReviewFeature exit_review;
    GateFeature gate;
    BorrowFeature borrow;
    ReturnsFeature returns;
    SetupFeature setup;
};

class KioskApp : private Shell {
public:
    KioskApp(const Catalog& catalog, Store* store, FontSet fonts, IdlePolicy idle = {});
    // Draws from now on with `fonts` (the full atlas taken between frames, see FullAtlas): what
    // each label fitted is worked out again with them.
    void set_fonts(FontSet fonts);
    const FontSet& fonts() const { return m_fonts; }
    // Chinese input for free text; without it residents type Latin letters only.
    void set_pinyin(platform::PinyinInput* engine) { m_pinyin = engine; }
    // Traditional script for pinyin's candidates on zh-TW screens; without it zh-TW types simplified.
    void set_traditional(const platform::TraditionalScript* script) { m_traditional = script; }
    // ... or opened on its own thread when a screen is first in zh-TW (the kiosk: OpenCC's tables
    // cost ~9 MB and a start that never needs them). Candidates wait for it, never a frame.
    void set_traditional(platform::LazyTraditionalScript* script) { m_lazy_traditional = script; }
    // The slip printer; without one no slip is offered. The queue's thread wakes the UI itself.
    void set_printer(print::PrintQueue* printer) { m_printer = printer; }
    // The voice behind elder mode's 朗读 button; without one the button is not offered. It is
    // called between frames only, and must return at once (platform::Speaker has its own thread).
    void set_reader(platform::ReadAloud* reader) { m_reader = reader; }
    // On-screen setup: the runner that does its slow parts, and whether the kiosk has no
    // enrolment yet (then it shows setup until setup is done, and nothing else).
    void set_setup(SetupBackend* backend, bool required);
    // The language home comes back to after a visit (setup's choice; Chinese unless set).
    void set_home_lang(Lang l) { m_home_lang = l; }
    // The building whose lobby this kiosk stands in (kiosk.toml `building`): announcements written
    // for other buildings only are not shown. "" (the desk, or not said): every announcement.
    void set_building(std::string building) { m_building = std::move(building); }
    // What 朗读 would read on the screen showing now, in the current language.
    std::string spoken_text() const;
    // Head office sync: how it stands (read once a frame) and a nudge when a record was saved.
    void set_sync(std::function<SyncSnapshot()> snapshot, std::function<void()> wake) {
        m_sync_snapshot = std::move(snapshot);
        m_sync_wake = std::move(wake);
    }

    // Loads the site's views from the store (at start, and after sync changes them).
    void refresh_site();
    // One frame, between ImGui::NewFrame() and ImGui::Render(): draws, then applies intents.
    void frame(double now, std::time_t wall_now, ImVec2 display);
    // A tap or key at `now`: keeps the session alive.
    void on_touch(double now);
    // A character from a physical keyboard or the barcode scanner, and Enter.
    void on_char(const std::string& utf8, double now);
    void on_enter(double now);
    // How long the UI may sleep before something changes on its own (-1: until input).
    double next_wake_in(double now) const;
    // Whether work the screens wait on is running off the UI thread (a household's or a clerk's PIN being
    // checked): the loop wakes soon to pick its answer up, and a driver waits for it.
    // (Under the idle warning no screen is drawn, and out of service the verify screen is not
    // (staff still sign in, to rebuild), so nothing would pick an answer up: it is picked up when
    // the screen shows again.)
    bool working() const {
        if (m_idle.state() == IdleTimer::State::Warning) return false;
        return (m_features.verify.checking() && m_out_of_service.empty()) || m_features.staff.checking() ||
               m_features.setup.checking_pin() || m_features.setup.waiting() || traditional_opening();
    }
    // Whether the attract loop is showing at `now`.
    bool attracting(double now) const;
    // Wipes the session (as the idle timer does) and returns home.
    void reset_session();

    const WidgetRegistry& widgets() const { return m_widgets; }
    Screen screen() const { return m_state.session.screen; }
    AppState& state() { return m_state; }
    Features& features() { return m_features; }
    const Catalog& catalog() const { return m_catalog; }
    const IdleTimer& idle() const { return m_idle; }
    const std::string& tr(std::string_view key) const { return m_catalog.tr(m_state.lang, key); }
    // Why residents see the out-of-service screen (for staff; empty: in service). Set when the
    // store was found damaged at start or a store call fails while running.
    const std::string& out_of_service() const { return m_out_of_service; }

private:
    // Shell
    void go(Screen s) override;
    void open_service(Service s) override;
    void end_household() override;
    void sign_in(StaffMember clerk) override;
    void sign_out() override;
    Feature& module(Screen s) override;
    void setup_done(Lang lang, const std::string& site, const std::string& kiosk) override;

    FeatureCtx context(double now);
    void apply(const ShellIntent& in, FeatureCtx& x);
    void after_apply(FeatureCtx& x, Screen before);
    void on_scan(const std::string& code);
    void on_typed(const std::string& text);
    void wipe_features();
    // Runs a step that reaches the store; a failure (a damaged page, a full disk) takes the kiosk
    // out of service instead of out of the process.
    template <class F>
    void guarded(F&& step);
    void take_out_of_service(const std::string& why);
    std::string staff_note();

    const Catalog& m_catalog;
    Store* m_store;
    platform::PinyinInput* m_pinyin = nullptr;
    const platform::TraditionalScript* m_traditional = nullptr;
    platform::LazyTraditionalScript* m_lazy_traditional = nullptr;
    bool m_traditional_was_opening = false;  // candidates asked for meanwhile are made again once open
    bool traditional_opening() const;
    print::PrintQueue* m_printer = nullptr;
    platform::ReadAloud* m_reader = nullptr;
    std::function<SyncSnapshot()> m_sync_snapshot;
    std::function<void()> m_sync_wake;
    uint64_t m_sync_seen = 0;  // the snapshot version last drawn
    FontSet m_fonts;
    bool m_fonts_changed = false;  // set_fonts since the last frame: the active text box's candidates are made again
    AppState m_state;
    Features m_features;
    IdleTimer m_idle;
    ScannerDetector m_scanner;
    IdlePolicy m_resident_idle;
    WidgetRegistry m_widgets;
    FitCache m_fits;  // how each label fitted its box, frame to frame
    double m_now = 0;
    double m_last_input = -1;  // set on the first frame: the kiosk counts idleness from its start
    bool m_warning_held = false;  // a touch ended the idle warning: it stays until the finger lifts
    int m_warning_left = 0;       // the countdown last shown
    std::string m_out_of_service;
    Lang m_home_lang = Lang::ZhCN;
    std::string m_building;
};

}  // namespace kiosk::ui
