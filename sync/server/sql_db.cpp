#include "sync/server/sql_db.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <unordered_map>

#include "kiosk/core/private_file.hpp"

namespace kiosk::headoffice {

const std::string& SqlRow::text(size_t i) const {
    static const std::string kEmpty;
    const auto& c = cols.at(i);
    return c ? *c : kEmpty;
}

int64_t SqlRow::integer(size_t i) const {
    const auto& c = cols.at(i);
    return c && !c->empty() ? std::stoll(*c) : 0;
}

bool is_postgres_dsn(std::string_view where) {
    return where.rfind("postgresql://", 0) == 0 || where.rfind("postgres://", 0) == 0 ||
           where.find("dbname=") != std::string_view::npos || where.find("host=") != std::string_view::npos;
}

std::string numbered_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    bool quoted = false;
    for (char c : sql) {
        if (c == '\'') quoted = !quoted;  // '' inside a literal toggles twice: still right
        if (c == '?' && !quoted) {
            out += '$';
            out += std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

bool table_exists(SqlDb& db, const char* table) {
    if (std::string_view(db.dialect()) == "postgresql")
        return db.row("SELECT 1 FROM information_schema.tables WHERE table_name = ? AND table_schema = current_schema()", {std::string(table)})
            .has_value();
    return db.row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", {std::string(table)}).has_value();
}

bool column_exists(SqlDb& db, const char* table, const char* column) {
    if (std::string_view(db.dialect()) == "postgresql")
        return db
            .row("SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = ? AND table_schema = current_schema()",
                 {std::string(table), std::string(column)})
            .has_value();
    for (auto& c : db.query(std::string("PRAGMA table_info(") + table + ")"))
        if (c.text(1) == column) return true;
    return false;
}

std::vector<SqlRow> query_rows(SqlDb& db, std::string_view head, const SqlParams& head_params, std::string_view group,
                               const std::vector<SqlParams>& rows, std::string_view tail, bool pad) {
    std::vector<SqlRow> out;
    for (size_t from = 0; from < rows.size(); from += kRowsPerStatement) {
        size_t n = std::min(kRowsPerStatement, rows.size() - from), shape = 1;
        while (pad && shape < n) shape *= 2;
        if (!pad) shape = n;
        std::string sql(head);
        SqlParams params(head_params);
        for (size_t i = 0; i < shape; ++i) {
            if (i) sql += ", ";
            sql += group;
            const SqlParams& row = rows[from + std::min(i, n - 1)];
            params.insert(params.end(), row.begin(), row.end());
        }
        sql += tail;
        auto got = db.query(sql, params);
        out.insert(out.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
    }
    return out;
}

namespace {

int64_t microseconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
}

class SqliteDb final : public SqlDb {
public:
    explicit SqliteDb(const std::string& path) {
        std::filesystem::path p(path);
        if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
        // Every site's records and every kiosk's secret: readable by head office's user only.
        if (is_plain_file_path(p)) make_private_file(p);
        m_db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        m_db->setBusyTimeout(5000);
        m_db->exec("PRAGMA journal_mode=WAL");
        m_db->exec("PRAGMA synchronous=FULL");  // an ack is a promise: it is on disk first
    }

    std::vector<SqlRow> query(const std::string& sql, const SqlParams& params) override {
        std::vector<SqlRow> rows;
        run(prepared(sql, params), [&](SQLite::Statement& s) {
            while (s.executeStep()) {
                SqlRow r;
                int n = s.getColumnCount();
                r.cols.reserve(n);
                for (int i = 0; i < n; ++i) {
                    auto c = s.getColumn(i);
                    if (c.isNull()) r.cols.emplace_back(std::nullopt);
                    else r.cols.emplace_back(c.getString());
                }
                rows.push_back(std::move(r));
            }
        });
        return rows;
    }

    int64_t exec(const std::string& sql, const SqlParams& params) override {
        int changed = 0;
        run(prepared(sql, params), [&](SQLite::Statement& s) { changed = s.exec(); });
        return changed;
    }

    void script(const std::string& sql) override { m_db->exec(sql); }
    // IMMEDIATE: the write lock is taken at BEGIN, so two head-office processes on one file queue
    // up instead of failing half-way.
    void begin_write(const std::string&) override {
        auto t0 = std::chrono::steady_clock::now();
        m_db->exec("BEGIN IMMEDIATE");
        m_lock_wait_us += microseconds_since(t0);
    }
    void begin_unscoped_write() override { begin_write(""); }
    void lock_scope(const std::string&) override {}
    void commit() override { m_db->exec("COMMIT"); }
    void rollback() override { m_db->exec("ROLLBACK"); }
    const char* dialect() const override { return "sqlite"; }

private:
    // Constraint, type and size errors are the data's fault; busy, I/O and full are not.
    [[noreturn]] static void throw_sqlite(const SQLite::Exception& e) {
        int code = e.getErrorCode() & 0xff;
        if (code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH || code == SQLITE_TOOBIG || code == SQLITE_RANGE)
            throw SqlDataError(e.what());
        throw;
    }

    // Steps `s` with `step`, and leaves it reset for its next use whatever happens (a cached
    // statement left mid-step would hold the database's read lock).
    template <typename Step>
    static void run(SQLite::Statement& s, Step&& step) {
        try {
            step(s);
        } catch (const SQLite::Exception& e) {
            s.reset();
            throw_sqlite(e);
        } catch (...) {
            s.reset();
            throw;
        }
        s.reset();
    }

    SQLite::Statement& prepared(const std::string& sql, const SqlParams& params) {
        auto it = m_cache.find(sql);
        if (it == m_cache.end()) it = m_cache.emplace(sql, std::make_unique<SQLite::Statement>(*m_db, sql)).first;
        SQLite::Statement& s = *it->second;
        s.clearBindings();
        for (size_t i = 0; i < params.size(); ++i) {
            int at = static_cast<int>(i) + 1;
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::nullptr_t>) s.bind(at);
                    else if constexpr (std::is_same_v<T, int64_t>) s.bind(at, v);
                    else s.bindNoCopy(at, v);  // the params outlive the step
                },
                params[i]);
        }
        return s;
    }

    std::unique_ptr<SQLite::Database> m_db;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_cache;
};

class PostgresDb final : public SqlDb {
public:
    explicit PostgresDb(const std::string& dsn) {
        m_conn = PQconnectdb(dsn.c_str());
        if (PQstatus(m_conn) != CONNECTION_OK) {
            std::string why = PQerrorMessage(m_conn);
            PQfinish(m_conn);
            throw std::runtime_error("cannot connect to PostgreSQL: " + why);
        }
        quiet();
    }
    ~PostgresDb() override { PQfinish(m_conn); }

    std::vector<SqlRow> query(const std::string& sql, const SqlParams& params) override {
        Result r = run(sql, params);
        std::vector<SqlRow> rows;
        int n = PQntuples(r.get()), cols = PQnfields(r.get());
        rows.reserve(n);
        for (int i = 0; i < n; ++i) {
            SqlRow row;
            row.cols.reserve(cols);
            for (int c = 0; c < cols; ++c) {
                if (PQgetisnull(r.get(), i, c)) row.cols.emplace_back(std::nullopt);
                else row.cols.emplace_back(std::string(PQgetvalue(r.get(), i, c), PQgetlength(r.get(), i, c)));
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

    int64_t exec(const std::string& sql, const SqlParams& params) override {
        Result r = run(sql, params);
        const char* n = PQcmdTuples(r.get());
        return n && *n ? std::stoll(n) : 0;
    }

    void script(const std::string& sql) override { simple(sql.c_str()); }
    // Every head-office process takes the scope's advisory lock for a write: a site's claims,
    // pickup codes and row versions are decided one transaction at a time, as with SQLite's single
    // writer, while other sites' pushes go on beside it.
    void begin_write(const std::string& scope) override {
        reconnect_if_lost();
        simple("BEGIN");
        m_in_tx = true;
        lock_scope(scope);
    }
    void begin_unscoped_write() override {
        reconnect_if_lost();
        simple("BEGIN");
        m_in_tx = true;
    }
    // A try first: a lock nobody holds costs one round trip and no waiting; only a lock another
    // transaction holds is waited for (and that wait counted in lock_wait_s).
    void lock_scope(const std::string& scope) override {
        // Outside a transaction the lock would end with its own statement, silently.
        if (!m_in_tx) throw std::runtime_error("lock_scope outside a write transaction");
        Result got = run("SELECT pg_try_advisory_xact_lock(7263501, hashtext(?))", {scope});
        if (PQntuples(got.get()) == 1 && std::string_view(PQgetvalue(got.get(), 0, 0)) == "t") return;
        auto t0 = std::chrono::steady_clock::now();
        run("SELECT pg_advisory_xact_lock(7263501, hashtext(?))", {scope});
        m_lock_wait_us += microseconds_since(t0);
    }
    void commit() override {
        m_in_tx = false;
        simple("COMMIT");
    }
    void rollback() override {
        m_in_tx = false;
        simple("ROLLBACK");
    }
    const char* dialect() const override { return "postgresql"; }

private:
    using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

    void quiet() {
        // "relation already exists, skipping" and the like are not for the server's log.
        PQsetNoticeProcessor(m_conn, [](void*, const char*) {}, nullptr);
    }

    // A restarted database server: connect again, outside a transaction only (inside one, the
    // error reaches the caller, whose transaction is gone anyway).
    void reconnect_if_lost() {
        if (m_in_tx || PQstatus(m_conn) == CONNECTION_OK) return;
        PQreset(m_conn);
        m_prepared.clear();
        if (PQstatus(m_conn) != CONNECTION_OK) throw std::runtime_error(std::string("PostgreSQL connection lost: ") + PQerrorMessage(m_conn));
        quiet();
    }

    void simple(const char* sql) {
        Result r(PQexec(m_conn, sql), &PQclear);
        check(r.get(), sql);
    }

    void check(PGresult* r, const std::string& what) {
        auto st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
        std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(m_conn);
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        msg = "PostgreSQL: " + msg + " (in: " + what.substr(0, 80) + ")";
        // SQLSTATE class 22 (data exception: a NUL in text, a number out of range) and 23
        // (integrity constraint) are the data's fault; connection, lock and resource errors are not.
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        if (state && (std::string_view(state, 2) == "22" || std::string_view(state, 2) == "23")) throw SqlDataError(msg);
        if (state && std::string_view(state) == "40P01") throw SqlDeadlock(msg);
        throw std::runtime_error(msg);
    }

    Result run(const std::string& sql, const SqlParams& params) {
        reconnect_if_lost();
        auto it = m_prepared.find(sql);
        if (it == m_prepared.end()) {
            char name[24];
            std::snprintf(name, sizeof name, "k%d", ++m_next);  // ("k" + to_string: a false g++ 12 -Wrestrict)
            Result p(PQprepare(m_conn, name, numbered_placeholders(sql).c_str(), 0, nullptr), &PQclear);
            check(p.get(), sql);
            it = m_prepared.emplace(sql, name).first;
        }
        // Texts are passed as they are (they outlive the call); only integers need printing.
        std::vector<std::string> numbers(params.size());
        std::vector<const char*> values(params.size());
        for (size_t i = 0; i < params.size(); ++i) {
            if (std::holds_alternative<std::nullptr_t>(params[i])) {
                values[i] = nullptr;
            } else if (auto* n = std::get_if<int64_t>(&params[i])) {
                numbers[i] = std::to_string(*n);
                values[i] = numbers[i].c_str();
            } else {
                values[i] = std::get<std::string>(params[i]).c_str();
            }
        }
        Result r(PQexecPrepared(m_conn, it->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0),
                 &PQclear);
        check(r.get(), sql);
        return r;
    }

    PGconn* m_conn = nullptr;
    bool m_in_tx = false;
    int m_next = 0;
    std::unordered_map<std::string, std::string> m_prepared;
};

}  // namespace

std::unique_ptr<SqlDb> open_sqlite(const std::string& path) { return std::make_unique<SqliteDb>(path); }
std::unique_ptr<SqlDb> open_postgres(const std::string& dsn) { return std::make_unique<PostgresDb>(dsn); }

}  // namespace kiosk::headoffice
