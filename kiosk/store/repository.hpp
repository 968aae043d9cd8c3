#pragma once
// What the store's repositories share: the record the one door (Store::save_record) hands back,
// and the base every repository builds on. A repository is one aggregate's SQL on the store's one
// connection; it writes records only through the store's door, so a record and its outbox entry
// are always saved together.
#include <cstdint>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.hpp"

namespace SQLite {
class Database;
}

namespace kiosk {

class Store;

struct SavedRecord {
    std::string id;      // "<site>-<kiosk>-<generation>-<seq>": made here, never changes; the store's
                         // random generation keeps it unique when a kiosk is reinstalled
    int64_t local_seq;   // the kiosk's monotonic sequence: the outbox order
};

// Thrown by a DomainWriter to refuse a record for a reason the user should read: save_record
// rolls everything back and returns Error{key, detail}.
struct RecordRefused : std::runtime_error {
    RecordRefused(std::string k, const std::string& detail, std::string a = {})
        : std::runtime_error(detail), key(std::move(k)), arg(std::move(a)) {}
    std::string key;
    std::string arg;  // shown in the message as {arg}
};

struct OutboxEntry {
    int64_t local_seq;
    std::string record_id;
    std::string record_type;
    int schema_version;
    std::string payload;
    std::string created_at;
};

// Writes a record's own rows inside save_record's transaction (see Store::save_record).
using DomainWriter = std::function<void(SQLite::Database&, const SavedRecord&, nlohmann::json& payload)>;

class Repository {
public:
    Repository(const Repository&) = delete;
    Repository& operator=(const Repository&) = delete;

protected:
    Repository(Store& store, SQLite::Database& db) : m_store(store), m_db(&db) {}
    // The store's door and ticket counters, for the repository's own writes.
    Result<SavedRecord> save_record(const std::string& type, int schema_version, const nlohmann::json& payload,
                                    const DomainWriter& domain_rows = {});
    std::string next_ticket(std::string_view prefix, std::time_t at);
    std::string next_short_id(std::string_view prefix, std::time_t at);
    const std::string& site_id() const;

    Store& m_store;
    SQLite::Database* m_db;  // the store's one connection, owned by the Store
};

}  // namespace kiosk
