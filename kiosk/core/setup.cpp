#include "kiosk/core/setup.hpp"

#include <cstdio>
#include <unistd.h>

#include "kiosk/core/private_file.hpp"

namespace kiosk {

namespace {
bool printable_field(std::string_view v, size_t max) {
    if (v.empty() || v.size() > max) return false;
    for (unsigned char ch : v)
        if (ch <= ' ' || ch == 0x7f || ch == '|') return false;
    return true;
}

std::string toml_string(std::string_view v) {
    std::string out = "\"";
    for (char ch : v) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "\"";
}
}  // namespace

bool setup_url_ok(std::string_view url) {
    size_t host = url.rfind("http://", 0) == 0 ? 7 : url.rfind("https://", 0) == 0 ? 8 : 0;
    if (host == 0 || host >= url.size() || url[host] == '/' || url[host] == ':') return false;
    return printable_field(url, 512);
}

bool setup_id_ok(std::string_view id) { return printable_field(id, 128) && id.find('-') == std::string_view::npos; }

bool setup_printer_ok(std::string_view t) {
    if (t.empty()) return true;
    if (!printable_field(t, 256)) return false;
    if (t.rfind("tcp://", 0) == 0) {
        auto colon = t.rfind(':');
        if (colon <= 6 || colon + 1 >= t.size() || t.size() - colon > 6) return false;
        for (size_t i = colon + 1; i < t.size(); ++i)
            if (t[i] < '0' || t[i] > '9') return false;
        return true;
    }
    return t.rfind("dev:/", 0) == 0 && t.size() > 5;
}

SetupPrinterChoice setup_printer_choice(std::string_view t) {
    if (!setup_printer_ok(t) || t.empty()) return {};
    if (t.rfind("tcp://", 0) == 0) return {1, std::string(t.substr(6))};
    return {2, std::string(t.substr(4))};
}

std::optional<std::string> setup_code_text(const SetupCode& c) {
    if (!setup_url_ok(c.url) || !setup_id_ok(c.site) || !setup_id_ok(c.kiosk) || !printable_field(c.enrol_code, 128))
        return std::nullopt;
    return std::string(kSetupCodePrefix) + c.url + "|" + c.site + "|" + c.kiosk + "|" + c.enrol_code;
}

std::optional<SetupCode> parse_setup_code(std::string_view text) {
    if (text.size() > kMaxSetupCodeBytes || text.rfind(kSetupCodePrefix, 0) != 0) return std::nullopt;
    text.remove_prefix(kSetupCodePrefix.size());
    std::string_view parts[4];
    for (int i = 0; i < 4; ++i) {
        auto bar = text.find('|');
        if ((i < 3) != (bar != std::string_view::npos)) return std::nullopt;
        parts[i] = text.substr(0, bar);
        text = i < 3 ? text.substr(bar + 1) : std::string_view{};
    }
    SetupCode c{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
    if (!setup_code_text(c)) return std::nullopt;
    return c;
}

std::string setup_file_text(const SetupAnswers& a) {
    std::string t = "# Written by the kiosk's on-screen setup. Read after /etc/lobby-kiosk/kiosk.toml:\n"
                    "# flags > this file > kiosk.toml. Redo setup from the staff desk rather than edit it.\n";
    t += "language = " + toml_string(lang_code(a.lang)) + "\n";
    t += "site_id = " + toml_string(a.site) + "\n";
    t += "kiosk_id = " + toml_string(a.kiosk) + "\n";
    if (!a.staff_pin_hash.empty()) t += "staff_pin_hash = " + toml_string(a.staff_pin_hash) + "\n";
    t += "\n[headoffice]\nurl = " + toml_string(a.url) + "\n";
    if (!a.printer.empty())
        t += "\n[printer]\ntarget = " + toml_string(a.printer) + "\npaper_mm = " + std::to_string(a.paper_mm == 58 ? 58 : 80) + "\n";
    return t;
}

std::string write_setup_file(const std::filesystem::path& dir, const SetupAnswers& a) {
    std::filesystem::path final_path = dir / kSetupFileName;
    std::filesystem::path tmp = dir / (std::string(kSetupFileName) + ".new");
    ::unlink(tmp.c_str());
    if (auto failed = write_new_private_file(tmp, setup_file_text(a)); !failed.empty()) return failed;
    if (std::rename(tmp.c_str(), final_path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return "cannot rename " + tmp.string() + " to " + final_path.string();
    }
    return {};
}

}  // namespace kiosk
