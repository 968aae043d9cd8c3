#pragma once
// The real `lobby-headoffice serve` as a child process on loopback, on a free port, its stdout and
// stderr in a log file; killed (SIGTERM) and reaped when this goes. For tests that must see the
// binary as an operator runs it: its flags, its log, its memory.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "wait_for.hpp"

namespace kiosk::test {

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct ServeProcess {
    pid_t pid = -1;
    int port = 0;
    std::filesystem::path log;

    // `db`: the store; `extra`: more flags for serve. The port is read from its first line.
    ServeProcess(const std::string& db, const std::filesystem::path& log_file, const std::vector<std::string>& extra = {}) : log(log_file) {
        std::vector<std::string> args{LOBBY_HEADOFFICE, "serve", "--db", db, "--listen", "127.0.0.1:0"};
        args.insert(args.end(), extra.begin(), extra.end());
        pid = ::fork();
        if (pid == 0) {
            FILE* f = std::freopen(log.c_str(), "w", stdout);
            (void)f;
            ::dup2(::fileno(stdout), 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(LOBBY_HEADOFFICE, argv.data());
            ::_exit(127);
        }
        std::smatch m;
        REQUIRE(wait_until(
            [&] {
                std::string s = slurp(log);
                if (!std::regex_search(s, m, std::regex("listening on https?://127.0.0.1:(\\d+)"))) return false;
                port = std::stoi(m[1]);
                return true;
            },
            std::chrono::seconds(10)));
    }
    ~ServeProcess() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;
    bool alive() const { return ::kill(pid, 0) == 0 && ::waitpid(pid, nullptr, WNOHANG) == 0; }
    std::string output() const { return slurp(log); }
};

}  // namespace kiosk::test
