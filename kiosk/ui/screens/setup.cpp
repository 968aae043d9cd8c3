// On-screen setup, step by step: the language; head office (four fields and a keyboard with the
// characters an address needs, or the setup slip scanned); the printer and its paper's width; the
// scanner; the staff PIN; then progress while the runner works. Reads the runner's progress once a
// frame and queues what it sees; it never waits for it.
#include <algorithm>

#include "kiosk/ui/features/setup.hpp"
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {
using Step = SetupState::Step;

// Ten keys a row: digits, letters, then the address characters; back and shift at the ends.
void draw_setup_keyboard(ScreenCtx& c, SetupFeature& f, float key) {
    Ui& ui = c.ui;
    static constexpr const char* kRows[4] = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
    static constexpr std::pair<const char*, const char*> kMarks[5] = {
        {"dot", "."}, {"colon", ":"}, {"slash", "/"}, {"dash", "-"}, {"underscore", "_"}};
    float gap = ui.m.px(10), h = std::max(ui.m.min_target(), key * 0.9f);
    float x0 = ImGui::GetCursorScreenPos().x, y = ImGui::GetCursorScreenPos().y;
    for (int r = 0; r < 4; ++r) {
        std::string_view row = kRows[r];
        float x = x0 + (10 - static_cast<float>(row.size())) * (key + gap) * 0.5f * (r == 3 ? 0 : 1);
        for (char ch : row) {
            char upper = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
            char shown = f.s.shift ? upper : ch;
            ImGui::SetCursorScreenPos({x, y});
            if (ui.button(std::string("keyboard.") + upper, std::string(1, shown), {key, h}, true, 0, ui.fonts.body))
                f.emit(setup::Key{std::string(1, shown)});
            x += key + gap;
        }
        if (r == 3) {
            ImGui::SetCursorScreenPos({x, y});
            if (ui.button("keyboard.back", c.tr("keys.back"), {x0 + 10 * (key + gap) - gap - x, h}, true, 0, ui.fonts.body))
                f.emit(setup::Key{"back"});
        }
        y += h + gap;
    }
    float x = x0;
    for (auto& [name, mark] : kMarks) {
        ImGui::SetCursorScreenPos({x, y});
        if (ui.button(std::string("keyboard.") + name, mark, {key, h}, true, 0, ui.fonts.body)) f.emit(setup::Key{mark});
        x += key + gap;
    }
    ImGui::SetCursorScreenPos({x, y});
    if (ui.choice("keyboard.shift", c.tr("setup.keys.shift"), {x0 + 10 * (key + gap) - gap - x, h}, f.s.shift, 0, ui.fonts.body))
        f.emit(setup::Key{"shift"});
}

// The left column beside the keyboard: how wide it may be, and the key size.
struct Columns {
    float col, key, kx;
};
Columns columns(ScreenCtx& c) {
    Ui& ui = c.ui;
    float col = ui.m.px(760), gap = ui.m.px(10);
    float key = std::max(ui.m.min_target(), (c.content_max.x - (c.content_min.x + col + ui.m.px(40)) - 9 * gap) / 10);
    col = std::min(col, c.content_w() - ui.m.px(40) - 10 * key - 9 * gap);
    return {col, key, c.content_min.x + col + ui.m.px(40)};
}

bool left_next(ScreenCtx& c, std::string_view id, std::string_view label, float col) {
    Ui& ui = c.ui;
    float h = std::max(ui.m.min_target(), ui.m.flat(120));
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - h});
    return ui.button(id, label, {col, h}, true, colour::primary);
}

void draw_language(ScreenCtx& c, SetupFeature& f) {
    Ui& ui = c.ui;
    ui.text_wrapped(c.tr("setup.language.prompt"), c.content_w());
    float y = ImGui::GetCursorScreenPos().y + ui.m.px(24);
    float w = std::min(ui.m.px(520), (c.content_w() - 2 * ui.m.px(24)) / 3), h = std::max(ui.m.min_target(), ui.m.px(140));
    float x = c.content_min.x;
    static constexpr const char* kIds[3] = {"setup.lang.zh-CN", "setup.lang.en", "setup.lang.zh-TW"};
    for (Lang l : kAllLangs) {
        ImGui::SetCursorScreenPos({x, y});
        if (ui.choice(kIds[static_cast<int>(l)], c.cat.tr(l, "lang.self"), {w, h}, c.st.lang == l, 0, ui.fonts.title))
            f.emit(setup::PickLang{l});
        x += w + ui.m.px(24);
    }
    if (next_button(c, "setup.next", true)) f.emit(setup::Next{});
}

void draw_headoffice(ScreenCtx& c, SetupFeature& f) {
    Ui& ui = c.ui;
    Columns k = columns(c);
    float top = ImGui::GetCursorScreenPos().y;
    static constexpr const char* kFieldIds[kSetupFields] = {"setup.field.url", "setup.field.site", "setup.field.kiosk",
                                                             "setup.field.code"};
    const std::string* values[kSetupFields] = {&f.s.a.url, &f.s.a.site, &f.s.a.kiosk, &f.s.a.enrol_code};
    float row_h = ui.m.min_target(), gap = ui.m.px(10);
    for (int i = 0; i < kSetupFields; ++i) {
        // The code shows as stars, as PINs do: a slip's code is as good as a key until it is spent.
        std::string value = i == 3 ? std::string() : *values[i];
        if (i == 3) {
            for (size_t n = 0; n < std::min<size_t>(values[i]->size(), 16); ++n) value += "*";
        }
        std::string label = c.tr(kFieldIds[i]) + (value.empty() ? std::string() : ": " + value);
        if (ui.choice(kFieldIds[i], label, {k.col, row_h}, f.s.field == i, 0, nullptr, true)) f.emit(setup::PickField{i});
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + gap});
    }
    ui.text_wrapped(c.tr("setup.headoffice.scan_hint"), k.col, ui.fonts.small ? ui.fonts.small : nullptr, colour::muted);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + gap});
    draw_message(c, k.col);
    ImGui::SetCursorScreenPos({k.kx, top});
    draw_setup_keyboard(c, f, k.key);
    if (left_next(c, "setup.check", c.tr("setup.check"), k.col)) f.emit(setup::Next{});
}

void draw_printer(ScreenCtx& c, SetupFeature& f) {
    Ui& ui = c.ui;
    Columns k = columns(c);
    float top = ImGui::GetCursorScreenPos().y, gap = ui.m.px(10);
    bool half_next = false;  // the test slip's button shares the bottom row
    static constexpr const char* kKinds[3] = {"setup.printer.none", "setup.printer.network", "setup.printer.usb"};
    for (int i = 0; i < 3; ++i) {
        if (ui.choice(kKinds[i], c.tr(kKinds[i]), {k.col, ui.m.min_target()}, f.s.printer_kind == i, 0, nullptr, true))
            f.emit(setup::PickPrinter{i});
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + gap});
    }
    if (f.s.printer_kind != 0) {
        // The roll's width, side by side: what every slip (and the test slip) is drawn for.
        static constexpr std::pair<int, const char*> kPapers[2] = {{58, "setup.paper.58"}, {80, "setup.paper.80"}};
        float card_x = c.content_min.x, card_y = ImGui::GetCursorScreenPos().y, card_w = (k.col - gap) / 2;
        for (auto& [mm, id] : kPapers) {
            ImGui::SetCursorScreenPos({card_x, card_y});
            if (ui.choice(id, c.tr(id), {card_w, ui.m.min_target()}, f.s.a.paper_mm == mm)) f.emit(setup::PickPaper{mm});
            card_x += card_w + gap;
        }
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + gap});
        ui.text_wrapped(c.tr(f.s.printer_kind == 1 ? "setup.printer.network_prompt" : "setup.printer.usb_prompt"), k.col);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + gap});
        ui.field("setup.printer.where", f.s.printer_where, c.tr(f.s.printer_kind == 1 ? "setup.printer.network_example" : "setup.printer.usb_example"), k.col);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + gap});
        // The test slip, through the printer as typed; its answer in words and colour below. Below
        // the field when the column has room, else (elder mode) beside Next on the bottom row.
        SetupProgress p = f.backend() ? f.backend()->progress() : SetupProgress{};
        bool printing = f.s.slip_asked && p.slip_test == SetupProgress::SlipTest::Printing;
        float next_h = std::max(ui.m.min_target(), ui.m.flat(120));
        float y = ImGui::GetCursorScreenPos().y;
        bool beside_next = y + ui.m.min_target() + gap > c.content_max.y - next_h - ui.m.px(80);
        ImVec2 at = beside_next ? ImVec2{c.content_min.x, c.content_max.y - next_h} : ImGui::GetCursorScreenPos();
        ImVec2 size = beside_next ? ImVec2{(k.col - gap) / 2, next_h} : ImVec2{k.col, ui.m.min_target()};
        ImGui::SetCursorScreenPos(at);
        if (ui.button("setup.printer.test", c.tr("setup.printer.test"), size, !printing)) f.emit(setup::TestPrint{});
        ImGui::SetCursorScreenPos({c.content_min.x, beside_next ? y : ImGui::GetCursorScreenPos().y + gap});
        half_next = beside_next;
        if (f.s.slip_asked && p.slip_test != SetupProgress::SlipTest::None) {
            using T = SetupProgress::SlipTest;
            std::string said = p.slip_test == T::Printing ? c.tr("setup.printer.testing")
                               : p.slip_test == T::Printed ? c.tr("setup.printer.test_printed")
                                                           : c.tr("setup.printer.test_failed") + ": " + c.tr(p.slip_key);
            ui.text_wrapped(said, k.col, nullptr,
                            p.slip_test == T::Printed ? colour::ok : p.slip_test == T::Failed ? colour::urgent : colour::muted);
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + gap});
        }
        ImGui::SetCursorScreenPos({k.kx, top});
        draw_setup_keyboard(c, f, k.key);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - std::max(ui.m.min_target(), ui.m.flat(120)) - ui.m.px(80)});
    draw_message(c, k.col);
    if (half_next) {
        float h = std::max(ui.m.min_target(), ui.m.flat(120));
        ImGui::SetCursorScreenPos({c.content_min.x + (k.col + gap) / 2, c.content_max.y - h});
        if (ui.button("setup.next", c.tr("repair.next"), {(k.col - gap) / 2, h}, true, colour::primary)) f.emit(setup::Next{});
    } else if (left_next(c, "setup.next", c.tr("repair.next"), k.col)) {
        f.emit(setup::Next{});
    }
}

void draw_scanner(ScreenCtx& c, SetupFeature& f) {
    Ui& ui = c.ui;
    float w = std::min(c.content_w(), ui.m.px(1100));
    ui.text_wrapped(c.tr("setup.scanner.prompt"), w);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    ui.field("setup.scanner.read", f.s.scanned, c.tr("setup.scanner.nothing"), w);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    draw_message(c, w);
    if (next_button(c, "setup.next", true)) f.emit(setup::Next{});
}

void draw_pin(ScreenCtx& c, SetupFeature& f) {
    bool ok = f.s.a.staff_pin.size() >= 4 || (f.s.a.staff_pin.empty() && !f.required());
    if (draw_keypad_entry(c, c.tr(f.required() ? "setup.pin.prompt" : "setup.pin.prompt_again"), "setup.pin", f.s.a.staff_pin,
                          c.tr("staff.login.pin_placeholder"), true, 8, "setup.finish", c.tr("setup.finish"), ok, colour::primary))
        f.emit(setup::Next{});
}

void draw_unlock(ScreenCtx& c, SetupFeature& f) {
    if (f.checking_pin()) {
        draw_pin_checking(c, c.tr("setup.unlock.prompt"));
        if (f.pin_answered()) f.emit(setup::Checked{});
        return;
    }
    if (draw_keypad_entry(c, c.tr("setup.unlock.prompt"), "setup.unlock.pin", f.s.unlock_pin, c.tr("staff.login.pin_placeholder"),
                          true, 8, "setup.unlock.submit", c.tr("setup.unlock.submit"), f.s.unlock_pin.size() >= 4, colour::primary))
        f.emit(setup::Unlock{});
}

void draw_working(ScreenCtx& c, SetupFeature& f) {
    Ui& ui = c.ui;
    SetupProgress p = f.backend() ? f.backend()->progress() : SetupProgress{};
    const char* key = p.stage == SetupStage::Pulling     ? "setup.stage.pulling"
                      : p.stage == SetupStage::Enrolling ? "setup.stage.enrolling"
                                                         : "setup.stage.checking";
    ui.text_wrapped(c.tr(key), c.content_w(), ui.fonts.title, colour::muted);
    if (p.version != f.s.seen) f.emit(setup::Progressed{});
}
}  // namespace

void SetupFeature::draw(ScreenCtx& c) {
    Ui& ui = c.ui;
    ImGui::SetCursorScreenPos(c.content_min);
    ui.text(c.tr(setup_step_title(s.step)), ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    switch (s.step) {
        case Step::Unlock: return draw_unlock(c, *this);
        case Step::Language: return draw_language(c, *this);
        case Step::HeadOffice: return draw_headoffice(c, *this);
        case Step::Printer: return draw_printer(c, *this);
        case Step::Scanner: return draw_scanner(c, *this);
        case Step::Pin: return draw_pin(c, *this);
        case Step::Working: return draw_working(c, *this);
    }
}

}  // namespace kiosk::ui
