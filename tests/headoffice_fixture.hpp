#pragma once
// The real head-office server on loopback for tests: its own SQLite file (or, for "postgresql",
// its own database on the tests' PostgreSQL server), the demo site imported, serving on a thread
// until the fixture goes.
#include <fstream>
#include <memory>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <SQLiteCpp/Statement.h>
#include <httplib.h>

#include "kiosk/store/probe.hpp"
#include "kiosk_fixture.hpp"
#include "pg_server.hpp"
#include "sync/client/sync_worker.hpp"
#include "sync/server/notify.hpp"
#include "sync/server/server.hpp"
#include "wait_for.hpp"

namespace kiosk::test {

struct HeadOffice {
    TempDir dir;
    std::unique_ptr<headoffice::HeadOfficeStore> store;
    std::unique_ptr<headoffice::Server> server;
    std::thread thread;
    int port = 0;

    std::string where;  // the store's file or PostgreSQL connection string

    // `shared_with`: a second head-office server on the same database as another.
    explicit HeadOffice(const std::string& backend = "sqlite", const std::string& shared_with = {}) {
        where = !shared_with.empty()        ? shared_with
                : backend == "postgresql" ? PgServer::shared().new_database()
                                          : (dir.path / "headoffice.db").string();
        auto opened = headoffice::HeadOfficeStore::open(where);
        INFO(backend << ": " << (opened ? "" : opened.error().detail));
        REQUIRE(opened.ok());
        store = std::move(opened.value());
        REQUIRE(store->dialect() == backend);
        REQUIRE(store->import_site("SG01", demo_site()).ok());
        serve();
    }
    ~HeadOffice() { stop(); }
    // The texts head office would send (the notification sender, kept here).
    std::vector<headoffice::Notification> texts() {
        std::lock_guard lock(m_texts_lock);
        return m_texts;
    }
    void serve(int at_port = 0) {
        server = std::make_unique<headoffice::Server>(*store, [this](const std::string& site, const auto& fresh) {
            auto ns = headoffice::notifications_for(site, fresh);
            std::lock_guard lock(m_texts_lock);
            m_texts.insert(m_texts.end(), ns.begin(), ns.end());
        });
        port = server->bind("127.0.0.1", at_port);
        REQUIRE(port > 0);
        thread = std::thread([s = server.get()] { s->run(); });
        // httplib 0.11 forgets a stop() that comes before its listen loop has begun (the join in
        // stop() then waits forever, seen under load): serving means answering.
        REQUIRE(wait_until(
            [&] {
                httplib::Client c("127.0.0.1", port);
                c.set_connection_timeout(1);
                auto r = c.Get("/v1/health");
                return r && r->status == 200;
            },
            std::chrono::seconds(10)));
    }
    // The server goes away (its store stays); serve() brings it back on the same port.
    void stop() {
        if (!server) return;
        server->stop();
        thread.join();
        server.reset();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string enrol(const std::string& kiosk) { return store->add_kiosk("SG01", kiosk).value(); }

private:
    std::mutex m_texts_lock;
    std::vector<headoffice::Notification> m_texts;
};

// A repair a resident of 1栋 101 files at the kiosk (a dead socket); its ticket.
inline std::string file_repair(Store& s, RepairUrgency urgency, std::time_t at) {
    RepairRequest r;
    r.category = RepairCategory::Electrical;
    r.urgency = urgency;
    r.unit_id = "B1-101";
    r.phrases = {"插座没电"};
    r.contact_resident_id = "R001";
    r.contact_phone_masked = "138****5678";
    std::optional<TimeWindow> window;
    if (urgency == RepairUrgency::Appointment) {
        window = TimeWindow{at + 2 * 3600, at + 4 * 3600};
        r.window = window;
    }
    auto saved = s.cases().save_repair(r, at, repair_promise(urgency, at, window, false));
    INFO("repair: " << (saved ? std::string() : saved.error().detail));
    REQUIRE(saved.ok());
    return saved.value();
}

// The check at the end of a sync: every data set the kiosk pulls holds exactly the rows head
// office has for the site (deleted ones gone), and a fee's amount and paid flag are head office's.
inline void check_pulled_matches(HeadOffice& ho, Store& kiosk) {
    static const std::map<std::string, std::pair<const char*, const char*>> kTables{
        {"facts", {"site_facts", "key"}},        {"buildings", {"buildings", "id"}},
        {"units", {"units", "id"}},              {"residents", {"residents", "id"}},
        {"household_pins", {"household_pins", "unit_id"}}, {"parcel_consent", {"parcel_consent", "unit_id"}},
        {"fee_items", {"fee_items", "id"}},      {"catalogue_items", {"catalogue_items", "id"}},
        {"announcements", {"announcements", "id"}}, {"staff", {"staff", "staff_no"}},
        {"parcels", {"parcels", "id"}},          {"exit_passes", {"exit_passes", "id"}},
        {"loans", {"loans", "id"}}};
    for (auto& [dataset, table] : kTables) {
        INFO("data set " << dataset);
        auto page = ho.store->pull("SG01", dataset, 0, 1000000);
        REQUIRE(page.ok());
        std::map<std::string, nlohmann::json> at_ho;
        for (auto& r : page.value().rows)
            if (!r.deleted) at_ho[r.key] = r.body;
        std::set<std::string> here;
        StoreProbe q_probe(kiosk);
        SQLite::Statement q(q_probe.connection(), std::string("SELECT ") + table.second + " FROM " + table.first);
        while (q.executeStep()) here.insert(q.getColumn(0).getString());
        std::set<std::string> there;
        for (auto& [k, body] : at_ho) there.insert(k);
        CHECK(here == there);
        if (dataset != "fee_items") continue;
        StoreProbe f_probe(kiosk);
        SQLite::Statement f(f_probe.connection(), "SELECT id, amount_cents, paid FROM fee_items");
        while (f.executeStep()) {
            auto& b = at_ho[f.getColumn(0).getString()];
            CHECK(f.getColumn(1).getInt64() == b.value("amount_cents", int64_t{-1}));
            CHECK((f.getColumn(2).getInt() != 0) == (b.value("paid", false) == true));
        }
    }
}

// A sync worker for a kiosk store file, enrolled with head office, retrying fast.
inline std::unique_ptr<sync::SyncWorker> start_sync(const std::filesystem::path& store_path, const std::string& kiosk,
                                                    const std::string& url, const std::string& enrol_code,
                                                    const std::string& ca_file = {}) {
    sync::SyncOptions o;
    o.url = url;
    o.store_path = store_path;
    o.site = "SG01";
    o.kiosk = kiosk;
    o.enrol_code = enrol_code;
    o.ca_file = ca_file;
    o.backoff_first_s = 0.05;
    o.backoff_cap_s = 0.5;
    o.connect_timeout_ms = 1000;
    o.request_timeout_s = 5;
    auto w = sync::SyncWorker::start(o);
    REQUIRE(w.ok());
    return std::move(w.value());
}

}  // namespace kiosk::test
