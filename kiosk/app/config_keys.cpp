// lobby-kiosk's configuration keys: which key of kiosk.toml (--config) and of on-screen setup's
// setup.toml sets which option, and what each value must be.
#include <cstring>
#include <filesystem>

#include "kiosk/app/options.hpp"
#include "kiosk/core/i18n.hpp"
#include "kiosk/core/setup.hpp"
#include "platform/config_file.hpp"

namespace kiosk::app {

namespace {
std::optional<std::string> printer_target(const std::string& v) {
    for (const char* p : {"tcp://", "dev:/", "file:/", "png:/"})
        if (v.rfind(p, 0) == 0 && v.size() > std::strlen(p)) return std::nullopt;
    return "tcp://HOST:PORT, dev:/dev/…, file:/ABSOLUTE/PATH or png:/ABSOLUTE/DIR";
}

std::optional<std::string> language_code(const std::string& v) {
    Lang l;
    if (parse_lang(v, l)) return std::nullopt;
    return "zh-CN, en or zh-TW";
}
}  // namespace

std::optional<std::string> read_config_file(const std::string& file, Options& o) {
    std::vector<config::Key> keys{
        {"data", &o.data_dir, config::absolute_path},
        {"assets", &o.assets_dir, config::absolute_path},
        {"font_dir", &o.font_dir, config::absolute_path},
        {"site_file", &o.site_file, config::absolute_path},
        {"site_id", &o.site_id, config::identifier},
        {"kiosk_id", &o.kiosk_id, config::identifier},
        {"building", &o.building, config::identifier},
        {"fullscreen", &o.fullscreen},
        {"width", &o.width, 640, 7680},
        {"printer.target", &o.printer, printer_target},
        {"printer.paper_mm", &o.paper_mm, 0, -1, {58, 80}},
        {"headoffice.url", &o.headoffice, config::http_url},
        {"headoffice.ca", &o.headoffice_ca, config::absolute_path},
        {"headoffice.enrol_code", &o.enrol_code},
        {"language", &o.language, language_code},
    };
    return config::load(file, keys);
}

std::optional<std::string> read_setup_file(Options& o, const std::function<bool(const char*)>& flag_given) {
    auto setup_file = std::filesystem::path(o.data_dir) / std::string(kSetupFileName);
    if (!std::filesystem::exists(setup_file)) return std::nullopt;
    Options from;
    from.printer.clear();
    from.paper_mm = 0;
    from.site_id.clear();
    from.kiosk_id.clear();
    std::vector<config::Key> keys{
        {"language", &from.language, language_code},
        {"site_id", &from.site_id, config::identifier},
        {"kiosk_id", &from.kiosk_id, config::identifier},
        {"staff_pin_hash", &from.staff_pin_hash},
        {"printer.target", &from.printer, printer_target},
        {"printer.paper_mm", &from.paper_mm, 0, -1, {58, 80}},
        {"headoffice.url", &from.headoffice, config::http_url},
    };
    if (auto e = config::load(setup_file.string(), keys)) return e;
    auto take = [&](const char* flag, std::string& to, const std::string& v) {
        if (!v.empty() && !flag_given(flag)) to = v;
    };
    take("--language", o.language, from.language);
    take("--site-id", o.site_id, from.site_id);
    take("--kiosk-id", o.kiosk_id, from.kiosk_id);
    take("--printer", o.printer, from.printer);
    take("--headoffice", o.headoffice, from.headoffice);
    if (from.paper_mm && !flag_given("--paper")) o.paper_mm = from.paper_mm;
    o.staff_pin_hash = from.staff_pin_hash;
    return std::nullopt;
}

}  // namespace kiosk::app
