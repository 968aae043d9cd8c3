#pragma once
// What the app shell owns and every screen may read: the screen showing, the way back, the
// household or clerk of this visit, the message line, the site's views and the language. Each
// feature's own state lives in its module (kiosk/ui/features/), not here.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/i18n.hpp"
#include "kiosk/core/parcels.hpp"
#include "kiosk/core/site.hpp"
#include "kiosk/core/site_facts.hpp"
#include "kiosk/core/sync_state.hpp"
#include "kiosk/print/print_queue.hpp"

namespace kiosk::ui {

// Every screen, in one place. screen_name() is what scripts expect and captures are named by;
// the table in app.cpp names the module that draws each one.
enum class Screen { Home, Announcements, AnnouncementDetail, StaffLogin, StaffDesk, Verify, Fees, Repair, Complaint, MyRequests, Enquiries, Survey, ParcelIntake, ParcelPickup, ParcelList, MyParcels, ExitPass, ExitReview, Gate, Borrow, Returns, Setup };
// How many screens there are: keep it naming the enum's last screen.
inline constexpr size_t kScreenCount = static_cast<size_t>(Screen::Setup) + 1;
std::string_view screen_name(Screen s);
bool parse_screen(std::string_view name, Screen& out);

// A household that has proved itself: what this visitor may see, until they finish or walk away.
struct Household {
    std::string unit_id;
    LocalText building_name;
    std::string unit_label;
    std::vector<HouseholdMember> members;  // masked
};

// What one visitor did, as the shell sees it: wiped in one place when they finish or walk away
// (together with every feature's own state).
struct SessionState {
    Screen screen = Screen::Home;
    std::vector<Screen> back_stack;
    float list_scroll = 0;
    std::optional<StaffMember> staff;
    std::optional<Household> household;
    std::string message_key;      // a message shown where the user is looking
    std::string message_arg;
    bool message_is_error = false;
};

// Read-only views loaded from the store between frames (at start, and when a pull lands), for
// the screens to draw and the features to apply the site's rules with.
struct SiteView {
    SiteFacts facts;               // parsed once, typed: the screens never see JSON
    std::vector<Announcement> announcements;
    int64_t outbox_depth = 0;
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

}  // namespace kiosk::ui
