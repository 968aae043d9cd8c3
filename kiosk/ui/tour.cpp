// Every screen the kiosk can show, reached the way a person would (taps on a virtual clock), so
// `--capture` pictures and `--list-widgets` cover them all.
#include "kiosk/app/gl_driver.hpp"

namespace kiosk::app {

namespace {
void must(const Result<Ok>& r) {
    if (!r) throw std::runtime_error(r.error().detail);
}
void home(ui::Driver&) {}
void home_elder(ui::Driver& d) { must(d.tap("elder.toggle")); }
void coming_soon(ui::Driver& d) { must(d.tap("home.tile.repairs")); }
void announcements(ui::Driver& d) { must(d.tap("home.tile.announcements")); }
void announcement_detail(ui::Driver& d) {
    must(d.tap("home.tile.announcements"));
    must(d.tap("announcements.item.0"));
}
void staff_login(ui::Driver& d) {
    must(d.tap("staff.corner"));
    must(d.type("A01"));
}
void staff_login_pin(ui::Driver& d) {
    must(d.tap("staff.corner"));
    must(d.type("A01"));
    must(d.tap("staff.login.next"));
    must(d.type("12"));
}
void staff_desk(ui::Driver& d) {
    // The demo site's clerk (assets/demo/README.md).
    must(d.tap("staff.corner"));
    must(d.type("A01"));
    must(d.tap("staff.login.next"));
    must(d.type("246810"));
    must(d.tap("staff.login.sign_in"));
}
void idle_warning(ui::Driver& d) {
    must(d.tap("home.tile.parcels"));
    d.advance(65);
}
}  // namespace

const std::vector<CaptureState>& capture_states() {
    static const std::vector<CaptureState> kStates{
        {"home", home},
        {"home_elder", home_elder},
        {"coming_soon", coming_soon},
        {"announcements", announcements},
        {"announcement_detail", announcement_detail},
        {"staff_login", staff_login},
        {"staff_login_pin", staff_login_pin},
        {"staff_desk", staff_desk},
        {"idle_warning", idle_warning},
    };
    return kStates;
}

}  // namespace kiosk::app
