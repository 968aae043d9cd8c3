#pragma once
// Runs a command line through the shell and gives its exit code and its output (stdout and
// stderr together), for tests of the command-line tools.
#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

namespace kiosk::test {

inline std::pair<int, std::string> run_command(const std::string& command) {
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p) throw std::runtime_error("cannot run " + command);
    std::string out;
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    int rc = ::pclose(p);
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

}  // namespace kiosk::test
