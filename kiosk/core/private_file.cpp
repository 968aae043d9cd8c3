#include "kiosk/core/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

namespace kiosk {

void make_private_file(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + path.string());
    int rc = ::fchmod(fd, 0600);
    ::close(fd);
    if (rc != 0) throw std::runtime_error("cannot make " + path.string() + " private");
    for (const char* tail : {"-wal", "-shm", "-journal"}) {
        auto side = path.string() + tail;
        std::error_code ec;
        if (std::filesystem::exists(side, ec)) ::chmod(side.c_str(), 0600);
    }
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

}  // namespace kiosk
