#pragma once
// For tests and tools that must see what the store wrote (a table's rows, a record's payload)
// without reaching into the app's connection: a read-only connection of its own to the store's
// file. WAL lets it read while the store writes; each call sees the last committed state.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace kiosk {

class Store;

class StoreProbe {
public:
    explicit StoreProbe(const Store& store);
    ~StoreProbe();

    // The first column of the first row, as a number (0 when there is no row) or as text ("" when
    // there is none or it is NULL).
    int64_t count(const std::string& sql, const std::vector<std::string>& binds = {});
    std::string text(const std::string& sql, const std::vector<std::string>& binds = {});
    // Every row, every column as text (NULL as "").
    std::vector<std::vector<std::string>> rows(const std::string& sql, const std::vector<std::string>& binds = {});

    // The probe's own read-only connection, for a check that steps through a statement itself.
    SQLite::Database& connection() { return *m_db; }

    // For a test that must arrange what the app never does (head office's coincidence, a raw
    // insert the schema must refuse): one statement on a read-write connection of its own;
    // returns the rows it changed, throws what SQLite throws.
    static int arrange(const Store& store, const std::string& sql, const std::vector<std::string>& binds = {});

private:
    std::unique_ptr<SQLite::Database> m_db;
};

}  // namespace kiosk
