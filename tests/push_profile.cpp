// push-profile: head office's own cost of one push of 1000 records, the drain's batch, measured
// where the machine's load cannot move it. A program, not a test (it asserts only that every push
// was stored). It sends signed pushes the way a kiosk does (sync_worker's body: payloads as
// JSON text, the same headers) over loopback to the real server in-process, and prints the CPU
// time head office's threads spent per push (/proc schedstat: what the threads ran, not the wall).
//
// The evidence is the instruction count. Under callgrind each thread gets a file of its own, and
// each push lands on a worker thread of its own (httplib's 2 s keep-alive lapses between pushes
// that slow), so each of the N+1 files of about equal size is one push, head office's work alone
// (PostgreSQL runs in processes of its own; the first of them, a little larger, is the warm-up):
//
//   valgrind --tool=callgrind --separate-threads=yes build/tests/push-profile postgresql 5
//   grep -m1 summary: callgrind.out.<pid>-*
//   callgrind_annotate --inclusive=yes callgrind.out.<pid>-<thread>
//
//   push-profile [sqlite|postgresql] [PUSHES] [RECORDS]   (defaults: postgresql 20 1000)
#include <httplib.h>
#include <valgrind/callgrind.h>

#include <chrono>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <thread>
#include <unistd.h>

#include "pg_server.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/server.hpp"
#include "wait_for.hpp"

using namespace kiosk;
namespace fs = std::filesystem;

namespace {

// What a resident's repair looks like in the drain's backlog (sync-bench's sample payload).
std::string repair_payload(int i) {
    return nlohmann::json{{"category", "plumbing"},         {"urgency", "appointment"},  {"unit", "B1-101"},
                          {"description", "厨房水龙头漏水，需要更换阀芯"}, {"contact_resident", "R001"}, {"registered_at", 1795300000 + i},
                          {"on_site_by", 1795310000 + i},   {"done_by", 1795400000 + i}}
        .dump();
}

// A batch as the kiosk's sync worker writes one (SyncWorker's batch_body).
std::string push_body(int first, int n) {
    std::string body = "{\"protocol\":" + std::to_string(sync::kProtocolVersion) + ",\"records\":[";
    for (int i = first; i < first + n; ++i) {
        char id[64];
        std::snprintf(id, sizeof id, "SG01-K1-5f3a9c-%08d", i + 1);
        if (i != first) body += ',';
        body += "{\"id\":\"" + std::string(id) + "\",\"type\":\"repair.request\",\"schema_version\":1,\"created_at\":" +
                "\"2026-11-22T01:00:00.000Z\",\"local_seq\":" + std::to_string(i + 1) + ",\"payload\":" + repair_payload(i) + "}";
    }
    return body + "]}";
}

// Nanoseconds the process's threads other than this one have run (head office's: the client is
// this thread).
int64_t other_threads_cpu_ns() {
    int64_t total = 0;
    std::string self = std::to_string(::gettid());
    DIR* d = ::opendir("/proc/self/task");
    if (!d) return -1;
    while (auto* e = ::readdir(d)) {
        std::string tid = e->d_name;
        if (tid == "." || tid == ".." || tid == self) continue;
        std::ifstream f("/proc/self/task/" + tid + "/schedstat");
        int64_t ns = 0;
        if (f >> ns) total += ns;
    }
    ::closedir(d);
    return total;
}

}  // namespace

int main(int argc, char** argv) {
    std::string backend = argc > 1 ? argv[1] : "postgresql";
    int pushes = argc > 2 ? std::atoi(argv[2]) : 20;
    int records = argc > 3 ? std::atoi(argv[3]) : 1000;
    try {
        char tmpl[] = "/tmp/push-profile-XXXXXX";
        if (!::mkdtemp(tmpl)) throw std::runtime_error("no scratch folder");
        fs::path dir = tmpl;
        std::string where = backend == "postgresql" ? test::PgServer::shared().new_database() : (dir / "headoffice.db").string();
        auto opened = headoffice::HeadOfficeStore::open(where);
        if (!opened) throw std::runtime_error(opened.error().detail);
        auto& store = *opened.value();
        headoffice::Server server(store);
        int port = server.bind("127.0.0.1", 0);
        if (port <= 0) throw std::runtime_error("no loopback port");
        std::thread serving([&] { server.run(); });
        if (!test::wait_until([&] { return server.running(); }, std::chrono::seconds(30))) throw std::runtime_error("server did not start");

        httplib::Client c("127.0.0.1", port);
        c.set_keep_alive(true);
        c.set_read_timeout(120, 0);
        auto code = store.add_kiosk("SG01", "K1").value();
        auto reg = c.Post("/v1/register", nlohmann::json{{"site", "SG01"}, {"kiosk", "K1"}, {"enrol_code", code}}.dump(), "application/json");
        if (!reg || reg->status != 200) throw std::runtime_error("registration failed");
        std::string secret = nlohmann::json::parse(reg->body)["secret"];

        // Every body made before the first push: the client's work is not what is measured.
        std::vector<std::string> bodies;
        for (int p = 0; p <= pushes; ++p) bodies.push_back(push_body(p * records, records));
        auto send = [&](const std::string& body, int n) {
            int64_t ts = static_cast<int64_t>(std::time(nullptr));
            std::string nonce = sync::random_hex(8);
            httplib::Headers h{{"X-Kiosk", "SG01/K1"},
                               {"X-Timestamp", std::to_string(ts)},
                               {"X-Nonce", nonce},
                               {"X-Signature", sync::request_signature(secret, "POST", "/v1/push", ts, nonce, body)}};
            auto r = c.Post("/v1/push", h, body, "application/json");
            if (!r || r->status != 200) throw std::runtime_error("push refused: " + (r ? r->body.substr(0, 200) : std::string("no answer")));
            auto j = nlohmann::json::parse(r->body);
            if (j["stored"].size() != static_cast<size_t>(n) || !j["rejected"].empty()) throw std::runtime_error("push not stored whole");
        };
        send(bodies[0], records);  // warm-up: the connection, the pool, prepared plans
        CALLGRIND_ZERO_STATS;
        int64_t cpu0 = other_threads_cpu_ns();
        auto t0 = std::chrono::steady_clock::now();
        for (int p = 1; p <= pushes; ++p) send(bodies[static_cast<size_t>(p)], records);
        double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        int64_t cpu = other_threads_cpu_ns() - cpu0;
        CALLGRIND_DUMP_STATS_AT("timed pushes");
        if (store.record_count() != static_cast<int64_t>(pushes + 1) * records) throw std::runtime_error("head office count is off");
        std::printf("backend: %s, %d pushes of %d records (%zu bytes a body)\n", backend.c_str(), pushes, records, bodies[1].size());
        std::printf("headoffice_cpu_ms_per_push: %.2f\n", static_cast<double>(cpu) / 1e6 / pushes);
        std::printf("wall_ms_per_push: %.2f\n", wall * 1e3 / pushes);
        server.stop();
        serving.join();
        fs::remove_all(dir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "push-profile: %s\n", e.what());
        return 1;
    }
    return 0;
}
