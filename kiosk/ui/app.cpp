#include "kiosk/ui/app.hpp"
#include "kiosk/ui/slips.hpp"

#include <array>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "kiosk/core/household.hpp"
#include "kiosk/core/text.hpp"
#include "kiosk/print/signature_image.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

// ---- The one table of screens -------------------------------------------------------------
namespace {
struct ScreenEntry {
    Screen screen;
    std::string_view name;
    void (*draw)(ScreenCtx&);
};
constexpr std::array<ScreenEntry, 21> kScreens{{
    {Screen::Home, "home", draw_home},
    {Screen::Announcements, "announcements", draw_announcements},
    {Screen::AnnouncementDetail, "announcement_detail", draw_announcement_detail},
    {Screen::StaffLogin, "staff_login", draw_staff_login},
    {Screen::StaffDesk, "staff_desk", draw_staff_desk},
    {Screen::Verify, "verify", draw_verify},
    {Screen::Fees, "fees", draw_fees},
    {Screen::Repair, "repair", draw_repair},
    {Screen::Complaint, "complaint", draw_complaint},
    {Screen::MyRequests, "my_requests", draw_my_requests},
    {Screen::Enquiries, "enquiries", draw_enquiries},
    {Screen::Survey, "survey", draw_survey},
    {Screen::ParcelIntake, "parcel_intake", draw_parcel_intake},
    {Screen::ParcelPickup, "parcel_pickup", draw_parcel_pickup},
    {Screen::ParcelList, "parcel_list", draw_parcel_list},
    {Screen::MyParcels, "my_parcels", draw_my_parcels},
    {Screen::ExitPass, "exit_pass", draw_exit_pass},
    {Screen::ExitReview, "exit_review", draw_exit_review},
    {Screen::Gate, "gate", draw_gate},
    {Screen::Borrow, "borrow", draw_borrow},
    {Screen::Returns, "returns", draw_returns},
}};
// Screens are looked up by their enum value: the table must follow the enum's order.
constexpr bool screens_in_order() {
    for (size_t i = 0; i < kScreens.size(); ++i)
        if (static_cast<size_t>(kScreens[i].screen) != i) return false;
    return true;
}
static_assert(screens_in_order() && static_cast<size_t>(Screen::Returns) + 1 == kScreens.size());

// A wait shown to a person, rounded up to whole seconds or minutes (900.0000001 s is 15 minutes).
int whole_units(double seconds, double unit) { return static_cast<int>(std::ceil(seconds / unit - 1e-6)); }

std::string local_date(std::time_t t, const char* fmt) {
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, fmt, &tm);
    return buf;
}
std::string today_of(std::time_t t) { return local_date(t, "%Y-%m-%d"); }

// A wait after wrong tries, said kindly: "<what>.wait" in seconds, or "<what>.locked" in minutes
// once it is longer than a minute and a half.
void say_wait_in(SessionState& ses, double wait, const std::string& what) {
    bool minutes = wait > 90;
    ses.message_key = what + (minutes ? ".locked" : ".wait");
    ses.message_arg = std::to_string(minutes ? whole_units(wait, 60) : whole_units(wait, 1));
}
}  // namespace

std::string_view screen_name(Screen s) { return kScreens[static_cast<size_t>(s)].name; }

bool parse_screen(std::string_view name, Screen& out) {
    for (auto& e : kScreens)
        if (e.name == name) { out = e.screen; return true; }
    return false;
}

// ---- The app ------------------------------------------------------------------------------
KioskApp::KioskApp(const Catalog& catalog, Store* store, FontSet fonts, IdlePolicy idle)
    : m_catalog(catalog), m_store(store), m_fonts(fonts), m_idle(idle), m_resident_idle(idle) {}

void KioskApp::refresh_site() {
    if (!m_store) return;
    SiteView v;
    if (auto name = m_store->site_fact("site_name")) {
        auto j = nlohmann::json::parse(*name, nullptr, false);
        for (Lang l : kAllLangs)
            if (j.is_object() && j.contains(std::string(lang_code(l))))
                v.site_name.text[static_cast<int>(l)] = j[std::string(lang_code(l))].get<std::string>();
    }
    v.desk_phone = m_store->site_fact("desk_phone").value_or("");
    std::time_t now = m_state.wall_now ? m_state.wall_now : std::time(nullptr);
    v.announcements = m_store->announcements(today_of(now));
    v.outbox_depth = m_store->outbox_depth();
    v.parcel_limits = parcel_limits_from_json(m_store->site_fact("parcel_limits").value_or("{}"));
    m_state.site = std::move(v);
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
        m_sync_seen = m_state.sync.version;
    }
    if (auto typed = m_scanner.flush(now)) on_typed(typed->text);
    if (m_idle.update(now) == IdleTimer::State::Expired) reset_session();
    if (m_state.session.household && now - m_state.session.household->verified_at > kHouseholdSessionS)
        end_household("verify.session_ended");

    m_widgets.begin_frame();
    Metrics metrics;
    metrics.scale = display.y / 1080.0f;
    metrics.elder = m_state.elder ? 1.5f : 1.0f;
    const Fonts& fonts = m_state.elder ? m_fonts.elder : m_fonts.normal;
    Ui ui(m_widgets, metrics, fonts, [this](std::string_view k) -> const std::string& { return tr(k); });

    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(display);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, colour::background);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::PushFont(fonts.body);
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    std::vector<Intent> intents;
    float top_h = metrics.px(110), bottom_h = metrics.px(130), margin = metrics.px(40);
    ScreenCtx ctx{ui, m_state, m_catalog, intents, {margin, top_h + margin * 0.6f},
                  {display.x - margin, display.y - bottom_h - margin * 0.4f}};
    // Under the attract loop nothing else is drawn: it cannot be touched, so it is not listed either.
    bool attract = attracting(now);
    if (!attract) {
        draw_top_bar(ctx, top_h);
        kScreens[static_cast<size_t>(m_state.session.screen)].draw(ctx);
        draw_bottom_bar(ctx, bottom_h);
    }
    ImGui::End();
    if (m_idle.state() == IdleTimer::State::Warning) draw_idle_warning(ctx, m_idle.seconds_left(now), display);
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

    for (auto& in : intents) apply(in, now);
    std::tm tm{};
    localtime_r(&wall_now, &tm);
    m_last_minute = tm.tm_min;
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
    m_idle.touch(now);
    if (m_state.session.screen == Screen::Home && m_state.lang == Lang::ZhCN && !m_state.elder) m_idle.disarm();
}

void KioskApp::go(Screen s) {
    auto& ses = m_state.session;
    if (s == ses.screen) return;
    ses.back_stack.push_back(ses.screen);
    ses.screen = s;
    ses.list_scroll = 0;
    ses.message_key.clear();
}

void KioskApp::reset_session() {
    m_last_input = -1;  // counted again from the next frame: the attract loop comes 45 s after it
    m_state.session = SessionState{};
    m_state.lang = Lang::ZhCN;
    m_state.elder = false;
    m_scanner.clear();
    m_idle.disarm();
    m_idle.set_policy(m_resident_idle);
}

void KioskApp::apply(const Intent& in, double now) {
    auto& ses = m_state.session;
    const int64_t seq_before = m_sync_wake && m_store ? m_store->last_record_seq() : 0;
    switch (in.kind) {
        case Intent::Kind::OpenService: open_service(static_cast<Service>(in.arg)); break;
        case Intent::Kind::VerifyBuilding:
            ses.verify.building_id = in.text;
            ses.verify.units = m_store ? m_store->units_of(in.text) : std::vector<Unit>{};
            ses.verify.step = VerifyState::Step::Unit;
            ses.list_scroll = 0;
            ses.message_key.clear();
            break;
        case Intent::Kind::VerifyUnit:
            ses.verify.unit_id = in.text;
            ses.verify.code.clear();
            ses.verify.step = VerifyState::Step::Code;
            ses.message_key.clear();
            break;
        case Intent::Kind::VerifySubmit: verify_submit(now); break;
        case Intent::Kind::VerifyUsePin:
            ses.verify.by_pin = !ses.verify.by_pin;
            ses.verify.code.clear();
            ses.message_key.clear();
            break;
        case Intent::Kind::Done: end_household(nullptr); break;
        case Intent::Kind::RepairCategory:
            ses.repair.category = std::clamp(in.arg, 0, kRepairCategoryCount - 1);
            ses.repair.phrases.clear();
            ses.repair.step = RepairState::Step::Urgency;
            break;
        case Intent::Kind::RepairUrgency:
            ses.repair.urgency = in.arg == 0 ? 0 : 1;
            if (ses.repair.urgency == 0) ses.repair.window = -1;
            break;
        case Intent::Kind::RepairWindow:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.repair.windows.size())) ses.repair.window = in.arg;
            break;
        case Intent::Kind::RepairOwnUnit:
            ses.repair.own_unit = true;
            ses.repair.area = -1;
            break;
        case Intent::Kind::RepairArea:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.repair.areas.size())) {
                ses.repair.area = in.arg;
                ses.repair.own_unit = false;
            }
            break;
        case Intent::Kind::RepairPhrase: {
            auto& ph = ses.repair.phrases;
            auto it = std::find(ph.begin(), ph.end(), in.text);
            if (it != ph.end()) ph.erase(it);
            else ph.push_back(in.text);
            break;
        }
        case Intent::Kind::RepairContact: ses.repair.contact = in.arg; break;
        case Intent::Kind::RepairNext: repair_next(); break;
        case Intent::Kind::ComplaintKind:
            ses.complaint.kind = std::clamp(in.arg, 0, kComplaintKindCount - 1);
            ses.complaint.phrases.clear();
            ses.complaint.step = ComplaintState::Step::Details;
            break;
        case Intent::Kind::ComplaintPhrase: {
            auto& ph = ses.complaint.phrases;
            auto it = std::find(ph.begin(), ph.end(), in.text);
            if (it != ph.end()) ph.erase(it);
            else ph.push_back(in.text);
            break;
        }
        case Intent::Kind::ComplaintChoice: {
            auto& cs = ses.complaint;
            int* field = in.text == "where" ? &cs.where : in.text == "when" ? &cs.when
                       : in.text == "about" ? &cs.about : in.text == "wants" ? &cs.wants : nullptr;
            if (field) *field = *field == in.arg && in.text == "about" ? -1 : in.arg;  // "about" is optional
            break;
        }
        case Intent::Kind::ComplaintContact: ses.complaint.contact = in.arg; break;
        case Intent::Kind::ComplaintNext: complaint_next(); break;
        case Intent::Kind::ComplaintSubmit: complaint_submit(); break;
        case Intent::Kind::MyOpenCase:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.my.cases.size())) {
                ses.my.selected = in.arg;
                ses.my.step = MyRequestsState::Step::Detail;
            }
            break;
        case Intent::Kind::MyRate:
            ses.my.step = MyRequestsState::Step::Rate;
            ses.my.stars = 0;
            ses.my.comment = TextEntry{};
            ses.my.comment.max_chars = 100;
            ses.my.comment.chinese = m_pinyin != nullptr;
            break;
        case Intent::Kind::MyStars: ses.my.stars = std::clamp(in.arg, 1, 5); break;
        case Intent::Kind::MySubmitRating: submit_rating(); break;
        case Intent::Kind::EnquiryTopic:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.enquiry.topics.size())) {
                ses.enquiry.selected = in.arg;
                ses.enquiry.step = EnquiryState::Step::Topic;
                ses.list_scroll = 0;
            }
            break;
        case Intent::Kind::EnquiryAsk:
            ses.enquiry.step = EnquiryState::Step::Ask;
            ses.enquiry.question.max_chars = 300;
            ses.enquiry.question.chinese = m_pinyin != nullptr;
            break;
        case Intent::Kind::EnquiryNext:
            if (!ses.enquiry.question.pinyin.empty()) text_entry_key(ses.enquiry.question, "space", {m_pinyin, nullptr});
            if (ses.enquiry.question.text.empty()) {
                ses.message_key = "enquiry.error.question";
                ses.message_is_error = true;
            } else {
                ses.enquiry.step = EnquiryState::Step::Phone;
                ses.message_key.clear();
            }
            break;
        case Intent::Kind::EnquirySubmit: enquiry_submit(); break;
        case Intent::Kind::SurveyAnonymous: ses.survey.anonymous = !ses.survey.anonymous; break;
        case Intent::Kind::SurveyStart:
            if (!ses.survey.questions.empty()) {
                ses.survey.step = SurveyState::Step::Question;
                ses.survey.index = 0;
                ses.survey.answers.clear();
            }
            break;
        case Intent::Kind::SurveyAnswer: survey_answer(in.arg); break;
        case Intent::Kind::RepairSubmit: repair_submit(now); break;
        case Intent::Kind::FeesPrint:
            if (m_printer && ses.household && ses.screen == Screen::Fees && ses.fees.slip_job == 0)
                ses.fees.slip_job = m_printer->submit(fee_statement_slip(m_catalog, m_state));
            break;
        case Intent::Kind::SlipReprint:
            if (m_printer && ses.staff) m_printer->reprint(in.arg);
            break;
        case Intent::Kind::ImeKey:
        case Intent::Kind::ImeCandidate:
            if (TextEntry* t = active_text()) {
                TextInputContext ctx{m_pinyin, [this](char32_t cp) {
                    return cp < 0x10000 && m_fonts.normal.typing &&
                           m_fonts.normal.typing->FindGlyphNoFallback(static_cast<ImWchar>(cp)) != nullptr;
                }};
                if (in.kind == Intent::Kind::ImeKey) text_entry_key(*t, in.text, ctx);
                else text_entry_choose(*t, static_cast<size_t>(std::max(0, in.arg)), ctx);
            }
            break;
        case Intent::Kind::OpenScreen:
            ses.staff_login = {};
            if (in.arg == static_cast<int>(Screen::ParcelIntake) || in.arg == static_cast<int>(Screen::ParcelPickup) ||
                in.arg == static_cast<int>(Screen::ParcelList))
                open_parcel_screen(static_cast<Screen>(in.arg));
            else if (in.arg == static_cast<int>(Screen::ExitReview)) open_exit_review();
            else if (in.arg == static_cast<int>(Screen::Returns)) open_returns();
            else if (in.arg == static_cast<int>(Screen::Gate)) {
                if (ses.staff) {
                    ses.gate = GateState{};
                    go(Screen::Gate);
                }
            } else
                go(static_cast<Screen>(in.arg));
            break;
        case Intent::Kind::ParcelTrackingNext: parcel_tracking_next(ses.parcel_intake.tracking); break;
        case Intent::Kind::ParcelCarrier:
            if (in.arg >= 0 && in.arg < static_cast<int>(parcel_carriers().size())) {
                ses.parcel_intake.carrier = in.arg;
                ses.parcel_intake.step = ParcelIntakeState::Step::Building;
            }
            break;
        case Intent::Kind::ParcelBuilding:
            ses.parcel_intake.building_id = in.text;
            ses.parcel_intake.units = m_store ? m_store->units_of(in.text) : std::vector<Unit>{};
            ses.parcel_intake.step = ParcelIntakeState::Step::Unit;
            break;
        case Intent::Kind::ParcelUnit: {
            auto& pi = ses.parcel_intake;
            pi.unit_id = in.text;
            pi.unit_text = unit_text(in.text);
            pi.consent = m_store && m_store->household_consents_to_custody(in.text);
            pi.step = ParcelIntakeState::Step::Shelf;
            break;
        }
        case Intent::Kind::ParcelShelf: ses.parcel_intake.shelf = in.arg; break;
        case Intent::Kind::ParcelRegister: parcel_register(); break;
        case Intent::Kind::ParcelAnother: open_parcel_screen(Screen::ParcelIntake); break;
        case Intent::Kind::PickupSubmit: pickup_submit(now); break;
        case Intent::Kind::ExitItem:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.exit_pass.quantities.size()) &&
                ses.exit_pass.quantities[static_cast<size_t>(in.arg)] < 99)
                ++ses.exit_pass.quantities[static_cast<size_t>(in.arg)];
            ses.message_key.clear();
            break;
        case Intent::Kind::ExitItemsClear: std::fill(ses.exit_pass.quantities.begin(), ses.exit_pass.quantities.end(), 0); break;
        case Intent::Kind::ExitDay: ses.exit_pass.day = std::clamp(in.arg, 0, 2); break;
        case Intent::Kind::ExitWindow: ses.exit_pass.window = in.arg; break;
        case Intent::Kind::ExitRequester: ses.exit_pass.requester = in.arg; break;
        case Intent::Kind::ExitCarrier: ses.exit_pass.carrier = in.arg; break;
        case Intent::Kind::ExitNext: exit_next(); break;
        case Intent::Kind::ExitSubmit: exit_submit(); break;
        case Intent::Kind::ExitReviewOpen: exit_review_open(in.arg); break;
        case Intent::Kind::BorrowPick:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.borrow.items.size()) &&
                ses.borrow.items[static_cast<size_t>(in.arg)].available > 0) {
                ses.borrow.selected = in.arg;
                ses.borrow.step = BorrowState::Step::Confirm;
                ses.message_key.clear();
            }
            break;
        case Intent::Kind::BorrowConfirm: borrow_confirm(); break;
        case Intent::Kind::ReturnOpen:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.returns.out.size())) {
                ses.returns.selected = in.arg;
                ses.returns.condition = -1;
                ses.returns.step = ReturnsState::Step::Detail;
                ses.message_key.clear();
            }
            break;
        case Intent::Kind::ReturnCondition: ses.returns.condition = in.arg; break;
        case Intent::Kind::ReturnConfirm: return_confirm(); break;
        case Intent::Kind::ParcelOpen:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.parcel_list.waiting.size())) ses.parcel_list.selected = in.arg;
            break;
        case Intent::Kind::ParcelReturnToSender:
            if (m_store && ses.staff && ses.parcel_list.selected >= 0) {
                auto r = m_store->return_parcel_to_sender(ses.parcel_list.waiting[static_cast<size_t>(ses.parcel_list.selected)].id,
                                                          ses.staff->staff_no, m_state.wall_now);
                if (!r) {
                    ses.message_key = r.error().key;
                    ses.message_arg = r.error().arg;
                    ses.message_is_error = true;
                } else {
                    open_parcel_screen(Screen::ParcelList);
                    ses.message_key = "parcels.returned";
                    ses.message_is_error = false;
                }
            }
            break;
        case Intent::Kind::ExitReason: ses.exit_review.reason = in.arg; break;
        case Intent::Kind::ExitApprove: exit_decide(true); break;
        case Intent::Kind::ExitReject: exit_decide(false); break;
        case Intent::Kind::PickupConfirm: pickup_confirm(); break;
        case Intent::Kind::PickupByHousehold:
            if (ses.staff && m_store) {
                ses.verify = VerifyState{};
                ses.verify.for_pickup = true;
                ses.verify.buildings = m_store->buildings();
                go(Screen::Verify);
            }
            break;
        case Intent::Kind::SignatureClear: ses.parcel_pickup.signature = Signature{}; break;
        case Intent::Kind::MyParcelOpen:
            if (in.arg >= 0 && in.arg < static_cast<int>(ses.my_parcels.parcels.size())) {
                ses.my_parcels.selected = in.arg;
                ses.my_parcels.issued.reset();
                ses.message_key.clear();
            }
            break;
        case Intent::Kind::MyParcelExtend: my_parcel_extend(); break;
        case Intent::Kind::MyParcelProxy: my_parcel_proxy(); break;
        case Intent::Kind::OpenAnnouncement:
            ses.announcement = in.arg;
            go(Screen::AnnouncementDetail);
            break;
        case Intent::Kind::Back:
            if ((ses.screen == Screen::Repair && ses.repair.step == RepairState::Step::Done) ||
                (ses.screen == Screen::Complaint && ses.complaint.step == ComplaintState::Step::Done)) {
                end_household(nullptr);  // the request is saved; leaving closes the household
            } else if (ses.screen == Screen::Survey && ses.survey.step == SurveyState::Step::Question) {
                auto& sv = ses.survey;
                if (sv.index == 0) sv.step = SurveyState::Step::Intro;
                else {
                    --sv.index;
                    sv.answers.resize(sv.index);
                }
            } else if (ses.screen == Screen::Enquiries && ses.enquiry.step != EnquiryState::Step::Topics &&
                       ses.enquiry.step != EnquiryState::Step::Asked) {
                auto& st = ses.enquiry.step;
                st = st == EnquiryState::Step::Phone ? EnquiryState::Step::Ask : EnquiryState::Step::Topics;
                ses.message_key.clear();
            } else if (ses.screen == Screen::MyRequests && ses.my.step != MyRequestsState::Step::List) {
                ses.my.step = ses.my.step == MyRequestsState::Step::Rate ? MyRequestsState::Step::Detail
                                                                         : MyRequestsState::Step::List;
                ses.message_key.clear();
            } else if (ses.screen == Screen::Complaint && ses.complaint.step != ComplaintState::Step::Kind) {
                ses.complaint.step = static_cast<ComplaintState::Step>(static_cast<int>(ses.complaint.step) - 1);
                ses.message_key.clear();
            } else if (ses.screen == Screen::ExitPass && ses.exit_pass.step == ExitPassState::Step::Done) {
                end_household(nullptr);
            } else if (ses.screen == Screen::ExitPass && ses.exit_pass.step != ExitPassState::Step::Items) {
                ses.exit_pass.step = static_cast<ExitPassState::Step>(static_cast<int>(ses.exit_pass.step) - 1);
                ses.message_key.clear();
            } else if (ses.screen == Screen::ExitReview && ses.exit_review.step != ExitReviewState::Step::List) {
                open_exit_review();
            } else if (ses.screen == Screen::Borrow && ses.borrow.step == BorrowState::Step::Done) {
                end_household(nullptr);
            } else if (ses.screen == Screen::Borrow && ses.borrow.step == BorrowState::Step::Confirm) {
                ses.borrow.step = BorrowState::Step::List;
                ses.message_key.clear();
            } else if (ses.screen == Screen::ParcelList && ses.parcel_list.selected >= 0) {
                ses.parcel_list.selected = -1;
            } else if (ses.screen == Screen::MyParcels && ses.my_parcels.selected >= 0) {
                open_my_parcels();
            } else if (ses.screen == Screen::ParcelPickup && ses.parcel_pickup.step == ParcelPickupState::Step::Found) {
                ses.parcel_pickup = ParcelPickupState{};
                ses.message_key.clear();
            } else if (ses.screen == Screen::Returns && ses.returns.step != ReturnsState::Step::List) {
                open_returns();
            } else if (ses.screen == Screen::Repair && ses.repair.step != RepairState::Step::Category) {
                ses.repair.step = static_cast<RepairState::Step>(static_cast<int>(ses.repair.step) - 1);
                ses.message_key.clear();
            } else if (ses.screen == Screen::Verify && ses.verify.step != VerifyState::Step::Building) {
                ses.verify.step = ses.verify.step == VerifyState::Step::Code ? VerifyState::Step::Unit
                                                                             : VerifyState::Step::Building;
                ses.verify.code.clear();
                ses.message_key.clear();
            } else if (ses.screen == Screen::StaffLogin && ses.staff_login.entering_pin) {
                ses.staff_login.entering_pin = false;
                ses.staff_login.pin.clear();
                ses.message_key.clear();
            } else if (!ses.back_stack.empty()) {
                Screen prev = ses.back_stack.back();
                ses.back_stack.pop_back();
                ses.screen = prev;
                ses.list_scroll = 0;
                ses.message_key.clear();
            } else {
                ses.screen = Screen::Home;
            }
            break;
        case Intent::Kind::Home: {
            Lang lang = m_state.lang;
            bool elder = m_state.elder;
            ses = SessionState{};  // home ends the visit: nothing typed survives
            m_state.lang = lang;
            m_state.elder = elder;
            break;
        }
        case Intent::Kind::SetLang: m_state.lang = static_cast<Lang>(in.arg); break;
        case Intent::Kind::ToggleElder: m_state.elder = !m_state.elder; break;
        case Intent::Kind::StillHere: m_idle.touch(now); break;
        case Intent::Kind::StaffNext:
            if (!ses.staff_login.staff_no.empty()) {
                ses.staff_login.entering_pin = true;
                ses.message_key.clear();
            }
            break;
        case Intent::Kind::StaffSignIn: staff_sign_in(now); break;
        case Intent::Kind::SyncHandled:
            // The clerk dealt with it; the worker's next count clears the top bar's ring.
            if (m_store && ses.staff && m_store->mark_sync_problem_handled(in.text, ses.staff->staff_no) && m_sync_wake) m_sync_wake();
            break;
        case Intent::Kind::StaffSignOut:
            reset_session();
            break;
    }
    if (m_sync_wake && m_store && m_store->last_record_seq() != seq_before)
        m_sync_wake();  // a record was saved: to head office now, if the network allows
    if (ses.screen == Screen::StaffDesk && ses.staff && m_store) {
        // Reminders due since the desk last looked go out with the next sync.
        m_store->queue_parcel_reminders(m_state.wall_now, m_state.site.parcel_limits);
        std::tm tm{};
        localtime_r(&m_state.wall_now, &tm);
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        m_state.site.desk = m_store->desk_counts(std::mktime(&tm), m_state.wall_now, m_state.site.parcel_limits);
        m_state.site.outbox_depth = m_store->outbox_depth();
        m_state.site.dead_letters = m_store->dead_letters(3, true);
        m_state.site.conflicts = m_store->sync_conflicts(3, true);
    }
    if (ses.screen != Screen::Home || m_state.lang != Lang::ZhCN || m_state.elder) {
        if (!m_idle.armed()) m_idle.touch(now);
    } else {
        m_idle.disarm();
    }
}

void KioskApp::open_service(Service s) {
    auto& ses = m_state.session;
    if (s == Service::Announcements) {
        refresh_site();
        go(Screen::Announcements);
        return;
    }
    if (s == Service::Enquiries) {
        open_enquiries();
        return;
    }
    if (service_info(s).needs_household) {
        if (ses.household) {
            switch (s) {
                case Service::Fees: open_fees(); break;
                case Service::Repairs: open_repair(); break;
                case Service::Complaints: open_complaint(); break;
                case Service::MyRequests: open_my_requests(); break;
                case Service::Survey: open_survey(); break;
                case Service::ExitPasses: open_exit_pass(); break;
                case Service::Borrowing: open_borrow(); break;
                case Service::Parcels: open_my_parcels(); break;
                default: break;
            }
            return;
        }
        ses.verify = VerifyState{};
        ses.verify.then = s;
        if (m_store) ses.verify.buildings = m_store->buildings();
        go(Screen::Verify);
    }
}

void KioskApp::verify_submit(double now) {
    auto& ses = m_state.session;
    auto& v = ses.verify;
    ses.message_is_error = true;
    ses.message_arg.clear();
    auto say_wait = [&](double wait) { say_wait_in(ses, wait, "verify"); };
    AttemptLimiter& unit_limiter = m_unit_limiters.try_emplace(v.unit_id, kUnitVerifyPolicy).first->second;
    double wait = std::max(unit_limiter.wait_s(now), m_kiosk_verify_limiter.wait_s(now));
    if (wait > 0) {
        v.code.clear();
        say_wait(wait);
        return;
    }
    if (v.code.size() != (v.by_pin ? 6u : 4u)) {
        ses.message_key = v.by_pin ? "verify.six_digits" : "verify.four_digits";
        return;
    }
    std::optional<Unit> unit = m_store ? m_store->unit(v.unit_id) : std::nullopt;
    if (!unit) {
        ses.message_key = "verify.unknown_unit";
        v.code.clear();
        return;
    }
    auto members = m_store->household(v.unit_id);
    bool proved = false;
    if (v.by_pin) proved = m_store->household_pin_matches(v.unit_id, v.code);
    else
        for (auto& m : members) proved = household_secret_matches(m.verify_salt, m.verify_hash, v.code) || proved;
    v.code.clear();
    if (!proved) {
        unit_limiter.failure(now);
        m_kiosk_verify_limiter.failure(now);
        double w = std::max(unit_limiter.wait_s(now), m_kiosk_verify_limiter.wait_s(now));
        if (w > 0) say_wait(w);
        else {
            ses.message_key = v.by_pin ? "verify.wrong_pin" : members.empty() ? "verify.no_residents" : "verify.wrong";
            ses.message_arg = std::to_string(kUnitVerifyPolicy.free_tries - unit_limiter.failures());
        }
        return;
    }
    unit_limiter.success();
    Household h;
    h.unit_id = unit->id;
    h.unit_label = unit->label;
    for (auto& b : v.buildings)
        if (b.id == unit->building_id) h.building_name = b.name;
    for (auto& m : members) {
        m.verify_salt.clear();
        m.verify_hash.clear();
        h.members.push_back(std::move(m));
    }
    h.verified_at = now;
    ses.household = std::move(h);
    ses.message_key.clear();
    Service then = v.then;
    bool for_pickup = v.for_pickup;
    v = VerifyState{};
    if (for_pickup && ses.staff) {
        // At the desk: everything the household has waiting, handed over together. The proof
        // opens the hand-over only; the clerk's session does not carry the household on.
        auto& pp = ses.parcel_pickup;
        pp = ParcelPickupState{};
        pp.parcels = m_store->household_parcels(ses.household->unit_id);
        pp.how = "household";
        pp.unit_text = unit_text(ses.household->unit_id);
        pp.step = pp.parcels.empty() ? ParcelPickupState::Step::Code : ParcelPickupState::Step::Found;
        ses.household.reset();
        ses.back_stack.pop_back();  // Back from the hand-over goes to the code, not the digits
        ses.screen = Screen::ParcelPickup;
        if (pp.parcels.empty()) {
            ses.message_key = "pickup.household_none";
            ses.message_arg = pp.unit_text;
            ses.message_is_error = true;
        }
        return;
    }
    ses.back_stack.clear();  // Back from the service goes home, not into the digits
    ses.screen = Screen::Home;
    open_service(then);
}

FeeStatement KioskApp::fee_statement_now(const std::string& unit_id) {
    // This month's bills are due, not yet in arrears.
    return fee_statement(m_store->fee_items(unit_id), local_date(m_state.wall_now, "%Y-%m"));
}

void KioskApp::open_fees() {
    auto& ses = m_state.session;
    if (!ses.household || !m_store) return;
    FeesView view;
    view.statement = fee_statement_now(ses.household->unit_id);
    std::string tmpl = m_store->site_fact("payment_url_template").value_or("");
    if (!tmpl.empty() && view.statement.total_owed_cents > 0) {
        // The URL names the unit and the amount, never the resident.
        std::string url = tmpl;
        auto put = [&](std::string_view ph, const std::string& val) {
            for (size_t p = url.find(ph); p != std::string::npos; p = url.find(ph, p + val.size())) url.replace(p, ph.size(), val);
        };
        put("{unit}", ses.household->unit_id);
        put("{amount}", format_yuan(view.statement.total_owed_cents, false));
        put("{site}", m_store->site_id());
        if (auto qr = make_qr(url)) {
            view.pay_qr = std::move(qr.value());
            view.pay_url = url;
        }
    }
    ses.fees = std::move(view);
    go(Screen::Fees);
}

void KioskApp::open_repair() {
    auto& ses = m_state.session;
    RepairState r;
    r.text.max_chars = kRepairTextMax;
    r.text.chinese = m_pinyin != nullptr;
    if (m_store) {
        // The site's repair slots ("09:00-11:00"), offered today (with an hour's notice) and the next two days.
        auto slots = nlohmann::json::parse(m_store->site_fact("repair_windows").value_or("[]"), nullptr, false);
        for (int day = 0; day < 3 && slots.is_array(); ++day) {
            for (auto& slot : slots) {
                if (!slot.is_string()) continue;
                int h1, m1, h2, m2;
                if (std::sscanf(slot.get<std::string>().c_str(), "%d:%d-%d:%d", &h1, &m1, &h2, &m2) != 4) continue;
                std::tm tm{};
                localtime_r(&m_state.wall_now, &tm);
                tm.tm_mday += day;
                tm.tm_sec = 0;
                tm.tm_isdst = -1;
                tm.tm_hour = h1;
                tm.tm_min = m1;
                std::time_t start = std::mktime(&tm);
                tm.tm_hour = h2;
                tm.tm_min = m2;
                tm.tm_isdst = -1;
                std::time_t end = std::mktime(&tm);
                if (start >= m_state.wall_now + 3600 && end > start) r.windows.push_back({start, end});
            }
        }
    }
    r.areas = public_areas();
    ses.repair = std::move(r);
    go(Screen::Repair);
}

std::vector<PublicArea> KioskApp::public_areas() {
    std::vector<PublicArea> out;
    if (!m_store) return out;
    auto areas = nlohmann::json::parse(m_store->site_fact("public_areas").value_or("[]"), nullptr, false);
    for (auto& a : areas.is_array() ? areas : nlohmann::json::array()) {
        if (!a.is_object() || !a.contains("id") || !a.contains("name") || !a["id"].is_string()) continue;
        PublicArea area;
        area.id = a["id"].get<std::string>();
        for (Lang l : kAllLangs) {
            auto it = a["name"].find(std::string(lang_code(l)));
            if (it != a["name"].end() && it->is_string()) area.name.text[static_cast<int>(l)] = it->get<std::string>();
        }
        out.push_back(std::move(area));
    }
    return out;
}

void KioskApp::open_complaint() {
    ComplaintState cs;
    cs.text.max_chars = kComplaintTextMax;
    cs.text.chinese = m_pinyin != nullptr;
    cs.areas = public_areas();
    m_state.session.complaint = std::move(cs);
    go(Screen::Complaint);
}

ComplaintRequest KioskApp::complaint_request() const {
    const auto& ses = m_state.session;
    const auto& cs = ses.complaint;
    ComplaintRequest req;
    req.kind = static_cast<ComplaintKind>(std::max(0, cs.kind));
    // The case is written in the office's language, whatever the resident reads.
    const Lang office = Lang::ZhCN;
    for (auto& key : cs.phrases) req.phrases.push_back(m_catalog.tr(office, key));
    req.free_text = cs.text.text;
    if (ses.household) {
        req.unit_id = ses.household->unit_id;
        if (cs.where == 0) req.where = ses.household->building_name.in(office) + " " + ses.household->unit_label;
    }
    if (cs.where >= 1 && cs.where <= static_cast<int>(cs.areas.size())) req.where = cs.areas[cs.where - 1].name.in(office);
    if (cs.where == static_cast<int>(cs.areas.size()) + 1) req.where = m_catalog.tr(office, "complaint.where.elsewhere");
    auto pick = [&](std::span<const std::string_view> ids, int i, const char* prefix) {
        return i >= 0 && i < static_cast<int>(ids.size()) ? m_catalog.tr(office, std::string(prefix) + std::string(ids[i]))
                                                           : std::string();
    };
    req.when = pick(complaint_when_ids(), cs.when, "complaint.when.");
    req.about = pick(complaint_about_ids(), cs.about, "complaint.about.");
    req.wants = pick(complaint_wants_ids(), cs.wants, "complaint.wants.");
    if (ses.household && cs.contact >= 0 && cs.contact < static_cast<int>(ses.household->members.size())) {
        req.contact_resident_id = ses.household->members[cs.contact].resident_id;
        req.contact_phone_masked = ses.household->members[cs.contact].phone_masked;
    }
    return req;
}

void KioskApp::complaint_next() {
    auto& ses = m_state.session;
    auto& cs = ses.complaint;
    ses.message_key.clear();
    ses.message_is_error = true;
    switch (cs.step) {
        case ComplaintState::Step::Kind: return;
        case ComplaintState::Step::Details:
            if (!cs.text.pinyin.empty()) text_entry_key(cs.text, "space", {m_pinyin, nullptr});
            if (complaint_what(complaint_request()).empty()) {
                ses.message_key = "complaint.error.what";
                return;
            }
            cs.step = ComplaintState::Step::Circumstances;
            return;
        case ComplaintState::Step::Circumstances:
            if (cs.where < 0 || cs.when < 0) ses.message_key = "complaint.error.where_when";
            else if (cs.wants < 0) ses.message_key = "complaint.error.wants";
            else cs.step = ComplaintState::Step::Contact;
            return;
        case ComplaintState::Step::Contact: cs.step = ComplaintState::Step::ReadBack; return;
        case ComplaintState::Step::ReadBack:
        case ComplaintState::Step::Done: return;
    }
}

void KioskApp::complaint_submit() {
    auto& ses = m_state.session;
    auto& cs = ses.complaint;
    if (!m_store || !ses.household || cs.step != ComplaintState::Step::ReadBack) return;
    auto saved = m_store->save_complaint(complaint_request(), m_state.wall_now);
    if (!saved) {
        ses.message_key = saved.error().key;
        ses.message_is_error = true;
        return;
    }
    cs.ticket = saved.value();
    cs.reply_by = complaint_reply_by(m_state.wall_now);
    if (auto qr = make_qr(cs.ticket)) cs.ticket_qr = std::move(qr.value());
    if (m_printer) cs.receipt_job = m_printer->submit(complaint_receipt(m_catalog, m_state));
    cs.text = TextEntry{};
    cs.step = ComplaintState::Step::Done;
    ses.message_key.clear();
    ses.back_stack.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::open_my_requests() {
    auto& ses = m_state.session;
    ses.my = MyRequestsState{};
    if (m_store && ses.household) ses.my.cases = m_store->household_cases(ses.household->unit_id);
    go(Screen::MyRequests);
}

void KioskApp::submit_rating() {
    auto& ses = m_state.session;
    auto& my = ses.my;
    if (!m_store || my.selected < 0 || my.selected >= static_cast<int>(my.cases.size())) return;
    if (!my.comment.pinyin.empty()) text_entry_key(my.comment, "space", {m_pinyin, nullptr});
    auto r = m_store->save_follow_up(my.cases[my.selected].ticket, my.stars, my.comment.text, m_state.wall_now);
    ses.message_is_error = !r.ok();
    if (!r) {
        ses.message_key = r.error().key;
        return;
    }
    std::string ticket = my.cases[my.selected].ticket;
    my.cases = m_store->household_cases(ses.household->unit_id);
    for (size_t i = 0; i < my.cases.size(); ++i)
        if (my.cases[i].ticket == ticket) my.selected = static_cast<int>(i);
    my.comment = TextEntry{};
    my.step = MyRequestsState::Step::Rated;
    ses.message_key = "my.thanks";
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::open_enquiries() {
    auto& ses = m_state.session;
    ses.enquiry = EnquiryState{};
    if (m_store) {
        auto topics = nlohmann::json::parse(m_store->site_fact("enquiry_topics").value_or("[]"), nullptr, false);
        for (auto& t : topics.is_array() ? topics : nlohmann::json::array()) {
            if (!t.is_object() || !t.contains("id") || !t["id"].is_string()) continue;
            EnquiryTopic topic;
            topic.id = t["id"].get<std::string>();
            for (Lang l : kAllLangs) {
                std::string code(lang_code(l));
                if (t.contains("title") && t["title"].contains(code)) topic.title.text[static_cast<int>(l)] = t["title"][code].get<std::string>();
                if (t.contains("body") && t["body"].contains(code)) topic.body.text[static_cast<int>(l)] = t["body"][code].get<std::string>();
            }
            ses.enquiry.topics.push_back(std::move(topic));
        }
    }
    go(Screen::Enquiries);
}

void KioskApp::enquiry_submit() {
    auto& ses = m_state.session;
    auto& e = ses.enquiry;
    if (!m_store || e.step != EnquiryState::Step::Phone) return;
    auto saved = m_store->save_question(e.question.text, e.phone, m_state.wall_now);
    if (!saved) {
        ses.message_key = saved.error().key;
        ses.message_is_error = true;
        return;
    }
    e.ticket = saved.value();
    e.question = TextEntry{};
    e.phone.clear();  // nothing typed stays once it is saved
    e.step = EnquiryState::Step::Asked;
    ses.message_key.clear();
    ses.back_stack.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::open_survey() {
    auto& ses = m_state.session;
    SurveyState sv;
    if (m_store) {
        auto j = nlohmann::json::parse(m_store->site_fact("survey").value_or("{}"), nullptr, false);
        if (j.is_object() && j.contains("id") && j["id"].is_string()) {
            sv.id = j["id"].get<std::string>();
            auto text_of = [](const nlohmann::json& t) {
                LocalText out;
                for (Lang l : kAllLangs) {
                    auto it = t.find(std::string(lang_code(l)));
                    if (it != t.end() && it->is_string()) out.text[static_cast<int>(l)] = it->get<std::string>();
                }
                return out;
            };
            if (j.contains("title")) sv.title = text_of(j["title"]);
            // The survey period: outside it there is nothing to answer (dates compare as text).
            std::tm tm{};
            localtime_r(&m_state.wall_now, &tm);
            char today[11];
            std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
            bool open = j.value("opens", std::string()) <= today &&
                        (j.value("closes", std::string()).empty() || j.value("closes", std::string()) >= today);
            for (auto& q : j.value("questions", nlohmann::json::array()))
                if (open && q.is_object() && q.contains("id") && q.contains("text"))
                    sv.questions.push_back({q["id"].get<std::string>(), text_of(q["text"])});
        }
        if (!sv.id.empty() && ses.household && m_store->survey_answered(sv.id, ses.household->unit_id))
            sv.step = SurveyState::Step::Already;
    }
    ses.survey = std::move(sv);
    go(Screen::Survey);
}

void KioskApp::survey_answer(int score) {
    auto& ses = m_state.session;
    auto& sv = ses.survey;
    if (sv.step != SurveyState::Step::Question || score < 1 || score > 5 || sv.index >= sv.questions.size()) return;
    sv.answers.resize(sv.index);
    sv.answers.push_back(score);
    if (++sv.index < sv.questions.size()) return;
    std::vector<std::pair<std::string, int>> answers;
    for (size_t i = 0; i < sv.questions.size(); ++i) answers.emplace_back(sv.questions[i].id, sv.answers[i]);
    auto saved = m_store && ses.household
                     ? m_store->save_survey(sv.id, ses.household->unit_id, sv.anonymous, answers, m_state.wall_now)
                     : Result<Ok>(Error{"survey.error.incomplete", "no store or household"});
    if (!saved) {
        sv.step = saved.error().key == "survey.already" ? SurveyState::Step::Already : SurveyState::Step::Question;
        sv.index = sv.questions.size() - 1;
        ses.message_key = saved.error().key;
        ses.message_is_error = true;
        return;
    }
    sv.answers.clear();
    sv.step = SurveyState::Step::Thanks;
    ses.back_stack.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

TextEntry* KioskApp::active_text() {
    auto& ses = m_state.session;
    if (ses.screen == Screen::Repair && ses.repair.step == RepairState::Step::Describe) return &ses.repair.text;
    if (ses.screen == Screen::Complaint && ses.complaint.step == ComplaintState::Step::Details) return &ses.complaint.text;
    if (ses.screen == Screen::MyRequests && ses.my.step == MyRequestsState::Step::Rate) return &ses.my.comment;
    if (ses.screen == Screen::Enquiries && ses.enquiry.step == EnquiryState::Step::Ask) return &ses.enquiry.question;
    if (ses.screen == Screen::ExitPass && ses.exit_pass.step == ExitPassState::Step::Plate) return &ses.exit_pass.plate;
    return nullptr;
}

RepairRequest KioskApp::repair_request() const {
    const auto& ses = m_state.session;
    const auto& r = ses.repair;
    RepairRequest req;
    req.category = static_cast<RepairCategory>(std::max(0, r.category));
    req.urgency = r.urgency == 1 ? RepairUrgency::Appointment : RepairUrgency::Emergency;
    if (r.urgency == 1 && r.window >= 0 && r.window < static_cast<int>(r.windows.size())) req.window = r.windows[r.window];
    if (ses.household && r.own_unit) req.unit_id = ses.household->unit_id;
    if (!r.own_unit && r.area >= 0 && r.area < static_cast<int>(r.areas.size())) req.public_area = r.areas[r.area].id;
    for (auto& key : r.phrases) {
        req.phrases.push_back(m_catalog.tr(Lang::ZhCN, key));  // the office reads Chinese
        for (auto& ph : repair_phrases(req.category))
            if (key == "repair.phrase." + std::string(ph.id)) req.leak = req.leak || ph.leak;
    }
    req.free_text = r.text.text;
    if (ses.household && r.contact >= 0 && r.contact < static_cast<int>(ses.household->members.size())) {
        req.contact_resident_id = ses.household->members[r.contact].resident_id;
        req.contact_phone_masked = ses.household->members[r.contact].phone_masked;
    }
    return req;
}

void KioskApp::repair_next() {
    auto& ses = m_state.session;
    auto& r = ses.repair;
    ses.message_key.clear();
    switch (r.step) {
        case RepairState::Step::Category: return;  // a category tap moves on
        case RepairState::Step::Urgency:
            if (r.urgency == 0 || (r.urgency == 1 && r.window >= 0)) r.step = RepairState::Step::Location;
            return;
        case RepairState::Step::Location:
            if (r.own_unit || r.area >= 0) r.step = RepairState::Step::Describe;
            return;
        case RepairState::Step::Describe: {
            if (!r.text.pinyin.empty()) {  // letters still being composed: take the first candidate
                TextInputContext ctx{m_pinyin, nullptr};
                text_entry_key(r.text, "space", ctx);
            }
            RepairRequest req = repair_request();
            if (repair_description(req).empty()) {
                ses.message_key = "repair.error.description";
                ses.message_is_error = true;
                return;
            }
            r.step = RepairState::Step::Contact;
            return;
        }
        case RepairState::Step::Contact: r.step = RepairState::Step::ReadBack; return;
        case RepairState::Step::ReadBack:
        case RepairState::Step::Done: return;
    }
}

void KioskApp::repair_submit(double) {
    auto& ses = m_state.session;
    auto& r = ses.repair;
    if (!m_store || !ses.household || r.step != RepairState::Step::ReadBack) return;
    RepairRequest req = repair_request();
    std::time_t at = m_state.wall_now;
    RepairPromise promise = repair_promise(req.urgency, at, req.window, req.leak);
    auto saved = m_store->save_repair(req, at, promise);
    if (!saved) {
        // Nothing was saved; what was entered stays, so the resident can fix it or ask the desk.
        ses.message_key = saved.error().key;
        ses.message_is_error = true;
        return;
    }
    r.ticket = saved.value();
    r.promise = promise;
    if (auto qr = make_qr(r.ticket)) r.ticket_qr = std::move(qr.value());
    if (m_printer) r.receipt_job = m_printer->submit(repair_receipt(m_catalog, m_state));
    r.text = TextEntry{};  // what was typed is saved; it need not stay in memory
    r.step = RepairState::Step::Done;
    ses.message_key.clear();
    ses.back_stack.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::end_household(const char* message_key) {
    Lang lang = m_state.lang;
    bool elder = m_state.elder;
    m_state.session = SessionState{};  // nothing of the household stays on screen
    m_state.lang = lang;
    m_state.elder = elder;
    if (message_key) {
        m_state.session.message_key = message_key;
        m_state.session.message_is_error = false;
    }
}

void KioskApp::staff_sign_in(double now) {
    auto& ses = m_state.session;
    auto& login = ses.staff_login;
    ses.message_is_error = true;
    if (double wait = m_staff_limiter.wait_s(now); wait > 0) {
        ses.message_key = "staff.login.locked";
        ses.message_arg = std::to_string(whole_units(wait, 60));
        login.pin.clear();
        return;
    }
    std::optional<StaffMember> member;
    if (m_store) member = m_store->check_staff_pin(login.staff_no, login.pin);
    login.pin.clear();
    if (!member) {
        m_staff_limiter.failure(now);
        if (m_staff_limiter.locked_out(now)) {
            ses.message_key = "staff.login.locked";
            ses.message_arg = std::to_string(whole_units(m_staff_limiter.wait_s(now), 60));
        } else {
            ses.message_key = "staff.login.wrong";
            ses.message_arg = std::to_string(5 - m_staff_limiter.failures());
        }
        return;
    }
    m_staff_limiter.success();
    m_idle.set_policy(kStaffIdlePolicy);
    ses.staff = member;
    ses.staff_login = {};
    ses.message_key.clear();
    if (m_store) m_state.site.outbox_depth = m_store->outbox_depth();
    go(Screen::StaffDesk);
}

void KioskApp::on_char(const std::string& utf8, double now) {
    on_touch(now);
    if (auto typed = m_scanner.key(utf8, now)) on_typed(typed->text);
}

void KioskApp::on_enter(double now) {
    on_touch(now);
    std::string typed;
    auto ev = m_scanner.enter(now, typed);
    if (!typed.empty()) on_typed(typed);
    if (ev && ev->kind == ScannerDetector::Event::Kind::Scanned) on_scan(ev->text);
    else if (m_state.session.screen == Screen::StaffLogin) {
        apply({m_state.session.staff_login.entering_pin ? Intent::Kind::StaffSignIn : Intent::Kind::StaffNext, 0, {}}, now);
    }
}

std::string KioskApp::unit_text(const std::string& unit_id) {
    if (!m_store) return unit_id;
    auto u = m_store->unit(unit_id);
    if (!u) return unit_id;
    for (auto& b : m_store->buildings())
        if (b.id == u->building_id) return b.name.in(m_state.lang) + " " + u->label;
    return u->label;
}

void KioskApp::open_parcel_screen(Screen s) {
    auto& ses = m_state.session;
    if (!ses.staff || !m_store) return;
    if (s == Screen::ParcelIntake) {
        ParcelIntakeState pi;
        pi.buildings = m_store->buildings();
        auto shelves = nlohmann::json::parse(m_store->site_fact("parcel_shelves").value_or("[]"), nullptr, false);
        if (shelves.is_array())
            for (auto& sh : shelves)
                if (sh.is_string()) pi.shelves.push_back(sh.get<std::string>());
        ses.parcel_intake = std::move(pi);
    } else if (s == Screen::ParcelPickup) {
        ses.parcel_pickup = ParcelPickupState{};
    } else {
        ParcelListState pl;
        pl.waiting = m_store->waiting_parcels();
        for (auto& p : pl.waiting) pl.unit_texts.push_back(unit_text(p.unit_id));
        ses.parcel_list = std::move(pl);
    }
    if (ses.screen == s) ses.message_key.clear();
    else go(s);
}

void KioskApp::parcel_tracking_next(const std::string& tracking) {
    auto& ses = m_state.session;
    auto& pi = ses.parcel_intake;
    ses.message_is_error = true;
    ses.message_arg.clear();
    if (!valid_tracking_number(tracking)) {
        ses.message_key = "parcel.error.tracking";
        return;
    }
    pi.tracking = tracking;
    // A tracking number seen before is flagged here, before the clerk goes on.
    if (auto seen = m_store ? m_store->parcel_by_tracking(tracking) : std::nullopt) {
        ses.message_key = "parcel.error.duplicate";
        ses.message_arg = seen->id;
        return;
    }
    ses.message_key.clear();
    pi.step = ParcelIntakeState::Step::Carrier;
}

void KioskApp::parcel_register() {
    auto& ses = m_state.session;
    auto& pi = ses.parcel_intake;
    if (!m_store || !ses.staff || pi.step != ParcelIntakeState::Step::Shelf) return;
    if (pi.shelf < 0 || pi.shelf >= static_cast<int>(pi.shelves.size()) || pi.carrier < 0) {
        ses.message_key = "parcel.error.shelf";
        ses.message_is_error = true;
        return;
    }
    ParcelIntake in{pi.tracking, parcel_carriers()[static_cast<size_t>(pi.carrier)], pi.unit_id,
                    pi.shelves[static_cast<size_t>(pi.shelf)]};
    auto saved = m_store->register_parcel(in, m_state.wall_now);
    if (!saved) {
        ses.message_key = saved.error().key;
        ses.message_arg = saved.error().arg;
        ses.message_is_error = true;
        return;
    }
    pi.saved = saved.value();
    if (m_printer) pi.label_job = m_printer->submit(parcel_label(m_catalog, m_state, *pi.saved, pi.unit_text));
    pi.step = ParcelIntakeState::Step::Done;
    ses.message_key.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::pickup_submit(double now) {
    auto& ses = m_state.session;
    auto& pp = ses.parcel_pickup;
    ses.message_is_error = true;
    ses.message_arg.clear();
    auto say_wait = [&](double wait) { say_wait_in(ses, wait, "pickup"); };
    if (double wait = m_pickup_limiter.wait_s(now); wait > 0) {
        pp.code.clear();
        say_wait(wait);
        return;
    }
    if (!looks_like_pickup_code(pp.code)) {
        ses.message_key = "pickup.six_digits";
        return;
    }
    auto found = m_store ? m_store->parcel_for_code(pp.code, m_state.wall_now) : std::nullopt;
    std::string code = std::move(pp.code);
    pp.code.clear();
    if (!found) {
        m_pickup_limiter.failure(now);
        if (double wait = m_pickup_limiter.wait_s(now); wait > 0) say_wait(wait);
        else ses.message_key = "pickup.wrong";
        return;
    }
    m_pickup_limiter.success();
    pp.parcels = {found->parcel};
    pp.how = found->by_proxy ? "proxy" : "code";
    pp.proxy_code = found->by_proxy ? code : std::string();
    pp.unit_text = unit_text(found->parcel.unit_id);
    pp.signature = Signature{};
    pp.step = ParcelPickupState::Step::Found;
    ses.message_key.clear();
}

void KioskApp::pickup_confirm() {
    auto& ses = m_state.session;
    auto& pp = ses.parcel_pickup;
    if (!m_store || !ses.staff || pp.parcels.empty() || pp.step != ParcelPickupState::Step::Found) return;
    Store::HandOver h;
    for (auto& p : pp.parcels) h.ids.push_back(p.id);
    h.how = pp.how;
    h.staff_no = ses.staff->staff_no;
    h.proxy_code = pp.proxy_code;
    if (!pp.signature.empty()) {
        if (!pp.signature.usable()) {
            ses.message_key = "pickup.signature.short";
            ses.message_arg.clear();
            ses.message_is_error = true;
            return;
        }
        h.signature = signature_json(pp.signature);
        h.signature_png = print::bitmap_png(print::signature_bitmap(pp.signature, kSignaturePngW, kSignaturePngH));
    }
    auto r = m_store->hand_over_parcels(h, m_state.wall_now);
    if (!r) {
        ses.message_key = r.error().key;
        ses.message_arg = r.error().arg;
        ses.message_is_error = true;
        return;
    }
    pp.step = ParcelPickupState::Step::Done;
    ses.message_key.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::open_my_parcels() {
    auto& ses = m_state.session;
    if (!ses.household || !m_store) return;
    MyParcelsState mp;
    mp.parcels = m_store->household_parcels(ses.household->unit_id);
    for (auto& p : mp.parcels) mp.proxies.push_back(m_store->active_proxy_code(p.id, m_state.wall_now));
    ses.my_parcels = std::move(mp);
    if (ses.screen == Screen::MyParcels) ses.message_key.clear();
    else go(Screen::MyParcels);
}

void KioskApp::my_parcel_extend() {
    auto& ses = m_state.session;
    auto& mp = ses.my_parcels;
    if (!ses.household || !m_store || mp.selected < 0 || mp.selected >= static_cast<int>(mp.parcels.size())) return;
    auto r = m_store->extend_parcel_hold(mp.parcels[static_cast<size_t>(mp.selected)].id, ses.household->unit_id,
                                         m_state.site.parcel_limits, m_state.wall_now);
    ses.message_arg.clear();
    if (!r) {
        ses.message_key = r.error().key;
        ses.message_is_error = true;
        return;
    }
    mp.parcels[static_cast<size_t>(mp.selected)] = r.value();
    ses.message_key = "myparcels.extended";
    ses.message_is_error = false;
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::my_parcel_proxy() {
    auto& ses = m_state.session;
    auto& mp = ses.my_parcels;
    if (!ses.household || !m_store || mp.selected < 0 || mp.selected >= static_cast<int>(mp.parcels.size())) return;
    auto r = m_store->issue_proxy_code(mp.parcels[static_cast<size_t>(mp.selected)].id, ses.household->unit_id,
                                       m_state.wall_now);
    ses.message_arg.clear();
    if (!r) {
        ses.message_key = r.error().key;
        ses.message_is_error = true;
        return;
    }
    mp.issued = r.value();
    mp.proxies[static_cast<size_t>(mp.selected)] = r.value();
    ses.message_key.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

const std::vector<std::string>& exit_review_reasons() {
    static const std::vector<std::string> k{"owner_confirmed", "arrears_settled", "manager_approved",
                                            "owner_not_authorised", "arrears_unpaid", "details_unclear"};
    return k;
}


void KioskApp::open_exit_pass() {
    auto& ses = m_state.session;
    if (!ses.household) return;
    ses.exit_pass = ExitPassState{};
    ses.exit_pass.quantities.assign(exit_pass_items().size(), 0);
    go(Screen::ExitPass);
}

ExitPassRequest KioskApp::exit_request() const {
    const auto& ses = m_state.session;
    const auto& e = ses.exit_pass;
    ExitPassRequest r;
    if (!ses.household) return r;
    r.unit_id = ses.household->unit_id;
    if (e.requester >= 0 && e.requester < static_cast<int>(ses.household->members.size())) {
        r.requester_id = ses.household->members[static_cast<size_t>(e.requester)].resident_id;
        r.requester_role = ses.household->members[static_cast<size_t>(e.requester)].role;
    }
    for (size_t i = 0; i < e.quantities.size(); ++i)
        if (e.quantities[i] > 0) r.items.emplace_back(exit_pass_items()[i], e.quantities[i]);
    if (e.day >= 0) r.date = today_of(m_state.wall_now + static_cast<std::time_t>(e.day) * 86400);
    if (e.window >= 0) r.window = exit_pass_windows()[static_cast<size_t>(e.window)];
    if (e.carrier >= 0) r.carrier = exit_pass_carriers()[static_cast<size_t>(e.carrier)];
    r.plate = e.plate.text;
    return r;
}

void KioskApp::exit_next() {
    auto& ses = m_state.session;
    auto& e = ses.exit_pass;
    using S = ExitPassState::Step;
    // What each step needs before the next: the message when it is missing.
    const char* missing = nullptr;
    switch (e.step) {
        case S::Items:
            if (std::all_of(e.quantities.begin(), e.quantities.end(), [](int q) { return q == 0; }))
                missing = "exit.error.no_items";
            break;
        case S::When: if (e.day < 0 || e.window < 0) missing = "exit.error.when"; break;
        case S::Who: if (e.requester < 0 || e.carrier < 0) missing = "exit.error.carrier"; break;
        case S::Plate: if (e.plate.text.size() > 24) missing = "exit.error.plate"; break;
        default: return;
    }
    if (missing) {
        ses.message_key = missing;
        ses.message_is_error = true;
        return;
    }
    e.step = static_cast<S>(static_cast<int>(e.step) + 1);
    ses.message_key.clear();
}

void KioskApp::exit_submit() {
    auto& ses = m_state.session;
    auto& e = ses.exit_pass;
    if (!m_store || !ses.household || e.step != ExitPassState::Step::ReadBack) return;
    auto saved = m_store->save_exit_pass_request(exit_request(), m_state.wall_now);
    if (!saved) {
        ses.message_key = saved.error().key;
        ses.message_is_error = true;
        return;
    }
    e.pass_id = saved.value();
    e.plate = TextEntry{};
    e.step = ExitPassState::Step::Done;
    ses.message_key.clear();
    ses.back_stack.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::open_exit_review() {
    auto& ses = m_state.session;
    if (!ses.staff || !m_store) return;
    ExitReviewState r;
    r.pending = m_store->pending_exit_passes();
    for (auto& p : r.pending) r.unit_texts.push_back(unit_text(p.request.unit_id));
    ses.exit_review = std::move(r);
    if (ses.screen != Screen::ExitReview) go(Screen::ExitReview);
    ses.message_key.clear();
}

void KioskApp::exit_review_open(int index) {
    auto& ses = m_state.session;
    auto& r = ses.exit_review;
    if (!m_store || index < 0 || index >= static_cast<int>(r.pending.size())) return;
    const ExitPass& p = r.pending[static_cast<size_t>(index)];
    r.selected = index;
    r.reason = -1;
    // What stands in the way: a tenant asking, and months in arrears from the fee data.
    FeeStatement fees = fee_statement_now(p.request.unit_id);
    ArrearsRule rule = m_store->site_fact("exit_pass_arrears_rule").value_or("block") == "warn" ? ArrearsRule::Warn
                                                                                               : ArrearsRule::Block;
    r.review = review_exit_pass(p.request.requester_role, fees.months_in_arrears, rule);
    r.requester_name.clear();
    for (auto& m : m_store->household(p.request.unit_id))
        if (m.resident_id == p.request.requester_id) r.requester_name = m.name_masked;
    r.step = ExitReviewState::Step::Detail;
    ses.message_key.clear();
}

void KioskApp::exit_decide(bool approve) {
    auto& ses = m_state.session;
    auto& r = ses.exit_review;
    if (!m_store || !ses.staff || r.step != ExitReviewState::Step::Detail || r.selected < 0) return;
    ses.message_is_error = true;
    bool override_reason = r.reason >= 0 && r.reason < kExitOverrideReasons;
    bool reject_reason = r.reason >= kExitOverrideReasons && r.reason < static_cast<int>(exit_review_reasons().size());
    bool overridden = approve && r.review.needs_override();
    if (overridden && ses.staff->role != StaffRole::Supervisor) {
        ses.message_key = "exit.error.supervisor";
        return;
    }
    if ((overridden && !override_reason) || (!approve && !reject_reason)) {
        ses.message_key = "exit.error.reason";
        return;
    }
    std::string reason = r.reason >= 0 && (overridden || !approve) ? exit_review_reasons()[static_cast<size_t>(r.reason)] : "";
    const ExitPass& p = r.pending[static_cast<size_t>(r.selected)];
    auto done = m_store->review_exit_pass(p.id, approve, reason, ses.staff->staff_no, overridden, m_state.wall_now);
    if (!done) {
        ses.message_key = done.error().key;
        ses.message_arg = done.error().arg;
        return;
    }
    r.approved = approve;
    if (approve && m_printer)
        if (auto fresh = m_store->exit_pass(p.id))
            r.slip_job = m_printer->submit(exit_pass_slip(m_catalog, m_state, *fresh,
                                                          r.unit_texts[static_cast<size_t>(r.selected)], r.requester_name));
    r.step = ExitReviewState::Step::Done;
    ses.message_key.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::gate_scan(const std::string& code) {
    auto& g = m_state.session.gate;
    g = GateState{};
    g.scanned = true;
    if (!m_store) return;
    g.verdict = m_store->use_exit_pass(code, today_of(m_state.wall_now), m_state.wall_now);
    g.pass = m_store->exit_pass(code);
    if (g.pass) g.unit_text = unit_text(g.pass->request.unit_id);
    m_state.session.message_key.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::open_borrow() {
    auto& ses = m_state.session;
    if (!ses.household || !m_store) return;
    BorrowState b;
    b.items = m_store->catalogue();
    b.out = m_store->household_loans(ses.household->unit_id);
    ses.borrow = std::move(b);
    go(Screen::Borrow);
}

void KioskApp::borrow_confirm() {
    auto& ses = m_state.session;
    auto& b = ses.borrow;
    if (!m_store || !ses.household || b.step != BorrowState::Step::Confirm || b.selected < 0) return;
    std::string borrower = ses.household->members.empty() ? std::string() : ses.household->members.front().resident_id;
    auto lent = m_store->lend_item(b.items[static_cast<size_t>(b.selected)].id, ses.household->unit_id, borrower,
                                   m_state.wall_now);
    if (!lent) {
        ses.message_key = lent.error().key;
        ses.message_is_error = true;
        b.items = m_store->catalogue();  // another kiosk may have lent the last one
        return;
    }
    b.loan = lent.value();
    b.step = BorrowState::Step::Done;
    ses.message_key.clear();
    ses.back_stack.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::open_returns() {
    auto& ses = m_state.session;
    if (!ses.staff || !m_store) return;
    ReturnsState r;
    r.out = m_store->loans_out();
    auto items = m_store->catalogue();
    for (auto& l : r.out) {
        std::string name = l.item_id;
        for (auto& it : items)
            if (it.id == l.item_id) name = it.name.in(m_state.lang);
        std::tm tm{};
        localtime_r(&l.due_at, &tm);
        char due[16];
        std::strftime(due, sizeof due, "%m-%d", &tm);
        r.labels.push_back(name + "  " + unit_text(l.unit_id) + "  " +
                           m_catalog.format(m_state.lang, loan_overdue(l, m_state.wall_now) ? "loan.overdue" : "loan.due",
                                            {{"date", due}}));
    }
    ses.returns = std::move(r);
    if (ses.screen != Screen::Returns) go(Screen::Returns);
    ses.message_key.clear();
}

void KioskApp::return_confirm() {
    auto& ses = m_state.session;
    auto& r = ses.returns;
    if (!m_store || !ses.staff || r.step != ReturnsState::Step::Detail || r.selected < 0) return;
    if (r.condition < 0 || r.condition >= static_cast<int>(loan_conditions().size())) {
        ses.message_key = "loan.error.condition";
        ses.message_is_error = true;
        return;
    }
    auto done = m_store->return_loan(r.out[static_cast<size_t>(r.selected)].id, loan_conditions()[static_cast<size_t>(r.condition)],
                                     ses.staff->staff_no, m_state.wall_now);
    if (!done) {
        ses.message_key = done.error().key;
        ses.message_arg = done.error().arg;
        ses.message_is_error = true;
        return;
    }
    r.step = ReturnsState::Step::Done;
    ses.message_key.clear();
    m_state.site.outbox_depth = m_store->outbox_depth();
}

void KioskApp::on_typed(const std::string& text) {
    auto& login = m_state.session.staff_login;
    if (m_state.session.screen != Screen::StaffLogin) return;  // no text field on this screen
    for (char32_t cp : utf8_decode(text)) {
        if (login.entering_pin) {
            if (cp >= U'0' && cp <= U'9' && login.pin.size() < 8) login.pin += static_cast<char>(cp);
        } else if (((cp >= U'0' && cp <= U'9') || (cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z')) &&
                   login.staff_no.size() < 8) {
            login.staff_no += static_cast<char>(cp >= U'a' && cp <= U'z' ? cp - 32 : cp);
        }
    }
}

void KioskApp::on_scan(const std::string& code) {
    auto& ses = m_state.session;
    if (ses.screen == Screen::StaffLogin && !ses.staff_login.entering_pin) {
        // A staff badge: its barcode is the staff number.
        ses.staff_login.staff_no.clear();
        on_typed(code);
        apply({Intent::Kind::StaffNext, 0, {}}, m_now);
        return;
    }
    if (ses.staff && ses.screen == Screen::ParcelIntake && ses.parcel_intake.step == ParcelIntakeState::Step::Tracking) {
        parcel_tracking_next(code);  // the carrier's barcode on the parcel
        return;
    }
    if (ses.staff && ses.screen == Screen::Gate) {
        gate_scan(code);
        return;
    }
    if (ses.staff && ses.screen == Screen::ParcelPickup && ses.parcel_pickup.step == ParcelPickupState::Step::Code) {
        // The resident's pickup code shown as a QR ("PICKUP:123456", or the bare digits).
        std::string c = code.rfind("PICKUP:", 0) == 0 ? code.substr(7) : code;
        ses.parcel_pickup.code = c.size() <= 6 ? c : std::string();
        pickup_submit(m_now);
        return;
    }
    ses.message_key = "scan.not_here";
    ses.message_arg.clear();
    ses.message_is_error = true;
}

double KioskApp::next_wake_in(double now) const {
    double wake = m_idle.next_change_in(now);
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
