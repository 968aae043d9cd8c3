// The head-office console's data, without its pages: the case list by due time, a case's timeline
// and history, announcements written at head office, a CSV's preview before its import, exports
// and the monthly figures; on SQLite and PostgreSQL, and always within the viewer's sites.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include "headoffice_fixture.hpp"
#include "sync/server/console_data.hpp"
#include "sync/server/csv.hpp"
#include "sync/server/stats.hpp"

using namespace kiosk;
using namespace std::chrono_literals;
using headoffice::CaseFilter;
using headoffice::IncomingRecord;
using headoffice::SiteScope;

namespace {

constexpr int64_t kMinute = 60, kHour = 3600, kDay = 86400;
constexpr int64_t kT0 = 1795300000;  // 2026-11-21 22:26:40 UTC

IncomingRecord record(const std::string& site, int seq, const std::string& type, const nlohmann::json& payload) {
    char id[64];
    std::snprintf(id, sizeof id, "%s-K1-abcdef-%08d", site.c_str(), seq);
    return {id, type, "2026-11-22T01:00:00Z", 1, seq, payload};
}

nlohmann::json repair(const std::string& ticket, int64_t at, int64_t done_in) {
    return {{"ticket", ticket},    {"category", "plumbing"},         {"urgency", "appointment"},
            {"unit", "B1-101"},    {"description", "水龙头漏水"},    {"contact_resident", "R001"},
            {"registered_at", at}, {"on_site_by", at + done_in / 2}, {"done_by", at + done_in}};
}

nlohmann::json complaint(const std::string& ticket, int64_t at) {
    return {{"ticket", ticket}, {"kind", "service_attitude"}, {"what", "态度差"}, {"unit", "B1-101"},
            {"filed_at", at},   {"reply_by", at + kDay}};
}

nlohmann::json enquiry(const std::string& ticket, int64_t at) {
    return {{"ticket", ticket}, {"question", "停车位怎么申请？"}, {"asked_at", at}};
}

// Two sites with a few cases each: SG01's R1 due soonest (and overdue at kT0 + 2 days), R2 later,
// C1 a complaint due in a day, E1 an enquiry with no promise; SG02's R9.
void file_cases(headoffice::HeadOfficeStore& s) {
    REQUIRE(s.import_site("SG02", test::demo_site()).ok());
    auto pushed = s.push("SG01", "K1",
                         {record("SG01", 1, "repair.request", repair("R2", kT0, 5 * kDay)),
                          record("SG01", 2, "repair.request", repair("R1", kT0 + kMinute, kDay)),
                          record("SG01", 3, "complaint.case", complaint("C1", kT0 + 2 * kMinute)),
                          record("SG01", 4, "enquiry.question", enquiry("E1", kT0 + 3 * kMinute))});
    REQUIRE(pushed.ok());
    REQUIRE(pushed.value().stored.size() == 4);
    REQUIRE(s.push("SG02", "K1", {record("SG02", 1, "repair.request", repair("R9", kT0, kHour))}).ok());
}

std::vector<std::string> tickets(const headoffice::CasePage& p) {
    std::vector<std::string> out;
    for (auto& r : p.rows) out.push_back(r.c.ticket);
    return out;
}

std::string export_text(const std::function<Result<int64_t>(const headoffice::CsvSink&)>& run, int* chunks = nullptr) {
    std::string out;
    int n = 0;
    auto r = run([&](std::string_view piece) {
        out += piece;
        ++n;
        return true;
    });
    REQUIRE(r.ok());
    if (chunks) *chunks = n;
    return out;
}

headoffice::AnnouncementInput water_cut() {
    headoffice::AnnouncementInput a;
    a.title_zh_cn = "2栋停水通知";
    a.title_en = "Water cut in Block 2";
    a.body_zh_cn = "本周六 9:00–15:00 停水，请提前储水。";
    a.sites = {"SG01"};
    a.buildings = {"B2"};
    a.urgent = true;
    a.starts_on = "2026-11-20";
    a.ends_on = "2026-11-30";
    return a;
}

}  // namespace

TEST_CASE("the case list: repairs, complaints and enquiries by due time, filtered and paged, within the viewer's sites",
          "[console][cases]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto& s = *ho.store;
    file_cases(s);
    const SiteScope sg01 = SiteScope::of({"SG01"});
    CaseFilter f;
    f.now = kT0 + 2 * kDay;

    auto all = s.case_list(sg01, f);
    REQUIRE(all.ok());
    CHECK(all.value().total == 4);
    // R1 on site within half a day, C1's reply within a day, R2 on site in 2.5 days; E1 promised nothing.
    CHECK(tickets(all.value()) == std::vector<std::string>{"R1", "C1", "R2", "E1"});
    CHECK(all.value().rows[3].c.kind == "enquiry");
    CHECK(all.value().rows[3].due_at == headoffice::kNoDeadline);

    SECTION("overdue: promised times passed and not kept, as of now") {
        f.overdue = true;
        auto late = s.case_list(sg01, f);
        REQUIRE(late.ok());
        CHECK(tickets(late.value()) == std::vector<std::string>{"R1", "C1"});
        CHECK(late.value().rows[0].overdue);
    }
    SECTION("kind and status filters; an unknown one is an error, not everything") {
        f.kind = "repair";
        CHECK(s.case_list(sg01, f).value().total == 2);
        f.kind = "enquiry";
        CHECK(tickets(s.case_list(sg01, f).value()) == std::vector<std::string>{"E1"});
        f.kind = "' OR 1=1 --";
        CHECK_FALSE(s.case_list(sg01, f).ok());
        f.kind.clear();
        f.status = "closed";
        CHECK(s.case_list(sg01, f).value().total == 0);
    }
    SECTION("paged in SQL, with the total of every page") {
        f.limit = 3;
        f.offset = 3;
        auto page = s.case_list(sg01, f);
        CHECK(page.value().total == 4);
        CHECK(tickets(page.value()) == std::vector<std::string>{"E1"});
    }
    SECTION("a clerk of SG01 gets nothing of SG02 whatever the filter or ticket names") {
        f.sites = {"SG02"};
        auto crafted = s.case_list(sg01, f);
        REQUIRE(crafted.ok());
        CHECK(crafted.value().total == 0);
        CHECK(crafted.value().rows.empty());
        CHECK_FALSE(s.case_timeline(sg01, "SG02", "R9", f.now));
        headoffice::CaseUpdate u;
        u.assignee = "王师傅";
        u.by = "clerk-a";
        u.at = kT0;
        CHECK_FALSE(s.update_case(sg01, "SG02", "R9", u).ok());
        CHECK(s.case_row("SG02", "R9")->status == "registered");
        CHECK(s.case_list(SiteScope::of({}), CaseFilter{}).value().total == 0);
        CHECK(s.case_list(SiteScope::everything(), CaseFilter{}).value().total == 5);
    }
}

TEST_CASE("a case assigned, noted and closed at head office keeps each step in its history and timeline", "[console][cases]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto& s = *ho.store;
    file_cases(s);
    const SiteScope sg01 = SiteScope::of({"SG01"});
    auto step = [&](int64_t at) {
        headoffice::CaseUpdate u;
        u.by = "clerk-a";
        u.at = at;
        return u;
    };
    auto assign = step(kT0 + kHour);
    assign.assignee = "王师傅";
    auto assigned = s.update_case(sg01, "SG01", "R1", assign);
    REQUIRE(assigned.ok());
    CHECK(assigned.value().status == "dispatched");  // 派工
    auto note = step(kT0 + 2 * kHour);
    note.note = "住户下午在家";
    REQUIRE(s.update_case(sg01, "SG01", "R1", note).ok());
    auto bad_close = step(kT0 + 3 * kHour);
    bad_close.status = "closed";
    bad_close.note = "不该记下";
    REQUIRE_FALSE(s.update_case(sg01, "SG01", "R1", bad_close).ok());  // not done yet: nothing kept
    auto done = step(kT0 + 4 * kHour);
    done.status = "done";
    REQUIRE(s.update_case(sg01, "SG01", "R1", done).ok());
    auto close = step(kT0 + 5 * kHour);
    close.status = "closed";
    close.result = "更换阀芯";
    REQUIRE(s.update_case(sg01, "SG01", "R1", close).ok());

    auto t = s.case_timeline(sg01, "SG01", "R1", kT0 + kDay);
    REQUIRE(t);
    CHECK(t->c.assignee == "王师傅");
    CHECK(t->c.c.status == "closed");
    CHECK(t->c.due_at == headoffice::kNoDeadline);
    std::vector<std::string> what;
    for (auto& e : t->events)
        if (e.what != "received") what.push_back(e.what);  // head office's clock: today, after these
    CHECK(what == std::vector<std::string>{"filed", "update", "note", "update", "update"});
    auto find = [&](const std::string& w) {
        for (auto& e : t->events)
            if (e.what == w) return e;
        FAIL("no event " << w);
        return headoffice::CaseEvent{};
    };
    CHECK(find("filed").by == "K1");
    CHECK(find("received").at > 0);
    CHECK(find("note").note == "住户下午在家");
    CHECK(find("note").by == "clerk-a");
    int updates = 0;
    for (auto& e : t->events) {
        if (e.what != "update") continue;
        ++updates;
        CHECK(e.by == "clerk-a");
        if (updates == 1) CHECK(e.changes["assignee"] == nlohmann::json::array({nullptr, "王师傅"}));
        if (updates == 1) CHECK(e.changes["status"] == nlohmann::json::array({"registered", "dispatched"}));
        if (updates == 3) CHECK(e.changes["status"] == nlohmann::json::array({"done", "closed"}));
    }
    CHECK(updates == 3);
    for (auto& e : t->events) CHECK(e.note != "不该记下");
}

TEST_CASE("a case assigned and closed in the console reaches the kiosk's my requests as its status", "[console][cases][sync]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite"));
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    const int64_t t0 = test::test_wall_clock();
    std::string ticket = test::file_repair(*kiosk, RepairUrgency::Appointment, t0);
    auto worker = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), ho.enrol("K1"));
    REQUIRE(worker->wait_synced(20s));
    auto status_at_kiosk = [&] {
        for (auto& c : kiosk->cases().household_cases("B1-101"))
            if (c.ticket == ticket) return std::string(case_status_id(c.status));
        return std::string();
    };
    const SiteScope sg01 = SiteScope::of({"SG01"});
    headoffice::CaseUpdate u;
    u.by = "clerk-a";
    u.at = t0 + kHour;
    u.assignee = "王师傅";
    REQUIRE(ho.store->update_case(sg01, "SG01", ticket, u).ok());
    worker->wake();
    REQUIRE(worker->wait_synced(20s));
    CHECK(status_at_kiosk() == "dispatched");
    u.assignee.reset();
    u.status = "done";
    REQUIRE(ho.store->update_case(sg01, "SG01", ticket, u).ok());
    u.status = "closed";
    REQUIRE(ho.store->update_case(sg01, "SG01", ticket, u).ok());
    worker->wake();
    REQUIRE(worker->wait_synced(20s));
    CHECK(status_at_kiosk() == "closed");
}

TEST_CASE("an announcement written at head office for one building reaches the site's data set, is edited and withdrawn",
          "[console][announcements]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto& s = *ho.store;
    REQUIRE(s.import_site("SG02", test::demo_site()).ok());
    const SiteScope sg01 = SiteScope::of({"SG01"});
    auto a = water_cut();

    SECTION("checked field by field before anything is written") {
        a.title_zh_cn.clear();
        a.ends_on = "2026-11-19";
        a.body_en = std::string(headoffice::kMaxAnnouncementBodyChars + 1, 'x');
        auto problems = headoffice::announcement_problems(a);
        REQUIRE(problems.size() == 3);
        CHECK(problems[0].field == "title.zh-CN");
        CHECK(problems[1].field == "body.en");
        CHECK(problems[2].field == "ends_on");
        CHECK_FALSE(s.publish_announcement(sg01, a).ok());
        CHECK_FALSE(headoffice::valid_iso_date("2026-02-29"));
        CHECK(headoffice::valid_iso_date("2028-02-29"));
    }
    SECTION("a building the site does not have, or a site outside the scope, is refused and nothing is written") {
        a.buildings = {"B9"};
        CHECK_FALSE(s.publish_announcement(sg01, a).ok());
        a.buildings = {"B2"};
        a.sites = {"SG01", "SG02"};
        auto out_of_scope = s.publish_announcement(sg01, a);
        REQUIRE_FALSE(out_of_scope.ok());
        CHECK(out_of_scope.error().detail == "no site SG02");
        CHECK(s.announcements(SiteScope::everything(), "SG01").size() == 5);  // the demo's five
    }
    SECTION("published to two sites under one id, pulled by kiosks with its buildings; edited; withdrawn") {
        a.sites = {"SG01", "SG02"};
        auto id = s.publish_announcement(SiteScope::everything(), a);
        REQUIRE(id.ok());
        CHECK(id.value().rfind("HO-20261120-", 0) == 0);
        auto page = s.pull("SG01", "announcements", 0, 1000);
        REQUIRE(page.ok());
        nlohmann::json pulled;
        for (auto& r : page.value().rows)
            if (r.key == id.value()) pulled = r.body;
        CHECK(pulled["buildings"] == nlohmann::json::array({"B2"}));
        CHECK(pulled["title"]["zh-CN"] == "2栋停水通知");
        CHECK(pulled["title"]["en"] == "Water cut in Block 2");
        CHECK_FALSE(pulled["title"].contains("zh-TW"));
        CHECK(pulled["urgent"] == true);
        CHECK(s.announcements(SiteScope::of({"SG02"}), "SG02").size() == 6);
        CHECK(s.announcements(sg01, "SG02").empty());  // not SG01's clerk's to see

        a.ends_on = "2026-12-05";
        CHECK_FALSE(s.edit_announcement(sg01, "SG02", id.value(), a).ok());
        REQUIRE(s.edit_announcement(sg01, "SG01", id.value(), a).ok());
        CHECK_FALSE(s.withdraw_announcement(sg01, "SG02", id.value()).ok());
        int64_t cursor = page.value().cursor;
        REQUIRE(s.withdraw_announcement(sg01, "SG01", id.value()).ok());
        CHECK_FALSE(s.withdraw_announcement(sg01, "SG01", id.value()).ok());  // already gone
        auto after = s.pull("SG01", "announcements", cursor, 1000);
        REQUIRE(after.ok());
        REQUIRE(after.value().rows.size() == 1);
        CHECK(after.value().rows[0].deleted);
        CHECK(s.announcements(SiteScope::of({"SG02"}), "SG02").size() == 6);
    }
}

TEST_CASE("a CSV with one bad row: the preview names its line and field, and nothing is imported", "[console][import]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto& s = *ho.store;
    const SiteScope sg01 = SiteScope::of({"SG01"});
    auto units_before = s.pull("SG01", "units", 0, 1000).value().rows.size();
    std::istringstream bad(
        "id,building,floor,label\nB1-901,B1,9,901\nB1-902,B1,nine,902\nB1-903,B1,9\nB1-901,B1,9,901b\nB1-904,B1,9,904\n");
    auto preview = headoffice::preview_dataset_csv("units", bad);
    CHECK(preview.rows.size() == 2);
    REQUIRE(preview.bad.size() == 3);
    CHECK(preview.bad[0].line == 3);
    CHECK(preview.bad[0].field == "floor");
    CHECK(preview.bad[0].reason == "floor 'nine' is not a whole number");
    CHECK(preview.bad[1].line == 4);
    CHECK(preview.bad[1].reason == "3 fields, the header has 4");
    CHECK(preview.bad[2].line == 5);
    CHECK(preview.bad[2].reason == "the same key as line 2 (B1-901)");
    CHECK_FALSE(s.commit_csv(sg01, "SG01", preview, false).ok());
    CHECK(s.pull("SG01", "units", 0, 1000).value().rows.size() == units_before);

    std::istringstream good("id,building,floor,label\nB1-901,B1,9,901\n\"B1-902\",B1,9,\"9,02\"\n");
    auto fine = headoffice::preview_dataset_csv("units", good);
    REQUIRE(fine.ok());
    CHECK_FALSE(s.commit_csv(SiteScope::of({"SG02"}), "SG01", fine, false).ok());  // not this clerk's site
    auto committed = s.commit_csv(sg01, "SG01", fine, false);
    REQUIRE(committed.ok());
    CHECK(committed.value() == 2);
    CHECK(s.pull("SG01", "units", 0, 1000).value().rows.size() == units_before + 2);
}

TEST_CASE("exports are CSV streamed a page at a time, formula-safe, and hold only the viewer's sites", "[console][export]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto& s = *ho.store;
    file_cases(s);
    const SiteScope sg01 = SiteScope::of({"SG01"});
    std::vector<DatasetRow> residents;
    for (int i = 0; i < 1200; ++i) {
        std::string id = "RX" + std::to_string(1000 + i);
        residents.push_back({id,
                             {{"id", id},
                              {"unit", "B1-101"},
                              {"name_masked", i == 0 ? "=HYPERLINK(\"x\")" : "李*"},
                              {"phone_masked", "138****0000"},
                              {"role", "tenant"}},
                             false});
    }
    REQUIRE(s.import_rows("SG02", "residents", residents, false).ok());

    int chunks = 0;
    std::string mine = export_text([&](auto& sink) { return s.export_dataset(sg01, "SG02", "residents", sink); }, &chunks);
    CHECK(mine == "id,unit,name_masked,phone_masked,role\n");  // SG02's residents are not SG01's clerk's
    std::string theirs =
        export_text([&](auto& sink) { return s.export_dataset(SiteScope::of({"SG02"}), "SG02", "residents", sink); }, &chunks);
    CHECK(chunks >= 4);                                                      // the header, then pages of 500
    CHECK(std::count(theirs.begin(), theirs.end(), '\n') == 1 + 1200 + 10);  // with the demo's ten
    CHECK(theirs.find("RX1000,B1-101,\"'=HYPERLINK(\"\"x\"\")\",138****0000,tenant\n") != std::string::npos);
    CHECK(export_text([&](auto& sink) { return s.export_dataset(SiteScope::everything(), "SG01", "staff", sink); }).find("argon2") ==
          std::string::npos);
    CHECK_FALSE(s.export_dataset(SiteScope::everything(), "SG01", "household_pins", [](std::string_view) { return true; }).ok());

    CaseFilter f;
    f.now = kT0 + 2 * kDay;
    std::string cases = export_text([&](auto& sink) { return s.export_cases(sg01, f, sink); });
    CHECK(cases.find("SG02") == std::string::npos);
    CHECK(cases.rfind("site,ticket,kind,", 0) == 0);
    CHECK(cases.find("SG01,R1,repair,plumbing,appointment,,registered,,2026-11-21T22:27:40Z,2026-11-22T10:27:40Z,true,") !=
          std::string::npos);
    std::string everything = export_text([&](auto& sink) { return s.export_cases(SiteScope::everything(), f, sink); });
    CHECK(std::count(everything.begin(), everything.end(), '\n') == 6);
}

TEST_CASE("100,000 cases: a page of the list comes from the index in due order", "[console][cases][large]") {
    std::string backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice ho(backend);
    auto& s = *ho.store;
    constexpr int kCases = 100'000, kBatch = 1000;
    auto t_seed = std::chrono::steady_clock::now();
    for (int b = 0; b < kCases / kBatch; ++b) {
        std::vector<IncomingRecord> batch;
        for (int i = b * kBatch; i < (b + 1) * kBatch; ++i) {
            // Due times scattered over a year, so the order is the index's work, not the filing's.
            int64_t filed = kT0 + i;
            int64_t due_in = kHour + (static_cast<int64_t>(i) * 7919 % 365) * kDay;
            batch.push_back(record("SG01", i + 1, "repair.request", repair("T" + std::to_string(i), filed, due_in)));
        }
        auto r = s.push("SG01", "K1", batch);
        REQUIRE(r.ok());
        REQUIRE(r.value().stored.size() == kBatch);
    }
    double seed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_seed).count();
    CaseFilter f;
    f.now = kT0 + 30 * kDay;
    f.limit = 50;
    f.offset = 1000;
    f.overdue = true;
    auto t0 = std::chrono::steady_clock::now();
    auto page = s.case_list(SiteScope::of({"SG01"}), f);
    double page_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    f.overdue = false;
    f.offset = 0;
    t0 = std::chrono::steady_clock::now();
    auto first = s.case_list(SiteScope::of({"SG01"}), f);
    double first_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("console case list (%s, %d cases): seeded in %.1f s; overdue page at offset 1000 %.1f ms, first page %.1f ms\n",
                backend.c_str(), kCases, seed_s, page_ms, first_ms);
    REQUIRE(page.ok());
    REQUIRE(first.ok());
    CHECK(first.value().total == kCases);
    REQUIRE(page.value().rows.size() == 50);
    CHECK(page.value().total > 1000);
    CHECK(page.value().total < kCases);
    for (size_t i = 1; i < page.value().rows.size(); ++i) {
        auto& a = page.value().rows[i - 1];
        auto& b = page.value().rows[i];
        CHECK((a.due_at < b.due_at || (a.due_at == b.due_at && a.c.filed_at <= b.c.filed_at)));
        CHECK(b.overdue);
    }
    // The first page is the soonest due of all: the on-site promises of those due in an hour.
    CHECK(first.value().rows.front().due_at == kT0 + kHour / 2);
}

TEST_CASE("the monthly figures per site and month for the console, and their CSV, within the viewer's sites", "[console][stats]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto& s = *ho.store;
    file_cases(s);
    auto kpis = headoffice::scope_kpis(s, SiteScope::of({"SG01"}), 2026, 10, 2026, 11, kT0 + 2 * kDay);
    REQUIRE(kpis.size() == 2);  // SG01's October and November; SG02 is not this viewer's
    CHECK(kpis[0].month == 10);
    CHECK(kpis[0].detail.repairs_filed == 0);
    CHECK_FALSE(kpis[0].repair_timeliness_pct);
    auto& nov = kpis[1];
    CHECK(nov.site == "SG01");
    CHECK(nov.detail.repairs_filed == 2);  // the enquiry is not counted as a repair
    CHECK(nov.detail.complaints_total.filed == 1);
    CHECK(nov.repair_timeliness_pct == 0.0);  // R1 due and not done
    CHECK(headoffice::scope_kpis(s, SiteScope::everything(), 2026, 11, 2026, 11, kT0).size() == 2);
    CHECK(headoffice::scope_kpis(s, SiteScope::everything(), 2026, 11, 2026, 10, kT0).empty());
    std::string csv;
    headoffice::kpis_csv(kpis, [&](std::string_view piece) {
        csv += piece;
        return true;
    });
    CHECK(csv.rfind("site,year,month,metric,kind,severity,value\n", 0) == 0);
    CHECK(csv.find("SG01,2026,11,repairs_filed,,,2\n") != std::string::npos);
    CHECK(csv.find("SG02") == std::string::npos);
}

TEST_CASE("a store made before the console gets due times for its cases and its stored enquiries as cases", "[console][cases][migrate]") {
    test::TempDir dir;
    std::string path = (dir.path / "old.db").string();
    {
        auto opened = headoffice::HeadOfficeStore::open(path);
        REQUIRE(opened.ok());
        REQUIRE(opened.value()->import_site("SG01", test::demo_site()).ok());
        REQUIRE(opened.value()
                    ->push("SG01", "K1",
                           {record("SG01", 1, "repair.request", repair("R1", kT0, kDay)),
                            record("SG01", 2, "enquiry.question", enquiry("E1", kT0))})
                    .ok());
    }
    {
        // As the store was: no due_at, assignee or history; the enquiry only a record.
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec(
            "DROP INDEX cases_due; DROP INDEX cases_due_all; DROP TABLE case_history;"
            "ALTER TABLE cases DROP COLUMN due_at; ALTER TABLE cases DROP COLUMN assignee;"
            "DELETE FROM cases WHERE kind = 'enquiry'");
    }
    auto opened = headoffice::HeadOfficeStore::open(path);
    REQUIRE(opened.ok());
    CaseFilter f;
    f.now = kT0;
    auto page = opened.value()->case_list(SiteScope::everything(), f);
    REQUIRE(page.ok());
    REQUIRE(tickets(page.value()) == std::vector<std::string>{"R1", "E1"});
    CHECK(page.value().rows[0].due_at == kT0 + kDay / 2);
    CHECK(page.value().rows[1].c.kind == "enquiry");
}
