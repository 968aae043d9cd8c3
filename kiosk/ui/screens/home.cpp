// Home: a greeting, the urgent-announcement banner, and one big tile per service.
#include <array>

#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

namespace {
constexpr auto& kTileColours = colour::tiles;
}  // namespace

const Announcement* first_urgent(const SiteView& site) {
    for (auto& a : site.announcements)
        if (a.urgent) return &a;
    return nullptr;
}

void NoticesFeature::draw_home(ScreenCtx& c) {
    NoticesFeature& f = *this;
    Ui& ui = c.ui;
    float x0 = c.content_min.x, w = c.content_w();
    ImGui::SetCursorScreenPos(c.content_min);
    // Elder mode has room for the tiles or the greeting, and the tiles matter more.
    if (!c.st.elder) ui.text(c.tr("home.greeting"), ui.fonts.title);

    if (const Announcement* a = first_urgent(c.st.site)) {
        // The banner is the announcement's title only: nothing personal on a public screen.
        int index = static_cast<int>(a - c.st.site.announcements.data());
        std::string label = c.tr("home.urgent_prefix") + a->title.in(c.st.lang);
        ImGui::SetCursorScreenPos({x0, ImGui::GetCursorScreenPos().y + (c.st.elder ? 0 : ui.m.px(8))});
        if (ui.button("home.urgent", label, {w, ui.m.px(96)}, true, colour::urgent))
            f.emit(notices::Open{index});
    }

    auto services = all_services();
    const int cols = static_cast<int>((services.size() + 1) / 2);  // two rows of large tiles
    const int rows = static_cast<int>((services.size() + cols - 1) / cols);
    float gap = ui.m.flat(24);
    float top = ImGui::GetCursorScreenPos().y + ui.m.px(16);
    float tw = (w - gap * (cols - 1)) / cols;
    float th = (c.content_max.y - top - gap * (rows - 1)) / rows;
    for (size_t i = 0; i < services.size(); ++i) {
        int r = static_cast<int>(i) / cols, col = static_cast<int>(i) % cols;
        ImGui::SetCursorScreenPos({x0 + col * (tw + gap), top + r * (th + gap)});
        const ServiceInfo& s = services[i];
        std::string id = "home.tile." + std::string(s.id);
        if (ui.tile(id, c.tr(s.label_key), c.tr(s.hint_key), {tw, th}, kTileColours[i % kTileColours.size()]))
            f.emit(notices::OpenService{s.service});
    }
}

std::string NoticesFeature::spoken(const AppState& st, const Catalog& cat) const {
    if (st.session.screen != Screen::Home) return {};  // the screen table's title
    const std::string& site = st.site.facts.site_name.in(st.lang);
    std::string services;
    for (auto& s : all_services()) services += (services.empty() ? "" : st.lang == Lang::En ? ", " : "，") + cat.tr(st.lang, s.label_key);
    return spoken_sentences(st.lang, {site.empty() ? cat.tr(st.lang, "app.title") : site, cat.tr(st.lang, "home.greeting"), services});
}

void NoticesFeature::draw(ScreenCtx& c) {
    switch (c.st.session.screen) {
        case Screen::Announcements: draw_list(c); break;
        case Screen::AnnouncementDetail: draw_detail(c); break;
        default: draw_home(c); break;
    }
}

}  // namespace kiosk::ui
