#include "sync/server/fleet.hpp"

#include <algorithm>
#include <ctime>

namespace kiosk::headoffice {

namespace {

int rank(const FleetLine& l) {
    if (l.status == "offline") return 0;
    if (l.status == "late") return 1;
    return l.reasons.empty() ? 3 : 2;
}


int disk_used_percent(const sync::Heartbeat& h) {
    if (h.disk_total_bytes <= 0) return -1;
    // Rounded up: 95.2% used is "96% full" rather than a reassuring 95.
    long double used = static_cast<long double>(h.disk_total_bytes - h.disk_free_bytes) * 100 / h.disk_total_bytes;
    return static_cast<int>(std::min<long double>(100, used + 0.999L));
}

const char* restart_words(const std::string& cause) {
    if (cause == "crash") return "after a crash";
    if (cause == "watchdog") return "by the watchdog (the screen froze)";
    if (cause == "power") return "after a power cut or reset";
    return nullptr;
}

}  // namespace

std::string utc_text(int64_t t) {
    std::time_t v = t;
    std::tm tm{};
    gmtime_r(&v, &tm);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%d %H:%M UTC", &tm);
    return b;
}

std::string span_text(int64_t s) {
    s = std::max<int64_t>(0, s);
    if (s < 120) return std::to_string(s) + " s";
    if (s < 120 * 60) return std::to_string(s / 60) + " min";
    if (s < 48 * 3600) return std::to_string(s / 3600) + " h";
    return std::to_string(s / 86400) + " days";
}

std::vector<FleetLine> judge_fleet(const std::vector<FleetKiosk>& kiosks, int64_t now) {
    std::vector<FleetLine> out;
    for (const FleetKiosk& k : kiosks) {
        FleetLine l{k, "online", {}, std::nullopt};
        std::optional<int64_t> heard = k.heartbeat_at ? k.heartbeat_at : k.last_contact;
        if (heard) {
            l.silent_s = std::max<int64_t>(0, now - *heard);
            l.status = *l.silent_s >= kOfflineAfterS ? "offline" : *l.silent_s >= kLateAfterS ? "late" : "online";
        } else {
            l.status = "offline";
        }
        if (k.revoked) {
            l.status = "offline";
            l.reasons.push_back("revoked");
        }
        if (!heard) l.reasons.push_back("never heard from (added " + k.added_at + ")");
        else if (!k.heartbeat_at)
            l.reasons.push_back("no heartbeat yet; last sync " + span_text(*l.silent_s) + " ago");
        else if (l.status != "online")
            l.reasons.push_back("no heartbeat for " + span_text(*l.silent_s));
        if (k.heartbeat) {
            const sync::Heartbeat& h = *k.heartbeat;
            if (int used = disk_used_percent(h); used >= kDiskNearlyFullPercent)
                l.reasons.push_back("disk " + std::to_string(used) + "% full");
            if (k.dead_letters_hour_ago && h.dead_letters > *k.dead_letters_hour_ago)
                l.reasons.push_back("dead letters growing: " + std::to_string(*k.dead_letters_hour_ago) + " → " +
                                    std::to_string(h.dead_letters) + " in the last hour");
            if (h.printer == "paper_out") l.reasons.push_back("printer: paper out");
            else if (h.printer == "offline") l.reasons.push_back("printer: offline");
            int64_t started = *k.heartbeat_at - h.uptime_s;
            if (auto words = restart_words(h.restart_cause); words && now - started < kRecentRestartS)
                l.reasons.push_back(std::string("restarted ") + words + " " + span_text(now - started) + " ago");
        }
        out.push_back(std::move(l));
    }
    std::stable_sort(out.begin(), out.end(), [](const FleetLine& a, const FleetLine& b) {
        if (a.kiosk.site != b.kiosk.site) return a.kiosk.site < b.kiosk.site;
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        return a.kiosk.kiosk < b.kiosk.kiosk;
    });
    return out;
}

std::string fleet_text(const std::vector<FleetLine>& lines, int64_t now) {
    int counts[3] = {0, 0, 0};
    for (auto& l : lines) ++counts[l.status == "online" ? 0 : l.status == "late" ? 1 : 2];
    std::string out = "fleet as of " + utc_text(now) + ": " + std::to_string(lines.size()) + (lines.size() == 1 ? " kiosk, " : " kiosks, ") + std::to_string(counts[0]) +
                      " online, " + std::to_string(counts[1]) + " late, " + std::to_string(counts[2]) + " offline\n";
    std::string site;
    for (auto& l : lines) {
        if (l.kiosk.site != site || &l == &lines.front()) {
            site = l.kiosk.site;
            out += site + "\n";
        }
        std::string reasons;
        for (auto& r : l.reasons) reasons += (reasons.empty() ? "" : "; ") + r;
        char head[300];
        std::snprintf(head, sizeof head, "  %-10s %-8s ", l.kiosk.kiosk.c_str(), l.status.c_str());
        out += head + (reasons.empty() ? std::string("ok") : reasons);
        if (l.kiosk.heartbeat) {
            const sync::Heartbeat& h = *l.kiosk.heartbeat;
            int used = disk_used_percent(h);
            out += "  [" + h.version + ", up " + span_text(h.uptime_s) + ", outbox " + std::to_string(h.outbox) + ", dead letters " +
                   std::to_string(h.dead_letters) + ", disk " + (used < 0 ? std::string("?") : std::to_string(used) + "%") +
                   " full, printer " + h.printer + ", last restart " + h.restart_cause + ", heard " + span_text(*l.silent_s) + " ago]";
        }
        out += "\n";
    }
    return out;
}

nlohmann::json fleet_json(const std::vector<FleetLine>& lines, int64_t now) {
    auto opt = [](const std::optional<int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    nlohmann::json kiosks = nlohmann::json::array();
    for (auto& l : lines) {
        kiosks.push_back({{"site", l.kiosk.site},
                          {"kiosk", l.kiosk.kiosk},
                          {"status", l.status},
                          {"reasons", l.reasons},
                          {"silent_s", opt(l.silent_s)},
                          {"last_heartbeat_at", opt(l.kiosk.heartbeat_at)},
                          {"last_contact_at", opt(l.kiosk.last_contact)},
                          {"revoked", l.kiosk.revoked},
                          {"added_at", l.kiosk.added_at},
                          {"heartbeat", l.kiosk.heartbeat ? sync::heartbeat_json(*l.kiosk.heartbeat) : nlohmann::json(nullptr)}});
        if (l.kiosk.heartbeat) kiosks.back()["heartbeat"].erase("protocol");
    }
    return {{"as_of", now}, {"late_after_s", kLateAfterS}, {"offline_after_s", kOfflineAfterS}, {"kiosks", kiosks}};
}

}  // namespace kiosk::headoffice
