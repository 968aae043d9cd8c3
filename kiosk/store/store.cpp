#include "kiosk/store/store.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>
#include <sodium.h>

#include "kiosk/core/household.hpp"
#include "kiosk/core/private_file.hpp"
#include "kiosk/core/site_facts.hpp"
#include "kiosk/core/text.hpp"

namespace kiosk {

namespace {
constexpr size_t kMaxSecretBytes = 4096;  // a secret file longer than this is not ours

// Residents' records are in this file: only the kiosk's own user reads it (an older install's
// files are narrowed here too).
void restrict_store_files(const std::filesystem::path& path) {
    if (is_plain_file_path(path)) make_private_file(path);
}
}  // namespace

std::filesystem::path Store::secret_path() const {
    return m_path.parent_path() / (m_path.stem().string() + ".secret");
}

std::optional<std::string> Store::read_secret() const {
    if (!is_plain_file_path(m_path)) return std::nullopt;
    std::ifstream in(secret_path(), std::ios::binary);
    if (!in) return std::nullopt;
    std::string s(kMaxSecretBytes + 1, '\0');
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    s.resize(static_cast<size_t>(in.gcount()));
    if (s.empty() || s.size() > kMaxSecretBytes) return std::nullopt;
    return s;
}

// Written to a 0600 temporary and renamed over, so a power cut leaves the old secret or the new.
Result<Ok> Store::write_secret(const std::string& secret) const {
    if (!is_plain_file_path(m_path)) return Error{"error.store_write", "no data directory for the secret"};
    if (secret.empty() || secret.size() > kMaxSecretBytes) return Error{"error.store_write", "bad secret size"};
    auto target = secret_path();
    auto tmp = target.string() + ".tmp";
    ::unlink(tmp.c_str());
    if (!write_new_private_file(tmp, secret).empty() || ::rename(tmp.c_str(), target.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return Error{"error.store_write", "cannot write the secret file"};
    }
    int dir = ::open(target.parent_path().empty() ? "." : target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return Ok{};
}

// An older kiosk kept the secret in sync_config: move it to its file, then wipe the row with
// secure_delete and checkpoint the WAL so the clear text does not linger in free pages.
void Store::move_secret_out() {
    if (!is_plain_file_path(m_path)) return;
    SQLite::Statement q(*m_db, "SELECT value FROM sync_config WHERE key = 'secret'");
    if (!q.executeStep()) return;
    std::string old = q.getColumn(0).getString();
    q.reset();
    if (!read_secret() && !old.empty()) {
        auto w = write_secret(old);
        if (!w.ok()) throw std::runtime_error(w.error().detail);
    }
    m_db->exec("PRAGMA secure_delete=ON");
    m_db->exec("DELETE FROM sync_config WHERE key = 'secret'");
    m_db->exec("PRAGMA secure_delete=OFF");
    m_db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

namespace {
// A damaged file: SQLite says so while reading, or quick_check finds a bad page.
bool is_damage(const SQLite::Exception& e) {
    int rc = e.getErrorCode() & 0xff;
    return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

struct Damaged : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A store written by a newer lobby-kiosk (issue #15 item 7): refused, never migrated "back" nor
// rebuilt as damaged, and nothing is written to it, not even the journal mode.
struct NewerStore : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// quick_check's first line, "ok" for a sound file. Bounded: a badly damaged file lists one problem.
void check_pages(SQLite::Database& db) {
    auto first = db.execAndGet("PRAGMA quick_check(1)").getString();
    if (first != "ok") throw Damaged("quick_check: " + first.substr(0, 200));
}

struct Salvaged {
    std::vector<OutboxEntry> records;
    int64_t unreadable = 0;  // outbox entries that could not be read
};

// Reads what can be read of the damaged file's unsynced records, one at a time so a bad page
// loses only the records on it.
Salvaged salvage_outbox(const std::filesystem::path& damaged) {
    Salvaged out;
    try {
        SQLite::Database db(damaged.string(), SQLite::OPEN_READWRITE);
        int64_t lo = 1, hi = 0;
        for (const char* q : {"SELECT min(local_seq), max(local_seq) FROM outbox",
                              "SELECT min(local_seq), max(local_seq) FROM records"}) {
            try {
                SQLite::Statement st(db, q);
                if (st.executeStep() && !st.getColumn(1).isNull()) {
                    lo = st.getColumn(0).getInt64();
                    hi = st.getColumn(1).getInt64();
                    break;
                }
            } catch (const std::exception&) {
            }
        }
        if (hi == 0) {
            try {
                hi = db.execAndGet("SELECT value FROM kiosk_sequence WHERE name = 'record'").getInt64();
            } catch (const std::exception&) {
            }
        }
        // The outbox row first: a record head office already has needs nothing here.
        for (int64_t seq = lo; seq <= hi; ++seq) {
            std::string id;
            int version = 0;
            try {
                SQLite::Statement o(db, "SELECT record_id, schema_version FROM outbox WHERE local_seq = ?");
                o.bind(1, seq);
                if (!o.executeStep()) continue;
                id = o.getColumn(0).getString();
                version = o.getColumn(1).getInt();
                SQLite::Statement r(db, "SELECT type, payload, created_at FROM records WHERE id = ?");
                r.bind(1, id);
                if (!r.executeStep() || !nlohmann::json::accept(r.getColumn(1).getString())) {
                    ++out.unreadable;
                    continue;
                }
                out.records.push_back({seq, id, r.getColumn(0).getString(), version, r.getColumn(1).getString(),
                                       r.getColumn(2).getString()});
            } catch (const std::exception&) {
                ++out.unreadable;
            }
        }
    } catch (const std::exception&) {
        // Not even the header reads: nothing to keep.
    }
    return out;
}

std::string utc_now_text() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return b;
}
}  // namespace

void Store::connect(const StoreOptions& options) {
    m_db = std::make_unique<SQLite::Database>(m_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // First, so that another process opening the file at the same moment waits instead of failing.
    m_db->setBusyTimeout(5000);
    int found = m_db->execAndGet("PRAGMA user_version").getInt();
    if (found > latest_schema_version())
        throw NewerStore(m_path.string() + " is at schema version " + std::to_string(found) + ", newer than this lobby-kiosk knows (" +
                         std::to_string(latest_schema_version()) +
                         "): a newer version wrote it. Nothing was written to it; install the newer version again");
    m_db->exec("PRAGMA journal_mode=WAL");
    m_db->exec(options.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
    m_db->exec("PRAGMA foreign_keys=ON");
    if (options.check_pages) check_pages(*m_db);
    migrate(*m_db);
    move_secret_out();
}

// The damaged file (with its -wal) moves aside as "<db>.damaged-<time>", a fresh store takes its
// place with every unsynced record that could be read, and the pulled data sets start again from
// cursor 0, so the next pull rebuilds them from head office. What happened is kept in sync_config
// ("damage") for staff until one of them marks it seen.
void Store::rebuild_from_damage(const std::string& why, const StoreOptions& options) {
    m_db.reset();
    auto aside = std::filesystem::path(m_path.string() + ".damaged-" + std::to_string(std::time(nullptr)));
    std::filesystem::rename(m_path, aside);
    for (const char* tail : {"-wal", "-shm", "-journal"}) {
        std::filesystem::path side = m_path.string() + tail;
        if (std::filesystem::exists(side)) std::filesystem::rename(side, aside.string() + tail);
    }
    Salvaged kept = salvage_outbox(aside);
    restrict_store_files(m_path);
    StoreOptions fresh = options;
    fresh.check_pages = false;
    connect(fresh);
    SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
    // The fresh file draws a new generation, so a record made from now on never takes the id of
    // one that was on a damaged page and may already be at head office.
    SQLite::Statement rec(*m_db, "INSERT OR IGNORE INTO records (id, type, schema_version, payload, created_at, local_seq) "
                                 "VALUES (?, ?, ?, ?, ?, ?)");
    SQLite::Statement out(*m_db, "INSERT OR IGNORE INTO outbox (local_seq, record_id, schema_version) VALUES (?, ?, ?)");
    int64_t top = 0;
    for (auto& e : kept.records) {
        rec.bind(1, e.record_id);
        rec.bind(2, e.record_type);
        rec.bind(3, e.schema_version);
        rec.bind(4, e.payload);
        rec.bind(5, e.created_at);
        rec.bind(6, e.local_seq);
        rec.exec();
        rec.reset();
        out.bind(1, e.local_seq);
        out.bind(2, e.record_id);
        out.bind(3, e.schema_version);
        out.exec();
        out.reset();
        top = std::max(top, e.local_seq);
    }
    // The outbox order goes on after the carried-over records.
    SQLite::Statement seq(*m_db, "UPDATE kiosk_sequence SET value = max(value, ?) WHERE name = 'record'");
    seq.bind(1, top);
    seq.exec();
    nlohmann::json damage{{"why", why.substr(0, 300)},
                          {"at", utc_now_text()},
                          {"kept", kept.records.size()},
                          {"unreadable", kept.unreadable},
                          {"file", aside.filename().string()}};
    SQLite::Statement note(*m_db, "INSERT INTO sync_config (key, value) VALUES ('damage', ?) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    note.bind(1, damage.dump());
    note.exec();
    tx.commit();
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path, std::string site_id,
                                           std::string kiosk_id, OpenOptions options) {
    std::unique_ptr<Store> s(new Store());
    s->m_path = path;
    s->m_site = std::move(site_id);
    s->m_kiosk = std::move(kiosk_id);
    try {
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
        restrict_store_files(path);
        std::string damage;
        try {
            s->connect(options);
        } catch (const Damaged& e) {
            damage = e.what();
        } catch (const SQLite::Exception& e) {
            if (!is_damage(e) || !is_plain_file_path(path)) throw;
            damage = e.what();
        }
        if (!damage.empty()) {
            if (!options.rebuild_if_damaged) return Error{"error.store_damaged", damage};
            s->rebuild_from_damage(damage, options);
        }
        s->prepare();
    } catch (const NewerStore& e) {
        return Error{"error.store_newer", e.what()};
    } catch (const std::exception& e) {
        return Error{"error.store_open", e.what()};
    }
    return s;
}

void Store::rebind(std::string site_id, std::string kiosk_id) {
    m_site = std::move(site_id);
    m_kiosk = std::move(kiosk_id);
    m_record_prefix = m_site + "-" + m_kiosk + "-" + m_db->execAndGet("SELECT generation FROM store_identity").getString() + "-";
}

void Store::prepare() {
    auto& db = *m_db;
    m_record_prefix = m_site + "-" + m_kiosk + "-" + db.execAndGet("SELECT generation FROM store_identity").getString() + "-";
    m_next_seq = std::make_unique<SQLite::Statement>(
        db, "UPDATE kiosk_sequence SET value = value + 1 WHERE name = 'record' RETURNING value");
    m_insert_record = std::make_unique<SQLite::Statement>(
        db, "INSERT INTO records (id, type, schema_version, payload, created_at, local_seq) "
            "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?)");
    m_insert_outbox = std::make_unique<SQLite::Statement>(
        db, "INSERT INTO outbox (local_seq, record_id, schema_version) VALUES (?, ?, ?)");
    Store& st = *this;
    m_cases = std::make_unique<CaseRepository>(st, db);
    m_parcels = std::make_unique<ParcelRepository>(st, db);
    m_loans = std::make_unique<LoanRepository>(st, db);
    m_exit_passes = std::make_unique<ExitPassRepository>(st, db);
    m_household = std::make_unique<HouseholdRepository>(st, db);
    m_datasets = std::make_unique<DatasetRepository>(st, db);
    m_outbox = std::make_unique<OutboxRepository>(st, db);
}

std::optional<Store::Damage> Store::damage() {
    try {
        SQLite::Statement q(*m_db, "SELECT value FROM sync_config WHERE key = 'damage'");
        if (!q.executeStep()) return std::nullopt;
        auto j = nlohmann::json::parse(q.getColumn(0).getString(), nullptr, false);
        if (!j.is_object()) return std::nullopt;
        return Damage{j.value("why", ""), j.value("at", ""), j.value("kept", int64_t{0}), j.value("unreadable", int64_t{0}),
                      j.value("file", "")};
    } catch (const std::exception& e) {
        return Damage{e.what(), utc_now_text(), 0, 0, ""};
    }
}

Result<Ok> Store::clear_damage() {
    try {
        m_db->exec("DELETE FROM sync_config WHERE key = 'damage'");
        return Ok{};
    } catch (const std::exception& e) {
        return Error{"error.store_write", e.what()};
    }
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
