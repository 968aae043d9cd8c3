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
                                           std::string kiosk_id, OpenOptions options) {
    std::unique_ptr<Store> s(new Store());
    s->m_path = path;
    s->m_site = std::move(site_id);
    s->m_kiosk = std::move(kiosk_id);
    try {
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
        s->m_db = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        // First, so that another process opening the file at the same moment waits instead of failing.
        s->m_db->setBusyTimeout(5000);
        s->m_db->exec("PRAGMA journal_mode=WAL");
        s->m_db->exec(options.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
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
        Store& st = *s;
        s->m_cases = std::make_unique<CaseRepository>(st, db);
        s->m_parcels = std::make_unique<ParcelRepository>(st, db);
        s->m_loans = std::make_unique<LoanRepository>(st, db);
        s->m_exit_passes = std::make_unique<ExitPassRepository>(st, db);
        s->m_household = std::make_unique<HouseholdRepository>(st, db);
        s->m_datasets = std::make_unique<DatasetRepository>(st, db);
        s->m_outbox = std::make_unique<OutboxRepository>(st, db);
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

Store::~Store() = default;

Store::ConnectionSettings Store::connection_settings() {
    return {m_db->execAndGet("PRAGMA journal_mode").getString(), m_db->execAndGet("PRAGMA synchronous").getInt(),
            m_db->execAndGet("PRAGMA foreign_keys").getInt() == 1};
}

LocalText local_text(const std::string& json_text) {
    return local_text_from_json(nlohmann::json::parse(json_text, nullptr, false));
}

// The repositories write through their store's door.
Result<SavedRecord> Repository::save_record(const std::string& type, int schema_version, const nlohmann::json& payload,
                                            const DomainWriter& domain_rows) {
    return m_store.save_record(type, schema_version, payload, domain_rows);
}
std::string Repository::next_ticket(std::string_view prefix, std::time_t at) { return m_store.next_ticket(prefix, at); }
std::string Repository::next_short_id(std::string_view prefix, std::time_t at) {
    return m_store.next_short_id(prefix, at);
}
const std::string& Repository::site_id() const { return m_store.site_id(); }

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
