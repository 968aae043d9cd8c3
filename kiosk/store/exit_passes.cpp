// Exit passes: requested by a household, reviewed at the desk, used once at the gate.
#include "kiosk/store/store.hpp"

namespace kiosk {

namespace {

constexpr const char* kPassColumns =
    "id, unit_id, requester_id, requester_role, items, pass_date, time_window, carrier, plate, status, "
    "coalesce(reason, ''), coalesce(reviewed_by, ''), overridden, requested_at, coalesce(reviewed_at, 0), "
    "coalesce(used_at, 0)";

ExitPass pass_from(SQLite::Statement& q) {
    ExitPass p;
    p.id = q.getColumn(0).getString();
    p.request.unit_id = q.getColumn(1).getString();
    p.request.requester_id = q.getColumn(2).getString();
    p.request.requester_role = q.getColumn(3).getString();
    for (auto& it : nlohmann::json::parse(q.getColumn(4).getString()))
        p.request.items.emplace_back(it.at(0).get<std::string>(), it.at(1).get<int>());
    p.request.date = q.getColumn(5).getString();
    p.request.window = q.getColumn(6).getString();
    p.request.carrier = q.getColumn(7).getString();
    p.request.plate = q.getColumn(8).getString();
    p.status = q.getColumn(9).getString();
    p.reason = q.getColumn(10).getString();
    p.reviewed_by = q.getColumn(11).getString();
    p.overridden = q.getColumn(12).getInt() != 0;
    p.requested_at = q.getColumn(13).getInt64();
    p.reviewed_at = q.getColumn(14).getInt64();
    p.used_at = q.getColumn(15).getInt64();
    return p;
}

}  // namespace

Result<std::string> ExitPassRepository::save_exit_pass_request(const ExitPassRequest& r, std::time_t at) {
    if (auto problem = exit_pass_problem(r)) return Error{*problem, "exit pass request incomplete"};
    nlohmann::json items = nlohmann::json::array();
    for (auto& [item, qty] : r.items) items.push_back({item, qty});
    nlohmann::json payload{{"unit", r.unit_id},   {"requester", r.requester_id}, {"requester_role", r.requester_role},
                           {"items", items},      {"date", r.date},              {"window", r.window},
                           {"carrier", r.carrier}, {"plate", r.plate},           {"requested_at", at}};
    std::string id;
    auto saved = save_record("exit_pass.requested", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json& p) {
        id = next_short_id("F", at);
        p["pass_id"] = id;
        SQLite::Statement ins(db,
                              "INSERT INTO exit_passes (id, record_id, unit_id, requester_id, requester_role, items, "
                              "pass_date, time_window, carrier, plate, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, id);
        ins.bind(2, rec.id);
        ins.bind(3, r.unit_id);
        ins.bind(4, r.requester_id);
        ins.bind(5, r.requester_role);
        ins.bind(6, items.dump());
        ins.bind(7, r.date);
        ins.bind(8, r.window);
        ins.bind(9, r.carrier);
        ins.bind(10, r.plate);
        ins.bind(11, static_cast<int64_t>(at));
        ins.exec();
    });
    if (!saved) return saved.error();
    return id;
}

std::vector<ExitPass> ExitPassRepository::pending_exit_passes() {
    SQLite::Statement q(*m_db, std::string("SELECT ") + kPassColumns + " FROM exit_passes WHERE status = 'pending' ORDER BY requested_at, id");
    std::vector<ExitPass> out;
    while (q.executeStep()) out.push_back(pass_from(q));
    return out;
}

std::optional<ExitPass> ExitPassRepository::exit_pass(const std::string& id) {
    SQLite::Statement q(*m_db, std::string("SELECT ") + kPassColumns + " FROM exit_passes WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return pass_from(q);
}

Result<Ok> ExitPassRepository::review_exit_pass(const std::string& id, bool approve, const std::string& reason,
                                   const std::string& staff_no, bool overridden, std::time_t at) {
    if (auto problem = exit_review_problem(approve, overridden, reason)) return Error{*problem, "review needs a reason"};
    nlohmann::json payload{{"pass_id", id}, {"decision", approve ? "approved" : "rejected"}, {"reason", reason},
                           {"staff", staff_no}, {"overridden", overridden}, {"at", at}};
    auto saved = save_record("exit_pass.reviewed", 1, payload, [&](SQLite::Database& db, const SavedRecord&, nlohmann::json&) {
        SQLite::Statement up(db,
                             "UPDATE exit_passes SET status = ?, reason = ?, reviewed_by = ?, overridden = ?, reviewed_at = ? "
                             "WHERE id = ? AND status = 'pending'");
        up.bind(1, approve ? "approved" : "rejected");
        up.bind(2, reason);
        up.bind(3, staff_no);
        up.bind(4, overridden ? 1 : 0);
        up.bind(5, static_cast<int64_t>(at));
        up.bind(6, id);
        if (up.exec() != 1) throw RecordRefused("exit.error.reviewed", "pass " + id + " is not pending", id);
    });
    if (!saved) return saved.error();
    return Ok{};
}

GateVerdict ExitPassRepository::use_exit_pass(const std::string& id, const std::string& today, std::time_t at) {
    auto pass = exit_pass(id);
    if (!pass) return GateVerdict::Unknown;
    GateVerdict v = gate_verdict(pass->status, pass->request.date, today);
    if (v != GateVerdict::LetThrough) return v;
    nlohmann::json payload{{"pass_id", id}, {"at", at}};
    auto saved = save_record("exit_pass.used", 1, payload, [&](SQLite::Database& db, const SavedRecord&, nlohmann::json&) {
        SQLite::Statement up(db, "UPDATE exit_passes SET status = 'used', used_at = ? WHERE id = ? AND status = 'approved'");
        up.bind(1, static_cast<int64_t>(at));
        up.bind(2, id);
        if (up.exec() != 1) throw RecordRefused("gate.verdict.used", "pass " + id + " was used meanwhile", id);
    });
    if (!saved) return saved.error().key == "gate.verdict.used" ? GateVerdict::AlreadyUsed : GateVerdict::Unknown;
    return GateVerdict::LetThrough;
}

void apply_site_exit_passes(SQLite::Database& db, const std::vector<DatasetRow>& rows) {
    auto rank = [](const std::string& s) { return s == "pending" ? 0 : s == "used" ? 2 : 1; };
    SQLite::Statement cur(db, "SELECT status FROM exit_passes WHERE id = ?");
    SQLite::Statement add(db,
                          "INSERT INTO exit_passes (id, record_id, origin_kiosk, unit_id, requester_id, requester_role, items, "
                          "pass_date, time_window, carrier, plate, requested_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement up(db,
                         "UPDATE exit_passes SET status = ?, reason = ?, reviewed_by = ?, overridden = ?, reviewed_at = ?, "
                         "used_at = ? WHERE id = ?");
    for (const DatasetRow& r : rows) {
        const auto& b = r.body;
        if (r.deleted || !b.is_object()) continue;
        try {
            cur.bind(1, r.key);
            std::optional<std::string> here;
            if (cur.executeStep()) here = cur.getColumn(0).getString();
            cur.reset();
            if (!here) {
                add.bind(1, r.key);
                add.bind(2, b.at("kiosk").get<std::string>());
                add.bind(3, b.at("unit").get<std::string>());
                add.bind(4, b.at("requester").get<std::string>());
                add.bind(5, b.at("requester_role").get<std::string>());
                add.bind(6, b.at("items").dump());
                add.bind(7, b.at("date").get<std::string>());
                add.bind(8, b.at("window").get<std::string>());
                add.bind(9, b.at("carrier").get<std::string>());
                add.bind(10, b.value("plate", ""));
                add.bind(11, b.at("requested_at").get<int64_t>());
                add.exec();
                add.reset();
                here = "pending";
            }
            std::string status = b.value("status", "pending");
            if (status == *here || rank(status) < rank(*here)) continue;
            up.bind(1, status);
            up.bind(2, b.value("reason", ""));
            up.bind(3, b.value("reviewed_by", ""));
            up.bind(4, b.value("overridden", false) ? 1 : 0);
            up.bind(5, b.value("reviewed_at", int64_t{0}));
            if (b.contains("used_at")) up.bind(6, b["used_at"].get<int64_t>());
            else up.bind(6);
            up.bind(7, r.key);
            up.exec();
            up.reset();
        } catch (const nlohmann::json::exception&) {
            // A row this kiosk cannot read is passed over rather than stalling every later pull.
            cur.reset();
            add.reset();
            up.reset();
        }
    }
}

}  // namespace kiosk
