#pragma once
// The two databases head office can keep its store in, behind one small interface: SQLite in a
// file (one head-office machine) or PostgreSQL given a connection string (several head-office
// processes sharing one database). The store writes one SQL dialect that both understand, with
// '?' placeholders; PostgreSQL's are rewritten to $1, $2, ... once per statement text.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kiosk::headoffice {

// The database refused a value (a NUL in text, a value out of range, a constraint): the fault of
// the data being written, not of the database. Anything else a SqlDb throws is std::runtime_error.
struct SqlDataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// PostgreSQL ended the transaction to break a deadlock (two writes inserting the same keys in
// different orders): nothing of it was kept, and the same write may simply be made again.
struct SqlDeadlock : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using SqlParam = std::variant<std::nullptr_t, int64_t, std::string>;
using SqlParams = std::vector<SqlParam>;

// NULL for nothing, else the integer.
inline SqlParam nullable(const std::optional<int64_t>& v) { return v ? SqlParam{*v} : SqlParam{nullptr}; }

struct SqlRow {
    std::vector<std::optional<std::string>> cols;
    bool null(size_t i) const { return !cols.at(i); }
    const std::string& text(size_t i) const;  // "" for NULL
    int64_t integer(size_t i) const;          // 0 for NULL
};

class SqlDb {
public:
    virtual ~SqlDb() = default;
    // Rows a statement returns (SELECT, or anything with RETURNING).
    virtual std::vector<SqlRow> query(const std::string& sql, const SqlParams& params = {}) = 0;
    // How many rows a statement changed.
    virtual int64_t exec(const std::string& sql, const SqlParams& params = {}) = 0;
    // Several statements without parameters (the schema).
    virtual void script(const std::string& sql) = 0;
    // A write transaction: one writer at a time per `scope` (a site) across every process using
    // the database; "" is a scope of its own (the schema). SQLite has one writer whatever the scope.
    virtual void begin_write(const std::string& scope) = 0;
    // A write transaction that takes no scope's lock, for writes that the tables' keys alone keep
    // right (inserts that do nothing on a key already there). SQLite: its one writer all the same.
    virtual void begin_unscoped_write() = 0;
    // Inside an unscoped write: take `scope`'s lock now, held to the end of the transaction, so the
    // key-decided part of a write runs before it and only the rest waits for other writers.
    // SQLite: nothing to do (its one writer holds the file).
    virtual void lock_scope(const std::string& scope) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual const char* dialect() const = 0;  // "sqlite" or "postgresql"
    // Seconds begin_write and lock_scope spent waiting for a lock (PostgreSQL: the scope's advisory lock, held
    // by another process's write of the same site; SQLite: the file's one writer), since opened.
    double lock_wait_s() const { return static_cast<double>(m_lock_wait_us.load()) / 1e6; }

    std::optional<SqlRow> row(const std::string& sql, const SqlParams& params = {}) {
        auto rows = query(sql, params);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }

protected:
    std::atomic<int64_t> m_lock_wait_us{0};
};

// The lock scope of head office's own notification claims. Sites' ids are the other scopes, and
// no site id can be this one: ids carry no control characters (sync::valid_id).
inline const std::string kNotifyClaimScope = "\x01notify";

// Rolls back unless committed: an exception half-way through a batch leaves nothing behind.
class SqlWrite {
public:
    SqlWrite(SqlDb& db, const std::string& scope) : m_db(db) { m_db.begin_write(scope); }
    struct Unscoped {};
    SqlWrite(SqlDb& db, Unscoped) : m_db(db) { m_db.begin_unscoped_write(); }
    ~SqlWrite() {
        if (!m_done) try { m_db.rollback(); } catch (...) {}
    }
    void commit() {
        m_db.commit();
        m_done = true;
    }
    SqlWrite(const SqlWrite&) = delete;
    SqlWrite& operator=(const SqlWrite&) = delete;

private:
    SqlDb& m_db;
    bool m_done = false;
};

// A PostgreSQL connection string ("postgresql://..." or "host=... dbname=...") or a file path.
bool is_postgres_dsn(std::string_view where);
// Throws std::runtime_error with the database's own message.
std::unique_ptr<SqlDb> open_sqlite(const std::string& path);
std::unique_ptr<SqlDb> open_postgres(const std::string& dsn);

// Whether the store has this table, or this column of a table (a migration's question), in the
// connection's own schema on PostgreSQL.
bool table_exists(SqlDb& db, const char* table);
bool column_exists(SqlDb& db, const char* table, const char* column);

// '?' placeholders (outside quoted text) to $1, $2, ...
std::string numbered_placeholders(std::string_view sql);

// A multi-row statement: `head` + one `group` per row, comma-separated, + `tail`, run over `rows`
// (each row's parameters, after `head_params`) in chunks of at most kRowsPerStatement, the rows
// every chunk returned. A chunk's row count is rounded up to a power of two, so a connection
// prepares at most nine texts of a statement; the extra rows repeat the chunk's last row, which
// changes nothing in an INSERT ... ON CONFLICT DO NOTHING or an IN list (the only uses).
inline constexpr size_t kRowsPerStatement = 256;
// `pad` false: no extra rows (an ON CONFLICT DO UPDATE may not meet one row twice), and a text per
// row count.
std::vector<SqlRow> query_rows(SqlDb& db, std::string_view head, const SqlParams& head_params, std::string_view group,
                               const std::vector<SqlParams>& rows, std::string_view tail, bool pad = true);

}  // namespace kiosk::headoffice
