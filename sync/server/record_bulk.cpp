// Projections of a run of fresh records written together (apply_records): the cases they open,
// the parcels they register, hand over or return, each as a few multi-row statements, decided
// exactly as record by record would (record_types.cpp keeps the table and the one-by-one path).
#include <map>
#include <set>

#include "kiosk/core/parcels.hpp"
#include "sync/server/console_data.hpp"
#include "sync/server/headoffice_store.hpp"
#include "sync/server/record_types.hpp"

namespace kiosk::headoffice {

namespace {

// What a record of a run lost, {reason, winner} each; flagged in push order at the end.
using Lost = std::vector<std::pair<std::string, std::string>>;

void open_cases(SqlDb& db, const std::string& site, const std::vector<const IncomingRecord*>& records, std::vector<Lost>& lost) {
    std::vector<size_t> at;
    std::vector<SqlParams> rows;
    std::vector<std::string> tickets;
    for (size_t i = 0; i < records.size(); ++i) {
        const IncomingRecord* r = records[i];
        const RecordType* type = find_record_type(r->type);
        auto c = type && type->opens_case ? type->opens_case(r->payload) : std::nullopt;
        if (!c) continue;
        CaseRow due;  // what the console sorts and filters the case list on
        due.kind = c->kind;
        due.filed_at = c->filed_at;
        due.on_site_by = c->on_site_by;
        due.done_by = c->done_by;
        due.reply_by = c->reply_by;
        rows.push_back({site, c->ticket, r->id, c->kind, c->category, c->urgency ? SqlParam{*c->urgency} : SqlParam{nullptr},
                        c->filed_at, nullable(c->on_site_by), nullable(c->done_by), nullable(c->reply_by), case_due_at(due)});
        at.push_back(i);
        tickets.push_back(c->ticket);
    }
    if (rows.empty()) return;
    // In push order: of two records with one ticket, the first holds it, here as one by one.
    std::set<std::string> holders;
    for (auto& row : query_rows(db,
                                "INSERT INTO cases (site, ticket, record_id, kind, category, urgency, filed_at, on_site_by, done_by, "
                                "reply_by, due_at, status) VALUES ",
                                {}, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered')", rows, " ON CONFLICT DO NOTHING RETURNING record_id"))
        holders.insert(row.text(0));
    std::vector<SqlParams> taken;
    for (size_t k = 0; k < at.size(); ++k)
        if (!holders.count(records[at[k]]->id)) taken.push_back({tickets[k]});
    if (taken.empty()) return;
    std::map<std::string, std::string> holder_of;
    for (auto& row : query_rows(db, "SELECT ticket, record_id FROM cases WHERE site = ? AND ticket IN (", {site}, "?", taken, ")"))
        holder_of[row.text(0)] = row.text(1);
    for (size_t k = 0; k < at.size(); ++k)
        if (!holders.count(records[at[k]]->id)) lost[at[k]].emplace_back("ticket_taken", holder_of[tickets[k]]);
}

// Rows of one of a site's data sets, each new or changed with the next version: on PostgreSQL in
// multi-row statements (the keys differ: one push registers a parcel id once).
void put_site_rows(SqlDb& db, const std::string& site, const char* dataset, const std::vector<std::pair<std::string, std::string>>& rows) {
    if (std::string_view(db.dialect()) != "postgresql") {
        for (auto& [key, body] : rows) put_site_row(db, site, dataset, key, body);
        return;
    }
    std::vector<SqlParams> params;
    for (auto& [key, body] : rows) params.push_back({site, std::string(dataset), key, body});
    query_rows(db, "INSERT INTO site_rows (site, dataset, key, body, deleted, version) VALUES ", {},
               "(?, ?, ?, ?, 0, nextval('row_versions'))", params,
               " ON CONFLICT (site, dataset, key) DO UPDATE SET body = excluded.body, deleted = 0, version = excluded.version", false);
}

void register_parcels(SqlDb& db, const std::string& site, const std::string& kiosk, const std::vector<const IncomingRecord*>& records,
                      std::vector<Lost>& lost, PushResult& out) {
    std::vector<size_t> at;
    std::vector<SqlParams> rows;
    for (size_t i = 0; i < records.size(); ++i) {
        const RecordType* type = find_record_type(records[i]->type);
        if (!type || !type->registers_parcel) continue;
        const auto& p = records[i]->payload;
        rows.push_back({site, payload_text(p, "parcel_id"), payload_text(p, "pickup_code"), records[i]->id});
        at.push_back(i);
    }
    if (rows.empty()) return;
    std::set<std::string> holders;  // the records whose parcel id is theirs
    for (auto& row : query_rows(db, "INSERT INTO site_parcels (site, parcel_id, pickup_code, waiting, record_id) VALUES ", {},
                                "(?, ?, ?, 1, ?)", rows, " ON CONFLICT DO NOTHING RETURNING record_id"))
        holders.insert(row.text(0));
    std::vector<SqlParams> taken_ids, codes;
    std::set<std::string> not_reached;  // this run's holders, until the walk below reaches them
    for (size_t i : at) {
        const auto& r = *records[i];
        if (!holders.count(r.id)) taken_ids.push_back({payload_text(r.payload, "parcel_id")});
        else {
            not_reached.insert(r.id);
            if (!payload_text(r.payload, "pickup_code").empty()) codes.push_back({payload_text(r.payload, "pickup_code")});
        }
    }
    std::map<std::string, std::string> holder_of;  // parcel id -> the record holding it
    if (!taken_ids.empty())
        for (auto& row : query_rows(db, "SELECT parcel_id, record_id FROM site_parcels WHERE site = ? AND parcel_id IN (", {site}, "?",
                                    taken_ids, ")"))
            holder_of[row.text(0)] = row.text(1);
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> waiting_with;  // code -> {parcel id, record id}
    if (!codes.empty())
        for (auto& row : query_rows(db, "SELECT pickup_code, parcel_id, record_id FROM site_parcels WHERE site = ? AND waiting = 1 AND pickup_code IN (",
                                    {site}, "?", codes, ")"))
            waiting_with[row.text(0)].push_back({row.text(1), row.text(2)});
    // In push order, as one by one: a parcel's code clashes with a parcel waiting from before this
    // push or registered earlier in it (still holding the code), not with one later in it.
    std::vector<std::pair<std::string, std::string>> published;  // parcel id, body
    for (size_t i : at) {
        const IncomingRecord& r = *records[i];
        const auto& p = r.payload;
        std::string id = payload_text(p, "parcel_id"), code = payload_text(p, "pickup_code");
        if (!holders.count(r.id)) {
            // Another record made this parcel: this one is kept, flagged, and changes nothing of it.
            lost[i].emplace_back("parcel_id_taken", holder_of[id]);
            continue;
        }
        not_reached.erase(r.id);
        if (!code.empty()) {
            auto& with = waiting_with[code];
            auto clash = std::find_if(with.begin(), with.end(), [&](const auto& w) { return w.first != id && !not_reached.count(w.second); });
            if (clash != with.end()) {
                // Both kiosks drew the same code while apart. The first to arrive keeps it; this
                // parcel gets a new one, texted to its household and pulled by its kiosk.
                lost[i].emplace_back("pickup_code_clash", clash->second);
                code = free_site_code(db, site);
                db.exec("UPDATE site_parcels SET pickup_code = ? WHERE site = ? AND parcel_id = ?", {code, site, id});
                out.new_codes[r.id] = code;
                with.erase(std::remove_if(with.begin(), with.end(), [&](const auto& w) { return w.second == r.id; }), with.end());
                waiting_with[code].push_back({id, r.id});
            }
        }
        if (code.empty() || !p.contains("tracking") || !p.contains("registered_at")) continue;
        nlohmann::json b = {{"id", id}, {"kiosk", kiosk}, {"tracking", p["tracking"]}, {"carrier", p.value("carrier", "")},
                            {"unit", p.value("unit", "")}, {"shelf", p.value("shelf", "")}, {"consent", p.value("consent", false)},
                            {"registered_at", p["registered_at"]}, {"pickup_code", code}, {"status", "waiting"}, {"extra_days", 0}};
        published.emplace_back(id, b.dump());
    }
    put_site_rows(db, site, "parcels", published);
}

// Parcels handed over or returned: each parcel's claim to the first record (in push order, in
// this push or before), then the parcels it won no longer wait, and their rows say so.
void parcels_gone(SqlDb& db, const std::string& site, const std::vector<const IncomingRecord*>& records, std::vector<Lost>& lost) {
    struct Claim {
        size_t at;
        std::string parcel, claim;
    };
    std::vector<Claim> claims;
    std::vector<SqlParams> rows;
    for (size_t i = 0; i < records.size(); ++i) {
        const RecordType* type = find_record_type(records[i]->type);
        if (!type || !type->parcel_gone_as || !type->claim) continue;
        auto it = records[i]->payload.find(type->claim->key);
        std::vector<std::string> things;
        if (it != records[i]->payload.end() && it->is_string()) things.push_back(it->get<std::string>());
        if (it != records[i]->payload.end() && it->is_array())
            for (const auto& e : *it)
                if (e.is_string()) things.push_back(e.get<std::string>());
        for (auto& thing : things) {
            claims.push_back({i, thing, type->claim->prefix + thing});
            rows.push_back({site, claims.back().claim, records[i]->id});
        }
    }
    if (rows.empty()) return;
    std::set<std::pair<std::string, std::string>> inserted;  // {claim, record id}
    for (auto& row : query_rows(db, "INSERT INTO claims (site, claim, record_id) VALUES ", {}, "(?, ?, ?)", rows,
                                " ON CONFLICT DO NOTHING RETURNING claim, record_id"))
        inserted.insert({row.text(0), row.text(1)});
    // A record naming one parcel twice wins it once, as one by one.
    std::set<std::string> held;
    std::vector<bool> won(claims.size());
    std::vector<SqlParams> taken, gone;
    for (size_t k = 0; k < claims.size(); ++k) {
        won[k] = inserted.count({claims[k].claim, records[claims[k].at]->id}) && held.insert(claims[k].claim).second;
        if (won[k]) gone.push_back({claims[k].parcel});
        else taken.push_back({claims[k].claim});
    }
    std::map<std::string, std::string> holder_of;
    if (!taken.empty())
        for (auto& row : query_rows(db, "SELECT claim, record_id FROM claims WHERE site = ? AND claim IN (", {site}, "?", taken, ")"))
            holder_of[row.text(0)] = row.text(1);
    for (size_t k = 0; k < claims.size(); ++k)
        if (!won[k]) lost[claims[k].at].emplace_back(find_record_type(records[claims[k].at]->type)->claim->reason, holder_of[claims[k].claim]);
    if (gone.empty()) return;
    query_rows(db, "UPDATE site_parcels SET waiting = 0 WHERE site = ? AND parcel_id IN (", {site}, "?", gone, ")");
    std::map<std::string, std::string> bodies;
    for (auto& row : query_rows(db, "SELECT key, body FROM site_rows WHERE site = ? AND dataset = 'parcels' AND key IN (", {site}, "?", gone, ")"))
        bodies[row.text(0)] = row.text(1);
    std::vector<std::pair<std::string, std::string>> published;
    for (size_t k = 0; k < claims.size(); ++k) {
        auto body = bodies.find(claims[k].parcel);
        if (!won[k] || body == bodies.end()) continue;  // a parcel head office never saw registered
        auto b = nlohmann::json::parse(body->second, nullptr, false);
        if (!b.is_object() || b.empty()) continue;
        const auto& p = records[claims[k].at]->payload;
        auto [status, how] = find_record_type(records[claims[k].at]->type)->parcel_gone_as(p);
        b.erase("proxy");  // used up, or no longer any use
        b["status"] = status;
        b["collected_at"] = p.value("at", int64_t{0});
        b["how"] = how;
        published.emplace_back(claims[k].parcel, b.dump());
    }
    put_site_rows(db, site, "parcels", published);
}

}  // namespace

void apply_records(SqlDb& db, const std::string& site, const std::string& kiosk, const std::vector<const IncomingRecord*>& records,
                   PushResult& out) {
    std::vector<Lost> lost(records.size());
    open_cases(db, site, records, lost);
    register_parcels(db, site, kiosk, records, lost, out);
    parcels_gone(db, site, records, lost);
    for (size_t i = 0; i < records.size(); ++i)
        for (auto& [reason, winner] : lost[i]) flag_conflict(db, out, records[i]->id, reason, winner);
}

}  // namespace kiosk::headoffice
