#include "sync/server/server.hpp"

#include <httplib.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <unordered_map>

#include "sync/common/heartbeat.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/bounded_json.hpp"
#include "sync/server/front_door.hpp"
#include "sync/server/push_body.hpp"

namespace kiosk::headoffice {

namespace {
void reply(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}
void error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    reply(res, status, {{"error", code}, {"message", message}});
}
// A failure whose detail may hold internals (SQL, exception text): the detail goes to the log under
// a reference, and the client gets a short message and the reference.
void internal_error(httplib::Response& res, int status, const std::string& code, const std::string& detail) {
    std::string ref = sync::random_hex(6);
    spdlog::error("ref {}: {} {}", ref, code, detail);
    reply(res, status, {{"error", code}, {"message", "the head office failed to answer; try again"}, {"ref", ref}});
}

thread_local std::chrono::steady_clock::time_point t_request_start;

DoorLimits door_limits(int per_address) {
    DoorLimits d;
    d.per_address = per_address;
    return d;
}

// The body of a POST, read through httplib's content reader so that a chunked body stops at the
// route's cap as a sized one does, and a body dribbled in stops at the request deadline. False:
// over the cap or the deadline (the reply is set).
bool read_capped(const httplib::ContentReader& reader, size_t cap, std::string& body, httplib::Response& res) {
    bool over = false, slow = false;
    auto until = t_request_start + std::chrono::seconds(kRequestDeadlineS);
    reader([&](const char* data, size_t n) {
        if (body.size() + n > cap) {
            over = true;
            return false;
        }
        if (std::chrono::steady_clock::now() > until) {
            slow = true;
            return false;
        }
        body.append(data, n);
        return true;
    });
    if (!over && !slow) return true;
    res.set_header("Connection", "close");
    if (slow) error(res, 408, "too_slow", "the request took longer than " + std::to_string(kRequestDeadlineS) + " s");
    else error(res, 413, "body_too_large", "this route takes at most " + std::to_string(cap) + " bytes");
    return false;
}

// What a log line may quote of a header or path: at most `max` bytes, control characters as '?'
// (httplib decodes %0A in header values, which would forge a line).
std::string printable(std::string_view s, size_t max = 64) {
    std::string out(s.substr(0, max));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return out;
}

// Failed signatures, logged at most a few a minute per peer address (a flood does not fill the disk).
class AuthFailureLog {
public:
    void note(const std::string& addr, const std::string& kiosk, const std::string& why) {
        int64_t minute = std::time(nullptr) / 60;
        std::lock_guard lock(m_lock);
        if (m_seen.size() > 10000) m_seen.clear();
        auto& [at, n] = m_seen[addr];
        if (at != minute) at = minute, n = 0;
        if (++n <= kPerMinute)
            spdlog::warn("auth failure from {} kiosk '{}': {}", addr, printable(kiosk), why);
        else if (n == kPerMinute + 1)
            spdlog::warn("auth failures from {}: more this minute not logged", addr);
    }

private:
    static constexpr int kPerMinute = 5;
    std::mutex m_lock;
    std::unordered_map<std::string, std::pair<int64_t, int>> m_seen;
};
AuthFailureLog& auth_failures() {
    static AuthFailureLog log;
    return log;
}
// Where a request came from: httplib's address, or over TLS the door's.
const std::string& peer(const httplib::Request& req) { return req.remote_addr.empty() ? door_peer_address() : req.remote_addr; }
}  // namespace

// Push signatures this server has seen stored (kept in the store, or found there as a replay):
// a replay of one is refused before its body is parsed. The store's seen_requests row decides;
// this only spares the parse, so it is bounded and may forget.
class Server::RecentPushes {
public:
    bool seen(const std::string& signature) {
        std::lock_guard lock(m_lock);
        return m_at.count(signature) > 0;
    }
    void add(const std::string& signature, int64_t now) {
        std::lock_guard lock(m_lock);
        if (m_at.size() >= kMax)
            for (auto it = m_at.begin(); it != m_at.end();) it = it->second < now - 2 * sync::kClockSkewS ? m_at.erase(it) : std::next(it);
        if (m_at.size() >= kMax) m_at.clear();
        m_at.emplace(signature, now);
    }

private:
    static constexpr size_t kMax = 20000;
    std::mutex m_lock;
    std::unordered_map<std::string, int64_t> m_at;
};

int64_t Server::clock() { return static_cast<int64_t>(std::time(nullptr)); }


Server::Server(HeadOfficeStore& store, NotifyHook notify, const TlsFiles* tls, int per_address, const ExtraRoutes& extra)
    : m_store(store), m_notify(std::move(notify)), m_recent(std::make_unique<RecentPushes>()),
      m_http(make_front_door(tls, door_limits(per_address))) {
    auto& http = *m_http;
    http.set_tcp_nodelay(true);  // without it loopback requests crawl (Nagle + delayed ACK)
    http.set_payload_max_length(sync::kMaxBodyBytes);
    http.set_read_timeout(5, 0);  // a body that stalls lets its worker go
    http.set_write_timeout(5, 0);
    // A thread serves one kiosk's connection while it stays open: enough threads for a site's
    // kiosks syncing at once, and idle connections let go soon (kiosks sync once a minute).
    http.new_task_queue = [] { return new httplib::ThreadPool(64); };
    http.set_keep_alive_timeout(2);

    http.Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) {
        reply(res, 200, {{"ok", true}, {"protocol", sync::kProtocolVersion}, {"server_time", clock()}});
    });

    http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        t_request_start = std::chrono::steady_clock::now();
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // The access log: no query string, no body, nothing of a resident's.
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request_start).count();
        spdlog::info("{} {} {} kiosk={} in={} out={} {:.1f}ms from {}", printable(req.method, 16), printable(req.path, 128), res.status,
                     printable(req.get_header_value("X-Kiosk")), printable(req.get_header_value("Content-Length"), 20), res.body.size(), ms,
                     peer(req));
    });

    http.Post("/v1/register", [this](const httplib::Request&, httplib::Response& res, const httplib::ContentReader& reader) {
        std::string body, why;
        if (!read_capped(reader, body_cap("POST", "/v1/register"), body, res)) return;
        auto j = parse_bounded(body, why);
        if (j.is_discarded()) return error(res, 400, "bad_request", why);
        if (!j.is_object() || !j.contains("site") || !j.contains("kiosk") || !j.contains("enrol_code") ||
            !j["site"].is_string() || !j["kiosk"].is_string() || !j["enrol_code"].is_string())
            return error(res, 400, "bad_request", "expected {site, kiosk, enrol_code}");
        auto secret = m_store.register_kiosk(j["site"], j["kiosk"], j["enrol_code"]);
        if (!secret) return error(res, 403, "enrolment_refused", secret.error().detail);
        reply(res, 200, {{"secret", secret.value()}, {"server_time", clock()}});
    });

    // A kiosk's signed request (push, heartbeat, pull): its site and kiosk, or a 401 sent and the
    // failure logged (a few a minute per address). `verified_only`: the replay is not checked yet
    // and nothing is written (a push checks it in its own transaction).
    auto signed_by_kiosk = [this](const httplib::Request& req, const std::string& body, Signed& who, httplib::Response& res,
                                  bool verified_only = false) {
        std::string why;
        if (verify_signature(req.method, req.target, body, req.get_header_value("X-Kiosk"), req.get_header_value("X-Timestamp"),
                             req.get_header_value("X-Nonce"), req.get_header_value("X-Signature"), who, why) &&
            (verified_only || accept_signed(who, why)))
            return true;
        auth_failures().note(peer(req), req.get_header_value("X-Kiosk"), why);
        error(res, 401, "unauthorised", why);
        return false;
    };

    http.Post("/v1/push", [this, signed_by_kiosk](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        std::string body;
        Signed who;
        if (!read_capped(reader, body_cap("POST", "/v1/push"), body, res)) return;
        if (!signed_by_kiosk(req, body, who, res, true)) return;
        const std::string &site = who.site, &kiosk = who.kiosk;
        auto replayed = [&] {
            auth_failures().note(peer(req), req.get_header_value("X-Kiosk"), "replayed request");
            error(res, 401, "unauthorised", "replayed request");
        };
        if (m_recent->seen(who.signature)) return replayed();
        // A push refused before the store: accepted first as any signed request is (a replay is
        // a 401, whatever its body), then answered.
        auto refuse = [&](int status, const std::string& code, const std::string& message) {
            std::string why;
            if (!accept_signed(who, why)) return replayed();
            error(res, status, code, message);
        };
        // Read in one pass into the records: no JSON tree of the whole body (push_body.hpp).
        PushBody pushed = read_push_body(body, static_cast<size_t>(sync::kMaxBatchRecords));
        if (!pushed.not_json.empty()) return refuse(400, "bad_request", pushed.not_json);
        if (!pushed.shaped) return refuse(400, "bad_request", "expected {protocol, records: [...]}");
        if (pushed.protocol && !pushed.protocol->is_number_integer())
            return refuse(400, "bad_request", "field 'protocol' must be an integer");
        if ((pushed.protocol ? pushed.protocol->get<int>() : 0) != sync::kProtocolVersion)
            return refuse(400, "protocol", "this head office speaks protocol " + std::to_string(sync::kProtocolVersion));
        if (pushed.record_count > static_cast<size_t>(sync::kMaxBatchRecords))
            return refuse(413, "batch_too_large", "at most " + std::to_string(sync::kMaxBatchRecords) + " records a batch");
        std::vector<IncomingRecord>& in = pushed.records;
        std::vector<std::pair<std::string, std::string>>& malformed = pushed.malformed;
        // The replay row goes in with the records, in their transaction.
        ReplayCheck replay{who.signature, who.now, sync::kClockSkewS};
        auto stored = m_store.push(site, kiosk, in, &replay);
        if (!stored && stored.error().key == kReplayedKey) {
            m_recent->add(who.signature, who.now);
            return replayed();
        }
        if (!stored) return internal_error(res, 503, "store_unavailable", stored.error().detail);  // retried: nothing was kept
        m_recent->add(who.signature, who.now);
        accepted(who);
        const PushResult& p = stored.value();
        nlohmann::json rejected = nlohmann::json::array(), conflicts = nlohmann::json::array();
        for (auto& [id, reason] : p.rejected) rejected.push_back({{"id", id}, {"reason", reason}});
        for (auto& [id, reason] : malformed) rejected.push_back({{"id", id}, {"reason", reason}});
        for (auto& c : p.conflicts) conflicts.push_back({{"id", c.id}, {"reason", c.reason}, {"winner", c.winner}});
        reply(res, 200, {{"stored", p.stored}, {"rejected", rejected}, {"conflicts", conflicts}, {"server_time", clock()}});
        if (m_notify && p.queued_notifications > 0) m_notify();
    });

    // How a kiosk stands, once a minute: checked field by field, kept as its last state and in a
    // bounded history (HeadOfficeStore::record_heartbeat). Not a record: no outbox, no ack.
    http.Post("/v1/heartbeat", [this, signed_by_kiosk](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        std::string body, why;
        Signed who;
        if (!read_capped(reader, body_cap("POST", "/v1/heartbeat"), body, res)) return;
        if (!signed_by_kiosk(req, body, who, res)) return;
        const std::string &site = who.site, &kiosk = who.kiosk;
        auto j = parse_bounded(body, why, 4);
        if (j.is_discarded()) return error(res, 400, "bad_request", why);
        sync::Heartbeat h;
        if (auto problem = sync::read_heartbeat(j, h)) return error(res, 400, "bad_request", *problem);
        if (j["protocol"] != sync::kProtocolVersion)
            return error(res, 400, "protocol", "this head office speaks protocol " + std::to_string(sync::kProtocolVersion));
        if (auto kept = m_store.record_heartbeat(site, kiosk, h, clock()); !kept)
            return internal_error(res, 503, "store_unavailable", kept.error().detail);
        reply(res, 200, {{"ok", true}, {"server_time", clock()}});
    });

    http.Get(R"(/v1/pull/([a-z_]+))", [this, signed_by_kiosk](const httplib::Request& req, httplib::Response& res) {
        Signed who;
        if (!signed_by_kiosk(req, req.body, who, res)) return;
        const std::string &site = who.site;
        std::string dataset = req.matches[1];
        int64_t cursor = 0;
        int limit = 1000;
        try {
            if (req.has_param("cursor")) cursor = std::stoll(req.get_param_value("cursor"));
            if (req.has_param("limit")) limit = std::clamp(std::stoi(req.get_param_value("limit")), 1, 5000);
        } catch (const std::exception&) {
            return error(res, 400, "bad_request", "cursor and limit are integers");
        }
        // A page is bounded by bytes as well as rows: past kMaxPageBytes the same page is asked
        // for again with half the rows (the store's cursor then ends where the rows do).
        for (;;) {
            auto page = m_store.pull(site, dataset, cursor, limit);
            if (!page) {
                if (page.error().key == "headoffice.error.dataset") return error(res, 404, "pull", page.error().detail);
                return internal_error(res, 503, "pull", page.error().detail);
            }
            nlohmann::json rows = nlohmann::json::array();
            for (auto& r : page.value().rows) rows.push_back({{"key", r.key}, {"body", r.body}, {"deleted", r.deleted}});
            std::string out = nlohmann::json{{"dataset", dataset}, {"rows", rows}, {"cursor", page.value().cursor},
                                             {"more", page.value().more}, {"server_time", clock()}}
                                  .dump();
            if (out.size() > kMaxPageBytes && limit > 1) {
                limit /= 2;
                continue;
            }
            res.status = 200;
            res.set_content(out, "application/json");
            return;
        }
    });

    if (extra) extra(http);

    // Any other route that takes a body answers 404 without reading it: httplib would otherwise
    // read it into memory in full before looking for a handler.
    auto no_route = [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader&) {
        res.set_header("Connection", "close");
        error(res, 404, "not_found", "no such route");
    };
    http.Post(".*", no_route);
    http.Put(".*", no_route);
    http.Patch(".*", no_route);
    http.Delete(".*", no_route);

    http.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr e) {
        std::string what = "unknown exception";
        try {
            if (e) std::rethrow_exception(e);
        } catch (const std::exception& x) {
            what = x.what();
        } catch (...) {
        }
        internal_error(res, 500, "internal", printable(req.method, 16) + " " + printable(req.path, 128) + ": " + what);
    });
}

Server::~Server() { stop(); }

int Server::bind(const std::string& host, int port) {
    if (port == 0) return m_http->bind_to_any_port(host);
    return m_http->bind_to_port(host, port) ? port : -1;
}

void Server::run() { m_http->listen_after_bind(); }

bool Server::running() const { return m_http && m_http->is_running(); }

void Server::stop() {
    if (m_http) m_http->stop();
}

bool Server::verify_signature(const std::string& method, const std::string& path, const std::string& body,
                              const std::string& kiosk_header, const std::string& ts, const std::string& nonce, const std::string& sig,
                              Signed& who, std::string& why) {
    std::string& site = who.site;
    std::string& kiosk = who.kiosk;
    auto slash = kiosk_header.find('/');
    if (slash == std::string::npos || ts.empty() || sig.empty() || nonce.size() < 8 || nonce.size() > 64) {
        why = "X-Kiosk (site/kiosk), X-Timestamp, X-Nonce and X-Signature are required";
        return false;
    }
    site = kiosk_header.substr(0, slash);
    kiosk = kiosk_header.substr(slash + 1);
    int64_t t = 0;
    try {
        t = std::stoll(ts);
    } catch (const std::exception&) {
        why = "X-Timestamp is not a number";
        return false;
    }
    int64_t now = clock();
    if (t < now - sync::kClockSkewS || t > now + sync::kClockSkewS) {
        why = "timestamp outside the " + std::to_string(sync::kClockSkewS) + " s window; server_time " + std::to_string(now);
        return false;
    }
    // The newest secret, or during a rotation the one before it (PROTOCOL.md, "Key life cycle").
    auto secrets = m_store.kiosk_secrets(site, kiosk);
    bool by_current = false, by_previous = false;
    if (secrets) {
        std::string_view s = sig;
        if (!secrets->current.empty())
            by_current = sync::signatures_equal(sync::request_signature(secrets->current, method, path, t, nonce, body), s);
        if (!by_current && !secrets->previous.empty())
            by_previous = sync::signatures_equal(sync::request_signature(secrets->previous, method, path, t, nonce, body), s);
    }
    if (!by_current && !by_previous) {
        why = "unknown kiosk or bad signature";
        return false;
    }
    who.signature = sig;
    who.now = now;
    who.confirms_secret = by_current && !secrets->current_confirmed;
    if (who.confirms_secret) who.secret = secrets->current;
    return true;
}

bool Server::accept_signed(const Signed& who, std::string& why) {
    // Kept in the store: a replay is refused after a restart and at another head-office process.
    if (!m_store.first_sighting(who.signature, who.now, sync::kClockSkewS)) {
        why = "replayed request";
        return false;
    }
    accepted(who);
    return true;
}

void Server::accepted(const Signed& who) {
    if (who.confirms_secret) m_store.kiosk_used_secret(who.site, who.kiosk, who.secret);
    // The fleet list's "last sync" for a kiosk that sends no heartbeat; a failure here fails no request.
    try {
        m_store.note_contact(who.site, who.kiosk, who.now);
    } catch (const std::exception& e) {
        spdlog::warn("fleet: last contact of {}/{} not kept: {}", printable(who.site), printable(who.kiosk), e.what());
    }
}

}  // namespace kiosk::headoffice
