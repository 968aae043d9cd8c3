// The console's plain rules: a case's due time, an announcement's checks and row, what each data
// set exports, and time as text. No SQL here (headoffice_console_data.cpp has it).
#include "sync/server/console_data.hpp"

#include <algorithm>
#include <ctime>

#include "kiosk/core/text.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/headoffice_store.hpp"
#include "sync/server/stats.hpp"

namespace kiosk::headoffice {

bool SiteScope::allows(const std::string& site) const {
    return all || std::find(sites.begin(), sites.end(), site) != sites.end();
}

std::string scope_sql(const SiteScope& scope, SqlParams& params, const char* column) {
    if (scope.all) return "1 = 1";
    if (scope.sites.empty() || scope.sites.size() > kMaxScopeSites) return "1 = 0";
    std::string s = std::string(column) + " IN (";
    for (size_t i = 0; i < scope.sites.size(); ++i) {
        s += i ? ", ?" : "?";
        params.push_back(scope.sites[i]);
    }
    return s + ")";
}

std::string overdue_from_sql(std::string_view dialect) {
    const std::string no = std::to_string(kNoDeadline);
    // SQLite's min() of several values is PostgreSQL's least(); each is NULL-free here.
    return std::string(dialect == "postgresql" ? "least(" : "min(") + "coalesce(CASE WHEN on_site_at IS NULL THEN on_site_by END, " + no +
           "), coalesce(done_by, " + no + "), coalesce(reply_by, " + no + "))";
}

int64_t case_due_at(const CaseRow& c) {
    int64_t due = kNoDeadline;
    if (c.closed_at || c.done_at) return due;
    if (c.kind == "repair") {
        if (c.on_site_by && !c.on_site_at) due = std::min(due, *c.on_site_by);
        if (c.done_by) due = std::min(due, *c.done_by);
    } else if (c.kind == "complaint") {
        due = std::min(due, complaint_deadline(c));
    } else if (c.reply_by) {
        due = std::min(due, *c.reply_by);
    }
    return due;
}

// ---- Announcements ------------------------------------------------------------------------

bool valid_iso_date(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (t[i] < '0' || t[i] > '9') return false;
    int y = std::stoi(std::string(t.substr(0, 4))), m = std::stoi(std::string(t.substr(5, 2))), d = std::stoi(std::string(t.substr(8, 2)));
    if (y < 2000 || m < 1 || m > 12 || d < 1) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool printable_text(std::string_view t, bool lines) {
    for (unsigned char c : t)
        if ((c < 0x20 && !(lines && c == '\n')) || c == 0x7f) return false;
    return true;
}

std::vector<FieldProblem> announcement_problems(const AnnouncementInput& a) {
    std::vector<FieldProblem> out;
    auto text = [&](const char* field, const std::string& v, size_t max, bool required, bool lines) {
        std::string again;
        for (char32_t cp : utf8_decode(v)) again += utf8_encode(cp);
        if (required && v.empty())
            out.push_back({field, "is required"});
        else if (again != v)
            out.push_back({field, "is not UTF-8 text"});
        else if (size_t n = utf8_length(v); n > max)
            out.push_back({field, "is " + std::to_string(n) + " characters long; at most " + std::to_string(max) + " are taken"});
        else if (!printable_text(v, lines))
            out.push_back({field, "has a control character"});
    };
    text("title.zh-CN", a.title_zh_cn, kMaxAnnouncementTitleChars, true, false);
    text("title.zh-TW", a.title_zh_tw, kMaxAnnouncementTitleChars, false, false);
    text("title.en", a.title_en, kMaxAnnouncementTitleChars, false, false);
    text("body.zh-CN", a.body_zh_cn, kMaxAnnouncementBodyChars, true, true);
    text("body.zh-TW", a.body_zh_tw, kMaxAnnouncementBodyChars, false, true);
    text("body.en", a.body_en, kMaxAnnouncementBodyChars, false, true);
    if (a.sites.empty()) out.push_back({"sites", "choose at least one site"});
    if (a.sites.size() > kMaxAnnouncementSites) out.push_back({"sites", "more than " + std::to_string(kMaxAnnouncementSites)});
    for (auto& s : a.sites)
        if (!sync::valid_id(s)) out.push_back({"sites", "a site id is 1 to 128 bytes with no control character"});
    if (a.buildings.size() > kMaxAnnouncementBuildings)
        out.push_back({"buildings", "more than " + std::to_string(kMaxAnnouncementBuildings)});
    for (auto& b : a.buildings)
        if (!sync::valid_id(b)) out.push_back({"buildings", "a building id is 1 to 128 bytes with no control character"});
    bool starts = valid_iso_date(a.starts_on), ends = valid_iso_date(a.ends_on);
    if (!starts) out.push_back({"starts_on", "is not a date YYYY-MM-DD"});
    if (!ends) out.push_back({"ends_on", "is not a date YYYY-MM-DD"});
    if (starts && ends && a.ends_on < a.starts_on) out.push_back({"ends_on", "is before starts_on"});
    return out;
}

nlohmann::json announcement_body(const std::string& id, const AnnouncementInput& a) {
    auto local = [](const std::string& cn, const std::string& tw, const std::string& en) {
        nlohmann::json t{{"zh-CN", cn}};
        if (!tw.empty()) t["zh-TW"] = tw;
        if (!en.empty()) t["en"] = en;
        return t;
    };
    nlohmann::json b{{"id", id},
                     {"title", local(a.title_zh_cn, a.title_zh_tw, a.title_en)},
                     {"body", local(a.body_zh_cn, a.body_zh_tw, a.body_en)},
                     {"urgent", a.urgent},
                     {"starts_on", a.starts_on},
                     {"ends_on", a.ends_on}};
    if (!a.buildings.empty()) b["buildings"] = a.buildings;
    return b;
}

// ---- Site data as CSV -----------------------------------------------------------------------

bool console_uploadable(std::string_view d) {
    return d == "units" || d == "residents" || d == "fee_items" || d == "catalogue_items";
}

const std::vector<std::string>& export_columns(std::string_view d) {
    static const std::vector<std::string> none;
    static const std::vector<std::pair<std::string, std::vector<std::string>>> k{
        {"buildings", {"id", "name.zh-CN", "name.zh-TW", "name.en", "sort"}},
        {"units", {"id", "building", "floor", "label"}},
        {"residents", {"id", "unit", "name_masked", "phone_masked", "role"}},
        {"fee_items", {"id", "unit", "month", "kind", "amount_cents", "paid"}},
        {"catalogue_items", {"id", "name.zh-CN", "name.zh-TW", "name.en", "stock", "deposit_cents", "loan_days"}},
        {"announcements",
         {"id", "title.zh-CN", "title.zh-TW", "title.en", "body.zh-CN", "body.zh-TW", "body.en", "urgent", "starts_on", "ends_on"}},
        {"staff", {"staff_no", "name_masked", "role"}},  // never pin_hash
        {"parcel_consent", {"unit"}},
    };
    for (auto& [name, cols] : k)
        if (name == d) return cols;
    return none;
}

std::vector<std::string> export_cells(std::string_view d, const nlohmann::json& body) {
    std::vector<std::string> out;
    for (const std::string& col : export_columns(d)) {
        const nlohmann::json* v = nullptr;
        if (d == "parcel_consent") {
            out.push_back(body.is_string() ? body.get<std::string>() : "");
            continue;
        }
        if (body.is_object()) {
            auto dot = col.find('.');
            auto it = body.find(col.substr(0, dot));
            if (it != body.end()) v = &*it;
            if (v && dot != std::string::npos) {
                auto sub = v->is_object() ? v->find(col.substr(dot + 1)) : v->end();
                v = v->is_object() && sub != v->end() ? &*sub : nullptr;
            }
        }
        if (!v || v->is_null())
            out.emplace_back();
        else if (v->is_string())
            out.push_back(v->get<std::string>());
        else if (v->is_boolean())
            out.emplace_back(v->get<bool>() ? "true" : "false");
        else
            out.push_back(v->dump());
    }
    return out;
}

// ---- Time as text ---------------------------------------------------------------------------

std::string iso_utc(std::optional<int64_t> t) {
    if (!t) return "";
    std::time_t s = static_cast<std::time_t>(*t);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::optional<int64_t> parse_iso_utc(std::string_view text) {
    std::tm tm{};
    std::string s(text.substr(0, 20));
    const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end) return std::nullopt;
    return static_cast<int64_t>(timegm(&tm));
}

}  // namespace kiosk::headoffice
