// sync-kiosk: a kiosk process for the SIGKILL test. `write` saves records while its sync worker
// pushes them to head office, until it is killed, and says on stdout where it is ("enrolling",
// then "saved" per record) so the test can kill it at a chosen moment; `drain` syncs what is left
// and exits 0 once the outbox is empty.
//   sync-kiosk DB URL ENROL_CODE write|drain
#include <chrono>
#include <cstdio>

#include "kiosk/store/store.hpp"
#include "sync/client/sync_worker.hpp"
#include "wait_for.hpp"

using namespace kiosk;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: sync-kiosk DB URL ENROL_CODE write|drain\n");
        return 2;
    }
    std::string mode = argv[4];
    auto store = Store::open(argv[1], "SG01", "K1");
    if (!store) return 1;
    sync::SyncOptions o;
    o.url = argv[2];
    o.store_path = argv[1];
    o.site = "SG01";
    o.kiosk = "K1";
    o.enrol_code = argv[3];
    o.batch_records = 20;  // small batches: kills land between and inside them
    o.backoff_first_s = 0.02;
    o.backoff_cap_s = 0.2;
    if (mode == "write") {
        std::puts("enrolling");
        std::fflush(stdout);
    }
    auto worker = sync::SyncWorker::start(o);
    if (!worker) return 1;
    if (mode == "drain") return worker.value()->wait_synced(std::chrono::seconds(60)) ? 0 : 1;
    for (int i = 0;; ++i) {
        if (!store.value()->save_record("repair.request", 1, {{"n", i}, {"unit", "B1-101"}})) return 1;
        worker.value()->wake();
        std::puts("saved");
        std::fflush(stdout);
        // Keep the outbox about two batches deep, so kills land in pushes as well as in saves;
        // briefly, since with the answers cut it does not drain.
        test::wait_until([&] { return store.value()->outbox().outbox_depth() <= 40; }, std::chrono::milliseconds(5));
    }
}
