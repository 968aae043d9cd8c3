#pragma once
// The kiosk's local store. Every record a resident or staff member is told is saved goes through
// save_record(): the record's own rows and its outbox entry in one BEGIN IMMEDIATE transaction,
// committed with synchronous=FULL, so once the screen says "saved" a crash or power cut loses
// nothing and head office gets it when the network is back.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "kiosk/core/datasets.hpp"
#include "kiosk/core/exit_pass.hpp"
#include "kiosk/core/fees.hpp"
#include "kiosk/core/loans.hpp"
#include "kiosk/core/parcels.hpp"
#include "kiosk/core/complaint.hpp"
#include "kiosk/core/repair.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/core/site.hpp"
#include "kiosk/core/site_facts.hpp"
#include "kiosk/core/sync_state.hpp"
#include "kiosk/store/cases.hpp"
#include "kiosk/store/datasets.hpp"
#include "kiosk/store/exit_passes.hpp"
#include "kiosk/store/household.hpp"
#include "kiosk/store/loans.hpp"
#include "kiosk/store/outbox.hpp"
#include "kiosk/store/parcels.hpp"
#include "kiosk/store/repository.hpp"

namespace kiosk {

struct StoreOptions {
    // false only for benchmarks that fill a store fast: synchronous=OFF, a power cut may lose what
    // was "saved".
    bool durable = true;
    // PRAGMA quick_check at open: a damaged page is found before a resident is told "saved".
    bool check_pages = true;
    // A damaged file is set aside and the store rebuilt (see Store::damage); false: open fails
    // with "error.store_damaged" (the sync worker's second connection, tools).
    bool rebuild_if_damaged = true;
};

class Store {
public:
    using OpenOptions = StoreOptions;
    // Opens (creating if needed) and migrates the store at `path`.
    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path, std::string site_id,
                                               std::string kiosk_id, StoreOptions options = {});
    ~Store();

    int schema_version();
    static int latest_schema_version();

    // The file was found damaged (at open, quick_check or a read) and rebuilt: the damaged file
    // is kept aside, every unsynced record that could be read was carried over and still syncs,
    // and the pulled data sets come again from head office. Kept until staff clear it; while it is
    // here the kiosk is out of service to residents.
    struct Damage {
        std::string why;       // SQLite's words, for staff; never residents' data
        std::string at;        // when it was found, UTC
        int64_t kept = 0;      // unsynced records carried over
        int64_t unreadable = 0;  // unsynced records on damaged pages: lost
        std::string file;      // the damaged file's name in the data directory
    };
    std::optional<Damage> damage();
    Result<Ok> clear_damage();

    // How the store's connection is set up, for the checks that the promise of "saved" holds.
    struct ConnectionSettings {
        std::string journal_mode;  // "wal"
        int synchronous;           // 2: FULL
        bool foreign_keys;
    };
    ConnectionSettings connection_settings();

    // The one door: writes a record and its outbox entry in one transaction. `domain_rows`, when
    // given, runs first inside that transaction: it writes the record's own rows (foreign keys to
    // records are deferred to the commit), may complete the payload (a ticket number), and may
    // throw to roll everything back. The repositories below write through it.
    using DomainWriter = kiosk::DomainWriter;
    Result<SavedRecord> save_record(const std::string& type, int schema_version, const nlohmann::json& payload,
                                    const DomainWriter& domain_rows = {});

    // The next ticket number of a kind for a day, e.g. "BX-SG01-261122-K1-003": unique without the
    // network (the kiosk is part of it), counted in the store. Call only inside save_record's writer.
    std::string next_ticket(std::string_view prefix, std::time_t at);
    // The same count, written short for a barcode that must scan on 58 mm paper: "P261122K1003".
    std::string next_short_id(std::string_view prefix, std::time_t at);

    // One repository per aggregate, all on this store's one connection.
    CaseRepository& cases() { return *m_cases; }
    ParcelRepository& parcels() { return *m_parcels; }
    LoanRepository& loans() { return *m_loans; }
    ExitPassRepository& exit_passes() { return *m_exit_passes; }
    HouseholdRepository& household() { return *m_household; }
    DatasetRepository& datasets() { return *m_datasets; }
    OutboxRepository& outbox() { return *m_outbox; }

    using HandOver = ParcelRepository::HandOver;
    using PushAnswer = OutboxRepository::PushAnswer;
    using SyncConflict = kiosk::SyncConflict;
    using DeadLetter = kiosk::DeadLetter;

    Result<Ok> import_site(const nlohmann::json& site);  // replaces the site's reference data

    // Counts the SQL statements this connection runs (SQLite's trace hook), for the test that the
    // screens run none while typing. Off by default: the hook costs a call per statement.
    void count_statements(bool on);
    int64_t statements_run() const { return m_statements; }
    const std::string& site_id() const { return m_site; }
    const std::string& kiosk_id() const { return m_kiosk; }
    // The kiosk's site and id as on-screen setup set them: records saved from now on carry them.
    void rebind(std::string site_id, std::string kiosk_id);

    // The kiosk's head-office secret lives in a file of its own beside the database (0600,
    // "<stem>.secret"), not in kiosk.db with everything else: a copy of the database, a support
    // dump or a damaged-file rebuild does not carry it. open() moves one found in sync_config.
    std::filesystem::path secret_path() const;
    std::optional<std::string> read_secret() const;
    Result<Ok> write_secret(const std::string& secret) const;

private:
    Store() = default;
    friend class StoreProbe;
    void move_secret_out();
    void connect(const StoreOptions& options);
    void rebuild_from_damage(const std::string& why, const StoreOptions& options);
    void prepare();
    std::pair<std::string, std::string> next_day_seq(std::string_view prefix, std::time_t at);  // {yymmdd, nnn}
    std::unique_ptr<SQLite::Database> m_db;
    std::filesystem::path m_path;
    std::string m_site, m_kiosk;
    std::string m_record_prefix;  // "<site>-<kiosk>-<generation>-"
    // save_record's statements, prepared once: a save costs one commit, not three parses.
    std::unique_ptr<SQLite::Statement> m_next_seq, m_insert_record, m_insert_outbox;
    std::unique_ptr<CaseRepository> m_cases;
    std::unique_ptr<ParcelRepository> m_parcels;
    std::unique_ptr<LoanRepository> m_loans;
    std::unique_ptr<ExitPassRepository> m_exit_passes;
    std::unique_ptr<HouseholdRepository> m_household;
    std::unique_ptr<DatasetRepository> m_datasets;
    std::unique_ptr<OutboxRepository> m_outbox;
    int64_t m_statements = 0;
};

// A data set would hold more than kMaxRowsPerDataset rows: the rows are refused, the old ones kept.
struct DatasetTooLarge : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Writes a data set's rows into the kiosk's tables (upserts and deletions); throws on a bad row,
// and DatasetTooLarge when the table would pass kMaxRowsPerDataset.
void apply_dataset_rows(SQLite::Database& db, std::string_view dataset, const std::vector<DatasetRow>& rows);
// How far head office has got with this kiosk's repairs and complaints (the case_status data set):
// a status only ever moves forward, so a resident's follow-up here is not undone by an older row.
void apply_case_status(SQLite::Database& db, const std::vector<DatasetRow>& rows);
// The site's parcels as head office knows them (the parcels data set): another kiosk's parcel is
// added or brought up to date; this kiosk's own takes head office's pickup code (a clash's new
// code), its later status and a longer hold. A status only moves on from waiting.
void apply_site_parcels(SQLite::Database& db, const std::vector<DatasetRow>& rows);
// The site's exit passes and loans (the exit_passes and loans data sets), the same way: another
// kiosk's is added; a decision, a use or a return head office holds replaces what this kiosk has
// when it is as far along or further (the first kiosk to reach head office decided).
void apply_site_exit_passes(SQLite::Database& db, const std::vector<DatasetRow>& rows);
void apply_site_loans(SQLite::Database& db, const std::vector<DatasetRow>& rows);

// A {"zh-CN": …, "en": …, "zh-TW": …} text as the site data stores it (local_text_from_json on
// the stored JSON text).
LocalText local_text(const std::string& json_text);

// Applies every migration newer than the database's user_version, each in its own transaction.
// Runs every migration newer than the file's; `up_to` stops earlier (tests of an upgrade).
void migrate(SQLite::Database& db, int up_to = 0);

}  // namespace kiosk
