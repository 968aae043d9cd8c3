// Item loans: lent while stock lasts, returned once with a note of the item's condition.
#include <algorithm>

#include "kiosk/store/store.hpp"

namespace kiosk {

namespace {

constexpr const char* kLoanColumns =
    "id, item_id, unit_id, borrower_id, status, coalesce(condition, ''), lent_at, due_at, coalesce(returned_at, 0)";

std::vector<Loan> loans_where(SQLite::Database& db, const std::string& where, const std::string& arg = {}) {
    SQLite::Statement q(db, std::string("SELECT ") + kLoanColumns + " FROM loans WHERE " + where);
    if (!arg.empty()) q.bind(1, arg);
    std::vector<Loan> out;
    while (q.executeStep()) {
        Loan l;
        l.id = q.getColumn(0).getString();
        l.item_id = q.getColumn(1).getString();
        l.unit_id = q.getColumn(2).getString();
        l.borrower_id = q.getColumn(3).getString();
        l.status = q.getColumn(4).getString();
        l.condition = q.getColumn(5).getString();
        l.lent_at = q.getColumn(6).getInt64();
        l.due_at = q.getColumn(7).getInt64();
        l.returned_at = q.getColumn(8).getInt64();
        out.push_back(std::move(l));
    }
    return out;
}

}  // namespace

std::vector<CatalogueItem> DatasetRepository::catalogue() {
    SQLite::Statement q(*m_db,
                        "SELECT c.id, c.name, c.stock, c.stock - (SELECT count(*) FROM loans l WHERE l.item_id = c.id "
                        "AND l.status = 'out'), c.deposit_cents, c.loan_days FROM catalogue_items c ORDER BY c.rowid");
    std::vector<CatalogueItem> out;
    while (q.executeStep()) {
        CatalogueItem c;
        c.id = q.getColumn(0).getString();
        c.name = local_text(q.getColumn(1).getString());
        c.stock = q.getColumn(2).getInt();
        c.available = std::max(0, q.getColumn(3).getInt());
        c.deposit_cents = q.getColumn(4).getInt64();
        c.loan_days = q.getColumn(5).getInt();
        out.push_back(std::move(c));
    }
    return out;
}

Result<Loan> LoanRepository::lend_item(const std::string& item_id, const std::string& unit_id, const std::string& borrower_id,
                              std::time_t at) {
    SQLite::Statement info(*m_db, "SELECT loan_days, deposit_cents FROM catalogue_items WHERE id = ?");
    info.bind(1, item_id);
    if (!info.executeStep()) return Error{"loan.error.item", "no item " + item_id};
    int days = info.getColumn(0).getInt();
    int64_t deposit = info.getColumn(1).getInt64();
    Loan l;
    l.item_id = item_id;
    l.unit_id = unit_id;
    l.borrower_id = borrower_id;
    l.status = "out";
    l.lent_at = at;
    l.due_at = loan_due(at, days);
    nlohmann::json payload{{"item", item_id}, {"unit", unit_id}, {"borrower", borrower_id},
                           {"deposit_cents", deposit}, {"lent_at", at}, {"due_at", l.due_at}};
    auto saved = save_record("loan.lent", 1, payload, [&](SQLite::Database& db, const SavedRecord& rec, nlohmann::json& p) {
        l.id = next_short_id("L", at);
        p["loan_id"] = l.id;
        // Only while one is left: the count and the insert are one statement in this transaction.
        SQLite::Statement ins(db,
                              "INSERT INTO loans (id, record_id, item_id, unit_id, borrower_id, lent_at, due_at) "
                              "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 FROM catalogue_items c WHERE c.id = ?3 AND c.stock > "
                              "(SELECT count(*) FROM loans WHERE item_id = ?3 AND status = 'out')");
        ins.bind(1, l.id);
        ins.bind(2, rec.id);
        ins.bind(3, item_id);
        ins.bind(4, unit_id);
        ins.bind(5, borrower_id);
        ins.bind(6, static_cast<int64_t>(at));
        ins.bind(7, static_cast<int64_t>(l.due_at));
        if (ins.exec() != 1) throw RecordRefused("loan.error.none_left", "no " + item_id + " left to lend");
    });
    if (!saved) return saved.error();
    return l;
}

std::vector<Loan> LoanRepository::loans_out() { return loans_where(*m_db, "status = 'out' ORDER BY due_at, id"); }

std::vector<Loan> LoanRepository::household_loans(const std::string& unit_id) {
    return loans_where(*m_db, "status = 'out' AND unit_id = ? ORDER BY due_at, id", unit_id);
}

Result<Ok> LoanRepository::return_loan(const std::string& loan_id, const std::string& condition, const std::string& staff_no,
                              std::time_t at) {
    if (std::find(loan_conditions().begin(), loan_conditions().end(), condition) == loan_conditions().end())
        return Error{"loan.error.condition", "unknown condition " + condition};
    nlohmann::json payload{{"loan_id", loan_id}, {"condition", condition}, {"staff", staff_no}, {"at", at}};
    auto saved = save_record("loan.returned", 1, payload, [&](SQLite::Database& db, const SavedRecord&, nlohmann::json&) {
        SQLite::Statement up(db,
                             "UPDATE loans SET status = 'returned', condition = ?, returned_at = ?, received_by = ? "
                             "WHERE id = ? AND status = 'out'");
        up.bind(1, condition);
        up.bind(2, static_cast<int64_t>(at));
        up.bind(3, staff_no);
        up.bind(4, loan_id);
        if (up.exec() != 1) throw RecordRefused("loan.error.returned", "loan " + loan_id + " is not out", loan_id);
    });
    if (!saved) return saved.error();
    return Ok{};
}

void apply_site_loans(SQLite::Database& db, const std::vector<DatasetRow>& rows) {
    SQLite::Statement add(db,
                          "INSERT INTO loans (id, record_id, origin_kiosk, item_id, unit_id, borrower_id, lent_at, due_at) "
                          "VALUES (?, NULL, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    SQLite::Statement back(db,
                           "UPDATE loans SET status = 'returned', condition = ?, returned_at = ?, received_by = ? "
                           "WHERE id = ? AND status = 'out'");
    for (const DatasetRow& r : rows) {
        const auto& b = r.body;
        if (r.deleted || !b.is_object()) continue;
        try {
            add.bind(1, r.key);
            add.bind(2, b.at("kiosk").get<std::string>());
            add.bind(3, b.at("item").get<std::string>());
            add.bind(4, b.at("unit").get<std::string>());
            add.bind(5, b.at("borrower").get<std::string>());
            add.bind(6, b.at("lent_at").get<int64_t>());
            add.bind(7, b.at("due_at").get<int64_t>());
            add.exec();
            add.reset();
            if (b.value("status", "out") == "returned") {
                back.bind(1, b.value("condition", ""));
                back.bind(2, b.value("returned_at", int64_t{0}));
                back.bind(3, b.value("received_by", ""));
                back.bind(4, r.key);
                back.exec();
                back.reset();
            }
        } catch (const nlohmann::json::exception&) {
            add.reset();
            back.reset();
        }
    }
}

}  // namespace kiosk
