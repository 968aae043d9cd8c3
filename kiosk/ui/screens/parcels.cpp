// The desk's parcels (代收快递), for a signed-in clerk: registering one (tracking number by scanner
// or keyboard, carrier, flat, shelf; then the pickup code and the label), handing one over against
// its pickup code, and the list of what waits, oldest first, with overdue marks.
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {

// A grid of buttons, one per item (id, label); returns the index tapped, or -1.
int grid(ScreenCtx& c, std::string_view prefix, const std::vector<std::pair<std::string, std::string>>& items, int cols,
         float h, ImFont* font = nullptr) {
    Ui& ui = c.ui;
    float gap = ui.m.px(16);
    float bw = (c.content_w() - gap * (cols - 1)) / cols;
    float y = ImGui::GetCursorScreenPos().y;
    int tapped = -1;
    for (size_t i = 0; i < items.size(); ++i) {
        int col = static_cast<int>(i) % cols, row = static_cast<int>(i) / cols;
        ImGui::SetCursorScreenPos({c.content_min.x + col * (bw + gap), y + row * (h + gap)});
        if (ui.button(std::string(prefix) + items[i].first, items[i].second, {bw, h}, true, colour::button, font))
            tapped = static_cast<int>(i);
    }
    return tapped;
}

void tracking_step(ScreenCtx& c, ParcelIntakeFeature& f) {
    auto& pi = f.s;
    if (draw_keyboard_entry(c, c.tr("parcel.tracking.prompt"), "parcel.tracking", pi.tracking,
                            c.tr("parcel.tracking.placeholder"), 40, "parcel.tracking_next", c.tr("repair.next")))
        f.emit(intake::TrackingNext{});
}

void done_step(ScreenCtx& c, ParcelIntakeFeature& f) {
    Ui& ui = c.ui;
    auto& pi = f.s;
    if (!pi.saved) return;
    const Parcel& p = *pi.saved;
    ui.text(c.tr("parcel.done.code"), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
    ui.text(p.pickup_code, ui.fonts.big, colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    ui.text(c.cat.format(c.st.lang, "parcel.done.summary",
                         {{"id", p.id}, {"unit", pi.unit_text}, {"name", p.recipient_masked}, {"shelf", p.shelf}}));
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    ui.text_wrapped(c.tr("parcel.done.notified"), c.content_w(), ui.fonts.body, colour::ok);
    if (!p.consent) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text_wrapped(c.tr("parcel.no_consent"), c.content_w(), ui.fonts.body, colour::urgent);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    if (c.st.printer.configured) draw_slip_status(c, pi.label_job, c.content_w());
    else ui.text(c.tr("staff.printer.none"), ui.fonts.body, colour::muted);
    ImGui::SetCursorScreenPos({c.content_max.x - ui.m.px(480), c.content_max.y - ui.m.px(120)});
    if (ui.button("parcel.another", c.tr("parcel.another"), {ui.m.px(480), ui.m.px(120)}, true, colour::primary))
        f.emit(intake::Another{});
}

}  // namespace

void ParcelIntakeFeature::draw(ScreenCtx& c) {
    ParcelIntakeFeature& f = *this;
    Ui& ui = c.ui;
    auto& pi = f.s;
    static constexpr const char* kTitles[6] = {"parcel.title.tracking", "parcel.title.carrier", "parcel.title.building",
                                               "parcel.title.unit", "parcel.title.shelf", "parcel.title.done"};
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr(kTitles[static_cast<int>(pi.step)]), ui.fonts.title);
    if (pi.step != ParcelIntakeState::Step::Tracking) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
        std::string got = pi.tracking;
        if (pi.carrier >= 0) got += "  " + c.tr("parcel.carrier." + parcel_carriers()[static_cast<size_t>(pi.carrier)]);
        if (!pi.unit_text.empty()) got += "  " + pi.unit_text;
        ui.text(got, ui.fonts.body, colour::muted);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    switch (pi.step) {
        case ParcelIntakeState::Step::Tracking: tracking_step(c, f); break;
        case ParcelIntakeState::Step::Carrier: {
            std::vector<std::pair<std::string, std::string>> items;
            for (auto& id : parcel_carriers()) items.push_back({id, c.tr("parcel.carrier." + id)});
            if (int t = grid(c, "parcel.carrier.", items, 4, ui.m.px(130), ui.fonts.title); t >= 0) f.emit(intake::PickCarrier{t});
            break;
        }
        case ParcelIntakeState::Step::Building: {
            std::vector<std::pair<std::string, std::string>> items;
            for (auto& b : pi.buildings) items.push_back({b.id, b.name.in(c.st.lang)});
            if (int t = grid(c, "parcel.building.", items, 3, ui.m.px(140), ui.fonts.title); t >= 0)
                f.emit(intake::PickBuilding{items[static_cast<size_t>(t)].first});
            break;
        }
        case ParcelIntakeState::Step::Unit: {
            // As many rows of flats as fit; a tower's 132 flats page with ◀ ▶.
            int cols = 6;
            float h = ui.m.px(110), gap = ui.m.px(16), top = ImGui::GetCursorScreenPos().y;
            auto rows_in = [&](float room) { return std::max(1, static_cast<int>((room + gap) / (h + gap))); };
            int count = static_cast<int>(pi.units.size());
            int per_page = rows_in(c.content_max.y - top) * cols;
            if (count > per_page) per_page = rows_in(c.content_max.y - top - ui.pager_h() - gap) * cols;
            int pages = (count + per_page - 1) / std::max(1, per_page);
            int page = std::clamp(pi.unit_page, 0, std::max(0, pages - 1));
            std::vector<std::pair<std::string, std::string>> items;
            for (int i = page * per_page; i < count && i < (page + 1) * per_page; ++i)
                items.push_back({pi.units[static_cast<size_t>(i)].id, pi.units[static_cast<size_t>(i)].label});
            if (int t = grid(c, "parcel.unit.", items, cols, h, ui.fonts.big); t >= 0)
                f.emit(intake::PickUnit{items[static_cast<size_t>(t)].first});
            if (pages > 1) {
                ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
                if (int asked = ui.pager("parcel.units", page, pages, c.content_w()); asked >= 0) f.emit(intake::UnitPage{asked});
            }
            break;
        }
        case ParcelIntakeState::Step::Shelf: {
            if (!pi.consent) {
                ui.text_wrapped(c.tr("parcel.no_consent"), c.content_w(), ui.fonts.body, colour::urgent);
                ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
            }
            int tapped = chip_row(c, "parcel.shelf.", pi.shelves, pi.shelf, c.content_w());
            if (tapped >= 0) f.emit(intake::PickShelf{tapped});
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
            draw_message(c, c.content_w() - ui.m.px(520));
            ImGui::SetCursorScreenPos({c.content_max.x - ui.m.px(480), c.content_max.y - ui.m.px(120)});
            if (ui.button("parcel.register", c.tr("parcel.register"), {ui.m.px(480), ui.m.px(120)}, pi.shelf >= 0, colour::ok))
                f.emit(intake::Register{});
            break;
        }
        case ParcelIntakeState::Step::Done: done_step(c, f); break;
    }
}

namespace {

// What is handed over: one parcel large (its shelf first), or a household's parcels as a list.
void pickup_parcels(ScreenCtx& c, const ParcelPickupState& pp) {
    Ui& ui = c.ui;
    if (pp.parcels.size() == 1) {
        const Parcel& p = pp.parcels.front();
        ui.text(c.cat.format(c.st.lang, "slip.parcel.shelf", {{"shelf", p.shelf}}), ui.fonts.title, colour::primary);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text(pp.unit_text + "  " + p.recipient_masked + "  " + c.tr("parcel.carrier." + p.carrier), ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
        ui.text(p.id + "  " + local_date(p.registered_at, "%m-%d %H:%M"), ui.fonts.body, colour::muted);
        if (!p.held_at.empty()) {  // registered at another kiosk's desk: its shelf is there
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
            ui.text(c.cat.format(c.st.lang, "parcel.held_elsewhere", {{"kiosk", p.held_at}}), ui.fonts.body, colour::urgent);
        }
    } else {
        ui.text(c.cat.format(c.st.lang, "pickup.household", {{"unit", pp.unit_text}, {"count", std::to_string(pp.parcels.size())}}),
                ui.fonts.title, colour::primary);
        for (auto& p : pp.parcels) {
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
            ui.text(c.cat.format(c.st.lang, "slip.parcel.shelf", {{"shelf", p.shelf}}) + "  " +
                        c.tr("parcel.carrier." + p.carrier) + "  " + p.id + "  " + local_date(p.registered_at, "%m-%d") +
                        (p.held_at.empty() ? "" : "  " + c.cat.format(c.st.lang, "parcel.held_elsewhere", {{"kiosk", p.held_at}})),
                    ui.fonts.body, p.held_at.empty() ? 0 : colour::urgent);
        }
    }
    if (pp.how == "proxy") {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text_wrapped(c.tr("pickup.by_proxy"), c.content_w(), ui.fonts.body, colour::urgent);
    }
}

}  // namespace

void ParcelPickupFeature::draw(ScreenCtx& c) {
    ParcelPickupFeature& f = *this;
    Ui& ui = c.ui;
    auto& pp = f.s;
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr("pickup.title"), ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    if (pp.step == ParcelPickupState::Step::Code) {
        if (draw_keypad_entry(c, c.tr("pickup.prompt"), "pickup.code", pp.code, c.tr("pickup.placeholder"), false, 6,
                              "pickup.submit", c.tr("verify.submit"), pp.code.size() == 6, colour::primary,
                              KeypadExtras{c.tr("pickup.scan_hint"), "pickup.household", c.tr("pickup.by_household"),
                                           [&f] { f.emit(pickup::ByHousehold{}); }}))
            f.emit(pickup::Submit{});
        return;
    }
    if (pp.parcels.empty()) return;
    pickup_parcels(c, pp);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    float button_w = ui.m.px(480), button_h = ui.m.px(120);
    if (pp.step == ParcelPickupState::Step::Found) {
        ui.text_wrapped(c.tr("pickup.check"), c.content_w(), ui.fonts.body, colour::text);
        // The signature pad fills the lower left, 3:1 like the picture kept of it.
        // (Clear sits between the pad and confirm, and takes its width from the pad.)
        float pad_w = std::min(c.content_w() - button_w - ui.m.px(200) - 3 * ui.m.px(16), ui.m.px(720));
        float pad_h = pad_w / 3;
        float pad_y = c.content_max.y - pad_h;
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        draw_message(c, c.content_w());
        ImGui::SetCursorScreenPos({c.content_min.x, pad_y - ui.fonts.body->FontSize * c.ui.m.elder - ui.m.px(8)});
        ui.text(c.tr("pickup.signature.prompt"), ui.fonts.body, colour::muted);
        ImGui::SetCursorScreenPos({c.content_min.x, pad_y});
        ui.signature_pad("pickup.signature", pp.signature, {pad_w, pad_h});
        ImGui::SetCursorScreenPos({c.content_min.x + pad_w + ui.m.px(16), c.content_max.y - ui.m.min_target()});
        if (ui.button("pickup.signature.clear", c.tr("pickup.signature.clear"), {ui.m.px(200), ui.m.min_target()},
                      !pp.signature.empty()))
            f.emit(pickup::ClearSignature{});
        ImGui::SetCursorScreenPos({c.content_max.x - button_w, c.content_max.y - button_h});
        if (ui.button("pickup.confirm", c.tr("pickup.confirm"), {button_w, button_h}, true, colour::ok))
            f.emit(pickup::Confirm{});
    } else {
        ui.text(c.tr(pp.signature.empty() ? "pickup.done" : "pickup.done_signed"), ui.fonts.title, colour::ok);
        ImGui::SetCursorScreenPos({c.content_max.x - button_w, c.content_max.y - button_h});
        if (ui.button("pickup.next", c.tr("pickup.next"), {button_w, button_h}, true, colour::primary))
            f.emit(pickup::Next{});
    }
}

void ParcelListFeature::draw(ScreenCtx& c) {
    ParcelListFeature& f = *this;
    Ui& ui = c.ui;
    auto& pl = f.s;
    ImGui::SetCursorScreenPos(c.content_min);
    const ParcelLimits& limits = c.st.site.facts.parcel_limits;
    auto line_of = [&](size_t i) {
        const Parcel& p = pl.waiting[i];
        ParcelStage stage = parcel_stage(p.registered_at, c.st.wall_now, limits, p.extra_days);
        return std::pair{p.shelf + "  " + pl.unit_texts[i] + "  " + p.recipient_masked + "  " +
                             local_date(p.registered_at, "%m-%d") + "  " +
                             c.tr("parcel.stage." + std::string(parcel_stage_id(stage))) +
                             (p.held_at.empty() ? "" : "  " + c.cat.format(c.st.lang, "parcel.held_elsewhere", {{"kiosk", p.held_at}})),
                         stage};
    };
    if (pl.selected >= 0 && pl.selected < static_cast<int>(pl.waiting.size())) {
        const Parcel& p = pl.waiting[static_cast<size_t>(pl.selected)];
        ui.text(p.id + "  " + c.tr("parcel.carrier." + p.carrier) + "  " + p.tracking, ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
        ui.text(line_of(static_cast<size_t>(pl.selected)).first);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text(c.cat.format(c.st.lang, "parcels.return_at",
                             {{"date", local_date(parcel_return_at(p.registered_at, limits, p.extra_days), "%m-%d")}}));
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
        draw_message(c, c.content_w());
        ImGui::SetCursorScreenPos({c.content_max.x - ui.m.px(480), c.content_max.y - ui.m.px(120)});
        if (ui.button("parcel.return_to_sender", c.tr("parcels.return_to_sender"), {ui.m.px(480), ui.m.px(120)}, true,
                      colour::urgent))
            f.emit(parcel_list::ReturnToSender{});
        return;
    }
    ui.text(c.cat.format(c.st.lang, "parcels.title", {{"count", std::to_string(pl.waiting.size())}}), ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    draw_message(c, c.content_w());
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    // The list on the left, paged; the search keypad on the right (part of the flat or the
    // tracking number, or the last four digits of a resident's phone; a scanner types the whole
    // tracking number). Filtering happened when the search was applied.
    float gap = ui.m.px(32);
    float top = ImGui::GetCursorScreenPos().y;
    float key = std::min(ui.m.px(130), (c.content_max.y - top) / 3.6f);
    float kb_w = 3 * key + 2 * ui.m.px(14), list_w = c.content_w() - kb_w - gap;
    ui.field("parcels.search", pl.query, c.tr("parcels.search.prompt"), list_w);
    float y = ImGui::GetCursorScreenPos().y + ui.m.px(8);
    if (!pl.query.empty()) {
        ImGui::SetCursorScreenPos({c.content_min.x, y});
        ui.text(c.cat.format(c.st.lang, "parcels.search.found", {{"count", std::to_string(pl.shown.size())}}), ui.fonts.body,
                colour::muted);
        y = ImGui::GetCursorScreenPos().y + ui.m.px(4);
    }
    float row_h = ui.m.px(96), row_gap = ui.m.px(6);
    float list_bottom = c.content_max.y - ui.pager_h() - ui.m.px(12);
    int per_page = std::max(1, static_cast<int>((list_bottom - y + row_gap) / (row_h + row_gap)));
    int count = static_cast<int>(pl.shown.size());
    int pages = std::max(1, (count + per_page - 1) / per_page);
    int page = std::clamp(pl.page, 0, pages - 1);
    ImGui::SetCursorScreenPos({c.content_min.x, y});
    ui.begin_drag_scroll("parcels.list", {list_w, list_bottom - y}, c.st.session.list_scroll);
    float row_y = ImGui::GetCursorScreenPos().y, row_x = ImGui::GetCursorScreenPos().x;
    for (int n = page * per_page, k = 0; n < count && n < (page + 1) * per_page; ++n, ++k) {
        size_t i = static_cast<size_t>(pl.shown[static_cast<size_t>(n)]);
        auto [line, stage] = line_of(i);
        ImGui::SetCursorScreenPos({row_x, row_y + static_cast<float>(k) * (row_h + row_gap)});
        if (ui.button("parcels.item." + std::to_string(i), pl.waiting[i].tracking + "  " + line, {list_w - ui.m.flat(24), row_h},
                      true, stage == ParcelStage::Fresh ? colour::button : colour::selected, nullptr, true))
            f.emit(parcel_list::Open{static_cast<int>(i)});
    }
    if (pl.waiting.empty()) ui.text(c.tr("parcels.none"), ui.fonts.body, colour::muted);
    else if (pl.shown.empty()) ui.text(c.tr("parcels.search.none"), ui.fonts.body, colour::muted);
    ui.end_drag_scroll(c.st.session.list_scroll);
    if (pages > 1) {
        ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
        if (int asked = ui.pager("parcels.pages", page, pages, list_w); asked >= 0) f.emit(parcel_list::Page{asked});
    }
    ImGui::SetCursorScreenPos({c.content_max.x - kb_w, top});
    ImGui::BeginGroup();
    std::string typed = pl.query;
    if (ui.numeric_keypad("keypad", typed, 40, {key, key * 0.78f}, ui.m.px(14)) && typed != pl.query)
        f.emit(parcel_list::Search{typed});
    ImGui::EndGroup();
}

void MyParcelsFeature::draw(ScreenCtx& c) {
    MyParcelsFeature& f = *this;
    Ui& ui = c.ui;
    auto& mp = f.s;
    if (!c.st.session.household) return;
    const ParcelLimits& limits = c.st.site.facts.parcel_limits;
    auto days_left = [&](const Parcel& p) {
        return c.cat.format(c.st.lang, "myparcels.days_left",
                            {{"days", std::to_string(parcel_days_left(p.registered_at, c.st.wall_now, limits, p.extra_days))},
                             {"date", local_date(parcel_return_at(p.registered_at, limits, p.extra_days), "%m-%d")}});
    };
    auto soon = [&](const Parcel& p) {
        ParcelStage st = parcel_stage(p.registered_at, c.st.wall_now, limits, p.extra_days);
        return st == ParcelStage::ReturnSoon || st == ParcelStage::ReturnDue;
    };
    ImGui::SetCursorScreenPos(c.content_min);
    if (mp.selected < 0 || mp.selected >= static_cast<int>(mp.parcels.size())) {
        ui.text(c.cat.format(c.st.lang, "myparcels.title", {{"count", std::to_string(mp.parcels.size())}}), ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text_wrapped(c.tr("myparcels.hint"), c.content_w(), ui.fonts.body, colour::muted);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
        float top = ImGui::GetCursorScreenPos().y;
        ui.begin_drag_scroll("myparcels.list", {c.content_w(), c.content_max.y - top - ui.pager_h() - ui.m.px(12)}, c.st.session.list_scroll);
        for (size_t i = 0; i < mp.parcels.size(); ++i) {
            const Parcel& p = mp.parcels[i];
            std::string line = c.tr("parcel.carrier." + p.carrier) + "  " +
                               c.cat.format(c.st.lang, "myparcels.arrived", {{"date", local_date(p.registered_at, "%m-%d")}}) +
                               "  " + days_left(p);
            if (mp.proxies[i]) line += "  " + c.tr("myparcels.proxy.mark");
            if (ui.button("myparcels.item." + std::to_string(i), line, {c.content_w() - ui.m.flat(24), ui.m.px(110)}, true,
                          soon(p) ? colour::selected : colour::button, nullptr, true))
                f.emit(my_parcels::Open{static_cast<int>(i)});
            ImGui::Dummy({0, ui.m.px(6)});
        }
        if (mp.parcels.empty()) ui.text(c.tr("myparcels.none"), ui.fonts.title, colour::muted);
        auto extent = ui.end_drag_scroll(c.st.session.list_scroll);
        ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
        ui.scroll_pager("myparcels.list.pages", c.st.session.list_scroll, extent, c.content_w());
        return;
    }
    const size_t i = static_cast<size_t>(mp.selected);
    const Parcel& p = mp.parcels[i];
    ui.text(c.tr("parcel.carrier." + p.carrier) + "  " +
                c.cat.format(c.st.lang, "myparcels.arrived", {{"date", local_date(p.registered_at, "%m-%d %H:%M")}}),
            ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    ui.text(days_left(p), ui.fonts.title, soon(p) ? colour::urgent : colour::primary);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    ui.text(c.cat.format(c.st.lang, "slip.parcel.shelf", {{"shelf", p.shelf}}) + "  " + p.id, ui.fonts.body, colour::muted);
    if (p.extra_days > 0) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text(c.cat.format(c.st.lang, "myparcels.extended_by", {{"days", std::to_string(p.extra_days)}}), ui.fonts.body,
                colour::muted);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    if (mp.issued && mp.issued->parcel_id == p.id) {
        // Shown once, to the household that proved itself; head office never sees it.
        ui.text(c.tr("myparcels.proxy.code"), ui.fonts.body, colour::muted);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y});
        ui.text(mp.issued->code, ui.fonts.big, colour::primary);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
        ui.text_wrapped(c.cat.format(c.st.lang, "myparcels.proxy.issued", {{"until", local_date(mp.issued->expires_at, "%m-%d %H:%M")}}),
                        c.content_w(), ui.fonts.body, colour::ok);
    } else if (mp.proxies[i]) {
        ui.text_wrapped(c.cat.format(c.st.lang, "myparcels.proxy.active", {{"until", local_date(mp.proxies[i]->expires_at, "%m-%d %H:%M")}}),
                        c.content_w(), ui.fonts.body, colour::muted);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_message(c, c.content_w());
    float bw = (c.content_w() - ui.m.px(32)) / 2, bh = ui.m.px(120);
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - bh});
    if (ui.button("myparcels.extend", c.cat.format(c.st.lang, "myparcels.extend", {{"days", std::to_string(limits.extend_days)}}),
                  {bw, bh}, p.extra_days == 0, colour::primary))
        f.emit(my_parcels::Extend{});
    ImGui::SetCursorScreenPos({c.content_max.x - bw, c.content_max.y - bh});
    if (ui.button("myparcels.proxy", c.tr(mp.proxies[i] ? "myparcels.proxy.again" : "myparcels.proxy"), {bw, bh}, true,
                  colour::primary))
        f.emit(my_parcels::Proxy{});
}

}  // namespace kiosk::ui
