// The sync worker against a scripted head office: canned answers (as sync/server/server.cpp gives
// them) through the Transport seam, the requests the worker made, and a real kiosk store whose
// outbox, dead letters and conflicts must come out right. Plus the answer table on its own, and
// the libcurl transport naming a refused connection and a silent server.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "kiosk/store/store.hpp"
#include "loopback.hpp"
#include "sync/client/classify.hpp"
#include "sync/client/curl_transport.hpp"
#include "sync/client/sync_worker.hpp"
#include "sync/common/heartbeat.hpp"
#include "sync/common/protocol.hpp"
#include "wait_for.hpp"

using namespace kiosk;
using namespace kiosk::sync;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kSecret(64, 'a');

HttpReply json_reply(long status, const nlohmann::json& body, HttpHeaders headers = {}) {
    HttpReply r;
    r.status = status;
    r.headers = std::move(headers);
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = body.dump();
    return r;
}
// The server's error shape: {"error": code, "message": for a person}.
HttpReply error_reply(long status, const std::string& code, const std::string& message, HttpHeaders headers = {}) {
    return json_reply(status, {{"error", code}, {"message", message}}, std::move(headers));
}
HttpReply no_answer(TransportError kind, const std::string& text) {
    HttpReply r;
    r.error = kind;
    r.error_text = text;
    return r;
}

std::vector<std::string> ids_in(const HttpRequest& q) {
    std::vector<std::string> ids;
    auto j = nlohmann::json::parse(q.body, nullptr, false);
    if (j.is_object() && j.contains("records"))
        for (auto& r : j["records"]) ids.push_back(r["id"]);
    return ids;
}

// Head office as a script. Rules answer first while they say so; then canned answers, each for
// the next request whose method and path start as expected; otherwise it answers as the real
// server does: every pushed record stored, empty pages, a health check. It checks every signed
// request's signature as head office would, and keeps every request with when it came.
class ScriptedHeadOffice final : public Transport {
public:
    using Rule = std::function<std::optional<HttpReply>(const HttpRequest&)>;
    struct Seen {
        HttpRequest request;
        HttpReply reply;
        Clock::time_point at;
    };

    void rule(Rule r) {
        std::lock_guard g(m_lock);
        m_rules.push_back(std::move(r));
    }
    void then(const std::string& method, const std::string& path, HttpReply reply) {
        std::lock_guard g(m_lock);
        m_steps.push_back({method, path, std::move(reply)});
    }
    // Head office works again: rules and what is left of the script go.
    void heal() {
        std::lock_guard g(m_lock);
        m_rules.clear();
        m_steps.clear();
    }
    void set_clock_ahead(int64_t s) { m_ahead = s; }
    std::vector<Seen> seen() {
        std::lock_guard g(m_lock);
        return m_seen;
    }
    std::vector<Seen> pushes() {
        std::vector<Seen> out;
        for (auto& s : seen())
            if (s.request.path == "/v1/push") out.push_back(s);
        return out;
    }
    int bad_signatures() const { return m_bad_signatures; }
    int64_t now() const { return static_cast<int64_t>(std::time(nullptr)) + m_ahead; }

    // Until opened, requests wait: the test hooks onto the worker before its first exchange.
    void open() {
        {
            std::lock_guard g(m_lock);
            m_open = true;
        }
        m_opened.notify_all();
    }

    HttpReply send(const HttpRequest& q) override {
        std::unique_lock g(m_lock);
        m_opened.wait(g, [&] { return m_open; });
        check_signature(q);
        HttpReply r = answer(q);
        m_seen.push_back({q, r, Clock::now()});
        return r;
    }

private:
    struct Step {
        std::string method, path;
        HttpReply reply;
    };
    HttpReply answer(const HttpRequest& q) {
        for (auto& rule : m_rules)
            if (auto r = rule(q)) return *r;
        if (!m_steps.empty() && m_steps.front().method == q.method && q.path.rfind(m_steps.front().path, 0) == 0) {
            HttpReply r = m_steps.front().reply;
            m_steps.pop_front();
            return r;
        }
        if (q.path == "/v1/health") return json_reply(200, {{"ok", true}, {"protocol", 1}, {"server_time", now()}});
        if (q.path == "/v1/push")
            return json_reply(200, {{"stored", ids_in(q)}, {"rejected", nlohmann::json::array()},
                                    {"conflicts", nlohmann::json::array()}, {"server_time", now()}});
        if (q.path.rfind("/v1/pull/", 0) == 0) {
            std::string dataset = q.path.substr(9, q.path.find('?') - 9);
            return json_reply(200, {{"dataset", dataset}, {"rows", nlohmann::json::array()}, {"cursor", 0}, {"more", false},
                                    {"server_time", now()}});
        }
        return error_reply(404, "not_found", "no such endpoint");
    }
    void check_signature(const HttpRequest& q) {
        if (q.path == "/v1/health" || q.path == "/v1/register") return;
        auto kiosk = q.header("X-Kiosk"), ts = q.header("X-Timestamp"), nonce = q.header("X-Nonce"), sig = q.header("X-Signature");
        if (!kiosk || *kiosk != "SG01/K1" || !ts || !nonce || !sig ||
            *sig != request_signature(kSecret, q.method, q.path, std::stoll(*ts), *nonce, q.body))
            ++m_bad_signatures;
    }

    std::mutex m_lock;
    std::condition_variable m_opened;
    bool m_open = false;
    std::vector<Rule> m_rules;
    std::deque<Step> m_steps;
    std::vector<Seen> m_seen;
    std::atomic<int> m_bad_signatures{0};
    std::atomic<int64_t> m_ahead{0};
};

struct TempDir {
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("kiosk-transport-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path path;
};

// A kiosk's store with `n` repairs in its outbox and its secret already kept (enrolled before),
// and a worker on it talking to a scripted head office.
struct Rig {
    TempDir dir;
    std::unique_ptr<Store> store;
    std::vector<std::string> saved;
    ScriptedHeadOffice* net = nullptr;  // owned by the worker
    std::unique_ptr<SyncWorker> worker;
    std::mutex history_lock;
    std::vector<SyncSnapshot> history;  // every snapshot the worker published

    // `script` gets the ids saved, oldest first, before the worker starts.
    using Script = std::function<void(ScriptedHeadOffice&, const std::vector<std::string>& saved)>;
    explicit Rig(int n, Script script = {}, std::function<void(SyncOptions&)> tune = {}) {
        auto opened = Store::open(dir.path / "kiosk.db", "SG01", "K1");
        REQUIRE(opened.ok());
        store = std::move(opened.value());
        REQUIRE(store->outbox().set_sync_setting("secret", kSecret).ok());
        for (int i = 0; i < n; ++i) saved.push_back(store->save_record("repair.request", 1, {{"n", i}, {"unit", "B1-101"}}).value().id);
        auto scripted = std::make_unique<ScriptedHeadOffice>();
        net = scripted.get();
        if (script) script(*net, saved);
        SyncOptions o;
        o.store_path = dir.path / "kiosk.db";
        o.site = "SG01";
        o.kiosk = "K1";
        o.backoff_first_s = 0.02;
        o.backoff_cap_s = 0.2;
        o.pull_every_s = 3600;
        if (tune) tune(o);
        auto w = SyncWorker::start(o, std::move(scripted));
        REQUIRE(w.ok());
        worker = std::move(w.value());
        worker->on_change([this] {
            std::lock_guard g(history_lock);
            history.push_back(worker->snapshot());
        });
        net->open();
    }
    ~Rig() { worker.reset(); }
    bool showed_offline_with(const std::string& text) {
        std::lock_guard g(history_lock);
        for (auto& s : history)
            if (!s.online && s.last_error.find(text) != std::string::npos) return true;
        return false;
    }
    std::set<std::string> outbox_ids() {
        std::set<std::string> ids;
        for (auto& e : store->outbox().outbox_batch(100000)) ids.insert(e.record_id);
        return ids;
    }
    // Every record head office was told about and acknowledged, from the requests themselves.
    std::multiset<std::string> acknowledged_ids() {
        std::multiset<std::string> ids;
        for (auto& p : net->pushes()) {
            auto j = nlohmann::json::parse(p.reply.body, nullptr, false);
            if (p.reply.status == 200 && j.is_object())
                for (auto& id : j["stored"]) ids.insert(id.get<std::string>());
        }
        return ids;
    }
};

}  // namespace

TEST_CASE("sync transport: the answer table: each status or failure maps to one action, a lone refused record to the dead letters", "[sync][transport]") {
    struct Row {
        HttpReply reply;
        Exchange exchange;
        size_t batch;
        Action action;
    };
    nlohmann::json ack{{"stored", {"SG01-K1-abcdef-00000001"}}, {"rejected", nlohmann::json::array()}, {"server_time", 1}};
    std::vector<Row> rows{
        {json_reply(200, ack), Exchange::Push, 4, Action::Ok},
        {json_reply(200, {{"ok", true}}), Exchange::Push, 4, Action::RetryBackoff},  // no ack
        {[] { HttpReply r; r.status = 200; r.body = "<html>portal</html>"; return r; }(), Exchange::Push, 4, Action::RetryBackoff},
        {json_reply(200, {{"rows", nlohmann::json::array()}, {"cursor", "7"}}), Exchange::Pull, 0, Action::RetryBackoff},
        {json_reply(200, {{"secret", 42}}), Exchange::Register, 0, Action::RetryBackoff},
        {json_reply(302, {}, {{"Location", "https://elsewhere/"}}), Exchange::Push, 4, Action::RetryBackoff},
        {error_reply(400, "bad_request", "expected {protocol, records: [...]}"), Exchange::Push, 4, Action::SplitBatch},
        {error_reply(400, "bad_request", "expected {protocol, records: [...]}"), Exchange::Push, 1, Action::DeadLetter},
        {error_reply(400, "protocol", "this head office speaks protocol 2"), Exchange::Push, 1, Action::RetryBackoff},
        {error_reply(400, "bad_request", "cursor and limit are integers"), Exchange::Pull, 0, Action::RetryBackoff},
        // A heartbeat is taken only with {"ok": true}; a refusal is never split or dead-lettered.
        {json_reply(200, {{"ok", true}, {"server_time", 1}}), Exchange::Heartbeat, 0, Action::Ok},
        {json_reply(200, {{"ok", "yes"}}), Exchange::Heartbeat, 0, Action::RetryBackoff},
        {error_reply(400, "bad_request", "field 'outbox' must be an integer"), Exchange::Heartbeat, 0, Action::RetryBackoff},
        {error_reply(404, "not_found", "no such route"), Exchange::Heartbeat, 0, Action::RetryBackoff},
        {error_reply(401, "unauthorised", "timestamp outside the 300 s window"), Exchange::Push, 4, Action::Reauthenticate},
        {error_reply(401, "unauthorised", "unknown kiosk or bad signature"), Exchange::Pull, 0, Action::Reauthenticate},
        {error_reply(403, "enrolment_refused", "code spent"), Exchange::Register, 0, Action::RetryBackoff},
        {error_reply(403, "forbidden", "by a gateway"), Exchange::Push, 1, Action::RetryBackoff},
        {error_reply(404, "pull", "no data set 'x'"), Exchange::Pull, 0, Action::RetryBackoff},
        {error_reply(404, "not_found", "wrong address"), Exchange::Push, 1, Action::RetryBackoff},
        {error_reply(408, "timeout", "request timeout"), Exchange::Push, 1, Action::RetryBackoff},
        {error_reply(409, "conflict", "refused"), Exchange::Push, 4, Action::SplitBatch},
        {error_reply(409, "conflict", "refused"), Exchange::Push, 1, Action::DeadLetter},
        {error_reply(413, "batch_too_large", "at most 1000 records a batch"), Exchange::Push, 4, Action::SplitBatch},
        {error_reply(413, "batch_too_large", "too large"), Exchange::Push, 1, Action::DeadLetter},
        {error_reply(429, "busy", "slow down", {{"Retry-After", "7"}}), Exchange::Push, 4, Action::RetryAfter},
        {error_reply(500, "internal", "the head office failed to answer; try again"), Exchange::Push, 1, Action::RetryBackoff},
        {error_reply(502, "bad_gateway", ""), Exchange::Push, 1, Action::RetryBackoff},
        {error_reply(503, "store_unavailable", "database is locked"), Exchange::Push, 1, Action::RetryAfter},
        {no_answer(TransportError::Connect, "Failed to connect"), Exchange::Push, 1, Action::RetryBackoff},
        {no_answer(TransportError::Timeout, "Operation timed out"), Exchange::Push, 1, Action::RetryBackoff},
        {no_answer(TransportError::Tls, "SSL certificate problem"), Exchange::Push, 1, Action::RetryBackoff},
        {no_answer(TransportError::Other, "Empty reply from server"), Exchange::Pull, 0, Action::RetryBackoff},
        {[] { HttpReply r; r.status = 100; return r; }(), Exchange::Push, 1, Action::RetryBackoff},
    };
    for (auto& row : rows) {
        Verdict v = classify(row.reply, row.exchange, row.batch);
        INFO("status " << row.reply.status << " error " << static_cast<int>(row.reply.error) << " batch " << row.batch
                       << ": rule '" << v.rule << "', " << v.why);
        CHECK(v.action == row.action);
        if (v.action != Action::Ok) CHECK_FALSE(v.why.empty());
    }
    // What staff read: the server's message, or libcurl's text.
    CHECK(classify(error_reply(503, "store_unavailable", "database is locked"), Exchange::Push, 1).why ==
          "HTTP 503: database is locked");
    CHECK(classify(no_answer(TransportError::Tls, "SSL certificate problem: self-signed certificate"), Exchange::Push, 1).why ==
          "SSL certificate problem: self-signed certificate");
    // Retry-After: whole seconds only; a date, a negative, a fraction or an absurd wait is ignored.
    std::vector<std::pair<std::string, double>> waits{{"7", 7}, {" 12 ", 12}, {"0", 0}, {"-5", -1}, {"1.5", -1}, {"nan", -1},
                                                      {"1e9", -1}, {"9999999999", -1}, {"Wed, 21 Oct 2026 07:28:00 GMT", -1}, {"", -1}};
    for (auto& [header, seconds] : waits) {
        INFO("Retry-After: '" << header << "'");
        CHECK(classify(error_reply(429, "busy", "", {{"retry-after", header}}), Exchange::Push, 1).retry_after_s == seconds);
    }
}

TEST_CASE("sync transport: a 200 ack deletes the acknowledged outbox rows, a rejected record goes to the dead letters, a conflict is kept", "[sync][transport]") {
    Rig rig(5, [](ScriptedHeadOffice& net, const std::vector<std::string>& saved) {
        std::string poison = saved[1], rival = saved[3];
        net.rule([&net, poison, rival](const HttpRequest& q) -> std::optional<HttpReply> {
            if (q.path != "/v1/push") return std::nullopt;
            auto ids = ids_in(q);
            nlohmann::json stored = nlohmann::json::array();
            for (auto& id : ids)
                if (id != poison) stored.push_back(id);
            return json_reply(200, {{"stored", stored},
                                    {"rejected", {{{"id", poison}, {"reason", "unknown record type 'mystery.kind'"}}}},
                                    {"conflicts", {{{"id", rival}, {"reason", "parcel_already_gone"}, {"winner", "SG01-K2-abcdef-00000001"}}}},
                                    {"server_time", net.now()}});
        });
    });
    std::string poison = rig.saved[1], rival = rig.saved[3];
    REQUIRE(rig.worker->wait_synced(10s));
    CHECK(rig.outbox_ids().empty());
    auto dead = rig.store->outbox().dead_letters();
    auto pushes = rig.net->pushes();
    REQUIRE_FALSE(pushes.empty());
    CHECK(rig.net->bad_signatures() == 0);
    CHECK(pushes[0].request.method == "POST");
    CHECK(pushes[0].request.header("Content-Type") == "application/json");
    CHECK(pushes[0].request.header("X-Kiosk") == "SG01/K1");
    CHECK(ids_in(pushes[0].request) == rig.saved);  // one batch, oldest first
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].record_id == poison);
    CHECK(dead[0].reason == "unknown record type 'mystery.kind'");
    auto conflicts = rig.store->outbox().sync_conflicts();
    REQUIRE(conflicts.size() == 1);
    CHECK(conflicts[0].record_id == rival);
    CHECK(conflicts[0].winner == "SG01-K2-abcdef-00000001");
    CHECK(rig.worker->acknowledged() == 4);
    CHECK(rig.worker->snapshot().online);
    CHECK(rig.worker->snapshot().dead_letters == 1);
    CHECK(rig.worker->retry_plan().failures == 0);
}

TEST_CASE("sync transport: answers that keep the batch: retried with the same records until head office takes them, none lost, the desk shows why", "[sync][transport]") {
    struct Case {
        const char* name;
        HttpReply reply;
        std::string shown;  // in the snapshot's last_error while it fails
    };
    std::vector<Case> cases{
        {"connect failure", no_answer(TransportError::Connect, "Failed to connect to 127.0.0.1 port 8700: Connection refused"),
         "Connection refused"},
        {"timeout", no_answer(TransportError::Timeout, "Operation timed out after 60000 milliseconds with 0 bytes received"),
         "timed out"},
        {"TLS", no_answer(TransportError::Tls, "SSL certificate problem: unable to get local issuer certificate"), "certificate"},
        {"408", error_reply(408, "timeout", "request timeout"), "HTTP 408: request timeout"},
        {"500", error_reply(500, "internal", "the head office failed to answer; try again"), "HTTP 500: the head office failed"},
        {"503", error_reply(503, "store_unavailable", "database is locked"), "HTTP 503: database is locked"},
        {"429 without Retry-After", error_reply(429, "busy", "slow down"), "HTTP 429: slow down"},
        {"403", error_reply(403, "forbidden", "blocked by the gateway"), "HTTP 403: blocked by the gateway"},
        {"404", [] { HttpReply r; r.status = 404; r.body = "<html>Not Found</html>"; return r; }(), "HTTP 404: <html>Not Found"},
        {"400 protocol", error_reply(400, "protocol", "this head office speaks protocol 2"), "speaks protocol 2"},
        {"200 without an ack", json_reply(200, {{"ok", true}}), "without an ack"},
        {"302", json_reply(302, {}, {{"Location", "https://elsewhere/"}}), "HTTP 302"},
    };
    for (auto& c : cases) {
        DYNAMIC_SECTION(c.name) {
            Rig rig(3, [&](ScriptedHeadOffice& net, const std::vector<std::string>&) {
                net.rule([r = c.reply](const HttpRequest& q) -> std::optional<HttpReply> {
                    if (q.path == "/v1/push") return r;
                    return std::nullopt;
                });
            });
            // It keeps trying on its own timer, and says so.
            REQUIRE(test::wait_until([&] { return rig.worker->retry_plan().failures >= 3; }, 10s));
            auto plan = rig.worker->retry_plan();
            CHECK_FALSE(plan.retry_after);
            CHECK(plan.delay_s <= 0.2);
            CHECK(rig.showed_offline_with(c.shown));
            CHECK_FALSE(rig.worker->snapshot().online);
            CHECK(rig.outbox_ids() == std::set<std::string>(rig.saved.begin(), rig.saved.end()));
            CHECK(rig.store->outbox().dead_letter_count() == 0);
            for (auto& p : rig.net->pushes()) CHECK(ids_in(p.request) == rig.saved);  // the same batch each time
            // Head office mends: everything arrives, once.
            rig.net->heal();
            REQUIRE(rig.worker->wait_synced(10s));
            CHECK(rig.outbox_ids().empty());
            CHECK(rig.acknowledged_ids() == std::multiset<std::string>(rig.saved.begin(), rig.saved.end()));
            CHECK(rig.worker->snapshot().online);
            CHECK(rig.worker->snapshot().last_error.empty());
            CHECK(rig.worker->retry_plan().failures == 0);
            CHECK(rig.net->bad_signatures() == 0);
        }
    }
}

TEST_CASE("sync transport: a 401 makes the kiosk re-read head office's time and sign with it", "[sync][transport]") {
    Rig rig(2, [](ScriptedHeadOffice& net, const std::vector<std::string>&) {
        net.set_clock_ahead(1000);  // head office's clock is 1000 s ahead of the kiosk's
        net.then("POST", "/v1/push", error_reply(401, "unauthorised", "timestamp outside the 300 s window; server_time 0"));
    });
    REQUIRE(rig.worker->wait_synced(10s));
    auto seen = rig.net->seen();
    REQUIRE(seen.size() >= 3);
    CHECK(seen[0].request.path == "/v1/push");
    CHECK(seen[0].reply.status == 401);
    CHECK(seen[1].request.path == "/v1/health");
    CHECK_FALSE(seen[1].request.header("X-Signature"));  // unsigned, as head office expects
    CHECK(seen[2].request.path == "/v1/push");
    CHECK(ids_in(seen[2].request) == rig.saved);
    int64_t signed_at = std::stoll(*seen[2].request.header("X-Timestamp"));
    CHECK(std::abs(signed_at - rig.net->now()) <= 5);  // head office's time, not the kiosk's
    CHECK(rig.showed_offline_with("HTTP 401: timestamp outside"));
    CHECK(rig.outbox_ids().empty());
    CHECK(rig.net->bad_signatures() == 0);
}

TEST_CASE("sync transport: a 429 with Retry-After holds the next attempt at least that long, even when a record is saved meanwhile", "[sync][transport]") {
    Rig rig(
        2, [](ScriptedHeadOffice& net, const std::vector<std::string>&) { net.then("POST", "/v1/push", error_reply(429, "busy", "slow down", {{"Retry-After", "1"}})); },
        [](SyncOptions& o) { o.backoff_cap_s = 5; });
    REQUIRE(test::wait_until([&] { return rig.worker->retry_plan().failures == 1; }, 10s));
    auto plan = rig.worker->retry_plan();
    CHECK(plan.retry_after);
    CHECK(plan.delay_s == 1.0);
    // A save meanwhile does not cut the wait short.
    auto late = rig.store->save_record("repair.request", 1, {{"n", 2}, {"unit", "B1-101"}}).value().id;
    rig.worker->wake();
    REQUIRE(rig.worker->wait_synced(10s));
    auto pushes = rig.net->pushes();
    REQUIRE(pushes.size() >= 2);
    auto resent = ids_in(pushes[1].request);
    REQUIRE(resent.size() >= 2);
    CHECK(std::vector<std::string>(resent.begin(), resent.begin() + 2) == rig.saved);  // the held batch, then the new save
    CHECK(rig.acknowledged_ids().count(late) == 1);
    CHECK(pushes[0].reply.status == 429);
    CHECK(pushes[1].at >= plan.next_attempt);
    CHECK(pushes[1].at - pushes[0].at >= 1s);
    CHECK(rig.outbox_ids().empty());
}

TEST_CASE("sync transport: a Retry-After longer than the backoff cap waits only the cap, and a 503's is honoured too", "[sync][transport]") {
    Rig rig(1, [](ScriptedHeadOffice& net, const std::vector<std::string>&) {
        net.rule([](const HttpRequest& q) -> std::optional<HttpReply> {
            if (q.path != "/v1/push") return std::nullopt;
            return error_reply(503, "store_unavailable", "maintenance", {{"Retry-After", "86400"}});
        });
    });
    REQUIRE(test::wait_until([&] { return rig.worker->retry_plan().failures >= 2; }, 10s));
    auto plan = rig.worker->retry_plan();
    CHECK(plan.retry_after);
    CHECK(plan.delay_s == 0.2);  // the rig's cap
    CHECK(rig.outbox_ids().size() == 1);
}

TEST_CASE("sync transport: a backlog goes in outbox order one push at a time, and a push whose answer is lost is sent again before anything after it", "[sync][transport]") {
    // While a push is in flight the worker reads the next batch ahead; a lost answer must not let
    // that batch overtake the one head office did not acknowledge.
    std::atomic<int> pushes_seen{0};
    Rig rig(23, [&](ScriptedHeadOffice& net, const std::vector<std::string>&) {
        net.rule([&](const HttpRequest& q) -> std::optional<HttpReply> {
            if (q.path == "/v1/push" && ++pushes_seen == 3) return error_reply(503, "store_unavailable", "database is locked");
            return std::nullopt;
        });
    }, [](SyncOptions& o) { o.batch_records = 5; });
    REQUIRE(rig.worker->wait_synced(10s));
    auto pushes = rig.net->pushes();
    REQUIRE(pushes.size() == 6);  // 5 + 5 + (5 lost) + 5 + 5 + 3
    CHECK(pushes[2].reply.status == 503);
    CHECK(ids_in(pushes[3].request) == ids_in(pushes[2].request));  // the lost batch again, first
    std::vector<std::string> stored_in_order;
    for (auto& p : pushes)
        if (p.reply.status == 200)
            for (auto& id : ids_in(p.request)) stored_in_order.push_back(id);
    CHECK(stored_in_order == rig.saved);  // each once, in the order they were saved
    CHECK(rig.outbox_ids().empty());
    CHECK(rig.worker->acknowledged() == 23);
    CHECK(rig.store->outbox().dead_letter_count() == 0);
}

TEST_CASE("sync transport: a 413 splits the batch and each half is sent again until every record is stored", "[sync][transport]") {
    Rig rig(5, [](ScriptedHeadOffice& net, const std::vector<std::string>&) {
        net.rule([](const HttpRequest& q) -> std::optional<HttpReply> {
            if (q.path == "/v1/push" && ids_in(q).size() > 2) return error_reply(413, "batch_too_large", "at most 2 records a batch");
            return std::nullopt;
        });
    });
    REQUIRE(rig.worker->wait_synced(10s));
    auto pushes = rig.net->pushes();
    REQUIRE(pushes.size() >= 3);
    CHECK(pushes[0].reply.status == 413);
    CHECK(ids_in(pushes[0].request).size() == 5);
    CHECK(ids_in(pushes[1].request) == std::vector<std::string>{rig.saved[0], rig.saved[1]});  // the first half
    for (auto& p : pushes)
        if (p.reply.status == 200) CHECK(ids_in(p.request).size() <= 2);
    CHECK(rig.outbox_ids().empty());
    CHECK(rig.store->outbox().dead_letter_count() == 0);
    CHECK(rig.acknowledged_ids() == std::multiset<std::string>(rig.saved.begin(), rig.saved.end()));
    CHECK(rig.worker->retry_plan().failures == 0);  // a split is not a failure to back off for
}

TEST_CASE("sync transport: a batch refused for one record's sake is halved until that record is alone, which goes to the dead letters", "[sync][transport]") {
    struct Case {
        const char* name;
        HttpReply reply;
        std::string reason;
    };
    std::vector<Case> cases{
        {"400", error_reply(400, "bad_request", "expected {protocol, records: [...]}"), "HTTP 400: expected {protocol, records: [...]}"},
        {"409", error_reply(409, "conflict", "record refused"), "HTTP 409: record refused"},
        {"413", error_reply(413, "batch_too_large", "the record is too large"), "HTTP 413: the record is too large"},
    };
    for (auto& c : cases) {
        DYNAMIC_SECTION(c.name) {
            Rig rig(4, [&](ScriptedHeadOffice& net, const std::vector<std::string>& saved) {
                net.rule([poison = saved[1], r = c.reply](const HttpRequest& q) -> std::optional<HttpReply> {
                    auto ids = ids_in(q);
                    if (q.path == "/v1/push" && std::find(ids.begin(), ids.end(), poison) != ids.end()) return r;
                    return std::nullopt;
                });
            });
            std::string poison = rig.saved[1];
            REQUIRE(rig.worker->wait_synced(10s));
            auto dead = rig.store->outbox().dead_letters();
            REQUIRE(dead.size() == 1);
            CHECK(dead[0].record_id == poison);
            CHECK(dead[0].reason == c.reason);
            CHECK(rig.outbox_ids().empty());
            auto acked = rig.acknowledged_ids();
            CHECK(acked.count(poison) == 0);
            CHECK(acked == std::multiset<std::string>{rig.saved[0], rig.saved[2], rig.saved[3]});
            // 4 refused, then its first half (2) refused, then the poison alone (1), dead-lettered.
            auto pushes = rig.net->pushes();
            REQUIRE(pushes.size() >= 3);
            CHECK(ids_in(pushes[0].request).size() == 4);
            CHECK(ids_in(pushes[1].request) == std::vector<std::string>{rig.saved[0], rig.saved[1]});
            CHECK(ids_in(pushes[2].request) == std::vector<std::string>{rig.saved[0]});
            CHECK(rig.worker->snapshot().dead_letters == 1);
            CHECK(rig.worker->retry_plan().failures == 0);
        }
    }
}

TEST_CASE("sync transport: libcurl names a refused connection and a server that never answers, and carries headers both ways", "[sync][transport]") {
    // A port that was free a moment ago: nothing listens there.
    int closed_port = 0;
    int fd = test::listen_on_loopback(closed_port);
    REQUIRE(fd >= 0);
    ::close(fd);
    auto refused = make_curl_transport({"http://127.0.0.1:" + std::to_string(closed_port), "", 1000, 15, 5});
    REQUIRE(refused.ok());
    auto r = refused.value()->send({"GET", "/v1/health", {}, ""});
    CHECK(r.error == TransportError::Connect);
    CHECK(r.status == 0);
    CHECK_FALSE(r.error_text.empty());

    // A server that accepts (the kernel's backlog does) and never says a word.
    int silent_port = 0;
    int silent = test::listen_on_loopback(silent_port);
    REQUIRE(silent >= 0);
    auto slow = make_curl_transport({"http://127.0.0.1:" + std::to_string(silent_port), "", 1000, 15, 1});
    REQUIRE(slow.ok());
    auto t = slow.value()->send({"POST", "/v1/push", {{"Content-Type", "application/json"}}, "{}"});
    ::close(silent);
    CHECK(t.error == TransportError::Timeout);
    CHECK(t.error_text.find("timed out") != std::string::npos);

    // A canned answer on the wire: our headers and body go out; the status, Retry-After and body come back.
    int port = 0;
    int listener = test::listen_on_loopback(port);
    REQUIRE(listener >= 0);
    std::string request;
    const std::string answer_body = R"({"error":"busy","message":"slow down"})";
    std::thread server([&] {
        int c = ::accept(listener, nullptr, nullptr);
        if (c < 0) return;
        char buf[4096];
        while (request.find("\r\n\r\n{\"n\":1}") == std::string::npos) {
            ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) break;
            request.append(buf, static_cast<size_t>(n));
        }
        std::string out = "HTTP/1.1 429 Too Many Requests\r\nretry-after: 3\r\nContent-Type: application/json\r\n"
                          "Content-Length: " + std::to_string(answer_body.size()) + "\r\nConnection: close\r\n\r\n" + answer_body;
        ::send(c, out.data(), out.size(), MSG_NOSIGNAL);
        ::close(c);
    });
    auto wire = make_curl_transport({"http://127.0.0.1:" + std::to_string(port), "", 1000, 15, 5});
    REQUIRE(wire.ok());
    auto a = wire.value()->send({"POST", "/v1/push", {{"Content-Type", "application/json"}, {"X-Kiosk", "SG01/K1"}}, R"({"n":1})"});
    server.join();
    ::close(listener);
    CHECK(request.rfind("POST /v1/push HTTP/1.1\r\n", 0) == 0);
    CHECK(request.find("\r\nX-Kiosk: SG01/K1\r\n") != std::string::npos);
    CHECK(request.find("\r\nExpect:") == std::string::npos);  // no 100-continue round trip
    CHECK(a.error == TransportError::None);
    CHECK(a.status == 429);
    CHECK(a.header("Retry-After") == "3");
    CHECK(a.body == answer_body);
    auto v = classify(a, Exchange::Push, 10);
    CHECK(v.action == Action::RetryAfter);
    CHECK(v.retry_after_s == 3);
    CHECK(v.why == "HTTP 429: slow down");
}

TEST_CASE("sync transport: heartbeats are signed, carry how the kiosk stands, keep their interval, and an old head office's 404 leaves sync alone", "[sync][transport][fleet]") {
    // The script's head office has no /v1/heartbeat: every heartbeat gets a 404.
    Rig rig(2, {}, [](SyncOptions& o) {
        o.heartbeat_every_s = 0.05;
        o.version = "9.9.9";
        o.restart_cause = "power";
        o.printer_state = [] { return std::string("offline"); };
    });
    auto heartbeats = [&] {
        std::vector<ScriptedHeadOffice::Seen> out;
        for (auto& s : rig.net->seen())
            if (s.request.path == "/v1/heartbeat") out.push_back(s);
        return out;
    };
    REQUIRE(rig.worker->wait_synced(10s));
    REQUIRE(test::wait_until([&] { return heartbeats().size() >= 4; }, 10s));
    auto seen = heartbeats();
    CHECK(rig.net->bad_signatures() == 0);
    for (size_t i = 1; i < seen.size(); ++i) CHECK(seen[i].at - seen[i - 1].at >= 45ms);
    auto body = nlohmann::json::parse(seen.back().request.body);
    CHECK(seen.back().request.method == "POST");
    CHECK(body["version"] == "9.9.9");
    CHECK(body["restart_cause"] == "power");
    CHECK(body["printer"] == "offline");
    CHECK(body["outbox"] == 0);
    CHECK(body["disk_total_bytes"].get<int64_t>() >= body["disk_free_bytes"].get<int64_t>());
    CHECK(body["last_sync"].get<int64_t>() > 0);
    sync::Heartbeat h;
    CHECK_FALSE(sync::read_heartbeat(body, h));  // what head office will check
    // Refused heartbeats: nothing counted as sent, nothing in the outbox, sync still online.
    CHECK(rig.worker->heartbeats_sent() == 0);
    CHECK(rig.outbox_ids().empty());
    CHECK(rig.worker->snapshot().online);
    CHECK(rig.worker->retry_plan().failures == 0);
}
