#pragma once
// Why the kiosk started again: what its heartbeat calls the last restart cause. The kiosk keeps a
// small file in its data folder (run-state.json: the version that ran, the boot it ran in, and
// whether it ended in order) and reads it at the next start:
//   no file                                   first     (a new install, or the file was lost)
//   the package was upgraded since            upgrade   (postinst left <data>/upgraded-from)
//   another version ran before                upgrade
//   the run before ended in order             normal
//   systemd stopped it in order ("success")   normal    (stop or restart, though cage's end
//                                                        took the kiosk down before it could say so)
//   it did not, and the machine booted since  power     (power cut, hard reset, kernel panic)
//   it did not, in the same boot              crash, or watchdog when systemd said so
// systemd tells only ExecStopPost= why it stopped a service ($SERVICE_RESULT: "watchdog",
// "signal", "core-dump", "exit-code", ...), never the next start: the unit keeps that word in
// <data>/last-stop (ExecStopPost=/bin/sh -c 'echo "$SERVICE_RESULT" > /var/lib/lobby-kiosk/last-stop'),
// and the kiosk reads and removes it here. Without it a watchdog kill is a crash.
//
// An upgrade stops the kiosk through `systemctl restart` in the package's postinst: cage, XWayland
// and the kiosk get SIGHUP together, XWayland's end takes the kiosk's X connection and the kiosk
// exits before it can write "ended in order". With the same version string on both sides (the
// appliance test repackages one build under a higher version) that read "crash". So the postinst
// leaves the old version in <data>/upgraded-from when the version changes (read and removed here),
// and systemd's "success" counts as an orderly stop.
#include <filesystem>
#include <optional>
#include <string>

namespace kiosk {

struct RunState {
    std::string version, boot_id;
    bool clean = false;  // the run ended in order (the kiosk wrote this on its way out)
};

// The cause from the state the run before left (nothing: no file), this run's version and boot,
// and systemd's word for how the last run stopped ("" when none was kept).
// `upgraded_from`: the package version the postinst replaced ("" when it left none).
std::string restart_cause(const std::optional<RunState>& before, const std::string& version, const std::string& boot_id,
                          const std::string& service_result, const std::string& upgraded_from = {});
inline constexpr const char* kUpgradedFromFile = "upgraded-from";

// This boot's id (/proc/sys/kernel/random/boot_id); "" where there is none.
std::string current_boot_id(const std::filesystem::path& from = "/proc/sys/kernel/random/boot_id");

// At start: reads what the run before left in `dir` (and the unit's last-stop word, which it
// removes), records this run as not yet ended in order, and returns the cause. A file it cannot
// read or write costs only the cause ("unknown"); the kiosk starts all the same.
std::string note_start(const std::filesystem::path& dir, const std::string& version, const std::string& boot_id);
// On an orderly exit (the window closed, SIGTERM): the next start will read "normal".
void note_clean_exit(const std::filesystem::path& dir);

}  // namespace kiosk
