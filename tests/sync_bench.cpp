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
//   pg_ingest_200_kiosks_N_process  20 sites x 10 kiosks pushing 500 records each in batches of 100
//                                   (six runs each, in the order 4 1 1 4 1 4 4 1 4 1 1 4, each from
//                                   a quiet server: a checkpoint and no autovacuum at work)
//                                   (half parcels, registered and handed over; repairs; enquiries),
//                                   all at once, to N `lobby-headoffice serve` processes on one
//                                   PostgreSQL (kiosk i at process i mod N: each site on every one)
//                                   in fleet order (the 12 pushes in flight are from 12 sites)
//   pg_lock_wait_share              of those processes' push time (4 processes), the share spent
//                                   waiting for a site's lock held by another push; and
//   pg_connection_wait_share        ... waiting for one of the process's push connections
//   pg_cpu_idle_share               the machine's unused CPU while those pushes ran (1 and 4 processes)
//   pg_ingest_cpu_ms_per_1000_records  the CPU time the serve processes and PostgreSQL spent on them
//   pg_site_burst_4_processes       the same in site order (12 pushes from 2 sites at once): the
//                                   worst case, every push waiting on its site's others
//
//   sync-bench [SCRATCH] [--pg-only]
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "headoffice_process.hpp"
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

// The machine's CPU time so far, idle and in all, in clock ticks (the first line of /proc/stat):
// how much of the cores a run left unused, whoever was using them.
struct CpuTicks {
    long long idle = 0, total = 0;
};
CpuTicks cpu_ticks() {
    std::ifstream f("/proc/stat");
    std::string label;
    f >> label;  // "cpu": user nice system idle iowait irq softirq steal
    CpuTicks t;
    for (int i = 0; i < 8; ++i) {
        long long v = 0;
        if (!(f >> v)) break;
        t.total += v;
        if (i == 3 || i == 4) t.idle += v;
    }
    return t;
}
double idle_share(const CpuTicks& a, const CpuTicks& b) {
    return b.total > a.total ? static_cast<double>(b.idle - a.idle) / static_cast<double>(b.total - a.total) : 0;
}

// A process's parent and CPU time so far (user + system, seconds), from /proc/PID/stat; nullopt
// once it is gone.
struct ProcCpu {
    int ppid = 0;
    double cpu_s = 0;
};
std::optional<ProcCpu> proc_cpu(int pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(f, line)) return std::nullopt;
    auto close = line.rfind(')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(line.substr(close + 1));
    std::string state;
    ProcCpu out;
    long long skip = 0, utime = 0, stime = 0;
    rest >> state >> out.ppid;
    for (int i = 0; i < 9; ++i) rest >> skip;  // pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
    if (!(rest >> utime >> stime)) return std::nullopt;
    out.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    return out;
}

// The CPU time of PostgreSQL's postmaster and its live children (backends, autovacuum, checkpointer)
// per process id: a run's share is the difference of two of these, pid by pid.
std::map<int, double> postgres_cpu(int postmaster) {
    std::map<int, double> out;
    if (auto p = proc_cpu(postmaster)) out[postmaster] = p->cpu_s;
    std::error_code ec;
    for (auto& e : fs::directory_iterator("/proc", ec)) {
        const auto name = e.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        int pid = std::stoi(name);
        if (auto p = proc_cpu(pid); p && p->ppid == postmaster) out[pid] = p->cpu_s;
    }
    return out;
}
double cpu_spent(const std::map<int, double>& before, const std::map<int, double>& after) {
    double s = 0;
    for (auto& [pid, cpu] : after) {
        auto was = before.find(pid);
        s += cpu - (was == before.end() ? 0.0 : was->second);
    }
    return s;
}

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

// A lobby's day in every hundred records: 30 parcels registered, 20 of them handed over, 30
// repairs, 20 enquiries. The parcels take the site's lock (pickup codes, the parcels rows kiosks
// pull); the repairs and enquiries alone would not.
std::pair<std::string, nlohmann::json> lobby_record(const std::string& kiosk, int i) {
    int slot = i % 100;
    auto parcel_id = [&](int n) { return "P" + kiosk + "-" + std::to_string(n); };
    if (slot < 30) {
        char code[8];
        std::snprintf(code, sizeof code, "%06u", static_cast<unsigned>(std::hash<std::string>{}(parcel_id(i)) % 1000000));
        return {"parcel.registered", {{"parcel_id", parcel_id(i)}, {"pickup_code", code}, {"tracking", "SF" + std::to_string(i)},
                                      {"carrier", "sf"}, {"unit", "B1-101"}, {"shelf", "A-01"}, {"consent", true},
                                      {"registered_at", 1795300000 + i}}};
    }
    if (slot < 50)
        return {"parcel.handed_over", {{"parcels", {parcel_id(i - 30)}}, {"how", "code"}, {"staff", "A01"}, {"at", 1795310000 + i}}};
    if (slot < 80) {
        auto p = sample_payload(i);
        p["ticket"] = "BX-" + kiosk + "-" + std::to_string(i);
        return {"repair.request", p};
    }
    return {"enquiry.question", {{"ticket", "ZX-" + kiosk + "-" + std::to_string(i)}, {"question", "停车费怎么交？"}, {"asked_at", 1795300000 + i}}};
}

struct Ingest {
    double records = 0, seconds = 0;
    double pushes = 0, push_s = 0, lock_wait_s = 0, connection_wait_s = 0;  // summed over the processes
    double idle_s = 0;                           // the machine's unused core-seconds while the pushes ran
    double headoffice_cpu_s = 0, postgres_cpu_s = 0;  // CPU time the serve processes and PostgreSQL spent on them
    double slowest = 0, fastest = 0;             // records/s of one run, over runs added up
    double records_per_s() const { return seconds > 0 ? records / seconds : 0; }
    double idle_share() const { return seconds > 0 ? idle_s / (seconds * static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN))) : 0; }
    Ingest& operator+=(const Ingest& o) {
        slowest = records > 0 ? std::min(slowest, o.records_per_s()) : o.records_per_s();
        fastest = std::max(fastest, o.records_per_s());
        records += o.records, seconds += o.seconds, pushes += o.pushes, push_s += o.push_s, lock_wait_s += o.lock_wait_s;
        connection_wait_s += o.connection_wait_s, idle_s += o.idle_s;
        headoffice_cpu_s += o.headoffice_cpu_s, postgres_cpu_s += o.postgres_cpu_s;
        return *this;
    }
};

// How the kiosks' pushes meet at head office.
enum class Arrival {
    fleet,       // as a fleet's do: the pushes in flight at one moment are from different sites
    site_burst,  // a site's kiosks one after another: the 12 pushes in flight are from 2 sites
};

// `sites` x `per_site` kiosks, each pushing `per_kiosk` records (lobby_record) in batches of `batch`, from
// 12 client threads (one keep-alive connection to each process apiece), to `processes` serve
// processes on one new PostgreSQL database. A site's kiosks are spread over the processes.
Ingest pg_ingest(test::PgServer& pg, const fs::path& dir, int processes, int sites, int per_site, int per_kiosk, int batch,
                 Arrival arrival = Arrival::fleet) {
    std::string where = pg.new_database();
    auto opened = headoffice::HeadOfficeStore::open(where);
    if (!opened) throw std::runtime_error(opened.error().detail);
    auto& store = *opened.value();
    struct Kiosk {
        std::string site, kiosk, secret;
        int process = 0;
        std::vector<std::string> bodies;
    };
    std::vector<Kiosk> kiosks;
    // The clients take the kiosks in list order, 12 at a time: site-major order puts 10 of a
    // site's kiosks in flight together; kiosk-major order, 12 sites' (as 200 kiosks pushing at
    // moments of their own would, 16 at a time into 4 x 4 connections).
    int outer = arrival == Arrival::fleet ? per_site : sites, inner = arrival == Arrival::fleet ? sites : per_site;
    for (int a = 0; a < outer; ++a)
        for (int b = 0; b < inner; ++b) {
            int s = arrival == Arrival::fleet ? b : a, k = arrival == Arrival::fleet ? a : b;
            char site[16];
            std::snprintf(site, sizeof site, "S%02d", s + 1);
            Kiosk x{site, kiosk_name(k), {}, k % processes, {}};
            auto code = store.add_kiosk(x.site, x.kiosk);
            if (!code) throw std::runtime_error(code.error().detail);
            auto secret = store.register_kiosk(x.site, x.kiosk, code.value());
            if (!secret) throw std::runtime_error(secret.error().detail);
            x.secret = secret.value();
            nlohmann::json rs = nlohmann::json::array();
            for (int i = 0; i < per_kiosk; ++i) {
                char id[64];
                std::snprintf(id, sizeof id, "%s-%s-abcdef-%08d", x.site.c_str(), x.kiosk.c_str(), i + 1);
                auto [type, payload] = lobby_record(x.site + x.kiosk, i);
                rs.push_back({{"id", id}, {"type", type}, {"schema_version", 1}, {"created_at", "2026-11-22T01:00:00.000Z"},
                              {"local_seq", i + 1}, {"payload", payload}});
                if (static_cast<int>(rs.size()) == batch || i == per_kiosk - 1) {
                    x.bodies.push_back(test::push_body(rs));
                    rs = nlohmann::json::array();
                }
            }
            kiosks.push_back(std::move(x));
        }
    std::vector<std::unique_ptr<test::ServeProcess>> serving;
    for (int p = 0; p < processes; ++p)
        serving.push_back(std::make_unique<test::ServeProcess>(LOBBY_HEADOFFICE, where, dir / ("serve" + std::to_string(p) + ".log")));
    constexpr int kClients = 12;  // under the front door's 16 connections per address (all are 127.0.0.1)
    std::atomic<int> failed{0};
    std::mutex first_failure_lock;
    std::string first_failure;
    CpuTicks ticks0 = cpu_ticks();
    auto pg_cpu0 = postgres_cpu(pg.postmaster_pid());
    std::vector<double> serve_cpu0;
    for (auto& s : serving) serve_cpu0.push_back(proc_cpu(s->pid()).value_or(ProcCpu{}).cpu_s);
    auto t0 = Clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c)
        clients.emplace_back([&, c] {
            std::vector<std::unique_ptr<httplib::Client>> http;
            for (auto& s : serving) {
                http.push_back(std::make_unique<httplib::Client>("127.0.0.1", s->port()));
                test::keep_alive(*http.back());
            }
            size_t rounds = kiosks.front().bodies.size();
            for (size_t r = 0; r < rounds; ++r)
                for (size_t k = static_cast<size_t>(c); k < kiosks.size(); k += kClients) {
                    auto& x = kiosks[k];
                    auto [status, reply] = test::signed_push(*http[static_cast<size_t>(x.process)], x.site, x.kiosk, x.secret, x.bodies[r]);
                    if (status != 200 || !reply.is_object() || !reply["rejected"].empty()) {
                        if (++failed == 1) {
                            std::lock_guard lock(first_failure_lock);
                            first_failure = "status " + std::to_string(status) + ": " + reply.dump().substr(0, 300);
                        }
                    }
                }
        });
    for (auto& t : clients) t.join();
    Ingest out;
    out.seconds = seconds_since(t0);
    auto ticks1 = cpu_ticks();
    out.idle_s = idle_share(ticks0, ticks1) * out.seconds * static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
    out.postgres_cpu_s = cpu_spent(pg_cpu0, postgres_cpu(pg.postmaster_pid()));
    for (size_t p = 0; p < serving.size(); ++p)
        out.headoffice_cpu_s += proc_cpu(serving[p]->pid()).value_or(ProcCpu{}).cpu_s - serve_cpu0[p];
    for (auto& s : serving) {
        if (s->stop() != 0) throw std::runtime_error("a serve process did not exit cleanly: " + s->output().substr(0, 500));
        out.pushes += s->stat("pushes");
        out.push_s += s->stat("push_s");
        out.lock_wait_s += s->stat("lock_wait_s");
        out.connection_wait_s += s->stat("connection_wait_s");
    }
    int64_t expected = static_cast<int64_t>(sites) * per_site * per_kiosk;
    if (failed || store.record_count() != expected)
        throw std::runtime_error("ingest: " + std::to_string(failed.load()) + " pushes failed, " + std::to_string(store.record_count()) +
                                 " of " + std::to_string(expected) + " records stored; the first failure: " + first_failure);
    out.records = static_cast<double>(expected);
    out.slowest = out.fastest = out.records_per_s();
    return out;
}

// The state each run starts from: the runs' databases before it dropped (none of their pages in
// the server's buffers or its disk), a checkpoint, then until no autovacuum worker is at work (at
// most a minute), whatever the run before left to write or vacuum.
void quiesce(test::PgServer& pg) {
    pg.drop_databases();
    auto db = headoffice::open_postgres(pg.dsn("postgres"));
    db->script("CHECKPOINT");
    test::wait_until(
        [&] {
            auto n = db->row("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'");
            return n && n->integer(0) == 0;
        },
        std::chrono::seconds(60));
}

const char* verdict(bool met) { return met ? "met" : "NOT met"; }

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_level(spdlog::level::warn);  // the access log of every push is not the figure
    fs::path scratch = fs::temp_directory_path();
    bool pg_only = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--pg-only") pg_only = true;
        else scratch = argv[i];
    }
    fs::path dir = scratch / ("sync-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    try {
        std::printf("# sync-bench: loopback head office, %ld cores\n", sysconf(_SC_NPROCESSORS_ONLN));
        if (!pg_only) {
            auto [pull_tx_ms, pull_page_ms] = pull_lock(dir / "pull.db");
            double ceiling = store_ceiling((dir / "ceiling.db").string(), 100000, 500);
            double ping = loopback_ceiling(dir, 5000);
            fs::create_directories(dir / "one");
            double one = drain(dir / "one", 1, 100000, (dir / "one" / "headoffice.db").string());
            fs::create_directories(dir / "twenty");
            double twenty = drain(dir / "twenty", 20, 5000, (dir / "twenty" / "headoffice.db").string());
            std::printf("sync_drain_records_per_s: %.0f\n", one);
            std::printf("ingest_20_kiosks_records_per_s: %.0f\n", twenty);
            std::printf("loopback_ceiling_requests_per_s: %.0f\n", ping);
            std::printf("store_ceiling_rows_per_s: %.0f\n", ceiling);
            std::printf("sync_vs_store_ceiling: %.2f\n", one / ceiling);
            std::printf("pull_tx_ms (slowest of 20, %zu rows; a UI save waits at most this): %.1f\n", kPullRowsPerTransaction,
                        pull_tx_ms);
            std::printf("pull_page_1000_rows_ms: %.1f\n", pull_page_ms);
            std::fflush(stdout);
        }
        try {
            auto& pg = test::PgServer::shared();
            // The ceiling and the drain each twice, in the order ceiling drain drain ceiling, the
            // better run of each kept: the ratio of two single runs on 2 shared cores moved by a
            // third from run to run, whichever of the two was the luckier.
            auto pg_drain = [&](const char* name) {
                fs::create_directories(dir / name);
                return drain(dir / name, 1, 100000, pg.new_database());
            };
            double pg_ceiling_a = store_ceiling(pg.new_database(), 100000, 500);
            double pg_one = pg_drain("pg_a");
            pg_one = std::max(pg_one, pg_drain("pg_b"));
            double pg_ceiling = std::max(pg_ceiling_a, store_ceiling(pg.new_database(), 100000, 500));
            std::printf("pg_store_ceiling_rows_per_s: %.0f (goal >= 30000: %s)\n", pg_ceiling, verdict(pg_ceiling >= 30000));
            std::printf("pg_sync_drain_records_per_s: %.0f\n", pg_one);
            std::printf("pg_sync_vs_store_ceiling: %.2f (goal >= 0.5: %s)\n", pg_one / pg_ceiling, verdict(pg_one >= 0.5 * pg_ceiling));
            std::fflush(stdout);
            // Six runs each, in the order 4 1 1 4, 1 4 4 1, 4 1 1 4: a drift of the machine over
            // the runs favours neither, and the first run after the drains is one of four
            // processes'. Each run starts from a quiet server (quiesce), so no run pays for the one
            // before. A figure is all its runs' records over all their seconds: on this VM the same
            // run's CPU time per record moves by up to a third from run to run, whatever the
            // configuration, far more than the two configurations differ.
            Ingest one, four;
            int run = 0;
            for (int processes : {4, 1, 1, 4, 1, 4, 4, 1, 4, 1, 1, 4}) {
                quiesce(pg);
                auto name = "ingest" + std::to_string(++run);
                fs::create_directories(dir / name);
                (processes == 1 ? one : four) += pg_ingest(pg, dir / name, processes, 20, 10, 500, 100);
            }
            std::printf("pg_ingest_200_kiosks_1_process: %.0f (6 runs: %.0f-%.0f)\n", one.records_per_s(), one.slowest, one.fastest);
            std::printf("pg_ingest_200_kiosks_4_processes: %.0f (6 runs: %.0f-%.0f)\n", four.records_per_s(), four.slowest,
                        four.fastest);
            std::printf("pg_ingest_4_vs_1_process: %.2f (goal >= 1.0: %s)\n", four.records_per_s() / one.records_per_s(),
                        verdict(four.records_per_s() >= one.records_per_s()));
            std::printf("pg_lock_wait_share: %.3f (goal <= 0.05: %s)\n", four.lock_wait_s / four.push_s,
                        verdict(four.lock_wait_s <= 0.05 * four.push_s));
            std::printf("pg_connection_wait_share: %.3f (4 processes; 1 process: %.3f)\n", four.connection_wait_s / four.push_s,
                        one.connection_wait_s / one.push_s);
            std::printf("pg_cpu_idle_share: %.3f (4 processes; 1 process: %.3f; near 0, the cores are the bound and 4 can "
                        "only tie with 1)\n",
                        four.idle_share(), one.idle_share());
            std::printf("pg_ingest_cpu_ms_per_1000_records: head office %.1f, PostgreSQL %.1f (1 process); %.1f, %.1f (4 processes)\n",
                        1e6 * one.headoffice_cpu_s / one.records, 1e6 * one.postgres_cpu_s / one.records,
                        1e6 * four.headoffice_cpu_s / four.records, 1e6 * four.postgres_cpu_s / four.records);
            std::fflush(stdout);
            fs::create_directories(dir / "burst4");
            quiesce(pg);
            auto burst = pg_ingest(pg, dir / "burst4", 4, 20, 10, 500, 100, Arrival::site_burst);
            std::printf("pg_site_burst_4_processes: %.0f records/s, lock wait share %.3f (the worst case: 12 pushes "
                        "from 2 sites at once)\n",
                        burst.records_per_s(), burst.lock_wait_s / burst.push_s);
            std::printf("pg_push_ms (mean, 100 records; 1 process / 4): %.1f / %.1f\n", 1000 * one.push_s / one.pushes,
                        1000 * four.push_s / four.pushes);
        } catch (const std::exception& e) {
            std::printf("pg_*: not measured: %s\n", e.what());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sync-bench: %s\n", e.what());
        fs::remove_all(dir);
        return 1;
    }
    fs::remove_all(dir);
    return 0;
}
