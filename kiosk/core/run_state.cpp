#include "kiosk/core/run_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "kiosk/core/private_file.hpp"

namespace kiosk {

namespace {

constexpr size_t kMaxStateBytes = 4096;

// At most `max` bytes of a small file; nothing when it is missing or larger.
std::optional<std::string> read_small(const std::filesystem::path& p, size_t max = kMaxStateBytes) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::string s(max + 1, '\0');
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    s.resize(static_cast<size_t>(in.gcount()));
    if (s.size() > max) return std::nullopt;
    return s;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

std::optional<RunState> read_state(const std::filesystem::path& p) {
    auto text = read_small(p);
    if (!text) return std::nullopt;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object()) return RunState{};  // there, but unreadable: no clean marker, no version
    RunState s;
    if (auto v = j.find("version"); v != j.end() && v->is_string()) s.version = *v;
    if (auto b = j.find("boot_id"); b != j.end() && b->is_string()) s.boot_id = *b;
    if (auto c = j.find("clean"); c != j.end() && c->is_boolean()) s.clean = *c;
    return s;
}

// Replaced whole (a temporary file, fsync, rename): a power cut leaves the old state or the new.
bool write_state(const std::filesystem::path& dir, const RunState& s) {
    auto tmp = dir / "run-state.json.tmp";
    std::string text = nlohmann::json{{"version", s.version}, {"boot_id", s.boot_id}, {"clean", s.clean}}.dump() + "\n";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    bool ok = write_all(fd, text) && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    std::error_code ec;
    if (ok) std::filesystem::rename(tmp, dir / "run-state.json", ec);
    if (!ok || ec) {
        std::filesystem::remove(tmp, ec);
        return false;
    }
    return true;
}

}  // namespace

std::string restart_cause(const std::optional<RunState>& before, const std::string& version, const std::string& boot_id,
                          const std::string& service_result, const std::string& upgraded_from) {
    if (!upgraded_from.empty()) return "upgrade";
    if (!before) return "first";
    if (!before->version.empty() && before->version != version) return "upgrade";
    if (before->clean) return "normal";
    if (service_result == "success") return "normal";
    if (!before->boot_id.empty() && !boot_id.empty() && before->boot_id != boot_id) return "power";
    if (before->boot_id.empty() || boot_id.empty()) return "unknown";  // cannot tell a power cut from a crash
    return service_result == "watchdog" ? "watchdog" : "crash";
}

std::string current_boot_id(const std::filesystem::path& from) { return trimmed(read_small(from, 64).value_or("")); }

std::string note_start(const std::filesystem::path& dir, const std::string& version, const std::string& boot_id) {
    auto before = read_state(dir / "run-state.json");
    std::error_code ec;
    std::string stopped = trimmed(read_small(dir / "last-stop", 64).value_or(""));
    std::filesystem::remove(dir / "last-stop", ec);
    std::string upgraded = trimmed(read_small(dir / kUpgradedFromFile, 256).value_or(""));
    std::filesystem::remove(dir / kUpgradedFromFile, ec);
    std::string cause = restart_cause(before, version, boot_id, stopped, upgraded);
    if (!write_state(dir, RunState{version, boot_id, false})) return "unknown";
    return cause;
}

void note_clean_exit(const std::filesystem::path& dir) {
    auto s = read_state(dir / "run-state.json").value_or(RunState{});
    s.clean = true;
    write_state(dir, s);
}

}  // namespace kiosk
