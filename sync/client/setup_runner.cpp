#include "sync/client/setup_runner.hpp"

#include <sodium.h>

#include <cstdio>
#include <string_view>
#include <nlohmann/json.hpp>

#include "kiosk/core/household.hpp"
#include "kiosk/store/store.hpp"
#include "sync/client/curl_transport.hpp"
#include "sync/common/protocol.hpp"

namespace kiosk::sync {

namespace {
constexpr std::string_view kTestSlipBarcode = "LOBBYTEST";

void wipe(std::string& s) {
    sodium_memzero(s.data(), s.size());
    s.clear();
}

Result<std::unique_ptr<Transport>> transport_for(const std::string& url, const std::string& ca,
                                                 std::shared_ptr<const std::atomic<bool>> cancel) {
    CurlSettings cs;
    cs.cancel = std::move(cancel);
    cs.base_url = url;
    while (!cs.base_url.empty() && cs.base_url.back() == '/') cs.base_url.pop_back();
    cs.ca_file = ca;
    cs.connect_timeout_ms = 3000;
    cs.request_timeout_s = 15;
    cs.max_answer_bytes = 64 * 1024;  // health and register answers are a few hundred bytes
    return make_curl_transport(cs);
}

// GET /v1/health: "" when head office answered as head office, else why not (no secret in it).
std::string health(Transport& t) {
    HttpReply r = t.send({"GET", "/v1/health", {}, {}});
    if (r.error != TransportError::None) return r.error_text.empty() ? "no answer" : r.error_text.substr(0, 200);
    if (r.status != 200) return "answered HTTP " + std::to_string(r.status);
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object()) return "the answer is not head office's";
    return {};
}

// The test slip: what the printer step prints, in the three languages' words (no catalogue here)
// and a barcode a scanner or a test can read back.
print::Slip test_slip(const std::string& printer) {
    print::Slip s;
    s.kind = "setup_test";
    s.reference = "test";
    s.title = "打印测试 Test slip";
    s.text("Lobby kiosk: printer set up", print::TextSize::Normal, print::Align::Centre);
    s.text(printer.substr(0, 120), print::TextSize::Small, print::Align::Centre);
    s.code128(std::string(kTestSlipBarcode));
    return s;
}
}  // namespace

SetupRunner::SetupRunner(SetupRunnerOptions o)
    : m_opts(std::move(o)), m_pin_hash(m_opts.staff_pin_hash), m_current(m_opts.current) {
    wipe(m_current.enrol_code);
    wipe(m_current.staff_pin);
    m_current.staff_pin_hash.clear();
    m_thread = std::thread([this] { serve(); });
}

SetupRunner::~SetupRunner() {
    std::shared_ptr<SyncWorker> w;
    {
        std::lock_guard lock(m_mutex);
        m_cancel->store(true);
        m_jobs.clear();
        w = m_worker;
    }
    m_cv.notify_all();
    if (w) w->stop();  // a first pull under way ends now, and the worker's request with it
    if (m_thread.joinable()) m_thread.join();
}

void SetupRunner::serve() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_busy = false;
            m_cv.notify_all();
            m_cv.wait(lock, [&] { return stopping() || !m_jobs.empty(); });
            if (stopping()) return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_busy = true;
        }
        job();
    }
}

void SetupRunner::join() {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return stopping() || (m_jobs.empty() && !m_busy); });
}

Result<Ok> SetupRunner::start_sync(const SyncOptions& o) {
    auto w = SyncWorker::start(o);
    if (!w) return w.error();
    std::shared_ptr<SyncWorker> worker(std::move(w.value()));
    if (m_opts.on_change) worker->on_change(m_opts.on_change);
    std::shared_ptr<SyncWorker> old;
    {
        std::lock_guard lock(m_mutex);
        old = std::exchange(m_worker, worker);
    }
    return Ok{};  // `old` stops here, outside the lock (its thread is joined)
}

SyncSnapshot SetupRunner::sync_snapshot() const {
    std::shared_ptr<SyncWorker> w;
    {
        std::lock_guard lock(m_mutex);
        w = m_worker;
    }
    return w ? w->snapshot() : SyncSnapshot{};
}

void SetupRunner::wake_sync() {
    std::shared_ptr<SyncWorker> w;
    {
        std::lock_guard lock(m_mutex);
        w = m_worker;
    }
    if (w) w->wake();
}

bool SetupRunner::sync_alive() const {
    std::shared_ptr<SyncWorker> w;
    {
        std::lock_guard lock(m_mutex);
        w = m_worker;
    }
    return !w || w->heartbeat_age_s() < w->longest_quiet_s();
}

SetupProgress SetupRunner::progress() const {
    std::lock_guard lock(m_mutex);
    return m_progress;
}

SetupAnswers SetupRunner::current() const {
    std::lock_guard lock(m_mutex);
    return m_current;
}

std::string SetupRunner::staff_pin_hash() const {
    std::lock_guard lock(m_mutex);
    return m_pin_hash;
}

void SetupRunner::set(SetupStage stage, std::string error_key, std::string detail) {
    // Said in the journal: the step and why, never the code, the PIN or the secret.
    if (stage == SetupStage::Failed && !detail.empty()) std::fprintf(stderr, "lobby-kiosk: setup: %s\n", detail.c_str());
    {
        std::lock_guard lock(m_mutex);
        m_progress.stage = stage;
        m_progress.error_key = std::move(error_key);
        m_progress.detail = std::move(detail);
        ++m_progress.version;
    }
    if (m_opts.on_change) m_opts.on_change();
}

void SetupRunner::set_slip(SetupProgress::SlipTest t, std::string key) {
    {
        std::lock_guard lock(m_mutex);
        m_progress.slip_test = t;
        m_progress.slip_key = std::move(key);
        ++m_progress.version;
    }
    if (m_opts.on_change) m_opts.on_change();
}

void SetupRunner::run(std::function<void()> job) {
    // Queued for the runner's thread, one job at a time; never waited for here (the UI thread).
    {
        std::lock_guard lock(m_mutex);
        if (stopping()) return;
        m_jobs.push_back(std::move(job));
    }
    m_cv.notify_all();
}

void SetupRunner::check(const std::string& url) {
    set(SetupStage::Checking);
    run([this, url] {
        auto t = transport_for(url, m_opts.sync.ca_file, m_cancel);
        if (!t) return set(SetupStage::Failed, "setup.error.unreachable", t.error().detail);
        std::string why = health(*t.value());
        if (!why.empty()) return set(SetupStage::Failed, "setup.error.unreachable", "head office " + url + ": " + why);
        set(SetupStage::Reachable);
    });
}

void SetupRunner::print_test(const std::string& target, int paper_mm) {
    set_slip(SetupProgress::SlipTest::Printing, {});
    run([this, target, paper_mm] { do_print_test(target, paper_mm); });
}

void SetupRunner::do_print_test(const std::string& target, int paper_mm) {
    if (!setup_printer_ok(target) || target.empty()) return set_slip(SetupProgress::SlipTest::Failed, "print.reason.unreachable");
    auto t = print::make_transport(target);
    if (!t) return set_slip(SetupProgress::SlipTest::Failed, "print.reason.unreachable");
    // A queue of its own, as the kiosk's prints: the same status checks, the same reasons.
    print::PrintQueue q(std::move(t.value()), paper_mm == 58 ? print::Paper::mm58 : print::Paper::mm80, m_opts.font_path,
                        m_opts.font_face);
    q.submit(test_slip(target));
    // Bounded (a printer's status waits are 1.5 s each) and given up when the runner stops.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!q.wait_settled(std::chrono::milliseconds(200)))
        if (stopping() || std::chrono::steady_clock::now() > until) return set_slip(SetupProgress::SlipTest::Failed, "print.reason.no_status");
    auto snap = q.snapshot();
    if (snap.recent.empty()) return set_slip(SetupProgress::SlipTest::Failed, "print.reason.render");
    auto& job = snap.recent.front();
    if (job.state == print::SlipState::Printed) return set_slip(SetupProgress::SlipTest::Printed, "setup.printer.test_printed");
    std::fprintf(stderr, "lobby-kiosk: setup: test slip to %s: %s (%s)\n", snap.name.c_str(),
                 print::slip_state_name(job.state).c_str(), job.reason_key.c_str());
    set_slip(SetupProgress::SlipTest::Failed, job.reason_key.empty() ? "print.reason.no_status" : job.reason_key);
}

void SetupRunner::finish(SetupAnswers a) {
    set(SetupStage::Enrolling);
    run([this, a = std::move(a)]() mutable {
        do_finish(a);
        wipe(a.enrol_code);
        wipe(a.staff_pin);
    });
}

void SetupRunner::do_finish(SetupAnswers& a) {
    if (!setup_url_ok(a.url) || !setup_id_ok(a.site) || !setup_id_ok(a.kiosk) || !setup_printer_ok(a.printer))
        return set(SetupStage::Failed, "setup.error.fields");
    if (!a.staff_pin.empty()) {
        auto hash = household_pin_hash(a.staff_pin);  // Argon2id at the kiosk's costs, as staff PINs are
        if (!hash) return set(SetupStage::Failed, "setup.error.save", "cannot hash the staff PIN");
        a.staff_pin_hash = *hash;
    } else {
        a.staff_pin_hash = staff_pin_hash();  // redone without a new PIN: the old one stays
    }
    auto t = transport_for(a.url, m_opts.sync.ca_file, m_cancel);
    if (!t) return set(SetupStage::Failed, "setup.error.unreachable", t.error().detail);
    Transport& net = *t.value();
    if (std::string why = health(net); !why.empty())
        return set(SetupStage::Failed, "setup.error.unreachable", "head office " + a.url + ": " + why);

    auto opened = Store::open(m_opts.sync.store_path, a.site, a.kiosk);
    if (!opened) return set(SetupStage::Failed, "setup.error.save", opened.error().detail);
    Store& store = *opened.value();
    // A code this kiosk already exchanged (setup tried again after the pull failed) is not sent
    // again: head office would refuse a spent code.
    std::string code_hash = sha256_hex(a.enrol_code);
    bool exchanged = store.outbox().sync_setting("secret").has_value() &&
                     store.outbox().sync_setting("enrol_code_sha256").value_or("") == code_hash &&
                     store.outbox().sync_setting("enrolled_as").value_or("") == a.site + "/" + a.kiosk;
    if (!exchanged) {
        nlohmann::json body{{"site", a.site}, {"kiosk", a.kiosk}, {"enrol_code", a.enrol_code}};
        HttpReply r = net.send({"POST", "/v1/register", {{"Content-Type", "application/json"}}, body.dump()});
        if (r.error != TransportError::None)
            return set(SetupStage::Failed, "setup.error.unreachable", "enrolment: " + r.error_text.substr(0, 200));
        if (r.status == 403) return set(SetupStage::Failed, "setup.error.wrong_code", "enrolment refused: wrong or spent code");
        if (r.status != 200) return set(SetupStage::Failed, "setup.error.refused", "enrolment answered HTTP " + std::to_string(r.status));
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (!j.is_object() || !j.contains("secret") || !j["secret"].is_string() || j["secret"].get_ref<const std::string&>().size() < 32 ||
            j["secret"].get_ref<const std::string&>().size() > 256)
            return set(SetupStage::Failed, "setup.error.refused", "enrolment: the answer carries no secret");
        std::string secret = j["secret"].get<std::string>();
        sodium_memzero(j["secret"].get_ref<std::string&>().data(), j["secret"].get_ref<std::string&>().size());
        auto kept = store.outbox().set_sync_setting("secret", secret);
        wipe(secret);
        if (!kept) return set(SetupStage::Failed, "setup.error.save", kept.error().detail);
        (void)store.outbox().set_sync_setting("enrol_code_sha256", code_hash);
        (void)store.outbox().set_sync_setting("enrolled_as", a.site + "/" + a.kiosk);
    }
    if (std::string failed = write_setup_file(m_opts.data_dir, a); !failed.empty())
        return set(SetupStage::Failed, "setup.error.save", failed);
    {
        std::lock_guard lock(m_mutex);
        m_pin_hash = a.staff_pin_hash;
        m_current = a;
        wipe(m_current.enrol_code);
        wipe(m_current.staff_pin);
        m_current.staff_pin_hash.clear();
    }
    // The printer chosen is the kiosk's from now on, not from the next start.
    if (m_opts.printer) {
        std::unique_ptr<print::Transport> chosen;
        if (!a.printer.empty()) {
            auto t = print::make_transport(a.printer);
            if (t) chosen = std::move(t.value());
            else std::fprintf(stderr, "lobby-kiosk: setup: printer %s: %s\n", a.printer.c_str(), t.error().detail.c_str());
        }
        m_opts.printer->set_transport(std::move(chosen), a.paper_mm == 58 ? print::Paper::mm58 : print::Paper::mm80);
    }

    set(SetupStage::Pulling);
    SyncOptions so = m_opts.sync;
    so.url = a.url;
    so.site = a.site;
    so.kiosk = a.kiosk;
    so.enrol_code.clear();  // the secret is kept: the worker signs with it
    if (auto started = start_sync(so); !started) return set(SetupStage::Failed, "setup.error.save", started.error().detail);
    std::shared_ptr<SyncWorker> w;
    {
        std::lock_guard lock(m_mutex);
        w = m_worker;
    }
    // Bounded by pull_timeout_s, and cut short when the runner stops (the destructor stops the
    // worker, which ends wait_synced at once).
    if (stopping()) return;
    if (!w->wait_synced(std::chrono::milliseconds(static_cast<int64_t>(m_opts.pull_timeout_s * 1000)))) {
        if (stopping()) return;
        return set(SetupStage::Failed, "setup.error.pull", "the site's data did not arrive: " + w->snapshot().last_error.substr(0, 200));
    }
    set(SetupStage::Done);
}

}  // namespace kiosk::sync
