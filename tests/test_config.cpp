// The configuration files (issue #15 item 2): what a good file sets, and each kind of bad file
// refused with its file, line and key named, nothing set.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "platform/config_file.hpp"
#include "platform/service_notify.hpp"

using namespace kiosk;

namespace {
struct Dir {
    Dir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("config-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~Dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        auto p = path / name;
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
    std::filesystem::path path;
};

// The kiosk's keys, as lobby-kiosk lists them.
struct KioskSettings {
    std::string data = "kiosk-data", site_id = "SG01", url, printer;
    int paper = 80, width = 1920;
    bool fullscreen = false;
    double retry = 30;
    std::vector<config::Key> keys() {
        return {{"data", &data, config::absolute_path},
                {"site_id", &site_id, config::identifier},
                {"fullscreen", &fullscreen},
                {"width", &width, 640, 7680},
                {"headoffice.url", &url, config::http_url},
                {"printer.target", &printer},
                {"printer.paper_mm", &paper, 0, -1, {58, 80}},
                {"retry_s", &retry, 0.01, 3600}};
    }
};
}  // namespace

TEST_CASE("a good configuration file sets every key it has and leaves the others at their defaults", "[config]") {
    Dir d;
    auto file = d.write("kiosk.toml", "# a comment\n"
                                      "data = \"/var/lib/lobby-kiosk\"\n"
                                      "fullscreen = true\n"
                                      "retry_s = 5\n"
                                      "[headoffice]\n"
                                      "url = \"https://ho.example:8700\"\n"
                                      "[printer]\n"
                                      "paper_mm = 58\n");
    KioskSettings s;
    auto e = config::load(file, s.keys());
    INFO(e.value_or(""));
    REQUIRE_FALSE(e);
    CHECK(s.data == "/var/lib/lobby-kiosk");
    CHECK(s.fullscreen);
    CHECK(s.retry == 5.0);
    CHECK(s.url == "https://ho.example:8700");
    CHECK(s.paper == 58);
    CHECK(s.site_id == "SG01");  // not in the file: the default stands
    CHECK(s.width == 1920);
}

TEST_CASE("each kind of bad configuration file is refused naming the file, the line and the key, and nothing is set", "[config]") {
    Dir d;
    struct Bad {
        std::string text, expect;
    };
    const std::vector<Bad> bad{
        {"data = \"/ok\"\ncolour = \"blue\"\n", "kiosk.toml:2: key 'colour': unknown key"},
        {"data = \"/ok\"\n[headoffice]\nurl = \"https://x\"\nsecret = \"abc\"\n", "kiosk.toml:4: key 'headoffice.secret': unknown key"},
        {"[weather]\nrain = 1\n", "key 'weather': unknown table"},
        {"fullscreen = \"yes\"\n", "kiosk.toml:1: key 'fullscreen': wants true or false, not text"},
        {"\n\nwidth = 1920.5\n", "kiosk.toml:3: key 'width': wants an integer, not a number"},
        {"width = 99999\n", "kiosk.toml:1: key 'width': is from 640 to 7680, not 99999"},
        {"[printer]\npaper_mm = 70\n", "kiosk.toml:2: key 'printer.paper_mm': is 58 or 80, not 70"},
        {"[headoffice]\nurl = \"ftp://ho.example\"\n", "kiosk.toml:2: key 'headoffice.url': wants an http:// or https:// URL"},
        {"data = \"kiosk-data\"\n", "kiosk.toml:1: key 'data': wants an absolute path"},
        {"data = [\"/a\"]\n", "kiosk.toml:1: key 'data': wants text in quotes, not an array"},
        {"site_id = \"\"\n", "kiosk.toml:1: key 'site_id': wants 1 to 128 bytes"},
        {"site_id = \"SG\\u000101\"\n", "kiosk.toml:1: key 'site_id': holds a control character"},
        {"retry_s = 0\n", "kiosk.toml:1: key 'retry_s': is from"},
        {"data = \"/ok\"\nfullscreen = \n", "kiosk.toml:2: not TOML"},
        {"data = \"/a\"\ndata = \"/b\"\n", "kiosk.toml:2: not TOML"},
    };
    for (auto& b : bad) {
        auto file = d.write("kiosk.toml", b.text);
        KioskSettings s;
        auto e = config::load(file, s.keys());
        INFO(b.text);
        REQUIRE(e);
        CHECK_THAT(*e, Catch::Contains(b.expect));
        CHECK_THAT(*e, Catch::StartsWith(file));
        CHECK(s.data == "kiosk-data");  // nothing set, not even the good keys before the bad one
        CHECK_FALSE(s.fullscreen);
    }
}

TEST_CASE("a configuration file over 64 KB, a folder or a missing file is refused before parsing", "[config]") {
    Dir d;
    KioskSettings s;
    std::string big = "data = \"/ok\"\n" + std::string(config::kMaxConfigBytes, '#');
    auto e = config::load(d.write("big.toml", big), s.keys());
    REQUIRE(e);
    CHECK_THAT(*e, Catch::Contains("big.toml: longer than 65536 bytes"));
    CHECK(s.data == "kiosk-data");
    e = config::load(d.path.string(), s.keys());
    REQUIRE(e);
    CHECK_THAT(*e, Catch::Contains("not a regular file"));
    e = config::load((d.path / "absent.toml").string(), s.keys());
    REQUIRE(e);
    CHECK_THAT(*e, Catch::Contains("absent.toml: cannot read"));
}

TEST_CASE("the configuration file named on a command line is found whether its flag and path are one argument or two", "[config]") {
    const char* a[] = {"lobby-kiosk", "--data", "x", "--config", "/etc/k.toml"};
    CHECK(config::config_path_in(5, a) == "/etc/k.toml");
    const char* b[] = {"lobby-headoffice", "serve", "--config=/etc/h.toml", "--db", "y"};
    CHECK(config::config_path_in(5, b) == "/etc/h.toml");
    const char* c[] = {"lobby-kiosk", "--data", "x"};
    CHECK(config::config_path_in(3, c).empty());
}

TEST_CASE("the listen address and URL checks", "[config]") {
    CHECK_FALSE(config::listen_address("127.0.0.1:8700"));
    CHECK_FALSE(config::listen_address("0.0.0.0:0"));
    CHECK(config::listen_address("127.0.0.1:65536"));
    CHECK(config::listen_address("127.0.0.1:"));
    CHECK(config::listen_address("8700"));
    CHECK(config::listen_address("host:87a0"));
    CHECK_FALSE(config::http_url("http://10.0.0.5:8700"));
    CHECK(config::http_url("https://"));
    CHECK(config::http_url("file:///etc/passwd"));
}

// The kiosk runs as cage's child: systemd's WATCHDOG_PID names cage, and the kiosk must still ping
// (lobby-kiosk.service was killed every WatchdogSec when it did not; packaging/appliance-test.sh).
TEST_CASE("the watchdog interval is half of WATCHDOG_USEC when WATCHDOG_PID is this process or its parent, else none",
          "[appliance][notify]") {
    struct Restore {
        ~Restore() {
            unsetenv("WATCHDOG_USEC");
            unsetenv("WATCHDOG_PID");
        }
    } restore;
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    CHECK(service::watchdog_ping_interval_s() == 0);
    setenv("WATCHDOG_USEC", "10000000", 1);
    CHECK(service::watchdog_ping_interval_s() == Approx(5.0));  // no WATCHDOG_PID: ours
    setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
    CHECK(service::watchdog_ping_interval_s() == Approx(5.0));
    setenv("WATCHDOG_PID", std::to_string(getppid()).c_str(), 1);  // cage, the unit's main process
    CHECK(service::watchdog_ping_interval_s() == Approx(5.0));
    setenv("WATCHDOG_PID", "999999999", 1);  // another process's watchdog
    CHECK(service::watchdog_ping_interval_s() == 0);
    for (const char* bad : {"", "-5", "12x", "99999999999999999999999"}) {
        setenv("WATCHDOG_PID", bad, 1);
        CHECK(service::watchdog_ping_interval_s() == 0);
    }
    setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
    for (const char* bad : {"0", "", "ten", "-10000000", "10000000s"}) {
        setenv("WATCHDOG_USEC", bad, 1);
        CHECK(service::watchdog_ping_interval_s() == 0);
    }
}
