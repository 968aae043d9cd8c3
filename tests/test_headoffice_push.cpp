// A push as head office stores it, on SQLite and PostgreSQL: each record judged on its own (one
// bad record is refused with its reason while the rest are stored, and at the kiosk it goes to
// the dead letters while the outbox moves on); a kiosk cannot take over another kiosk's parcel,
// loan, exit pass or case by reusing its id; two head-office servers on one database with kiosks
// of one site on both store every record once and hand out no clashing pickup codes.
#include <chrono>
#include <regex>
#include <cstdio>
#include <set>
#include <thread>
#include <tuple>

#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include "headoffice_fixture.hpp"
#include "sync/server/bounded_json.hpp"
#include "sync/server/push_body.hpp"
#include "sync/server/record_types.hpp"

using namespace kiosk;
using namespace std::chrono_literals;
using headoffice::IncomingRecord;

namespace {

IncomingRecord record(const std::string& kiosk, int seq, const std::string& type, const nlohmann::json& payload) {
    char id[48];
    std::snprintf(id, sizeof id, "SG01-%s-abcdef-%08d", kiosk.c_str(), seq);
    return {id, type, "2026-11-22T01:00:00Z", 1, seq, payload};
}

nlohmann::json parcel(const std::string& id, const std::string& code) {
    return {{"parcel_id", id}, {"pickup_code", code}, {"tracking", "SF" + id}, {"carrier", "sf"}, {"unit", "B1-102"},
            {"shelf", "A1"}, {"consent", true}, {"registered_at", 1795320000}};
}

nlohmann::json enquiry(int n) {
    return {{"ticket", "ZX-SG01-261122-K1-" + std::to_string(n)}, {"question", "停车费怎么交？"}, {"asked_at", 1795320000}};
}

std::string reason_for(const headoffice::PushResult& r, const std::string& id) {
    for (auto& [rid, why] : r.rejected)
        if (rid == id) return why;
    return {};
}

std::optional<headoffice::PushResult::Conflict> conflict_of(const headoffice::PushResult& r, const std::string& id) {
    for (auto& c : r.conflicts)
        if (c.id == id) return c;
    return std::nullopt;
}

// A pulled row of the site's data set, as kiosks would see it.
nlohmann::json pulled(headoffice::HeadOfficeStore& s, const std::string& dataset, const std::string& key) {
    auto page = s.pull("SG01", dataset, 0, 10000);
    REQUIRE(page.ok());
    for (auto& r : page.value().rows)
        if (r.key == key) return r.body;
    return nullptr;
}

}  // namespace

TEST_CASE("one bad parcel.registered among good records: the good ones are stored, the bad one is refused with its reason", "[sync][push]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice ho(backend);
    // A NUL in the parcel's id: PostgreSQL's text cannot hold it, and the batch used to fail whole.
    auto good1 = record("K1", 1, "enquiry.question", enquiry(1));
    auto bad = record("K1", 2, "parcel.registered", parcel(std::string("P261122K1\0" "01", 13), "482913"));
    auto good2 = record("K1", 3, "parcel.registered", parcel("P261122K1002", "482914"));
    auto good3 = record("K1", 4, "enquiry.question", enquiry(2));
    auto pushed = ho.store->push("SG01", "K1", {good1, bad, good2, good3});
    REQUIRE(pushed.ok());
    CHECK(pushed.value().stored == std::vector<std::string>{good1.id, good2.id, good3.id});
    CHECK(pushed.value().fresh.size() == 3);
    CHECK(reason_for(pushed.value(), bad.id).find("parcel_id") != std::string::npos);
    CHECK(ho.store->record_count("SG01") == 3);
    CHECK(pulled(*ho.store, "parcels", "P261122K1002").value("pickup_code", "") == "482914");

}

TEST_CASE("a kiosk's bad parcel.registered goes to its dead letters and its outbox moves on", "[sync][push]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    REQUIRE(kiosk->save_record("enquiry.question", 1, enquiry(1)).ok());
    auto bad = kiosk->save_record("parcel.registered", 1, parcel(std::string("P261122K1\0" "01", 13), "482913"));
    REQUIRE(bad.ok());
    REQUIRE(kiosk->save_record("enquiry.question", 1, enquiry(2)).ok());
    auto worker = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), ho.enrol("K1"));
    REQUIRE(worker->wait_synced(20s));
    CHECK(ho.store->record_count("SG01") == 2);
    CHECK(kiosk->outbox().outbox_depth() == 0);
    auto dead = kiosk->outbox().dead_letters();
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].record_id == bad.value().id);
    CHECK(dead[0].reason == "parcel.registered payload: parcel_id must not hold a NUL character");
}

TEST_CASE("a kiosk cannot overwrite another kiosk's parcel, loan, exit pass or case by reusing its id", "[sync][push][conflicts]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    nlohmann::json loan{{"loan_id", "L261122K1001"}, {"item", "umbrella"}, {"unit", "B1-101"}, {"borrower", "R001"},
                        {"lent_at", 1795320000}, {"due_at", 1795924800}};
    nlohmann::json pass{{"pass_id", "F261122K1001"}, {"unit", "B1-101"}, {"requester", "R001"},
                        {"items", nlohmann::json::array({nlohmann::json::array({"boxes", 3})})}, {"requested_at", 1795320000}};
    nlohmann::json complaint{{"ticket", "TS-SG01-261122-K1-001"}, {"kind", "attitude"}, {"filed_at", 1795320000}};
    auto p1 = record("K1", 1, "parcel.registered", parcel("P261122K1001", "111111"));
    auto l1 = record("K1", 2, "loan.lent", loan);
    auto f1 = record("K1", 3, "exit_pass.requested", pass);
    auto c1 = record("K1", 4, "complaint.case", complaint);
    REQUIRE(ho.store->push("SG01", "K1", {p1, l1, f1, c1}).value().conflicts.empty());

    // K2 sends records with K1's ids and its own contents.
    auto p2 = record("K2", 1, "parcel.registered", parcel("P261122K1001", "222222"));
    loan["unit"] = pass["unit"] = "B9-909";
    complaint["kind"] = "noise";
    auto l2 = record("K2", 2, "loan.lent", loan);
    auto f2 = record("K2", 3, "exit_pass.requested", pass);
    auto c2 = record("K2", 4, "complaint.case", complaint);
    auto handed = record("K2", 5, "parcel.handed_over", {{"parcels", {"P261122K1001"}}, {"how", "code"}, {"staff", "A02"}, {"at", 1795330000}});
    auto pushed = ho.store->push("SG01", "K2", {p2, l2, f2, c2});
    REQUIRE(pushed.ok());
    CHECK(pushed.value().stored.size() == 4);  // kept, flagged: nothing silently lost
    CHECK(pushed.value().new_codes.empty());
    auto flagged = [&](const IncomingRecord& r, const std::string& reason, const std::string& winner) {
        INFO(r.type);
        auto c = conflict_of(pushed.value(), r.id);
        REQUIRE(c);
        CHECK(c->reason == reason);
        CHECK(c->winner == winner);
    };
    flagged(p2, "parcel_id_taken", p1.id);
    flagged(l2, "loan_id_taken", l1.id);
    flagged(f2, "pass_id_taken", "");
    flagged(c2, "ticket_taken", c1.id);

    // K1's things are as K1 made them: its parcel's pickup code, its loan and pass, its case.
    auto row = pulled(*ho.store, "parcels", "P261122K1001");
    CHECK(row.value("pickup_code", "") == "111111");
    CHECK(row.value("kiosk", "") == "K1");
    CHECK(pulled(*ho.store, "loans", "L261122K1001").value("unit", "") == "B1-101");
    CHECK(pulled(*ho.store, "exit_passes", "F261122K1001").value("unit", "") == "B1-101");
    auto kase = ho.store->case_row("SG01", "TS-SG01-261122-K1-001");
    REQUIRE(kase);
    CHECK(kase->record_id == c1.id);
    CHECK(kase->category == "attitude");
    // K2's code is not K1's parcel's code: a resident told 222222 finds no parcel waiting under it.
    auto second = ho.store->push("SG01", "K2", {handed});
    REQUIRE(second.ok());
    CHECK(pulled(*ho.store, "parcels", "P261122K1001").value("pickup_code", "") == "111111");
}

TEST_CASE("two head-office servers on one database, kiosks of one site on both: every record once, no clashing pickup codes", "[sync][push][conflicts]") {
    auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    test::HeadOffice a(backend);
    test::HeadOffice b(backend, a.where);  // its own connection, as a second process has
    constexpr int kBatches = 20, kPerBatch = 25;
    // Both kiosks draw codes from the same few while apart: many clash.
    auto kiosk_pushes = [&](test::HeadOffice& ho, const std::string& kiosk, std::vector<std::string>& errors) {
        int seq = 0;
        for (int batch = 0; batch < kBatches; ++batch) {
            std::vector<IncomingRecord> rs;
            for (int i = 0; i < kPerBatch; ++i, ++seq) {
                std::string id = "P261122" + kiosk + std::to_string(1000 + seq);
                rs.push_back(record(kiosk, seq + 1, "parcel.registered", parcel(id, std::to_string(100000 + seq % 60))));
            }
            // Each batch twice: a lost ack, the same records again.
            for (int twice = 0; twice < 2; ++twice) {
                auto r = ho.store->push("SG01", kiosk, rs);
                if (!r) errors.push_back(r.error().detail);
                else if (!r.value().rejected.empty()) errors.push_back(r.value().rejected[0].second);
            }
        }
    };
    std::vector<std::string> e1, e2;
    std::thread t1([&] { kiosk_pushes(a, "K1", e1); });
    std::thread t2([&] { kiosk_pushes(b, "K2", e2); });
    t1.join();
    t2.join();
    CHECK(e1.empty());
    CHECK(e2.empty());
    CHECK(a.store->record_count("SG01") == 2 * kBatches * kPerBatch);
    auto page = a.store->pull("SG01", "parcels", 0, 10000);
    REQUIRE(page.ok());
    std::set<std::string> codes;
    int waiting = 0;
    for (auto& r : page.value().rows) {
        if (r.body.value("status", "") != "waiting") continue;
        ++waiting;
        CHECK(codes.insert(r.body.value("pickup_code", "")).second);
    }
    CHECK(waiting == 2 * kBatches * kPerBatch);
    // The other server sees the same rows.
    auto all = b.store->pull("SG01", "parcels", 0, 10000);
    REQUIRE(all.ok());
    CHECK(all.value().rows.size() == page.value().rows.size());
}

namespace {
// A signed GET the way a kiosk makes one.
httplib::Result signed_get(int port, const std::string& secret, const std::string& target) {
    httplib::Client c("127.0.0.1", port);
    int64_t ts = std::time(nullptr);
    std::string nonce = sync::random_hex(8);
    httplib::Headers h{{"X-Kiosk", "SG01/K1"},
                       {"X-Timestamp", std::to_string(ts)},
                       {"X-Nonce", nonce},
                       {"X-Signature", sync::request_signature(secret, "GET", target, ts, nonce, "")}};
    return c.Get(target.c_str(), h);
}

std::string enrolled_secret(test::HeadOffice& ho) {
    auto secret = ho.store->register_kiosk("SG01", "K1", ho.enrol("K1"));
    REQUIRE(secret.ok());
    return secret.value();
}
}  // namespace

TEST_CASE("a pulled page is bounded by bytes as well as rows, and the pages still hold every row once", "[sync][pull]") {
    test::HeadOffice ho;
    std::vector<DatasetRow> rows;
    for (int i = 0; i < 600; ++i) {
        std::string id = "N" + std::to_string(1000 + i);
        rows.push_back({id, {{"id", id}, {"title", {{"zh-CN", "通知"}}}, {"body", {{"zh-CN", std::string(3500, 'x')}}}}, false});
    }
    REQUIRE(ho.store->import_rows("SG01", "announcements", rows, true).ok());
    std::string secret = enrolled_secret(ho);
    std::set<std::string> seen;
    int64_t cursor = 0;
    int pages = 0;
    for (bool more = true; more; ++pages) {
        REQUIRE(pages < 50);
        auto r = signed_get(ho.port, secret, "/v1/pull/announcements?cursor=" + std::to_string(cursor) + "&limit=1000");
        REQUIRE(r);
        REQUIRE(r->status == 200);
        CHECK(r->body.size() <= (1u << 20));
        auto j = nlohmann::json::parse(r->body);
        for (auto& row : j["rows"])
            if (!row["deleted"].get<bool>()) CHECK(seen.insert(row["key"].get<std::string>()).second);  // the demo's notices go
        cursor = j["cursor"];
        more = j["more"];
    }
    CHECK(pages >= 3);  // 600 rows of 3.5 KB do not fit one 1 MiB page
    CHECK(seen.size() == 600);
}

TEST_CASE("when head office's store fails, the kiosk gets a short message and a log reference, not the database's words", "[sync][push]") {
    test::HeadOffice ho;
    std::string secret = enrolled_secret(ho);
    {
        SQLite::Database other(ho.where, SQLite::OPEN_READWRITE);
        other.exec("DROP TABLE records");
    }
    auto r = test::signed_post(ho.port, secret, R"({"protocol":1,"records":[)" +
                                                    nlohmann::json{{"id", "SG01-K1-x-00000001"}, {"type", "enquiry.question"}, {"schema_version", 1},
                                                                   {"created_at", "2026-11-22T01:00:00Z"}, {"local_seq", 1},
                                                                   {"payload", enquiry(1)}}
                                                        .dump() +
                                                    "]}",
                               std::time(nullptr), "store-fails-1");
    REQUIRE(r);
    INFO(r->body);
    CHECK(r->status == 503);
    auto j = nlohmann::json::parse(r->body);
    CHECK(j["error"] == "store_unavailable");
    CHECK(j["message"] == "the head office failed to answer; try again");
    CHECK(std::regex_match(j["ref"].get<std::string>(), std::regex("[0-9a-f]{12}")));
    CHECK(r->body.find("records") == std::string::npos);  // no table, no SQL, no exception text
    CHECK(r->body.find("SQL") == std::string::npos);
}

TEST_CASE("parcels sharing a code in one push: the second gets a new code, and once the first is collected a third keeps it", "[sync][push][conflicts]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    auto a = record("K1", 1, "parcel.registered", parcel("P261122K1001", "555555"));
    auto b = record("K1", 2, "parcel.registered", parcel("P261122K1002", "555555"));
    auto collected = record("K1", 3, "parcel.handed_over", {{"parcels", {"P261122K1001"}}, {"how", "code"}, {"staff", "A02"}, {"at", 1795330000}});
    auto c = record("K1", 4, "parcel.registered", parcel("P261122K1003", "555555"));
    auto again = record("K1", 5, "parcel.registered", parcel("P261122K1002", "666666"));  // a parcel id already registered
    auto pushed = ho.store->push("SG01", "K1", {a, b, collected, c, again});
    REQUIRE(pushed.ok());
    const auto& r = pushed.value();
    CHECK(r.stored.size() == 5);
    CHECK(r.fresh.size() == 5);
    // b arrived after a, which kept the code: b has a new one, texted and pulled.
    auto clash = conflict_of(r, b.id);
    REQUIRE(clash);
    CHECK(clash->reason == "pickup_code_clash");
    CHECK(clash->winner == a.id);
    REQUIRE(r.new_codes.count(b.id));
    CHECK(r.new_codes.at(b.id) != "555555");
    CHECK(pulled(*ho.store, "parcels", "P261122K1002").value("pickup_code", "") == r.new_codes.at(b.id));
    // a was collected before c came: c keeps 555555, and nobody else waits under it.
    CHECK_FALSE(conflict_of(r, c.id));
    CHECK(pulled(*ho.store, "parcels", "P261122K1003").value("pickup_code", "") == "555555");
    CHECK(pulled(*ho.store, "parcels", "P261122K1001").value("status", "") == "collected");
    // The same parcel id again: kept, flagged, and b's parcel is as b (and head office) made it.
    auto taken = conflict_of(r, again.id);
    REQUIRE(taken);
    CHECK(taken->reason == "parcel_id_taken");
    CHECK(taken->winner == b.id);
    CHECK(pulled(*ho.store, "parcels", "P261122K1002").value("pickup_code", "") == r.new_codes.at(b.id));
    // Conflicts come back in push order; the same push again gets the same answer.
    REQUIRE(r.conflicts.size() == 2);
    CHECK(r.conflicts[0].id == b.id);
    CHECK(r.conflicts[1].id == again.id);
    auto repeat = ho.store->push("SG01", "K1", {a, b, collected, c, again});
    REQUIRE(repeat.ok());
    CHECK(repeat.value().fresh.empty());
    REQUIRE(repeat.value().conflicts.size() == 2);
    CHECK(repeat.value().conflicts[0].winner == a.id);
    CHECK(repeat.value().conflicts[1].winner == b.id);
}

namespace {

// What head office answered of a push body before it was read in one pass (server.cpp until
// then): the whole body parsed into a JSON tree (parse_bounded), then walked.
struct BodyVerdict {
    std::string refusal;  // the 400/413 message, or "" when the records go to the store
    std::vector<std::tuple<std::string, std::string, int, std::string, int64_t, std::string>> records;  // id, type, version, at, seq, payload
    std::vector<std::pair<std::string, std::string>> malformed;
    bool operator==(const BodyVerdict&) const = default;
};

BodyVerdict by_tree(const std::string& body) {
    BodyVerdict v;
    std::string why;
    auto j = headoffice::parse_bounded(body, why);
    if (j.is_discarded()) return {why, {}, {}};
    if (!j.is_object() || !j.contains("records") || !j["records"].is_array()) return {"expected {protocol, records: [...]}", {}, {}};
    if (j.contains("protocol") && !j["protocol"].is_number_integer()) return {"field 'protocol' must be an integer", {}, {}};
    if (j.value("protocol", 0) != sync::kProtocolVersion) return {"protocol", {}, {}};
    if (j["records"].size() > static_cast<size_t>(sync::kMaxBatchRecords)) return {"batch_too_large", {}, {}};
    static const std::vector<std::pair<const char*, bool (nlohmann::json::*)() const noexcept>> kWants{
        {"type", &nlohmann::json::is_string}, {"schema_version", &nlohmann::json::is_number_integer},
        {"created_at", &nlohmann::json::is_string}, {"local_seq", &nlohmann::json::is_number_integer},
        {"payload", &nlohmann::json::is_object}};
    static const std::map<std::string, std::string> kKinds{{"type", "a string"}, {"schema_version", "an integer"},
                                                           {"created_at", "a string"}, {"local_seq", "an integer"},
                                                           {"payload", "an object"}};
    for (auto& r : j["records"]) {
        if (!r.is_object() || !r.contains("id") || !r["id"].is_string()) {
            v.malformed.push_back({"", "a record without an id"});
            continue;
        }
        std::string problem;
        for (auto& [field, is] : kWants)
            if (auto f = r.find(field); problem.empty() && f != r.end() && !((*f).*is)())
                problem = std::string("field '") + field + "' must be " + kKinds.at(field);
        if (!problem.empty()) {
            v.malformed.push_back({r["id"].get<std::string>(), problem});
            continue;
        }
        v.records.emplace_back(r["id"].get<std::string>(), r.value("type", ""), r.value("schema_version", 0), r.value("created_at", ""),
                               r.value("local_seq", int64_t{0}), r.contains("payload") ? r["payload"].dump() : "null");
    }
    return v;
}

BodyVerdict in_one_pass(const std::string& body) {
    auto b = headoffice::read_push_body(body, sync::kMaxBatchRecords);
    if (!b.not_json.empty()) return {b.not_json, {}, {}};
    if (!b.shaped) return {"expected {protocol, records: [...]}", {}, {}};
    if (b.protocol && !b.protocol->is_number_integer()) return {"field 'protocol' must be an integer", {}, {}};
    if ((b.protocol ? b.protocol->get<int>() : 0) != sync::kProtocolVersion) return {"protocol", {}, {}};
    if (b.record_count > static_cast<size_t>(sync::kMaxBatchRecords)) return {"batch_too_large", {}, {}};
    BodyVerdict v;
    for (auto& r : b.records) v.records.emplace_back(r.id, r.type, r.schema_version, r.created_at, r.local_seq, r.payload.dump());
    v.malformed = b.malformed;
    return v;
}

}  // namespace

TEST_CASE("a push body read in one pass gets the answers the whole JSON tree got: shapes, wrong types, repeated keys, depth", "[sync][push][hostile]") {
    std::string deep33 = std::string(29, '[') + std::string(29, ']');  // inside a payload: 33 deep in all
    std::string deep32 = std::string(28, '[') + std::string(28, ']');
    std::string many = R"({"protocol":1,"records":[)";
    for (int i = 0; i < 1001; ++i) many += (i ? ",1" : "1");
    many += "]}";
    const std::vector<std::string> bodies{
        R"({"protocol":1,"records":[]})",
        R"({"protocol":1,"records":[{"id":"SG01-K1-a-1","type":"repair.request","schema_version":1,"created_at":"2026-11-22T01:00:00Z","local_seq":7,"payload":{"unit":"B1-101","n":[1,{"a":null}],"x":1.5,"u":18446744073709551615}}]})",
        R"({"records":[{"id":"SG01-K1-a-1"}],"protocol":1})",                                  // protocol after the records
        R"({"records":[{"id":"SG01-K1-a-1"}]})",                                               // no protocol
        R"({"protocol":"one","records":[]})",
        R"({"protocol":1.0,"records":[]})",
        R"({"protocol":{"v":1},"records":[]})",
        R"({"protocol":2,"records":[]})",
        R"({"protocol":4294967297,"records":[]})",
        R"({"protocol":1,"records":{}})",
        R"({"protocol":1,"records":null})",
        R"({"protocol":1})",
        R"([{"protocol":1,"records":[]}])",
        R"("records")",
        R"({"protocol":1,"records":[1,"x",null,[{"id":"SG01-K1-a-2"}],{"id":5},{"type":"repair.request"},{"id":["SG01-K1-a-3"]}]})",
        R"({"protocol":1,"records":[{"id":"SG01-K1-a-7","type":5},{"id":"SG01-K1-a-8","type":"repair.request","local_seq":"x"}]})",
        R"({"protocol":1,"records":[{"id":"a","type":{"t":1}},{"id":"b","schema_version":1.5},{"id":"c","created_at":[]},{"id":"d","payload":[]},{"id":"e","payload":"{}"},{"id":"f","local_seq":true,"type":1}]})",
        R"({"protocol":1,"records":[{"id":"a","schema_version":-3,"local_seq":18446744073709551615,"payload":null}]})",
        R"({"protocol":1,"records":[{"id":"a","id":"b","payload":{"k":1},"payload":{"k":2,"k":3}}]})",  // the last of a key counts
        R"({"protocol":1,"records":[{"id":"a","id":7}]})",
        R"({"records":[{"id":"first"}],"protocol":1,"records":[{"id":"second"}]})",
        R"({"records":[{"id":"first"}],"protocol":1,"records":"none"})",
        R"({"protocol":"x","protocol":1,"records":[]})",
        R"({"protocol":1,"records":[],"other":{"records":[{"id":"nested"}],"protocol":"x"}})",
        R"({"protocol":1,"records":[{"id":"a","extra":{"payload":{"id":"no"}},"payload":{}}]})",
        R"({"protocol":1,"records":[{"id":"a","payload":{"d":)" + deep32 + "}}]}",
        R"({"protocol":1,"records":[{"id":"a","payload":{"d":)" + deep33 + "}}]}",
        R"({"protocol":1,"records":[],"x":)" + deep33 + "}",
        R"({"protocol":1,"records":[{"id":"a","payload":{"d":)" + deep33 + "}}",  // deeper than 32 before it breaks off
        R"({"protocol":1,"records":[{"id":"a"},})",
        R"({"protocol":1,"records":[{"id":"a"}]} trailing)",
        R"({"protocol":1,"records":[{"id":"caf\u00e9","payload":{"s":"\ud83d\ude00"}}]})",
        "{\"protocol\":1,\"records\":[{\"id\":\"\xff\"}]}",  // not UTF-8
        "",
        many,
    };
    for (const auto& body : bodies) {
        INFO(body.substr(0, 200));
        CHECK(in_one_pass(body) == by_tree(body));
    }
    // And what they are, for a few: not merely the same as each other.
    CHECK(in_one_pass(bodies[26]).refusal == "JSON nested deeper than 32");
    CHECK(in_one_pass(bodies[25]).records.size() == 1);
    CHECK(in_one_pass(bodies[29]).refusal == "not JSON");
    CHECK(in_one_pass(bodies[20]).malformed.empty());
    REQUIRE(in_one_pass(bodies[20]).records.size() == 1);
    CHECK(std::get<0>(in_one_pass(bodies[20]).records[0]) == "second");
    CHECK(std::get<5>(in_one_pass(bodies[18]).records[0]) == R"({"k":3})");
    CHECK(in_one_pass(many).refusal == "batch_too_large");
    auto wrong = in_one_pass(bodies[16]).malformed;
    REQUIRE(wrong.size() == 6);
    CHECK(wrong[0] == std::pair<std::string, std::string>{"a", "field 'type' must be a string"});
    CHECK(wrong[5] == std::pair<std::string, std::string>{"f", "field 'type' must be a string"});
}
