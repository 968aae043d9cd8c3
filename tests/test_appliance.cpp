// The installed programs (issue #15 items 2, 4 and 7), tested as systemd would see them: the real
// binaries with --config files, a real unix datagram socket standing for systemd's NOTIFY_SOCKET
// (READY=1, STATUS=, WATCHDOG=1 as sd_notify sends them), SIGSTOP for a frozen process, and stores
// a newer version wrote, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "headoffice_process.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk_fixture.hpp"
#include "pg_server.hpp"
#include "run_command.hpp"
#include "sync/server/headoffice_store.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

extern char** environ;

namespace {

// systemd's end of sd_notify: a datagram socket; each message comes with its sender's pid
// (SO_PASSCRED), as systemd reads it.
class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path& path) : m_path(path.string()) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        REQUIRE(m_path.size() < sizeof a.sun_path);
        std::strcpy(a.sun_path, m_path.c_str());
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        int on = 1;
        REQUIRE(::setsockopt(m_fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0);
    }
    ~NotifySocket() {
        ::close(m_fd);
        ::unlink(m_path.c_str());
    }
    const std::string& path() const { return m_path; }

    struct Message {
        std::string text;
        pid_t pid = 0;
    };
    // The next message, or nullopt when none comes within `within`.
    std::optional<Message> next(std::chrono::milliseconds within) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(within.count())) <= 0) return std::nullopt;
        char buf[4096];
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
        iovec iov{buf, sizeof buf};
        msghdr m{};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = control;
        m.msg_controllen = sizeof control;
        ssize_t n = ::recvmsg(m_fd, &m, 0);
        if (n < 0) return std::nullopt;
        Message out{std::string(buf, static_cast<size_t>(n)), 0};
        for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) out.pid = reinterpret_cast<ucred*>(CMSG_DATA(c))->pid;
        return out;
    }
    // Waits for a message holding `line` (a whole line of it) until `deadline`; the others read
    // on the way are kept in `seen`.
    std::optional<Message> wait_for(const std::string& line, std::chrono::milliseconds deadline, std::vector<std::string>& seen) {
        auto until = std::chrono::steady_clock::now() + deadline;
        while (true) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            auto m = next(left);
            if (!m) return std::nullopt;
            seen.push_back(m->text);
            if (("\n" + m->text + "\n").find("\n" + line + "\n") != std::string::npos) return m;
        }
    }
    // How many messages holding `line` come within `window` (reads for the whole window).
    int count(const std::string& line, std::chrono::milliseconds window) {
        auto until = std::chrono::steady_clock::now() + window;
        int n = 0;
        while (true) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            if (left.count() <= 0) return n;
            auto m = next(left);
            if (!m) return n;
            if (("\n" + m->text + "\n").find("\n" + line + "\n") != std::string::npos) ++n;
        }
    }

private:
    std::string m_path;
    int m_fd = -1;
};

// A child process with more environment, its output to `log`; killed (and continued first, if
// stopped) when the test ends.
class Child {
public:
    Child(std::vector<std::string> args, std::vector<std::string> env_extra, const std::filesystem::path& log) : m_log(log) {
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e) {
            std::string kv = *e;
            if (kv.rfind("NOTIFY_SOCKET=", 0) && kv.rfind("WATCHDOG_", 0) && kv.rfind("DISPLAY=", 0)) env.push_back(kv);
        }
        env.insert(env.end(), env_extra.begin(), env_extra.end());
        m_pid = ::fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            int null = ::open("/dev/null", O_RDONLY);
            if (fd < 0 || null < 0) ::_exit(126);
            ::dup2(null, 0);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            std::vector<char*> argv, envp;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            for (auto& e : env) envp.push_back(e.data());
            envp.push_back(nullptr);
            ::execve(args[0].c_str(), argv.data(), envp.data());
            ::_exit(127);
        }
    }
    ~Child() { stop(); }
    pid_t pid() const { return m_pid; }
    std::string output() const { return test::slurp(m_log); }
    void stop() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGCONT);
        ::kill(m_pid, SIGTERM);
        bool gone = test::wait_until([&] { return ::waitpid(m_pid, nullptr, WNOHANG) == m_pid; }, 20s);
        if (!gone) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        m_pid = -1;
    }

private:
    std::filesystem::path m_log;
    pid_t m_pid = -1;
};

// An X server of our own on a display no one else uses: numbers from 200 on (xvfb-run -a and
// the bench take 99 and up, a compositor's Xwayland takes the lowest), the next one when another
// process holds it; ready when its socket accepts a connection.
class Xvfb {
public:
    Xvfb() {
        for (int n = 200; n < 260 && display.empty(); ++n) {
            std::string sock = "/tmp/.X11-unix/X" + std::to_string(n);
            if (std::filesystem::exists(sock) || std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock")) continue;
            std::string disp = ":" + std::to_string(n);
            m_pid = ::fork();
            REQUIRE(m_pid >= 0);
            if (m_pid == 0) {
                int null = ::open("/dev/null", O_RDWR);
                ::dup2(null, 0);
                ::dup2(null, 1);
                ::dup2(null, 2);
                ::execlp("Xvfb", "Xvfb", disp.c_str(), "-screen", "0", "1280x720x24", "-nolisten", "tcp", static_cast<char*>(nullptr));
                ::_exit(127);
            }
            bool died = false;
            bool up = test::wait_until(
                [&] {
                    died = ::waitpid(m_pid, nullptr, WNOHANG) == m_pid;
                    return died || accepts(sock);
                },
                15s, 20ms);
            if (up && !died) display = disp;
            else {
                if (!died) {
                    ::kill(m_pid, SIGTERM);
                    ::waitpid(m_pid, nullptr, 0);
                }
                m_pid = -1;
            }
        }
    }
    ~Xvfb() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGTERM);
        ::waitpid(m_pid, nullptr, 0);
    }
    std::string display;

private:
    static bool accepts(const std::string& path) {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::strcpy(a.sun_path, path.c_str());
        bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        if (fd >= 0) ::close(fd);
        return ok;
    }
    pid_t m_pid = -1;
};

std::string read_bytes(const std::filesystem::path& p) { return test::slurp(p); }

}  // namespace

// ---- sd_notify and the watchdog ---------------------------------------------------------------

TEST_CASE("lobby-headoffice serve tells systemd it is ready once its store is open and pings the watchdog while it answers, not while stopped",
          "[appliance][notify]") {
    test::TempDir dir;
    NotifySocket systemd(dir.path / "notify");
    auto db = dir.path / "ho.db";
    // WatchdogSec=2: a ping every second.
    Child serve({LOBBY_HEADOFFICE, "serve", "--db", db.string(), "--listen", "127.0.0.1:0"},
                {"NOTIFY_SOCKET=" + systemd.path(), "WATCHDOG_USEC=2000000"}, dir.path / "serve.log");
    std::vector<std::string> seen;
    auto ready = systemd.wait_for("READY=1", 30s, seen);
    INFO(serve.output());
    REQUIRE(ready);
    CHECK(ready->pid == serve.pid());
    CHECK_THAT(ready->text, Catch::Contains("STATUS=serving kiosks on port"));
    // Ready means the store exists and the port answers.
    CHECK(std::filesystem::exists(db));
    auto out = serve.output();
    const std::string said = "listening on http://127.0.0.1:";
    auto at = out.find(said);
    REQUIRE(at != std::string::npos);
    httplib::Client http("127.0.0.1", std::stoi(out.substr(at + said.size())));
    auto health = http.Get("/v1/health");
    REQUIRE(health);
    CHECK(health->status == 200);
    // Pings keep coming, each after the server answered itself.
    CHECK(systemd.count("WATCHDOG=1", 4500ms) >= 3);
    // Frozen (as a hung process looks to systemd): the pings stop; continued, they come back.
    REQUIRE(::kill(serve.pid(), SIGSTOP) == 0);
    systemd.count("WATCHDOG=1", 300ms);  // one already sent when it stopped
    CHECK(systemd.count("WATCHDOG=1", 3000ms) == 0);
    REQUIRE(::kill(serve.pid(), SIGCONT) == 0);
    CHECK(systemd.wait_for("WATCHDOG=1", 5s, seen));
}

TEST_CASE("lobby-headoffice serve over https pings the watchdog after answering itself over TLS", "[appliance][notify]") {
    test::TempDir dir;
    std::string cert = (dir.path / "ho.pem").string(), key = (dir.path / "ho.key").string();
    std::string make = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                       "-subj /CN=lobby-headoffice-test -addext subjectAltName=IP:127.0.0.1 -keyout " +
                       key + " -out " + cert + " >/dev/null 2>&1";
    REQUIRE(std::system(make.c_str()) == 0);
    NotifySocket systemd(dir.path / "notify");
    Child serve({LOBBY_HEADOFFICE, "serve", "--db", (dir.path / "ho.db").string(), "--listen", "127.0.0.1:0", "--tls-cert", cert,
                 "--tls-key", key},
                {"NOTIFY_SOCKET=" + systemd.path(), "WATCHDOG_USEC=1000000"}, dir.path / "serve.log");
    std::vector<std::string> seen;
    INFO(serve.output());
    REQUIRE(systemd.wait_for("READY=1", 30s, seen));
    CHECK(systemd.count("WATCHDOG=1", 2500ms) >= 3);
}

TEST_CASE("lobby-headoffice without NOTIFY_SOCKET serves as before", "[appliance][notify]") {
    test::TempDir dir;
    test::ServeProcess serve(LOBBY_HEADOFFICE, (dir.path / "ho.db").string(), dir.path / "serve.log");
    httplib::Client http("127.0.0.1", serve.port());
    auto health = http.Get("/v1/health");
    REQUIRE(health);
    CHECK(health->status == 200);
}

TEST_CASE("lobby-kiosk tells systemd it is ready after its first frame and pings the watchdog while idle and syncing, not while stopped",
          "[appliance][notify][xvfb]") {
    test::TempDir dir;
    Xvfb x;
    REQUIRE_FALSE(x.display.empty());
    INFO("display " << x.display);
    // A head office with this kiosk enrolled, so that the sync thread runs and its heartbeat counts.
    auto ho_db = dir.path / "ho.db";
    test::ServeProcess serve(LOBBY_HEADOFFICE, ho_db.string(), dir.path / "serve.log");
    auto [rc, code] = test::run_command("'" LOBBY_HEADOFFICE "' add-kiosk --db '" + ho_db.string() + "' --site-id SG01 --kiosk K1 2>/dev/null");
    REQUIRE(rc == 0);
    code.erase(code.find_last_not_of("\n") + 1);
    NotifySocket systemd(dir.path / "notify");
    auto data = dir.path / "data";
    Child kiosk({KIOSK_BIN, "--data", data.string(), "--site", KIOSK_DEMO_SITE, "--size", "960", "--headoffice",
                 "http://127.0.0.1:" + std::to_string(serve.port()), "--enrol", code},
                {"NOTIFY_SOCKET=" + systemd.path(), "WATCHDOG_USEC=2000000", "DISPLAY=" + x.display}, dir.path / "kiosk.log");
    std::vector<std::string> seen;
    auto ready = systemd.wait_for("READY=1", 60s, seen);
    INFO(kiosk.output());
    REQUIRE(ready);
    CHECK(ready->pid == kiosk.pid());
    CHECK_THAT(ready->text, Catch::Contains("STATUS=showing the screens, syncing with head office"));
    CHECK(std::filesystem::exists(data / "kiosk.db"));  // the store was open before
    // Idle (nobody touches it), it still pings every half period.
    CHECK(systemd.count("WATCHDOG=1", 4500ms) >= 3);
    REQUIRE(::kill(kiosk.pid(), SIGSTOP) == 0);
    systemd.count("WATCHDOG=1", 300ms);
    CHECK(systemd.count("WATCHDOG=1", 3000ms) == 0);
    REQUIRE(::kill(kiosk.pid(), SIGCONT) == 0);
    CHECK(systemd.wait_for("WATCHDOG=1", 5s, seen));
}

// CPU time the process has used (all its threads, llvmpipe's too), in ms.
double cpu_ms_of(pid_t pid) {
    std::string stat = test::slurp("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    REQUIRE(close != std::string::npos);
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i)
        if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    return ticks * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

TEST_CASE("an idle kiosk wakes for the watchdog without drawing a frame", "[appliance][notify][xvfb]") {
    test::TempDir dir;
    Xvfb x;
    REQUIRE_FALSE(x.display.empty());
    NotifySocket systemd(dir.path / "notify");
    // WatchdogSec=0.1 s: a ping every 50 ms. A frame costs this kiosk ~15 ms of CPU under Xvfb's
    // software renderer; one per ping would be most of a core.
    Child kiosk({KIOSK_BIN, "--data", (dir.path / "data").string(), "--site", KIOSK_DEMO_SITE, "--size", "960"},
                {"NOTIFY_SOCKET=" + systemd.path(), "WATCHDOG_USEC=100000", "DISPLAY=" + x.display}, dir.path / "kiosk.log");
    std::vector<std::string> seen;
    REQUIRE(systemd.wait_for("READY=1", 60s, seen));
    systemd.count("WATCHDOG=1", 1500ms);  // the first frames settle
    double before = cpu_ms_of(kiosk.pid());
    int pings = systemd.count("WATCHDOG=1", 3000ms);
    double used = cpu_ms_of(kiosk.pid()) - before;
    INFO(pings << " pings, " << used << " ms of CPU\n" << kiosk.output());
    CHECK(pings >= 30);
    CHECK(used < pings * 2.0);
}

// ---- --config -----------------------------------------------------------------------------------

TEST_CASE("lobby-headoffice add-kiosk takes its store from --config, and --db overrides it", "[appliance][config]") {
    test::TempDir dir;
    auto from_file = dir.path / "from-file.db", from_flag = dir.path / "from-flag.db";
    auto conf = dir.path / "headoffice.toml";
    std::ofstream(conf) << "db = \"" << from_file.string() << "\"\nlisten = \"127.0.0.1:8700\"\n[webhook]\ntimeout_ms = 5000\n";
    auto [rc, out] = test::run_command("'" LOBBY_HEADOFFICE "' add-kiosk --config '" + conf.string() + "' --site-id SG01 --kiosk K1");
    INFO(out);
    CHECK(rc == 0);
    CHECK(std::filesystem::exists(from_file));
    auto [rc2, out2] = test::run_command("'" LOBBY_HEADOFFICE "' add-kiosk --config='" + conf.string() + "' --db '" + from_flag.string() +
                                         "' --site-id SG01 --kiosk K2");
    INFO(out2);
    CHECK(rc2 == 0);
    CHECK(std::filesystem::exists(from_flag));
    auto store = headoffice::HeadOfficeStore::open(from_file.string());
    REQUIRE(store);
    CHECK(store.value()->kiosk_info("SG01", "K1"));
    CHECK_FALSE(store.value()->kiosk_info("SG01", "K2"));
}

TEST_CASE("a bad headoffice.toml stops lobby-headoffice with the file, line and key before any store is made", "[appliance][config]") {
    test::TempDir dir;
    auto db = dir.path / "ho.db";
    auto conf = dir.path / "headoffice.toml";
    const std::vector<std::pair<std::string, std::string>> bad{
        {"listen = \"127.0.0.1:70000\"\n", ":2: key 'listen': wants HOST:PORT with PORT from 0 to 65535"},
        {"relative = true\n", ":2: key 'relative': unknown key"},
        {"[webhook]\nurl = \"gopher://x\"\n", ":3: key 'webhook.url': wants an http:// or https:// URL"},
        {"[tls]\ncert = \"cert.pem\"\n", ":3: key 'tls.cert': wants an absolute path"},
    };
    for (auto& [text, expect] : bad) {
        std::ofstream(conf) << "db = \"" << db.string() << "\"\n" << text;
        for (const char* cmd : {"serve --listen 127.0.0.1:0", "add-kiosk --site-id SG01 --kiosk K1"}) {
            auto [rc, out] = test::run_command("'" LOBBY_HEADOFFICE "' " + std::string(cmd) + " --config '" + conf.string() + "'");
            INFO(cmd << "\n" << text << out);
            CHECK(rc != 0);
            CHECK_THAT(out, Catch::Contains(conf.string() + expect));
            CHECK_FALSE(std::filesystem::exists(db));
        }
    }
    std::ofstream(conf) << "db = \"postgresql://ho:hunter2@dbhost/headoffice\"\n";
    auto [rc, out] = test::run_command("'" LOBBY_HEADOFFICE "' add-kiosk --site-id SG01 --kiosk K1 --config '" + conf.string() + "'");
    CHECK(rc != 0);
    CHECK_THAT(out, Catch::Contains(":1: key 'db': wants a connection string without the password"));
    CHECK_THAT(out, !Catch::Contains("hunter2"));
}

TEST_CASE("lobby-kiosk takes its data folder from --config, --data overrides it, and a bad kiosk.toml stops it before the store opens",
          "[appliance][config]") {
    test::TempDir dir;
    auto conf = dir.path / "kiosk.toml";
    auto from_file = dir.path / "from-file", from_flag = dir.path / "from-flag";
    std::ofstream(conf) << "data = \"" << from_file.string() << "\"\nsite_id = \"SG01\"\n[printer]\npaper_mm = 58\n";
    std::string base = "'" KIOSK_BIN "' --config '" + conf.string() + "' --site '" KIOSK_DEMO_SITE "' --headless --list-widgets";
    auto [rc, out] = test::run_command(base + " > /dev/null");
    INFO(out);
    CHECK(rc == 0);
    CHECK(std::filesystem::exists(from_file / "kiosk.db"));
    auto [rc2, out2] = test::run_command(base + " --data '" + from_flag.string() + "' > /dev/null");
    INFO(out2);
    CHECK(rc2 == 0);
    CHECK(std::filesystem::exists(from_flag / "kiosk.db"));

    auto fresh = dir.path / "never";
    std::ofstream(conf) << "data = \"" << fresh.string() << "\"\n\n[headoffice]\nurl = \"headoffice:8700\"\n";
    auto [rc3, out3] = test::run_command(base);
    INFO(out3);
    CHECK(rc3 != 0);
    CHECK_THAT(out3, Catch::Contains("lobby-kiosk: " + conf.string() + ":4: key 'headoffice.url': wants an http:// or https:// URL"));
    CHECK_FALSE(std::filesystem::exists(fresh));
}

TEST_CASE("the shipped kiosk.toml and headoffice.toml are read without error", "[appliance][config]") {
    test::TempDir dir;
    // Their data paths are the installed ones; only reading the file is checked (--hash-pin exits
    // before anything is opened; add-kiosk with a bad flag exits at the flags, after the file).
    auto [rc, out] = test::run_command("'" KIOSK_BIN "' --config '" PACKAGING_ETC "/lobby-kiosk/kiosk.toml' --hash-pin 1234");
    INFO(out);
    CHECK(rc == 0);
    auto [rc2, out2] = test::run_command("'" LOBBY_HEADOFFICE "' add-kiosk --config '" PACKAGING_ETC
                                         "/lobby-headoffice/headoffice.toml' --site-id SG01 --kiosk K1 --no-such-flag");
    INFO(out2);
    CHECK(rc2 != 0);
    CHECK_THAT(out2, Catch::Contains("no-such-flag"));
    CHECK_THAT(out2, !Catch::Contains("headoffice.toml:"));
}

// ---- an older binary on a newer database --------------------------------------------------------

TEST_CASE("an older lobby-kiosk refuses a store a newer version wrote, and leaves the file untouched", "[appliance][upgrade]") {
    test::TempDir dir;
    auto data = dir.path / "data";
    auto db = data / "kiosk.db";
    {
        auto store = Store::open(db, "SG01", "K1");
        REQUIRE(store);
    }
    {
        SQLite::Database raw(db.string(), SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA user_version = " + std::to_string(Store::latest_schema_version() + 1));
        raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::string before = read_bytes(db);
    auto [rc, out] = test::run_command("'" KIOSK_BIN "' --data '" + data.string() + "' --site '" KIOSK_DEMO_SITE "' --headless --list-widgets");
    INFO(out);
    CHECK(rc != 0);
    CHECK_THAT(out, Catch::Contains("is at schema version " + std::to_string(Store::latest_schema_version() + 1) +
                                    ", newer than this lobby-kiosk knows (" + std::to_string(Store::latest_schema_version()) + ")"));
    CHECK(read_bytes(db) == before);
    CHECK((!std::filesystem::exists(db.string() + "-wal") || std::filesystem::file_size(db.string() + "-wal") == 0));
    // Not taken for a damaged file either: nothing was moved aside.
    for (auto& e : std::filesystem::directory_iterator(data))
        CHECK(e.path().filename().string().find("damaged") == std::string::npos);
}

TEST_CASE("an older lobby-headoffice refuses a SQLite store a newer version wrote, and leaves the file untouched", "[appliance][upgrade]") {
    test::TempDir dir;
    auto db = dir.path / "ho.db";
    {
        auto store = headoffice::HeadOfficeStore::open(db.string());
        REQUIRE(store);
    }
    {
        SQLite::Database raw(db.string(), SQLite::OPEN_READWRITE);
        CHECK(raw.execAndGet("SELECT version FROM schema_version").getInt() == headoffice::HeadOfficeStore::latest_schema_version());  // a store made now is at the latest
        raw.exec("UPDATE schema_version SET version = 99");
        raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::string before = read_bytes(db);
    for (const char* cmd : {"add-kiosk --site-id SG01 --kiosk K1", "serve --listen 127.0.0.1:0"}) {
        auto [rc, out] = test::run_command("'" LOBBY_HEADOFFICE "' " + std::string(cmd) + " --db '" + db.string() + "'");
        INFO(cmd << "\n" << out);
        CHECK(rc != 0);
        CHECK_THAT(out, Catch::Contains("the head-office store is at schema version 99, newer than this lobby-headoffice knows (" +
                                    std::to_string(headoffice::HeadOfficeStore::latest_schema_version()) + ")"));
        CHECK(read_bytes(db) == before);
    }
}

TEST_CASE("an older lobby-headoffice refuses a PostgreSQL store a newer version wrote, and writes nothing to it", "[appliance][upgrade][pg]") {
    std::string dsn = test::PgServer::shared().new_database();
    {
        auto store = headoffice::HeadOfficeStore::open(dsn);
        REQUIRE(store);
    }
    headoffice::open_postgres(dsn)->exec("UPDATE schema_version SET version = 7");
    auto [rc, out] = test::run_command("'" LOBBY_HEADOFFICE "' add-kiosk --site-id SG01 --kiosk K1 --db '" + dsn + "'");
    INFO(out);
    CHECK(rc != 0);
    CHECK_THAT(out, Catch::Contains("the head-office store is at schema version 7, newer than this lobby-headoffice knows (" +
                                    std::to_string(headoffice::HeadOfficeStore::latest_schema_version()) + ")"));
    auto pg = headoffice::open_postgres(dsn);
    CHECK(pg->row("SELECT count(*) FROM kiosks")->integer(0) == 0);
    CHECK(pg->row("SELECT version FROM schema_version")->integer(0) == 7);
    // A store from before versions were recorded is taken and marked.
    pg->exec("DROP TABLE schema_version");
    auto reopened = headoffice::HeadOfficeStore::open(dsn);
    REQUIRE(reopened);
    CHECK(pg->row("SELECT version FROM schema_version")->integer(0) == headoffice::HeadOfficeStore::latest_schema_version());
}
