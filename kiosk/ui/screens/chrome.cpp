// The frame around every screen: site name and clock, the language switch and elder mode on top;
// back, home and the staff corner below; the idle warning in the screen's place.
#include <algorithm>
#include <ctime>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/wording.hpp"

namespace kiosk::ui {

void draw_top_bar(ScreenCtx& c, float h) {
    Ui& ui = c.ui;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetWindowPos();
    float w = ImGui::GetWindowWidth();
    // Staff signed in: another bar colour and a 员工 badge, so a desk screen is never taken for a
    // resident's (nor left open for one to use).
    bool staff = c.st.session.staff.has_value();
    dl->AddRectFilled(p, {p.x + w, p.y + h}, staff ? colour::staff_bar : colour::bar);
    ui.reg.add("bar.top", p, {p.x + w, p.y + h}, false);  // what the screen's own widgets stay below
    float pad = ui.m.px(24);

    float name_x = p.x + pad;
    if (staff) {
        const std::string badge = c.tr("staff.corner");
        ImFont* f = ui.fonts.title;
        float tw = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, badge.c_str()).x, bw = std::max(tw + ui.m.px(36), ui.m.min_target()), bh = std::max(h - ui.m.px(24), ui.m.min_target());
        ImVec2 b0{name_x, p.y + (h - bh) * 0.5f}, b1{name_x + bw, p.y + (h + bh) * 0.5f};
        dl->AddRectFilled(b0, b1, colour::selected, ui.m.flat(12));
        dl->AddText(f, f->FontSize, {b0.x + (bw - tw) * 0.5f, p.y + (h - f->FontSize) * 0.5f}, colour::text, badge.c_str());
        ui.reg.add("staff.badge", b0, b1, false);
        ui.reg.text(badge, f);
        name_x = b1.x + pad;
    }
    const std::string& name = c.st.site.facts.site_name.in(c.st.lang);
    ImGui::SetCursorScreenPos({name_x, p.y + (h - ui.fonts.title->FontSize) * 0.5f});
    ui.text(name.empty() ? c.tr("app.title") : name, ui.fonts.title, colour::bar_text);
    float name_end = ImGui::GetItemRectMax().x;

    // Language switch and elder mode, on every screen, right-aligned.
    const float bh = h - ui.m.flat(24);
    const float lw = ui.m.px(150), ew = ui.m.px(190), gap = ui.m.px(12);
    float x = p.x + w - pad - ew - gap - 3 * lw - 2 * gap;

    // Date and time, centred in the space left (and left out where there is none, in elder mode).
    std::string when = local_date(c.st.wall_now, "%Y-%m-%d %H:%M");
    float when_w = ui.fonts.body->CalcTextSizeA(ui.fonts.body->FontSize, FLT_MAX, 0, when.c_str()).x;
    if (x - name_end > when_w + 2 * pad) {
        ImGui::SetCursorScreenPos({name_end + (x - name_end - when_w) * 0.5f, p.y + (h - ui.fonts.body->FontSize) * 0.5f});
        ui.text(when, ui.fonts.body, colour::bar_text);
    }
    // Head office sync, as a dot: green when it answers, grey when the kiosk works alone.
    if (c.st.sync.configured) {
        float r = ui.m.flat(9);
        ImVec2 dot{x - pad, p.y + h * 0.5f};
        dl->AddCircleFilled(dot, r, c.st.sync.online ? IM_COL32(80, 200, 120, 255) : IM_COL32(160, 168, 176, 255));
        // Ringed while a refused record or a conflict waits for a clerk to handle it.
        if (c.st.sync.dead_letters + c.st.sync.conflicts > 0) {
            dl->AddCircle(dot, r + ui.m.flat(4), colour::selected, 0, ui.m.flat(3));
            ui.reg.add("sync.icon.attention", {dot.x - r, dot.y - r}, {dot.x + r, dot.y + r}, false);
        }
        ui.reg.add(c.st.sync.online ? "sync.icon.online" : "sync.icon.offline", {dot.x - r, dot.y - r}, {dot.x + r, dot.y + r}, false);
    }
    static constexpr const char* kLangIds[3] = {"lang.zh-CN", "lang.en", "lang.zh-TW"};
    for (Lang l : kAllLangs) {
        int i = static_cast<int>(l);
        ImGui::SetCursorScreenPos({x, p.y + (h - bh) * 0.5f});
        // Each language names itself, in itself, whatever language is showing.
        const std::string& label = c.cat.tr(l, "lang.self");
        if (ui.choice(kLangIds[i], label, {lw, bh}, c.st.lang == l, colour::button, nullptr, false, colour::bar_text))
            c.emit(shell::SetLang{l});
        x += lw + gap;
    }
    ImGui::SetCursorScreenPos({x, p.y + (h - bh) * 0.5f});
    if (ui.choice("elder.toggle", c.tr(c.st.elder ? "elder.off" : "elder.on"), {ew, bh}, c.st.elder, colour::button, nullptr,
                  false, colour::bar_text))
        c.emit(shell::ToggleElder{});
}

void draw_bottom_bar(ScreenCtx& c, float h) {
    Ui& ui = c.ui;
    ImVec2 p = ImGui::GetWindowPos();
    float w = ImGui::GetWindowWidth(), wh = ImGui::GetWindowHeight();
    float top = p.y + wh - h;
    ui.reg.add("bar.bottom", {p.x, top}, {p.x + w, p.y + wh}, false);  // what the screen's own widgets stay above
    float pad = ui.m.px(24), bh = h - ui.m.px(24);
    bool home = c.st.session.screen == Screen::Home;
    // In elder mode Back and Home are taller but hardly wider (their labels are short), so the
    // message beside them keeps most of the bar's width.
    float nav_w = c.st.elder ? ui.m.flat(270) : ui.m.px(260), speak_w = c.st.elder ? ui.m.flat(260) : ui.m.px(220);
    float sw = ui.m.flat(150);
    if (!home) {
        // Back and Home keep their places on every screen; a sent request's screen has no Back.
        ImGui::SetCursorScreenPos({p.x + pad, top + (h - bh) * 0.5f});
        if (!c.finished && ui.button("nav.back", c.tr("nav.back"), {nav_w, bh}, true, colour::primary))
            c.emit(shell::Back{});
        ImGui::SetCursorScreenPos({p.x + pad + nav_w + ui.m.flat(20), top + (h - bh) * 0.5f});
        if (ui.button("nav.home", c.tr("nav.home"), {nav_w, bh}))
            c.emit(shell::Home{});
    }
    // A passing message (e.g. a scan where none is wanted) sits in the bar, where the eye goes
    // next, unless the screen already showed it by its field.
    float msg_x = home ? p.x + pad : p.x + pad + 2 * nav_w + ui.m.flat(20) + ui.m.px(40);
    // Elder mode's 朗读, after Back and Home on every screen (clear of the keypad, which reaches
    // down beside the staff corner): it only asks; the shell reads the screen aloud after the frame.
    if (c.read_aloud) {
        ImGui::SetCursorScreenPos({msg_x, top + (h - bh) * 0.5f});
        if (ui.button("read.aloud", c.tr("read.aloud"), {speak_w, bh}, true, colour::speak))
            c.emit(shell::ReadAloud{});
        msg_x += speak_w + ui.m.px(30);
    }
    float msg_w = w - msg_x - sw - 2 * pad;
    if (!c.st.session.message_key.empty() && !c.message_drawn) {
        // Whole inside the bar, in the middle of its height: at the body size where it fits,
        // a step smaller where it would run off the screen (elder mode's bar is narrower: 朗读).
        const auto& s = c.st.session;
        c.message_drawn = true;
        std::string text = c.cat.format(c.st.lang, s.message_key, {{"arg", s.message_arg}});
        TextLines lines = ui.fit(text, {msg_w, bh}, ui.fonts.body);
        ui.reg.text(text, lines.font);
        ui.draw_lines(ImGui::GetWindowDrawList(), lines, {msg_x, top + (h - lines.size.y) * 0.5f}, msg_w, false,
                      s.message_is_error ? colour::urgent : colour::ok);
    } else if (home) {
        ImGui::SetCursorScreenPos({msg_x, top + (h - ui.fonts.body->FontSize) * 0.5f});
        ui.text_wrapped(c.tr("home.footer"), msg_w, ui.fonts.body, colour::muted);
    }
    // The staff corner: discreet (muted, small label) but still a full-size touch target.
    if (c.st.session.screen != Screen::StaffLogin && c.st.session.screen != Screen::StaffDesk) {
        ImGui::SetCursorScreenPos({p.x + w - pad - sw, top + (h - bh) * 0.5f});
        if (ui.button("staff.corner", c.tr("staff.corner"), {sw, bh}, true, colour::quiet))
            c.emit(shell::Open{Screen::StaffLogin});
    }
}

std::string household_flat(const ScreenCtx& c) { return flat_text(c.st); }

void draw_message(ScreenCtx& c, float width) {
    auto& s = c.st.session;
    if (s.message_key.empty()) return;
    c.message_drawn = true;
    std::string text = c.cat.format(c.st.lang, s.message_key, {{"arg", s.message_arg}});
    c.ui.text_wrapped(text, width, c.ui.fonts.body, s.message_is_error ? colour::urgent : colour::ok);
}

void draw_slip_status(ScreenCtx& c, int64_t job, float width) {
    if (job == 0) return;
    for (const auto& j : c.st.printer.recent) {
        if (j.id != job) continue;
        using print::SlipState;
        switch (j.state) {
            case SlipState::Queued:
            case SlipState::Printing: c.ui.text_wrapped(c.tr("slip.status.printing"), width, c.ui.fonts.body, colour::muted); break;
            case SlipState::Printed: c.ui.text_wrapped(c.tr("slip.status.printed"), width, c.ui.fonts.body, colour::ok); break;
            case SlipState::Unconfirmed:
                c.ui.text_wrapped(c.tr("slip.status.unconfirmed"), width, c.ui.fonts.body, colour::urgent);
                break;
            case SlipState::Failed:
            case SlipState::Held:
                c.ui.text_wrapped(c.cat.format(c.st.lang, "slip.status.failed", {{"reason", c.tr(j.reason_key)}}), width,
                                  c.ui.fonts.body, colour::urgent);
                break;
        }
    }
}

void draw_attract(ScreenCtx& c, const Announcement& a, ImVec2 display) {
    Ui& ui = c.ui;
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(display);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, colour::urgent);
    ImGui::Begin("##attract", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleColor();
    ui.reg.add("attract", {0, 0}, display);
    float pad = ui.m.px(120), w = display.x - 2 * pad;
    ImGui::SetCursorScreenPos({pad, ui.m.px(140)});
    ui.text_centred(c.tr("attract.urgent"), w, ui.fonts.title, colour::bar_text);
    ImGui::SetCursorScreenPos({pad, ImGui::GetCursorScreenPos().y + ui.m.px(30)});
    ui.text_centred(a.title.in(c.st.lang), w, ui.fonts.title, colour::bar_text);
    ImGui::SetCursorScreenPos({pad, ImGui::GetCursorScreenPos().y + ui.m.px(30)});
    ui.text_wrapped(a.body.in(c.st.lang), w, ui.fonts.title, colour::bar_text);
    ImGui::SetCursorScreenPos({pad, display.y - ui.m.px(200)});
    ui.text_centred(c.tr("attract.touch"), w, ui.fonts.body, colour::bar_text);
    ImGui::End();
}

void draw_pin_checking(ScreenCtx& c, const std::string& prompt) {
    c.ui.text_wrapped(prompt, c.content_w());
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + c.ui.m.px(24)});
    c.ui.text(c.tr("verify.checking"), c.ui.fonts.title, colour::muted);
}

bool draw_keypad_entry(ScreenCtx& c, const std::string& prompt, std::string_view field_id, std::string& value,
                       std::string_view placeholder, bool secret, size_t max_len, std::string_view confirm_id,
                       std::string_view confirm_label, bool can_confirm, ImU32 confirm_colour, const KeypadExtras& extras) {
    Ui& ui = c.ui;
    float title_end = ImGui::GetItemRectMax().x;  // the screen's title, drawn last
    float col = c.st.elder ? std::min(ui.m.px(760), c.content_w() * 0.45f) : ui.m.px(760);
    float y = ImGui::GetCursorScreenPos().y;
    float button_h = ui.m.px(120), confirm_y = c.content_max.y - ui.m.px(125);
    ui.text_wrapped(prompt, col);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
    ui.field(field_id, value, placeholder, col, secret);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_message(c, col);
    // The note only where it fits above the buttons: in elder mode a message may take its place.
    if (!extras.note.empty()) {
        float at = ImGui::GetCursorScreenPos().y + ui.m.px(8);
        float h = ui.fit(extras.note, {col, 0}, ui.fonts.body).size.y;
        if (at + h < confirm_y - ui.m.px(8)) {
            ImGui::SetCursorScreenPos({c.content_min.x, at});
            ui.text_wrapped(extras.note, col, ui.fonts.body, colour::muted);
        }
    }
    // The keypad on the right. In elder mode it is larger than the normal one: it takes the
    // content's whole height (beside the screen's title, when the title ends left of it) and is
    // wider; the left column gives up the width.
    float kx = c.content_min.x + col + (c.st.elder ? ui.m.flat(60) : ui.m.px(80));
    float gap = c.st.elder ? ui.m.flat(14) : ui.m.px(14);
    ImVec2 key;
    float top = y;
    if (c.st.elder) {
        if (title_end < kx - gap) top = c.content_min.y;
        key.y = (c.content_max.y - top - 3 * gap) / 4;
        key.x = std::min((c.content_max.x - kx - 2 * gap) / 3, key.y * 1.7f);
    } else {
        key.x = std::min((c.content_max.x - kx) / 3.3f, (c.content_max.y - y) / 3.4f);
        key.y = key.x * 0.78f;
    }
    ImGui::SetCursorScreenPos({kx, top});
    ui.numeric_keypad("keypad", value, max_len, key, gap, extras.dash);
    // Confirm, and beside it the other way in, if there is one.
    float confirm_w = extras.alt_id.empty() ? col : col * 0.5f - ui.m.px(8);
    if (!extras.alt_id.empty()) {
        ImGui::SetCursorScreenPos({c.content_min.x + col - confirm_w, confirm_y});
        if (ui.button(extras.alt_id, extras.alt_label, {confirm_w, button_h}, true, colour::button))
            extras.on_alt();
    }
    ImGui::SetCursorScreenPos({c.content_min.x, confirm_y});
    return ui.button(confirm_id, confirm_label, {confirm_w, button_h}, can_confirm, confirm_colour);
}

bool draw_keyboard_entry(ScreenCtx& c, const std::string& prompt, std::string_view field_id, std::string& value,
                         std::string_view placeholder, size_t max_len, std::string_view confirm_id,
                         std::string_view confirm_label) {
    Ui& ui = c.ui;
    float col = ui.m.px(760), y = ImGui::GetCursorScreenPos().y;
    // Ten keys a row at full target size: in elder mode the left column gives up the width.
    float gap = ui.m.px(10);
    float key = std::max(ui.m.min_target(), (c.content_max.x - (c.content_min.x + col + ui.m.px(40)) - 9 * gap) / 10);
    col = std::min(col, c.content_w() - ui.m.px(40) - 10 * key - 9 * gap);
    ui.text_wrapped(prompt, col);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
    ui.field(field_id, value, placeholder, col);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_message(c, col);
    float kx = c.content_min.x + col + ui.m.px(40);
    ImGui::SetCursorScreenPos({kx, y});
    ImGui::BeginGroup();
    ui.latin_keyboard("keyboard", value, max_len, key);
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(125)});
    return ui.button(confirm_id, confirm_label, {col, ui.m.px(120)}, !value.empty(), colour::primary);
}

void draw_idle_warning(ScreenCtx& c, int seconds_left, ImVec2 display) {
    // Drawn in the screen's place on the opaque kiosk window: nothing of the screen shows through.
    Ui& ui = c.ui;
    float w = std::min(display.x - 2 * ui.m.flat(60), ui.m.px(1200));
    float x = (display.x - w) * 0.5f;
    ImGui::SetCursorScreenPos({x, ui.m.flat(120)});
    ui.text_centred(c.tr("idle.title"), w, ui.fonts.title);
    ImGui::SetCursorScreenPos({x, ImGui::GetCursorScreenPos().y + ui.m.flat(30)});
    ui.text_centred(c.cat.format(c.st.lang, "idle.countdown", {{"seconds", std::to_string(seconds_left)}}), w,
                    ui.fonts.body, colour::urgent);
    ImGui::SetCursorScreenPos({x, ImGui::GetCursorScreenPos().y + ui.m.flat(24)});
    ui.text_centred(c.tr("idle.hidden"), w, ui.fonts.body, colour::muted);
    // The one thing to do, large enough for any hand: more time, and the screen comes back as it was.
    float bw = std::min(w, ui.m.px(900)), bh = ui.m.px(180);
    float by = std::min(ImGui::GetCursorScreenPos().y + ui.m.flat(48), display.y - bh - ui.m.flat(24));
    ImGui::SetCursorScreenPos({(display.x - bw) * 0.5f, by});
    if (ui.button("idle.continue", c.tr("idle.continue"), {bw, bh}, true, colour::primary, ui.fonts.title))
        c.emit(shell::StillHere{});
}

}  // namespace kiosk::ui
