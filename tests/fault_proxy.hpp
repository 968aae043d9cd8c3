#pragma once
// A TCP proxy on 127.0.0.1 between a kiosk and the real head-office server that misbehaves on
// request: refuses connections (the network is cut), answers 500 without forwarding, delays,
// cuts the answer after the server committed (a lost ack), and replays a captured request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <stdexcept>
#include <thread>

#include "loopback.hpp"

namespace kiosk::test {

class FaultProxy {
public:
    enum class Mode { Pass, Refuse, Error500, Delay, CutAnswer };

    explicit FaultProxy(int upstream_port) : m_upstream(upstream_port) {
        m_listen = listen_on_loopback(m_port, 64);
        if (m_listen < 0) throw std::runtime_error("no loopback port for the proxy");
        m_thread = std::thread([this] { accept_loop(); });
    }
    ~FaultProxy() {
        {
            std::lock_guard g(m_lock);
            m_stop = true;
        }
        m_stopping.notify_all();
        m_thread.join();  // no new connections after this
        std::list<std::thread> conns;
        {
            std::lock_guard g(m_lock);
            conns.swap(m_conns);
        }
        for (auto& t : conns) t.join();
        ::close(m_listen);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    // The next `times` connections (or all, when times < 0) get `mode`; then Pass again.
    void set_mode(Mode m, int times = -1) {
        std::lock_guard g(m_lock);
        m_mode = m;
        m_times = times;
    }
    void set_delay(std::chrono::milliseconds d) { m_delay = d; }
    // The next `n` requests pass untouched before the mode applies (a setup's health check and
    // enrolment pass; the first pull after them is slow).
    void pass_first(int n) {
        std::lock_guard g(m_lock);
        m_pass_first = n;
    }
    int faults() const { return m_faults; }
    // The first push request that went through, whole, as bytes: for a replay.
    std::string captured() {
        std::lock_guard g(m_lock);
        return m_captured;
    }
    // Sends raw request bytes to the server directly and returns the HTTP status it answers.
    int replay(const std::string& bytes) {
        int up = connect_upstream();
        if (up < 0) return -1;
        send_all(up, bytes.data(), bytes.size());
        std::string answer;
        char buf[4096];
        for (;;) {
            pollfd p{up, POLLIN, 0};
            if (::poll(&p, 1, 3000) <= 0) break;
            ssize_t n = ::read(up, buf, sizeof buf);
            if (n <= 0) break;
            answer.append(buf, static_cast<size_t>(n));
            if (answer.find("\r\n\r\n") != std::string::npos) break;
        }
        ::close(up);
        if (answer.size() < 12) return -1;
        return std::atoi(answer.c_str() + 9);
    }

private:
    Mode take_mode() {
        std::lock_guard g(m_lock);
        if (m_pass_first > 0) {
            --m_pass_first;
            return Mode::Pass;
        }
        Mode m = m_mode;
        if (m_times > 0 && --m_times == 0) m_mode = Mode::Pass;
        if (m != Mode::Pass && m != Mode::Delay) ++m_faults;
        return m;
    }
    int connect_upstream() {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<uint16_t>(m_upstream.load()));
        if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }
    static void send_all(int fd, const char* p, size_t n) {
        while (n > 0) {
            ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
            if (w <= 0) return;
            p += w;
            n -= static_cast<size_t>(w);
        }
    }
    void accept_loop() {
        while (!m_stop) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0) continue;
            std::lock_guard g(m_lock);
            m_conns.emplace_back([this, fd] { handle(fd); });
        }
    }
    // The mode is taken per request (a kiosk keeps its connection open between requests).
    void handle(int client) {
        int up = connect_upstream();
        if (up < 0) {
            ::close(client);
            return;
        }
        Mode mode = Mode::Pass;
        bool capturing = false;
        std::string request;
        char buf[65536];
        while (!m_stop) {
            pollfd ps[2] = {{client, POLLIN, 0}, {up, POLLIN, 0}};
            int n = ::poll(ps, 2, 100);
            if (n < 0) break;
            if (n == 0) continue;
            if (ps[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t r = ::read(client, buf, sizeof buf);
                if (r <= 0) break;
                std::string_view head(buf, std::min<size_t>(static_cast<size_t>(r), 8));
                if (head.rfind("POST ", 0) == 0 || head.rfind("GET ", 0) == 0) mode = take_mode();
                if (mode == Mode::Refuse) break;
                if (mode == Mode::Error500) {
                    static const std::string k500 =
                        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 43\r\n"
                        "Connection: close\r\n\r\n{\"error\":\"internal\",\"message\":\"injected\"}\r\n";
                    send_all(client, k500.data(), k500.size());
                    break;
                }
                if (head.rfind("POST ", 0) == 0) {
                    std::lock_guard g(m_lock);
                    capturing = m_captured.empty() && std::string_view(buf, static_cast<size_t>(r)).rfind("POST /v1/push", 0) == 0;
                }
                if (capturing) request.append(buf, static_cast<size_t>(r));
                if (mode == Mode::Delay) {
                    // A slow link: hold the bytes back for the delay, or until the proxy stops.
                    std::unique_lock g(m_lock);
                    m_stopping.wait_for(g, m_delay, [&] { return m_stop.load(); });
                }
                send_all(up, buf, static_cast<size_t>(r));
            }
            if (ps[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t r = ::read(up, buf, sizeof buf);
                if (r <= 0) break;
                if (capturing) {  // the server answers: the request was whole
                    std::lock_guard g(m_lock);
                    if (m_captured.empty()) m_captured = request;
                    capturing = false;
                }
                if (mode == Mode::CutAnswer) break;  // the server committed; the kiosk never hears
                send_all(client, buf, static_cast<size_t>(r));
            }
        }
        ::close(up);
        ::close(client);
    }

    std::atomic<int> m_upstream;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::mutex m_lock;
    std::condition_variable m_stopping;  // wakes a held-back delay when the proxy stops
    std::list<std::thread> m_conns;
    Mode m_mode = Mode::Pass;
    int m_times = -1;
    int m_pass_first = 0;
    std::atomic<int> m_faults{0};
    std::chrono::milliseconds m_delay{200};
    std::string m_captured;
};

}  // namespace kiosk::test
