#include "sync/server/notify.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <regex>

#include "kiosk/core/private_file.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/store_clock.hpp"

namespace kiosk::headoffice {

std::optional<Notification> notification_for(const std::string& site, const IncomingRecord& r, const std::string* pickup_code) {
    const auto& p = r.payload;
    if (!p.is_object()) return std::nullopt;
    auto notify = p.find("notify");
    if (notify == p.end() || !notify->is_string()) return std::nullopt;
    std::string kind = notify->get<std::string>();
    if (kind != "parcel_arrived" && kind != "parcel_reminder") return std::nullopt;
    auto unit = p.find("unit");
    Notification n{site, unit != p.end() && unit->is_string() ? unit->get<std::string>() : "", kind, r.id, nlohmann::json::object()};
    for (const char* k : {"parcel_id", "pickup_code", "carrier", "stage", "return_at"})
        if (p.contains(k)) n.detail[k] = p[k];
    if (pickup_code) n.detail["pickup_code"] = *pickup_code;
    return n;
}

std::string notification_body(const Notification& n) {
    return nlohmann::json{{"id", n.record_id}, {"site", n.site}, {"unit", n.unit}, {"kind", n.kind}, {"record", n.record_id}, {"detail", n.detail}}
        .dump();
}

// ---- the file sender ----

FileSender::FileSender(std::string path) : m_path(std::move(path)) {
    m_fd = open_private_append(m_path);
    if (m_fd < 0) throw std::runtime_error("cannot open the notification file " + m_path + ": " + std::strerror(errno));
}

FileSender::~FileSender() {
    if (m_fd >= 0) ::close(m_fd);
}

Result<Ok> FileSender::send(const OutgoingNotification& n) {
    std::string line = n.body + "\n";
    std::lock_guard lock(m_lock);
    if (!write_all(m_fd, line)) return Error{"notify.retry", std::string("cannot write the notification file: ") + std::strerror(errno)};
    if (::fdatasync(m_fd) != 0) return Error{"notify.retry", std::string("cannot flush the notification file: ") + std::strerror(errno)};
    return Ok{};
}

// ---- the webhook sender ----

namespace {
struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};
// The receiver's answer is not kept (it may echo a household's data); only a little is read.
size_t discard_body(char*, size_t size, size_t n, void* seen) {
    size_t& total = *static_cast<size_t*>(seen);
    total += size * n;
    return total > 64 * 1024 ? 0 : size * n;  // a receiver that streams on is cut off
}
// "https://gw.example.com:8443/sms?token=…" → "https://gw.example.com:8443": what the log may say.
std::string url_origin(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return "(bad url)";
    auto end = url.find_first_of("/?#", scheme + 3);
    std::string host = url.substr(0, end);
    if (auto at = host.find('@', scheme + 3); at != std::string::npos) host.erase(scheme + 3, at - scheme - 2);  // no user:password
    return host;
}
}  // namespace

WebhookSender::WebhookSender(WebhookOptions o) : m_o(std::move(o)) {
    static CurlGlobal init;
    // Texts carry units and pickup codes: in clear only to a gateway on this machine.
    std::string origin = url_origin(m_o.url);
    bool local = std::regex_match(origin, std::regex(R"(http://(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?)"));
    if (m_o.url.rfind("https://", 0) != 0 && !local)
        throw std::runtime_error("the webhook URL must be https:// (texts carry pickup codes); http:// only to this machine");
}

std::string WebhookSender::describe() const { return "webhook " + url_origin(m_o.url); }

Result<Ok> WebhookSender::send(const OutgoingNotification& n) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return Error{"notify.retry", "curl could not start"};
    std::string t = std::to_string(std::time(nullptr));
    std::string signature = "X-Lobby-Signature: t=" + t + ",v1=" + sync::hmac_sha256_hex(m_o.secret, t + "." + n.body);
    std::string id = "X-Lobby-Id: " + n.id;
    curl_slist* headers = nullptr;
    for (const std::string* h : {&signature, &id}) headers = curl_slist_append(headers, h->c_str());
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(headers, &curl_slist_free_all);
    size_t seen = 0;
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, m_o.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, n.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(n.body.size()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, m_o.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, m_o.timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &seen);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK && rc != CURLE_WRITE_ERROR) return Error{"notify.retry", std::string("webhook: ") + curl_easy_strerror(rc)};
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) return Ok{};
    std::string why = "webhook answered HTTP " + std::to_string(status);
    if (status == 408 || status == 429 || status >= 500 || status == 0) return Error{"notify.retry", why};
    return Error{"notify.refused", why};
}

Result<std::string> read_webhook_secret(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return Error{"notify.secret", "cannot read the webhook secret file " + path};
    if (st.st_mode & 077)
        return Error{"notify.secret", "the webhook secret file " + path + " can be read by others; chmod 600 it"};
    if (st.st_size > 4096) return Error{"notify.secret", "the webhook secret file " + path + " is longer than 4096 bytes"};
    std::ifstream in(path, std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (s.size() < 16) return Error{"notify.secret", "the webhook secret in " + path + " is shorter than 16 bytes"};
    return s;
}

// ---- the dispatcher ----

NotifyDispatcher::NotifyDispatcher(HeadOfficeStore& store, NotificationSender& sender, RetryPolicy policy)
    : m_store(store), m_sender(sender), m_policy(policy) {}

NotifyDispatcher::~NotifyDispatcher() { stop(); }

int NotifyDispatcher::run_once() {
    // The lease outlasts the whole batch sent one by one at the sender's slowest: no other
    // process takes a text while this one may still be sending it.
    double lease_s = std::max(m_policy.lease_s, m_policy.batch * m_sender.max_send_s() + 60);
    auto due = m_store.claim_notifications(now_ms(), static_cast<int64_t>(lease_s * 1000), m_policy.batch);
    for (const OutgoingNotification& n : due) {
        Result<Ok> sent = Error{"notify.retry", "not sent"};
        try {
            sent = m_sender.send(n);
        } catch (const std::exception& e) {
            sent = Error{"notify.retry", e.what()};
        }
        if (sent) {
            if (!m_store.notification_sent(n, now_ms())) spdlog::warn("notification {}: sent after its lease ran out", n.id);
            continue;
        }
        const Error& e = sent.error();
        std::optional<int64_t> retry_at;
        if (e.key == "notify.retry" && n.attempts < m_policy.max_attempts) {
            double wait = std::min(m_policy.cap_s, m_policy.first_s * std::pow(2.0, n.attempts - 1));
            retry_at = now_ms() + static_cast<int64_t>(wait * 1000);
        }
        // The id and the reason only: the text itself holds a household's unit and code.
        spdlog::warn("notification {} via {}: {} (attempt {}{})", n.id, m_sender.describe(), e.detail, n.attempts,
                     retry_at ? ", will retry" : ", given up");
        m_store.notification_failed(n, e.detail, retry_at);
        if (retry_at && (m_soonest_retry_ms == 0 || *retry_at < m_soonest_retry_ms)) m_soonest_retry_ms = *retry_at;
    }
    return static_cast<int>(due.size());
}

void NotifyDispatcher::start() {
    m_thread = std::thread([this] {
        std::unique_lock lock(m_lock);
        while (!m_stopping) {
            lock.unlock();
            int handled = 0;
            try {
                handled = run_once();
            } catch (const std::exception& e) {
                spdlog::error("notification outbox: {}", e.what());  // the store is down: try again on the next poll
            }
            lock.lock();
            if (handled == m_policy.batch) continue;  // more may be due
            // Until the next poll, or sooner when a text that failed is due again.
            double wait = m_policy.poll_s;
            if (int64_t soonest = m_soonest_retry_ms.exchange(0); soonest > 0)
                wait = std::clamp(static_cast<double>(soonest - now_ms()) / 1000.0, 0.0, wait);
            m_cv.wait_for(lock, std::chrono::duration<double>(wait), [this] { return m_woken || m_stopping; });
            m_woken = false;
        }
    });
}

void NotifyDispatcher::wake() {
    std::lock_guard lock(m_lock);
    m_woken = true;
    m_cv.notify_all();
}

void NotifyDispatcher::stop() {
    {
        std::lock_guard lock(m_lock);
        m_stopping = true;
        m_cv.notify_all();
    }
    if (m_thread.joinable()) m_thread.join();
}

}  // namespace kiosk::headoffice
