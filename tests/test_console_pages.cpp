// The console pages' bridge to the data layer (issue #16): a viewer's role and sites as the one
// SiteScope every page queries with, who may change things, and the parsing of the case filter,
// the case action forms and the announcement form. Plain functions: no server, no store.
#include <catch2/catch.hpp>

#include "sync/server/console/pages.hpp"

using namespace kiosk;
using namespace kiosk::headoffice;
using namespace kiosk::headoffice::console;

namespace {
Viewer viewer(const std::string& role, std::vector<std::string> sites, bool all = false) {
    Viewer v;
    v.name = role + "-1";
    v.role = role;
    v.sites = std::move(sites);
    v.all_sites = all;
    return v;
}
}  // namespace

TEST_CASE("a clerk of SG01 is scoped to SG01, an admin and an all-sites analyst to every site") {
    SiteScope clerk = site_scope(viewer("clerk", {"SG01"}));
    CHECK_FALSE(clerk.all);
    CHECK(clerk.allows("SG01"));
    CHECK_FALSE(clerk.allows("SG02"));
    CHECK_FALSE(clerk.allows(""));
    CHECK(site_scope(viewer("admin", {})).allows("SG02"));
    CHECK(site_scope(viewer("analyst", {}, true)).all);
    SiteScope nobody = site_scope(viewer("manager", {}));
    CHECK_FALSE(nobody.allows("SG01"));
}

TEST_CASE("an analyst reads and clerks, managers and admins act") {
    CHECK_FALSE(may_act(viewer("analyst", {}, true)));
    CHECK(may_act(viewer("clerk", {"SG01"})));
    CHECK(may_act(viewer("manager", {"SG01"})));
    CHECK(may_act(viewer("admin", {})));
    CHECK_FALSE(may_act(viewer("visitor", {"SG01"})));
}

TEST_CASE("the case filter takes known values and names an unknown one") {
    Form q{{"site", "SG01"}, {"kind", "repair"}, {"status", "open"}, {"severity", "major"}, {"overdue", "1"}, {"page", "3"}};
    auto f = case_filter(q, 1000);
    REQUIRE(f.ok());
    CHECK(f.value().sites == std::vector<std::string>{"SG01"});
    CHECK(f.value().kind == "repair");
    CHECK(f.value().overdue);
    CHECK(f.value().now == 1000);
    CHECK(f.value().offset == 2 * kPerPage);
    CHECK(f.value().limit == kPerPage);
    CHECK(case_filter_query(f.value()) == "?site=SG01&kind=repair&status=open&severity=major&overdue=1");
    for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"kind", "parcel"}, {"status", "lost"}, {"severity", "huge"}, {"overdue", "yes"}, {"site", std::string(200, 'x')}}) {
        auto bad = case_filter(Form{{name, value}}, 0);
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().detail.find(name) == 0);
    }
    CHECK(case_filter_query(case_filter(Form{{"site", "A&B"}}, 0).value()) == "?site=A%26B");
}

TEST_CASE("case action forms become the update the clerk meant") {
    auto assign = case_action("assign", Form{{"worker", "  Wang Wei "}}, "cleo", 77);
    REQUIRE(assign.ok());
    CHECK(assign.value().assignee == "Wang Wei");
    CHECK(assign.value().by == "cleo");
    CHECK(assign.value().at == 77);
    CHECK_FALSE(assign.value().status);
    CHECK_FALSE(case_action("assign", Form{{"worker", " "}}, "cleo", 77).ok());

    auto status = case_action("status", Form{{"status", "in_progress"}, {"on_site", "1"}}, "cleo", 77);
    REQUIRE(status.ok());
    CHECK(status.value().status == "in_progress");
    CHECK(status.value().on_site);
    CHECK_FALSE(case_action("status", Form{{"status", "closed"}}, "cleo", 77).ok());  // closing has its own form

    auto close = case_action("close", Form{{"result", "pipe replaced"}, {"approved_by", "vic"}, {"note", "done"}}, "cleo", 77);
    REQUIRE(close.ok());
    CHECK(close.value().status == "closed");
    CHECK(close.value().result == "pipe replaced");
    CHECK(close.value().approved_by == "vic");
    CHECK(close.value().note == "done");
    CHECK_FALSE(case_action("close", Form{}, "cleo", 77).ok());

    auto call = case_action("follow-up", Form{{"rating", "4"}, {"result", "happy"}}, "cleo", 77);
    REQUIRE(call.ok());
    CHECK(call.value().status == "followed_up");
    CHECK(call.value().rating == 4);
    for (const char* r : {"0", "6", "", "4x", "-1"}) CHECK_FALSE(case_action("follow-up", Form{{"rating", r}}, "cleo", 77).ok());

    CHECK(case_action("note", Form{{"note", "called the tenant"}}, "cleo", 77).value().note == "called the tenant");
    CHECK_FALSE(case_action("note", Form{{"note", ""}}, "cleo", 77).ok());
    CHECK_FALSE(case_action("delete", Form{}, "cleo", 77).ok());
}

TEST_CASE("the announcement form reads its texts, ticked sites, buildings and dates") {
    Form f{{"title.zh-CN", " 停水通知 "}, {"body.zh-CN", "明天停水"}, {"title.en", "Water off"}, {"s:SG01", "1"}, {"s:SG02", "1"},
           {"s:SG03", "0"}, {"buildings", "B1, ,B2 "}, {"urgent", "1"}, {"starts_on", "2026-12-01"}, {"ends_on", "2026-12-02"}};
    AnnouncementInput a = announcement_input(f);
    CHECK(a.title_zh_cn == "停水通知");
    CHECK(a.title_en == "Water off");
    CHECK(a.sites == std::vector<std::string>{"SG01", "SG02"});
    CHECK(a.buildings == std::vector<std::string>{"B1", "B2"});
    CHECK(a.urgent);
    CHECK(announcement_problems(a).empty());
    AnnouncementInput blank = announcement_input(Form{});
    auto problems = announcement_problems(blank);
    auto named = [&](const std::string& field) {
        return std::any_of(problems.begin(), problems.end(), [&](const FieldProblem& p) { return p.field == field; });
    };
    CHECK(named("title.zh-CN"));
    CHECK(named("body.zh-CN"));
    CHECK(named("sites"));
    CHECK(named("starts_on"));
}

TEST_CASE("a month is YYYY-MM") {
    CHECK(year_month("2026-11") == std::optional<std::pair<int, int>>({2026, 11}));
    for (const char* bad : {"2026-13", "2026-00", "26-11", "2026/11", "2026-1", ""}) CHECK_FALSE(year_month(bad));
}
