#pragma once
// A kiosk's heartbeat (sync/PROTOCOL.md, "POST /v1/heartbeat"): how it stands, sent every minute
// while it reaches head office, on the signed channel but never through the outbox. Both sides
// share the fields and the checks: the kiosk builds one, head office refuses a body that breaks
// them with a reason naming the field.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kiosk::sync {

inline constexpr size_t kMaxHeartbeatBytes = 4096;  // the route's body cap (413 past it)

struct Heartbeat {
    std::string version;           // the kiosk's build, e.g. "0.1.0" or "0.1.0-12-gabc123"
    int64_t uptime_s = 0;          // since the kiosk's sync worker started (within a second of the process)
    int64_t outbox = 0;            // records not yet acknowledged
    int64_t dead_letters = 0;      // records head office refused, not yet handled by staff
    int64_t last_sync = 0;         // Unix seconds of the last round that worked; 0: never
    int64_t disk_free_bytes = 0;   // statvfs of the data folder, for an unprivileged user
    int64_t disk_total_bytes = 0;
    std::string printer = "none";  // none | ready | offline | paper_out | unknown
    std::string restart_cause;     // first | normal | upgrade | power | crash | watchdog | unknown
};

nlohmann::json heartbeat_json(const Heartbeat& h);
// The heartbeat in `body`, or why it is refused ("field 'outbox' must be an integer from 0 to
// 100000000"). Fields it does not know are ignored (a newer kiosk may send more); a missing one is
// refused.
std::optional<std::string> read_heartbeat(const nlohmann::json& body, Heartbeat& out);

}  // namespace kiosk::sync
