#pragma once
// Drives the app frame by frame on a virtual clock and feeds it input the way a person (taps,
// the on-screen keyboard) or a barcode scanner would. The base class needs no GPU: tests and
// `--script` run on it; the GL driver in kiosk/app adds pixels for `capture`.
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.hpp"
#include "kiosk/ui/app.hpp"

namespace kiosk::ui {

class Driver {
public:
    Driver(KioskApp& app, ImVec2 display, std::time_t wall_start);
    virtual ~Driver() = default;

    // One frame at the current virtual time.
    void frame();
    // Taps the centre of widget `id` on the current screen (press, hold a frame, release), then
    // waits, as a person watching the screen would, for work the tap started off the UI thread
    // (a PIN check) to answer (settle).
    Result<Ok> tap(std::string_view id);
    // The same tap without waiting: the frames right after it show what the screen does meanwhile.
    Result<Ok> press(std::string_view id);
    // Frames until the app has no work running off the UI thread; an error after `deadline_s`
    // of real time (a worker that never answers).
    Result<Ok> settle(double deadline_s = 20);
    // A finger pressed on widget `id` and drawn through `path` (0–1 across and down the widget),
    // a frame per point, then lifted: a signature, a drag.
    Result<Ok> drag(std::string_view id, const std::vector<ImVec2>& path);
    // Types text through the on-screen keyboard or keypad showing, key by key.
    Result<Ok> type(std::string_view text);
    // A physical keyboard: the characters a person's pace apart (slower than any scanner), each
    // through the window's own path (one code point as UTF-8 to KioskApp::on_char).
    void keyboard(std::string_view text);
    // A barcode scanner: the characters a few ms apart, then Enter.
    void scan(std::string_view text);
    // Lets `seconds` pass with no input, waking when the app would (its timers fire).
    void advance(double seconds);
    // Writes the current screen as a PNG (needs a GPU driver).
    virtual Result<Ok> capture(const std::filesystem::path& png);

    KioskApp& app() { return m_app; }
    double now() const { return m_now; }
    std::time_t wall_now() const { return m_wall_start + static_cast<std::time_t>(m_now - kOrigin); }

protected:
    virtual void backend_new_frame() {}
    virtual void backend_render() {}

    KioskApp& m_app;
    ImVec2 m_display;
    std::time_t m_wall_start;
    static constexpr double kOrigin = 1000.0;  // monotonic seconds; any origin
    double m_now = kOrigin;
    double m_last_frame = kOrigin;
};

// Creates a headless ImGui context with the font atlas built (no GL); destroys it on exit.
class HeadlessImGui {
public:
    HeadlessImGui();
    ~HeadlessImGui();
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;
    // Builds the atlas pixels as a renderer would (needed before the first frame).
    void finish_atlas();
};

}  // namespace kiosk::ui
