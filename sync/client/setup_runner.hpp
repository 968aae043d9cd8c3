#pragma once
// The kiosk's side of on-screen setup (kiosk/core/setup.hpp): the connection test, the enrolment,
// the setup file and the first pull, on a thread of its own, and the sync worker the kiosk runs
// from then on. The runner owns that worker in every real run, so a finished setup starts sync at
// once (no restart) and a setup redone from the staff desk replaces it: the UI reads the sync
// snapshot through the runner either way.
//
// The enrolment code and the staff PIN live only in the runner's copy of the answers while it
// works, and are wiped after; neither they nor the secret are logged or put in progress().
//
// The jobs run one at a time on one thread the runner keeps: asking for one never waits for the
// one before (the UI thread calls in). Stopping (the destructor) cancels what is under way — a
// request to head office, the wait for the first pull — so the kiosk exits within seconds, well
// inside the unit's 15 s stop timeout, even while head office is slow.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "kiosk/core/setup.hpp"
#include "kiosk/print/print_queue.hpp"
#include "sync/client/sync_worker.hpp"

namespace kiosk::sync {

struct SetupRunnerOptions {
    std::filesystem::path data_dir;    // setup.toml and kiosk.db (and kiosk.secret) are here
    SyncOptions sync;                  // the template of the worker's options (url, site, kiosk filled by setup)
    std::string staff_pin_hash;        // from the setup file read at start
    double pull_timeout_s = 120;       // the first pull, before setup says it could not finish
    std::function<void()> on_change;   // progress or the snapshot changed (the window's wake-up)
    SetupAnswers current;              // what the kiosk runs with now (no code, no PIN): redo starts here
    // The kiosk's print queue: a finished setup points it at the printer chosen, at once. None:
    // nothing to switch (tests, tools).
    print::PrintQueue* printer = nullptr;
    std::string font_path;             // what the test slip is drawn with (the kiosk's slip font)
    int font_face = 0;
};

class SetupRunner : public SetupBackend {
public:
    explicit SetupRunner(SetupRunnerOptions o);
    ~SetupRunner() override;

    // The kiosk was set up already (kiosk.toml, setup.toml or flags name a head office): sync as before.
    Result<Ok> start_sync(const SyncOptions& o);

    void check(const std::string& url) override;
    void finish(SetupAnswers a) override;
    void print_test(const std::string& target, int paper_mm) override;
    SetupProgress progress() const override;
    SetupAnswers current() const override;
    std::string staff_pin_hash() const override;

    // The worker's snapshot (configured == false while there is none), and its wake-up.
    SyncSnapshot sync_snapshot() const;
    void wake_sync();
    // For the watchdog: whether the worker's thread has turned recently (true without a worker).
    bool sync_alive() const;
    // Waits until every job asked for has finished (tests).
    void join();

private:
    void run(std::function<void()> job);
    void serve();
    bool stopping() const { return m_cancel->load(); }
    void set(SetupStage stage, std::string error_key = {}, std::string detail = {});
    void set_slip(SetupProgress::SlipTest t, std::string key);
    void do_finish(SetupAnswers& a);
    void do_print_test(const std::string& target, int paper_mm);

    SetupRunnerOptions m_opts;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    SetupProgress m_progress;
    std::shared_ptr<SyncWorker> m_worker;
    std::string m_pin_hash;
    SetupAnswers m_current;
    std::deque<std::function<void()>> m_jobs;
    bool m_busy = false;
    // Set once, when the runner stops: the jobs' requests and waits end early.
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    std::thread m_thread;
};

}  // namespace kiosk::sync
