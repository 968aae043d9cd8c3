// Hostile clients against the real `lobby-headoffice serve`, started as a child process on
// loopback: each attack runs over raw sockets, and then the server must still be up, still answer
// an enrolled kiosk's signed push, and have stayed within a memory bound (VmHWM).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <openssl/ssl.h>
#include <atomic>
#include <csignal>
#include <thread>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.hpp"
#include "headoffice_process.hpp"
#include "sync/common/protocol.hpp"
#include "wait_for.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

using kiosk::test::slurp;

// kB from a /proc/<pid>/status line (VmRSS, VmHWM).
long status_kb(pid_t pid, const std::string& key) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
    return -1;
}

// A connection to 127.0.0.1:port, from `source` (another loopback address) when given.
int connect_to(int port, const char* source = nullptr) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (source) {
        sockaddr_in s{};
        s.sin_family = AF_INET;
        ::inet_pton(AF_INET, source, &s.sin_addr);
        ::bind(fd, reinterpret_cast<sockaddr*>(&s), sizeof s);
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Sends as much of `data` as the server takes (it may close early); true if all went.
bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

// Reads until the peer closes or the deadline: the raw reply.
std::string read_reply(int fd, std::chrono::milliseconds deadline = 10s) {
    std::string out;
    auto until = std::chrono::steady_clock::now() + deadline;
    char buf[65536];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
        if (left <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
        // A whole reply with Content-Length is enough.
        auto head_end = out.find("\r\n\r\n");
        std::smatch m;
        std::string head = out.substr(0, head_end == std::string::npos ? 0 : head_end);
        if (head_end != std::string::npos && std::regex_search(head, m, std::regex("Content-Length: (\\d+)", std::regex::icase)) &&
            out.size() >= head_end + 4 + std::stoul(m[1]))
            break;
    }
    return out;
}

// A TLS connection as a hostile client makes one: no certificate check, raw bytes both ways.
struct TlsClient {
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{SSL_CTX_new(TLS_client_method()), &SSL_CTX_free};
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl{nullptr, &SSL_free};
    int fd = -1;
    explicit TlsClient(int port, const char* source = nullptr) {
        std::signal(SIGPIPE, SIG_IGN);  // the server may close while we write: that is the point
        fd = connect_to(port, source);
        if (fd < 0) return;
        ssl.reset(SSL_new(ctx.get()));
        SSL_set_fd(ssl.get(), fd);
        if (SSL_connect(ssl.get()) != 1) ssl.reset();
    }
    ~TlsClient() {
        ssl.reset();
        if (fd >= 0) ::close(fd);
    }
    bool ok() const { return ssl != nullptr; }
    bool send(std::string_view data) {
        while (!data.empty()) {
            int n = SSL_write(ssl.get(), data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 20)));
            if (n <= 0) return false;
            data.remove_prefix(static_cast<size_t>(n));
        }
        return true;
    }
    std::string read_reply(std::chrono::milliseconds deadline = 10s) {
        std::string out;
        auto until = std::chrono::steady_clock::now() + deadline;
        char buf[16384];
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
            if (left <= 0) break;
            pollfd p{fd, POLLIN, 0};
            if (SSL_pending(ssl.get()) == 0 && ::poll(&p, 1, static_cast<int>(left)) <= 0) break;
            int n = SSL_read(ssl.get(), buf, sizeof buf);
            if (n <= 0) break;
            out.append(buf, static_cast<size_t>(n));
        }
        return out;
    }
};

int status_of(const std::string& reply) {
    if (reply.rfind("HTTP/1.1 ", 0) != 0 || reply.size() < 12) return 0;
    return std::stoi(reply.substr(9, 3));
}
std::string body_of(const std::string& reply) {
    auto at = reply.find("\r\n\r\n");
    return at == std::string::npos ? std::string() : reply.substr(at + 4);
}

// The real server as a child process, on its own SQLite file with the demo site and kiosk K1.
struct Served {
    fs::path dir;
    pid_t pid = -1;
    int port = 0;
    std::string secret;
    std::unique_ptr<kiosk::test::ServeProcess> serve;

    bool tls = false;

    explicit Served(bool over_tls = false, std::vector<std::string> flags = {}) : tls(over_tls) {
        dir = fs::temp_directory_path() / ("hostile-" + std::to_string(::getpid()) + "-" + kiosk::sync::random_hex(4));
        fs::create_directories(dir);
        std::string db = (dir / "ho.db").string();
        auto [rc, out] = kiosk::test::run_command(std::string(LOBBY_HEADOFFICE) + " import --db " + db + " --site-id SG01 " + KIOSK_DEMO_SITE);
        INFO(out);
        REQUIRE(rc == 0);
        auto [rc2, code] = kiosk::test::run_command(std::string(LOBBY_HEADOFFICE) + " add-kiosk --db " + db + " --site-id SG01 --kiosk K1");
        REQUIRE(rc2 == 0);
        while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.pop_back();
        code = code.substr(code.find_last_of('\n') + 1);
        if (tls) {
            std::string cert = (dir / "ho.pem").string(), key = (dir / "ho.key").string();
            REQUIRE(kiosk::test::run_command("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                                             "-subj /CN=127.0.0.1 -keyout " + key + " -out " + cert).first == 0);
            flags.insert(flags.end(), {"--tls-cert", cert, "--tls-key", key});
        }
        serve = std::make_unique<kiosk::test::ServeProcess>(LOBBY_HEADOFFICE, db, dir / "serve.log", flags);
        port = serve->port();
        pid = serve->pid();
        auto reply = request("POST", "/v1/register", nlohmann::json{{"site", "SG01"}, {"kiosk", "K1"}, {"enrol_code", code}}.dump());
        INFO(reply);
        REQUIRE(status_of(reply) == 200);
        secret = nlohmann::json::parse(body_of(reply))["secret"];
    }
    ~Served() {
        serve.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    bool alive() const { return serve->alive(); }
    long hwm_kb() const { return status_kb(pid, "VmHWM"); }
    std::string log() const { return slurp(dir / "serve.log"); }

    // One request on a fresh connection, signed as K1 when `sign`.
    std::string request(const std::string& method, const std::string& target, const std::string& body, bool sign = false,
                        std::chrono::milliseconds deadline = 10s) {
        int fd = connect_to(port);
        if (fd < 0) return {};
        std::string head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        if (sign) {
            int64_t ts = std::time(nullptr);
            std::string nonce = kiosk::sync::random_hex(8);
            head += "X-Kiosk: SG01/K1\r\nX-Timestamp: " + std::to_string(ts) + "\r\nX-Nonce: " + nonce +
                    "\r\nX-Signature: " + kiosk::sync::request_signature(secret, method, target, ts, nonce, body) + "\r\n";
        }
        head += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
        if (tls) {
            ::close(fd);
            TlsClient c(port);
            if (!c.ok() || !c.send(head + body)) return {};
            return c.read_reply(deadline);
        }
        send_all(fd, head + body);
        auto reply = read_reply(fd, deadline);
        ::close(fd);
        return reply;
    }
    // What an honest kiosk does: a signed push (an empty batch) that must be stored.
    bool kiosk_pushes(std::chrono::milliseconds deadline = 10s) {
        auto reply = request("POST", "/v1/push", R"({"protocol":1,"records":[]})", true, deadline);
        return status_of(reply) == 200 && body_of(reply).find("\"stored\"") != std::string::npos;
    }
};

constexpr long kBoundKb = 64 * 1024;  // the server's peak may grow at most this much under attack

}  // namespace

TEST_CASE("hostile: two million header lines are refused at the door", "[hostile]") {
    Served ho;
    long before = ho.hwm_kb();
    int fd = connect_to(ho.port);
    std::string line = "X-Filler: a\r\n", block;
    for (int i = 0; i < 10000; ++i) block += line;
    send_all(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 200 && send_all(fd, block); ++i) {
    }
    std::string reply = read_reply(fd, 5s);
    ::close(fd);
    CHECK((status_of(reply) == 431 || reply.empty()));
    REQUIRE(ho.alive());
    CHECK(ho.kiosk_pushes());
    CHECK(ho.hwm_kb() - before < kBoundKb);
}

TEST_CASE("hostile: a chunked push stops at the body cap", "[hostile]") {
    Served ho;
    long before = ho.hwm_kb();
    int fd = connect_to(ho.port);
    send_all(fd, "POST /v1/push HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Kiosk: SG01/K1\r\n\r\n");
    std::string chunk(64 * 1024, 'x');
    std::stringstream size;
    size << std::hex << chunk.size();
    std::string framed = size.str() + "\r\n" + chunk + "\r\n";
    size_t sent = 0;
    while (sent < 200u << 20 && send_all(fd, framed)) sent += chunk.size();
    std::string reply = read_reply(fd, 5s);
    ::close(fd);
    INFO("sent " << sent << " bytes; reply " << reply.substr(0, 200));
    CHECK(sent < 200u << 20);  // the server stopped reading long before 200 MB
    REQUIRE(ho.alive());
    CHECK(ho.kiosk_pushes());
    CHECK(ho.hwm_kb() - before < kBoundKb);
}

TEST_CASE("hostile: four MB of brackets to register are refused before parsing", "[hostile]") {
    Served ho;
    long before = ho.hwm_kb();
    auto reply = ho.request("POST", "/v1/register", std::string(4 << 20, '['), false, 5s);
    CHECK((status_of(reply) == 413 || reply.empty()));
    REQUIRE(ho.alive());
    CHECK(ho.kiosk_pushes());
    CHECK(ho.hwm_kb() - before < kBoundKb);
}

TEST_CASE("hostile: a signed payload nested 80000 deep is refused, the server stays up", "[hostile]") {
    Served ho;
    std::string deep = std::string(80000, '[') + std::string(80000, ']');
    std::string body = R"({"protocol":1,"records":[{"id":"SG01-K1-1-1","type":"repair.request","payload":)" + deep + "}]}";
    auto reply = ho.request("POST", "/v1/push", body, true);
    INFO(reply.substr(0, 300));
    CHECK(status_of(reply) == 400);
    CHECK(body_of(reply).find("deeper than 32") != std::string::npos);
    REQUIRE(ho.alive());
    CHECK(ho.kiosk_pushes());
}

TEST_CASE("hostile: wrong JSON types answer 400 naming the field, or reject just that record", "[hostile]") {
    Served ho;
    auto reply = ho.request("POST", "/v1/push", R"({"protocol":"one","records":[]})", true);
    CHECK(status_of(reply) == 400);
    CHECK(body_of(reply).find("'protocol'") != std::string::npos);

    reply = ho.request("POST", "/v1/register", R"({"site":5,"kiosk":"K9","enrol_code":"x"})");
    CHECK(status_of(reply) == 400);

    reply = ho.request("POST", "/v1/push",
                       R"({"protocol":1,"records":[{"id":"SG01-K1-1-7","type":5},{"id":"SG01-K1-1-8","type":"repair.request","local_seq":"x"}]})",
                       true);
    INFO(reply);
    REQUIRE(status_of(reply) == 200);
    auto j = nlohmann::json::parse(body_of(reply));
    REQUIRE(j["rejected"].size() == 2);
    CHECK(j["rejected"][0]["id"] == "SG01-K1-1-7");
    CHECK(j["rejected"][0]["reason"].get<std::string>().find("'type'") != std::string::npos);
    CHECK(j["rejected"][1]["reason"].get<std::string>().find("'local_seq'") != std::string::npos);
    REQUIRE(ho.alive());
}

TEST_CASE("hostile: 200 slow connections from one address do not starve a kiosk", "[hostile]") {
    Served ho;
    std::vector<int> slow;
    for (int i = 0; i < 200; ++i) {
        int fd = connect_to(ho.port, "127.0.0.2");
        if (fd < 0) continue;
        send_all(fd, "GET /v1/health HTTP/1.1\r\nX-Slow:");  // and then nothing more
        slow.push_back(fd);
    }
    REQUIRE(slow.size() > 150);
    // They dribble a byte each half second, so that no per-read timeout lets them go.
    std::atomic<bool> done{false};
    std::thread dribble([&] {
        while (!done) {
            for (int fd : slow) ::send(fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            for (int i = 0; i < 50 && !done; ++i) std::this_thread::sleep_for(10ms);
        }
    });
    auto t0 = std::chrono::steady_clock::now();
    bool pushed = ho.kiosk_pushes(3s);
    auto took = std::chrono::steady_clock::now() - t0;
    done = true;
    dribble.join();
    for (int fd : slow) ::close(fd);
    CHECK(pushed);
    CHECK(took < 2s);
    REQUIRE(ho.alive());
}

TEST_CASE("hostile: the access log names method, path, status and kiosk, and errors carry a reference", "[hostile]") {
    Served ho;
    REQUIRE(ho.kiosk_pushes());
    auto reply = ho.request("GET", "/v1/pull/units?limit=zz", "", true);
    CHECK(status_of(reply) == 400);
    CHECK(kiosk::test::wait_until([&] { return ho.log().find("POST /v1/push 200 kiosk=SG01/K1") != std::string::npos; }, 5s));
    // A wrong signature, many times: logged a few times, then summed up.
    for (int i = 0; i < 20; ++i) {
        int fd = connect_to(ho.port);
        send_all(fd, "GET /v1/pull/units HTTP/1.1\r\nX-Kiosk: SG01/K1\r\nX-Timestamp: 1\r\nX-Nonce: 0123456789\r\nX-Signature: ab\r\nConnection: close\r\n\r\n");
        read_reply(fd, 2s);
        ::close(fd);
    }
    CHECK(kiosk::test::wait_until([&] { return ho.log().find("more this minute not logged") != std::string::npos; }, 5s));
    std::string log = ho.log();
    size_t failures = 0;
    for (size_t at = 0; (at = log.find("auth failure from", at)) != std::string::npos; ++at) ++failures;
    CHECK(failures <= 5);
}

TEST_CASE("hostile over TLS: the door reads the head in clear and holds it to the same limits", "[hostile][tls]") {
    Served ho(true);
    REQUIRE(ho.kiosk_pushes());  // an honest kiosk over https
    long before = ho.hwm_kb();

    // Two million header lines: refused at the head cap, long before the last is sent.
    {
        TlsClient c(ho.port);
        REQUIRE(c.ok());
        std::string lines;
        for (int i = 0; i < 20000; ++i) lines += "X-A: b\r\n";
        size_t sent = 0;
        c.send("GET /v1/health HTTP/1.1\r\nHost: x\r\n");
        while (sent < 2'000'000 && c.send(lines)) sent += 20000;
        std::string reply = c.read_reply(5s);
        INFO("sent " << sent << " lines; reply " << reply.substr(0, 200));
        CHECK(sent < 2'000'000);
        CHECK((status_of(reply) == 431 || reply.empty()));
    }
    // A head over the route's body cap, by Content-Length.
    {
        TlsClient c(ho.port);
        REQUIRE(c.send("POST /v1/register HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"));
        CHECK(status_of(c.read_reply(5s)) == 413);
    }
    // A head dribbled past the deadline: 408, and the connection goes.
    {
        TlsClient c(ho.port);
        REQUIRE(c.send("GET /v1/health HTTP/1.1\r\nX-Slow:"));
        auto t0 = std::chrono::steady_clock::now();
        std::string reply = c.read_reply(15s);
        CHECK(status_of(reply) == 408);
        CHECK(std::chrono::steady_clock::now() - t0 < 10s);
    }
    // Slow connections from one address are capped; a kiosk from another still gets through.
    std::vector<std::unique_ptr<TlsClient>> slow;
    for (int i = 0; i < 40; ++i) {
        auto c = std::make_unique<TlsClient>(ho.port, "127.0.0.2");
        if (c->ok()) {
            c->send("GET /v1/health HTTP/1.1\r\nX-Slow:");
            slow.push_back(std::move(c));
        }
    }
    CHECK(slow.size() <= 16);
    CHECK(ho.kiosk_pushes(3s));
    slow.clear();
    REQUIRE(ho.alive());
    CHECK(ho.kiosk_pushes());
    CHECK(ho.hwm_kb() - before < kBoundKb);
    // The access log names the peer's address over TLS too.
    CHECK(kiosk::test::wait_until([&] { return ho.log().find("POST /v1/push 200 kiosk=SG01/K1") != std::string::npos; }, 5s));
    CHECK(ho.log().find("from 127.0.0.1") != std::string::npos);
}

TEST_CASE("hostile: bodies the door would not see whole are refused before httplib reads them", "[hostile]") {
    Served ho;
    long before = ho.hwm_kb();
    auto ask = [&](const std::string& head, const std::string& body = {}) {
        int fd = connect_to(ho.port);
        send_all(fd, head + body);
        std::string reply = read_reply(fd, 5s);
        ::close(fd);
        return reply;
    };
    // A chunked body of 64 MiB to a route without a capped reader: answered 404 unread.
    {
        int fd = connect_to(ho.port);
        send_all(fd, "POST /other HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        std::string chunk = "100000\r\n" + std::string(1 << 20, 'x') + "\r\n";
        size_t sent = 0;
        while (sent < 64 && send_all(fd, chunk)) ++sent;
        std::string reply = read_reply(fd, 5s);
        ::close(fd);
        INFO("sent " << sent << " MiB; " << reply.substr(0, 120));
        CHECK(sent < 64);
    }
    // gzip would inflate past every cap: refused.
    CHECK(status_of(ask("POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n", "0123456789")) == 415);
    // Another framing than chunked, or chunked where no body is taken.
    CHECK(status_of(ask("POST /v1/push HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")) == 501);
    CHECK(status_of(ask("GET /v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")) == 413);
    // A bare LF hides the next header from a CRLF reader: refused.
    CHECK(status_of(ask("POST /v1/push HTTP/1.1\r\nX-A: b\nContent-Length: 6000000\r\nHost: x\r\n\r\n")) == 400);
    // A body with no length at all would be read to the end of the connection.
    CHECK(status_of(ask("POST /v1/register HTTP/1.1\r\nHost: x\r\n\r\n", "{}")) == 411);
    REQUIRE(ho.alive());
    CHECK(ho.kiosk_pushes());
    CHECK(ho.hwm_kb() - before < kBoundKb);
}

TEST_CASE("hostile over TLS: a handshake dribbled a byte at a time is cut at the deadline", "[hostile][tls]") {
    Served ho(true);
    int fd = connect_to(ho.port);
    REQUIRE(fd >= 0);
    // The first bytes of a ClientHello, then one more every 2 s: each byte would restart a
    // per-read timeout; the door's deadline is for the whole handshake.
    const unsigned char hello[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03};
    auto t0 = std::chrono::steady_clock::now();
    bool closed = false;
    for (unsigned char b : hello) {
        if (::send(fd, &b, 1, MSG_NOSIGNAL) != 1) {
            closed = true;
            break;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 2000) > 0) {
            char c;
            if (::recv(fd, &c, 1, 0) <= 0) {
                closed = true;
                break;
            }
        }
    }
    ::close(fd);
    CHECK(closed);
    CHECK(std::chrono::steady_clock::now() - t0 < 9s);
    CHECK(ho.kiosk_pushes());
}

TEST_CASE("hostile: the per-address cap is the operator's to set", "[hostile]") {
    Served ho(false, {"--connections-per-address", "2"});
    std::vector<int> held;
    for (int i = 0; i < 2; ++i) {
        int fd = connect_to(ho.port, "127.0.0.2");
        REQUIRE(fd >= 0);
        send_all(fd, "GET /v1/health HTTP/1.1\r\nX-Slow:");
        held.push_back(fd);
    }
    // The two are being read (each holds a worker at the door); a third from that address is turned away.
    std::string third;
    REQUIRE(kiosk::test::wait_until(
        [&] {
            int fd = connect_to(ho.port, "127.0.0.2");
            send_all(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
            third = read_reply(fd, 2s);
            ::close(fd);
            return status_of(third) == 429;
        },
        10s));
    CHECK(body_of(third).find("too_many_connections") != std::string::npos);
    CHECK(ho.kiosk_pushes());  // from 127.0.0.1
    for (int fd : held) ::close(fd);
}
