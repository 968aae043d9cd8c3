// sync-bench: how fast records reach head office, against what head office's store and the
// loopback HTTP server can do on their own. A program that prints figures, not a test.
//
//   sync_drain_records_per_s        a 100 000-record backlog from one kiosk to a loopback head office
//   ingest_20_kiosks_records_per_s  20 kiosks with 5 000 each, all at once
//   loopback_ceiling_requests_per_s the same server answering an empty request (GET /v1/health)
//   store_ceiling_rows_per_s        the same rows pushed straight into head office's store, no HTTP
//   sync_vs_store_ceiling           drain rate over store ceiling (goal: at least 0.25)
//   pg_*                            the drain and the store ceiling again with head office on
//                                   PostgreSQL (a private server on loopback, as the tests start)
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "kiosk/store/store.hpp"
#include "pg_server.hpp"
#include "sync/client/sync_worker.hpp"
#include "sync/server/server.hpp"
#include "wait_for.hpp"

using namespace kiosk;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// "K1", "K2", ... (snprintf: "K" + to_string draws a false -Wrestrict from g++ 12)
std::string kiosk_name(int k) {
    char b[16];
    std::snprintf(b, sizeof b, "K%d", k + 1);
    return b;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

nlohmann::json sample_payload(int i) {
    return {{"category", "plumbing"},         {"urgency", "appointment"},  {"unit", "B1-101"},
            {"description", "厨房水龙头漏水，需要更换阀芯"}, {"contact_resident", "R001"}, {"registered_at", 1795300000 + i},
            {"on_site_by", 1795310000 + i},   {"done_by", 1795400000 + i}};
}

// A kiosk store with `n` records waiting. Set up without an fsync per record (that cost is
// kiosk-bench's save figure); the sync worker then reads it over its own, fully synced connection.
void make_backlog(const fs::path& db, const std::string& kiosk, int n) {
    auto s = Store::open(db, "SG01", kiosk, StoreOptions{.durable = false});
    if (!s) throw std::runtime_error(s.error().detail);
    for (int i = 0; i < n; ++i)
        if (!s.value()->save_record("repair.request", 1, sample_payload(i))) throw std::runtime_error("backlog save failed");
}

struct LoopbackHeadOffice {
    std::unique_ptr<headoffice::HeadOfficeStore> store;
    std::unique_ptr<headoffice::Server> server;
    std::thread thread;
    int port = 0;
    explicit LoopbackHeadOffice(const std::string& where) {
        auto opened = headoffice::HeadOfficeStore::open(where);
        if (!opened) throw std::runtime_error(opened.error().detail);
        store = std::move(opened.value());
        server = std::make_unique<headoffice::Server>(*store);
        port = server->bind("127.0.0.1", 0);
        if (port <= 0) throw std::runtime_error("no loopback port");
        thread = std::thread([s = server.get()] { s->run(); });
    }
    ~LoopbackHeadOffice() {
        server->stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

std::unique_ptr<sync::SyncWorker> worker_for(const fs::path& db, const std::string& kiosk, LoopbackHeadOffice& ho) {
    sync::SyncOptions o;
    o.url = ho.url();
    o.store_path = db;
    o.site = "SG01";
    o.kiosk = kiosk;
    o.enrol_code = ho.store->add_kiosk("SG01", kiosk).value();
    o.pull_every_s = 3600;
    auto w = sync::SyncWorker::start(o);
    if (!w) throw std::runtime_error(w.error().detail);
    return std::move(w.value());
}

// Drains every kiosk's backlog; records per second over the whole.
double drain(const fs::path& dir, int kiosks, int per_kiosk, const std::string& where) {
    std::vector<fs::path> dbs;
    for (int k = 0; k < kiosks; ++k) {
        dbs.push_back(dir / ("kiosk" + std::to_string(k) + ".db"));
        make_backlog(dbs.back(), kiosk_name(k), per_kiosk);
    }
    LoopbackHeadOffice ho(where);
    auto t0 = Clock::now();
    std::vector<std::unique_ptr<sync::SyncWorker>> workers;
    for (int k = 0; k < kiosks; ++k) workers.push_back(worker_for(dbs[static_cast<size_t>(k)], kiosk_name(k), ho));
    for (auto& w : workers)
        if (!test::wait_until([&] { return w->acknowledged() >= per_kiosk; }, std::chrono::minutes(10)))
            throw std::runtime_error("a kiosk's backlog did not drain within 10 minutes");
    double secs = seconds_since(t0);
    if (ho.store->record_count() != static_cast<int64_t>(kiosks) * per_kiosk) throw std::runtime_error("head office count is off");
    return kiosks * per_kiosk / secs;
}

double store_ceiling(const std::string& where, int n, int batch) {
    auto opened = headoffice::HeadOfficeStore::open(where);
    if (!opened) throw std::runtime_error(opened.error().detail);
    auto store = std::move(opened.value());
    std::vector<headoffice::IncomingRecord> rows;
    auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
        char id[64];
        std::snprintf(id, sizeof id, "SG01-K1-abcdef-%08d", i + 1);
        rows.push_back({id, "repair.request", "2026-11-22T01:00:00.000Z", 1, i + 1, sample_payload(i)});
        if (static_cast<int>(rows.size()) == batch || i == n - 1) {
            if (!store->push("SG01", "K1", rows)) throw std::runtime_error("store push failed");
            rows.clear();
        }
    }
    return n / seconds_since(t0);
}

double loopback_ceiling(const fs::path& dir, int n) {
    LoopbackHeadOffice ho((dir / "ping.db").string());
    httplib::Client c("127.0.0.1", ho.port);
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
    auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
        auto r = c.Get("/v1/health");
        if (!r || r->status != 200) throw std::runtime_error("health request failed");
    }
    return n / seconds_since(t0);
}

// How long the sync thread holds the kiosk's write lock while a pull lands: one transaction of
// kPullRowsPerTransaction rows (the longest a resident's save can wait behind it), and a whole
// page of 1000 rows in its transactions. Returns {one transaction ms, page ms}.
std::pair<double, double> pull_lock(const fs::path& db) {
    auto s = Store::open(db, "SG01", "K1");
    if (!s) throw std::runtime_error(s.error().detail);
    auto rows = [](int from, int n) {
        std::vector<DatasetRow> out;
        for (int i = from; i < from + n; ++i) {
            std::string id = "N" + std::to_string(i);
            out.push_back({id, {{"id", id}, {"title", {{"zh-CN", "停水通知"}, {"en", "Water off"}}},
                                {"body", {{"zh-CN", "明天 9:00-12:00 停水，请提前储水。"}}}, {"urgent", false},
                                {"starts_on", "2026-11-01"}, {"ends_on", "2026-11-30"}}});
        }
        return out;
    };
    double worst_tx = 0;
    for (int round = 0; round < 20; ++round) {  // the slowest of twenty single transactions
        auto t0 = Clock::now();
        if (!s.value()->outbox().apply_pull("announcements", rows(round * 100, static_cast<int>(kPullRowsPerTransaction)), round))
            throw std::runtime_error("pull failed");
        worst_tx = std::max(worst_tx, seconds_since(t0) * 1000);
    }
    auto t0 = Clock::now();
    if (!s.value()->outbox().apply_pull("announcements", rows(10000, 1000), 100)) throw std::runtime_error("pull failed");
    return {worst_tx, seconds_since(t0) * 1000};
}

}  // namespace

int main(int argc, char** argv) {
    fs::path scratch = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path();
    fs::path dir = scratch / ("sync-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    try {
        auto [pull_tx_ms, pull_page_ms] = pull_lock(dir / "pull.db");
        double ceiling = store_ceiling((dir / "ceiling.db").string(), 100000, 500);
        double ping = loopback_ceiling(dir, 5000);
        fs::create_directories(dir / "one");
        double one = drain(dir / "one", 1, 100000, (dir / "one" / "headoffice.db").string());
        fs::create_directories(dir / "twenty");
        double twenty = drain(dir / "twenty", 20, 5000, (dir / "twenty" / "headoffice.db").string());
        double pg_ceiling = 0, pg_one = 0;
        std::string pg_missing;
        try {
            auto& pg = test::PgServer::shared();
            pg_ceiling = store_ceiling(pg.new_database(), 100000, 500);
            fs::create_directories(dir / "pg");
            pg_one = drain(dir / "pg", 1, 100000, pg.new_database());
        } catch (const std::exception& e) {
            pg_missing = e.what();
        }
        std::printf("# sync-bench: loopback head office, %ld cores\n", sysconf(_SC_NPROCESSORS_ONLN));
        std::printf("sync_drain_records_per_s: %.0f\n", one);
        std::printf("ingest_20_kiosks_records_per_s: %.0f\n", twenty);
        std::printf("loopback_ceiling_requests_per_s: %.0f\n", ping);
        std::printf("store_ceiling_rows_per_s: %.0f\n", ceiling);
        std::printf("sync_vs_store_ceiling: %.2f\n", one / ceiling);
        std::printf("pull_tx_ms (slowest of 20, %zu rows; a UI save waits at most this): %.1f\n", kPullRowsPerTransaction,
                    pull_tx_ms);
        std::printf("pull_page_1000_rows_ms: %.1f\n", pull_page_ms);
        if (pg_missing.empty()) {
            std::printf("pg_sync_drain_records_per_s: %.0f\n", pg_one);
            std::printf("pg_store_ceiling_rows_per_s: %.0f\n", pg_ceiling);
            std::printf("pg_sync_vs_store_ceiling: %.2f\n", pg_one / pg_ceiling);
        } else {
            std::printf("pg_*: not measured: %s\n", pg_missing.c_str());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sync-bench: %s\n", e.what());
        fs::remove_all(dir);
        return 1;
    }
    fs::remove_all(dir);
    return 0;
}
