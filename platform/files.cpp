#include <filesystem>
#include <fstream>
#include <sstream>

#include <stb_image_write.h>

#include "platform/window.hpp"

namespace kiosk::platform {

Result<FontFile> find_cjk_font(const std::string& assets_dir) {
    std::ifstream list(assets_dir + "/fonts.txt");
    if (!list) return Error{"error.font_missing", "cannot read " + assets_dir + "/fonts.txt"};
    std::string line, packages;
    while (std::getline(list, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        FontFile f;
        in >> f.path >> f.face_index >> f.package;
        if (f.path.empty()) continue;
        if (std::filesystem::exists(f.path)) return f;
        packages += packages.empty() ? f.package : " or " + f.package;
    }
    return Error{"error.font_missing", "No Chinese font found. Install one: apt-get install " + packages};
}

std::optional<FontSubset> find_font_subset(const std::string& dir) {
    FontSubset s;
    s.font.path = dir + "/kiosk-cjk.ttf";
    s.font.face_index = 0;
    s.font.package = "the kiosk's build (fonts/kiosk-cjk.ttf)";
    s.typing_path = dir + "/kiosk-typing.txt";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(s.font.path, ec) || !std::filesystem::is_regular_file(s.typing_path, ec))
        return std::nullopt;
    return s;
}

std::string default_font_subset_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    std::string beside = ec ? std::string("fonts") : (exe.parent_path() / "fonts").string();
    if (find_font_subset(beside)) return beside;
    // An installed package keeps the subset with its other assets (/usr/share/lobby-kiosk/fonts).
    std::string installed = std::string(KIOSK_INSTALLED_DATA_DIR) + "/fonts";
    return find_font_subset(installed) ? installed : beside;
}

std::string default_assets_dir(const std::string& source_tree) {
    std::error_code ec;
    if (std::filesystem::is_directory(source_tree + "/i18n", ec)) return source_tree;
    std::string installed = KIOSK_INSTALLED_DATA_DIR;
    return std::filesystem::is_directory(installed + "/i18n", ec) ? installed : source_tree;
}

Result<std::vector<unsigned char>> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"error.file_read", "cannot open " + path};
    std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return data;
}

Result<Ok> write_png(const std::string& path, const std::vector<unsigned char>& rgba, int w, int h) {
    std::filesystem::path p(path);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    if (!stbi_write_png(path.c_str(), w, h, 4, rgba.data(), w * 4))
        return Error{"error.file_write", "cannot write " + path};
    return Ok{};
}

}  // namespace kiosk::platform
