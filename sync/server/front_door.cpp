#include "sync/server/front_door.hpp"

#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <charconv>
#include <mutex>
#include <unordered_map>

#include "sync/common/protocol.hpp"
#include "sync/server/server.hpp"

// httplib 0.11.4 declares process_and_close_socket private, so an override cannot call the base
// by name; these are the library's own (exported) definitions, called with the server as `this`.
bool httplib_plain_process(httplib::Server* self, int sock) __asm__("_ZN7httplib6Server24process_and_close_socketEi");
bool httplib_tls_process(httplib::SSLServer* self, int sock) __asm__("_ZN7httplib9SSLServer24process_and_close_socketEi");

namespace kiosk::headoffice {

size_t body_cap(std::string_view method, std::string_view path) {
    if (method != "POST") return 0;
    if (path == "/v1/register") return 4 * 1024;
    if (path == "/v1/push") return sync::kMaxBodyBytes;
    return 0;
}

namespace {

// How many connections each peer address has open; a peer past the cap is turned away.
class AddressGate {
public:
    explicit AddressGate(int cap) : m_cap(cap) {}
    bool enter(const std::string& addr) {
        std::lock_guard lock(m_lock);
        int& n = m_open[addr];
        if (n >= m_cap) return false;
        ++n;
        return true;
    }
    void leave(const std::string& addr) {
        std::lock_guard lock(m_lock);
        if (auto it = m_open.find(addr); it != m_open.end() && --it->second <= 0) m_open.erase(it);
    }

private:
    int m_cap;
    std::mutex m_lock;
    std::unordered_map<std::string, int> m_open;
};

std::string peer_address(int sock) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(sock, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
    char host[NI_MAXHOST] = {};
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) return {};
    return host;
}

// A refusal written straight to the socket (the connection then closes).
void refuse(int sock, int status, const char* reason, const std::string& code, const std::string& message) {
    std::string body = nlohmann::json{{"error", code}, {"message", message}}.dump();
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                      "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
                      "\r\n\r\n" + body;
    (void)::send(sock, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

void close_socket(int sock) {
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
}

bool iequals_prefix(std::string_view line, std::string_view name) {
    if (line.size() < name.size()) return false;
    for (size_t i = 0; i < name.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
    return true;
}

// Checks a complete head (up to and including the blank line); false after writing a refusal.
bool head_acceptable(int sock, std::string_view head, const DoorLimits& limits) {
    int lines = static_cast<int>(std::count(head.begin(), head.end(), '\n'));
    if (lines > limits.head_lines) {
        refuse(sock, 431, "Request Header Fields Too Large", "headers_too_large",
               "at most " + std::to_string(limits.head_lines) + " header lines");
        return false;
    }
    auto eol = head.find("\r\n");
    std::string_view request_line = head.substr(0, eol);
    auto sp1 = request_line.find(' ');
    auto sp2 = request_line.find(' ', sp1 == std::string_view::npos ? 0 : sp1 + 1);
    if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) {
        refuse(sock, 400, "Bad Request", "bad_request", "not an HTTP request");
        return false;
    }
    std::string_view method = request_line.substr(0, sp1), target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view path = target.substr(0, target.find('?'));
    size_t cap = body_cap(method, path);
    for (size_t at = eol + 2; at < head.size();) {
        auto end = head.find("\r\n", at);
        if (end == std::string_view::npos) break;
        std::string_view line = head.substr(at, end - at);
        at = end + 2;
        if (!iequals_prefix(line, "content-length:")) continue;
        auto v = line.substr(15);
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        unsigned long long n = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc{} || n > cap) {
            refuse(sock, 413, "Payload Too Large", "body_too_large",
                   "this route takes at most " + std::to_string(cap) + " bytes");
            return false;
        }
    }
    return true;
}

// Waits (under the deadline) until the request head is in the socket's buffer, peeking so that
// httplib still reads it; poll sleeps until one more byte than seen arrives (SO_RCVLOWAT).
bool admit_head(int sock, const DoorLimits& limits) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + std::chrono::milliseconds(limits.head_deadline_ms);
    std::string buf(limits.head_bytes + 1, '\0');
    ssize_t seen = -1;
    bool ok = false;
    for (;;) {
        ssize_t n = ::recv(sock, buf.data(), buf.size(), MSG_PEEK | MSG_DONTWAIT);
        if (n == 0) break;  // closed before a whole head
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) break;
        if (n > 0) {
            std::string_view have(buf.data(), static_cast<size_t>(n));
            if (auto end = have.find("\r\n\r\n"); end != std::string_view::npos) {
                ok = head_acceptable(sock, have.substr(0, end + 4), limits);
                break;
            }
            if (static_cast<size_t>(n) > limits.head_bytes ||
                static_cast<int>(std::count(have.begin(), have.end(), '\n')) > limits.head_lines) {
                refuse(sock, 431, "Request Header Fields Too Large", "headers_too_large",
                       "a request head takes at most " + std::to_string(limits.head_bytes) + " bytes and " +
                           std::to_string(limits.head_lines) + " lines");
                break;
            }
            if (n == seen) break;  // poll said readable but nothing new came: the peer has closed
            seen = n;
        }
        int want = static_cast<int>(std::max<ssize_t>(n, 0) + 1);
        ::setsockopt(sock, SOL_SOCKET, SO_RCVLOWAT, &want, sizeof want);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) {
            refuse(sock, 408, "Request Timeout", "too_slow", "the request head took too long");
            break;
        }
        pollfd p{sock, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) < 0 && errno != EINTR) break;
    }
    int one = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
    return ok;
}

class PlainDoor final : public httplib::Server {
public:
    explicit PlainDoor(const DoorLimits& limits) : m_limits(limits), m_gate(limits.per_address) {}

private:
    bool process_and_close_socket(socket_t sock) override {
        std::string addr = peer_address(sock);
        if (!m_gate.enter(addr)) {
            refuse(sock, 429, "Too Many Requests", "too_many_connections", "too many connections from this address");
            close_socket(sock);
            return false;
        }
        bool served = false;
        if (admit_head(sock, m_limits))
            served = httplib_plain_process(this, sock);
        else
            close_socket(sock);
        m_gate.leave(addr);
        return served;
    }
    DoorLimits m_limits;
    AddressGate m_gate;
};

class TlsDoor final : public httplib::SSLServer {
public:
    TlsDoor(const TlsFiles& tls, const DoorLimits& limits)
        : httplib::SSLServer(tls.cert.c_str(), tls.key.c_str()), m_gate(limits.per_address) {}

private:
    bool process_and_close_socket(socket_t sock) override {
        std::string addr = peer_address(sock);
        if (!m_gate.enter(addr)) {
            close_socket(sock);
            return false;
        }
        bool served = httplib_tls_process(this, sock);
        m_gate.leave(addr);
        return served;
    }
    AddressGate m_gate;
};

}  // namespace

std::unique_ptr<httplib::Server> make_front_door(const TlsFiles* tls, const DoorLimits& limits) {
    if (!tls) {
        auto s = std::make_unique<PlainDoor>(limits);
        // Every request on a plain connection passes the door: httplib would read a kept-alive
        // connection's next head unchecked. A fresh loopback/LAN connection costs little.
        s->set_keep_alive_max_count(1);
        return s;
    }
    auto s = std::make_unique<TlsDoor>(*tls, limits);
    if (!s->is_valid()) throw std::runtime_error("cannot use the TLS certificate " + tls->cert + " with the key " + tls->key);
    s->set_keep_alive_max_count(100);
    return s;
}

}  // namespace kiosk::headoffice
