// Cases at head office: repairs and complaints filed at a kiosk arrive by sync; office clerks
// record their progress (with the trade's rules about closing); kiosks pull the status, so a
// resident can rate the work; and the monthly statistics count it all. Against the real server
// on loopback, on SQLite and on PostgreSQL, and through the lobby-headoffice command. Each test
// plays the month (SiteCases) as far as its part of the trade needs, on a fresh head office.
#include <catch2/catch.hpp>

#include <cstdio>
#include <sstream>

#include "headoffice_fixture.hpp"
#include "run_command.hpp"
#include "sync/server/stats.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kMinute = 60, kHour = 3600, kDay = 86400;

std::string file_complaint(Store& s, ComplaintKind kind, std::time_t at) {
    ComplaintRequest c;
    c.kind = kind;
    c.phrases = {"电梯经常故障"};
    c.where = "电梯";
    c.when = "今天";
    c.wants = "尽快处理";
    c.unit_id = "B1-101";
    c.contact_resident_id = "R001";
    c.contact_phone_masked = "138****5678";
    return s.cases().save_complaint(c, at).value();
}

headoffice::CaseUpdate update(const char* status, int64_t at) {
    headoffice::CaseUpdate u;
    if (status) u.status = status;
    u.at = at;
    return u;
}

// Runs the head-office command and gives its exit code and standard output.
std::pair<int, std::string> headoffice_cmd(const std::string& args) {
    return test::run_command(std::string(LOBBY_HEADOFFICE) + " " + args);
}

std::string status_at_kiosk(Store& s, const std::string& ticket) {
    for (auto& c : s.cases().household_cases("B1-101"))
        if (c.ticket == ticket) return std::string(case_status_id(c.status));
    return "";
}

// One month at the site, in the order it happens; each test runs as much of it as its part needs.
// A fresh head office (SQLite file or PostgreSQL database) and kiosk store for every test.
struct SiteCases {
    test::HeadOffice ho;
    test::TempDir dir;
    std::unique_ptr<Store> kiosk = test::open_store(dir.path / "kiosk.db");
    const int64_t t0 = test::test_wall_clock();  // 2026-11-22 09:30
    std::string fast, late, lift, rude, fresh;     // the tickets, once filed
    std::unique_ptr<sync::SyncWorker> worker;

    explicit SiteCases(const std::string& backend) : ho(backend) {}

    // At the kiosk: an emergency repair and a booked one, three complaints, a survey; then synced.
    void file_at_kiosk() {
        fast = test::file_repair(*kiosk, RepairUrgency::Emergency, t0);
        late = test::file_repair(*kiosk, RepairUrgency::Appointment, t0 + kMinute);
        lift = file_complaint(*kiosk, ComplaintKind::Equipment, t0 + 2 * kMinute);
        rude = file_complaint(*kiosk, ComplaintKind::ServiceAttitude, t0 - 5 * kDay);
        fresh = file_complaint(*kiosk, ComplaintKind::ServiceQuality, t0 + 4 * kDay);
        REQUIRE(kiosk->cases().save_survey("2026Q4", "B1-201", true, {{"overall", 4}, {"repairs", 2}}, t0).ok());
        worker = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), ho.enrol("K1"));
        REQUIRE(worker->wait_synced(20s));
    }

    // At head office.
    void record_progress() {
        // The emergency: on site in 20 minutes, done in two hours.
        auto arrive = update(nullptr, t0 + 20 * kMinute);
        arrive.on_site = true;
        REQUIRE(ho.store->update_case("SG01", fast, arrive).ok());
        REQUIRE(ho.store->update_case("SG01", fast, update("done", t0 + 2 * kHour)).ok());
        // The booked repair: done a day after its window.
        REQUIRE(ho.store->update_case("SG01", late, update("dispatched", t0 + kHour)).ok());
        REQUIRE(ho.store->update_case("SG01", late, update("done", t0 + kDay + 5 * kHour)).ok());
        // The lift: a valid, major complaint, resolved in four days.
        auto major = update(nullptr, t0 + kHour);
        major.severity = "major";
        major.valid = true;
        REQUIRE(ho.store->update_case("SG01", lift, major).ok());
        REQUIRE(ho.store->update_case("SG01", lift, update("done", t0 + 4 * kDay)).ok());
        // The rude guard: minor, still open long past its two days.
        auto minor = update(nullptr, t0 - 5 * kDay + kHour);
        minor.severity = "minor";
        REQUIRE(ho.store->update_case("SG01", rude, minor).ok());
    }

    // The kiosk's worker runs a round now: sends what was filed, pulls how its cases stand.
    void sync_now() {
        worker->wake();
        REQUIRE(worker->wait_synced(20s));
    }

    // The resident rates the emergency repair at the kiosk.
    void rate_the_emergency() { REQUIRE(kiosk->cases().save_follow_up(fast, 5, "很快", t0 + 3 * kHour).ok()); }

    // Head office calls about the late repair and notes the resident's rating.
    void follow_up_call() {
        auto call = update("followed_up", t0 + 2 * kDay);
        call.rating = 3;
        REQUIRE(ho.store->update_case("SG01", late, call).ok());
    }

    // The clerk closes the lift complaint with the manager's approval.
    Result<headoffice::CaseRow> close_the_lift_approved() {
        auto close = update("closed", t0 + 5 * kDay);
        close.by = "B02";
        close.approved_by = "M01";
        close.result = "更换电梯控制板";
        return ho.store->update_case("SG01", lift, close);
    }

    // All of November's cases, as far as head office and the kiosk are concerned.
    void whole_month() {
        file_at_kiosk();
        record_progress();
        sync_now();
        rate_the_emergency();
        sync_now();
        follow_up_call();
        REQUIRE(close_the_lift_approved().ok());
        sync_now();
    }
};

// November, judged on the 26th at 10:30: the fresh complaint's 24 hours are not over yet.
int64_t november_as_of(const SiteCases& f) { return f.t0 + 4 * kDay + kHour; }

}  // namespace

TEST_CASE("a repair filed at a kiosk reaches head office registered, an emergency promised on site within 30 minutes", "[sync][cases]") {
    SiteCases f(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    f.file_at_kiosk();
    auto opened = f.ho.store->case_row("SG01", f.fast);
    REQUIRE(opened);
    CHECK(opened->kind == "repair");
    CHECK(opened->urgency == "emergency");
    CHECK(opened->status == "registered");
    CHECK(opened->on_site_by == f.t0 + 30 * kMinute);
}

TEST_CASE("head office refuses a clerk's update that breaks the trade's rules, with a clear answer, and changes nothing", "[sync][cases]") {
    SiteCases f(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    f.file_at_kiosk();
    f.record_progress();
    const int64_t t0 = f.t0;
    auto& ho = f.ho;
    auto &rude = f.rude, &lift = f.lift, &late = f.late, &fast = f.fast;

    SECTION("a case closes only once it is done") {
        auto early_close = update("closed", t0 + 3 * kHour);
        early_close.by = "B02";
        auto e1 = ho.store->update_case("SG01", rude, early_close);
        REQUIRE_FALSE(e1.ok());
        CHECK(e1.error().detail == "case " + rude + " is not resolved yet: mark it done first");
        CHECK(ho.store->case_row("SG01", rude)->status == "registered");
    }
    SECTION("a major complaint cannot be closed without the manager's approval") {
        auto no_approval = update("closed", t0 + 5 * kDay);
        no_approval.by = "B02";
        auto e2 = ho.store->update_case("SG01", lift, no_approval);
        REQUIRE_FALSE(e2.ok());
        CHECK(e2.error().detail == "a major complaint closes only with the manager's approval (approved_by)");
        CHECK(ho.store->case_row("SG01", lift)->status == "done");
    }
    SECTION("a status does not go back") {
        auto e3 = ho.store->update_case("SG01", late, update("dispatched", t0 + 2 * kDay));
        REQUIRE_FALSE(e3.ok());
        CHECK(e3.error().detail == "case " + late + " is already done; a status does not go back");
        CHECK(ho.store->case_row("SG01", late)->status == "done");
    }
    SECTION("a repair has no severity") {
        auto sev_on_repair = update(nullptr, t0);
        sev_on_repair.severity = "major";
        CHECK(ho.store->update_case("SG01", fast, sev_on_repair).error().detail == "only a complaint has a severity");
    }
    SECTION("a ticket head office never saw is refused") {
        CHECK_FALSE(ho.store->update_case("SG01", "BX-SG01-261122-K9-999", update("done", t0)).ok());
    }
}

TEST_CASE("the kiosk pulls how its cases stand, the resident rates the repair there, and an older row arriving late changes nothing", "[sync][cases]") {
    SiteCases f(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    f.file_at_kiosk();
    f.record_progress();
    auto& kiosk = f.kiosk;
    auto &fast = f.fast, &late = f.late, &rude = f.rude, &lift = f.lift;

    CHECK(status_at_kiosk(*kiosk, fast) == "registered");
    f.sync_now();
    CHECK(status_at_kiosk(*kiosk, fast) == "done");
    CHECK(status_at_kiosk(*kiosk, late) == "done");
    CHECK(status_at_kiosk(*kiosk, rude) == "registered");
    bool major_seen = false;
    for (auto& c : kiosk->cases().household_cases("B1-101"))
        if (c.ticket == lift) major_seen = c.severity == std::optional<std::string>("major");
    CHECK(major_seen);
    f.rate_the_emergency();
    f.sync_now();
    auto rated = f.ho.store->case_row("SG01", fast);
    REQUIRE(rated);
    CHECK(rated->status == "followed_up");
    CHECK(rated->rating == 5);
    CHECK(status_at_kiosk(*kiosk, fast) == "followed_up");
    // A status only moves forward at the kiosk: an older row arriving late changes nothing.
    REQUIRE(kiosk->outbox().apply_pull("case_status", {{fast, {{"ticket", fast}, {"status", "done"}}, false}},
                              kiosk->outbox().pull_cursor("case_status")).ok());
    CHECK(status_at_kiosk(*kiosk, fast) == "followed_up");
}

TEST_CASE("a major complaint closes with the manager's approval, and the kiosk shows it closed", "[sync][cases]") {
    SiteCases f(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    f.file_at_kiosk();
    f.record_progress();
    f.follow_up_call();
    auto closed = f.close_the_lift_approved();
    REQUIRE(closed.ok());
    CHECK(closed.value().closed_by == "B02");
    f.sync_now();
    CHECK(status_at_kiosk(*f.kiosk, f.lift) == "closed");
}

TEST_CASE("the monthly statistics count met and missed deadlines, follow-ups, ratings and the survey, and only in their month", "[sync][cases]") {
    SiteCases f(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    f.whole_month();
    const int64_t as_of = november_as_of(f);
    auto s = headoffice::monthly_stats(*f.ho.store, "SG01", 2026, 11, as_of);
    CHECK(s.repairs_filed == 2);
    CHECK(s.repairs_due == 2);
    CHECK(s.repairs_on_time == 1);
    CHECK(s.emergencies_arrival_recorded == 1);
    CHECK(s.emergencies_on_site_in_time == 1);
    CHECK(s.complaints_total.filed == 3);
    CHECK(s.complaints["equipment"]["major"].met == 1);
    CHECK(s.complaints["attitude"]["minor"].missed == 1);
    CHECK(s.complaints["quality"]["unset"].pending == 1);  // the fresh complaint, still within its 24 hours
    CHECK(s.complaints_valid == 1);
    CHECK(s.valid_handled == 1);
    CHECK(s.cases_done == 3);
    CHECK(s.cases_followed_up == 2);
    CHECK(s.ratings == 2);
    CHECK(s.satisfied == 1);
    CHECK(s.rating_mean == Approx(4.0));
    CHECK(s.survey_households == 1);
    CHECK(s.survey_mean == Approx(3.0));
    auto text = headoffice::stats_text(s);
    CHECK(text.find("timeliness (维修及时率): 50.0% (target 95%)") != std::string::npos);
    CHECK(text.find("2 of 3 cases done this month followed up: 66.7%") != std::string::npos);
    // October had none of it.
    auto oct = headoffice::monthly_stats(*f.ho.store, "SG01", 2026, 10, as_of);
    CHECK(oct.repairs_filed == 0);
    CHECK(oct.complaints_total.filed == 0);
}

TEST_CASE("the lobby-headoffice command gives an analyst the month as CSV", "[sync][cases]") {
    SiteCases f(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    f.whole_month();
    auto [rc, csv] = headoffice_cmd("stats --db '" + f.ho.where + "' --site-id SG01 --month 2026-11 --as-of " +
                                    std::to_string(november_as_of(f)) + " --csv -");
    CHECK(rc == 0);
    CHECK(csv.rfind("metric,kind,severity,value\n", 0) == 0);
    CHECK(csv.find("\nrepair_timeliness_pct,,,50.0\n") != std::string::npos);
    CHECK(csv.find("\ncomplaints_deadline_met,equipment,major,1\n") != std::string::npos);
    CHECK(csv.find("\nfollow_up_rate_pct,,,66.7\n") != std::string::npos);
}

TEST_CASE("the lobby-headoffice command records a clerk's update and answers a clerk's mistake clearly", "[sync][cases]") {
    SiteCases f(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto& ho = f.ho;
    auto& rude = f.rude;

    SECTION("a case closes only once it is done, and marking it done takes the clerk's local time") {
        f.file_at_kiosk();
        f.record_progress();
        auto [rc2, out2] = headoffice_cmd("case --db '" + ho.where + "' --site-id SG01 --ticket " + rude + " --status closed --by B02");
        CHECK(rc2 == 1);
        CHECK(out2 == "lobby-headoffice: case " + rude + " is not resolved yet: mark it done first\n");
        auto [rc3, out3] = headoffice_cmd("case --db '" + ho.where + "' --site-id SG01 --ticket " + rude +
                                          " --status done --at '2026-11-23 08:00'");
        CHECK(rc3 == 0);
        CHECK(out3.find(rude + "  complaint attitude  status done  severity minor") == 0);
        CHECK(ho.store->case_row("SG01", rude)->done_at == f.t0 + kDay - 90 * kMinute);
    }
    SECTION("a month that does not exist is refused") {
        auto [rc4, out4] = headoffice_cmd("stats --db '" + ho.where + "' --site-id SG01 --month 2026-13");
        CHECK(rc4 == 1);
        CHECK(out4 == "lobby-headoffice: --month wants YYYY-MM, not '2026-13'\n");
    }
    SECTION("a store that is not there is named, and not made") {
        auto missing = f.dir.path / "no-such-store.db";
        auto [rc5, out5] = headoffice_cmd("stats --db " + missing.string() + " --site-id SG01 --month 2026-11");
        CHECK(rc5 == 1);
        CHECK(out5 == "lobby-headoffice: no head-office store at " + missing.string() + "\n");
        CHECK_FALSE(std::filesystem::exists(missing));
    }
}
