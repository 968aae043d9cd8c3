#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GL/glext.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include "kiosk/core/text.hpp"
#include "platform/window.hpp"

namespace kiosk::platform {

namespace {
// Other threads (the print queue, sync) wake the loop only while a window is up.
std::mutex g_wake_mu;
bool g_window_up = false;
}  // namespace

struct Window::Impl {
    GLFWwindow* win = nullptr;
    InputSink sink;
    WindowOptions opts;
    bool had_input = false;
    bool imgui = false;
    GLuint font_tex = 0;
};

std::optional<std::string> display_problem() {
    const char* x = std::getenv("DISPLAY");
    const char* w = std::getenv("WAYLAND_DISPLAY");
    if ((x && *x) || (w && *w)) return std::nullopt;
    return "There is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the kiosk cannot open "
           "its window.";
}

namespace {
Window::Impl* impl_of(GLFWwindow* w) { return static_cast<Window::Impl*>(glfwGetWindowUserPointer(w)); }

void on_mouse_button(GLFWwindow* w, int, int, int) {
    auto* m = impl_of(w);
    m->had_input = true;
    if (m->sink.on_pointer) m->sink.on_pointer();
}
void on_cursor(GLFWwindow* w, double, double) { impl_of(w)->had_input = true; }
void on_scroll(GLFWwindow* w, double, double) {
    auto* m = impl_of(w);
    m->had_input = true;
    if (m->sink.on_pointer) m->sink.on_pointer();
}
void on_char(GLFWwindow* w, unsigned int cp) {
    auto* m = impl_of(w);
    m->had_input = true;
    std::string s = utf8_encode(static_cast<char32_t>(cp));
    if (!s.empty() && m->sink.on_char) m->sink.on_char(s);
}
void on_key(GLFWwindow* w, int key, int, int action, int) {
    auto* m = impl_of(w);
    m->had_input = true;
    if (action == GLFW_PRESS && (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) && m->sink.on_enter)
        m->sink.on_enter();
}
void on_refresh(GLFWwindow* w) { impl_of(w)->had_input = true; }
void on_size(GLFWwindow* w, int, int) { impl_of(w)->had_input = true; }
}  // namespace

Result<std::unique_ptr<Window>> Window::open(const WindowOptions& opts, InputSink sink) {
    if (auto p = display_problem()) return Error{"error.no_display", *p};
    static std::string last_glfw_error;  // GLFW's own words for why it could not start
    glfwSetErrorCallback([](int, const char* what) { last_glfw_error = what ? what : ""; });
    if (!glfwInit())
        return Error{"error.no_display", "GLFW could not start (is the X server reachable?): " + last_glfw_error};
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_VISIBLE, opts.visible ? GLFW_TRUE : GLFW_FALSE);
    // ImGui draws with neither a depth nor a stencil test: no buffers for them (with a software
    // renderer each is another 8 MB of RAM at 1080p).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWmonitor* monitor = nullptr;
    int w = opts.width, h = opts.height;
    if (opts.fullscreen) {
        monitor = glfwGetPrimaryMonitor();
        if (const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr) {
            w = mode->width;
            h = mode->height;
            glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
        }
    }
    // EGL rather than GLX: on Mesa's llvmpipe under Xvfb it makes the same context with ~35 ms
    // less CPU (GLX's libGLX_mesa walks every framebuffer config). Where EGL is missing (libegl1
    // is only suggested by libglfw3), GLX as before.
    glfwWindowHint(GLFW_CONTEXT_CREATION_API, GLFW_EGL_CONTEXT_API);
    GLFWwindow* win = glfwCreateWindow(w, h, opts.title.c_str(), monitor, nullptr);
    if (!win) {
        glfwWindowHint(GLFW_CONTEXT_CREATION_API, GLFW_NATIVE_CONTEXT_API);
        win = glfwCreateWindow(w, h, opts.title.c_str(), monitor, nullptr);
    }
    if (!win) {
        glfwTerminate();
        return Error{"error.no_display", "GLFW could not create an OpenGL 3.3 window (is Mesa installed?)"};
    }
    std::unique_ptr<Window> out(new Window());
    out->m = std::make_unique<Impl>();
    out->m->win = win;
    out->m->sink = std::move(sink);
    out->m->opts = opts;
    glfwSetWindowUserPointer(win, out->m.get());
    glfwMakeContextCurrent(win);
    glfwSwapInterval(1);
    if (opts.input) {
        if (opts.fullscreen) glfwSetInputMode(win, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);  // a touchscreen
        glfwSetMouseButtonCallback(win, on_mouse_button);
        glfwSetCursorPosCallback(win, on_cursor);
        glfwSetScrollCallback(win, on_scroll);
        glfwSetCharCallback(win, on_char);
        glfwSetKeyCallback(win, on_key);
    }
    glfwSetWindowRefreshCallback(win, on_refresh);
    glfwSetFramebufferSizeCallback(win, on_size);
    std::lock_guard lock(g_wake_mu);
    g_window_up = true;
    return out;
}

std::atomic<bool> g_woken{false};

void wake_event_loop() {
    std::lock_guard lock(g_wake_mu);
    g_woken = true;
    if (g_window_up) glfwPostEmptyEvent();
}

bool take_wake() { return g_woken.exchange(false); }

Window::~Window() {
    if (!m) return;
    shutdown_imgui();
    {
        std::lock_guard lock(g_wake_mu);
        g_window_up = false;
    }
    glfwDestroyWindow(m->win);
    glfwTerminate();
}

void Window::shutdown_imgui() {
    if (!m->imgui) return;
    ImGui_ImplOpenGL3_Shutdown();
    if (m->opts.input) ImGui_ImplGlfw_Shutdown();
    if (m->font_tex) glDeleteTextures(1, &m->font_tex);
    m->font_tex = 0;
    m->imgui = false;
}

ImVec2 Window::framebuffer_size() const {
    int w, h;
    glfwGetFramebufferSize(m->win, &w, &h);
    return {static_cast<float>(w), static_cast<float>(h)};
}

bool Window::should_close() const { return glfwWindowShouldClose(m->win); }

bool Window::wait_events(double timeout_s) {
    m->had_input = false;
    if (timeout_s < 0) glfwWaitEvents();
    else if (timeout_s == 0) glfwPollEvents();
    else glfwWaitEventsTimeout(timeout_s);
    return m->had_input;
}

void Window::init_imgui() {
    // GLFW's ImGui backend chains to the callbacks installed above.
    if (m->opts.input) ImGui_ImplGlfw_InitForOpenGL(m->win, true);
    ImGui_ImplOpenGL3_Init("#version 130");
    // The backend makes its shaders and an RGBA font texture on its first frame; when the atlas'
    // pixels have been freed by then, it rebuilds the whole atlas and uploads four times the memory
    // of ours. Let it make them now, from an empty atlas, and drop its texture.
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui::GetIO().Fonts->Clear();
    m->imgui = true;
}

namespace {
// A new one-channel texture of w x h, bound; `px` null: filled later (glTexSubImage2D).
GLuint new_alpha_texture(int w, int h, const unsigned char* px) {
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, px);
    // The GL3 backend's shader multiplies by the texture's RGBA: read one channel as (1,1,1,a).
    const GLint swizzle[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    return tex;
}
}  // namespace

void Window::upload_font_atlas() {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* px;
    int w, h;
    io.Fonts->GetTexDataAsAlpha8(&px, &w, &h);
    if (m->font_tex) glDeleteTextures(1, &m->font_tex);
    m->font_tex = new_alpha_texture(w, h, px);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(m->font_tex)));
    io.Fonts->ClearTexData();  // the GPU has it now
}

void Window::upload_font_atlas(int w, int h, const std::function<void(unsigned char* rows, int y, int n)>& fill) {
    ImGuiIO& io = ImGui::GetIO();
    if (m->font_tex) glDeleteTextures(1, &m->font_tex);  // before the new one is made: not both at once
    m->font_tex = new_alpha_texture(w, h, nullptr);
    const int band = std::max(1, (256 * 1024) / std::max(w, 1));
    std::vector<unsigned char> rows(static_cast<size_t>(band) * w);
    for (int y = 0; y < h; y += band) {
        int n = std::min(band, h - y);
        fill(rows.data(), y, n);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, y, w, n, GL_RED, GL_UNSIGNED_BYTE, rows.data());
    }
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(m->font_tex)));
}

void Window::release_font_texture() {
    if (!m->font_tex) return;
    glDeleteTextures(1, &m->font_tex);
    m->font_tex = 0;
    // Mesa frees a deleted texture's storage only when no bound sampler view holds it, i.e. after
    // the next draw samples another texture: one empty triangle from a 1 x 1 texture, now (into
    // the back buffer, which the next frame clears), so the 2.5 MB go before the full atlas comes.
    static const unsigned char kClear = 0;
    GLuint one = new_alpha_texture(1, 1, &kClear);
    ImDrawList list(ImGui::GetDrawListSharedData());
    list._ResetForNewFrame();
    list.PushClipRect({0, 0}, {1, 1});
    list.PushTextureID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(one)));
    list.PrimReserve(6, 4);
    list.PrimRect({0, 0}, {0, 0}, 0);
    ImDrawList* lists[] = {&list};
    ImDrawData data;
    data.Valid = true;
    data.CmdLists = lists;
    data.CmdListsCount = 1;
    data.TotalVtxCount = list.VtxBuffer.Size;
    data.TotalIdxCount = list.IdxBuffer.Size;
    data.DisplayPos = {0, 0};
    data.DisplaySize = framebuffer_size();
    data.FramebufferScale = {1, 1};
    ImGui_ImplOpenGL3_RenderDrawData(&data);
    glFinish();
    glDeleteTextures(1, &one);
}

void Window::new_frame() {
    ImGui_ImplOpenGL3_NewFrame();
    if (m->opts.input) ImGui_ImplGlfw_NewFrame();
}

void Window::render(bool present_now) {
    ImVec2 fb = framebuffer_size();
    glViewport(0, 0, static_cast<int>(fb.x), static_cast<int>(fb.y));
    glClearColor(0.965f, 0.953f, 0.925f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (present_now) present();
}

void Window::present() { glfwSwapBuffers(m->win); }

std::vector<unsigned char> Window::read_rgba(int& w, int& h) const {
    ImVec2 fb = framebuffer_size();
    w = static_cast<int>(fb.x);
    h = static_cast<int>(fb.y);
    std::vector<unsigned char> px(static_cast<size_t>(w) * h * 4);
    glFinish();
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    // GL's rows run bottom-up; PNG's top-down.
    std::vector<unsigned char> flipped(px.size());
    size_t row = static_cast<size_t>(w) * 4;
    for (int y = 0; y < h; ++y) std::copy_n(&px[static_cast<size_t>(h - 1 - y) * row], row, &flipped[y * row]);
    return flipped;
}

}  // namespace kiosk::platform
