#pragma once
// The kiosk's window: GLFW + OpenGL 3 + Dear ImGui's GLFW/GL3 backends, behind one header.
// Headless runs (tests, scripts without pixels) use no Window at all.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "kiosk/core/result.hpp"

namespace kiosk::platform {

struct WindowOptions {
    int width = 1920;
    int height = 1080;
    bool fullscreen = false;  // kiosk mode: the primary monitor, its own resolution
    bool visible = true;      // false for --capture
    bool input = true;        // false: input comes from a script, not GLFW
    std::string title = "lobby-kiosk";
};

// A plain sentence when there is no display to open a window on (no DISPLAY / WAYLAND_DISPLAY).
std::optional<std::string> display_problem();

struct InputSink {
    std::function<void()> on_pointer;                  // press or release of a finger / mouse
    std::function<void(const std::string&)> on_char;   // a character (keyboard or scanner)
    std::function<void()> on_enter;
    std::function<void()> on_any;                      // anything that may change the picture
};

class Window {
public:
    static Result<std::unique_ptr<Window>> open(const WindowOptions& opts, InputSink sink);
    ~Window();

    ImVec2 framebuffer_size() const;
    bool should_close() const;
    // Sleeps until input or `timeout_s` (negative: until input). Returns whether input came.
    bool wait_events(double timeout_s);
    // Sets up ImGui's backends; the caller has created the ImGui context and adds fonts after.
    void init_imgui();
    // Uploads the font atlas as a one-channel texture (a quarter of the RGBA one's memory).
    void upload_font_atlas();
    // ... or a texture of w x h whose pixels `fill` writes, `n` rows from row `y` at a time (an
    // atlas kept packed: never its whole plain copy beside the driver's). The atlas' pixels are
    // not read.
    void upload_font_atlas(int w, int h, const std::function<void(unsigned char* rows, int y, int n)>& fill);
    // Deletes the font texture (the driver's storage goes with it): nothing may be drawn until
    // another atlas is uploaded.
    void release_font_texture();
    void new_frame();
    // Draws ImGui's draw data; `present` swaps buffers (false: keep the picture to read back).
    void render(bool present = true);
    // The picture just rendered, RGBA, top row first.
    std::vector<unsigned char> read_rgba(int& w, int& h) const;
    void present();
    void shutdown_imgui();

    struct Impl;

private:
    Window() = default;
    std::unique_ptr<Impl> m;
};

// Wakes a wait_events() from another thread.
void wake_event_loop();
// Whether wake_event_loop() was called since the last call of this (and forgets it): tells a
// wake-up someone asked for from a timeout of wait_events().
bool take_wake();

// Files the kiosk reads at start or writes on request (never from drawing code).
struct FontFile {
    std::string path;
    int face_index = 0;
    std::string package;   // the Debian package that ships it
};
// Looks for a CJK font from the list in <assets>/fonts.txt; the error names the package to install.
Result<FontFile> find_cjk_font(const std::string& assets_dir);
// The build's subset of that font (issue #14 item 9): <dir>/kiosk-cjk.ttf, with <dir>/kiosk-typing.txt
// naming the characters residents can type. Both or nothing: nullopt when either is missing.
struct FontSubset {
    FontFile font;
    std::string typing_path;
};
std::optional<FontSubset> find_font_subset(const std::string& dir);
// Where the build puts the subset: fonts/ beside the running program; when it is not there, the
// installed package's (KIOSK_INSTALLED_DATA_DIR/fonts, i.e. /usr/share/lobby-kiosk/fonts).
std::string default_font_subset_dir();
// The assets folder: the source tree's (compiled in) while it exists, as a developer's build runs;
// else the installed package's KIOSK_INSTALLED_DATA_DIR. Without either, the source tree's path,
// so the error names where it looked first.
std::string default_assets_dir(const std::string& source_tree);
Result<std::vector<unsigned char>> read_file(const std::string& path);
Result<Ok> write_png(const std::string& path, const std::vector<unsigned char>& rgba, int w, int h);

}  // namespace kiosk::platform
