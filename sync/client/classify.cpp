#include "sync/client/classify.hpp"

#include <cctype>

namespace kiosk::sync {

namespace {

// What the table looks at, read once from the reply (whose bytes are hostile).
struct Answer {
    TransportError error;
    long status;
    std::string code;    // the body's "error" field, when it is a string
    bool well_formed;    // the body holds what this exchange asked for
};

bool in(long status, long from, long to) { return status >= from && status <= to; }

struct Rule {
    const char* when;
    bool (*matches)(const Answer&);
    Action action;
};

// First match wins. A push's SplitBatch of a lone record becomes DeadLetter; for any other
// exchange SplitBatch and DeadLetter become RetryBackoff (there is no record to blame).
constexpr Rule kRules[] = {
    // No answer (connect, timeout, TLS, dropped): head office may have stored the batch; the
    // retry's ack says so. Staff see the transport's text.
    {"no answer", [](const Answer& a) { return a.error != TransportError::None; }, Action::RetryBackoff},
    // The ack, the page of rows, the secret: the caller applies it.
    {"2xx with an answer", [](const Answer& a) { return in(a.status, 200, 299) && a.well_formed; }, Action::Ok},
    // A 2xx without what was asked (a captive portal's page, a cut body): nothing is acknowledged.
    {"2xx without an answer", [](const Answer& a) { return in(a.status, 200, 299); }, Action::RetryBackoff},
    // Redirects are not followed (the signature covers the path): the address needs fixing, and
    // no record is to blame for it.
    {"3xx", [](const Answer& a) { return in(a.status, 300, 399); }, Action::RetryBackoff},
    // Head office speaks another protocol version: every record waits for the upgrade.
    {"400 protocol", [](const Answer& a) { return a.status == 400 && a.code == "protocol"; }, Action::RetryBackoff},
    // The signature was refused, most often because the kiosk's clock is off: re-read head
    // office's time (GET /v1/health), then retry.
    {"401", [](const Answer& a) { return a.status == 401; }, Action::Reauthenticate},
    // The kiosk itself is refused (a spent enrolment code, a gateway's rule): not a record's fault.
    {"403", [](const Answer& a) { return a.status == 403; }, Action::RetryBackoff},
    // A wrong address or an unknown data set: dead-lettering records would not mend it.
    {"404", [](const Answer& a) { return a.status == 404; }, Action::RetryBackoff},
    // The server gave up waiting for the request: send it again.
    {"408", [](const Answer& a) { return a.status == 408; }, Action::RetryBackoff},
    // The batch is too large for head office: halve it; a lone record too large is dead-lettered.
    {"413", [](const Answer& a) { return a.status == 413; }, Action::SplitBatch},
    // Too many requests: come back no sooner than asked.
    {"429", [](const Answer& a) { return a.status == 429; }, Action::RetryAfter},
    // Head office's store is unavailable and nothing was stored; it may say when to come back.
    {"503", [](const Answer& a) { return a.status == 503; }, Action::RetryAfter},
    // Any other server failure: nothing to blame on a record.
    {"5xx", [](const Answer& a) { return in(a.status, 500, 599); }, Action::RetryBackoff},
    // Any other 4xx (400 bad_request, 409, 422, …) refuses what the batch holds: halve it until
    // the refused record is alone, then dead-letter that one and go on with the rest.
    {"other 4xx", [](const Answer& a) { return in(a.status, 400, 499); }, Action::SplitBatch},
    // 1xx as a final answer, codes HTTP does not define: try again later.
    {"anything else", [](const Answer&) { return true; }, Action::RetryBackoff},
};

bool well_formed(const nlohmann::json& j, Exchange e) {
    if (!j.is_object()) return false;
    switch (e) {
    case Exchange::Register: {
        auto s = j.find("secret");
        return s != j.end() && s->is_string() && !s->get_ref<const std::string&>().empty() &&
               s->get_ref<const std::string&>().size() <= 256;
    }
    case Exchange::Push:
        return j.contains("stored") && j["stored"].is_array();
    case Exchange::Pull:
        return j.contains("rows") && j["rows"].is_array() && j.contains("cursor") && j["cursor"].is_number_integer();
    case Exchange::Health:
        return true;
    case Exchange::Heartbeat:
        return j.contains("ok") && j["ok"].is_boolean() && j["ok"].get<bool>();
    }
    return false;
}

// At most `n` bytes of what head office said, cut at a character boundary, without control
// characters: it is shown to staff as it is.
std::string for_staff(const std::string& s, size_t n = 200) {
    size_t end = std::min(n, s.size());
    while (end > 0 && end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    std::string out;
    for (size_t i = 0; i < end; ++i) out += static_cast<unsigned char>(s[i]) < 0x20 ? ' ' : s[i];
    return out;
}

std::string text_of(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

double retry_after_seconds(const HttpReply& reply) {
    auto v = reply.header("Retry-After");
    if (!v) return -1;
    std::string s = *v;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
    if (s.empty() || s.size() > 9) return -1;  // over 9 digits: years; not a wait to honour
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    return std::stod(s);
}

Verdict classify(const HttpReply& reply, Exchange exchange, size_t batch_records) {
    Verdict v;
    Answer a{reply.error, reply.error == TransportError::None ? reply.status : 0, {}, false};
    if (a.error == TransportError::None) {
        v.body = nlohmann::json::parse(reply.body, nullptr, false);
        if (v.body.is_object()) a.code = text_of(v.body, "error");
        a.well_formed = well_formed(v.body, exchange);
    }
    for (const Rule& r : kRules)
        if (r.matches(a)) {
            v.action = r.action;
            v.rule = r.when;
            break;
        }
    if (v.action == Action::SplitBatch || v.action == Action::DeadLetter) {
        if (exchange != Exchange::Push) v.action = Action::RetryBackoff;
        else if (batch_records <= 1) v.action = Action::DeadLetter;
    }
    if (v.action == Action::RetryAfter) v.retry_after_s = retry_after_seconds(reply);
    if (v.action == Action::Ok) return v;
    if (a.error != TransportError::None) {
        v.why = reply.error_text.empty() ? "no answer from head office" : reply.error_text;
    } else if (in(a.status, 200, 299)) {
        v.why = exchange == Exchange::Push ? "head office answered without an ack" : "malformed answer";
    } else {
        std::string msg = v.body.is_object() ? text_of(v.body, "message") : for_staff(reply.body);
        if (msg.empty() && v.body.is_object()) msg = a.code;
        v.why = "HTTP " + std::to_string(a.status) + (msg.empty() ? "" : ": " + for_staff(msg));
    }
    return v;
}

}  // namespace kiosk::sync
