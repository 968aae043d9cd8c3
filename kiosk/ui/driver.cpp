#include "kiosk/ui/driver.hpp"

#include <cctype>
#include <chrono>
#include <thread>

#include "kiosk/core/text.hpp"

namespace kiosk::ui {

Driver::Driver(KioskApp& app, ImVec2 display, std::time_t wall_start)
    : m_app(app), m_display(display), m_wall_start(wall_start) {}

void Driver::frame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = m_display;
    io.DeltaTime = static_cast<float>(std::max(1e-3, m_now - m_last_frame));
    m_last_frame = m_now;
    backend_new_frame();
    ImGui::NewFrame();
    m_app.frame(m_now, wall_now(), m_display);
    ImGui::Render();
    backend_render();
    m_now += 1.0 / 60;  // a frame takes a sixtieth of a second of virtual time
}

Result<Ok> Driver::tap(std::string_view id) {
    if (auto r = press(id); !r) return r;
    return settle();
}

Result<Ok> Driver::settle(double deadline_s) {
    auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(deadline_s);
    while (m_app.working()) {
        if (std::chrono::steady_clock::now() >= until)
            return Error{"script.busy", "the screen still waits for its work after " + std::to_string(static_cast<int>(deadline_s)) + " s"};
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        frame();
    }
    frame();  // the frame that shows the answer
    return Ok{};
}

Result<Ok> Driver::press(std::string_view id) {
    const WidgetRect* r = m_app.widgets().find(id);
    if (!r) {
        frame();  // the screen may have changed since the last frame
        r = m_app.widgets().find(id);
    }
    if (!r) return Error{"script.no_widget", "no widget '" + std::string(id) + "' on screen '" +
                                                 std::string(screen_name(m_app.screen())) + "'"};
    if (!r->enabled) return Error{"script.disabled", "widget '" + std::string(id) + "' is disabled"};
    ImGuiIO& io = ImGui::GetIO();
    ImVec2 c = r->centre();
    io.MousePos = c;
    frame();
    // That frame may have laid the screen out anew (a session reset between frames turns elder
    // mode off, and elder mode has its own layout): aim again at where the widget is now.
    if (const WidgetRect* now = m_app.widgets().find(id); now && (now->centre().x != c.x || now->centre().y != c.y)) {
        io.MousePos = now->centre();
        frame();
    }
    io.MouseDown[0] = true;
    m_app.on_touch(m_now);
    frame();
    io.MouseDown[0] = false;
    frame();
    frame();  // the frame that shows what the tap did
    io.MousePos = {-FLT_MAX, -FLT_MAX};
    return Ok{};
}

Result<Ok> Driver::drag(std::string_view id, const std::vector<ImVec2>& path) {
    const WidgetRect* r = m_app.widgets().find(id);
    if (!r) {
        frame();
        r = m_app.widgets().find(id);
    }
    if (!r) return Error{"script.no_widget", "no widget '" + std::string(id) + "' on screen '" +
                                                 std::string(screen_name(m_app.screen())) + "'"};
    if (path.empty()) return Error{"script.no_path", "a drag needs at least one point"};
    WidgetRect w = *r;  // the registry is rebuilt every frame
    auto at = [&](ImVec2 f) { return ImVec2{w.min.x + f.x * (w.max.x - w.min.x), w.min.y + f.y * (w.max.y - w.min.y)}; };
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at(path.front());
    frame();
    io.MouseDown[0] = true;
    m_app.on_touch(m_now);
    frame();
    for (size_t i = 1; i < path.size(); ++i) {
        io.MousePos = at(path[i]);
        m_app.on_touch(m_now);
        frame();
    }
    io.MouseDown[0] = false;
    frame();
    frame();
    io.MousePos = {-FLT_MAX, -FLT_MAX};
    return Ok{};
}

Result<Ok> Driver::type(std::string_view text) {
    for (char32_t cp : utf8_decode(text)) {
        std::string key;
        if (cp == U' ') key = "keyboard.space";
        else if (cp == U'-') key = "keypad.dash";
        else if (cp >= U'0' && cp <= U'9') {
            std::string d(1, static_cast<char>(cp));
            key = m_app.widgets().find("keypad." + d) ? "keypad." + d : "keyboard." + d;
        } else if (cp < 0x80 && std::isalpha(static_cast<int>(cp))) {
            key = std::string("keyboard.") + static_cast<char>(std::toupper(static_cast<int>(cp)));
        } else {
            return Error{"script.no_key", "no on-screen key for '" + utf8_encode(cp) + "'"};
        }
        if (auto r = tap(key); !r) return r;
    }
    return Ok{};
}

void Driver::keyboard(std::string_view text) {
    for (char32_t cp : utf8_decode(text)) {
        m_app.on_char(utf8_encode(cp), m_now);
        advance(0.25);
    }
}

void Driver::scan(std::string_view text) {
    for (char32_t cp : utf8_decode(text)) {
        m_app.on_char(utf8_encode(cp), m_now);
        m_now += 0.004;  // a scanner types a character every few ms
    }
    m_app.on_enter(m_now);
    frame();
    frame();
}

void Driver::advance(double seconds) {
    frame();  // time passes from what is on screen now, so the app's timers count from here
    double end = m_now + seconds;
    while (m_now < end) {
        double wake = m_app.next_wake_in(m_now);
        double step = wake < 0 ? end - m_now : std::min(end - m_now, std::max(wake, 1.0 / 60));
        m_now += step;
        frame();
    }
}

Result<Ok> Driver::capture(const std::filesystem::path&) {
    return Error{"script.no_gpu", "capture needs a display: run under xvfb-run, or without --headless"};
}

HeadlessImGui::HeadlessImGui() {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = {1920, 1080};
    apply_style(ImGui::GetStyle());
}

HeadlessImGui::~HeadlessImGui() { ImGui::DestroyContext(); }

void HeadlessImGui::finish_atlas() {
    unsigned char* px;
    int w, h;
    ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&px, &w, &h);
    ImGui::GetIO().Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
}

}  // namespace kiosk::ui
