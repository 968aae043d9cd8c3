#include "sync/server/front_door.hpp"

#include <httplib.h>
#include <openssl/ssl.h>
#include <fcntl.h>
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

#include "sync/common/heartbeat.hpp"
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
    if (path == "/v1/heartbeat") return sync::kMaxHeartbeatBytes;
    if (path == "/console/site-data/preview") return 4u << 20;  // console::kMaxUploadBytes: a CSV upload
    if (path.starts_with("/console/")) return 16 * 1024;  // console::kMaxFormBytes: forms, never files
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
        if (m_cap > 0 && n >= m_cap) return false;
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
    // Every line ends in CRLF: httplib drops a line ending in a bare LF but reads the next, so a
    // header the door did not see could follow one.
    for (size_t at = head.find('\n'); at != std::string_view::npos; at = head.find('\n', at + 1))
        if (at == 0 || head[at - 1] != '\r') return Refusal{400, "Bad Request", "bad_request", "header lines end in CRLF"};
    bool has_length = false, chunked = false;
    for (size_t at = eol + 2; at < head.size();) {
        auto end = head.find("\r\n", at);
        if (end == std::string_view::npos) break;
        std::string_view line = head.substr(at, end - at);
        at = end + 2;
        auto value = [&](size_t name_len) {
            auto v = line.substr(name_len);
            while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
            while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
            return v;
        };
        if (iequals_prefix(line, "content-length:")) {
            auto v = value(15);
            unsigned long long n = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc{} || p != v.data() + v.size() || n > cap)
                return Refusal{413, "Payload Too Large", "body_too_large", "this route takes at most " + std::to_string(cap) + " bytes"};
            has_length = true;
        } else if (iequals_prefix(line, "transfer-encoding:")) {
            // Only plain chunked, and only where a body is taken: httplib reads other framings
            // (and bodies to routes without a capped reader) in full.
            auto v = value(18);
            if (v.size() != 7 || !iequals_prefix(v, "chunked"))
                return Refusal{501, "Not Implemented", "bad_request", "Transfer-Encoding is chunked or none"};
            if (cap == 0) return Refusal{413, "Payload Too Large", "body_too_large", "this route takes no body"};
            chunked = true;
        } else if (iequals_prefix(line, "content-encoding:")) {
            // httplib would inflate a gzip body past every cap (255 KB on the wire, 256 MiB in memory).
            return Refusal{415, "Unsupported Media Type", "unsupported_encoding", "bodies are sent without Content-Encoding"};
        }
    }
    if (cap > 0 && !has_length && !chunked)
        return Refusal{411, "Length Required", "length_required", "a body needs Content-Length or chunked"};
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

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
    return static_cast<int>(std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
}

// Waits until the socket can do what an SSL call asked for (SSL_ERROR_WANT_READ or _WRITE); false
// when the deadline comes first. The socket is non-blocking: no single byte restarts a clock.
bool wait_tls(int sock, int want, Clock::time_point deadline) {
    for (;;) {
        int left = ms_left(deadline);
        if (left <= 0) return false;
        pollfd p{sock, static_cast<short>(want == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN), 0};
        int r = ::poll(&p, 1, left);
        if (r > 0) return true;
        if (r == 0 || errno != EINTR) return false;
    }
}

bool tls_wants(SSL* ssl, int r, int& want) {
    want = SSL_get_error(ssl, r);
    return want == SSL_ERROR_WANT_READ || want == SSL_ERROR_WANT_WRITE;
}

// Writes all of `data` before the deadline.
bool tls_write_all(SSL* ssl, int sock, std::string_view data, Clock::time_point deadline) {
    while (!data.empty()) {
        int r = SSL_write(ssl, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 20)));
        int want = 0;
        if (r > 0) data.remove_prefix(static_cast<size_t>(r));
        else if (!tls_wants(ssl, r, want) || !wait_tls(sock, want, deadline)) return false;
    }
    return true;
}

bool set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL, 0);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// HTTPS: the door ends TLS itself, so it sees the request head in clear and holds it to the same
// limits as a plain one (bytes, lines, deadline, framing), then hands the request to httplib as
// plain HTTP over a socketpair and carries the bytes both ways. All of it on a non-blocking socket
// against deadlines: the handshake and the head within the head deadline, the whole exchange
// within kRequestDeadlineS. One request per connection, as on plain HTTP, so every head passes
// the door.
class TlsDoor final : public httplib::SSLServer {
public:
    TlsDoor(const TlsFiles& tls, const DoorLimits& limits)
        : httplib::SSLServer(tls.cert.c_str(), tls.key.c_str()), m_limits(limits), m_gate(limits.per_address) {
        if (SSL_CTX* ctx = ssl_context()) {
            SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
            SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
        }
    }

private:
    bool process_and_close_socket(socket_t sock) override {
        std::string addr = peer_address(sock);
        if (!m_gate.enter(addr)) {
            close_socket(sock);
            return false;
        }
        try {
            serve(sock, addr);
        } catch (const std::exception&) {  // no thread for the request: the connection goes, the server stays
        }
        m_gate.leave(addr);
        close_socket(sock);
        return true;
    }

    void serve(int sock, const std::string& addr) {
        if (!set_nonblocking(sock)) return;
        std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ssl_context()), &SSL_free);
        if (!ssl || SSL_set_fd(ssl.get(), sock) != 1) return;
        SSL_set_mode(ssl.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        auto deadline = Clock::now() + std::chrono::milliseconds(m_limits.head_deadline_ms);
        for (int r; (r = SSL_accept(ssl.get())) != 1;) {
            int want = 0;
            if (!tls_wants(ssl.get(), r, want) || !wait_tls(sock, want, deadline)) return;
        }
        std::string head;
        deadline = Clock::now() + std::chrono::milliseconds(m_limits.head_deadline_ms);
        if (auto refusal = read_head(ssl.get(), sock, head, deadline)) {
            tls_write_all(ssl.get(), sock, refusal_bytes(*refusal), Clock::now() + std::chrono::seconds(5));
        } else if (!head.empty()) {
            relay(ssl.get(), sock, addr, head);
        }
        SSL_shutdown(ssl.get());  // once, without waiting for the peer's
    }

    // Reads until the head is complete, within the limits and the deadline; `got` may hold the
    // body's first bytes too. A refusal, or nothing (with `got` empty when the peer went away).
    std::optional<Refusal> read_head(SSL* ssl, int sock, std::string& got, Clock::time_point deadline) {
        char buf[4096];
        for (;;) {
            if (auto end = got.find("\r\n\r\n"); end != std::string::npos) return head_problem(std::string_view(got).substr(0, end + 4), m_limits);
            if (got.size() > m_limits.head_bytes || static_cast<int>(std::count(got.begin(), got.end(), '\n')) > m_limits.head_lines)
                return too_large_head(m_limits);
            int r = SSL_read(ssl, buf, sizeof buf);
            int want = 0;
            if (r > 0) {
                got.append(buf, static_cast<size_t>(r));
            } else if (tls_wants(ssl, r, want)) {
                if (!wait_tls(sock, want, deadline)) return too_slow();
            } else {
                got.clear();
                return std::nullopt;
            }
        }
    }

    // httplib serves the request on one end of a socketpair (on a thread of its own, as the peer's
    // address); this thread carries bytes between the other end and the TLS connection. Neither
    // side is ever written to blindly: a peer's bytes are read only once the last ones went in,
    // httplib's answer only once the last of it went out, so a peer that sends and never reads
    // cannot wedge both; and the exchange ends at its deadline whatever it is doing.
    void relay(SSL* ssl, int sock, const std::string& addr, std::string to_local) {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return;
        int local = pair[0], plain = pair[1];
        timeval tv{5, 0};  // httplib's blocking writes to its end give up like its writes to a socket
        ::setsockopt(plain, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        ::setsockopt(plain, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        set_nonblocking(local);
        std::thread http;
        try {
            http = std::thread([this, plain, addr] {
                t_peer = addr;
                httplib_plain_process(this, plain);  // closes `plain`
                t_peer.clear();
            });
        } catch (...) {
            ::close(local);
            ::close(plain);
            throw;
        }
        auto deadline = Clock::now() + std::chrono::seconds(kRequestDeadlineS);
        std::string to_peer;
        size_t local_off = 0, peer_off = 0;
        bool peer_open = true, local_takes = true, local_open = true;
        auto out_since = Clock::now();  // when the answer's pending bytes last moved to the peer
        char buf[16384];
        while (Clock::now() < deadline) {
            // A peer that does not read its answer is let go (its worker too) after the head deadline.
            if (to_peer.empty()) out_since = Clock::now();
            else if (Clock::now() - out_since > std::chrono::milliseconds(m_limits.head_deadline_ms)) break;
            bool progress = false;
            int read_want = 0, write_want = 0;
            if (local_off < to_local.size()) {  // the peer's bytes into httplib
                ssize_t n = ::send(local, to_local.data() + local_off, to_local.size() - local_off, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0) {
                    local_off += static_cast<size_t>(n);
                    progress = true;
                } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    local_takes = peer_open = false;  // httplib stopped reading: carry its answer, drop the rest
                }
                if (local_off == to_local.size() || !local_takes) to_local.clear(), local_off = 0;
            }
            if (peer_open && local_takes && to_local.empty()) {
                int r = SSL_read(ssl, buf, sizeof buf);
                if (r > 0) {
                    to_local.assign(buf, static_cast<size_t>(r));
                    progress = true;
                } else if (!tls_wants(ssl, r, read_want)) {
                    peer_open = false;  // the peer is done sending: httplib still answers
                    ::shutdown(local, SHUT_WR);
                }
            }
            if (local_open && to_peer.empty()) {  // httplib's answer, a piece at a time
                ssize_t n = ::recv(local, buf, sizeof buf, MSG_DONTWAIT);
                if (n > 0) {
                    to_peer.assign(buf, static_cast<size_t>(n));
                    progress = true;
                } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                    local_open = false;
                }
            }
            if (peer_off < to_peer.size()) {
                int r = SSL_write(ssl, to_peer.data() + peer_off, static_cast<int>(to_peer.size() - peer_off));
                if (r > 0) {
                    peer_off += static_cast<size_t>(r);
                    progress = true;
                    out_since = Clock::now();
                    if (peer_off == to_peer.size()) to_peer.clear(), peer_off = 0;
                } else if (!tls_wants(ssl, r, write_want)) {
                    break;  // the peer is gone
                }
            }
            if (!local_open && to_peer.empty()) break;  // the answer is out
            if (progress) continue;
            short sock_events = 0, local_events = 0;
            if (read_want == SSL_ERROR_WANT_READ || write_want == SSL_ERROR_WANT_READ) sock_events |= POLLIN;
            if (read_want == SSL_ERROR_WANT_WRITE || write_want == SSL_ERROR_WANT_WRITE) sock_events |= POLLOUT;
            if (!to_local.empty()) local_events |= POLLOUT;
            if (local_open && to_peer.empty()) local_events |= POLLIN;
            pollfd p[2] = {{sock_events ? sock : -1, sock_events, 0}, {local_events ? local : -1, local_events, 0}};
            if (::poll(p, 2, std::min(ms_left(deadline), 1000)) < 0 && errno != EINTR) break;
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
