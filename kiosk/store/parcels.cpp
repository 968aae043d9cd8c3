// Parcels the desk keeps for households: registered with a pickup code, handed over once.
#include <SQLiteCpp/Transaction.h>

#include "kiosk/core/parcels.hpp"
#include "kiosk/store/store.hpp"

namespace kiosk {

namespace {

constexpr const char* kParcelColumns =
    "id, tracking, carrier, unit_id, recipient_masked, shelf, pickup_code, status, consent, extra_days, "
    "registered_at, coalesce(collected_at, 0), coalesce(origin_kiosk, '')";

Parcel parcel_from(SQLite::Statement& q) {
    Parcel p;
    p.id = q.getColumn(0).getString();
    p.tracking = q.getColumn(1).getString();
    p.carrier = q.getColumn(2).getString();
    p.unit_id = q.getColumn(3).getString();
    p.recipient_masked = q.getColumn(4).getString();
    p.shelf = q.getColumn(5).getString();
    p.pickup_code = q.getColumn(6).getString();
    p.status = q.getColumn(7).getString();
    p.consent = q.getColumn(8).getInt() != 0;
    p.extra_days = q.getColumn(9).getInt();
    p.registered_at = q.getColumn(10).getInt64();
    p.collected_at = q.getColumn(11).getInt64();
    p.held_at = q.getColumn(12).getString();
    return p;
}

std::vector<Parcel> parcels_where(SQLite::Database& db, const std::string& where, const std::string& arg = {}) {
    SQLite::Statement q(db, std::string("SELECT ") + kParcelColumns + " FROM parcels WHERE " + where);
    if (!arg.empty()) q.bind(1, arg);
    std::vector<Parcel> out;
    while (q.executeStep()) out.push_back(parcel_from(q));
    return out;
}

// A 6-digit code no waiting parcel and no live proxy code holds. With a million codes and a
// shelf of a few hundred parcels, a second draw is rare and a tenth unheard of.
std::string free_code(SQLite::Database& db, std::time_t now) {
    SQLite::Statement taken(db,
                            "SELECT 1 FROM parcels WHERE status = 'waiting' AND pickup_code = ?1 UNION ALL "
                            "SELECT 1 FROM parcel_proxy_codes WHERE code = ?1 AND used_at IS NULL AND revoked = 0 "
                            "AND expires_at > ?2 UNION ALL "
                            "SELECT 1 FROM parcels WHERE status = 'waiting' AND proxy_code = ?1 AND proxy_expires_at > ?2");
    for (int tries = 0; tries < 20; ++tries) {
        std::string code = new_pickup_code();
        taken.bind(1, code);
        taken.bind(2, static_cast<int64_t>(now));
        if (!taken.executeStep()) return code;
        taken.reset();
    }
    throw std::runtime_error("no free pickup code");
}

}  // namespace

bool ParcelRepository::household_consents_to_custody(const std::string& unit_id) {
    SQLite::Statement q(*m_db, "SELECT 1 FROM parcel_consent WHERE unit_id = ?");
    q.bind(1, unit_id);
    return q.executeStep();
}

Result<Parcel> ParcelRepository::register_parcel(const ParcelIntake& in, std::time_t at) {
    if (auto problem = parcel_intake_problem(in)) return Error{*problem, "parcel intake refused"};
    auto u = m_store.household().unit(in.unit_id);
    if (!u) return Error{"parcel.error.unit", "no unit " + in.unit_id};
    auto members = m_store.household().members(in.unit_id);

    Parcel p;
    p.tracking = in.tracking;
    p.carrier = in.carrier;
    p.unit_id = in.unit_id;
    p.shelf = in.shelf;
    p.recipient_masked = members.empty() ? std::string() : members.front().name_masked;
    p.consent = household_consents_to_custody(in.unit_id);
    p.status = "waiting";
    p.registered_at = at;
    nlohmann::json payload{{"tracking", p.tracking}, {"carrier", p.carrier}, {"unit", p.unit_id},
                           {"shelf", p.shelf},       {"consent", p.consent}, {"registered_at", at},
                           {"notify", "parcel_arrived"}};
    auto saved = save_record("parcel.registered", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json& pl) {
        SQLite::Statement dup(db, "SELECT id, status FROM parcels WHERE carrier = ? AND tracking = ?");
        dup.bind(1, p.carrier);
        dup.bind(2, p.tracking);
        if (dup.executeStep())
            throw RecordRefused("parcel.error.duplicate", "tracking number already registered",
                                dup.getColumn(0).getString());
        p.id = next_short_id("P", at);
        p.pickup_code = free_code(db, at);
        pl["parcel_id"] = p.id;
        pl["pickup_code"] = p.pickup_code;  // head office texts it to the household
        SQLite::Statement ins(db,
                              "INSERT INTO parcels (id, record_id, tracking, carrier, unit_id, recipient_masked, shelf, "
                              "pickup_code, consent, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, p.id);
        ins.bind(2, rec.id);
        ins.bind(3, p.tracking);
        ins.bind(4, p.carrier);
        ins.bind(5, p.unit_id);
        ins.bind(6, p.recipient_masked);
        ins.bind(7, p.shelf);
        ins.bind(8, p.pickup_code);
        ins.bind(9, p.consent ? 1 : 0);
        ins.bind(10, static_cast<int64_t>(at));
        ins.exec();
    });
    if (!saved) return saved.error();
    return p;
}

Result<Ok> ParcelRepository::return_parcel_to_sender(const std::string& id, const std::string& staff_no, std::time_t at) {
    nlohmann::json payload{{"parcel_id", id}, {"staff", staff_no}, {"at", at}};
    auto saved = save_record("parcel.returned", 1, payload, [&](SQLite::Database& db, const SavedRecord&, nlohmann::json&) {
        SQLite::Statement up(db,
                             "UPDATE parcels SET status = 'returned', collected_at = ?, collected_how = 'returned', "
                             "handed_by = ? WHERE id = ? AND status = 'waiting'");
        up.bind(1, static_cast<int64_t>(at));
        up.bind(2, staff_no);
        up.bind(3, id);
        if (up.exec() != 1) throw RecordRefused("parcel.error.gone", "parcel " + id + " is not waiting", id);
    });
    if (!saved) return saved.error();
    return Ok{};
}

int ParcelRepository::queue_parcel_reminders(std::time_t now, const ParcelLimits& limits) {
    int queued = 0;
    // Only the parcels registered here: the kiosk holding a parcel reminds its household.
    for (const Parcel& p : parcels_where(*m_db, "status = 'waiting' AND record_id IS NOT NULL ORDER BY registered_at, id")) {
        ParcelStage stage = parcel_stage(p.registered_at, now, limits, p.extra_days);
        if (stage != ParcelStage::Remind && stage != ParcelStage::Overdue && stage != ParcelStage::ReturnSoon) continue;
        std::string stage_id(parcel_stage_id(stage));
        SQLite::Statement seen(*m_db, "SELECT 1 FROM parcel_reminders WHERE parcel_id = ? AND stage = ?");
        seen.bind(1, p.id);
        seen.bind(2, stage_id);
        if (seen.executeStep()) continue;
        nlohmann::json payload{{"parcel_id", p.id}, {"unit", p.unit_id}, {"stage", stage_id},
                               {"return_at", parcel_return_at(p.registered_at, limits, p.extra_days)},
                               {"notify", "parcel_reminder"}};
        auto saved = save_record("parcel.reminder", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json&) {
            SQLite::Statement ins(db, "INSERT INTO parcel_reminders (parcel_id, stage, record_id) VALUES (?, ?, ?)");
            ins.bind(1, p.id);
            ins.bind(2, stage_id);
            ins.bind(3, rec.id);
            ins.exec();
        });
        if (saved) ++queued;
    }
    return queued;
}

DeskCounts ParcelRepository::desk_counts(std::time_t day_start, std::time_t now, const ParcelLimits& limits) {
    SQLite::Statement q(*m_db,
                        "SELECT coalesce(sum(registered_at >= ?1), 0), coalesce(sum(collected_at >= ?1), 0), "
                        "coalesce(sum(status = 'waiting'), 0), "
                        "coalesce(sum(status = 'waiting' AND registered_at + (?3 + extra_days) * 86400 <= ?2), 0) "
                        "FROM parcels");
    q.bind(1, static_cast<int64_t>(day_start));
    q.bind(2, static_cast<int64_t>(now));
    q.bind(3, limits.overdue_after);
    DeskCounts c;
    if (q.executeStep()) {
        c.parcels_registered_today = q.getColumn(0).getInt();
        c.parcels_handed_over_today = q.getColumn(1).getInt();
        c.parcels_waiting = q.getColumn(2).getInt();
        c.parcels_overdue = q.getColumn(3).getInt();
    }
    SQLite::Statement o(*m_db,
                        "SELECT (SELECT count(*) FROM exit_passes WHERE status = 'pending'), "
                        "coalesce(sum(status = 'out'), 0), coalesce(sum(status = 'out' AND due_at < ?), 0) FROM loans");
    o.bind(1, static_cast<int64_t>(now));
    if (o.executeStep()) {
        c.exit_passes_pending = o.getColumn(0).getInt();
        c.loans_out = o.getColumn(1).getInt();
        c.loans_overdue = o.getColumn(2).getInt();
    }
    return c;
}

std::optional<CodeMatch> ParcelRepository::parcel_for_code(const std::string& code, std::time_t now) {
    // Two waiting parcels share a code only for a moment: one registered here offline, the other
    // at another kiosk that reached head office first. The code is the other's (head office texted
    // it for that one and gives this kiosk's a new code), so a parcel from elsewhere comes first.
    auto own = parcels_where(*m_db, "status = 'waiting' AND pickup_code = ? ORDER BY record_id IS NULL DESC, registered_at", code);
    if (!own.empty()) return CodeMatch{own.front(), false};
    SQLite::Statement q(*m_db,
                        "SELECT parcel_id FROM parcel_proxy_codes WHERE code = ? AND used_at IS NULL AND revoked = 0 "
                        "AND expires_at > ?");
    q.bind(1, code);
    q.bind(2, static_cast<int64_t>(now));
    while (q.executeStep()) {
        auto p = parcel(q.getColumn(0).getString());
        if (p && p->status == "waiting") return CodeMatch{*p, true};
    }
    // A proxy code the household made at another kiosk of the site.
    SQLite::Statement elsewhere(*m_db, "SELECT id FROM parcels WHERE status = 'waiting' AND proxy_code = ? AND proxy_expires_at > ?");
    elsewhere.bind(1, code);
    elsewhere.bind(2, static_cast<int64_t>(now));
    if (elsewhere.executeStep()) return CodeMatch{*parcel(elsewhere.getColumn(0).getString()), true};
    return std::nullopt;
}

std::optional<Parcel> ParcelRepository::parcel(const std::string& id) {
    auto found = parcels_where(*m_db, "id = ?", id);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::optional<Parcel> ParcelRepository::parcel_by_tracking(const std::string& tracking) {
    auto found = parcels_where(*m_db, "tracking = ? ORDER BY registered_at DESC", tracking);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<Parcel> ParcelRepository::waiting_parcels() { return parcels_where(*m_db, "status = 'waiting' ORDER BY registered_at, id"); }

std::vector<Parcel> ParcelRepository::household_parcels(const std::string& unit_id) {
    return parcels_where(*m_db, "status = 'waiting' AND unit_id = ? ORDER BY registered_at, id", unit_id);
}

Result<Ok> ParcelRepository::hand_over_parcels(const std::vector<std::string>& ids, const std::string& how,
                                   const std::string& staff_no, std::time_t at) {
    auto r = hand_over_parcels(HandOver{ids, how, staff_no, {}, nullptr, {}}, at);
    if (!r) return r.error();
    return Ok{};
}

Result<std::string> ParcelRepository::hand_over_parcels(const HandOver& h, std::time_t at) {
    if (h.ids.empty()) return Error{"parcel.error.none", "no parcels to hand over"};
    if (h.how != "code" && h.how != "proxy" && h.how != "household")
        return Error{"parcel.error.none", "unknown hand-over " + h.how};
    bool signed_ = !h.signature.is_null();
    if (signed_ != !h.signature_png.empty()) return Error{"pickup.signature.bad", "signature strokes without picture"};
    nlohmann::json payload{{"parcels", h.ids}, {"how", h.how}, {"staff", h.staff_no}, {"at", at}};
    if (signed_) payload["signature"] = h.signature;
    auto saved = save_record("parcel.handed_over", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json&) {
        SQLite::Statement up(db,
                             "UPDATE parcels SET status = 'collected', collected_at = ?, collected_how = ?, handed_by = ? "
                             "WHERE id = ? AND status = 'waiting'");
        for (auto& id : h.ids) {
            up.bind(1, static_cast<int64_t>(at));
            up.bind(2, h.how);
            up.bind(3, h.staff_no);
            up.bind(4, id);
            if (up.exec() != 1) throw RecordRefused("parcel.error.gone", "parcel " + id + " is not waiting", id);
            up.reset();
        }
        if (h.how == "proxy") {
            SQLite::Statement use(db,
                                  "UPDATE parcel_proxy_codes SET used_at = ?1 WHERE code = ?2 AND parcel_id = ?3 "
                                  "AND used_at IS NULL AND revoked = 0 AND expires_at > ?1");
            use.bind(1, static_cast<int64_t>(at));
            use.bind(2, h.proxy_code);
            use.bind(3, h.ids.front());
            SQLite::Statement use_pulled(db,
                                         "UPDATE parcels SET proxy_code = NULL WHERE id = ?1 AND proxy_code = ?2 "
                                         "AND proxy_expires_at > ?3");
            use_pulled.bind(1, h.ids.front());
            use_pulled.bind(2, h.proxy_code);
            use_pulled.bind(3, static_cast<int64_t>(at));
            if (h.ids.size() != 1 || use.exec() + use_pulled.exec() == 0)
                throw RecordRefused("pickup.proxy_gone", "proxy code no longer valid", h.ids.front());
        }
        if (signed_) {
            SQLite::Statement sig(db, "INSERT INTO parcel_signatures (record_id, strokes, png) VALUES (?, ?, ?)");
            sig.bind(1, rec.id);
            sig.bind(2, h.signature.dump());
            sig.bind(3, h.signature_png.data(), static_cast<int>(h.signature_png.size()));
            sig.exec();
        }
    });
    if (!saved) return saved.error();
    return saved.value().id;
}

std::optional<std::string> ParcelRepository::signature_strokes(const std::string& record_id) {
    SQLite::Statement q(*m_db, "SELECT strokes FROM parcel_signatures WHERE record_id = ?");
    q.bind(1, record_id);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
}

std::vector<unsigned char> ParcelRepository::signature_png(const std::string& record_id) {
    SQLite::Statement q(*m_db, "SELECT png FROM parcel_signatures WHERE record_id = ?");
    q.bind(1, record_id);
    if (!q.executeStep()) return {};
    auto col = q.getColumn(0);
    auto* b = static_cast<const unsigned char*>(col.getBlob());
    return std::vector<unsigned char>(b, b + col.getBytes());
}

Result<Parcel> ParcelRepository::extend_parcel_hold(const std::string& id, const std::string& unit_id, const ParcelLimits& limits,
                                         std::time_t at) {
    auto p = parcel(id);
    if (!p || p->unit_id != unit_id || p->status != "waiting")
        return Error{"parcel.error.gone", "parcel " + id + " is not waiting for this household", id};
    if (p->extra_days > 0) return Error{"myparcels.extended_once", "hold already extended", id};
    nlohmann::json payload{{"parcel_id", id},
                           {"unit", unit_id},
                           {"days", limits.extend_days},
                           {"return_at", parcel_return_at(p->registered_at, limits, limits.extend_days)},
                           {"at", at}};
    auto saved = save_record("parcel.hold_extended", 1, payload, [&](SQLite::Database& db, const SavedRecord&, nlohmann::json&) {
        SQLite::Statement up(db,
                             "UPDATE parcels SET extra_days = ? WHERE id = ? AND unit_id = ? AND status = 'waiting' "
                             "AND extra_days = 0");
        up.bind(1, limits.extend_days);
        up.bind(2, id);
        up.bind(3, unit_id);
        if (up.exec() != 1) throw RecordRefused("myparcels.extended_once", "hold already extended", id);
    });
    if (!saved) return saved.error();
    return *parcel(id);
}

Result<ProxyCode> ParcelRepository::issue_proxy_code(const std::string& parcel_id, const std::string& unit_id, std::time_t at) {
    ProxyCode pc;
    pc.parcel_id = parcel_id;
    pc.issued_at = at;
    pc.expires_at = at + kProxyCodeValidS;
    nlohmann::json payload{{"parcel_id", parcel_id}, {"unit", unit_id}, {"expires_at", pc.expires_at}};
    auto saved = save_record("parcel.proxy_issued", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json& pl) {
        SQLite::Statement own(db, "SELECT 1 FROM parcels WHERE id = ? AND unit_id = ? AND status = 'waiting'");
        own.bind(1, parcel_id);
        own.bind(2, unit_id);
        if (!own.executeStep())
            throw RecordRefused("parcel.error.gone", "parcel " + parcel_id + " is not waiting for this household", parcel_id);
        SQLite::Statement revoke(db,
                                 "UPDATE parcel_proxy_codes SET revoked = 1 WHERE parcel_id = ? AND used_at IS NULL "
                                 "AND revoked = 0");
        revoke.bind(1, parcel_id);
        revoke.exec();
        SQLite::Statement revoke_pulled(db, "UPDATE parcels SET proxy_code = NULL, proxy_expires_at = NULL WHERE id = ?");
        revoke_pulled.bind(1, parcel_id);  // one made at another kiosk goes too
        revoke_pulled.exec();
        pc.code = free_code(db, at);
        // For the site's other desks, through head office; stripped from this copy once it has it.
        pl["code"] = pc.code;
        SQLite::Statement ins(db,
                              "INSERT INTO parcel_proxy_codes (code, parcel_id, record_id, issued_at, expires_at) "
                              "VALUES (?, ?, ?, ?, ?)");
        ins.bind(1, pc.code);
        ins.bind(2, parcel_id);
        ins.bind(3, rec.id);
        ins.bind(4, static_cast<int64_t>(pc.issued_at));
        ins.bind(5, static_cast<int64_t>(pc.expires_at));
        ins.exec();
    });
    if (!saved) return saved.error();
    return pc;
}

std::optional<ProxyCode> ParcelRepository::active_proxy_code(const std::string& parcel_id, std::time_t now) {
    SQLite::Statement q(*m_db,
                        "SELECT code, issued_at, expires_at FROM parcel_proxy_codes WHERE parcel_id = ? AND used_at IS NULL "
                        "AND revoked = 0 AND expires_at > ? ORDER BY issued_at DESC LIMIT 1");
    q.bind(1, parcel_id);
    q.bind(2, static_cast<int64_t>(now));
    if (!q.executeStep()) return std::nullopt;
    return ProxyCode{q.getColumn(0).getString(), parcel_id, q.getColumn(1).getInt64(), q.getColumn(2).getInt64()};
}

void apply_site_parcels(SQLite::Database& db, const std::vector<DatasetRow>& rows) {
    SQLite::Statement mine(db, "SELECT record_id IS NOT NULL FROM parcels WHERE id = ?");
    SQLite::Statement add(db,
                          "INSERT INTO parcels (id, record_id, origin_kiosk, tracking, carrier, unit_id, recipient_masked, shelf, "
                          "pickup_code, consent, registered_at) VALUES (?1, NULL, ?2, ?3, ?4, ?5, "
                          "coalesce((SELECT name_masked FROM residents WHERE unit_id = ?5 ORDER BY role <> 'owner', id LIMIT 1), ''), "
                          "?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING");
    SQLite::Statement code(db, "UPDATE parcels SET pickup_code = ? WHERE id = ? AND status = 'waiting'");
    SQLite::Statement hold(db, "UPDATE parcels SET extra_days = max(extra_days, ?) WHERE id = ?");
    // The live proxy code as head office last heard of it; a newer one made elsewhere revokes ours.
    // (Not when this kiosk made a newer one since, which head office has yet to hear of.)
    SQLite::Statement proxy(db,
                            "UPDATE parcels SET proxy_code = ?1, proxy_expires_at = ?2 WHERE id = ?3 AND NOT EXISTS "
                            "(SELECT 1 FROM parcel_proxy_codes WHERE parcel_id = ?3 AND issued_at > ?4)");
    SQLite::Statement revoke(db,
                             "UPDATE parcel_proxy_codes SET revoked = 1 WHERE parcel_id = ? AND code <> ? AND used_at IS NULL "
                             "AND revoked = 0 AND issued_at < ?");
    SQLite::Statement gone(db,
                           "UPDATE parcels SET status = ?, collected_at = ?, collected_how = ? WHERE id = ? AND status = 'waiting'");
    for (const DatasetRow& r : rows) {
        const auto& b = r.body;
        if (r.deleted || !b.is_object()) continue;
        try {
            mine.bind(1, r.key);
            bool known = mine.executeStep();
            mine.reset();
            if (!known) {
                add.bind(1, r.key);
                add.bind(2, b.at("kiosk").get<std::string>());
                add.bind(3, b.at("tracking").get<std::string>());
                add.bind(4, b.at("carrier").get<std::string>());
                add.bind(5, b.at("unit").get<std::string>());
                add.bind(6, b.at("shelf").get<std::string>());
                add.bind(7, b.at("pickup_code").get<std::string>());
                add.bind(8, b.value("consent", false) ? 1 : 0);
                add.bind(9, b.at("registered_at").get<int64_t>());
                add.exec();
                add.reset();
            } else if (auto c = b.find("pickup_code"); c != b.end() && c->is_string()) {
                code.bind(1, c->get<std::string>());
                code.bind(2, r.key);
                code.exec();
                code.reset();
            }
            if (auto px = b.find("proxy"); px != b.end() && px->is_object()) {
                proxy.bind(1, px->at("code").get<std::string>());
                proxy.bind(2, px->at("expires_at").get<int64_t>());
                proxy.bind(3, r.key);
                proxy.bind(4, px->at("issued_at").get<int64_t>());
                proxy.exec();
                proxy.reset();
                revoke.bind(1, r.key);
                revoke.bind(2, px->at("code").get<std::string>());
                revoke.bind(3, px->at("issued_at").get<int64_t>());
                revoke.exec();
                revoke.reset();
            } else {
                proxy.bind(1);
                proxy.bind(2);
                proxy.bind(3, r.key);
                proxy.bind(4, int64_t{0});
                proxy.exec();
                proxy.reset();
            }
            hold.bind(1, b.value("extra_days", 0));
            hold.bind(2, r.key);
            hold.exec();
            hold.reset();
            std::string status = b.value("status", "waiting");
            if (status == "collected" || status == "returned") {
                gone.bind(1, status);
                gone.bind(2, b.value("collected_at", int64_t{0}));
                gone.bind(3, b.value("how", status == "returned" ? std::string("returned") : std::string("elsewhere")));
                gone.bind(4, r.key);
                gone.exec();
                gone.reset();
            }
        } catch (const nlohmann::json::exception&) {
            // A row this kiosk cannot read is passed over rather than stalling every later pull.
            mine.reset();
            add.reset();
        }
    }
}

}  // namespace kiosk
