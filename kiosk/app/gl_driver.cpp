#include "kiosk/app/gl_driver.hpp"

namespace kiosk::app {

Result<Ok> GlDriver::capture(const std::filesystem::path& png) {
    int w, h;
    m_win.render(false);  // the last frame's draw data (ImGui keeps it until the next NewFrame)
    auto px = m_win.read_rgba(w, h);
    m_win.present();
    return platform::write_png(png.string(), px, w, h);
}

}  // namespace kiosk::app
