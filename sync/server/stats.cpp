#include "sync/server/stats.hpp"

#include <cstdio>
#include <ctime>

#include "kiosk/core/service_levels.hpp"
#include "sync/server/csv.hpp"
#include "sync/server/record_types.hpp"

namespace kiosk::headoffice {

namespace {

int64_t local_month_start(int year, int month) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    return static_cast<int64_t>(std::mktime(&tm));
}

bool in(int64_t t, const MonthlyStats& s) { return t >= s.from && t < s.to; }

void judge(DeadlineCount& d, const CaseRow& c, int64_t deadline, int64_t as_of) {
    ++d.filed;
    if (c.done_at) (*c.done_at <= deadline ? d.met : d.missed)++;
    else (as_of > deadline ? d.missed : d.pending)++;
}

std::string pct(int part, int whole) {
    if (whole == 0) return "";
    char b[16];
    std::snprintf(b, sizeof b, "%.1f", 100.0 * part / whole);
    return b;
}

std::string num(double v) {
    char b[16];
    std::snprintf(b, sizeof b, "%.2f", v);
    return b;
}

const char* const kSeverities[] = {"major", "important", "minor", "unset"};

}  // namespace

int64_t complaint_deadline(const CaseRow& c) {
    if (c.severity == "major") return complaint_deadlines(Severity::Major, c.filed_at).resolved_by;
    if (c.severity == "important") return complaint_deadlines(Severity::Important, c.filed_at).resolved_by;
    if (c.severity == "minor") return complaint_deadlines(Severity::Minor, c.filed_at).resolved_by;
    return c.reply_by.value_or(complaint_reply_by(c.filed_at));
}

MonthlyStats monthly_stats(HeadOfficeStore& store, const std::string& site, int year, int month, int64_t as_of) {
    MonthlyStats s;
    s.site = site;
    s.year = year;
    s.month = month;
    s.from = local_month_start(year, month);
    s.to = month == 12 ? local_month_start(year + 1, 1) : local_month_start(year, month + 1);
    s.as_of = as_of;
    int rating_sum = 0;
    for (const CaseRow& c : store.cases_touching(site, s.from, s.to)) {
        if (c.kind != "repair" && c.kind != "complaint") continue;  // enquiries have no deadlines to count
        bool complaint = c.kind == "complaint";
        if (in(c.filed_at, s)) {
            if (complaint) {
                int64_t deadline = complaint_deadline(c);
                judge(s.complaints[c.category][c.severity.empty() ? "unset" : c.severity], c, deadline, as_of);
                judge(s.complaints_total, c, deadline, as_of);
                if (c.valid.value_or(false)) {
                    ++s.complaints_valid;
                    if (c.done_at) ++s.valid_handled;
                }
            } else {
                ++s.repairs_filed;
                int64_t due = c.done_by.value_or(c.filed_at);
                bool arrived_in_time = true;
                if (c.urgency == "emergency" && c.on_site_at && c.on_site_by) {
                    ++s.emergencies_arrival_recorded;
                    arrived_in_time = *c.on_site_at <= *c.on_site_by;
                    if (arrived_in_time) ++s.emergencies_on_site_in_time;
                }
                if (c.done_at || as_of > due) {
                    ++s.repairs_due;
                    if (c.done_at && *c.done_at <= due && arrived_in_time) ++s.repairs_on_time;
                } else {
                    ++s.repairs_pending;
                }
            }
        }
        if (c.done_at && in(*c.done_at, s)) {
            ++s.cases_done;
            if (c.followed_up_at) ++s.cases_followed_up;
        }
        if (c.followed_up_at && in(*c.followed_up_at, s) && c.rating) {
            ++s.ratings;
            rating_sum += *c.rating;
            if (*c.rating >= 4) ++s.satisfied;
        }
    }
    if (s.ratings) s.rating_mean = static_cast<double>(rating_sum) / s.ratings;
    int answers = 0, answer_sum = 0;
    for (const auto& p : store.payloads(site, kSurveyAnswer)) {
        if (!p.is_object() || !p.contains("answered_at") || !p["answered_at"].is_number_integer()) continue;
        if (!in(p["answered_at"].get<int64_t>(), s)) continue;
        ++s.survey_households;
        if (auto a = p.find("answers"); a != p.end() && a->is_object())
            for (auto& [q, v] : a->items())
                if (v.is_number_integer()) {
                    ++answers;
                    answer_sum += v.get<int>();
                }
    }
    if (answers) s.survey_mean = static_cast<double>(answer_sum) / answers;
    return s;
}

std::string stats_text(const MonthlyStats& s) {
    char head[160];
    std::snprintf(head, sizeof head, "Monthly statistics (月度统计), site %s, %04d-%02d\n", s.site.c_str(), s.year, s.month);
    std::string out = head;
    auto line = [&](const char* fmt, auto... args) {
        char b[240];
        std::snprintf(b, sizeof b, fmt, args...);
        out += b;
    };
    auto rate = [](int part, int whole) { return whole ? pct(part, whole) + "%" : std::string("n/a"); };
    line("\nComplaints (投诉): %d filed, %d valid (有效投诉), %d of them handled\n", s.complaints_total.filed, s.complaints_valid,
         s.valid_handled);
    line("  %-14s %6s %9s %6s %6s   %4s %6s %7s\n", "kind", "major", "important", "minor", "unset", "met", "missed", "pending");
    for (auto& [kind, by_sev] : s.complaints) {
        DeadlineCount all;
        int n[4] = {0, 0, 0, 0};
        for (int i = 0; i < 4; ++i)
            if (auto it = by_sev.find(kSeverities[i]); it != by_sev.end()) {
                n[i] = it->second.filed;
                all.met += it->second.met;
                all.missed += it->second.missed;
                all.pending += it->second.pending;
            }
        line("  %-14s %6d %9d %6d %6d   %4d %6d %7d\n", kind.c_str(), n[0], n[1], n[2], n[3], all.met, all.missed, all.pending);
    }
    line("  deadlines met: %s of those judged\n", rate(s.complaints_total.met, s.complaints_total.met + s.complaints_total.missed).c_str());
    line("\nRepairs (报修): %d filed, %d due, %d on time, %d not yet due\n", s.repairs_filed, s.repairs_due, s.repairs_on_time,
         s.repairs_pending);
    line("  timeliness (维修及时率): %s (target %.0f%%)\n", rate(s.repairs_on_time, s.repairs_due).c_str(), kRepairTimelinessTarget);
    line("  emergencies on site within 30 minutes: %d of %d with the arrival recorded\n", s.emergencies_on_site_in_time,
         s.emergencies_arrival_recorded);
    line("\nFollow-up (回访): %d of %d cases done this month followed up: %s (target %.0f%%)\n", s.cases_followed_up, s.cases_done,
         rate(s.cases_followed_up, s.cases_done).c_str(), kFollowUpTarget);
    line("\nSatisfaction (满意度): %d ratings, mean %s of 5, satisfied (4-5) %s (target %.0f%%)\n", s.ratings,
         s.ratings ? num(s.rating_mean).c_str() : "n/a", rate(s.satisfied, s.ratings).c_str(), kSatisfiedTarget);
    line("  surveys: %d households answered, mean %s of 5\n", s.survey_households,
         s.survey_households ? num(s.survey_mean).c_str() : "n/a");
    return out;
}

std::string stats_csv(const MonthlyStats& s) {
    std::string out = "metric,kind,severity,value\n";
    // A complaint's kind and severity come from a kiosk: quoted and defused like any exported text.
    auto row = [&](const std::string& metric, const std::string& kind, const std::string& sev, const std::string& v) {
        out += csv_line({metric, kind, sev, v});
    };
    for (auto& [kind, by_sev] : s.complaints)
        for (auto& [sev, d] : by_sev) {
            row("complaints_filed", kind, sev, std::to_string(d.filed));
            row("complaints_deadline_met", kind, sev, std::to_string(d.met));
            row("complaints_deadline_missed", kind, sev, std::to_string(d.missed));
            row("complaints_pending", kind, sev, std::to_string(d.pending));
        }
    row("complaints_filed", "", "", std::to_string(s.complaints_total.filed));
    row("complaints_valid", "", "", std::to_string(s.complaints_valid));
    row("complaints_valid_handled", "", "", std::to_string(s.valid_handled));
    row("complaints_deadline_met_pct", "", "", pct(s.complaints_total.met, s.complaints_total.met + s.complaints_total.missed));
    row("repairs_filed", "", "", std::to_string(s.repairs_filed));
    row("repairs_due", "", "", std::to_string(s.repairs_due));
    row("repairs_on_time", "", "", std::to_string(s.repairs_on_time));
    row("repair_timeliness_pct", "", "", pct(s.repairs_on_time, s.repairs_due));
    row("emergencies_on_site_in_time", "", "", std::to_string(s.emergencies_on_site_in_time));
    row("emergencies_arrival_recorded", "", "", std::to_string(s.emergencies_arrival_recorded));
    row("cases_done", "", "", std::to_string(s.cases_done));
    row("cases_followed_up", "", "", std::to_string(s.cases_followed_up));
    row("follow_up_rate_pct", "", "", pct(s.cases_followed_up, s.cases_done));
    row("ratings", "", "", std::to_string(s.ratings));
    row("rating_mean", "", "", s.ratings ? num(s.rating_mean) : "");
    row("satisfied_pct", "", "", pct(s.satisfied, s.ratings));
    row("survey_households", "", "", std::to_string(s.survey_households));
    row("survey_mean", "", "", s.survey_households ? num(s.survey_mean) : "");
    return out;
}

// ---- The console's figures ---------------------------------------------------------------------

MonthKpis month_kpis(const MonthlyStats& s) {
    auto rate = [](int part, int whole) { return whole ? std::optional<double>(100.0 * part / whole) : std::nullopt; };
    MonthKpis k;
    k.site = s.site;
    k.year = s.year;
    k.month = s.month;
    k.complaints_deadline_met_pct = rate(s.complaints_total.met, s.complaints_total.met + s.complaints_total.missed);
    k.repair_timeliness_pct = rate(s.repairs_on_time, s.repairs_due);
    k.follow_up_rate_pct = rate(s.cases_followed_up, s.cases_done);
    k.satisfied_pct = rate(s.satisfied, s.ratings);
    if (s.ratings) k.rating_mean = s.rating_mean;
    if (s.survey_households) k.survey_mean = s.survey_mean;
    k.detail = s;
    return k;
}

std::vector<MonthKpis> scope_kpis(HeadOfficeStore& store, const SiteScope& scope, int from_year, int from_month, int to_year, int to_month,
                                  int64_t as_of) {
    int from = from_year * 12 + from_month - 1, to = to_year * 12 + to_month - 1;
    if (from_month < 1 || from_month > 12 || to_month < 1 || to_month > 12 || to < from || to - from >= kMaxKpiMonths) return {};
    std::vector<MonthKpis> out;
    for (const std::string& site : store.sites(scope))
        for (int m = from; m <= to; ++m) out.push_back(month_kpis(monthly_stats(store, site, m / 12, m % 12 + 1, as_of)));
    return out;
}

void kpis_csv(const std::vector<MonthKpis>& kpis, const CsvSink& sink) {
    if (!sink("site,year,month,metric,kind,severity,value\n")) return;
    for (const MonthKpis& k : kpis) {
        // stats_csv's lines (each already quoted and defused), the site and month in front.
        std::string lines = stats_csv(k.detail), chunk;
        std::string front = csv_cell(k.site) + "," + std::to_string(k.year) + "," + std::to_string(k.month) + ",";
        bool quoted = false, header = true, line_start = true;
        for (char c : lines) {  // a line ends at a newline outside quotes (a kind typed at a kiosk may hold one)
            if (line_start && !header) chunk += front;
            line_start = false;
            if (c == '"') quoted = !quoted;
            if (!header) chunk += c;
            if (c == '\n' && !quoted) {
                header = false;
                line_start = true;
            }
        }
        if (!sink(chunk)) return;
    }
}

}  // namespace kiosk::headoffice
