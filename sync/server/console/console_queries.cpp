// The console pages' reads (ConsoleStore): each query carries the viewer's SiteScope (made only by
// console_bridge.cpp's site_scope) in its own SQL through scope_sql, as the sync store's console
// queries do, so a page that forgot to check could still show nothing of a site out of scope.
#include <algorithm>

#include "sync/server/console/console_store.hpp"
#include "sync/server/store_rows.hpp"

namespace kiosk::headoffice::console {

namespace {

// A field of a JSON text column, in the dialect's words.
std::string json_text(const char* dialect, const std::string& col, const std::string& key) {
    if (std::string_view(dialect) == "postgresql") return "(" + col + "::jsonb ->> '" + key + "')";
    return "json_extract(" + col + ", '$." + key + "')";
}
std::string json_int(const char* dialect, const std::string& col, const std::string& key) {
    if (std::string_view(dialect) == "postgresql") return "(" + col + "::jsonb ->> '" + key + "')::bigint";
    return "json_extract(" + col + ", '$." + key + "')";
}

// Cases come from a site's kiosks: a site with cases has kiosks, so cases (the largest table) is not read.
constexpr const char* kKnownSites = "(SELECT site FROM kiosks UNION SELECT DISTINCT site FROM site_rows)";

// When a kiosk was last heard from: its heartbeat, else its last signed request (fleet.cpp's rule).
constexpr const char* kHeard = "coalesce(f.heartbeat_at, f.last_contact)";

}  // namespace

bool ConsoleStore::in_scope(const SiteScope& scope, const std::string& site) { return scope.allows(site); }

std::vector<std::string> ConsoleStore::sites_in_scope(const SiteScope& scope, int limit, int offset) {
    std::lock_guard lock(m_lock);
    SqlParams p;
    std::string w = scope_sql(scope, p, "s.site");
    p.push_back(int64_t{limit});
    p.push_back(int64_t{offset});
    std::vector<std::string> out;
    for (auto& r : m_db->query(std::string("SELECT s.site FROM ") + kKnownSites + " s WHERE " + w + " ORDER BY s.site LIMIT ? OFFSET ?", p))
        out.push_back(r.text(0));
    return out;
}

int64_t ConsoleStore::sites_in_scope_count(const SiteScope& scope) {
    std::lock_guard lock(m_lock);
    SqlParams p;
    std::string w = scope_sql(scope, p, "s.site");
    return m_db->row(std::string("SELECT count(*) FROM ") + kKnownSites + " s WHERE " + w, p)->integer(0);
}

SiteOverview ConsoleStore::site_overview(const SiteScope& scope, const std::string& site, int64_t now) {
    SiteOverview o;
    o.site = site;
    // Out of scope: nothing is read at all (the clause below says the same in the SQL).
    if (!scope.allows(site)) return o;
    std::lock_guard lock(m_lock);
    const char* d = m_db->dialect();
    // Each query: its own parameters, then the site, then the scope's sites.
    auto with_scope = [&](SqlParams p, const char* column, std::string& clause) {
        p.push_back(site);
        clause = scope_sql(scope, p, column);
        return p;
    };
    std::string w;
    // Overdue against the deadlines the kiosk stored on the case when it was filed.
    auto cases_params = with_scope({now, now, now}, "c.site", w);
    for (auto& r : m_db->query("SELECT kind, count(*), coalesce(sum(CASE WHEN (on_site_by < ? AND on_site_at IS NULL) OR done_by < ? "
                               "OR reply_by < ? THEN 1 ELSE 0 END), 0) FROM cases c "
                               "WHERE c.site = ? AND c.done_at IS NULL AND c.closed_at IS NULL AND " + w + " GROUP BY kind",
                               cases_params)) {
        if (r.text(0) == "repair") o.open_repairs = r.integer(1), o.overdue_repairs = r.integer(2);
        if (r.text(0) == "complaint") o.open_complaints = r.integer(1), o.overdue_complaints = r.integer(2);
    }
    auto parcel_params = with_scope({}, "p.site", w);
    auto parcels = m_db->row("SELECT count(*), min(" + json_int(d, "r.payload", "registered_at") +
                                 ") FROM site_parcels p JOIN records r ON r.id = p.record_id WHERE p.site = ? AND p.waiting = 1 AND " + w,
                             parcel_params);
    o.parcels_waiting = parcels->integer(0);
    o.oldest_parcel_since = parcels->integer(1);
    auto pass_params = with_scope({}, "x.site", w);
    o.exit_passes_pending = m_db->row("SELECT count(*) FROM site_rows x WHERE x.site = ? AND x.dataset = 'exit_passes' AND x.deleted = 0 AND " +
                                          json_text(d, "x.body", "status") + " = 'pending' AND " + w,
                                      pass_params)
                                ->integer(0);
    auto loan_params = with_scope({now}, "x.site", w);
    auto loans = m_db->row("SELECT count(*), coalesce(sum(CASE WHEN " + json_int(d, "x.body", "due_at") +
                               " < ? THEN 1 ELSE 0 END), 0) FROM site_rows x WHERE x.site = ? AND x.dataset = 'loans' AND x.deleted = 0 AND " +
                               json_text(d, "x.body", "status") + " = 'out' AND " + w,
                           loan_params);
    o.loans_out = loans->integer(0);
    o.loans_overdue = loans->integer(1);
    auto kiosk_params = with_scope({now - kOfflineAfterS}, "k.site", w);
    auto kiosks = m_db->row(std::string("SELECT count(*), coalesce(sum(CASE WHEN k.revoked_at IS NOT NULL OR ") + kHeard + " IS NULL OR " +
                                kHeard + " <= ? THEN 1 ELSE 0 END), 0) FROM kiosks k LEFT JOIN fleet_state f ON f.site = k.site AND "
                                "f.kiosk = k.kiosk WHERE k.site = ? AND " + w,
                            kiosk_params);
    o.kiosks = kiosks->integer(0);
    o.kiosks_offline = kiosks->integer(1);
    return o;
}

std::vector<FleetLine> ConsoleStore::fleet(const SiteScope& scope, const std::string& site, int64_t now, int limit, int offset) {
    std::lock_guard lock(m_lock);
    SqlParams params{now - kOfflineAfterS, now - kLateAfterS};
    std::string w = scope_sql(scope, params, "k.site");
    if (!site.empty()) params.push_back(site);
    params.push_back(int64_t{limit});
    params.push_back(int64_t{offset});
    auto rows = m_db->query(std::string("SELECT ") + kFleetRowColumns + ", CASE WHEN k.revoked_at IS NOT NULL OR " + kHeard + " IS NULL OR " + kHeard + " <= ? THEN 0 WHEN " +
                                kHeard + " <= ? THEN 1 ELSE 2 END AS status_rank "
                                "FROM kiosks k LEFT JOIN fleet_state f ON f.site = k.site AND f.kiosk = k.kiosk WHERE " +
                                w + (site.empty() ? "" : " AND k.site = ?") + " ORDER BY status_rank, k.site, k.kiosk LIMIT ? OFFSET ?",
                            params);
    std::vector<FleetLine> out;
    for (auto& r : rows) {
        FleetKiosk k = fleet_kiosk_from_row(*m_db, r, now);
        // Judged one by one: the page keeps the query's order (offline and late first).
        out.push_back(judge_fleet({k}, now).front());
    }
    return out;
}

int64_t ConsoleStore::fleet_count(const SiteScope& scope, const std::string& site) {
    std::lock_guard lock(m_lock);
    SqlParams params;
    std::string w = scope_sql(scope, params, "k.site");
    if (!site.empty()) params.push_back(site);
    return m_db->row("SELECT count(*) FROM kiosks k WHERE " + w + (site.empty() ? "" : " AND k.site = ?"), params)->integer(0);
}

}  // namespace kiosk::headoffice::console
