#include "kiosk/store/store.hpp"

#include <cstdio>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>
#include <sodium.h>

#include "kiosk/core/household.hpp"
#include "kiosk/core/site_facts.hpp"
#include "kiosk/core/text.hpp"

namespace kiosk {

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path, std::string site_id,
                                           std::string kiosk_id) {
    std::unique_ptr<Store> s(new Store());
    s->m_site = std::move(site_id);
    s->m_kiosk = std::move(kiosk_id);
    try {
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
        s->m_db = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        // First, so that another process opening the file at the same moment waits instead of failing.
        s->m_db->setBusyTimeout(5000);
        s->m_db->exec("PRAGMA journal_mode=WAL");
        s->m_db->exec("PRAGMA synchronous=FULL");
        s->m_db->exec("PRAGMA foreign_keys=ON");
        migrate(*s->m_db);
        auto& db = *s->m_db;
        s->m_record_prefix = s->m_site + "-" + s->m_kiosk + "-" +
                             db.execAndGet("SELECT generation FROM store_identity").getString() + "-";
        s->m_next_seq = std::make_unique<SQLite::Statement>(
            db, "UPDATE kiosk_sequence SET value = value + 1 WHERE name = 'record' RETURNING value");
        s->m_insert_record = std::make_unique<SQLite::Statement>(
            db, "INSERT INTO records (id, type, schema_version, payload, created_at, local_seq) "
                "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?)");
        s->m_insert_outbox = std::make_unique<SQLite::Statement>(
            db, "INSERT INTO outbox (local_seq, record_id, schema_version) VALUES (?, ?, ?)");
    } catch (const std::exception& e) {
        return Error{"error.store_open", e.what()};
    }
    return s;
}

int Store::schema_version() { return m_db->execAndGet("PRAGMA user_version").getInt(); }

Result<SavedRecord> Store::save_record(const std::string& type, int schema_version, const nlohmann::json& payload_in,
                                       const DomainWriter& domain_rows) {
    nlohmann::json payload = payload_in;
    try {
        // A statement left mid-way by an earlier failure must not hold the next transaction.
        for (auto* st : {m_next_seq.get(), m_insert_record.get(), m_insert_outbox.get()}) {
            st->reset();
            st->clearBindings();
        }
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement& next = *m_next_seq;
        if (!next.executeStep()) throw std::runtime_error("record sequence missing");
        SavedRecord rec;
        rec.local_seq = next.getColumn(0).getInt64();
        next.reset();
        char seq[24];
        std::snprintf(seq, sizeof seq, "%08lld", static_cast<long long>(rec.local_seq));
        rec.id = m_record_prefix + seq;
        if (domain_rows) domain_rows(*m_db, rec, payload);

        SQLite::Statement& ins = *m_insert_record;
        ins.bind(1, rec.id);
        ins.bind(2, type);
        ins.bind(3, schema_version);
        ins.bind(4, payload.dump());
        ins.bind(5, static_cast<int64_t>(rec.local_seq));
        ins.exec();
        ins.reset();
        SQLite::Statement& out = *m_insert_outbox;
        out.bind(1, static_cast<int64_t>(rec.local_seq));
        out.bind(2, rec.id);
        out.bind(3, schema_version);
        out.exec();
        out.reset();
        tx.commit();
        return rec;
    } catch (const RecordRefused& e) {
        return Error{e.key, e.what(), e.arg};
    } catch (const std::exception& e) {
        return Error{"error.store_write", e.what()};
    }
}

std::pair<std::string, std::string> Store::next_day_seq(std::string_view prefix, std::time_t at) {
    std::tm tm{};
    localtime_r(&at, &tm);
    char day[8];
    std::strftime(day, sizeof day, "%y%m%d", &tm);
    std::string counter = std::string(prefix) + "-" + day;
    SQLite::Statement q(*m_db,
                        "INSERT INTO kiosk_sequence (name, value) VALUES (?, 1) "
                        "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value");
    q.bind(1, counter);
    if (!q.executeStep()) throw std::runtime_error("ticket counter");
    char seq[8];
    std::snprintf(seq, sizeof seq, "%03d", q.getColumn(0).getInt());
    return {day, seq};
}

std::string Store::next_ticket(std::string_view prefix, std::time_t at) {
    auto [day, seq] = next_day_seq(prefix, at);
    return std::string(prefix) + "-" + m_site + "-" + day + "-" + m_kiosk + "-" + seq;
}

std::string Store::next_short_id(std::string_view prefix, std::time_t at) {
    auto [day, seq] = next_day_seq(prefix, at);
    return std::string(prefix) + day + m_kiosk + seq;
}

Result<std::string> Store::save_repair(const RepairRequest& r, std::time_t registered_at, const RepairPromise& promise) {
    if (auto problem = repair_problem(r)) return Error{*problem, "repair request incomplete"};
    std::string description = repair_description(r);
    nlohmann::json payload{
        {"category", repair_category_id(r.category)},
        {"urgency", r.urgency == RepairUrgency::Emergency ? "emergency" : "appointment"},
        {"unit", r.unit_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.unit_id)},
        {"public_area", r.public_area.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.public_area)},
        {"description", description},
        {"contact_resident", r.contact_resident_id},
        {"registered_at", registered_at},
        {"on_site_by", promise.on_site_by},
        {"done_by", promise.done_by},
    };
    if (r.window) payload["window"] = {r.window->start, r.window->end};
    if (promise.follow_up_by) payload["follow_up_by"] = *promise.follow_up_by;
    std::string ticket;
    auto saved = save_record("repair.request", 1, payload,
                             [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json& p) {
        ticket = next_ticket("BX", registered_at);
        p["ticket"] = ticket;
        SQLite::Statement ins(db,
                              "INSERT INTO repairs (ticket, record_id, unit_id, public_area, category, urgency, "
                              "window_start, window_end, description, contact_resident_id, contact_phone_masked, "
                              "registered_at, on_site_by, done_by, follow_up_by) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, ticket);
        ins.bind(2, rec.id);
        if (r.unit_id.empty()) ins.bind(3); else ins.bind(3, r.unit_id);
        if (r.public_area.empty()) ins.bind(4); else ins.bind(4, r.public_area);
        ins.bind(5, std::string(repair_category_id(r.category)));
        ins.bind(6, r.urgency == RepairUrgency::Emergency ? "emergency" : "appointment");
        if (r.window) {
            ins.bind(7, static_cast<int64_t>(r.window->start));
            ins.bind(8, static_cast<int64_t>(r.window->end));
        } else {
            ins.bind(7);
            ins.bind(8);
        }
        ins.bind(9, description);
        ins.bind(10, r.contact_resident_id);
        ins.bind(11, r.contact_phone_masked);
        ins.bind(12, static_cast<int64_t>(registered_at));
        ins.bind(13, static_cast<int64_t>(promise.on_site_by));
        ins.bind(14, static_cast<int64_t>(promise.done_by));
        if (promise.follow_up_by) ins.bind(15, static_cast<int64_t>(*promise.follow_up_by)); else ins.bind(15);
        ins.exec();
    });
    if (!saved) return saved.error();
    return ticket;
}

Result<std::string> Store::save_complaint(const ComplaintRequest& c, std::time_t filed_at) {
    if (auto problem = complaint_problem(c)) return Error{*problem, "complaint incomplete"};
    std::string what = complaint_what(c);
    std::time_t reply_by = complaint_reply_by(filed_at);
    nlohmann::json payload{{"kind", complaint_kind_id(c.kind)}, {"what", what},        {"where", c.where},
                           {"when", c.when},                    {"about", c.about},    {"wants", c.wants},
                           {"unit", c.unit_id},                 {"contact_resident", c.contact_resident_id},
                           {"filed_at", filed_at},              {"reply_by", reply_by}};
    std::string ticket;
    auto saved = save_record("complaint.case", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json& p) {
        ticket = next_ticket("TS", filed_at);
        p["ticket"] = ticket;
        SQLite::Statement ins(db,
                              "INSERT INTO complaints (ticket, record_id, unit_id, kind, what, where_text, when_text, about, "
                              "wants, contact_resident_id, contact_phone_masked, filed_at, reply_by) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, ticket);
        ins.bind(2, rec.id);
        if (c.unit_id.empty()) ins.bind(3); else ins.bind(3, c.unit_id);
        ins.bind(4, std::string(complaint_kind_id(c.kind)));
        ins.bind(5, what);
        ins.bind(6, c.where);
        ins.bind(7, c.when);
        if (c.about.empty()) ins.bind(8); else ins.bind(8, c.about);
        ins.bind(9, c.wants);
        ins.bind(10, c.contact_resident_id);
        ins.bind(11, c.contact_phone_masked);
        ins.bind(12, static_cast<int64_t>(filed_at));
        ins.bind(13, static_cast<int64_t>(reply_by));
        ins.exec();
    });
    if (!saved) return saved.error();
    return ticket;
}

namespace {
Severity severity_of(const std::string& s) {
    return s == "major" ? Severity::Major : s == "important" ? Severity::Important : Severity::Minor;
}
}  // namespace

std::vector<HouseholdCase> Store::household_cases(const std::string& unit_id) {
    std::vector<HouseholdCase> out;
    SQLite::Statement q(*m_db,
                        "SELECT ticket, 1, category, description, status, registered_at, done_by, NULL, f.rating "
                        "FROM repairs LEFT JOIN follow_ups f USING (ticket) WHERE unit_id = ?1 "
                        "UNION ALL "
                        "SELECT ticket, 0, kind, what, status, filed_at, reply_by, severity, f.rating "
                        "FROM complaints LEFT JOIN follow_ups f USING (ticket) WHERE unit_id = ?1 "
                        "ORDER BY 6 DESC, 1 DESC");
    q.bind(1, unit_id);
    while (q.executeStep()) {
        HouseholdCase c;
        c.ticket = q.getColumn(0).getString();
        c.is_repair = q.getColumn(1).getInt() == 1;
        c.kind = q.getColumn(2).getString();
        c.summary = q.getColumn(3).getString();
        c.status = parse_case_status(q.getColumn(4).getString()).value_or(CaseStatus::Registered);
        c.filed_at = q.getColumn(5).getInt64();
        c.due_by = q.getColumn(6).getInt64();
        if (!q.getColumn(7).isNull()) {
            c.severity = q.getColumn(7).getString();
            // Once staff set the severity, the case is due by that severity's deadline.
            c.due_by = complaint_deadlines(severity_of(*c.severity), c.filed_at).resolved_by;
        }
        if (!q.getColumn(8).isNull()) c.rating = q.getColumn(8).getInt();
        out.push_back(std::move(c));
    }
    return out;
}

void apply_case_status(SQLite::Database& db, const std::vector<DatasetRow>& rows) {
    auto rank = [](const std::string& s) {
        auto status = parse_case_status(s);
        return status ? static_cast<int>(*status) : -1;
    };
    for (const DatasetRow& r : rows) {
        if (r.deleted || !r.body.is_object()) continue;
        std::string status = r.body.value("status", "");
        // A status this kiosk does not know (a newer head office) is passed over, not a stalled pull.
        if (rank(status) < 0) continue;
        for (const char* table : {"repairs", "complaints"}) {
            SQLite::Statement cur(db, std::string("SELECT status FROM ") + table + " WHERE ticket = ?");
            cur.bind(1, r.key);
            if (!cur.executeStep()) continue;  // a case filed at another kiosk of the site
            if (rank(cur.getColumn(0).getString()) < rank(status)) {
                SQLite::Statement up(db, std::string("UPDATE ") + table + " SET status = ? WHERE ticket = ?");
                up.bind(1, status);
                up.bind(2, r.key);
                up.exec();
            }
        }
        auto sev = r.body.find("severity");
        if (sev != r.body.end() && sev->is_string() && (*sev == "major" || *sev == "important" || *sev == "minor")) {
            SQLite::Statement up(db, "UPDATE complaints SET severity = ? WHERE ticket = ?");
            up.bind(1, sev->get<std::string>());
            up.bind(2, r.key);
            up.exec();
        }
    }
}

Result<Ok> Store::save_follow_up(const std::string& ticket, int rating, const std::string& comment, std::time_t at) {
    if (rating < 1 || rating > 5) return Error{"my.error.rating", "rating out of range"};
    if (comment.size() > 600) return Error{"repair.error.too_long", "comment too long"};
    std::string status;
    {
        SQLite::Statement q(*m_db, "SELECT status FROM repairs WHERE ticket = ?1 UNION ALL SELECT status FROM complaints WHERE ticket = ?1");
        q.bind(1, ticket);
        if (!q.executeStep()) return Error{"my.error.unknown", "no case " + ticket};
        status = q.getColumn(0).getString();
    }
    if (status != "done") return Error{"my.error.not_done", "case " + ticket + " is " + status};
    nlohmann::json payload{{"ticket", ticket}, {"rating", rating}, {"comment", comment}, {"rated_at", at}};
    auto saved = save_record("case.follow_up", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json&) {
        SQLite::Statement ins(db, "INSERT INTO follow_ups (ticket, record_id, rating, comment, rated_at) VALUES (?, ?, ?, ?, ?)");
        ins.bind(1, ticket);
        ins.bind(2, rec.id);
        ins.bind(3, rating);
        ins.bind(4, comment);
        ins.bind(5, static_cast<int64_t>(at));
        ins.exec();
        for (const char* table : {"repairs", "complaints"}) {
            SQLite::Statement up(db, std::string("UPDATE ") + table + " SET status = 'followed_up' WHERE ticket = ?");
            up.bind(1, ticket);
            up.exec();
        }
    });
    if (!saved) return saved.error();
    return Ok{};
}

Result<std::string> Store::save_question(const std::string& question, const std::string& phone, std::time_t at) {
    std::string q = question;
    while (!q.empty() && q.back() == ' ') q.pop_back();
    if (q.empty()) return Error{"enquiry.error.question", "empty question"};
    if (utf8_length(q) > 300) return Error{"enquiry.error.too_long", "question too long"};
    if (!valid_phone(phone)) return Error{"enquiry.error.phone", "malformed phone"};
    std::string ticket;
    nlohmann::json payload{{"question", q}, {"phone", phone}, {"asked_at", at}};
    auto saved = save_record("enquiry.question", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json& p) {
        ticket = next_ticket("ZX", at);
        p["ticket"] = ticket;
        SQLite::Statement ins(db, "INSERT INTO questions (ticket, record_id, question, phone_masked, asked_at) VALUES (?, ?, ?, ?, ?)");
        ins.bind(1, ticket);
        ins.bind(2, rec.id);
        ins.bind(3, q);
        ins.bind(4, mask_phone(phone));
        ins.bind(5, static_cast<int64_t>(at));
        ins.exec();
    });
    if (!saved) return saved.error();
    return ticket;
}

namespace {
std::string survey_household_key(const std::string& site, const std::string& survey_id, const std::string& unit_id) {
    return household_verifier(site + "/" + survey_id, unit_id);  // salted SHA-256: not the flat itself
}
}  // namespace

bool Store::survey_answered(const std::string& survey_id, const std::string& unit_id) {
    SQLite::Statement q(*m_db, "SELECT 1 FROM survey_answers WHERE survey_id = ? AND household_key = ?");
    q.bind(1, survey_id);
    q.bind(2, survey_household_key(m_site, survey_id, unit_id));
    return q.executeStep();
}

Result<Ok> Store::save_survey(const std::string& survey_id, const std::string& unit_id, bool anonymous,
                              const std::vector<std::pair<std::string, int>>& answers, std::time_t at) {
    if (survey_id.empty() || unit_id.empty() || answers.empty()) return Error{"survey.error.incomplete", "empty survey"};
    nlohmann::json a = nlohmann::json::object();
    for (auto& [q, v] : answers) {
        if (v < 1 || v > 5) return Error{"survey.error.incomplete", "answer out of range"};
        a[q] = v;
    }
    if (survey_answered(survey_id, unit_id)) return Error{"survey.already", "household answered"};
    std::string key = survey_household_key(m_site, survey_id, unit_id);
    nlohmann::json payload{{"survey", survey_id}, {"household_key", key}, {"answers", a}, {"answered_at", at}};
    if (!anonymous) payload["unit"] = unit_id;
    auto saved = save_record("survey.answer", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json&) {
        SQLite::Statement ins(db, "INSERT INTO survey_answers (survey_id, household_key, record_id, unit_id, answers, answered_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?)");
        ins.bind(1, survey_id);
        ins.bind(2, key);
        ins.bind(3, rec.id);
        if (anonymous) ins.bind(4); else ins.bind(4, unit_id);
        ins.bind(5, a.dump());
        ins.bind(6, static_cast<int64_t>(at));
        ins.exec();
    });
    if (!saved) return saved.error();
    return Ok{};
}

int64_t Store::last_record_seq() {
    return m_db->execAndGet("SELECT value FROM kiosk_sequence WHERE name = 'record'").getInt64();
}

int64_t Store::outbox_depth() { return m_db->execAndGet("SELECT count(*) FROM outbox").getInt64(); }

std::vector<OutboxEntry> Store::outbox_batch(int limit, size_t max_bytes) {
    std::vector<OutboxEntry> out;
    SQLite::Statement q(*m_db,
                        "SELECT o.local_seq, r.id, r.type, o.schema_version, r.payload, r.created_at "
                        "FROM outbox o JOIN records r ON r.id = o.record_id ORDER BY o.local_seq LIMIT ?");
    q.bind(1, limit);
    size_t bytes = 0;
    while (q.executeStep()) {
        OutboxEntry e{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                      q.getColumn(3).getInt(), q.getColumn(4).getString(), q.getColumn(5).getString()};
        bytes += e.payload.size() + e.record_id.size() + e.record_type.size() + 64;
        if (!out.empty() && bytes > max_bytes) break;
        out.push_back(std::move(e));
    }
    return out;
}

bool Store::has_site_data() { return m_db->execAndGet("SELECT count(*) FROM buildings").getInt() > 0; }

LocalText local_text(const std::string& json_text) {
    return local_text_from_json(nlohmann::json::parse(json_text, nullptr, false));
}


std::vector<Announcement> Store::announcements(const std::string& today) {
    std::vector<Announcement> out;
    SQLite::Statement q(*m_db,
                        "SELECT id, title, body, urgent, starts_on, ends_on FROM announcements "
                        "WHERE starts_on <= ?1 AND ends_on >= ?1 ORDER BY urgent DESC, starts_on DESC, id");
    q.bind(1, today);
    while (q.executeStep()) {
        Announcement a;
        a.id = q.getColumn(0).getString();
        a.title = local_text(q.getColumn(1).getString());
        a.body = local_text(q.getColumn(2).getString());
        a.urgent = q.getColumn(3).getInt() != 0;
        a.starts_on = q.getColumn(4).getString();
        a.ends_on = q.getColumn(5).getString();
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<Building> Store::buildings() {
    std::vector<Building> out;
    SQLite::Statement q(*m_db, "SELECT id, name FROM buildings ORDER BY sort, id");
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), local_text(q.getColumn(1).getString())});
    return out;
}

std::vector<Unit> Store::units_of(const std::string& building_id) {
    std::vector<Unit> out;
    SQLite::Statement q(*m_db, "SELECT id, building_id, floor, label FROM units WHERE building_id = ? ORDER BY floor, label");
    q.bind(1, building_id);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt(),
                       q.getColumn(3).getString()});
    return out;
}

std::optional<Unit> Store::unit(const std::string& unit_id) {
    SQLite::Statement q(*m_db, "SELECT id, building_id, floor, label FROM units WHERE id = ?");
    q.bind(1, unit_id);
    if (!q.executeStep()) return std::nullopt;
    return Unit{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt(), q.getColumn(3).getString()};
}

std::vector<HouseholdMember> Store::household(const std::string& unit_id) {
    std::vector<HouseholdMember> out;
    SQLite::Statement q(*m_db,
                        "SELECT id, name_masked, phone_masked, role, verify_salt, verify_hash FROM residents "
                        "WHERE unit_id = ? ORDER BY role = 'owner' DESC, id");
    q.bind(1, unit_id);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                       q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString()});
    return out;
}

bool Store::household_pin_matches(const std::string& unit_id, const std::string& pin) {
    SQLite::Statement q(*m_db, "SELECT salt, verifier FROM household_pins WHERE unit_id = ?");
    q.bind(1, unit_id);
    if (!q.executeStep()) return false;
    return household_secret_matches(q.getColumn(0).getString(), q.getColumn(1).getString(), pin);
}

std::vector<FeeItem> Store::fee_items(const std::string& unit_id) {
    std::vector<FeeItem> out;
    SQLite::Statement q(*m_db, "SELECT month, kind, amount_cents, paid FROM fee_items WHERE unit_id = ? ORDER BY month DESC, kind");
    q.bind(1, unit_id);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
                       q.getColumn(3).getInt() != 0});
    return out;
}

std::optional<std::string> Store::site_fact(const std::string& key) {
    SQLite::Statement q(*m_db, "SELECT value FROM site_facts WHERE key = ?");
    q.bind(1, key);
    if (q.executeStep()) return q.getColumn(0).getString();
    return std::nullopt;
}

SiteFacts Store::site_facts() {
    // One read of the whole table (a few dozen rows), then each fact parsed once.
    std::map<std::string, std::string, std::less<>> facts;
    SQLite::Statement q(*m_db, "SELECT key, value FROM site_facts");
    while (q.executeStep()) facts.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    return parse_site_facts(facts);
}

std::optional<StaffMember> Store::check_staff_pin(const std::string& staff_no, const std::string& pin) {
    SQLite::Statement q(*m_db, "SELECT name_masked, role, pin_hash FROM staff WHERE staff_no = ?");
    q.bind(1, staff_no);
    if (!q.executeStep()) return std::nullopt;
    std::string hash = q.getColumn(2).getString();
    if (crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) != 0) return std::nullopt;
    StaffMember m;
    m.staff_no = staff_no;
    m.name_masked = q.getColumn(0).getString();
    m.role = q.getColumn(1).getString() == "supervisor" ? StaffRole::Supervisor : StaffRole::Clerk;
    return m;
}

void Store::count_statements(bool on) {
    m_statements = 0;
    if (!on) {
        sqlite3_trace_v2(m_db->getHandle(), 0, nullptr, nullptr);
        return;
    }
    sqlite3_trace_v2(m_db->getHandle(), SQLITE_TRACE_STMT,
                     [](unsigned, void* self, void*, void*) -> int {
                         ++static_cast<Store*>(self)->m_statements;
                         return 0;
                     },
                     this);
}

}  // namespace kiosk
