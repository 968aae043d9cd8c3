#include "sync/client/sync_worker.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <ctime>
#include <random>

#include "kiosk/core/datasets.hpp"
#include "kiosk/store/store.hpp"
#include "sync/common/protocol.hpp"

namespace kiosk::sync {

namespace {

struct HttpResponse {
    long status = 0;            // 0: no answer (network error, timeout)
    std::string body, error;
    double retry_after_s = -1;
};

// One libcurl handle, reused: the connection stays open between requests.
class Http {
public:
    explicit Http(const SyncOptions& o) : m_opts(o), m_curl(curl_easy_init()) {}
    ~Http() {
        if (m_curl) curl_easy_cleanup(m_curl);
    }
    HttpResponse request(const std::string& method, const std::string& path, const std::string& body,
                         const std::string& secret, int64_t server_now) {
        HttpResponse r;
        if (!m_curl) {
            r.error = "libcurl failed to start";
            return r;
        }
        curl_easy_reset(m_curl);
        std::string url = m_opts.url + path;
        curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str());
        m_why[0] = '\0';
        curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, m_why);  // the detail: which certificate problem
        curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(m_curl, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT_MS, m_opts.connect_timeout_ms);
        curl_easy_setopt(m_curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(m_curl, CURLOPT_LOW_SPEED_TIME, m_opts.low_speed_time_s);
        curl_easy_setopt(m_curl, CURLOPT_TIMEOUT, m_opts.request_timeout_s);
        curl_easy_setopt(m_curl, CURLOPT_SSL_VERIFYPEER, 1L);  // https: the head office proves itself
        curl_easy_setopt(m_curl, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!m_opts.ca_file.empty()) curl_easy_setopt(m_curl, CURLOPT_CAINFO, m_opts.ca_file.c_str());
        curl_slist* headers = nullptr;
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
        if (!secret.empty()) {
            std::string nonce = random_hex(8);
            std::string sig = request_signature(secret, method, path, server_now, nonce, body);
            headers = curl_slist_append(headers, ("X-Kiosk: " + m_opts.site + "/" + m_opts.kiosk).c_str());
            headers = curl_slist_append(headers, ("X-Timestamp: " + std::to_string(server_now)).c_str());
            headers = curl_slist_append(headers, ("X-Nonce: " + nonce).c_str());
            headers = curl_slist_append(headers, ("X-Signature: " + sig).c_str());
        }
        curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, headers);
        if (method == "POST") {
            curl_easy_setopt(m_curl, CURLOPT_POST, 1L);
            curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        }
        curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* ud) {
            static_cast<std::string*>(ud)->append(p, s * n);
            return s * n;
        });
        curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &r.body);
        curl_easy_setopt(m_curl, CURLOPT_HEADERFUNCTION, +[](char* p, size_t s, size_t n, void* ud) {
            std::string line(p, s * n);
            if (line.size() > 12 && strncasecmp(line.c_str(), "Retry-After:", 12) == 0) {
                try {
                    static_cast<HttpResponse*>(ud)->retry_after_s = std::stod(line.substr(12));
                } catch (const std::exception&) {
                }
            }
            return s * n;
        });
        curl_easy_setopt(m_curl, CURLOPT_HEADERDATA, &r);
        CURLcode rc = curl_easy_perform(m_curl);
        curl_slist_free_all(headers);
        if (rc != CURLE_OK) {
            r.error = m_why[0] ? m_why : curl_easy_strerror(rc);
            r.status = 0;
            return r;
        }
        // To libcurl an error page is a successful transfer: the status is ours to check.
        curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &r.status);
        return r;
    }

private:
    const SyncOptions& m_opts;
    CURL* m_curl;
    char m_why[CURL_ERROR_SIZE] = {};
};

bool retryable(long status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

std::string error_text(const HttpResponse& r) {
    if (r.status == 0) return r.error;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    std::string msg = j.is_object() ? j.value("message", j.value("error", "")) : r.body.substr(0, 200);
    return "HTTP " + std::to_string(r.status) + (msg.empty() ? "" : ": " + msg);
}

}  // namespace

struct SyncWorker::Impl {
    SyncOptions opts;
    std::unique_ptr<Store> store;
    std::unique_ptr<Http> http;
    std::string secret;
    int64_t clock_offset = 0;  // server time minus ours, from its answers
    std::thread thread;
    mutable std::mutex lock;
    std::condition_variable cv;
    bool stopping = false, woken = false;
    bool force_pull = false;   // wait_synced wants a pull now
    uint64_t rounds = 0;       // rounds finished that pushed everything and pulled
    // wait_synced's requests for a pull, and the newest request a finished pull began after: a
    // pull already under way when the request came may have missed what it waits for.
    uint64_t pull_asked = 0, pull_done = 0;
    SyncSnapshot snap;
    std::function<void()> changed;
    std::atomic<int64_t> acked{0};
    std::mt19937_64 rng{std::random_device{}()};

    int64_t server_now() const { return static_cast<int64_t>(std::time(nullptr)) + clock_offset; }

    void publish(const std::function<void(SyncSnapshot&)>& edit) {
        // Counted before taking the lock: a screen reading the snapshot never waits on SQL.
        int64_t outbox = store->outbox_depth(), dead = store->dead_letter_count(true), conflicts = store->conflict_count(true);
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

    void learn_time(const std::string& body) {
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_object() && j.contains("server_time") && j["server_time"].is_number_integer())
            clock_offset = j["server_time"].get<int64_t>() - static_cast<int64_t>(std::time(nullptr));
    }

    // The kiosk's secret: kept in its store, or got once with the enrolment code.
    bool ensure_secret(std::string& why) {
        if (!secret.empty()) return true;
        if (auto s = store->sync_setting("secret")) {
            secret = *s;
            return true;
        }
        if (opts.enrol_code.empty()) {
            why = "no kiosk secret and no enrolment code";
            return false;
        }
        nlohmann::json body{{"site", opts.site}, {"kiosk", opts.kiosk}, {"enrol_code", opts.enrol_code}};
        auto r = http->request("POST", "/v1/register", body.dump(), "", 0);
        if (r.status != 200) {
            why = "enrolment: " + error_text(r);
            return false;
        }
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (!j.is_object() || !j.contains("secret") || !j["secret"].is_string()) {
            why = "enrolment: no secret in the answer";
            return false;
        }
        secret = j["secret"].get<std::string>();
        learn_time(r.body);
        return store->set_sync_setting("secret", secret).ok();
    }

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

    // Pushes until the outbox is empty. False on a failure worth backing off for; `wait` may
    // carry the server's Retry-After.
    bool push_all(std::string& why, double& wait) {
        int limit = opts.batch_records;
        while (true) {
            {
                std::lock_guard g(lock);
                if (stopping) return true;
            }
            auto batch = store->outbox_batch(limit, opts.batch_bytes);
            if (batch.empty()) return true;
            std::vector<std::string> ids;
            for (auto& e : batch) ids.push_back(e.record_id);
            auto r = http->request("POST", "/v1/push", batch_body(batch), secret, server_now());
            if (r.status == 200) {
                auto j = nlohmann::json::parse(r.body, nullptr, false);
                if (!j.is_object() || !j.contains("stored") || !j["stored"].is_array()) {
                    why = "head office answered without an ack";
                    store->note_push_failure(ids, why);
                    return false;
                }
                learn_time(r.body);
                Store::PushAnswer a;
                for (auto& id : j["stored"])
                    if (id.is_string()) a.stored.push_back(id);
                for (auto& x : j.value("rejected", nlohmann::json::array()))
                    if (x.is_object()) a.rejected.push_back({x.value("id", ""), x.value("reason", "")});
                for (auto& x : j.value("conflicts", nlohmann::json::array()))
                    if (x.is_object()) a.conflicts.push_back({x.value("id", ""), x.value("reason", ""), x.value("winner", "")});
                if (auto s = store->settle_push(a); !s) {
                    why = s.error().detail;
                    return false;
                }
                acked += static_cast<int64_t>(a.stored.size());
                limit = opts.batch_records;
                publish([](SyncSnapshot& s) {
                    s.online = true;
                    s.last_success = std::time(nullptr);
                    s.last_error.clear();
                });
                continue;
            }
            why = error_text(r);
            if (retryable(r.status)) {
                if (r.retry_after_s > 0) wait = std::min(r.retry_after_s, opts.backoff_cap_s);
                store->note_push_failure(ids, why);
                return false;
            }
            if (r.status == 401) {
                // The clock may be off: take head office's time, and try again after a wait.
                auto h = http->request("GET", "/v1/health", "", "", 0);
                if (h.status == 200) learn_time(h.body);
                store->note_push_failure(ids, why);
                return false;
            }
            if (r.status == 413 || batch.size() > 1) {
                limit = std::max(1, static_cast<int>(batch.size()) / 2);  // split to find the record it refuses
                continue;
            }
            // One record, refused for itself: it goes to the dead letters and the rest go on.
            Store::PushAnswer a;
            a.rejected.push_back({batch.front().record_id, why});
            store->settle_push(a);
            publish([](SyncSnapshot&) {});
        }
    }

    bool pull_all(std::string& why) {
        for (const std::string& d : pulled_datasets()) {
            bool more = true;
            while (more) {
                int64_t cursor = store->pull_cursor(d);
                auto r = http->request("GET", "/v1/pull/" + d + "?cursor=" + std::to_string(cursor) + "&limit=1000", "", secret,
                                       server_now());
                if (r.status != 200) {
                    why = "pull " + d + ": " + error_text(r);
                    return false;
                }
                auto j = nlohmann::json::parse(r.body, nullptr, false);
                if (!j.is_object() || !j.contains("rows") || !j["rows"].is_array() || !j.contains("cursor")) {
                    why = "pull " + d + ": malformed answer";
                    return false;
                }
                learn_time(r.body);
                std::vector<DatasetRow> rows;
                for (auto& x : j["rows"])
                    rows.push_back({x.value("key", ""), x.value("body", nlohmann::json()), x.value("deleted", false)});
                if (auto a = store->apply_pull(d, rows, j["cursor"].get<int64_t>()); !a) {
                    why = "pull " + d + ": " + a.error().detail;
                    return false;
                }
                more = j.value("more", false) && !rows.empty();
                if (!rows.empty()) publish([n = rows.size()](SyncSnapshot& s) { s.pulled_rows += n; });
            }
        }
        return true;
    }

    void run() {
        int failures = 0;
        auto last_pull = std::chrono::steady_clock::time_point{};
        while (true) {
            {
                std::lock_guard g(lock);
                if (stopping) return;
                woken = false;
            }
            std::string why;
            double wait = -1;
            bool ok = ensure_secret(why) && push_all(why, wait);
            bool pulled = false, want_pull = false;
            uint64_t serving = 0;
            {
                std::lock_guard g(lock);
                want_pull = force_pull;
                force_pull = false;
                serving = pull_asked;
            }
            if (ok && (want_pull || std::chrono::steady_clock::now() - last_pull >= std::chrono::duration<double>(opts.pull_every_s))) {
                ok = pull_all(why);
                pulled = ok;
                if (ok) last_pull = std::chrono::steady_clock::now();
            }
            if (!ok && want_pull) {
                std::lock_guard g(lock);
                force_pull = true;  // still wanted once head office answers
            }
            if (ok) {
                failures = 0;
                publish([&](SyncSnapshot& s) {
                    s.online = true;
                    s.last_success = std::time(nullptr);
                    s.last_error.clear();
                });
                std::unique_lock g(lock);
                if (pulled) {
                    ++rounds;
                    pull_done = std::max(pull_done, serving);
                }
                cv.notify_all();
                auto next_pull = last_pull + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                 std::chrono::duration<double>(opts.pull_every_s));
                cv.wait_until(g, next_pull, [&] { return stopping || woken || force_pull; });
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
            cv.wait_for(g, std::chrono::duration<double>(delay), [&] { return stopping; });
        }
    }
};

Result<std::unique_ptr<SyncWorker>> SyncWorker::start(SyncOptions o) {
    static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!curl_ready) return Error{"sync.error.curl", "libcurl failed to start"};
    if (o.url.rfind("http://", 0) != 0 && o.url.rfind("https://", 0) != 0)
        return Error{"sync.error.url", "the head office URL must start with http:// or https://"};
    while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
    auto store = Store::open(o.store_path, o.site, o.kiosk);  // its own connection to the kiosk's file
    if (!store) return store.error();
    std::unique_ptr<SyncWorker> w(new SyncWorker);
    w->m = std::make_unique<Impl>();
    w->m->opts = std::move(o);
    w->m->store = std::move(store.value());
    w->m->http = std::make_unique<Http>(w->m->opts);
    w->m->snap.configured = true;
    w->m->snap.outbox = w->m->store->outbox_depth();
    w->m->thread = std::thread([impl = w->m.get()] { impl->run(); });
    return w;
}

SyncWorker::~SyncWorker() {
    if (!m) return;
    {
        std::lock_guard g(m->lock);
        m->stopping = true;
    }
    m->cv.notify_all();
    if (m->thread.joinable()) m->thread.join();
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

}  // namespace kiosk::sync
