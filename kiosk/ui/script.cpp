#include "kiosk/ui/script.hpp"

#include <charconv>

namespace kiosk::ui {

namespace {
std::string trim(std::string s) {
    size_t b = s.find_first_not_of(" \t\r");
    size_t e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}
}  // namespace

ScriptOutcome run_script(Driver& d, std::istream& in, const std::filesystem::path& base_dir) {
    ScriptOutcome out;
    std::string raw;
    d.frame();
    while (std::getline(in, raw)) {
        ++out.line;
        std::string line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        size_t sp = line.find(' ');
        std::string verb = line.substr(0, sp);
        std::string arg = sp == std::string::npos ? std::string() : trim(line.substr(sp + 1));
        auto fail = [&](std::string why) {
            out.ok = false;
            out.step = line;
            out.reason = std::move(why);
            return out;
        };
        if (arg.empty()) return fail("'" + verb + "' needs an argument");
        if (verb == "tap") {
            if (auto r = d.tap(arg); !r) return fail(r.error().detail);
        } else if (verb == "type") {
            if (auto r = d.type(arg); !r) return fail(r.error().detail);
        } else if (verb == "scan") {
            d.scan(arg);
        } else if (verb == "advance") {
            double s = 0;
            auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), s);
            if (ec != std::errc() || p != arg.data() + arg.size() || s < 0 || s > 86400)
                return fail("advance takes seconds from 0 to 86400, not '" + arg + "'");
            d.advance(s);
        } else if (verb == "expect-screen") {
            Screen want;
            if (!parse_screen(arg, want)) return fail("no screen called '" + arg + "'");
            d.frame();
            if (d.app().screen() != want)
                return fail("expected screen '" + arg + "', showing '" + std::string(screen_name(d.app().screen())) + "'");
        } else if (verb == "expect-text") {
            d.frame();
            if (!d.app().widgets().shows_text(arg))
                return fail("'" + arg + "' is not on screen '" + std::string(screen_name(d.app().screen())) + "'");
        } else if (verb == "expect-no-text") {
            d.frame();
            if (d.app().widgets().shows_text(arg))
                return fail("'" + arg + "' is on screen '" + std::string(screen_name(d.app().screen())) + "'");
        } else if (verb == "capture") {
            std::filesystem::path p = arg;
            if (p.is_relative()) p = base_dir / p;
            if (auto r = d.capture(p); !r) return fail(r.error().detail);
        } else {
            return fail("unknown step '" + verb + "'");
        }
        ++out.steps;
    }
    return out;
}

}  // namespace kiosk::ui
