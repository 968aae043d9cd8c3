#include "sync/client/sync_worker.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <ctime>
#include <future>
#include <optional>
#include <random>
#include <set>

#include <sys/statvfs.h>

#include "kiosk/core/datasets.hpp"
#include "kiosk/store/store.hpp"
#include "sync/client/classify.hpp"
#include "sync/client/curl_transport.hpp"
#include "sync/common/heartbeat.hpp"
#include "sync/common/protocol.hpp"

namespace kiosk::sync {

namespace {

std::string text_field(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_field(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

struct SyncWorker::Impl {
    SyncOptions opts;
    std::unique_ptr<Store> store;
    std::unique_ptr<Transport> net;
    std::string secret;
    std::string tried_code;  // sha256 of the enrolment code this process exchanged or saw refused
    int64_t clock_offset = 0;  // server time minus ours, from its answers
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> cancel;  // the libcurl transport's: set when stopping
    mutable std::mutex lock;
    std::condition_variable cv;
    bool stopping = false, woken = false;
    bool force_pull = false;   // wait_synced wants a pull now
    uint64_t rounds = 0;       // rounds finished that pushed everything and pulled
    // wait_synced's requests for a pull, and the newest request a finished pull began after: a
    // pull already under way when the request came may have missed what it waits for.
    uint64_t pull_asked = 0, pull_done = 0;
    SyncSnapshot snap;
    RetryPlan plan;
    std::function<void()> changed;
    std::atomic<int64_t> acked{0};
    std::atomic<int64_t> heartbeats{0};
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_heartbeat{};
    std::mt19937_64 rng{std::random_device{}()};
    // The last time this thread was seen turning (steady clock, ms): bumped every loop turn, before
    // every request and every second while it waits, so the kiosk's watchdog can tell a waiting
    // worker from a hung one (issue #15 item 4).
    std::atomic<int64_t> heartbeat_ms{steady_ms()};

    static int64_t steady_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }
    void beat() { heartbeat_ms.store(steady_ms(), std::memory_order_relaxed); }
    // cv.wait_until in slices of a second, beating between them.
    template <class Pred>
    void wait_beating(std::unique_lock<std::mutex>& g, std::chrono::steady_clock::time_point until, Pred done) {
        while (true) {
            beat();
            auto slice = std::min(until, std::chrono::steady_clock::now() + std::chrono::seconds(1));
            if (cv.wait_until(g, slice, done)) return;
            if (std::chrono::steady_clock::now() >= until) return;
        }
    }

    int64_t server_now() const { return static_cast<int64_t>(std::time(nullptr)) + clock_offset; }

    void publish(const std::function<void(SyncSnapshot&)>& edit) {
        // Counted before taking the lock: a screen reading the snapshot never waits on SQL.
        int64_t outbox = store->outbox().outbox_depth(), dead = store->outbox().dead_letter_count(true), conflicts = store->outbox().conflict_count(true);
        std::function<void()> cb;
        {
            std::lock_guard g(lock);
            SyncSnapshot next = snap;
            edit(next);
            next.outbox = outbox;
            next.dead_letters = dead;
            next.conflicts = conflicts;
            // Only what a screen would show differently wakes it: an idle kiosk stays idle.
            bool differs = next.online != snap.online || next.outbox != snap.outbox || next.dead_letters != snap.dead_letters ||
                           next.conflicts != snap.conflicts || next.last_error != snap.last_error ||
                           next.last_success / 60 != snap.last_success / 60 || next.pulled_rows != snap.pulled_rows;
            snap = next;
            if (differs) {
                ++snap.version;
                cb = changed;
            }
        }
        if (cb) cb();
    }

    void learn_time(const nlohmann::json& j) {
        if (j.is_object() && j.contains("server_time") && j["server_time"].is_number_integer())
            clock_offset = j["server_time"].get<int64_t>() - static_cast<int64_t>(std::time(nullptr));
    }

    // One exchange with head office, classified. Signed (sync/PROTOCOL.md) once the kiosk has
    // its secret; enrolment and the health check are not.
    Verdict exchange(Exchange kind, const std::string& method, const std::string& path, const std::string& body,
                     size_t batch_records = 0) {
        beat();
        HttpRequest q{method, path, {{"Content-Type", "application/json"}}, body};
        if (kind == Exchange::Push || kind == Exchange::Pull || kind == Exchange::Heartbeat) {
            int64_t now = server_now();
            std::string nonce = random_hex(8);
            q.headers.emplace_back("X-Kiosk", opts.site + "/" + opts.kiosk);
            q.headers.emplace_back("X-Timestamp", std::to_string(now));
            q.headers.emplace_back("X-Nonce", nonce);
            q.headers.emplace_back("X-Signature", request_signature(secret, method, path, now, nonce, body));
        }
        return classify(net->send(q), kind, batch_records);
    }

    // A round failed on `v`: what staff read, how long to wait, and a re-read of head office's
    // clock when the signature was refused.
    void failed(const Verdict& v, const std::string& what, std::string& why, double& wait) {
        why = what + v.why;
        if (v.action == Action::RetryAfter && v.retry_after_s > 0) wait = std::min(v.retry_after_s, opts.backoff_cap_s);
        if (v.action == Action::Reauthenticate) {
            auto h = exchange(Exchange::Health, "GET", "/v1/health", "");
            if (h.action == Action::Ok) learn_time(h.body);
        }
    }

    // The kiosk's secret: kept in its store, or got with the enrolment code. A code other than
    // the one the kept secret came from is a new enrolment (head office rotated the secret, or
    // enrolled this kiosk again): it is exchanged once, and the kept secret stays in use until
    // that succeeds.
    bool ensure_secret(std::string& why, double& wait) {
        std::string code_hash = opts.enrol_code.empty() ? "" : sha256_hex(opts.enrol_code);
        if (secret.empty())
            if (auto s = store->outbox().sync_setting("secret")) secret = *s;
        bool new_code = !code_hash.empty() && code_hash != tried_code &&
                        store->outbox().sync_setting("enrol_code_sha256").value_or("") != code_hash;
        if (!secret.empty() && !new_code) return true;
        if (opts.enrol_code.empty()) {
            why = "no kiosk secret and no enrolment code";
            return false;
        }
        nlohmann::json body{{"site", opts.site}, {"kiosk", opts.kiosk}, {"enrol_code", opts.enrol_code}};
        auto v = exchange(Exchange::Register, "POST", "/v1/register", body.dump());
        if (v.action != Action::Ok) {
            if (!secret.empty()) {
                // Refused (a spent or mistyped code) or no answer: carry on with the secret kept;
                // a refused code is not asked about again.
                if (std::string_view(v.rule) == "403") {
                    tried_code = code_hash;
                    (void)store->outbox().set_sync_setting("enrol_code_sha256", code_hash);
                }
                return true;
            }
            failed(v, "enrolment: ", why, wait);
            return false;
        }
        learn_time(v.body);
        std::string got = v.body["secret"].get<std::string>();
        if (!store->outbox().set_sync_setting("secret", got).ok()) return false;
        secret = got;
        tried_code = code_hash;
        return store->outbox().set_sync_setting("enrol_code_sha256", code_hash).ok();
    }

    struct Outgoing {
        std::vector<OutboxEntry> batch;
        std::string body;  // the batch as the push's body
    };

    std::string batch_body(const std::vector<OutboxEntry>& batch) {
        // Payloads are already JSON text: they go in as they are, not parsed and printed again.
        std::string body = "{\"protocol\":" + std::to_string(kProtocolVersion) + ",\"records\":[";
        for (size_t i = 0; i < batch.size(); ++i) {
            const OutboxEntry& e = batch[i];
            if (i) body += ',';
            body += "{\"id\":" + nlohmann::json(e.record_id).dump() + ",\"type\":" + nlohmann::json(e.record_type).dump() +
                    ",\"schema_version\":" + std::to_string(e.schema_version) + ",\"created_at\":" +
                    nlohmann::json(e.created_at).dump() + ",\"local_seq\":" + std::to_string(e.local_seq) +
                    ",\"payload\":" + e.payload + "}";
        }
        return body + "]}";
    }

    // What head office's answer to a push says of the records sent: only ids of that batch
    // count; an ack naming others acknowledges nothing.
    static Store::PushAnswer answer_of(const Verdict& v, const std::vector<OutboxEntry>& batch) {
        std::set<std::string> sent;
        for (auto& e : batch) sent.insert(e.record_id);
        Store::PushAnswer a;
        for (auto& id : v.body["stored"])
            if (id.is_string() && sent.count(id.get<std::string>())) a.stored.push_back(id);
        auto of_batch = [&](const char* list) {  // the entries of a list that name a record sent
            std::vector<nlohmann::json> out;
            auto it = v.body.find(list);
            if (it != v.body.end() && it->is_array())
                for (auto& x : *it)
                    if (x.is_object() && sent.count(text_field(x, "id"))) out.push_back(x);
            return out;
        };
        for (auto& x : of_batch("rejected")) a.rejected.push_back({text_field(x, "id"), text_field(x, "reason")});
        for (auto& x : of_batch("conflicts"))
            a.conflicts.push_back({text_field(x, "id"), text_field(x, "reason"), text_field(x, "winner")});
        return a;
    }

    // Settles an acknowledged batch and tells the screens.
    bool settle(const Store::PushAnswer& a, std::string& why) {
        if (auto s = store->outbox().settle_push(a); !s) {
            why = s.error().detail;
            return false;
        }
        acked += static_cast<int64_t>(a.stored.size());
        publish([](SyncSnapshot& s) {
            s.online = true;
            s.last_success = std::time(nullptr);
            s.last_error.clear();
        });
        return true;
    }

    // Pushes until the outbox is empty. False on a failure worth backing off for; `wait` may
    // carry the server's Retry-After.
    //
    // One push is in flight at a time, in the outbox's order, as before. While it is, this thread
    // does the kiosk's own share of the work: it settles the batch acknowledged before, and reads
    // and encodes the next one (the records after the batch in flight). A backlog's drain then
    // waits on head office alone. Whatever happens to the push in flight, nothing read ahead is
    // lost: on anything but an ack the next round reads the outbox from its start again.
    bool push_all(std::string& why, double& wait) {
        int limit = opts.batch_records;
        std::optional<Store::PushAnswer> acked_batch;  // acknowledged, not yet settled
        auto read = [&](int64_t after) {
            Outgoing o;
            o.batch = store->outbox().outbox_batch(limit, opts.batch_bytes, after);
            if (!o.batch.empty()) o.body = batch_body(o.batch);
            return o;
        };
        auto settle_acked = [&] {
            bool ok = !acked_batch || settle(*acked_batch, why);
            acked_batch.reset();
            return ok;
        };
        Outgoing out = read(0);
        while (true) {
            {
                std::lock_guard g(lock);
                if (stopping) return settle_acked();
            }
            if (out.batch.empty()) return settle_acked();
            auto in_flight = std::async(std::launch::async, [this, &out] {
                return exchange(Exchange::Push, "POST", "/v1/push", out.body, out.batch.size());
            });
            // A throw here (a damaged page) waits for the push in flight in the future's destructor.
            bool settled = settle_acked();
            Outgoing next = settled && limit == opts.batch_records ? read(out.batch.back().local_seq) : Outgoing{};
            Verdict v = in_flight.get();
            if (!settled) return false;
            switch (v.action) {
            case Action::Ok:
                learn_time(v.body);
                acked_batch = answer_of(v, out.batch);
                if (limit != opts.batch_records) {  // the batch that was split went through: back to full batches
                    if (!settle_acked()) return false;
                    limit = opts.batch_records;
                    next = read(0);
                }
                out = std::move(next);
                continue;
            case Action::SplitBatch:
                limit = std::max(1, static_cast<int>(out.batch.size()) / 2);  // to find the record it refuses
                out = read(0);
                continue;
            case Action::DeadLetter: {
                // One record, refused for itself: it goes to the dead letters and the rest go on.
                Store::PushAnswer a;
                a.rejected.push_back({out.batch.front().record_id, v.why});
                store->outbox().settle_push(a);
                publish([](SyncSnapshot&) {});
                out = read(0);
                continue;
            }
            default: {
                failed(v, "", why, wait);
                std::vector<std::string> ids;
                for (auto& e : out.batch) ids.push_back(e.record_id);
                store->outbox().note_push_failure(ids, why);
                return false;
            }
            }
        }
    }

    bool pull_all(std::string& why, double& wait) {
        for (const std::string& d : pulled_datasets()) {
            bool more = true;
            while (more) {
                int64_t cursor = store->outbox().pull_cursor(d);
                auto v = exchange(Exchange::Pull, "GET", "/v1/pull/" + d + "?cursor=" + std::to_string(cursor) + "&limit=1000", "");
                if (v.action != Action::Ok) {
                    failed(v, "pull " + d + ": ", why, wait);
                    return false;
                }
                const nlohmann::json& j = v.body;
                learn_time(j);
                std::vector<DatasetRow> rows;
                for (auto& x : j["rows"]) {
                    if (!x.is_object()) continue;
                    auto body = x.find("body");
                    rows.push_back({text_field(x, "key"), body != x.end() ? *body : nlohmann::json(), bool_field(x, "deleted")});
                }
                if (auto a = store->outbox().apply_pull(d, rows, j["cursor"].get<int64_t>()); !a) {
                    why = "pull " + d + ": " + a.error().detail;
                    return false;
                }
                more = bool_field(j, "more") && !rows.empty();
                if (!rows.empty()) publish([n = rows.size()](SyncSnapshot& s) { s.pulled_rows += n; });
            }
        }
        return true;
    }

    // How the kiosk stands, for head office's fleet list.
    Heartbeat heartbeat_now() {
        Heartbeat h;
        h.version = opts.version;
        h.uptime_s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
        h.outbox = store->outbox().outbox_depth();
        h.dead_letters = store->outbox().dead_letter_count(true);
        {
            std::lock_guard g(lock);
            h.last_sync = snap.last_success;
        }
        struct statvfs fs {};
        std::filesystem::path dir = opts.store_path.parent_path().empty() ? "." : opts.store_path.parent_path();
        if (::statvfs(dir.c_str(), &fs) == 0) {
            // What the kiosk's user may still write (f_bavail), not what root could.
            h.disk_free_bytes = static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
            h.disk_total_bytes = static_cast<int64_t>(fs.f_blocks) * static_cast<int64_t>(fs.f_frsize);
        }
        h.printer = opts.printer_state ? opts.printer_state() : "none";
        h.restart_cause = opts.restart_cause;
        return h;
    }

    // Sends a heartbeat when one is due. Its failure is not the round's: nothing waits on it, and
    // the next one goes at the next interval (an older head office without the route answers 404).
    void heartbeat_if_due() {
        if (opts.heartbeat_every_s <= 0) return;
        auto now = std::chrono::steady_clock::now();
        if (last_heartbeat != std::chrono::steady_clock::time_point{} &&
            now - last_heartbeat < std::chrono::duration<double>(opts.heartbeat_every_s))
            return;
        last_heartbeat = now;
        std::string why;
        bool sent = guarded(why, [&] {
            auto v = exchange(Exchange::Heartbeat, "POST", "/v1/heartbeat", heartbeat_json(heartbeat_now()).dump());
            if (v.action == Action::Ok) learn_time(v.body);
            return v.action == Action::Ok;
        });
        if (sent) ++heartbeats;
    }

    std::chrono::steady_clock::time_point next_heartbeat() const {
        if (opts.heartbeat_every_s <= 0) return std::chrono::steady_clock::time_point::max();
        return last_heartbeat +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(opts.heartbeat_every_s));
    }

    // A store error (a damaged page, a full disk) is a failed round, retried with backoff: the
    // thread never ends the process with an uncaught SQLite::Exception.
    template <class F>
    static bool guarded(std::string& why, F&& round) {
        try {
            return round();
        } catch (const std::exception& e) {
            why = std::string("store: ") + e.what();
            return false;
        }
    }

    void run() {
        int failures = 0;
        auto last_pull = std::chrono::steady_clock::time_point{};
        while (true) {
            beat();
            {
                std::lock_guard g(lock);
                if (stopping) return;
                woken = false;
            }
            std::string why;
            double wait = -1;
            bool ok = guarded(why, [&] { return ensure_secret(why, wait) && push_all(why, wait); });
            bool pulled = false, want_pull = false;
            uint64_t serving = 0;
            {
                std::lock_guard g(lock);
                want_pull = force_pull;
                force_pull = false;
                serving = pull_asked;
            }
            if (ok && (want_pull || std::chrono::steady_clock::now() - last_pull >= std::chrono::duration<double>(opts.pull_every_s))) {
                ok = guarded(why, [&] { return pull_all(why, wait); });
                pulled = ok;
                if (ok) last_pull = std::chrono::steady_clock::now();
            }
            if (!ok && want_pull) {
                std::lock_guard g(lock);
                force_pull = true;  // still wanted once head office answers
            }
            if (ok) {
                failures = 0;
                {
                    std::lock_guard g(lock);
                    plan = RetryPlan{};
                }
                publish([&](SyncSnapshot& s) {
                    s.online = true;
                    s.last_success = std::time(nullptr);
                    s.last_error.clear();
                });
                heartbeat_if_due();
                std::unique_lock g(lock);
                if (pulled) {
                    ++rounds;
                    pull_done = std::max(pull_done, serving);
                }
                cv.notify_all();
                auto next_pull = last_pull + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                 std::chrono::duration<double>(opts.pull_every_s));
                wait_beating(g, std::min(next_pull, next_heartbeat()), [&] { return stopping || woken || force_pull; });
                continue;
            }
            ++failures;
            publish([&](SyncSnapshot& s) {
                s.online = false;
                s.last_error = why;
            });
            // Exponential backoff with full jitter, capped; its own timer, not the next save.
            double ceiling = std::min(opts.backoff_cap_s, opts.backoff_first_s * std::pow(2.0, std::min(failures - 1, 30)));
            double delay = wait > 0 ? wait : std::uniform_real_distribution<double>(0, ceiling)(rng);
            std::unique_lock g(lock);
            plan = RetryPlan{failures, delay, wait > 0,
                             std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                                    std::chrono::duration<double>(delay))};
            wait_beating(g, plan.next_attempt, [&] { return stopping; });
        }
    }
};

Result<std::unique_ptr<SyncWorker>> SyncWorker::start(SyncOptions o) {
    if (o.url.rfind("http://", 0) != 0 && o.url.rfind("https://", 0) != 0)
        return Error{"sync.error.url", "the head office URL must start with http:// or https://"};
    while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    auto curl = make_curl_transport({o.url, o.ca_file, o.connect_timeout_ms, o.low_speed_time_s, o.request_timeout_s, 64u << 20, cancel});
    if (!curl) return curl.error();
    auto w = start(std::move(o), std::move(curl.value()));
    if (w) w.value()->m->cancel = std::move(cancel);
    return w;
}

Result<std::unique_ptr<SyncWorker>> SyncWorker::start(SyncOptions o, std::unique_ptr<Transport> transport) {
    // Its own connection to the kiosk's file. The UI's store, opened first, checks the pages and
    // rebuilds a damaged file; a second connection must never move the file from under it.
    StoreOptions so;
    so.check_pages = false;
    so.rebuild_if_damaged = false;
    auto store = Store::open(o.store_path, o.site, o.kiosk, so);
    if (!store) return store.error();
    std::unique_ptr<SyncWorker> w(new SyncWorker);
    w->m = std::make_unique<Impl>();
    w->m->opts = std::move(o);
    w->m->store = std::move(store.value());
    w->m->net = std::move(transport);
    w->m->snap.configured = true;
    w->m->snap.outbox = w->m->store->outbox().outbox_depth();
    w->m->thread = std::thread([impl = w->m.get()] { impl->run(); });
    return w;
}

SyncWorker::~SyncWorker() {
    if (!m) return;
    stop();
    if (m->thread.joinable()) m->thread.join();
}

void SyncWorker::stop() {
    {
        std::lock_guard g(m->lock);
        m->stopping = true;
    }
    if (m->cancel) m->cancel->store(true);
    m->cv.notify_all();
}

void SyncWorker::wake() {
    {
        std::lock_guard g(m->lock);
        m->woken = true;
    }
    m->cv.notify_all();
}

SyncSnapshot SyncWorker::snapshot() const {
    std::lock_guard g(m->lock);
    return m->snap;
}

void SyncWorker::on_change(std::function<void()> f) {
    std::lock_guard g(m->lock);
    m->changed = std::move(f);
}

bool SyncWorker::wait_synced(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    std::unique_lock g(m->lock);
    while (true) {
        uint64_t want = ++m->pull_asked;
        m->force_pull = true;
        m->cv.notify_all();
        if (!m->cv.wait_until(g, until, [&] { return m->pull_done >= want || m->stopping; })) return false;
        if (m->stopping) return false;
        if (m->snap.outbox == 0) return true;  // else something was saved during the round: one more
    }
}

int64_t SyncWorker::acknowledged() const { return m->acked.load(); }

int64_t SyncWorker::heartbeats_sent() const { return m->heartbeats.load(); }
double SyncWorker::heartbeat_age_s() const {
    return static_cast<double>(Impl::steady_ms() - m->heartbeat_ms.load(std::memory_order_relaxed)) / 1e3;
}

double SyncWorker::longest_quiet_s() const {
    // One request at its longest, plus the store's busy timeout and a margin for a slow disk.
    return static_cast<double>(m->opts.request_timeout_s) + static_cast<double>(m->opts.connect_timeout_ms) / 1e3 + 5.0 + 5.0;
}

RetryPlan SyncWorker::retry_plan() const {
    std::lock_guard g(m->lock);
    return m->plan;
}

}  // namespace kiosk::sync
