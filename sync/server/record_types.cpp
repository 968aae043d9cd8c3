#include "sync/server/record_types.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "kiosk/core/household.hpp"
#include "kiosk/core/parcels.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/headoffice_store.hpp"

// Sections: the payload's bounds; the projections, one per type that changes head office's
// tables; THE TABLE; walking it (validation, claims).

namespace kiosk::headoffice {

std::string payload_text(const nlohmann::json& p, const char* k) {
    auto it = p.find(k);
    return it != p.end() && it->is_string() ? it->get<std::string>() : std::string();
}

namespace {

using Kind = FieldRule::Kind;

// Bounds generous to what kiosks write (their own limits are tighter), tight to a hostile sender.
constexpr size_t kIdBytes = 100;          // record, parcel, pass, loan ids and tickets
constexpr size_t kShortBytes = 200;       // names, units, categories, codes
constexpr size_t kTextBytes = 8000;       // what a resident typed, a reason, a description
constexpr size_t kListBytes = 16 << 10;   // an exit pass's items, a survey's answers
constexpr size_t kSignatureBytes = 256 << 10;  // 4 000 points of [x, y] at most
constexpr size_t kPayloadBytes = 512 << 10;    // the whole payload, fields not listed included
constexpr size_t kParcelsPerHandOver = 500;

FieldRule id(const char* key) { return {key, Kind::Text, true, false, kIdBytes}; }
FieldRule text(const char* key, size_t max = kShortBytes) { return {key, Kind::Text, false, false, max}; }
FieldRule text_or_null(const char* key) { return {key, Kind::Text, false, true, kShortBytes}; }
FieldRule choice(const char* key, std::vector<std::string_view> values, bool required = false) {
    return {key, Kind::Text, required, false, kShortBytes, 0, INT64_MAX, std::move(values)};
}
FieldRule integer(const char* key, int64_t lo = 0, int64_t hi = INT64_MAX) { return {key, Kind::Integer, false, false, 0, lo, hi}; }
FieldRule flag(const char* key) { return {key, Kind::Flag}; }
FieldRule array(const char* key, size_t max_bytes, bool nullable = false) { return {key, Kind::List, false, nullable, max_bytes}; }
FieldRule object(const char* key, size_t max_bytes) { return {key, Kind::Object, true, false, max_bytes}; }
FieldRule ids(const char* key, size_t max_items) { return {key, Kind::Texts, true, false, max_items}; }

std::optional<int64_t> payload_int(const nlohmann::json& p, const char* k) {
    auto it = p.find(k);
    if (it == p.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
}


// ---- Projections -------------------------------------------------------------------------

// A thing (parcel, loan, pass, case) another record at the site already made: this record is
// kept and flagged, and changes nothing of the first one's (its row, its pickup code).
void id_taken(RecordContext& c, const char* reason, const std::optional<SqlRow>& first) {
    c.conflict(reason, first ? first->text(0) : std::string());
}

// A parcel collected or sent back: no longer waiting anywhere at the site (parcels_gone, below),
// its row saying how.
std::pair<std::string, std::string> parcel_collected(const nlohmann::json& p) { return {"collected", payload_text(p, "how")}; }
std::pair<std::string, std::string> parcel_sent_back(const nlohmann::json&) { return {"returned", "returned"}; }

// The household's one-time code for a neighbour, for every desk of the site; the newest
// replaces the one before, as at the kiosk that made it.
void parcel_proxy_issued(RecordContext& c, const std::vector<std::string>&) {
    const auto& p = c.record.payload;
    auto code = payload_text(p, "code");
    auto expires = p.find("expires_at");
    if (code.empty() || expires == p.end() || !expires->is_number_integer()) return;
    c.publish_row("parcels", payload_text(p, "parcel_id"), [&](nlohmann::json& b) {
        if (b.empty() || b.value("status", "") != "waiting") return;
        int64_t issued = expires->get<int64_t>() - kProxyCodeValidS;
        if (b.contains("proxy") && b["proxy"].value("issued_at", int64_t{0}) > issued) return;
        b["proxy"] = {{"code", code}, {"expires_at", *expires}, {"issued_at", issued}};
    });
}

void parcel_hold_extended(RecordContext& c, const std::vector<std::string>&) {
    const auto& p = c.record.payload;
    c.publish_row("parcels", payload_text(p, "parcel_id"), [&](nlohmann::json& b) {
        if (!b.empty()) b["extra_days"] = std::max(b.value("extra_days", 0), p.value("days", 0));
    });
}

void exit_pass_requested(RecordContext& c, const std::vector<std::string>&) {
    const auto& p = c.record.payload;
    if (payload_text(p, "pass_id").empty() || !p.contains("items") || !p.contains("requested_at")) return;
    bool taken = false;
    c.publish_row("exit_passes", payload_text(p, "pass_id"), [&](nlohmann::json& b) {
        if (!b.empty()) {
            taken = true;
            b = nlohmann::json::object();  // left as the first request made it
            return;
        }
        b = {{"id", payload_text(p, "pass_id")}, {"kiosk", c.kiosk}, {"unit", payload_text(p, "unit")}, {"requester", payload_text(p, "requester")},
             {"requester_role", payload_text(p, "requester_role")}, {"items", p["items"]}, {"date", payload_text(p, "date")},
             {"window", payload_text(p, "window")}, {"carrier", payload_text(p, "carrier")}, {"plate", payload_text(p, "plate")},
             {"requested_at", p["requested_at"]}, {"status", "pending"}};
    });
    if (taken) c.conflict("pass_id_taken", "");
}

void exit_pass_used(RecordContext& c, const std::vector<std::string>& won) {
    const auto& p = c.record.payload;
    for (const auto& id : won)
        c.publish_row("exit_passes", id, [&](nlohmann::json& b) {
            if (b.empty()) return;
            b["status"] = "used";
            b["used_at"] = p.value("at", int64_t{0});
        });
}

void exit_pass_reviewed(RecordContext& c, const std::vector<std::string>& won) {
    const auto& p = c.record.payload;
    for (const auto& id : won)
        c.publish_row("exit_passes", id, [&](nlohmann::json& b) {
            if (b.empty() || b.value("status", "") != "pending") return;
            b["status"] = payload_text(p, "decision");
            b["reason"] = payload_text(p, "reason");
            b["reviewed_by"] = payload_text(p, "staff");
            b["overridden"] = p.value("overridden", false);
            b["reviewed_at"] = p.value("at", int64_t{0});
        });
}

// Lent even when it was the last one twice over: the item is out of the door either way, and
// the record is flagged no_stock_left.
void loan_lent(RecordContext& c, const std::vector<std::string>&) {
    const auto& p = c.record.payload;
    std::string item = payload_text(p, "item"), id = payload_text(p, "loan_id");
    if (c.db.exec("INSERT INTO site_loans (site, loan_id, item, out, record_id) VALUES (?, ?, ?, 1, ?) ON CONFLICT DO NOTHING",
                  {c.site, id, item, c.record.id}) == 0)
        return id_taken(c, "loan_id_taken", c.db.row("SELECT record_id FROM site_loans WHERE site = ? AND loan_id = ?", {c.site, id}));
    if (auto item_row = live_site_row(c.db, c.site, "catalogue_items", item)) {
        // Out now, this loan among them.
        int64_t out_now = c.db.row("SELECT count(*) FROM site_loans WHERE site = ? AND item = ? AND out = 1", {c.site, item})->integer(0);
        const nlohmann::json& body = *item_row;
        auto stock = body.find("stock");
        if (stock != body.end() && stock->is_number_integer() && out_now > stock->get<int64_t>()) c.conflict("no_stock_left", "");
    }
    if (p.contains("lent_at") && p.contains("due_at"))
        c.publish_row("loans", id, [&](nlohmann::json& b) {
            if (!b.empty()) return;
            b = {{"id", id}, {"kiosk", c.kiosk}, {"item", item}, {"unit", payload_text(p, "unit")},
                 {"borrower", payload_text(p, "borrower")}, {"lent_at", p["lent_at"]}, {"due_at", p["due_at"]}, {"status", "out"}};
        });
}

void loan_returned(RecordContext& c, const std::vector<std::string>& won) {
    const auto& p = c.record.payload;
    for (const auto& id : won) {
        c.db.exec("UPDATE site_loans SET out = 0 WHERE site = ? AND loan_id = ?", {c.site, id});
        c.publish_row("loans", id, [&](nlohmann::json& b) {
            if (b.empty()) return;
            b["status"] = "returned";
            b["condition"] = payload_text(p, "condition");
            b["returned_at"] = p.value("at", int64_t{0});
            b["received_by"] = payload_text(p, "staff");
        });
    }
}

// A repair or complaint opens its case at head office (apply_records); one without what a case
// needs (its ticket, when it was filed) is stored, just not followed as a case.
std::optional<CaseOpening> repair_case(const nlohmann::json& p) {
    std::string ticket = payload_text(p, "ticket");
    auto filed = payload_int(p, "registered_at");
    if (ticket.empty() || !filed) return std::nullopt;
    return CaseOpening{ticket, "repair", payload_text(p, "category"), payload_text(p, "urgency"), *filed, payload_int(p, "on_site_by"),
                       payload_int(p, "done_by"), std::nullopt};
}

std::optional<CaseOpening> complaint_case(const nlohmann::json& p) {
    std::string ticket = payload_text(p, "ticket");
    auto filed = payload_int(p, "filed_at");
    if (ticket.empty() || !filed) return std::nullopt;
    return CaseOpening{ticket, "complaint", payload_text(p, "kind"), std::nullopt, *filed, std::nullopt, std::nullopt, payload_int(p, "reply_by")};
}

// An enquiry the kiosk could not answer is followed as a case too, answered later (domain.md).
std::optional<CaseOpening> enquiry_case(const nlohmann::json& p) {
    std::string ticket = payload_text(p, "ticket");
    auto asked = payload_int(p, "asked_at");
    if (ticket.empty() || !asked) return std::nullopt;
    return CaseOpening{ticket, "enquiry", "question", std::nullopt, *asked, std::nullopt, std::nullopt, std::nullopt};
}

// A resident's follow-up at a kiosk is recorded on the case (the first one counts).
void case_follow_up(RecordContext& c, const std::vector<std::string>&) {
    const auto& p = c.record.payload;
    std::string ticket = payload_text(p, "ticket");
    auto rating = payload_int(p, "rating");
    auto at = payload_int(p, "rated_at");
    if (ticket.empty() || !rating || !at) return;
    if (c.db.exec("UPDATE cases SET followed_up_at = ?, rating = ?, "
                  "status = CASE WHEN status = 'done' THEN 'followed_up' ELSE status END "
                  "WHERE site = ? AND ticket = ? AND followed_up_at IS NULL",
                  {*at, *rating, c.site, ticket}) == 1)
        publish_case_status(c.db, c.site, ticket);
}

// A wrong household PIN at one of the site's kiosks. Head office counts them per household over
// the site's kiosks; at kPinFailuresToLock in a day (by the kiosks' clocks, looking back from
// this one) the household's household_pins row is locked, so every kiosk refuses it after its
// next pull, until the desk issues a new PIN (household-pin, which also clears the count). A
// guess at a PIN the household no longer holds (its pin_ref is not the current hash's: an offline
// kiosk's, arriving after the desk issued a new one) is kept and counts for nothing.
void household_pin_failed(RecordContext& c, const std::vector<std::string>&) {
    const auto& p = c.record.payload;
    std::string unit = payload_text(p, "unit");
    auto at = payload_int(p, "at");
    if (unit.empty() || !at) return;
    // No live PIN row (none issued, or an import took it away): nothing to count or lock.
    auto pins = live_site_row(c.db, c.site, "household_pins", unit);
    if (!pins) return;
    if (std::string ref = payload_text(p, "pin_ref"); !ref.empty()) {
        std::string hash = payload_text(*pins, "pin_hash");
        if (hash.empty() || household_pin_ref(hash) != ref) return;
    }
    c.db.exec("INSERT INTO site_pin_failures (site, unit, at, record_id) VALUES (?, ?, ?, ?)", {c.site, unit, *at, c.record.id});
    int64_t recent = c.db.row("SELECT count(*) FROM site_pin_failures WHERE site = ? AND unit = ? AND at > ? AND at <= ?",
                              {c.site, unit, *at - kPinFailureWindowS, *at})
                         ->integer(0);
    if (recent < kPinFailuresToLock || household_pins_locked(*pins)) return;  // locked already: nothing new to pull
    (*pins)["locked"] = true;
    put_site_row(c.db, c.site, "household_pins", unit, pins->dump());
}

}  // namespace

// ---- THE TABLE ---------------------------------------------------------------------------
// Required fields are those a type's claim or projection keys on; the rest are checked when
// present. A repair without a ticket is kept, as before, just not followed as a case.

const std::vector<RecordType>& record_types() {
    static const std::vector<RecordType> table{
        {"parcel.registered", 1,
         {id("parcel_id"), text("pickup_code"), text("tracking"), text("carrier"), text("unit"), text("shelf"), flag("consent"),
          integer("registered_at"), text("notify")},
         std::nullopt, nullptr, nullptr, true},
        {"parcel.handed_over", 1,
         {ids("parcels", kParcelsPerHandOver), choice("how", {"code", "proxy", "household"}), text("staff"), integer("at"),
          array("signature", kSignatureBytes, true)},
         ClaimRule{"parcel:", "parcels", "parcel_already_gone"}, nullptr, nullptr, false, parcel_collected},
        {"parcel.returned", 1, {id("parcel_id"), text("staff"), integer("at")},
         ClaimRule{"parcel:", "parcel_id", "parcel_already_gone"}, nullptr, nullptr, false, parcel_sent_back},
        {"parcel.reminder", 1, {id("parcel_id"), text("unit"), text("stage"), integer("return_at"), text("notify")}},
        {"parcel.hold_extended", 1, {id("parcel_id"), text("unit"), integer("days", 0, 366), integer("return_at"), integer("at")},
         std::nullopt, parcel_hold_extended},
        {"parcel.proxy_issued", 1, {id("parcel_id"), text("unit"), text("code"), integer("expires_at")},
         std::nullopt, parcel_proxy_issued},
        {"exit_pass.requested", 1,
         {id("pass_id"), text("unit"), text("requester"), text("requester_role"), array("items", kListBytes), text("date"),
          text("window"), text("carrier"), text("plate"), integer("requested_at")},
         std::nullopt, exit_pass_requested},
        {"exit_pass.reviewed", 1,
         {id("pass_id"), choice("decision", {"approved", "rejected"}, true), text("reason", kTextBytes), text("staff"),
          flag("overridden"), integer("at")},
         ClaimRule{"exit_pass_reviewed:", "pass_id", "exit_pass_already_reviewed"}, exit_pass_reviewed},
        {"exit_pass.used", 1, {id("pass_id"), integer("at")},
         ClaimRule{"exit_pass_used:", "pass_id", "exit_pass_already_used"}, exit_pass_used},
        {"loan.lent", 1,
         {id("loan_id"), id("item"), text("unit"), text("borrower"), integer("deposit_cents"), integer("lent_at"), integer("due_at")},
         std::nullopt, loan_lent},
        {"loan.returned", 1, {id("loan_id"), text("condition"), text("staff"), integer("at")},
         ClaimRule{"loan_returned:", "loan_id", "loan_already_returned"}, loan_returned},
        {"repair.request", 1,
         {text("ticket", kIdBytes), text("category"), text("urgency"), text_or_null("unit"), text_or_null("public_area"),
          text("description", kTextBytes), text("contact_resident"), integer("registered_at"), integer("on_site_by"),
          integer("done_by"), integer("follow_up_by"), array("window", kShortBytes)},
         std::nullopt, nullptr, repair_case},
        {"complaint.case", 1,
         {id("ticket"), text("kind"), text("what", kTextBytes), text("where", kTextBytes), text("when", kTextBytes),
          text("about", kTextBytes), text("wants", kTextBytes), text("unit"), text("contact_resident"), integer("filed_at"),
          integer("reply_by")},
         std::nullopt, nullptr, complaint_case},
        {"case.follow_up", 1, {id("ticket"), integer("rating", 1, 5), text("comment", kTextBytes), integer("rated_at")},
         std::nullopt, case_follow_up},
        {"enquiry.question", 1, {id("ticket"), text("question", kTextBytes), text("phone"), integer("asked_at")},
         std::nullopt, nullptr, enquiry_case},
        {"household.pin_failed", 1, {id("unit"), integer("at"), text("pin_ref")}, std::nullopt, household_pin_failed},
        {kSurveyAnswer, 1, {id("survey"), text("household_key"), object("answers", kListBytes), text("unit"), integer("answered_at")}},
    };
    return table;
}

// ---- Walking the table -------------------------------------------------------------------

const RecordType* find_record_type(std::string_view name) {
    for (const RecordType& t : record_types())
        if (name == t.name) return &t;
    return nullptr;
}

std::optional<std::string> payload_problem(const RecordType& type, const nlohmann::json& p) { return payload_problem(type, p, nullptr); }

std::optional<std::string> payload_problem(const RecordType& type, const nlohmann::json& p, std::string* dumped) {
    if (!p.is_object()) return "payload is not an object";
    auto bad = [&](const FieldRule& f, const std::string& why) -> std::optional<std::string> {
        return std::string(type.name) + " payload: " + f.key + " " + why;
    };
    for (const FieldRule& f : type.fields) {
        auto it = p.find(f.key);
        if (it == p.end() || (f.nullable && it->is_null())) {
            if (f.required) return bad(f, "is missing");
            continue;
        }
        const nlohmann::json& v = *it;
        switch (f.kind) {
        case Kind::Text:
            if (!v.is_string()) return bad(f, "must be text");
            if (f.required && v.get_ref<const std::string&>().empty()) return bad(f, "must not be empty");
            // PostgreSQL's text holds no NUL, and a key or code with one is nobody's.
            if (v.get_ref<const std::string&>().find('\0') != std::string::npos) return bad(f, "must not hold a NUL character");
            if (v.get_ref<const std::string&>().size() > f.max) return bad(f, "must be at most " + std::to_string(f.max) + " bytes");
            if (!f.one_of.empty() && std::find(f.one_of.begin(), f.one_of.end(), v.get_ref<const std::string&>()) == f.one_of.end()) {
                std::string allowed;
                for (auto o : f.one_of) allowed += (allowed.empty() ? "" : ", ") + std::string(o);
                return bad(f, "must be one of " + allowed);
            }
            break;
        case Kind::Integer: {
            if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)))
                return bad(f, "must be a whole number");
            int64_t n = v.get<int64_t>();
            if (n < f.min_value) return bad(f, "must be at least " + std::to_string(f.min_value));
            if (n > f.max_value) return bad(f, "must be at most " + std::to_string(f.max_value));
            break;
        }
        case Kind::Flag:
            if (!v.is_boolean()) return bad(f, "must be true or false");
            break;
        case Kind::Texts:
            if (!v.is_array()) return bad(f, "must be a list");
            if (f.required && v.empty()) return bad(f, "must not be empty");
            if (v.size() > f.max) return bad(f, "must hold at most " + std::to_string(f.max) + " items");
            for (const auto& e : v)
                if (!e.is_string() || e.get_ref<const std::string&>().empty() || e.get_ref<const std::string&>().size() > kIdBytes ||
                    e.get_ref<const std::string&>().find('\0') != std::string::npos)
                    return bad(f, "must hold only ids");
            break;
        case Kind::Object:
        case Kind::List:
            if (f.kind == Kind::Object && !v.is_object()) return bad(f, "must be an object");
            if (f.kind == Kind::List && !v.is_array()) return bad(f, "must be a list");
            if (v.dump().size() > f.max) return bad(f, "must be at most " + std::to_string(f.max) + " bytes as JSON");
            break;
        }
    }
    std::string text = p.dump();
    if (text.size() > kPayloadBytes) return std::string(type.name) + " payload must be at most " + std::to_string(kPayloadBytes) + " bytes as JSON";
    if (dumped) *dumped = std::move(text);
    return std::nullopt;
}

void apply_record(RecordContext& ctx, const RecordType& type) {
    if (projects_in_bulk(type)) return apply_records(ctx.db, ctx.site, ctx.kiosk, {&ctx.record}, ctx.out);
    std::vector<std::string> won;
    if (type.claim) {
        auto it = ctx.record.payload.find(type.claim->key);
        std::vector<std::string> things;
        if (it != ctx.record.payload.end() && it->is_string()) things.push_back(it->get<std::string>());
        if (it != ctx.record.payload.end() && it->is_array())
            for (const auto& e : *it)
                if (e.is_string()) things.push_back(e.get<std::string>());
        for (const auto& thing : things)
            if (ctx.claim(type.claim->prefix + thing, type.claim->reason)) won.push_back(thing);
    }
    if (type.project) type.project(ctx, won);
}

bool projects_in_bulk(const RecordType& type) {
    return type.registers_parcel || type.parcel_gone_as || (!type.claim && !type.project);
}

bool keyed_only(const RecordType& type) { return !type.registers_parcel && !type.parcel_gone_as && !type.claim && !type.project; }

void flag_conflict(SqlDb& db, PushResult& out, const std::string& record_id, const std::string& reason, const std::string& winner) {
    db.exec("UPDATE records SET conflict = ?, conflict_winner = ? WHERE id = ?", {reason, winner, record_id});
    out.conflicts.push_back({record_id, reason, winner});
}

void RecordContext::conflict(const std::string& reason, const std::string& winner) { flag_conflict(db, out, record.id, reason, winner); }

bool RecordContext::claim(const std::string& what, const std::string& reason) {
    if (db.exec("INSERT INTO claims (site, claim, record_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", {site, what, record.id}) == 1)
        return true;
    conflict(reason, db.row("SELECT record_id FROM claims WHERE site = ? AND claim = ?", {site, what})->text(0));
    return false;
}

bool household_pins_locked(const nlohmann::json& body) {
    auto locked = body.find("locked");
    return locked != body.end() && (!locked->is_boolean() || locked->get<bool>());
}

std::optional<nlohmann::json> live_site_row(SqlDb& db, const std::string& site, const char* dataset, const std::string& key) {
    auto row = db.row("SELECT body FROM site_rows WHERE site = ? AND dataset = ? AND key = ? AND deleted = 0",
                      {site, std::string(dataset), key});
    if (!row) return std::nullopt;
    auto body = nlohmann::json::parse(row->text(0), nullptr, false);
    return body.is_object() ? body : nlohmann::json::object();
}

void RecordContext::publish_row(const char* dataset, const std::string& key, const std::function<void(nlohmann::json&)>& change) {
    auto row = db.row("SELECT body FROM site_rows WHERE site = ? AND dataset = ? AND key = ?", {site, std::string(dataset), key});
    nlohmann::json body = row ? nlohmann::json::parse(row->text(0), nullptr, false) : nlohmann::json::object();
    if (!body.is_object()) body = nlohmann::json::object();
    change(body);
    if (body.empty()) return;  // a record about a thing head office never saw begin
    put_site_row(db, site, dataset, key, body.dump());
}

std::string RecordContext::free_site_code() { return headoffice::free_site_code(db, site); }

std::string free_site_code(SqlDb& db, const std::string& site) {
    for (int tries = 0; tries < 50; ++tries) {
        std::string code = sync::random_digits(6);
        if (!db.row("SELECT 1 FROM site_parcels WHERE site = ? AND pickup_code = ? AND waiting = 1", {site, code})) return code;
    }
    throw std::runtime_error("no free pickup code at site " + site);
}

void put_site_row(SqlDb& db, const std::string& site, const char* dataset, const std::string& key, const std::string& body) {
    // PostgreSQL: the version drawn in the same statement, a round trip fewer per row.
    if (std::string_view(db.dialect()) == "postgresql")
        db.exec("INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES (?, ?, ?, ?, 0, nextval('row_versions')) "
                "ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, deleted = 0, version = excluded.version",
                {site, std::string(dataset), key, body});
    else
        db.exec("INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES (?, ?, ?, ?, 0, ?) "
                "ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, deleted = 0, version = excluded.version",
                {site, std::string(dataset), key, body, next_row_version(db)});
}

int64_t next_row_version(SqlDb& db) {
    if (std::string_view(db.dialect()) == "postgresql") return db.row("SELECT nextval('row_versions')")->integer(0);
    return db.row("UPDATE versions SET value = value + 1 WHERE name = 'rows' RETURNING value")->integer(0);
}

void publish_case_status(SqlDb& db, const std::string& site, const std::string& ticket) {
    auto c = db.row("SELECT status, severity FROM cases WHERE site = ? AND ticket = ?", {site, ticket});
    if (!c) return;
    nlohmann::json body{{"ticket", ticket}, {"status", c->text(0)}, {"severity", c->null(1) ? nlohmann::json() : nlohmann::json(c->text(1))}};
    put_site_row(db, site, "case_status", ticket, body.dump());
}

}  // namespace kiosk::headoffice
