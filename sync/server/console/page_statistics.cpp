// Statistics: the monthly figures of `lobby-headoffice stats` per site and month (scope_kpis) as
// tables, and as Chart.js charts drawn by the console's own script from each canvas's data-chart
// attribute (the CSP allows no inline script); the same figures as CSV.
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "sync/server/console/pages.hpp"
#include "sync/server/stats.hpp"

namespace kiosk::headoffice::console {

const char* const kChartsScript = R"JS(// The console's charts: each <canvas data-chart="{...}"> drawn with Chart.js (no inline script).
'use strict';
document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
  var spec = JSON.parse(canvas.getAttribute('data-chart'));
  var palette = ['#0d6efd', '#198754', '#fd7e14', '#6f42c1', '#dc3545', '#20c997'];
  spec.datasets.forEach(function (d, i) { d.borderColor = d.backgroundColor = palette[i % palette.length]; });
  var scales = spec.stacked ? { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }
                            : { y: { beginAtZero: true, suggestedMax: 100, title: { display: true, text: '%' } } };
  new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets },
                      options: { animation: false, responsive: true, scales: scales } });
});
)JS";

namespace {

struct Range {
    int from_y, from_m, to_y, to_m;
};

// ?from=2026-06&to=2026-11, else the six months up to now's.
std::optional<Range> range_of(const Form& q, int64_t now) {
    std::time_t t = now;
    std::tm tm{};
    gmtime_r(&t, &tm);
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
    Range r{y, m, y, m};
    for (int i = 0; i < 5; ++i)
        if (--r.from_m == 0) r.from_m = 12, --r.from_y;
    if (auto f = field(q, "from"); !f.empty()) {
        auto ym = year_month(f);
        if (!ym) return std::nullopt;
        std::tie(r.from_y, r.from_m) = *ym;
    }
    if (auto to = field(q, "to"); !to.empty()) {
        auto ym = year_month(to);
        if (!ym) return std::nullopt;
        std::tie(r.to_y, r.to_m) = *ym;
    }
    int months = (r.to_y - r.from_y) * 12 + r.to_m - r.from_m + 1;
    if (months < 1 || months > kMaxKpiMonths) return std::nullopt;
    return r;
}

std::string month_text(int y, int m) {
    char b[16];
    std::snprintf(b, sizeof b, "%04d-%02d", y, m);
    return b;
}

Html pct(const std::optional<double>& v) {
    Html h;
    if (!v) return h << "–"_html, h;
    char b[16];
    std::snprintf(b, sizeof b, "%.1f %%", *v);
    return h << b, h;
}

nlohmann::json series(const char* label, const std::vector<const MonthKpis*>& months, std::optional<double> MonthKpis::*field) {
    nlohmann::json d = nlohmann::json::array();
    for (auto* k : months) d.push_back(k->*field ? nlohmann::json(*(k->*field)) : nlohmann::json(nullptr));
    return {{"label", label}, {"data", d}};
}

Html site_section(const std::string& site, const std::vector<const MonthKpis*>& months) {
    nlohmann::json labels = nlohmann::json::array();
    for (auto* k : months) labels.push_back(month_text(k->year, k->month));
    nlohmann::json rates{{"type", "line"},
                         {"labels", labels},
                         {"datasets",
                          {series("complaints: deadline met", months, &MonthKpis::complaints_deadline_met_pct),
                           series("repairs on time", months, &MonthKpis::repair_timeliness_pct),
                           series("followed up", months, &MonthKpis::follow_up_rate_pct),
                           series("satisfied (4-5)", months, &MonthKpis::satisfied_pct)}}};
    // Complaints filed by kind and severity over the months shown.
    std::map<std::string, std::map<std::string, int>> by;  // severity -> kind -> filed
    std::set<std::string> kinds;
    for (auto* k : months)
        for (auto& [kind, sev] : k->detail.complaints)
            for (auto& [severity, count] : sev) by[severity][kind] += count.filed, kinds.insert(kind);
    nlohmann::json kind_labels(std::vector<std::string>(kinds.begin(), kinds.end())), stacks = nlohmann::json::array();
    for (auto& [severity, per_kind] : by) {
        nlohmann::json d = nlohmann::json::array();
        for (auto& kind : kinds) d.push_back(per_kind.count(kind) ? per_kind.at(kind) : 0);
        stacks.push_back({{"label", severity}, {"data", d}});
    }
    nlohmann::json complaints{{"type", "bar"}, {"stacked", true}, {"labels", kind_labels}, {"datasets", stacks}};

    Html h;
    h << R"(<section class="mb-4"><h2 class="h5">)"_html << site << R"(</h2><div class="table-responsive"><table class="table table-sm kpis"><thead><tr><th scope="col">Month</th>)"_html
      << R"(<th scope="col">Complaints</th><th scope="col">Deadline met</th><th scope="col">Repairs</th><th scope="col">Repairs on time</th>)"_html
      << R"(<th scope="col">Followed up</th><th scope="col">Satisfied</th><th scope="col">Mean rating</th></tr></thead><tbody>)"_html;
    for (auto* k : months) {
        char mean[16] = "–";
        if (k->rating_mean) std::snprintf(mean, sizeof mean, "%.2f", *k->rating_mean);
        h << "<tr><td>"_html << month_text(k->year, k->month) << "</td><td>"_html << k->detail.complaints_total.filed << "</td><td>"_html
          << pct(k->complaints_deadline_met_pct) << "</td><td>"_html << k->detail.repairs_filed << "</td><td>"_html << pct(k->repair_timeliness_pct)
          << "</td><td>"_html << pct(k->follow_up_rate_pct) << "</td><td>"_html << pct(k->satisfied_pct) << "</td><td>"_html << std::string(mean)
          << "</td></tr>"_html;
    }
    h << R"(</tbody></table></div><div class="row"><div class="col-lg-6"><h3 class="h6">Rates by month</h3><canvas class="chart" role="img" aria-label="rates by month for )"_html
      << site << R"(" data-chart=")"_html << rates.dump() << R"("></canvas></div><div class="col-lg-6"><h3 class="h6">Complaints by kind and severity</h3><canvas class="chart" role="img" aria-label="complaints by kind and severity for )"_html
      << site << R"(" data-chart=")"_html << complaints.dump() << R"("></canvas></div></div></section>)"_html;
    return h;
}

}  // namespace

PageOut statistics_page(const PageIn& in) {
    PageOut out;
    out.title = "Statistics";
    auto range = range_of(in.query, in.now);
    if (!range) {
        out.status = 400;
        out.body = message_page("Wrong months.", "from and to are YYYY-MM, from before to, at most 36 months.");
        return out;
    }
    auto kpis = scope_kpis(*in.data, site_scope(in.viewer), range->from_y, range->from_m, range->to_y, range->to_m, in.now);
    std::string from = month_text(range->from_y, range->from_m), to = month_text(range->to_y, range->to_m);
    Html& h = out.body;
    h << R"(<form method="get" action="/console/statistics" class="row g-2 align-items-end mb-3"><div class="col-auto"><label class="form-label" for="st-from">From</label>)"_html
      << R"(<input class="form-control form-control-sm" type="month" id="st-from" name="from" value=")"_html << from
      << R"("></div><div class="col-auto"><label class="form-label" for="st-to">To</label><input class="form-control form-control-sm" type="month" id="st-to" name="to" value=")"_html
      << to << R"("></div><div class="col-auto"><button class="btn btn-sm btn-secondary" type="submit">Show</button></div><div class="col-auto"><a id="stats-csv" href="/console/statistics.csv?from=)"_html
      << from << "&amp;to="_html << to << R"(">Download as CSV</a></div></form>)"_html;
    if (kpis.empty()) return h << R"(<p id="no-stats">No site in your scope has figures for these months.</p>)"_html, out;
    for (size_t i = 0; i < kpis.size();) {
        std::vector<const MonthKpis*> months;
        size_t j = i;
        for (; j < kpis.size() && kpis[j].site == kpis[i].site; ++j) months.push_back(&kpis[j]);
        h << site_section(kpis[i].site, months);
        i = j;
    }
    h << R"(<script src="/console/assets/chart.min.js?v=)"_html << in.assets_version << R"("></script><script src="/console/assets/console-charts.js?v=)"_html
      << in.assets_version << R"("></script>)"_html;
    return out;
}

DownloadOut statistics_csv(const PageIn& in) {
    DownloadOut out;
    auto range = range_of(in.query, in.now);
    if (!range) {
        out.refused.status = 400;
        out.refused.title = "Statistics";
        out.refused.body = message_page("Wrong months.", "from and to are YYYY-MM, from before to, at most 36 months.");
        return out;
    }
    SiteScope scope = site_scope(in.viewer);
    out.filename = "statistics.csv";
    auto audit = start_export_audit(in.store, in.viewer, in.address, "export.statistics",
                                    month_text(range->from_y, range->from_m) + ".." + month_text(range->to_y, range->to_m), "statistics", scope, "");
    out.write = [data = in.data, audit, scope, r = *range, now = in.now](const CsvSink& sink) {
        bool cut = false;
        auto kpis = scope_kpis(*data, scope, r.from_y, r.from_m, r.to_y, r.to_m, now);
        kpis_csv(kpis, [&](std::string_view piece) { return sink(piece) || (cut = true, false); });
        audit.end(static_cast<int64_t>(kpis.size()), cut ? "cut short" : "");
    };
    return out;
}

}  // namespace kiosk::headoffice::console
