#pragma once
// The kiosk application: the state the app owns, the one table of screens, and the loop step
// that draws a frame and then applies the intents the screens returned. Drawing never touches
// the store; intents do, between frames.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <map>

#include "kiosk/core/attempt_limiter.hpp"
#include "kiosk/core/fees.hpp"
#include "kiosk/core/qr.hpp"
#include "kiosk/core/complaint.hpp"
#include "kiosk/core/parcels.hpp"
#include "kiosk/core/exit_pass.hpp"
#include "kiosk/core/loans.hpp"
#include "kiosk/core/repair.hpp"
#include "kiosk/print/print_queue.hpp"
#include "kiosk/ui/text_entry.hpp"
#include "kiosk/core/i18n.hpp"
#include "kiosk/core/idle_timer.hpp"
#include "kiosk/core/scanner.hpp"
#include "kiosk/core/services.hpp"
#include "kiosk/core/signature.hpp"
#include "kiosk/core/sync_state.hpp"
#include "kiosk/core/site.hpp"
#include "kiosk/ui/widgets.hpp"

namespace kiosk {
class Store;
}

namespace kiosk::ui {

// Every screen, in one place. screen_name() is what scripts expect and captures are named by.
enum class Screen { Home, Announcements, AnnouncementDetail, StaffLogin, StaffDesk, Verify, Fees, Repair, Complaint, MyRequests, Enquiries, Survey, ParcelIntake, ParcelPickup, ParcelList, MyParcels, ExitPass, ExitReview, Gate, Borrow, Returns };
std::string_view screen_name(Screen s);
bool parse_screen(std::string_view name, Screen& out);

struct StaffLoginState {
    std::string staff_no;
    std::string pin;
    bool entering_pin = false;
};

// Proving the household: building, then unit, then the last four digits of a registered phone
// (or the household's PIN).
struct VerifyState {
    enum class Step { Building, Unit, Code } step = Step::Building;
    std::vector<Building> buildings;
    std::vector<Unit> units;
    std::string building_id;
    std::string unit_id;
    std::string code;
    bool by_pin = false;            // the household PIN (6 digits) instead of the phone's last 4
    Service then = Service::Fees;   // where the resident was going
    bool for_pickup = false;        // at the desk: the household collects all its parcels at once
};

// A household that has proved itself: what this visitor may see, for a few minutes at most.
struct Household {
    std::string unit_id;
    LocalText building_name;
    std::string unit_label;
    std::vector<HouseholdMember> members;  // masked; the hashes are not kept
    double verified_at = 0;
};

struct FeesView {
    FeeStatement statement;
    std::optional<QrMatrix> pay_qr;        // from the site's payment URL template, when something is owed
    std::string pay_url;
    int64_t slip_job = 0;                  // the statement slip asked for, if any
};

struct PublicArea {
    std::string id;
    LocalText name;
};

// A repair request being filled in, step by step, and what the resident was told once saved.
struct RepairState {
    enum class Step { Category, Urgency, Location, Describe, Contact, ReadBack, Done } step = Step::Category;
    int category = -1;
    int urgency = -1;                   // 0 emergency, 1 appointment
    int window = -1;
    std::vector<TimeWindow> windows;    // offered: the site's time slots, today and the next two days
    bool own_unit = false;
    int area = -1;
    std::vector<PublicArea> areas;
    std::vector<std::string> phrases;   // catalogue keys of the chips chosen
    TextEntry text;
    int contact = 0;                    // index into the household's members
    std::string ticket;
    RepairPromise promise;
    std::optional<QrMatrix> ticket_qr;
    int64_t receipt_job = 0;            // the printed receipt, when a printer is configured
};

// A complaint or suggestion being filled in.
struct ComplaintState {
    enum class Step { Kind, Details, Circumstances, Contact, ReadBack, Done } step = Step::Kind;
    int kind = -1;
    std::vector<std::string> phrases;   // catalogue keys chosen
    TextEntry text;
    std::vector<PublicArea> areas;      // where: the flat, these, or elsewhere
    int where = -1, when = -1, about = -1, wants = -1;
    int contact = 0;
    std::string ticket;
    std::time_t reply_by = 0;
    std::optional<QrMatrix> ticket_qr;
    int64_t receipt_job = 0;
};

// The household's repairs and complaints: a list, one case's timeline, and the rating.
struct MyRequestsState {
    enum class Step { List, Detail, Rate, Rated } step = Step::List;
    std::vector<HouseholdCase> cases;
    int selected = -1;
    int stars = 0;
    TextEntry comment;
};

struct EnquiryTopic {
    std::string id;
    LocalText title;
    LocalText body;
};

// Enquiries: the site's answers, and a question left for staff with a number to call back.
struct EnquiryState {
    enum class Step { Topics, Topic, Ask, Phone, Asked } step = Step::Topics;
    std::vector<EnquiryTopic> topics;
    int selected = -1;
    TextEntry question;
    std::string phone;
    std::string ticket;
};

struct SurveyQuestion {
    std::string id;
    LocalText text;
};

// The satisfaction survey: one answer per household per survey, optionally anonymous.
struct SurveyState {
    enum class Step { Intro, Question, Thanks, Already } step = Step::Intro;
    std::string id;
    LocalText title;
    std::vector<SurveyQuestion> questions;
    bool anonymous = true;
    size_t index = 0;
    std::vector<int> answers;   // 1..5, one per question answered so far
};

// A clerk registering a parcel: tracking number (scanned or typed), carrier, flat, shelf; then the
// pickup code and the label.
struct ParcelIntakeState {
    enum class Step { Tracking, Carrier, Building, Unit, Shelf, Done } step = Step::Tracking;
    std::string tracking;
    int carrier = -1;
    std::vector<Building> buildings;
    std::vector<Unit> units;
    std::string building_id, unit_id, unit_text;
    bool consent = true;                  // the flat agreed to desk custody (warned when not)
    std::vector<std::string> shelves;     // the site's shelf names
    int shelf = -1;
    std::optional<Parcel> saved;
    int64_t label_job = 0;
};

// A clerk handing parcels over: one against its pickup code or a proxy code (typed on the keypad
// or scanned), or all of a household's once it has proved itself; optionally signed for.
struct ParcelPickupState {
    enum class Step { Code, Found, Done } step = Step::Code;
    std::string code;
    std::vector<Parcel> parcels;
    std::string how = "code";           // code | proxy | household
    std::string proxy_code;
    std::string unit_text;
    Signature signature;
};

// A verified household's own parcels: days left, a hold extended once, a one-time proxy code.
struct MyParcelsState {
    std::vector<Parcel> parcels;                       // waiting, oldest first
    std::vector<std::optional<ProxyCode>> proxies;     // a live proxy code per parcel
    int selected = -1;
    std::optional<ProxyCode> issued;                   // shown once, right after it is issued
};

// The parcels waiting at the desk, oldest first, with their stage.
struct ParcelListState {
    std::vector<Parcel> waiting;
    std::vector<std::string> unit_texts;
    int selected = -1;                  // a parcel opened to send back to the carrier
};

// A household asking for an exit pass: what goes out, when, who asks and who carries, the plate.
struct ExitPassState {
    enum class Step { Items, When, Who, Plate, ReadBack, Done } step = Step::Items;
    std::vector<int> quantities;        // per exit_pass_items()
    int day = -1;                       // 0 today, 1 tomorrow, 2 the day after
    int window = -1;
    int requester = -1;                 // index into the household's members
    int carrier = -1;
    TextEntry plate;
    std::string pass_id;
};

// The desk reviewing exit passes: the pending ones, then one with what stands in its way.
struct ExitReviewState {
    enum class Step { List, Detail, Done } step = Step::List;
    std::vector<ExitPass> pending;
    std::vector<std::string> unit_texts;
    int selected = -1;
    ExitPassReview review;
    std::string requester_name;
    int reason = -1;                    // index into exit_review_reasons()
    bool approved = false;
    int64_t slip_job = 0;
};
// Why a pass is approved over a rule (the first three) or rejected (the rest).
const std::vector<std::string>& exit_review_reasons();
inline constexpr int kExitOverrideReasons = 3;

// The gate: scanner only; the last pass scanned and the verdict.
struct GateState {
    bool scanned = false;
    GateVerdict verdict = GateVerdict::Unknown;
    std::optional<ExitPass> pass;
    std::string unit_text;
};

// A household borrowing an item: the catalogue with what is left, then a confirmation.
struct BorrowState {
    enum class Step { List, Confirm, Done } step = Step::List;
    std::vector<CatalogueItem> items;
    std::vector<Loan> out;              // what the household has out now
    int selected = -1;
    std::optional<Loan> loan;
};

// The desk taking items back: what is out (overdue first), then the condition.
struct ReturnsState {
    enum class Step { List, Detail, Done } step = Step::List;
    std::vector<Loan> out;
    std::vector<std::string> labels;    // item, flat, due
    int selected = -1;
    int condition = -1;
};

// What one visitor did: wiped in one place when they finish or walk away.
struct SessionState {
    Screen screen = Screen::Home;
    std::vector<Screen> back_stack;
    float list_scroll = 0;
    int announcement = -1;
    StaffLoginState staff_login;
    std::optional<StaffMember> staff;
    VerifyState verify;
    std::optional<Household> household;
    FeesView fees;
    RepairState repair;
    ComplaintState complaint;
    MyRequestsState my;
    EnquiryState enquiry;
    SurveyState survey;
    ParcelIntakeState parcel_intake;
    ParcelPickupState parcel_pickup;
    ParcelListState parcel_list;
    MyParcelsState my_parcels;
    ExitPassState exit_pass;
    ExitReviewState exit_review;
    GateState gate;
    BorrowState borrow;
    ReturnsState returns;
    std::string message_key;      // a message shown where the user is looking
    std::string message_arg;
    bool message_is_error = false;
};

// Read-only views the intents load from the store, for the screens to draw.
struct SiteView {
    LocalText site_name;
    std::string desk_phone;
    std::vector<Announcement> announcements;
    int64_t outbox_depth = 0;
    DeskCounts desk;               // loaded while the staff desk shows
    ParcelLimits parcel_limits;    // the site's
    std::vector<DeadLetter> dead_letters;      // loaded while the staff desk shows
    std::vector<SyncConflict> conflicts;
};

struct AppState {
    Lang lang = Lang::ZhCN;
    bool elder = false;
    SessionState session;
    SiteView site;
    print::PrinterSnapshot printer;   // configured == false: no printer at this kiosk
    SyncSnapshot sync;                // configured == false: no head office set
    std::time_t wall_now = 0;
};

struct Intent {
    enum class Kind {
        OpenService, OpenScreen, Back, Home, SetLang, ToggleElder, StillHere, OpenAnnouncement,
        StaffNext, StaffSignIn, StaffSignOut,
        VerifyBuilding, VerifyUnit, VerifySubmit, VerifyUsePin, Done,
        RepairCategory, RepairUrgency, RepairWindow, RepairOwnUnit, RepairArea, RepairPhrase, RepairContact,
        RepairNext, RepairSubmit, ImeKey, ImeCandidate,
        ComplaintKind, ComplaintPhrase, ComplaintChoice, ComplaintContact, ComplaintNext, ComplaintSubmit,
        MyOpenCase, MyRate, MyStars, MySubmitRating,
        EnquiryTopic, EnquiryAsk, EnquiryNext, EnquirySubmit,
        SurveyAnonymous, SurveyStart, SurveyAnswer,
        FeesPrint, SlipReprint,
        ParcelTrackingNext, ParcelCarrier, ParcelBuilding, ParcelUnit, ParcelShelf, ParcelRegister, ParcelAnother,
        PickupSubmit, PickupConfirm,
        ExitItem, ExitItemsClear, ExitDay, ExitWindow, ExitRequester, ExitCarrier, ExitNext, ExitSubmit,
        ExitReviewOpen, ExitReason, ExitApprove, ExitReject,
        BorrowPick, BorrowConfirm, ReturnOpen, ReturnCondition, ReturnConfirm,
        ParcelOpen, ParcelReturnToSender, PickupByHousehold, SignatureClear,
        MyParcelOpen, MyParcelExtend, MyParcelProxy, SyncHandled
    } kind;
    int arg = 0;
    std::string text;
};

struct FontSet {
    Fonts normal;
    Fonts elder;
};

// The home screen left untouched this long shows today's urgent notices full-screen (the attract
// loop), a new one every kAttractCycleS when there are several.
inline constexpr double kAttractAfterS = 45;
inline constexpr double kAttractCycleS = 15;

// A proved household stays open this long at most, then the kiosk closes it by itself.
inline constexpr double kHouseholdSessionS = 300;
inline constexpr AttemptPolicy kUnitVerifyPolicy{3, 30, 6, 900};
// A signed-in clerk's session ends after 2 minutes without a touch (90 s, then a 30 s countdown).
inline constexpr IdlePolicy kStaffIdlePolicy{90, 30};
// Guessing pickup codes at one kiosk: 3 free tries, then 10 s doubling, 10 tries lock for 15 minutes.
// A million codes and a few hundred parcels waiting: about 150 locked quarter-hours a parcel.
inline constexpr AttemptPolicy kPickupCodePolicy{3, 10, 10, 900};
// A hand-over signature is kept as a picture this size (3:1, like the pad on screen).
inline constexpr int kSignaturePngW = 600;
inline constexpr int kSignaturePngH = 200;

class KioskApp {
public:
    KioskApp(const Catalog& catalog, Store* store, FontSet fonts, IdlePolicy idle = {});
    // Chinese input for free text; without it residents type Latin letters only.
    void set_pinyin(platform::PinyinInput* engine) { m_pinyin = engine; }
    // The slip printer; without one no slip is offered. The queue's thread wakes the UI itself.
    void set_printer(print::PrintQueue* printer) { m_printer = printer; }
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
    // Whether the attract loop is showing at `now`.
    bool attracting(double now) const;
    // Wipes the session (as the idle timer does) and returns home.
    void reset_session();

    const WidgetRegistry& widgets() const { return m_widgets; }
    Screen screen() const { return m_state.session.screen; }
    AppState& state() { return m_state; }
    const Catalog& catalog() const { return m_catalog; }
    const IdleTimer& idle() const { return m_idle; }
    const std::string& tr(std::string_view key) const { return m_catalog.tr(m_state.lang, key); }

private:
    void apply(const Intent& in, double now);
    void go(Screen s);
    void on_scan(const std::string& code);
    void on_typed(const std::string& text);
    void staff_sign_in(double now);
    void open_service(Service s);
    void verify_submit(double now);
    void open_fees();
    FeeStatement fee_statement_now(const std::string& unit_id);
    void end_household(const char* message_key);
    void open_repair();
    void repair_next();
    void repair_submit(double now);
    RepairRequest repair_request() const;
    void open_complaint();
    void complaint_next();
    void complaint_submit();
    ComplaintRequest complaint_request() const;
    std::vector<PublicArea> public_areas();
    void open_my_requests();
    void submit_rating();
    void open_enquiries();
    void enquiry_submit();
    void open_survey();
    void survey_answer(int score);
    void open_parcel_screen(Screen s);
    void open_exit_pass();
    void exit_next();
    void exit_submit();
    ExitPassRequest exit_request() const;
    void open_exit_review();
    void exit_review_open(int index);
    void exit_decide(bool approve);
    void gate_scan(const std::string& code);
    void open_borrow();
    void borrow_confirm();
    void open_returns();
    void return_confirm();
    void parcel_tracking_next(const std::string& tracking);
    void parcel_register();
    void pickup_submit(double now);
    void pickup_confirm();
    void open_my_parcels();
    void my_parcel_extend();
    void my_parcel_proxy();
    std::string unit_text(const std::string& unit_id);
    TextEntry* active_text();

    const Catalog& m_catalog;
    Store* m_store;
    platform::PinyinInput* m_pinyin = nullptr;
    print::PrintQueue* m_printer = nullptr;
    std::function<SyncSnapshot()> m_sync_snapshot;
    std::function<void()> m_sync_wake;
    uint64_t m_sync_seen = 0;  // the snapshot version last drawn
    FontSet m_fonts;
    AppState m_state;
    IdleTimer m_idle;
    AttemptLimiter m_staff_limiter{AttemptPolicy{5, 0, 5, 300}};
    ScannerDetector m_scanner;
    // Guessing a household's digits is slowed per unit and, looser, for the whole kiosk.
    std::map<std::string, AttemptLimiter> m_unit_limiters;
    AttemptLimiter m_kiosk_verify_limiter{AttemptPolicy{10, 10, 20, 600}};
    AttemptLimiter m_pickup_limiter{kPickupCodePolicy};
    IdlePolicy m_resident_idle;
    WidgetRegistry m_widgets;
    double m_now = 0;
    double m_last_input = -1;  // set on the first frame: the kiosk counts idleness from its start
    int m_last_minute = -1;
};

}  // namespace kiosk::ui
