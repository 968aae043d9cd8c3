#pragma once
// Home and announcements (通知公告): the service tiles and the urgent banner; today's notices,
// urgent first; a tap opens one. The notices are the site's view (AppState::site), refreshed when
// a pull lands.
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct NoticesState {
    int open = -1;   // the notice shown in full
};

namespace notices {
struct Open { int index; };
struct OpenService { Service service; };
}  // namespace notices

class NoticesFeature : public Module<NoticesFeature, NoticesState, notices::Open, notices::OpenService> {
public:
    void draw(ScreenCtx& c) override;
    void draw_home(ScreenCtx& c);
    void draw_list(ScreenCtx& c);
    void draw_detail(ScreenCtx& c);
    std::string spoken(const AppState& st, const Catalog& cat) const override;
    void on(FeatureCtx& x, const notices::Open& in) {
        s.open = in.index;
        x.shell.go(Screen::AnnouncementDetail);
    }
    void on(FeatureCtx& x, const notices::OpenService& in) { x.shell.open_service(in.service); }
};

}  // namespace kiosk::ui
