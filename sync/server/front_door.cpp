#include "sync/server/front_door.hpp"

#include <httplib.h>
#include <openssl/ssl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cerrno>
#include <chrono>
#include <charconv>
#include <mutex>
#include <optional>
#include <thread>
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

// Why the door turns a request away: an HTTP answer written straight back, then the connection closes.
struct Refusal {
    int status;
    const char* reason;
    std::string code, message;
};

std::string refusal_bytes(const Refusal& r) {
    std::string body = nlohmann::json{{"error", r.code}, {"message", r.message}}.dump();
    return "HTTP/1.1 " + std::to_string(r.status) + " " + r.reason +
           "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
}

void refuse(int sock, const Refusal& r) {
    std::string out = refusal_bytes(r);
    (void)::send(sock, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

Refusal too_large_head(const DoorLimits& limits) {
    return {431, "Request Header Fields Too Large", "headers_too_large",
            "a request head takes at most " + std::to_string(limits.head_bytes) + " bytes and " + std::to_string(limits.head_lines) +
                " lines"};
}
Refusal too_slow() { return {408, "Request Timeout", "too_slow", "the request head took too long"}; }

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

// What is wrong with a complete head (up to and including the blank line), if anything.
std::optional<Refusal> head_problem(std::string_view head, const DoorLimits& limits) {
    int lines = static_cast<int>(std::count(head.begin(), head.end(), '\n'));
    if (lines > limits.head_lines) return too_large_head(limits);
    auto eol = head.find("\r\n");
    std::string_view request_line = head.substr(0, eol);
    auto sp1 = request_line.find(' ');
    auto sp2 = request_line.find(' ', sp1 == std::string_view::npos ? 0 : sp1 + 1);
    if (sp1 == std::string_view::npos || sp2 == std::string_view::npos)
        return Refusal{400, "Bad Request", "bad_request", "not an HTTP request"};
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
        if (ec != std::errc{} || n > cap)
            return Refusal{413, "Payload Too Large", "body_too_large", "this route takes at most " + std::to_string(cap) + " bytes"};
    }
    return std::nullopt;
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
                auto problem = head_problem(have.substr(0, end + 4), limits);
                if (problem) refuse(sock, *problem);
                ok = !problem;
                break;
            }
            if (static_cast<size_t>(n) > limits.head_bytes ||
                static_cast<int>(std::count(have.begin(), have.end(), '\n')) > limits.head_lines) {
                refuse(sock, too_large_head(limits));
                break;
            }
            if (n == seen) break;  // poll said readable but nothing new came: the peer has closed
            seen = n;
        }
        int want = static_cast<int>(std::max<ssize_t>(n, 0) + 1);
        ::setsockopt(sock, SOL_SOCKET, SO_RCVLOWAT, &want, sizeof want);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) {
            refuse(sock, too_slow());
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
            refuse(sock, {429, "Too Many Requests", "too_many_connections", "too many connections from this address"});
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

// The peer a request on this thread came from, when httplib cannot tell (over TLS it reads the
// door's socketpair, which has no address).
thread_local std::string t_peer;

bool write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

// Waits until the TLS socket has something to read (or OpenSSL holds some), at most `ms`.
bool tls_readable(SSL* ssl, int sock, int ms) {
    if (SSL_pending(ssl) > 0) return true;
    pollfd p{sock, POLLIN, 0};
    int r = ::poll(&p, 1, std::max(ms, 0));
    return r > 0;
}

// HTTPS: the door ends TLS itself, so it sees the request head in clear and holds it to the same
// limits as a plain one (bytes, lines, deadline, Content-Length), then hands the request to
// httplib as plain HTTP over a socketpair and carries the bytes both ways. One request per
// connection, as on plain HTTP, so every head passes the door.
class TlsDoor final : public httplib::SSLServer {
public:
    TlsDoor(const TlsFiles& tls, const DoorLimits& limits)
        : httplib::SSLServer(tls.cert.c_str(), tls.key.c_str()), m_limits(limits), m_gate(limits.per_address) {}

private:
    bool process_and_close_socket(socket_t sock) override {
        std::string addr = peer_address(sock);
        if (!m_gate.enter(addr)) {
            close_socket(sock);
            return false;
        }
        serve(sock, addr);
        m_gate.leave(addr);
        return true;
    }

    void serve(int sock, const std::string& addr) {
        timeval tv{m_limits.head_deadline_ms / 1000, (m_limits.head_deadline_ms % 1000) * 1000};
        ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);  // a stalled handshake or record lets go
        ::setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ssl_context()), &SSL_free);
        if (!ssl || SSL_set_fd(ssl.get(), sock) != 1 || SSL_accept(ssl.get()) != 1) {
            close_socket(sock);
            return;
        }
        std::string head;
        if (auto refusal = read_head(ssl.get(), sock, head)) {
            std::string out = refusal_bytes(*refusal);
            SSL_write(ssl.get(), out.data(), static_cast<int>(out.size()));
        } else if (!head.empty()) {
            relay(ssl.get(), sock, addr, head);
        }
        SSL_shutdown(ssl.get());
        close_socket(sock);
    }

    // Reads until the head is complete, within the limits; `got` may hold the body's first bytes
    // too. A refusal, or nothing (with `got` empty when the peer went away).
    std::optional<Refusal> read_head(SSL* ssl, int sock, std::string& got) {
        using clock = std::chrono::steady_clock;
        auto deadline = clock::now() + std::chrono::milliseconds(m_limits.head_deadline_ms);
        char buf[4096];
        for (;;) {
            if (auto end = got.find("\r\n\r\n"); end != std::string::npos) return head_problem(std::string_view(got).substr(0, end + 4), m_limits);
            if (got.size() > m_limits.head_bytes || static_cast<int>(std::count(got.begin(), got.end(), '\n')) > m_limits.head_lines)
                return too_large_head(m_limits);
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
            if (left <= 0 || !tls_readable(ssl, sock, static_cast<int>(left))) return too_slow();
            int n = SSL_read(ssl, buf, sizeof buf);
            if (n <= 0) {
                if (SSL_get_error(ssl, n) == SSL_ERROR_WANT_READ) continue;
                got.clear();
                return std::nullopt;
            }
            got.append(buf, static_cast<size_t>(n));
        }
    }

    // httplib serves the request on one end of a socketpair (on a thread of its own, as the peer's
    // address); this thread carries bytes between the other end and the TLS connection.
    void relay(SSL* ssl, int sock, const std::string& addr, const std::string& first) {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return;
        int local = pair[0];
        std::thread http([this, plain = pair[1], addr] {
            t_peer = addr;
            httplib_plain_process(this, plain);  // closes `plain`
            t_peer.clear();
        });
        bool ok = write_all(local, first.data(), first.size());
        bool from_peer = true;
        char buf[16384];
        while (ok) {
            pollfd p[2] = {{from_peer ? sock : -1, POLLIN, 0}, {local, POLLIN, 0}};
            bool pending = from_peer && SSL_pending(ssl) > 0;
            int r = ::poll(p, 2, pending ? 0 : 30000);
            if (r < 0 && errno == EINTR) continue;
            if (r == 0 && !pending) break;  // half a minute without a byte either way
            if (pending || (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
                int n = SSL_read(ssl, buf, sizeof buf);
                if (n > 0) {
                    ok = write_all(local, buf, static_cast<size_t>(n));
                } else if (SSL_get_error(ssl, n) != SSL_ERROR_WANT_READ) {
                    from_peer = false;  // the peer is done sending: httplib still answers
                    ::shutdown(local, SHUT_WR);
                }
            }
            if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = ::recv(local, buf, sizeof buf, 0);
                if (n <= 0) break;  // httplib answered and closed
                ok = SSL_write(ssl, buf, static_cast<int>(n)) > 0;
            }
        }
        ::shutdown(local, SHUT_RDWR);
        ::close(local);
        http.join();
    }

    DoorLimits m_limits;
    AddressGate m_gate;
};

}  // namespace

const std::string& door_peer_address() { return t_peer; }

std::unique_ptr<httplib::Server> make_front_door(const TlsFiles* tls, const DoorLimits& limits) {
    if (!tls) {
        auto s = std::make_unique<PlainDoor>(limits);
        // Every request on a plain connection passes the door: httplib would read a kept-alive
        // connection's next head unchecked. A fresh loopback/LAN connection costs little.
        s->set_keep_alive_max_count(1);
        return s;
    }
    // OpenSSL writes to the socket with write(): a peer gone mid-answer must not end the server.
    std::signal(SIGPIPE, SIG_IGN);
    auto s = std::make_unique<TlsDoor>(*tls, limits);
    if (!s->is_valid()) throw std::runtime_error("cannot use the TLS certificate " + tls->cert + " with the key " + tls->key);
    s->set_keep_alive_max_count(1);  // the request httplib reads on the socketpair is the one the door checked
    return s;
}

}  // namespace kiosk::headoffice
