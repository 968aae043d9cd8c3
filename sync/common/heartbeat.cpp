#include "sync/common/heartbeat.hpp"

#include <array>
#include <string_view>

#include "sync/common/protocol.hpp"

namespace kiosk::sync {

namespace {

constexpr int64_t kMaxCount = 100'000'000;             // records in an outbox or dead letters
constexpr int64_t kMaxUptimeS = 100LL * 365 * 86400;    // a century
constexpr int64_t kMaxDiskBytes = int64_t{1} << 60;     // an exbibyte
constexpr int64_t kMaxUnixS = 32503680000;              // the year 3000
constexpr std::array<std::string_view, 5> kPrinterStates{"none", "ready", "offline", "paper_out", "unknown"};
constexpr std::array<std::string_view, 7> kRestartCauses{"first", "normal", "upgrade", "power", "crash", "watchdog", "unknown"};

std::string range(const char* field, int64_t lo, int64_t hi) {
    return std::string("field '") + field + "' must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
}

template <size_t N>
std::string one_of(const char* field, const std::array<std::string_view, N>& allowed) {
    std::string s = std::string("field '") + field + "' must be one of";
    for (auto a : allowed) s += std::string(" ") + std::string(a);
    return s;
}

}  // namespace

nlohmann::json heartbeat_json(const Heartbeat& h) {
    return {{"protocol", kProtocolVersion},         {"version", h.version},
            {"uptime_s", h.uptime_s},               {"outbox", h.outbox},
            {"dead_letters", h.dead_letters},       {"last_sync", h.last_sync},
            {"disk_free_bytes", h.disk_free_bytes}, {"disk_total_bytes", h.disk_total_bytes},
            {"printer", h.printer},                 {"restart_cause", h.restart_cause}};
}

std::optional<std::string> read_heartbeat(const nlohmann::json& body, Heartbeat& out) {
    if (!body.is_object()) return "expected a JSON object";
    auto integer = [&](const char* field, int64_t lo, int64_t hi, int64_t& to) -> std::optional<std::string> {
        auto it = body.find(field);
        // An unsigned above int64's range is not number_integer's signed kind: refused by the range.
        if (it == body.end() || !it->is_number_integer()) return range(field, lo, hi);
        if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(hi)) return range(field, lo, hi);
        int64_t v = it->get<int64_t>();
        if (v < lo || v > hi) return range(field, lo, hi);
        to = v;
        return std::nullopt;
    };
    auto text = [&](const char* field, auto&& allowed, std::string& to) -> std::optional<std::string> {
        auto it = body.find(field);
        if (it == body.end() || !it->is_string()) return one_of(field, allowed);
        for (auto a : allowed)
            if (it->get_ref<const std::string&>() == a) {
                to = std::string(a);
                return std::nullopt;
            }
        return one_of(field, allowed);
    };
    int64_t protocol = 0;
    if (auto p = integer("protocol", 1, 1000, protocol)) return p;
    auto v = body.find("version");
    if (v == body.end() || !v->is_string() || !valid_id(v->get_ref<const std::string&>(), 64))
        return "field 'version' must be a text of 1 to 64 bytes with no control character";
    Heartbeat h;
    h.version = v->get<std::string>();
    for (auto problem : {integer("uptime_s", 0, kMaxUptimeS, h.uptime_s), integer("outbox", 0, kMaxCount, h.outbox),
                         integer("dead_letters", 0, kMaxCount, h.dead_letters), integer("last_sync", 0, kMaxUnixS, h.last_sync),
                         integer("disk_free_bytes", 0, kMaxDiskBytes, h.disk_free_bytes),
                         integer("disk_total_bytes", 0, kMaxDiskBytes, h.disk_total_bytes), text("printer", kPrinterStates, h.printer),
                         text("restart_cause", kRestartCauses, h.restart_cause)})
        if (problem) return problem;
    if (h.disk_free_bytes > h.disk_total_bytes) return "field 'disk_free_bytes' must not exceed disk_total_bytes";
    out = std::move(h);
    return std::nullopt;
}

}  // namespace kiosk::sync
