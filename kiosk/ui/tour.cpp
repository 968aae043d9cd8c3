// Every screen the kiosk can show, reached the way a person would (taps on a virtual clock), so
// `--capture` pictures and `--list-widgets` cover them all.
#include "kiosk/ui/tour.hpp"

#include <stdexcept>

namespace kiosk::ui {

namespace stops {
void must(const Result<Ok>& r) {
    if (!r) throw std::runtime_error(r.error().detail);
}
void home(Driver&) {}
// Elder mode on (a tour in elder mode finds it on already).
void elder_on(Driver& d) {
    if (!d.app().state().elder) must(d.tap("elder.toggle"));
}
void home_elder(Driver& d) { elder_on(d); }
void announcements(Driver& d) { must(d.tap("home.tile.announcements")); }
void announcement_detail(Driver& d) {
    must(d.tap("home.tile.announcements"));
    must(d.tap("announcements.item.0"));
}
void staff_login(Driver& d) {
    must(d.tap("staff.corner"));
    must(d.type("A01"));
}
void staff_login_pin(Driver& d) {
    must(d.tap("staff.corner"));
    must(d.type("A01"));
    must(d.tap("staff.login.next"));
    must(d.type("12"));
}
void staff_desk(Driver& d) {
    // The demo site's clerk (assets/demo/README.md).
    must(d.tap("staff.corner"));
    must(d.type("A01"));
    must(d.tap("staff.login.next"));
    must(d.type("246810"));
    must(d.tap("staff.login.sign_in"));
}
// A clerk at the desk with a parcel for 1栋 102 (assets/demo/README.md).
void parcel_intake(Driver& d) {
    staff_desk(d);
    must(d.tap("staff.desk.parcel_intake"));
    must(d.type("SF14000"));
}
void parcel_shelf(Driver& d) {
    // The tour runs many times on one store (languages, captures): each run scans a new parcel,
    // or the duplicate check would stop it at the first step.
    static int parcels_scanned = 0;
    staff_desk(d);
    must(d.tap("staff.desk.parcel_intake"));
    d.scan("SF14000234" + std::to_string(10000 + ++parcels_scanned));
    d.frame();
    must(d.tap("parcel.carrier.sf"));
    must(d.tap("parcel.building.B2"));
    must(d.tap("parcel.unit.B2-302"));  // has not agreed to desk custody: the warning shows
    must(d.tap("parcel.shelf.2"));
}
void parcel_done(Driver& d) {
    parcel_shelf(d);
    must(d.tap("parcel.register"));
}
void parcel_pickup(Driver& d) {
    staff_desk(d);
    must(d.tap("staff.desk.parcel_pickup"));
    must(d.type("48"));
}
// The resident (or a neighbour with a proxy code) at the desk: the code opens the parcel, and the
// resident signs for it on the screen.
void parcel_signed(Driver& d) {
    parcel_done(d);
    std::string code = d.app().features().parcel_intake.s.saved->pickup_code;
    must(d.tap("nav.back"));
    must(d.tap("staff.desk.parcel_pickup"));
    must(d.type(code));
    must(d.tap("pickup.submit"));
    // 王 in three strokes, roughly.
    must(d.drag("pickup.signature", {{0.3f, 0.3f}, {0.5f, 0.3f}, {0.7f, 0.3f}}));
    must(d.drag("pickup.signature", {{0.35f, 0.5f}, {0.5f, 0.5f}, {0.65f, 0.5f}}));
    must(d.drag("pickup.signature", {{0.5f, 0.3f}, {0.5f, 0.5f}, {0.5f, 0.7f}}));
    must(d.drag("pickup.signature", {{0.25f, 0.7f}, {0.5f, 0.7f}, {0.75f, 0.7f}}));
}
// 2栋 302 has parcels at the desk (registered above) and looks at them: days left, extend, proxy.
void my_parcels(Driver& d) {
    parcel_done(d);
    must(d.tap("nav.home"));  // the clerk's session ends; the language stays
    must(d.tap("home.tile.parcels"));
    must(d.tap("verify.building.B2"));
    must(d.tap("verify.unit.B2-302"));
    must(d.type("23022302"));
    must(d.tap("verify.submit"));
}
void my_parcel_proxy(Driver& d) {
    my_parcels(d);
    must(d.tap("myparcels.item.0"));
    must(d.tap("myparcels.proxy"));
}
void parcel_list(Driver& d) {
    parcel_done(d);
    must(d.tap("nav.back"));
    must(d.tap("staff.desk.parcel_list"));
}
// 2栋 302's tenant asks to move furniture out (assets/demo/README.md has the PIN rule).
void exit_pass_items(Driver& d) {
    must(d.tap("home.tile.exit_passes"));
    must(d.tap("verify.building.B2"));
    must(d.tap("verify.unit.B2-302"));
    must(d.type("23022302"));
    must(d.tap("verify.submit"));
    must(d.tap("exit.item.furniture"));
    must(d.tap("exit.item.boxes"));
    must(d.tap("exit.item.boxes"));
}
// The plate, typed in letters and digits (the keyboard's digit row shows while nothing is composed).
void exit_pass_plate(Driver& d) {
    exit_pass_items(d);
    must(d.tap("exit.next"));
    must(d.tap("exit.day.0"));
    must(d.tap("exit.window.1"));
    must(d.tap("exit.next"));
    must(d.tap("exit.requester.0"));
    must(d.tap("exit.carrier.2"));
    must(d.tap("exit.next"));
    if (d.app().features().exit_pass.s.plate.chinese) must(d.tap("keyboard.mode"));
    must(d.type("B12345"));
}
void exit_pass_readback(Driver& d) {
    exit_pass_plate(d);
    must(d.tap("exit.next"));
}
void exit_review(Driver& d) {
    exit_pass_readback(d);
    must(d.tap("exit.submit"));
    must(d.tap("exit.done"));
    staff_desk(d);
    must(d.tap("staff.desk.exit_review"));
    must(d.tap("exit.review.pass.0"));
    must(d.tap("exit.reason.0"));
}
void gate(Driver& d) {
    staff_desk(d);
    must(d.tap("staff.desk.gate"));
    d.scan("F000000K0000");
}
// 1栋 102 borrows an umbrella; the desk takes it back.
void borrow(Driver& d) {
    must(d.tap("home.tile.borrowing"));
    must(d.tap("verify.building.B1"));
    must(d.tap("verify.unit.B1-102"));
    must(d.type("11021102"));
    must(d.tap("verify.submit"));
}
void borrow_confirm(Driver& d) {
    borrow(d);
    must(d.tap("loan.item.ladder"));
}
void returns(Driver& d) {
    borrow(d);
    must(d.tap("loan.item.umbrella"));
    must(d.tap("loan.confirm"));
    must(d.tap("loan.done"));
    staff_desk(d);
    must(d.tap("staff.desk.returns"));
}
void verify_building(Driver& d) { must(d.tap("home.tile.fees")); }
void verify_unit(Driver& d) {
    must(d.tap("home.tile.fees"));
    must(d.tap("verify.building.B2"));
}
void verify_code(Driver& d) {
    must(d.tap("home.tile.fees"));
    must(d.tap("verify.building.B1"));
    must(d.tap("verify.unit.B1-102"));
    must(d.type("12"));
}
// The flat number typed instead of the buttons ("building-flat").
void verify_number(Driver& d) {
    must(d.tap("home.tile.fees"));
    must(d.tap("verify.by_number"));
    must(d.type("2-301"));
}
void verify_pin_elder(Driver& d) {
    elder_on(d);
    must(d.tap("home.tile.fees"));
    must(d.tap("verify.building.B1"));
    must(d.tap("verify.unit.B1-101"));
    must(d.type("1101"));
}
// The demo site's households (assets/demo/README.md): 1栋 201 is five months behind.
void fees(Driver& d) {
    must(d.tap("home.tile.fees"));
    must(d.tap("verify.building.B1"));
    must(d.tap("verify.unit.B1-201"));
    must(d.type("12011201"));
    must(d.tap("verify.submit"));
}
// The same statement after the resident asked for the amounts (they open hidden).
void fees_shown(Driver& d) {
    fees(d);
    must(d.tap("fees.show"));
}
// A resident of 1栋 102 reports a leak (assets/demo/README.md has the PIN rule).
void repair_start(Driver& d) {
    must(d.tap("home.tile.repairs"));
    must(d.tap("verify.building.B1"));
    must(d.tap("verify.unit.B1-102"));
    must(d.type("11021102"));
    must(d.tap("verify.submit"));
}
void repair_urgency(Driver& d) {
    repair_start(d);
    must(d.tap("repair.category.water"));
    must(d.tap("repair.urgency.appointment"));
}
void repair_describe(Driver& d) {
    repair_start(d);
    must(d.tap("repair.category.water"));
    must(d.tap("repair.urgency.emergency"));
    must(d.tap("repair.next"));
    must(d.tap("repair.location.own"));
    must(d.tap("repair.next"));
    must(d.tap("repair.phrase.water.pipe_leak"));
    // English screens open the keyboard in letters; the tour shows the pinyin bar in every language.
    if (!d.app().features().repair.s.text.chinese) must(d.tap("keyboard.mode"));
    must(d.type("chufang"));
    must(d.tap("ime.candidate.0"));
    must(d.type("shuichi"));
}
void repair_readback(Driver& d) {
    repair_describe(d);
    must(d.tap("ime.candidate.0"));
    must(d.tap("repair.next"));
    must(d.tap("repair.next"));
}
void repair_done(Driver& d) {
    repair_readback(d);
    must(d.tap("repair.submit"));
}
void complaint_start(Driver& d) {
    must(d.tap("home.tile.complaints"));
    must(d.tap("verify.building.B2"));
    must(d.tap("verify.unit.B2-301"));
    must(d.type("23012301"));
    must(d.tap("verify.submit"));
}
// What happened: a phrase, and the keyboard before anything is typed.
void complaint_details(Driver& d) {
    complaint_start(d);
    must(d.tap("complaint.kind.quality"));
    must(d.tap("complaint.phrase.quality.parcel_late"));
}
// The second of the complaint's four questions, one to a screen.
void complaint_when(Driver& d) {
    complaint_details(d);
    must(d.tap("complaint.next"));
    must(d.tap("complaint.where.0"));
    must(d.tap("complaint.next"));
    must(d.tap("complaint.when.1"));
}
void complaint_done(Driver& d) {
    complaint_when(d);
    must(d.tap("complaint.next"));
    must(d.tap("complaint.next"));  // "about whom" may be skipped
    must(d.tap("complaint.wants.1"));
    must(d.tap("complaint.next"));
    must(d.tap("complaint.next"));
    must(d.tap("complaint.submit"));
}
// A household with a repair on file looks it up.
void my_requests(Driver& d) {
    repair_done(d);
    must(d.tap("repair.done"));
    must(d.tap("home.tile.my_requests"));
    must(d.tap("verify.building.B1"));
    must(d.tap("verify.unit.B1-102"));
    must(d.type("11021102"));
    must(d.tap("verify.submit"));
}
void my_request_detail(Driver& d) {
    my_requests(d);
    must(d.tap("my.case.0"));
}
void enquiries(Driver& d) { must(d.tap("home.tile.enquiries")); }
void enquiry_topic(Driver& d) {
    enquiries(d);
    must(d.tap("enquiry.topic.emergency"));
}
void enquiry_ask(Driver& d) {
    enquiries(d);
    must(d.tap("enquiry.ask"));
    if (!d.app().features().enquiries.s.question.chinese) must(d.tap("keyboard.mode"));
    must(d.type("tingchewei"));
}
void survey_intro(Driver& d) {
    must(d.tap("home.tile.survey"));
    must(d.tap("verify.building.B3"));
    must(d.tap("verify.unit.B3-101"));
    must(d.type("31013101"));
    must(d.tap("verify.submit"));
}
void survey_question(Driver& d) {
    survey_intro(d);
    if (d.app().features().survey.s.step == SurveyState::Step::Intro) {
        must(d.tap("survey.start"));
        must(d.tap("survey.answer.4"));
    }
}
void attract(Driver& d) { d.advance(50); }
void idle_warning(Driver& d) {
    must(d.tap("home.tile.parcels"));
    d.advance(65);
}

// The large estate (kiosk/store/large_estate.hpp): tower 6, floor 33, flat 4 is T6-3304, PIN 63346334.
namespace large {
void ranges(Driver& d) {
    must(d.tap("home.tile.fees"));
    must(d.tap("verify.building.T6"));
}
void floors(Driver& d) {
    ranges(d);
    must(d.tap("verify.range.23-33"));
}
void floors_elder(Driver& d) {
    must(d.tap("elder.toggle"));
    floors(d);
}
void flats(Driver& d) {
    floors(d);
    must(d.tap("verify.floor.33"));
}
void bills(Driver& d) {
    flats(d);
    must(d.tap("verify.unit.T6-3304"));
    must(d.type("63346334"));
    must(d.tap("verify.submit"));
    must(d.tap("fees.show"));
}
// ◀ ▶ until the first page of last year's bills.
void bills_last_year(Driver& d) {
    bills(d);
    for (int i = 0; i < 24 && !d.app().widgets().shows_text("2025-12"); ++i) {
        must(d.tap("fees.pages.next"));
        d.frame();
    }
}
void parcels(Driver& d) {
    stops::staff_desk(d);
    must(d.tap("staff.desk.parcel_list"));
}
// The clerk types the last four digits of the phone of the first parcel's household.
void parcel_phone(Driver& d) {
    parcels(d);
    const auto& pl = d.app().features().parcel_list.s;
    if (pl.phone_tails.empty() || pl.phone_tails[0].size() < 4) throw std::runtime_error("no parcels waiting");
    must(d.type(pl.phone_tails[0].substr(0, 4)));
}
void parcel_tracking(Driver& d) {
    parcels(d);
    const auto& pl = d.app().features().parcel_list.s;
    if (pl.waiting.empty()) throw std::runtime_error("no parcels waiting");
    must(d.type(pl.waiting.back().tracking.substr(pl.waiting.back().tracking.size() - 6)));
}
}  // namespace large
// Setup again from the desk (the demo kiosk has no setup PIN: the desk's sign-in is the gate).
void setup_language(Driver& d) {
    staff_desk(d);
    must(d.tap("staff.desk.setup"));
}
// The setup slip scanned: every head-office field filled at once.
void setup_headoffice(Driver& d) {
    setup_language(d);
    must(d.tap("setup.next"));
    d.scan("LOBBYSETUP1|http://192.168.1.20:8700|SG01|K2|0123456789abcdef");
    d.frame();
    must(d.tap("setup.field.site"));
}
// The connection test failed (the tour's kiosk has no setup runner: no head office answers).
void setup_unreachable(Driver& d) {
    setup_headoffice(d);
    must(d.tap("setup.check"));
}
// The steps after a connection test that worked. The tour's kiosk has no head office to test
// against, so it is put on the step as a test with one leaves it (what was typed stays).
void setup_after_check(Driver& d, SetupState::Step step) {
    setup_headoffice(d);
    d.app().features().setup.s.step = step;
    d.frame();
}
void setup_printer(Driver& d) {
    setup_after_check(d, SetupState::Step::Printer);
    must(d.tap("setup.printer.network"));
    must(d.type("192"));
}
void setup_scanner(Driver& d) {
    setup_after_check(d, SetupState::Step::Scanner);
    d.scan("SF1400012345");
}
void setup_pin(Driver& d) {
    setup_after_check(d, SetupState::Step::Pin);
    must(d.type("24"));
}
}  // namespace stops

const std::vector<TourStop>& screen_tour() {
    static const std::vector<TourStop> kStates{
        {"home", stops::home},
        {"home_elder", stops::home_elder},
        {"announcements", stops::announcements},
        {"announcement_detail", stops::announcement_detail},
        {"staff_login", stops::staff_login},
        {"staff_login_pin", stops::staff_login_pin},
        {"staff_desk", stops::staff_desk},
        {"parcel_intake", stops::parcel_intake},
        {"parcel_shelf", stops::parcel_shelf},
        {"parcel_done", stops::parcel_done},
        {"parcel_pickup", stops::parcel_pickup},
        {"parcel_signed", stops::parcel_signed},
        {"my_parcels", stops::my_parcels},
        {"my_parcel_proxy", stops::my_parcel_proxy},
        {"parcel_list", stops::parcel_list},
        {"exit_pass_items", stops::exit_pass_items},
        {"exit_pass_plate", stops::exit_pass_plate},
        {"exit_pass_readback", stops::exit_pass_readback},
        {"exit_review", stops::exit_review},
        {"gate", stops::gate},
        {"borrow", stops::borrow},
        {"borrow_confirm", stops::borrow_confirm},
        {"returns", stops::returns},
        {"setup_language", stops::setup_language},
        {"setup_headoffice", stops::setup_headoffice},
        {"setup_unreachable", stops::setup_unreachable},
        {"setup_printer", stops::setup_printer},
        {"setup_scanner", stops::setup_scanner},
        {"setup_pin", stops::setup_pin},
        {"verify_building", stops::verify_building},
        {"verify_unit", stops::verify_unit},
        {"verify_code", stops::verify_code},
        {"verify_number", stops::verify_number},
        {"verify_pin_elder", stops::verify_pin_elder},
        {"fees", stops::fees},
        {"fees_shown", stops::fees_shown},
        {"repair_category", stops::repair_start},
        {"repair_urgency", stops::repair_urgency},
        {"repair_describe", stops::repair_describe},
        {"repair_readback", stops::repair_readback},
        {"repair_done", stops::repair_done},
        {"complaint_kind", stops::complaint_start},
        {"complaint_details", stops::complaint_details},
        {"complaint_when", stops::complaint_when},
        {"complaint_done", stops::complaint_done},
        {"my_requests", stops::my_requests},
        {"my_request_detail", stops::my_request_detail},
        {"enquiries", stops::enquiries},
        {"enquiry_topic", stops::enquiry_topic},
        {"enquiry_ask", stops::enquiry_ask},
        {"survey_intro", stops::survey_intro},
        {"survey_question", stops::survey_question},
        {"attract", stops::attract},
        {"idle_warning", stops::idle_warning},
    };
    return kStates;
}

const std::vector<TourStop>& large_estate_tour() {
    static const std::vector<TourStop> kStates{
        {"large_ranges", stops::large::ranges},
        {"large_floors", stops::large::floors},
        {"large_floors_elder", stops::large::floors_elder},
        {"large_flats", stops::large::flats},
        {"large_bills", stops::large::bills},
        {"large_bills_last_year", stops::large::bills_last_year},
        {"large_parcels", stops::large::parcels},
        {"large_parcel_phone", stops::large::parcel_phone},
        {"large_parcel_tracking", stops::large::parcel_tracking},
    };
    return kStates;
}

}  // namespace kiosk::ui
