#pragma once
// The kiosk's side of sync: a thread with its own SQLite connection that pushes the outbox to
// head office in bounded batches and pulls the site's data sets by cursor. It never blocks the
// screens: they read a snapshot and wake it when a record is saved. The network is a Transport
// (libcurl in the kiosk, a script in tests); what each answer means is classify.hpp's table.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kiosk/core/result.hpp"
#include "kiosk/core/sync_state.hpp"
#include "sync/client/transport.hpp"

namespace kiosk::sync {

struct SyncOptions {
    std::string url;                       // "http://127.0.0.1:8700" or "https://…" (peer verified)
    std::filesystem::path store_path;      // the kiosk's store file
    std::string site, kiosk;
    std::string enrol_code;                // first start: exchanged once for the kiosk's secret
    std::string ca_file;                   // https with a private CA
    int batch_records = 1000;              // head office takes at most kMaxBatchRecords (1000) a push
    size_t batch_bytes = 1 << 20;
    double backoff_first_s = 1.0;          // full jitter: a random wait in [0, min(cap, first·2^n)]
    double backoff_cap_s = 300.0;
    double pull_every_s = 60.0;
    long connect_timeout_ms = 3000;
    long low_speed_time_s = 15;            // under 1 byte/s for this long: the transfer is dropped
    long request_timeout_s = 60;
    // The heartbeat (PROTOCOL.md, POST /v1/heartbeat): sent this often while head office answers
    // (the kiosk sends one a minute); 0 sends none (tools, benches, scripted transports). Not a
    // record: never in the outbox, and a lost one is not sent again.
    double heartbeat_every_s = 0;
    std::string version = "unknown";       // the kiosk's build
    std::string restart_cause = "unknown"; // kiosk/core/run_state.hpp
    // The slip printer as last reported ("ready", "offline", "paper_out", "unknown"); empty
    // function: no printer ("none"). Called on the worker's thread: it must be thread-safe.
    std::function<std::string()> printer_state;
};

// When the worker tries again after a failed round (its own timer; a save does not cut it short).
struct RetryPlan {
    int failures = 0;          // failed rounds in a row; 0 once a round worked
    double delay_s = 0;        // the wait chosen after the last failure
    bool retry_after = false;  // that wait is head office's Retry-After, not the jittered backoff
    std::chrono::steady_clock::time_point next_attempt{};
};

class SyncWorker {
public:
    // Talks to o.url over libcurl.
    static Result<std::unique_ptr<SyncWorker>> start(SyncOptions o);
    // Talks through `transport` (o.url, ca_file and the timeouts are the transport's business).
    static Result<std::unique_ptr<SyncWorker>> start(SyncOptions o, std::unique_ptr<Transport> transport);
    ~SyncWorker();
    SyncWorker(const SyncWorker&) = delete;
    // Asks the thread to end without waiting for it: wait_synced returns false at once and a
    // request under way over libcurl is abandoned within about a second. The destructor joins.
    void stop();
    SyncWorker& operator=(const SyncWorker&) = delete;

    // A record was saved: push it soon (unless backing off after a failure).
    void wake();
    SyncSnapshot snapshot() const;
    // Called from the worker thread whenever the snapshot changes (the window's wake-up).
    void on_change(std::function<void()> f);
    // Blocks until a pull of every data set that began after this call has finished, with the
    // outbox empty.
    bool wait_synced(std::chrono::milliseconds timeout);
    // Records pushed and acknowledged since start (the benchmark's count).
    int64_t acknowledged() const;
    RetryPlan retry_plan() const;
    // Heartbeats head office accepted since start.
    int64_t heartbeats_sent() const;
    // Seconds since the worker's thread last turned (a loop turn, a request, a second of waiting).
    double heartbeat_age_s() const;
    // How long the thread may rightly be quiet: one request at its longest (timeouts) and a margin.
    // A heartbeat older than this means a hung worker (the kiosk stops pinging the watchdog).
    double longest_quiet_s() const;

    struct Impl;

private:
    SyncWorker() = default;
    std::unique_ptr<Impl> m;
};

}  // namespace kiosk::sync
