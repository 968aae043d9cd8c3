// Home: a greeting, the urgent-announcement banner, and one big tile per service.
#include <array>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/wording.hpp"

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
    // The greeting, and in elder mode today's date beside it (its top bar has no room for the clock).
    if (!c.st.elder) {
        ui.text(c.tr("home.greeting"), ui.fonts.title);
    } else {
        std::string today = local_date(c.st.wall_now, "%Y-%m-%d");
        float date_w = ui.fonts.body->CalcTextSizeA(ui.fonts.body->FontSize, FLT_MAX, 0, today.c_str()).x;
        ImGui::SetCursorScreenPos({c.content_max.x - date_w, c.content_min.y});
        ui.text(today, ui.fonts.body);
        ImGui::SetCursorScreenPos(c.content_min);
        ui.text_wrapped(c.tr("home.greeting"), w - date_w - ui.m.px(24), ui.fonts.body);
    }

    if (const Announcement* a = first_urgent(c.st.site)) {
        // The banner is the announcement's title only: nothing personal on a public screen.
        int index = static_cast<int>(a - c.st.site.announcements.data());
        std::string label = c.tr("home.urgent_prefix") + a->title.in(c.st.lang);
        ImGui::SetCursorScreenPos({x0, ImGui::GetCursorScreenPos().y + ui.m.flat(8)});
        if (ui.button("home.urgent", label, {w, ui.m.px(96)}, true, colour::urgent))
            f.emit(notices::Open{index});
    }

    auto services = all_services();
    // Two rows of large tiles; in elder mode four across, so a title fits whole at its size.
    const int cols = c.st.elder ? 4 : static_cast<int>((services.size() + 1) / 2);
    const int rows = static_cast<int>((services.size() + cols - 1) / cols);
    float gap = ui.m.flat(24);
    float top = ImGui::GetCursorScreenPos().y + ui.m.flat(16);
    float tw = (w - gap * (cols - 1)) / cols;
    float th = (c.content_max.y - top - gap * (rows - 1)) / rows;
    // In elder mode every title at one size: the largest at which each fits its tile whole.
    ImFont* title_font = nullptr;
    if (c.st.elder)
        for (ImFont* f : {ui.fonts.title, ui.fonts.body, ui.fonts.small}) {
            if (!f) continue;
            title_font = f;
            bool all = true;
            for (const ServiceInfo& s : services) {
                TextLines t = ui.fit(c.tr(s.label_key), ui.tile_title_room({tw, th}), f);
                all = all && !t.cut && t.font == f;
            }
            if (all) break;
        }
    for (size_t i = 0; i < services.size(); ++i) {
        int r = static_cast<int>(i) / cols, col = static_cast<int>(i) % cols;
        ImGui::SetCursorScreenPos({x0 + col * (tw + gap), top + r * (th + gap)});
        const ServiceInfo& s = services[i];
        std::string id = "home.tile." + std::string(s.id);
        if (ui.tile(id, c.tr(s.label_key), c.tr(s.hint_key), {tw, th}, kTileColours[i % kTileColours.size()], false,
                    title_font))
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
