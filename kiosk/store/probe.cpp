#include "kiosk/store/probe.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/store.hpp"

namespace kiosk {

StoreProbe::StoreProbe(const Store& store)
    : m_db(std::make_unique<SQLite::Database>(store.m_path.string(), SQLite::OPEN_READONLY)) {
    m_db->setBusyTimeout(5000);
}

StoreProbe::~StoreProbe() = default;

namespace {
void bind_all(SQLite::Statement& q, const std::vector<std::string>& binds) {
    int i = 1;
    for (auto& b : binds) q.bind(i++, b);
}
}  // namespace

int64_t StoreProbe::count(const std::string& sql, const std::vector<std::string>& binds) {
    SQLite::Statement q(*m_db, sql);
    bind_all(q, binds);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

std::string StoreProbe::text(const std::string& sql, const std::vector<std::string>& binds) {
    SQLite::Statement q(*m_db, sql);
    bind_all(q, binds);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

int StoreProbe::arrange(const Store& store, const std::string& sql, const std::vector<std::string>& binds) {
    SQLite::Database db(store.m_path.string(), SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    db.exec("PRAGMA foreign_keys=ON");
    SQLite::Statement q(db, sql);
    bind_all(q, binds);
    return q.exec();
}

std::vector<std::vector<std::string>> StoreProbe::rows(const std::string& sql, const std::vector<std::string>& binds) {
    SQLite::Statement q(*m_db, sql);
    bind_all(q, binds);
    std::vector<std::vector<std::string>> out;
    while (q.executeStep()) {
        std::vector<std::string> row;
        for (int c = 0; c < q.getColumnCount(); ++c) row.push_back(q.getColumn(c).getString());
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace kiosk
