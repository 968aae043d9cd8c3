#pragma once
// The script driver with pixels: the same virtual clock and input as the headless driver, drawn
// by OpenGL into a hidden window so `capture` can read the picture back. Only the frame a capture
// takes is drawn: the window is hidden, and Mesa's software renderer spends tens of milliseconds
// on each 1080p frame, most of a tour's time when every frame of every tap was drawn.
#include "kiosk/ui/driver.hpp"
#include "platform/window.hpp"

namespace kiosk::app {

class GlDriver : public ui::Driver {
public:
    GlDriver(ui::KioskApp& app, platform::Window& win, std::time_t wall_start)
        : Driver(app, win.framebuffer_size(), wall_start), m_win(win) {}
    Result<Ok> capture(const std::filesystem::path& png) override;

protected:
    void backend_new_frame() override { m_win.new_frame(); }
    void backend_render() override {}  // drawn in capture(), from the last frame's draw data

private:
    platform::Window& m_win;
};

}  // namespace kiosk::app
