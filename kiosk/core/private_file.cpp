#include "kiosk/core/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace kiosk {

void make_private_file(const std::filesystem::path& path) {
    // An existing file is changed by its name, never opened: closing any descriptor of a file drops
    // every POSIX lock this process holds on it, and SQLite's connections in this process (head
    // office opens a second one for its console) would lose the lock that keeps another process
    // from deleting the WAL under them. Their later commits then reached no other reader.
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        if (::chmod(path.c_str(), 0600) != 0) throw std::runtime_error("cannot make " + path.string() + " private");
    } else {
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) throw std::runtime_error("cannot create " + path.string());
        int rc = ::fchmod(fd, 0600);
        ::close(fd);
        if (rc != 0) throw std::runtime_error("cannot make " + path.string() + " private");
    }
    for (const char* tail : {"-wal", "-shm", "-journal"}) {
        auto side = path.string() + tail;
        std::error_code ec;
        if (std::filesystem::exists(side, ec)) ::chmod(side.c_str(), 0600);
    }
}

bool is_plain_file_path(const std::filesystem::path& path) {
    auto s = path.string();
    return !s.empty() && s != ":memory:" && s.rfind("file:", 0) != 0;
}

int open_private_append(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    if (::fchmod(fd, 0600) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            return false;
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

std::string write_new_private_file(const std::filesystem::path& path, std::string_view data) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return std::string("cannot create ") + path.string() + ": " + std::strerror(errno);
    bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, data) && ::fsync(fd) == 0;
    int err = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
        ::unlink(path.c_str());
        return std::string("cannot write ") + path.string() + ": " + std::strerror(err);
    }
    auto dir_path = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    int dir = ::open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return "";
}

}  // namespace kiosk
