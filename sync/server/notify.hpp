#pragma once
// Telling households what the desk holds for them: a parcel arrived (with its pickup code), a
// reminder, a return warning.
//
// Durable: a push writes the text into head office's notification outbox (notify_outbox) in the
// same transaction as the record that asks for it; a NotifyDispatcher, after the commit, claims
// due texts, hands each to a sender and records the outcome. A sender that fails or times out
// is tried again later with backoff; one that keeps failing is given up ("failed") and shown by
// `lobby-headoffice notifications`. Delivery is at least once: a receiver dedupes on the id.
//
// Senders: FileSender appends one JSON line per text to a 0600 file (for a person or a script to
// take from there); WebhookSender POSTs the JSON to a URL, signed with HMAC, which an SMS or
// WeChat gateway can sit behind.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.hpp"
#include "sync/server/headoffice_store.hpp"

namespace kiosk::headoffice {

struct Notification {
    std::string site, unit, kind, record_id;  // kind: parcel_arrived | parcel_reminder
    nlohmann::json detail;                    // parcel id, pickup code, stage, return date
};

// The text a fresh record asks for, if any; `pickup_code`, when given, replaces the record's
// (head office gave the parcel another code because of a clash).
std::optional<Notification> notification_for(const std::string& site, const IncomingRecord& r, const std::string* pickup_code = nullptr);
// The JSON a sender delivers: {id, site, unit, kind, record, detail}.
std::string notification_body(const Notification& n);

class NotificationSender {
public:
    virtual ~NotificationSender() = default;
    // Delivers one text. An error's key says whether trying again can help:
    // "notify.retry" (a timeout, a 5xx, no connection) or "notify.refused" (the receiver said no).
    virtual Result<Ok> send(const OutgoingNotification& n) = 0;
    virtual std::string describe() const = 0;  // for the log: "file /var/…", "webhook https://host/…"
    virtual double max_send_s() const { return 5; }  // the longest one send() may take
};

// One JSON line per text, appended to a 0600 file and flushed to disk.
class FileSender : public NotificationSender {
public:
    explicit FileSender(std::string path);
    ~FileSender() override;
    Result<Ok> send(const OutgoingNotification& n) override;
    std::string describe() const override { return "file " + m_path; }

private:
    std::string m_path;
    std::mutex m_lock;
    int m_fd = -1;
};

struct WebhookOptions {
    std::string url;     // http:// or https://
    std::string secret;  // the HMAC key shared with the receiver (from a 0600 file)
    long connect_timeout_ms = 5000;
    long timeout_ms = 10000;  // the whole exchange
};

// POST {body} to the URL with
//   Content-Type: application/json
//   X-Lobby-Id: <the text's id>            (the receiver's idempotency key)
//   X-Lobby-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
// A 2xx answer is delivered; 408, 429 and 5xx, a timeout or no connection are tried again; any
// other answer is refused. Redirects are not followed; only the answer's status is kept.
class WebhookSender : public NotificationSender {
public:
    explicit WebhookSender(WebhookOptions o);
    Result<Ok> send(const OutgoingNotification& n) override;
    std::string describe() const override;
    double max_send_s() const override { return m_o.timeout_ms / 1000.0; }

private:
    WebhookOptions m_o;
};

// The webhook secret file: 16 to 4096 bytes (a trailing newline dropped), and readable by its
// owner only. Errors name the file and what is wrong.
Result<std::string> read_webhook_secret(const std::string& path);

struct RetryPolicy {
    double first_s = 30;       // the wait after a first failure; doubles each time
    double cap_s = 3600;       // ... up to this
    int max_attempts = 12;     // then the text is given up ("failed")
    double lease_s = 120;      // a claimed text is another sender's again after this (at least batch × the sender's slowest send)
    double poll_s = 5;         // how often due texts are looked for without a push waking us
    int batch = 20;            // texts claimed at once
};

class NotifyDispatcher {
public:
    NotifyDispatcher(HeadOfficeStore& store, NotificationSender& sender, RetryPolicy policy = {});
    ~NotifyDispatcher();
    NotifyDispatcher(const NotifyDispatcher&) = delete;
    NotifyDispatcher& operator=(const NotifyDispatcher&) = delete;

    // Sends what is due now; returns how many texts were tried. Used by the thread and by tests.
    int run_once();
    // A thread that runs run_once every poll_s, or at once when woken.
    void start();
    void wake();  // a push queued texts
    void stop();

private:
    HeadOfficeStore& m_store;
    NotificationSender& m_sender;
    RetryPolicy m_policy;
    std::thread m_thread;
    std::mutex m_lock;
    std::condition_variable m_cv;
    bool m_woken = false, m_stopping = false;
    std::atomic<int64_t> m_soonest_retry_ms{0};  // the earliest retry the last run set (0: none)
};

}  // namespace kiosk::headoffice
