// A household's cases: repairs, complaints, follow-ups, questions and survey answers.
#include <SQLiteCpp/Statement.h>

#include "kiosk/core/household.hpp"
#include "kiosk/core/text.hpp"
#include "kiosk/store/store.hpp"

namespace kiosk {

Result<std::string> CaseRepository::save_repair(const RepairRequest& r, std::time_t registered_at, const RepairPromise& promise) {
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

Result<std::string> CaseRepository::save_complaint(const ComplaintRequest& c, std::time_t filed_at) {
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

std::vector<HouseholdCase> CaseRepository::household_cases(const std::string& unit_id) {
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

Result<Ok> CaseRepository::save_follow_up(const std::string& ticket, int rating, const std::string& comment, std::time_t at) {
    if (auto problem = follow_up_problem(rating, comment)) return Error{*problem, "follow-up refused"};
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

Result<std::string> CaseRepository::save_question(const std::string& question, const std::string& phone, std::time_t at) {
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

bool CaseRepository::survey_answered(const std::string& survey_id, const std::string& unit_id) {
    SQLite::Statement q(*m_db, "SELECT 1 FROM survey_answers WHERE survey_id = ? AND household_key = ?");
    q.bind(1, survey_id);
    q.bind(2, survey_household_key(site_id(), survey_id, unit_id));
    return q.executeStep();
}

Result<Ok> CaseRepository::save_survey(const std::string& survey_id, const std::string& unit_id, bool anonymous,
                              const std::vector<std::pair<std::string, int>>& answers, std::time_t at) {
    if (survey_id.empty() || unit_id.empty() || answers.empty()) return Error{"survey.error.incomplete", "empty survey"};
    nlohmann::json a = nlohmann::json::object();
    for (auto& [q, v] : answers) {
        if (v < 1 || v > 5) return Error{"survey.error.incomplete", "answer out of range"};
        a[q] = v;
    }
    if (survey_answered(survey_id, unit_id)) return Error{"survey.already", "household answered"};
    std::string key = survey_household_key(site_id(), survey_id, unit_id);
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

}  // namespace kiosk
