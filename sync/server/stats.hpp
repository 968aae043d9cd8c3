#pragma once
// The monthly statistics head office sends up by the 30th (domain.md): complaints by kind and
// severity and whether their deadlines were met, repair timeliness (维修及时率), the follow-up rate
// (回访率) and satisfaction, as text for people and CSV for a spreadsheet.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sync/server/console_data.hpp"
#include "sync/server/headoffice_store.hpp"

namespace kiosk::headoffice {

struct DeadlineCount {
    int filed = 0, met = 0, missed = 0, pending = 0;  // pending: open, and its deadline not yet passed
};

struct MonthlyStats {
    std::string site;
    int year = 0, month = 0;
    int64_t from = 0, to = 0, as_of = 0;  // the month [from, to) in local time; judged as of as_of

    // Complaints filed in the month, by kind, then by severity ("unset" until staff set it).
    // The deadline is the severity's (major 10 days, important 3, minor 2), or the 24-hour reply
    // promised at filing while no severity is set. Met: done by then.
    std::map<std::string, std::map<std::string, DeadlineCount>> complaints;
    DeadlineCount complaints_total;
    int complaints_valid = 0, valid_handled = 0;

    // Repairs filed in the month. On time: done by the promised time and, for an emergency with
    // the arrival recorded, the repairer on site within 30 minutes. Due: done, or past its time.
    int repairs_filed = 0, repairs_due = 0, repairs_on_time = 0, repairs_pending = 0;
    int emergencies_arrival_recorded = 0, emergencies_on_site_in_time = 0;

    // Cases (repairs and complaints) done in the month, and how many were followed up.
    int cases_done = 0, cases_followed_up = 0;
    // Follow-up ratings given in the month (1-5); satisfied: 4 or 5.
    int ratings = 0, satisfied = 0;
    double rating_mean = 0;
    // Satisfaction survey answers in the month: each household's answers, every question 1-5.
    int survey_households = 0;
    double survey_mean = 0;
};

// Targets from the service standards.
inline constexpr double kRepairTimelinessTarget = 95.0;
inline constexpr double kFollowUpTarget = 100.0;
inline constexpr double kSatisfiedTarget = 95.0;

// A complaint's deadline: its severity's (major 10 days, important 3, minor 2), or the 24-hour
// reply promised at filing while no severity is set.
int64_t complaint_deadline(const CaseRow& c);

// month: 1-12. Month bounds are local midnight (TZ), as kiosks keep their service-level times.
MonthlyStats monthly_stats(HeadOfficeStore& store, const std::string& site, int year, int month, int64_t as_of);
std::string stats_text(const MonthlyStats& s);
// One figure per line, "metric,kind,severity,value": easy to pivot.
std::string stats_csv(const MonthlyStats& s);

// The month's headline figures as the console charts them, per site; a rate is nothing while
// there is nothing to judge it on.
struct MonthKpis {
    std::string site;
    int year = 0, month = 0;
    std::optional<double> complaints_deadline_met_pct, repair_timeliness_pct, follow_up_rate_pct, satisfied_pct;
    std::optional<double> rating_mean, survey_mean;
    MonthlyStats detail;  // complaints by kind and severity, and every count
};
MonthKpis month_kpis(const MonthlyStats& s);

inline constexpr int kMaxKpiMonths = 36;
// Every site of the scope (store.sites), each month from..to inclusive (at most kMaxKpiMonths),
// by site then month; an empty list for a range backwards or too long.
std::vector<MonthKpis> scope_kpis(HeadOfficeStore& store, const SiteScope& scope, int from_year, int from_month, int to_year,
                                  int to_month, int64_t as_of);
// stats_csv's figures of many sites and months: "site,year,month,metric,kind,severity,value".
void kpis_csv(const std::vector<MonthKpis>& kpis, const CsvSink& sink);

}  // namespace kiosk::headoffice
