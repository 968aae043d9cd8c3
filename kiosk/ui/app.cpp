#include "kiosk/ui/app.hpp"

#include <array>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "kiosk/store/store.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/core/announcement.hpp"
#include "kiosk/core/dates.hpp"
#include "platform/chinese_script.hpp"
#include "platform/speech.hpp"

namespace kiosk::ui {

// ---- The one table of screens -------------------------------------------------------------
// Each screen, the name scripts and captures use, and the module that draws it and takes its
// intents. Back goes to the module first (a step back inside its flow), then to the screen before.
namespace {
struct ScreenEntry {
    Screen screen;
    std::string_view name;
    Feature& (*module)(Features&);
    std::string_view title_key;  // what 朗读 reads where the module says nothing of its own
};
template <auto Member>
constexpr Feature& the(Features& f) { return f.*Member; }

constexpr std::array<ScreenEntry, kScreenCount> kScreens{{
    {Screen::Home, "home", the<&Features::notices>, "home.greeting"},
    {Screen::Announcements, "announcements", the<&Features::notices>, "announcements.title"},
    {Screen::AnnouncementDetail, "announcement_detail", the<&Features::notices>, "announcements.title"},
    {Screen::StaffLogin, "staff_login", the<&Features::staff>, "staff.corner"},
    {Screen::StaffDesk, "staff_desk", the<&Features::staff>, "staff.corner"},
    {Screen::Verify, "verify", the<&Features::verify>, "verify.title"},
    {Screen::Fees, "fees", the<&Features::fees>, "fees.title"},
    {Screen::Repair, "repair", the<&Features::repair>, "service.repairs"},
    {Screen::Complaint, "complaint", the<&Features::complaint>, "service.complaints"},
    {Screen::MyRequests, "my_requests", the<&Features::my_requests>, "my.title"},
    {Screen::Enquiries, "enquiries", the<&Features::enquiries>, "enquiry.title"},
    {Screen::Survey, "survey", the<&Features::survey>, "service.survey"},
    {Screen::ParcelIntake, "parcel_intake", the<&Features::parcel_intake>, "parcels.title"},
    {Screen::ParcelPickup, "parcel_pickup", the<&Features::parcel_pickup>, "pickup.title"},
    {Screen::ParcelList, "parcel_list", the<&Features::parcel_list>, "parcels.title"},
    {Screen::MyParcels, "my_parcels", the<&Features::my_parcels>, "myparcels.title"},
    {Screen::ExitPass, "exit_pass", the<&Features::exit_pass>, "service.exit_passes"},
    {Screen::ExitReview, "exit_review", the<&Features::exit_review>, "staff.corner"},
    {Screen::Gate, "gate", the<&Features::gate>, "gate.title"},
    {Screen::Borrow, "borrow", the<&Features::borrow>, "loan.title"},
    {Screen::Returns, "returns", the<&Features::returns>, "returns.title"},
    {Screen::Setup, "setup", the<&Features::setup>, "setup.title"},
}};
// Screens are looked up by their enum value: the table must follow the enum's order.
constexpr bool screens_in_order() {
    for (size_t i = 0; i < kScreens.size(); ++i)
        if (static_cast<size_t>(kScreens[i].screen) != i) return false;
    return true;
}
static_assert(screens_in_order());

// The screen each home tile opens (after the household proves itself, where the service needs it).
Screen screen_of(Service s) {
    switch (s) {
        case Service::Repairs: return Screen::Repair;
        case Service::Fees: return Screen::Fees;
        case Service::Parcels: return Screen::MyParcels;
        case Service::Borrowing: return Screen::Borrow;
        case Service::Complaints: return Screen::Complaint;
        case Service::ExitPasses: return Screen::ExitPass;
        case Service::Announcements: return Screen::Announcements;
        case Service::Enquiries: return Screen::Enquiries;
        case Service::MyRequests: return Screen::MyRequests;
        case Service::Survey: return Screen::Survey;
    }
    return Screen::Home;
}
}  // namespace

std::string_view screen_name(Screen s) { return kScreens[static_cast<size_t>(s)].name; }

bool parse_screen(std::string_view name, Screen& out) {
    for (auto& e : kScreens)
        if (e.name == name) { out = e.screen; return true; }
    return false;
}

Feature& KioskApp::module(Screen s) { return kScreens[static_cast<size_t>(s)].module(m_features); }

std::string KioskApp::spoken_text() const {
    const ScreenEntry& e = kScreens[static_cast<size_t>(m_state.session.screen)];
    std::string text = e.module(const_cast<Features&>(m_features)).spoken(m_state, m_catalog);
    if (text.empty()) text = tr(e.title_key);
    // A message showing (a wrong PIN, a missing choice) is what the resident most needs to hear.
    const auto& ses = m_state.session;
    if (!ses.message_key.empty())
        text = spoken_sentences(m_state.lang, {text, m_catalog.format(m_state.lang, ses.message_key, {{"arg", ses.message_arg}})});
    return text;
}

// ---- The app ------------------------------------------------------------------------------
KioskApp::KioskApp(const Catalog& catalog, Store* store, FontSet fonts, IdlePolicy idle)
    : m_catalog(catalog), m_store(store), m_fonts(fonts), m_idle(idle), m_resident_idle(idle) {
    // A label too long for its box in elder mode steps down as far as the normal body size (34 px
    // at 1080p), never below: elder text stays at least 32 px.
    if (!m_fonts.elder.small) m_fonts.elder.small = m_fonts.normal.body;
}

void KioskApp::set_fonts(FontSet fonts) {
    m_fonts = fonts;
    if (!m_fonts.elder.small) m_fonts.elder.small = m_fonts.normal.body;
    m_fits.clear();  // keyed by the font's address, which the new atlas may reuse
    m_fonts_changed = true;
}

void KioskApp::set_setup(SetupBackend* backend, bool required) {
    m_features.setup.set_backend(backend);
    m_features.setup.set_required(required);
    if (required) {
        FeatureCtx x = context(m_now);
        m_features.setup.open(x, Screen::Setup);
        m_state.session.back_stack.clear();
    }
}

void KioskApp::setup_done(Lang lang, const std::string& site, const std::string& kiosk) {
    if (m_store) m_store->rebind(site, kiosk);
    m_home_lang = lang;
    refresh_site();
    Lang keep = lang;
    reset_session();  // a clerk who redid setup is signed out; home in the setup's language
    m_state.lang = keep;
}

void KioskApp::refresh_site() {
    if (!m_store) return;
    guarded([&] {
        if (auto d = m_store->damage()) take_out_of_service("store damaged: " + d->why);
        std::time_t now = m_state.wall_now ? m_state.wall_now : std::time(nullptr);
        SiteView v;
        v.facts = m_store->datasets().site_facts();
        v.announcements = m_store->datasets().announcements(local_date(now, "%Y-%m-%d"));
        if (!m_building.empty())
            std::erase_if(v.announcements, [&](const Announcement& a) { return !announcement_for_building(a, m_building); });
        v.outbox_depth = m_store->outbox().outbox_depth();
        m_state.site = std::move(v);
    });
}

template <class F>
void KioskApp::guarded(F&& step) {
    try {
        step();
    } catch (const std::exception& e) {
        take_out_of_service(e.what());
    }
}

void KioskApp::take_out_of_service(const std::string& why) {
    if (!m_out_of_service.empty()) return;  // the first cause is the one staff need
    m_out_of_service = why.substr(0, 300);
    std::fprintf(stderr, "lobby-kiosk: out of service: %s\n", m_out_of_service.c_str());
    if (!m_state.session.staff) reset_session();  // a resident's visit ends; nothing half-typed survives
}

// What staff read on the out-of-service screen: the cause, what was kept, what was refused.
std::string KioskApp::staff_note() {
    std::string note = m_out_of_service;
    if (!m_store) return note;
    try {
        if (auto d = m_store->damage())
            note += "\nunsynced records kept: " + std::to_string(d->kept) + ", lost on damaged pages: " +
                    std::to_string(d->unreadable) + "; damaged file kept as " + d->file;
        for (auto& r : m_store->outbox().refusals())
            note += "\nrefused " + r.dataset + ": " + std::to_string(r.rows) + " rows (" + r.why + ") " + r.at;
    } catch (const std::exception&) {
    }
    return note;
}

bool KioskApp::traditional_opening() const {
    return m_state.lang == Lang::ZhTW && !m_traditional && m_lazy_traditional && m_lazy_traditional->pending();
}

FeatureCtx KioskApp::context(double now) {
    const platform::TraditionalScript* script = nullptr;
    bool script_opening = false;
    if (m_state.lang == Lang::ZhTW) {
        script = m_traditional;
        if (!script && m_lazy_traditional) {
            m_lazy_traditional->request();
            script = m_lazy_traditional->get();
            script_opening = m_lazy_traditional->pending();
        }
    }
    TextInputContext typing{m_pinyin, [this](char32_t cp) {
                                return cp < 0x10000 && m_fonts.normal.typing &&
                                       m_fonts.normal.typing->FindGlyphNoFallback(static_cast<ImWchar>(cp)) != nullptr;
                            },
                            script, script_opening};
    // A queue with no printer behind it (a kiosk set up without one) takes no slips.
    print::PrintQueue* printer = m_state.printer.configured ? m_printer : nullptr;
    return FeatureCtx{m_state, m_catalog, m_store, printer, std::move(typing), *this, now};
}

void KioskApp::frame(double now, std::time_t wall_now, ImVec2 display) {
    m_now = now;
    if (m_last_input < 0) m_last_input = now;
    m_state.wall_now = wall_now;
    // The printer's state, read once a frame (a lock and a copy of a few lines): the only door
    // from the print thread to the screens.
    if (m_printer) m_state.printer = m_printer->snapshot();
    if (m_sync_snapshot) {
        m_state.sync = m_sync_snapshot();
        // Data pulled from head office shows on the next visit's screens; the notices now.
        if (m_state.sync.version != m_sync_seen && m_state.session.screen == Screen::Home) refresh_site();
        // ... and what the screen showing counts, if it counts any.
        if (m_state.sync.version != m_sync_seen && m_state.session.screen != Screen::Home) {
            guarded([&] {
                FeatureCtx x = context(now);
                module(m_state.session.screen).pulled(x);
                after_apply(x, m_state.session.screen);  // reminders it queued go out
            });
        }
        m_sync_seen = m_state.sync.version;
    }
    if (auto typed = m_scanner.flush(now)) on_typed(typed->text);
    // zh-TW's script opens in the background as soon as a screen is in zh-TW; candidates held back
    // while it opened are made once it is there (its thread wakes the loop).
    if (m_lazy_traditional && !m_traditional) {
        if (m_state.lang == Lang::ZhTW) m_lazy_traditional->request();
        bool opening = m_lazy_traditional->pending();
        if (m_traditional_was_opening && !opening) {
            if (TextEntry* t = module(m_state.session.screen).active_text()) text_entry_refresh(*t, context(now).typing);
        }
        m_traditional_was_opening = opening;
    }
    // New fonts (the full atlas): candidates the first atlas could not draw are offered now.
    if (m_fonts_changed) {
        m_fonts_changed = false;
        if (TextEntry* t = module(m_state.session.screen).active_text()) text_entry_refresh(*t, context(now).typing);
    }
    // A household stays open while touches keep coming: only the idle rule (after its warning) or
    // the resident's own 完成 / Home ends it. No clock cuts off a person who is still typing.
    if (m_idle.update(now) == IdleTimer::State::Expired) reset_session();

    m_widgets.begin_frame();
    Metrics metrics;
    metrics.scale = display.y / 1080.0f;
    metrics.elder = m_state.elder ? 1.5f : 1.0f;
    const Fonts& fonts = m_state.elder ? m_fonts.elder : m_fonts.normal;
    Ui ui(m_widgets, metrics, fonts, [this](std::string_view k) -> const std::string& { return tr(k); }, &m_fits);

    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(display);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, colour::background);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::PushFont(fonts.body);
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    std::vector<ShellIntent> intents;
    // Elder mode's top bar grows less than the rest (its text is one line): the height goes to
    // the screens, whose keypads and cards are larger than normal.
    float top_h = m_state.elder ? metrics.flat(140) : metrics.px(110), bottom_h = metrics.px(130);
    float margin = metrics.px(40), margin_y = metrics.flat(m_state.elder ? 20 : 40);
    ScreenCtx ctx{ui, m_state, m_catalog, intents, {margin, top_h + margin_y * 0.6f},
                  {display.x - margin, display.y - bottom_h - margin_y * 0.4f}};
    ctx.read_aloud = m_state.elder && m_reader;
    // Under the attract loop nothing else is drawn: it cannot be touched, so it is not listed either.
    bool out_of_service = !m_out_of_service.empty() && m_state.session.screen != Screen::StaffLogin;
    bool attract = !out_of_service && attracting(now);
    // The idle warning takes the screen's place: whoever walks up to a kiosk left alone sees no
    // name, flat, amount or typed text. The screen's state stays in its module, untouched, and
    // comes back as it was when the resident asks for more time.
    // The touch that ends the warning is the warning's until the finger lifts: it must not land
    // on the screen coming back (a key, a submit button) under the "more time" button.
    bool warning = !out_of_service && (m_idle.state() == IdleTimer::State::Warning || m_warning_held);
    if (m_idle.state() == IdleTimer::State::Warning) m_warning_left = m_idle.seconds_left(now);
    Feature& showing = module(m_state.session.screen);
    ctx.finished = showing.finished();
    if (out_of_service) {
        draw_out_of_service(ctx, m_state.session.staff ? staff_note() : std::string(), display);
    } else if (warning) {
        draw_idle_warning(ctx, m_warning_left, display);
    } else if (!attract) {
        draw_top_bar(ctx, top_h);
        showing.draw(ctx);
        draw_bottom_bar(ctx, bottom_h);
    }
    ImGui::End();
    if (!ImGui::GetIO().MouseDown[0]) m_warning_held = false;
    if (attract) {
        std::vector<const Announcement*> urgent;
        for (auto& a : m_state.site.announcements)
            if (a.urgent) urgent.push_back(&a);
        size_t i = static_cast<size_t>((now - m_last_input - kAttractAfterS) / kAttractCycleS) % urgent.size();
        draw_attract(ctx, *urgent[i], display);
    }
    ImGui::PopFont();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();

    // Apply what this frame asked for: the frame's own, then the module's (one tap a frame).
    if (intents.empty() && !showing.has_queued()) return;  // nothing asked: nothing to do
    guarded([&] {
        FeatureCtx x = context(now);
        Screen before = m_state.session.screen;
        for (auto& in : intents) apply(in, x);
        if (!out_of_service) showing.apply_queued(x);
        after_apply(x, before);
    });
}

void KioskApp::after_apply(FeatureCtx& x, Screen before) {
    // A screen that has just come to show may load what it counts (a query set per showing, not per tap).
    if (m_state.session.screen != before) module(m_state.session.screen).shown(x);
    if (x.record_saved) {
        // A record was saved: the outbox count follows, and to head office now, if the network allows.
        if (m_store) m_state.site.outbox_depth = m_store->outbox().outbox_depth();
        if (m_sync_wake) m_sync_wake();
    }
    // A kiosk being set up has nothing else to show: no idle countdown wipes what is typed there.
    if (m_features.setup.required()) {
        m_idle.disarm();
    } else if (m_state.session.screen != Screen::Home || m_state.lang != m_home_lang || m_state.elder) {
        if (!m_idle.armed()) m_idle.touch(x.now);
    } else {
        m_idle.disarm();
    }
}

bool KioskApp::attracting(double now) const {
    const auto& s = m_state;
    // Only with nothing to protect: the home screen, no session running (the idle timer at rest).
    if (s.session.screen != Screen::Home || m_idle.armed() || !s.session.message_key.empty()) return false;
    if (m_last_input < 0 || now - m_last_input < kAttractAfterS) return false;
    return first_urgent(s.site) != nullptr;
}

void KioskApp::on_touch(double now) {
    m_last_input = now;
    if (m_idle.state() == IdleTimer::State::Warning) m_warning_held = true;
    m_idle.touch(now);
    if ((m_state.session.screen == Screen::Home && m_state.lang == m_home_lang && !m_state.elder) || m_features.setup.required())
        m_idle.disarm();
}

// ---- Shell: what features ask of it -------------------------------------------------------
void KioskApp::go(Screen s) {
    auto& ses = m_state.session;
    ses.message_key.clear();
    if (s == ses.screen) return;
    ses.back_stack.push_back(ses.screen);
    ses.screen = s;
    ses.list_scroll = 0;
}

void KioskApp::open_service(Service s) {
    // A visit starts from home: the site's view is read again then (facts, notices), once per
    // visit rather than per tap, so an import or a pull shows from the next visit on.
    if (m_state.session.screen == Screen::Home) refresh_site();
    FeatureCtx x = context(m_now);
    if (service_info(s).needs_household && !m_state.session.household) {
        m_features.verify.open_for(x, s);
        return;
    }
    Screen screen = screen_of(s);
    module(screen).open(x, screen);
}

void KioskApp::wipe_features() {
    for (auto& e : kScreens) e.module(m_features).reset();
}

void KioskApp::end_household() {
    if (m_reader) m_reader->stop();  // what was being read may name the household's flat
    Lang lang = m_state.lang;
    bool elder = m_state.elder;
    m_state.session = SessionState{};  // nothing of the household stays on screen
    wipe_features();
    m_state.lang = lang;
    m_state.elder = elder;
}

void KioskApp::sign_in(StaffMember clerk) {
    m_idle.set_policy(kStaffIdlePolicy);
    m_state.session.staff = std::move(clerk);
}

void KioskApp::sign_out() { reset_session(); }

void KioskApp::reset_session() {
    if (m_reader) m_reader->stop();
    m_last_input = -1;  // counted again from the next frame: the attract loop comes 45 s after it
    m_state.session = SessionState{};
    wipe_features();
    m_state.lang = m_home_lang;
    if (m_features.setup.required()) m_state.session.screen = Screen::Setup;
    m_state.elder = false;
    m_scanner.clear();
    m_idle.disarm();
    m_idle.set_policy(m_resident_idle);
    m_warning_held = false;
}

// ---- The frame's own intents --------------------------------------------------------------
void KioskApp::apply(const ShellIntent& intent, FeatureCtx& x) {
    auto& ses = m_state.session;
    std::visit(
        [&](const auto& in) {
            using T = std::decay_t<decltype(in)>;
            if constexpr (std::is_same_v<T, shell::Back>) {
                if (module(ses.screen).back(x)) return;
                if (ses.back_stack.empty()) {
                    ses.screen = Screen::Home;
                    return;
                }
                ses.screen = ses.back_stack.back();
                ses.back_stack.pop_back();
                ses.list_scroll = 0;
                ses.message_key.clear();
            } else if constexpr (std::is_same_v<T, shell::Home> || std::is_same_v<T, shell::Done>) {
                end_household();  // home ends the visit: nothing typed survives (setup keeps its fields)
                if (m_features.setup.required()) ses.screen = Screen::Setup;  // there is no home yet
            } else if constexpr (std::is_same_v<T, shell::SetLang>) {
                m_state.lang = in.lang;
            } else if constexpr (std::is_same_v<T, shell::ToggleElder>) {
                m_state.elder = !m_state.elder;
            } else if constexpr (std::is_same_v<T, shell::StillHere>) {
                m_idle.touch(x.now);
            } else if constexpr (std::is_same_v<T, shell::Open>) {
                module(in.screen).open(x, in.screen);
            } else if constexpr (std::is_same_v<T, shell::TextKey>) {
                if (TextEntry* t = module(ses.screen).active_text()) text_entry_key(*t, in.key, x.typing);
            } else if constexpr (std::is_same_v<T, shell::TextCandidate>) {
                if (TextEntry* t = module(ses.screen).active_text()) text_entry_choose(*t, in.index, x.typing);
            } else if constexpr (std::is_same_v<T, shell::RebuildData>) {
                if (!ses.staff || !m_store) return;
                if (auto r = m_store->outbox().restart_pulls(); !r) return x.say(r.error().key.c_str());
                if (m_sync_wake) m_sync_wake();
                x.say("service.rebuilding");
            } else if constexpr (std::is_same_v<T, shell::ReadAloud>) {
                // Here, between frames, never in draw: the reader only queues the text for its thread.
                if (m_reader) m_reader->say(m_state.lang, spoken_text());
            } else if constexpr (std::is_same_v<T, shell::BackInService>) {
                if (!ses.staff || !m_store) return;
                if (auto r = m_store->clear_damage(); !r) return x.say(r.error().key.c_str());
                m_out_of_service.clear();
                refresh_site();
            }
        },
        intent);
}

// ---- Keyboards and the barcode scanner ----------------------------------------------------
void KioskApp::on_char(const std::string& utf8, double now) {
    on_touch(now);
    if (auto typed = m_scanner.key(utf8, now)) on_typed(typed->text);
}

void KioskApp::on_enter(double now) {
    on_touch(now);
    std::string typed;
    auto ev = m_scanner.enter(now, typed);
    if (!typed.empty()) on_typed(typed);
    if (ev && ev->kind == ScannerDetector::Event::Kind::Scanned) {
        on_scan(ev->text);
    } else if (m_state.session.screen == Screen::StaffLogin) {
        guarded([&] {
            FeatureCtx x = context(now);
            Screen before = m_state.session.screen;
            m_features.staff.enter(x);
            after_apply(x, before);
        });
    }
}

void KioskApp::on_typed(const std::string& text) {
    if (m_state.session.screen == Screen::StaffLogin) return m_features.staff.typed(text);
    // A keyboard at the desk (or an accessibility keyboard) types into the text box showing.
    if (TextEntry* t = module(m_state.session.screen).active_text()) text_entry_type(*t, text, context(m_now).typing);
}

void KioskApp::on_scan(const std::string& code) {
    if (!m_out_of_service.empty()) return;
    guarded([&] {
        FeatureCtx x = context(m_now);
        Screen before = m_state.session.screen;
        if (!module(before).scan(x, code)) x.say("scan.not_here");
        after_apply(x, before);
    });
}

namespace {
// How often the loop looks for a worker's answer while one is due (a PIN check takes ~0.03 s).
constexpr double kWorkPollS = 0.01;
}  // namespace

double KioskApp::next_wake_in(double now) const {
    double wake = m_idle.next_change_in(now);
    if (working()) wake = wake < 0 ? kWorkPollS : std::min(wake, kWorkPollS);
    double flush = m_scanner.flush_in(now);
    if (flush >= 0 && (wake < 0 || flush < wake)) wake = flush;
    // The attract loop starts, and moves on only when there is more than one notice to show.
    if (m_state.session.screen == Screen::Home && m_last_input >= 0) {
        double to_attract = m_last_input + kAttractAfterS - now;
        if (to_attract > 0 && (wake < 0 || to_attract < wake)) wake = to_attract;
        int urgent = 0;
        for (auto& a : m_state.site.announcements) urgent += a.urgent ? 1 : 0;
        if (to_attract <= 0 && urgent > 1) {
            double into = std::fmod(now - m_last_input - kAttractAfterS, kAttractCycleS);
            double next = kAttractCycleS - into;
            if (wake < 0 || next < wake) wake = next;
        }
    }
    // The clock in the top bar changes once a minute.
    std::tm tm{};
    localtime_r(&m_state.wall_now, &tm);
    double to_minute = 60.0 - tm.tm_sec;
    if (wake < 0 || to_minute < wake) wake = to_minute;
    return wake;
}

}  // namespace kiosk::ui
