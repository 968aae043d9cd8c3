// The console pages' reads (ConsoleStore): each query carries the viewer's SiteScope (made only by
// console_bridge.cpp's site_scope) in its own SQL through scope_sql, as the sync store's console
// queries do, so a page that forgot to check could still show nothing of a site out of scope.
#include <algorithm>
#include <chrono>

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
    auto all = site_overviews(scope, {site}, now);
    return all.empty() ? SiteOverview{site} : all.front();
}

// A page of sites in a fixed number of queries (six), each grouped by site over the page's sites
// and the viewer's scope: 20 sites cost what one did, not twenty times as much.
std::vector<SiteOverview> ConsoleStore::site_overviews(const SiteScope& scope, const std::vector<std::string>& sites, int64_t now) {
    std::vector<SiteOverview> out;
    std::vector<std::string> asked;
    for (auto& site : sites) {
        out.push_back(SiteOverview{site});
        // Out of scope: nothing is read for it at all (the clause below says the same in the SQL).
        if (scope.allows(site) && std::find(asked.begin(), asked.end(), site) == asked.end()) asked.push_back(site);
    }
    if (asked.empty() || asked.size() > kMaxScopeSites) return out;
    auto of = [&](const std::string& site) -> std::vector<SiteOverview*> {
        std::vector<SiteOverview*> found;
        for (auto& o : out)
            if (o.site == site) found.push_back(&o);
        return found;
    };
    std::lock_guard lock(m_lock);
    const char* d = m_db->dialect();
    // The counts' rows of changes (PostgreSQL) are folded by pushes about once a minute; a store
    // written otherwise (imports, the command line, a process that only serves the console) is
    // folded here, at most every 10 s, so the sum below reads a few rows a site and kind.
    if (int64_t t = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
        t - m_counts_folded_at >= 10 || m_counts_folded_at == 0) {
        m_counts_folded_at = t;
        fold_case_counts(*m_db);
    }
    // Each query: its own parameters, then the page's sites, then the scope's sites.
    auto with_sites = [&](SqlParams p, const char* column, std::string& clause) {
        clause = scope_sql(SiteScope::of(asked), p, column) + " AND " + scope_sql(scope, p, column);
        return p;
    };
    std::string w;
    // Open cases per site and kind as the database keeps them (case_counts, schema 4): no case is
    // read for them.
    auto count_params = with_sites({}, "n.site", w);
    for (auto& r : m_db->query("SELECT n.site, n.kind, CAST(sum(n.open_count) AS BIGINT) FROM case_counts n WHERE n.kind IN ('repair', 'complaint') AND " + w +
                                   " GROUP BY n.site, n.kind",
                               count_params))
        for (auto* o : of(r.text(0))) (r.text(1) == "repair" ? o->open_repairs : o->open_complaints) = r.integer(2);
    // Overdue against the deadlines the kiosk stored on the case when it was filed: a range of the
    // index cases_open_overdue, so only the overdue cases are counted one by one.
    auto overdue_params = with_sites({now}, "site", w);
    for (auto& r : m_db->query("SELECT site, kind, count(*) FROM cases WHERE done_at IS NULL AND closed_at IS NULL AND kind IN ('repair', "
                               "'complaint') AND " + overdue_from_sql(d) + " < ? AND " + w + " GROUP BY site, kind",
                               overdue_params))
        for (auto* o : of(r.text(0))) (r.text(1) == "repair" ? o->overdue_repairs : o->overdue_complaints) = r.integer(2);
    auto parcel_params = with_sites({}, "p.site", w);
    for (auto& r : m_db->query("SELECT p.site, count(*), min(" + json_int(d, "r.payload", "registered_at") +
                                   ") FROM site_parcels p JOIN records r ON r.id = p.record_id WHERE p.waiting = 1 AND " + w + " GROUP BY p.site",
                               parcel_params))
        for (auto* o : of(r.text(0))) o->parcels_waiting = r.integer(1), o->oldest_parcel_since = r.integer(2);
    auto pass_params = with_sites({}, "x.site", w);
    for (auto& r : m_db->query("SELECT x.site, count(*) FROM site_rows x WHERE x.dataset = 'exit_passes' AND x.deleted = 0 AND " +
                                   json_text(d, "x.body", "status") + " = 'pending' AND " + w + " GROUP BY x.site",
                               pass_params))
        for (auto* o : of(r.text(0))) o->exit_passes_pending = r.integer(1);
    auto loan_params = with_sites({now}, "x.site", w);
    for (auto& r : m_db->query("SELECT x.site, count(*), coalesce(sum(CASE WHEN " + json_int(d, "x.body", "due_at") +
                                   " < ? THEN 1 ELSE 0 END), 0) FROM site_rows x WHERE x.dataset = 'loans' AND x.deleted = 0 AND " +
                                   json_text(d, "x.body", "status") + " = 'out' AND " + w + " GROUP BY x.site",
                               loan_params))
        for (auto* o : of(r.text(0))) o->loans_out = r.integer(1), o->loans_overdue = r.integer(2);
    auto kiosk_params = with_sites({now - kOfflineAfterS}, "k.site", w);
    for (auto& r : m_db->query(std::string("SELECT k.site, count(*), coalesce(sum(CASE WHEN k.revoked_at IS NOT NULL OR ") + kHeard +
                                   " IS NULL OR " + kHeard + " <= ? THEN 1 ELSE 0 END), 0) FROM kiosks k LEFT JOIN fleet_state f ON "
                                   "f.site = k.site AND f.kiosk = k.kiosk WHERE " + w + " GROUP BY k.site",
                               kiosk_params))
        for (auto* o : of(r.text(0))) o->kiosks = r.integer(1), o->kiosks_offline = r.integer(2);
    return out;
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
