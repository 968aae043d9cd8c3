#include "kiosk/print/transport.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace kiosk::print {

namespace {

constexpr int kConnectTimeoutMs = 3000;
constexpr int kWriteTimeoutMs = 10000;  // a long slip on a slow printer

// Writes everything to a non-blocking descriptor, waiting for it to drain up to the timeout.
Result<Ok> write_all(int fd, const Bytes& bytes, const std::string& what) {
    size_t done = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWriteTimeoutMs);
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n > 0) {
            done += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return Error{"print.error.offline", what + ": " + std::strerror(errno)};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) return Error{"print.error.offline", what + ": the printer stopped taking data"};
        pollfd p{fd, POLLOUT, 0};
        ::poll(&p, 1, static_cast<int>(left));
    }
    return Ok{};
}

std::optional<uint8_t> read_one(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0 || !(p.revents & POLLIN)) return std::nullopt;
    uint8_t b = 0;
    if (::read(fd, &b, 1) != 1) return std::nullopt;
    return b;
}

void drain(int fd) {  // a late reply to an earlier query must not answer this one
    uint8_t junk[64];
    while (read_one(fd, 0)) (void)::read(fd, junk, sizeof junk);
}

class FdTransport : public Transport {
public:
    Result<Ok> send(const Bytes& bytes) override { return write_all(m_fd, bytes, name()); }
    std::optional<uint8_t> ask_status(uint8_t n, int timeout_ms) override {
        drain(m_fd);
        if (!write_all(m_fd, escpos_status_query(n), name())) return std::nullopt;
        return read_one(m_fd, timeout_ms);
    }
    void close() override {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }
    ~FdTransport() override { FdTransport::close(); }

protected:
    int m_fd = -1;
};

class TcpTransport : public FdTransport {
public:
    TcpTransport(std::string host, std::string port) : m_host(std::move(host)), m_port(std::move(port)) {}
    std::string name() const override { return "tcp " + m_host + ":" + m_port; }
    bool reports_status() const override { return true; }
    Result<Ok> open() override {
        close();
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        if (::getaddrinfo(m_host.c_str(), m_port.c_str(), &hints, &res) != 0 || !res)
            return Error{"print.error.offline", name() + ": unknown host"};
        std::string why = "no address";
        for (addrinfo* a = res; a; a = a->ai_next) {
            int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
            if (fd < 0) continue;
            int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
            if (rc < 0 && errno == EINPROGRESS) {
                pollfd p{fd, POLLOUT, 0};
                int err = ETIMEDOUT;
                socklen_t len = sizeof err;
                if (::poll(&p, 1, kConnectTimeoutMs) > 0) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                rc = err == 0 ? 0 : -1;
                errno = err;
            }
            if (rc == 0) {
                int one = 1;
                ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                m_fd = fd;
                break;
            }
            why = std::strerror(errno);
            ::close(fd);
        }
        ::freeaddrinfo(res);
        if (m_fd < 0) return Error{"print.error.offline", name() + ": " + why};
        return Ok{};
    }

private:
    std::string m_host, m_port;
};

class DeviceTransport : public FdTransport {
public:
    explicit DeviceTransport(std::string path) : m_path(std::move(path)) {}
    std::string name() const override { return "device " + m_path; }
    bool reports_status() const override { return true; }  // usblp is bidirectional
    Result<Ok> open() override {
        close();
        m_fd = ::open(m_path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (m_fd < 0) return Error{"print.error.offline", name() + ": " + std::strerror(errno)};
        return Ok{};
    }

private:
    std::string m_path;
};

class FileTransport : public Transport {
public:
    explicit FileTransport(std::string path) : m_path(std::move(path)) {}
    std::string name() const override { return "file " + m_path; }
    bool reports_status() const override { return false; }
    Result<Ok> open() override { return Ok{}; }
    Result<Ok> send(const Bytes& bytes) override {
        std::ofstream out(m_path, std::ios::binary | std::ios::app);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) return Error{"print.error.offline", name() + ": cannot write"};
        return Ok{};
    }
    std::optional<uint8_t> ask_status(uint8_t, int) override { return std::nullopt; }
    void close() override {}

private:
    std::string m_path;
};

class PngFolderTransport : public Transport {
public:
    explicit PngFolderTransport(std::string dir) : m_dir(std::move(dir)) {}
    std::string name() const override { return "png " + m_dir; }
    bool speaks_escpos() const override { return false; }
    bool reports_status() const override { return false; }
    Result<Ok> open() override {
        std::error_code ec;
        std::filesystem::create_directories(m_dir, ec);
        if (ec) return Error{"print.error.offline", name() + ": " + ec.message()};
        return Ok{};
    }
    Result<Ok> send(const Bytes&) override { return Ok{}; }
    std::optional<uint8_t> ask_status(uint8_t, int) override { return std::nullopt; }
    void close() override {}
    Result<Ok> save_picture(const std::string& stem, const Bitmap& slip) override {
        auto png = bitmap_png(slip);
        std::ofstream out(std::filesystem::path(m_dir) / (stem + ".png"), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
        if (!out) return Error{"print.error.offline", name() + ": cannot write " + stem + ".png"};
        return Ok{};
    }

private:
    std::string m_dir;
};

}  // namespace

Result<std::unique_ptr<Transport>> make_transport(const std::string& uri) {
    auto after = [&](std::string_view prefix) { return uri.substr(prefix.size()); };
    if (uri.rfind("tcp://", 0) == 0) {
        std::string hostport = after("tcp://");
        auto colon = hostport.rfind(':');
        std::string host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
        std::string port = colon == std::string::npos ? "9100" : hostport.substr(colon + 1);
        if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos)
            return Error{"print.error.setting", "printer: expected tcp://host:port, got " + uri};
        return std::unique_ptr<Transport>(std::make_unique<TcpTransport>(host, port));
    }
    if (uri.rfind("dev:", 0) == 0 && uri.size() > 4) return std::unique_ptr<Transport>(std::make_unique<DeviceTransport>(after("dev:")));
    if (uri.rfind("/dev/", 0) == 0) return std::unique_ptr<Transport>(std::make_unique<DeviceTransport>(uri));
    if (uri.rfind("file:", 0) == 0 && uri.size() > 5) return std::unique_ptr<Transport>(std::make_unique<FileTransport>(after("file:")));
    if (uri.rfind("png:", 0) == 0 && uri.size() > 4) return std::unique_ptr<Transport>(std::make_unique<PngFolderTransport>(after("png:")));
    return Error{"print.error.setting", "printer: expected tcp://host:port, dev:/dev/usb/lp0, file:PATH or png:DIR, got " + uri};
}

}  // namespace kiosk::print
