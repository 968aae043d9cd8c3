// Head office's table of record types, walked: every type a kiosk writes has a row and a sample
// of each as the kiosk writes it is stored; a record of no known type, or whose payload does not
// hold what its row says, is refused with its reason on its own while the rest of its push is
// stored; a refused record acts on nothing.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "headoffice_fixture.hpp"
#include "sync/server/record_types.hpp"

using namespace kiosk;
using namespace std::chrono_literals;
using headoffice::FieldRule;
using headoffice::IncomingRecord;
using Kind = FieldRule::Kind;

namespace {

// One payload per type as the kiosk writes it (kiosk/store), ids and all.
const std::map<std::string, nlohmann::json>& samples() {
    static const std::map<std::string, nlohmann::json> s{
        {"parcel.registered",
         {{"parcel_id", "P261122K1001"}, {"pickup_code", "482913"}, {"tracking", "SF6000000001"}, {"carrier", "sf"},
          {"unit", "B1-102"}, {"shelf", "A1"}, {"consent", true}, {"registered_at", 1795320000}, {"notify", "parcel_arrived"}}},
        {"parcel.handed_over",
         {{"parcels", {"P261122K1001"}}, {"how", "code"}, {"staff", "B01"}, {"at", 1795330000},
          {"signature", {{{10, 10}, {200, 40}, {400, 90}}}}}},
        {"parcel.returned", {{"parcel_id", "P261122K1002"}, {"staff", "B01"}, {"at", 1795330000}}},
        {"parcel.reminder",
         {{"parcel_id", "P261122K1001"}, {"unit", "B1-102"}, {"stage", "reminded"}, {"return_at", 1795900000}, {"notify", "parcel_reminder"}}},
        {"parcel.hold_extended",
         {{"parcel_id", "P261122K1001"}, {"unit", "B1-102"}, {"days", 3}, {"return_at", 1796000000}, {"at", 1795325000}}},
        {"parcel.proxy_issued", {{"parcel_id", "P261122K1001"}, {"unit", "B1-102"}, {"code", "77123456"}, {"expires_at", 1795410000}}},
        {"exit_pass.requested",
         {{"pass_id", "F261122K1001"}, {"unit", "B1-101"}, {"requester", "R001"}, {"requester_role", "owner"},
          {"items", nlohmann::json::array({nlohmann::json::array({"boxes", 3})})}, {"date", "2026-11-22"}, {"window", "morning"}, {"carrier", "self"}, {"plate", ""},
          {"requested_at", 1795320000}}},
        {"exit_pass.reviewed",
         {{"pass_id", "F261122K1001"}, {"decision", "approved"}, {"reason", ""}, {"staff", "A01"}, {"overridden", false},
          {"at", 1795321000}}},
        {"exit_pass.used", {{"pass_id", "F261122K1001"}, {"at", 1795322000}}},
        {"loan.lent",
         {{"loan_id", "L261122K1001"}, {"item", "wheelchair"}, {"unit", "B1-101"}, {"borrower", "R001"}, {"deposit_cents", 20000},
          {"lent_at", 1795320000}, {"due_at", 1795924800}}},
        {"loan.returned", {{"loan_id", "L261122K1001"}, {"condition", "good"}, {"staff", "A01"}, {"at", 1795400000}}},
        {"repair.request",
         {{"ticket", "BX-SG01-261122-K1-001"}, {"category", "electrical"}, {"urgency", "appointment"}, {"unit", "B1-101"},
          {"public_area", nullptr}, {"description", "插座没电"}, {"contact_resident", "R001"}, {"registered_at", 1795320000},
          {"on_site_by", 1795406400}, {"done_by", 1795579200}, {"window", {1795400000, 1795407200}}}},
        {"complaint.case",
         {{"ticket", "TS-SG01-261122-K1-001"}, {"kind", "attitude"}, {"what", "门卫态度差"}, {"where", "大堂"}, {"when", "昨晚"},
          {"about", "security"}, {"wants", "道歉"}, {"unit", "B1-101"}, {"contact_resident", "R001"}, {"filed_at", 1795320000},
          {"reply_by", 1795492800}}},
        {"case.follow_up", {{"ticket", "BX-SG01-261122-K1-001"}, {"rating", 4}, {"comment", "修好了"}, {"rated_at", 1795600000}}},
        {"enquiry.question", {{"ticket", "ZX-SG01-261122-K1-001"}, {"question", "停车费怎么交？"}, {"phone", "13800138000"}, {"asked_at", 1795320000}}},
        {"household.pin_failed", {{"unit", "B1-102"}, {"at", 1795320000}}},
        {"survey.answer",
         {{"survey", "2026Q4"}, {"household_key", "5f1c0a"}, {"answers", {{"overall", 5}, {"security", 4}}}, {"answered_at", 1795320000}}},
    };
    return s;
}

// The types kiosk/store saves records of, read from its source as a reviewer would grep it.
std::set<std::string> types_the_kiosk_writes() {
    std::set<std::string> types;
    std::regex saved(R"re(save_record\("([a-z_]+\.[a-z_]+)")re");
    for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(KIOSK_ASSETS) / ".." / "kiosk" / "store")) {
        if (f.path().extension() != ".cpp") continue;
        std::ifstream in(f.path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (std::sregex_iterator m(text.begin(), text.end(), saved), end; m != end; ++m) types.insert((*m)[1]);
    }
    return types;
}

IncomingRecord record(const std::string& type, const nlohmann::json& payload) {
    static int seq = 0;
    char id[40];
    std::snprintf(id, sizeof id, "SG01-K1-abcdef-%08d", ++seq);
    return {id, type, "2026-11-22T01:00:00Z", 1, seq, payload};
}

// A value of the wrong kind for a field, and one just too large (or nothing when its kind has no bound).
nlohmann::json wrong_kind(Kind k) {
    switch (k) {
    case Kind::Text: return 42;
    case Kind::Integer: return "tomorrow";
    case Kind::Flag: return "yes";
    case Kind::Texts: return "P261122K1001";
    case Kind::List: return "boxes";
    case Kind::Object: return nlohmann::json::array({5});
    }
    return nullptr;
}
std::optional<nlohmann::json> too_large(const FieldRule& f) {
    switch (f.kind) {
    case Kind::Text: return std::string(f.max + 1, 'x');
    case Kind::Integer:
        if (f.max_value == INT64_MAX) return f.min_value - 1;
        return f.max_value + 1;
    case Kind::Texts: return nlohmann::json(std::vector<std::string>(f.max + 1, "P261122K1001"));
    case Kind::List: return nlohmann::json::array({std::string(f.max, 'x')});
    case Kind::Object: return nlohmann::json{{"q", std::string(f.max, 'x')}};
    case Kind::Flag: return std::nullopt;
    }
    return std::nullopt;
}

std::string reason_for(const headoffice::PushResult& r, const std::string& id) {
    for (auto& [rid, why] : r.rejected)
        if (rid == id) return why;
    return {};
}

bool stored(const headoffice::PushResult& r, const std::string& id) {
    return std::find(r.stored.begin(), r.stored.end(), id) != r.stored.end();
}

}  // namespace

TEST_CASE("every record type a kiosk writes has a row in head office's table, and one as the kiosk writes it is stored", "[sync][record_types]") {
    auto written = types_the_kiosk_writes();
    REQUIRE(written.size() >= 16);  // the grep found the kiosk's saves
    std::set<std::string> rows;
    for (const auto& t : headoffice::record_types()) {
        CHECK(rows.insert(t.name).second);  // one row per type
        CHECK(headoffice::find_record_type(t.name) == &t);
    }
    for (const auto& t : written) {
        INFO("the kiosk writes " << t);
        CHECK(rows.count(t));
    }
    for (const auto& t : rows) {
        INFO("head office takes " << t);
        CHECK(samples().count(t));
    }

    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    std::vector<IncomingRecord> batch;
    for (const auto& [type, payload] : samples()) batch.push_back(record(type, payload));
    auto pushed = ho.store->push("SG01", "K1", batch);
    REQUIRE(pushed.ok());
    for (const auto& [id, why] : pushed.value().rejected) FAIL_CHECK(id << " refused: " << why);
    CHECK(pushed.value().stored.size() == samples().size());
    CHECK(ho.store->record_count("SG01") == static_cast<int64_t>(samples().size()));
}

TEST_CASE("a record of a type head office does not know goes to the kiosk's dead letters with its reason, and the others of its push are stored", "[sync][record_types]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    REQUIRE(kiosk->save_record("repair.request", 1, samples().at("repair.request")).ok());
    auto mystery = kiosk->save_record("mystery.kind", 1, {{"n", 1}});
    REQUIRE(mystery.ok());
    REQUIRE(kiosk->save_record("enquiry.question", 1, samples().at("enquiry.question")).ok());

    auto worker = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), ho.enrol("K1"));
    REQUIRE(worker->wait_synced(20s));
    CHECK(ho.store->record_count("SG01") == 2);
    CHECK(ho.store->record_count("SG01", "repair.request") == 1);
    CHECK(ho.store->record_count("SG01", "enquiry.question") == 1);
    auto dead = kiosk->outbox().dead_letters();
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].record_id == mystery.value().id);
    CHECK(dead[0].reason == "unknown record type 'mystery.kind'");
    CHECK(kiosk->outbox().outbox_depth() == 0);
}

TEST_CASE("a payload without what its type's row says is refused on its own, for every type and field, and acts on nothing", "[sync][record_types]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    // Each broken record goes up with a good one, which is stored.
    auto refused = [&](const std::string& type, const nlohmann::json& payload) {
        auto bad = record(type, payload), good = record("enquiry.question", samples().at("enquiry.question"));
        auto pushed = ho.store->push("SG01", "K1", {bad, good});
        REQUIRE(pushed.ok());
        CHECK(stored(pushed.value(), good.id));
        CHECK_FALSE(stored(pushed.value(), bad.id));
        CHECK(pushed.value().stored.size() == 1);
        return reason_for(pushed.value(), bad.id);
    };
    int64_t before = ho.store->record_count("SG01");
    int broken = 0;
    for (const auto& type : headoffice::record_types()) {
        const nlohmann::json& sample = samples().at(type.name);
        for (const FieldRule& f : type.fields) {
            INFO(type.name << " " << f.key);
            std::string expect = std::string(type.name) + " payload: " + f.key + " ";
            nlohmann::json p = sample;
            p[f.key] = wrong_kind(f.kind);
            CHECK(refused(type.name, p).rfind(expect + "must be", 0) == 0);
            ++broken;
            if (auto big = too_large(f)) {
                p[f.key] = *big;
                CHECK(refused(type.name, p).rfind(expect + "must", 0) == 0);
                ++broken;
            }
            if (f.required) {
                p.erase(f.key);
                CHECK(refused(type.name, p) == expect + "is missing");
                ++broken;
            }
        }
    }
    CHECK(ho.store->record_count("SG01") == before + broken);  // only the good ones

    // In the trade's words.
    auto handed = samples().at("parcel.handed_over");
    handed["parcels"] = "P261122K1001";
    CHECK(refused("parcel.handed_over", handed) == "parcel.handed_over payload: parcels must be a list");
    auto rated = samples().at("case.follow_up");
    rated["rating"] = 9;
    CHECK(refused("case.follow_up", rated) == "case.follow_up payload: rating must be at most 5");
    auto review = samples().at("exit_pass.reviewed");
    review["decision"] = "maybe";
    CHECK(refused("exit_pass.reviewed", review) == "exit_pass.reviewed payload: decision must be one of approved, rejected");
    CHECK(refused("survey.answer", nlohmann::json::array()) == "payload is not an object");
    auto padded = samples().at("enquiry.question");
    padded["notes"] = std::string(600 << 10, 'x');  // a field no row names is bounded by the payload's size
    CHECK(refused("enquiry.question", padded) == "enquiry.question payload must be at most 524288 bytes as JSON");

    // A refused return claimed nothing: the loan's first well-formed return wins, with no conflict.
    REQUIRE(ho.store->push("SG01", "K1", {record("loan.lent", samples().at("loan.lent"))}).ok());
    auto late = samples().at("loan.returned");
    late["at"] = "later";
    CHECK_FALSE(refused("loan.returned", late).empty());
    auto returned = ho.store->push("SG01", "K1", {record("loan.returned", samples().at("loan.returned"))});
    REQUIRE(returned.ok());
    CHECK(returned.value().stored.size() == 1);
    CHECK(returned.value().conflicts.empty());
}
