// Proving the household (住户验证): building, then unit, then the household PIN from the desk,
// masked as it is typed. While the worker checks it the screen says so; wrong PINs are said kindly.
#include "kiosk/core/flat_number.hpp"
#include "kiosk/core/household.hpp"
#include "kiosk/ui/screens/screens.hpp"

namespace kiosk::ui {

namespace {
void building_step(ScreenCtx& c, VerifyFeature& f) {
    Ui& ui = c.ui;
    auto& v = f.s;
    float gap = ui.m.px(20);
    int cols = c.st.elder ? 2 : 3;
    int rows = std::max(1, static_cast<int>((v.buildings.size() + cols - 1) / cols));
    // Under the buildings, the other way: the flat number typed ("3-1502") on a large keypad.
    float number_h = ui.m.px(110);
    float y = ImGui::GetCursorScreenPos().y;
    float room = c.content_max.y - number_h - gap - y;
    float bw = (c.content_w() - gap * (cols - 1)) / cols;
    float bh = std::max(ui.m.min_target(), std::min(ui.m.px(150), (room - gap * (rows - 1)) / rows));
    for (size_t i = 0; i < v.buildings.size(); ++i) {
        int col = static_cast<int>(i) % cols, row = static_cast<int>(i) / cols;
        ImGui::SetCursorScreenPos({c.content_min.x + col * (bw + gap), y + row * (bh + gap)});
        const Building& b = v.buildings[i];
        if (ui.button("verify.building." + b.id, b.name.in(c.st.lang), {bw, bh}, true, colour::button, ui.fonts.title))
            f.emit(verify::PickBuilding{b.id});
    }
    if (v.buildings.empty()) {
        ui.text(c.tr("verify.no_buildings"), nullptr, colour::urgent);
        return;
    }
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - number_h});
    if (ui.button("verify.by_number", c.tr("verify.by_number"), {c.content_w(), number_h}, true, colour::button))
        f.emit(verify::TypeNumber{});
}

// The flat number on the keypad: building, a dash, the flat ("3-1502"); the PIN step follows.
void number_step(ScreenCtx& c, VerifyFeature& f) {
    KeypadExtras extras;
    extras.note = c.tr("verify.number_note");
    extras.dash = true;
    if (draw_keypad_entry(c, c.tr("verify.number_prompt"), "verify.number", f.s.number, "3-1502", false,
                          kFlatNumberMaxLen, "verify.number.submit", c.tr("verify.number_submit"), !f.s.number.empty(),
                          colour::primary, extras))
        f.emit(verify::NumberSubmit{});
}

std::string range_label(ScreenCtx& c, const VerifyState& v, const FloorRange& r) {
    return c.cat.format(c.st.lang, "verify.floor_range",
                        {{"first", std::to_string(v.floors[r.first])}, {"last", std::to_string(v.floors[r.last])}});
}

// A very tall tower's floors in a few ranges, lowest first: three buttons for 33 floors, each as
// large as the screen allows, a column of them in elder mode.
void range_step(ScreenCtx& c, VerifyFeature& f) {
    Ui& ui = c.ui;
    auto& v = f.s;
    float gap = ui.m.px(20);
    int count = static_cast<int>(v.ranges.size());
    float top = ImGui::GetCursorScreenPos().y, room = c.content_max.y - top;
    int cols = std::min(count, c.st.elder ? 1 : 3);
    int rows = (count + cols - 1) / cols;
    float bh = std::min(ui.m.px(c.st.elder ? 150 : 220), (room - gap * (rows - 1)) / rows);
    if (bh < ui.m.min_target()) {  // many ranges on a small screen: more columns
        int fit_rows = std::max(1, static_cast<int>((room + gap) / (ui.m.min_target() + gap)));
        cols = (count + fit_rows - 1) / fit_rows;
        rows = (count + cols - 1) / cols;
        bh = std::min(ui.m.px(150), (room - gap * (rows - 1)) / rows);
    }
    float bw = (c.content_w() - gap * (cols - 1)) / cols;
    for (int i = 0; i < count; ++i) {
        ImGui::SetCursorScreenPos({c.content_min.x + (i % cols) * (bw + gap), top + (i / cols) * (bh + gap)});
        const FloorRange& r = v.ranges[static_cast<size_t>(i)];
        std::string id = "verify.range." + std::to_string(v.floors[r.first]) + "-" + std::to_string(v.floors[r.last]);
        if (ui.button(id, range_label(c, v, r), {bw, bh}, true, colour::button, ui.fonts.title)) f.emit(verify::PickRange{i});
    }
}

// A tower's floors (or those of the range picked) as a lift panel: numbers, lowest first, across
// the whole width. No more than kFloorsInRange of them, so they fit one page at 1080p in both
// modes; on a smaller screen more columns (never narrower than the minimum target), then pages.
void floor_step(ScreenCtx& c, VerifyFeature& f) {
    Ui& ui = c.ui;
    auto& v = f.s;
    size_t first = 0, last = v.floors.empty() ? 0 : v.floors.size() - 1;
    if (v.range >= 0 && v.range < static_cast<int>(v.ranges.size()))
        first = v.ranges[static_cast<size_t>(v.range)].first, last = v.ranges[static_cast<size_t>(v.range)].last;
    float gap = ui.m.px(16);
    float bh = ui.m.px(c.st.elder ? 120 : 150), min_w = ui.m.min_target() * 1.1f;
    int count = v.floors.empty() ? 0 : static_cast<int>(last - first + 1);
    float top = ImGui::GetCursorScreenPos().y;
    auto rows_in = [&](float h) { return std::max(1, static_cast<int>((h + gap) / (bh + gap))); };
    int rows_one_page = rows_in(c.content_max.y - top);
    int rows_paged = rows_in(c.content_max.y - top - ui.pager_h() - gap);
    int max_cols = std::max(1, static_cast<int>((c.content_w() + gap) / (min_w + gap)));
    int cols = std::min(c.st.elder ? 4 : 6, std::max(1, count));
    if (count > rows_one_page * cols) cols = std::min(max_cols, (count + rows_one_page - 1) / rows_one_page);
    bool paged = count > rows_one_page * cols;
    if (paged) cols = std::min(max_cols, (count + rows_paged - 1) / rows_paged);
    int per_page = (paged ? rows_paged : rows_one_page) * cols;
    float bw = (c.content_w() - gap * (cols - 1)) / cols;
    int pages = std::max(1, (count + per_page - 1) / per_page);
    int page = std::clamp(v.floor_page, 0, pages - 1);
    for (int i = page * per_page, n = 0; i < count && n < per_page; ++i, ++n) {
        int col = n % cols, row = n / cols;
        ImGui::SetCursorScreenPos({c.content_min.x + col * (bw + gap), top + row * (bh + gap)});
        int floor = v.floors[first + static_cast<size_t>(i)];
        if (ui.button("verify.floor." + std::to_string(floor), std::to_string(floor), {bw, bh}, true, colour::button,
                      ui.fonts.big))
            f.emit(verify::PickFloor{floor});
    }
    if (pages > 1) {
        ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
        if (int asked = ui.pager("verify.floors", page, pages, c.content_w()); asked >= 0) f.emit(verify::FloorPage{asked});
    }
}

// One floor's flats across the whole width, large.
void floor_units_step(ScreenCtx& c, VerifyFeature& f) {
    Ui& ui = c.ui;
    auto& v = f.s;
    float gap = ui.m.px(20);
    int count = static_cast<int>(v.units.size());
    int cols = std::clamp(count, 1, c.st.elder ? 2 : 4);
    float bw = (c.content_w() - gap * (cols - 1)) / cols, bh = ui.m.px(170);
    float top = ImGui::GetCursorScreenPos().y;
    for (int i = 0; i < count; ++i) {
        ImGui::SetCursorScreenPos({c.content_min.x + (i % cols) * (bw + gap), top + (i / cols) * (bh + gap)});
        const Unit& u = v.units[static_cast<size_t>(i)];
        if (ui.button("verify.unit." + u.id, u.label, {bw, bh}, true, colour::button, ui.fonts.big))
            f.emit(verify::PickUnit{u.id});
    }
}

void unit_step(ScreenCtx& c, VerifyFeature& f) {
    Ui& ui = c.ui;
    auto& v = f.s;
    if (!v.floors.empty()) return floor_units_step(c, f);
    // A building of kFloorsOnOneScreen floors or fewer: its flats floor by floor on one screen.
    // Where they do not fit (elder mode's larger buttons), ◀ ▶ page buttons under them; dragging
    // works too.
    float top = ImGui::GetCursorScreenPos().y;
    float gap = ui.m.px(16);
    int cols = c.st.elder ? 4 : 6;
    float bw = (c.content_w() - ui.m.flat(24) - gap * (cols - 1)) / cols, bh = ui.m.px(110);
    int rows = 0, col = 0, floor = -1;
    for (const Unit& u : v.units) {
        if (u.floor != floor || col == cols) ++rows, col = 0, floor = u.floor;
        ++col;
    }
    float row_h = bh + gap * 0.3f + ImGui::GetStyle().ItemSpacing.y;
    float room = c.content_max.y - top;
    bool paged = rows * row_h > room;
    if (paged) room -= ui.pager_h() + ui.m.px(12);
    ui.begin_drag_scroll("verify.units", {c.content_w(), room}, c.st.session.list_scroll);
    col = 0;
    floor = -1;
    for (const Unit& u : v.units) {
        if (u.floor != floor || col == cols) {  // one row per floor
            if (floor != -1) ImGui::Dummy({0, gap * 0.3f});
            floor = u.floor;
            col = 0;
        } else {
            ImGui::SameLine(0, gap);
        }
        if (ui.button("verify.unit." + u.id, u.label, {bw, bh}, true, colour::button, ui.fonts.big))
            f.emit(verify::PickUnit{u.id});
        ++col;
    }
    auto extent = ui.end_drag_scroll(c.st.session.list_scroll);
    if (paged) {
        ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
        ui.scroll_pager("verify.units.pages", c.st.session.list_scroll, extent, c.content_w());
    }
}

void code_step(ScreenCtx& c, VerifyFeature& f) {
    auto& v = f.s;
    std::string building;
    for (auto& b : v.buildings)
        if (b.id == v.building_id) building = b.name.in(c.st.lang);
    std::string label = v.unit_id;
    for (auto& u : v.units)
        if (u.id == v.unit_id) label = building + " " + u.label;
    if (f.checking()) {
        // The worker's answer is picked up here, once a frame, and applied after it.
        draw_pin_checking(c, c.cat.format(c.st.lang, "verify.pin_prompt", {{"unit", label}}));
        if (f.check_answered()) f.emit(verify::Checked{});
        return;
    }
    // Why the kiosk asks, and where the PIN comes from, under the message.
    KeypadExtras extras{c.tr("verify.privacy"), {}, {}, {}};
    if (draw_keypad_entry(c, c.cat.format(c.st.lang, "verify.pin_prompt", {{"unit", label}}), "verify.code", v.code,
                          c.tr("verify.pin_placeholder"), true, kHouseholdPinDigits, "verify.submit", c.tr("verify.submit"),
                          v.code.size() == kHouseholdPinDigits, colour::primary, extras))
        f.emit(verify::Submit{});
}
}  // namespace

std::string VerifyFeature::spoken(const AppState& st, const Catalog& cat) const {
    switch (s.step) {
        case VerifyState::Step::Building: return spoken_sentences(st.lang, {cat.tr(st.lang, "verify.title"), cat.tr(st.lang, "verify.pick_building")});
        case VerifyState::Step::Range: return spoken_sentences(st.lang, {cat.tr(st.lang, "verify.title"), cat.tr(st.lang, "verify.pick_floor_range")});
        case VerifyState::Step::Floor: return spoken_sentences(st.lang, {cat.tr(st.lang, "verify.title"), cat.tr(st.lang, "verify.pick_floor")});
        case VerifyState::Step::Unit: return spoken_sentences(st.lang, {cat.tr(st.lang, "verify.title"), cat.tr(st.lang, "verify.pick_unit")});
        case VerifyState::Step::Number: return spoken_sentences(st.lang, {cat.tr(st.lang, "verify.title"), cat.tr(st.lang, "verify.number_prompt")});
        case VerifyState::Step::Code: break;
    }
    // At the PIN the flat is on the screen but not said aloud: others in the lobby can hear.
    return spoken_sentences(st.lang, {cat.tr(st.lang, "verify.title"), cat.tr(st.lang, "verify.pin_placeholder")});
}

void VerifyFeature::draw(ScreenCtx& c) {
    VerifyFeature& f = *this;
    Ui& ui = c.ui;
    auto& v = f.s;
    ImGui::SetCursorScreenPos(c.content_min);
    static constexpr const char* kTitles[6] = {"verify.pick_building", "verify.pick_floor_range", "verify.pick_floor",
                                               "verify.pick_unit", "verify.title", "verify.number_title"};
    std::string title = c.tr(kTitles[static_cast<int>(v.step)]);
    if (v.step == VerifyState::Step::Unit && v.floor >= 0) {
        std::string building;
        for (auto& b : v.buildings)
            if (b.id == v.building_id) building = b.name.in(c.st.lang);
        title = c.cat.format(c.st.lang, "verify.floor_of", {{"building", building}, {"floor", std::to_string(v.floor)}});
    }
    ui.text(title, ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    switch (v.step) {
        case VerifyState::Step::Building: building_step(c, f); break;
        case VerifyState::Step::Range: range_step(c, f); break;
        case VerifyState::Step::Floor: floor_step(c, f); break;
        case VerifyState::Step::Unit: unit_step(c, f); break;
        case VerifyState::Step::Code: code_step(c, f); break;
        case VerifyState::Step::Number: number_step(c, f); break;
    }
}

}  // namespace kiosk::ui
