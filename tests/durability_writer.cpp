// durability-writer: the victim process of test_durability.
//
//   durability-writer <store.db> [seed]
//
// Opens the kiosk store and saves "test.durability" records until it is killed. Only after
// save_record() has *returned* successfully does it write "<record id> <token>\n" to fd 1 with a
// single write(2) (no stdio buffering), so every line the parent reads is a record the kiosk would
// have told a person was saved. Between saves it sleeps a random 0-400 us so that SIGKILL lands at
// varied points of the save path (inside the transaction, in the commit, between saves, ...).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/store/store.hpp"

namespace {

bool write_all(int fd, const std::string& s) {
    const char* p = s.data();
    size_t left = s.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <store.db> [seed]\n", argv[0]);
        return 64;
    }
    const pid_t pid = ::getpid();
    const unsigned long long seed =
        argc > 2 ? std::strtoull(argv[2], nullptr, 10) : static_cast<unsigned long long>(pid);
    std::mt19937_64 rng(seed ^ (static_cast<unsigned long long>(pid) << 32));
    std::uniform_int_distribution<int> pause_us(0, 400);

    auto opened = kiosk::Store::open(argv[1], "DUR", "K1");
    if (!opened) {
        std::fprintf(stderr, "durability-writer: open failed: %s\n", opened.error().detail.c_str());
        return 2;
    }
    auto& store = *opened.value();

    for (unsigned long long n = 0;; ++n) {
        const std::string token = std::to_string(pid) + "-" + std::to_string(n);
        nlohmann::json payload = {{"token", token}, {"n", n}, {"note", "durability probe"}};
        auto saved = store.save_record("test.durability", 1, payload);
        if (!saved) {
            std::fprintf(stderr, "durability-writer: save %llu failed: %s\n", n, saved.error().detail.c_str());
            return 3;
        }
        // The save has returned: acknowledge it. One write(2) per line (lines are far below
        // PIPE_BUF, so the parent never sees a torn line from a completed write).
        if (!write_all(1, saved.value().id + " " + token + "\n")) return 4;
        if (int us = pause_us(rng); us > 0) ::usleep(static_cast<useconds_t>(us));
    }
}
