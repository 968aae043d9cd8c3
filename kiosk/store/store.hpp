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

namespace kiosk {

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

class Store {
public:
    // Opens (creating if needed) and migrates the store at `path`.
    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path, std::string site_id,
                                               std::string kiosk_id);

    int schema_version();
    static int latest_schema_version();

    // Writes a record and its outbox entry in one transaction. `domain_rows`, when given, runs first
    // inside that transaction: it writes the record's own rows (foreign keys to records are
    // deferred to the commit), may complete the payload (a ticket number), and may throw to roll
    // everything back.
    using DomainWriter = std::function<void(SQLite::Database&, const SavedRecord&, nlohmann::json& payload)>;
    Result<SavedRecord> save_record(const std::string& type, int schema_version, const nlohmann::json& payload,
                                    const DomainWriter& domain_rows = {});

    // The next ticket number of a kind for a day, e.g. "BX-SG01-261122-K1-003": unique without the
    // network (the kiosk is part of it), counted in the store. Call only inside save_record's writer.
    std::string next_ticket(std::string_view prefix, std::time_t at);
    // The same count, written short for a barcode that must scan on 58 mm paper: "P261122K1003".
    std::string next_short_id(std::string_view prefix, std::time_t at);

    // Saves a repair request with its record and outbox entry; returns the ticket number. A request
    // with something missing is refused whole (repair_problem's key).
    Result<std::string> save_repair(const RepairRequest& r, std::time_t registered_at, const RepairPromise& promise);

    // Saves a complaint or suggestion as an open case; returns its ticket (TS-…).
    Result<std::string> save_complaint(const ComplaintRequest& c, std::time_t filed_at);

    // The household's repairs and complaints, newest first, with their deadlines.
    std::vector<HouseholdCase> household_cases(const std::string& unit_id);
    // The resident's rating (1–5) and comment once the work is done; refused before that, or twice.
    Result<Ok> save_follow_up(const std::string& ticket, int rating, const std::string& comment, std::time_t at);

    // A question the enquiry screen could not answer, with a number to call back (stored masked
    // here; the full number goes to head office in the record). Returns its ticket (ZX-…).
    Result<std::string> save_question(const std::string& question, const std::string& phone, std::time_t at);

    // One household's answers (question id → 1..5) to survey `survey_id`. Anonymous answers keep
    // no flat, only a one-way key. A second answer from the same household is refused.
    Result<Ok> save_survey(const std::string& survey_id, const std::string& unit_id, bool anonymous,
                           const std::vector<std::pair<std::string, int>>& answers, std::time_t at);
    bool survey_answered(const std::string& survey_id, const std::string& unit_id);

    // Everything from the site's data the screens may draw (announcements, facts, buildings,
    // masked names, catalogue items): their characters go into the font atlas.
    std::vector<std::string> display_texts();

    // Parcels (kiosk/store/parcels.cpp). Registering draws a pickup code unique among the site's
    // waiting parcels and queues a notification record for head office to send; a tracking
    // number already registered with the same carrier is refused (parcel.error.duplicate).
    Result<Parcel> register_parcel(const ParcelIntake& in, std::time_t at);
    // The waiting parcel a code opens at `now`: its own pickup code, or a proxy code still valid.
    std::optional<CodeMatch> parcel_for_code(const std::string& code, std::time_t now);
    std::optional<Parcel> parcel(const std::string& id);
    std::optional<Parcel> parcel_by_tracking(const std::string& tracking);  // any carrier, any state
    std::vector<Parcel> waiting_parcels();                          // oldest first
    std::vector<Parcel> household_parcels(const std::string& unit_id);  // waiting, oldest first
    bool household_consents_to_custody(const std::string& unit_id);
    // Sends a waiting parcel back to its carrier: it stops waiting and its code is free again.
    Result<Ok> return_parcel_to_sender(const std::string& id, const std::string& staff_no, std::time_t at);
    // Queues a reminder record for each waiting parcel that reached a new stage (reminded after
    // 3 days, overdue after 7, and at least 48 h before it goes back), once per stage; returns how
    // many were queued. Head office turns them into texts to the household.
    int queue_parcel_reminders(std::time_t now, const ParcelLimits& limits);
    // Counts since `day_start` (local midnight) and as of `now`.
    DeskCounts desk_counts(std::time_t day_start, std::time_t now, const ParcelLimits& limits);
    // Hands parcels over, all or none: one still waiting is required for each id, so two kiosks
    // cannot hand over the same parcel twice. A proxy code is used up in the same transaction; a
    // signature is kept with the hand-over record and its strokes go to head office with it.
    struct HandOver {
        std::vector<std::string> ids;
        std::string how;                         // code | proxy | household
        std::string staff_no;
        std::string proxy_code;                  // how == "proxy"
        nlohmann::json signature;                // strokes (kiosk/core/signature.hpp) or null
        std::vector<unsigned char> signature_png;
    };
    Result<std::string> hand_over_parcels(const HandOver& h, std::time_t at);  // the record id
    Result<Ok> hand_over_parcels(const std::vector<std::string>& ids, const std::string& how,
                                 const std::string& staff_no, std::time_t at);
    std::optional<std::string> signature_strokes(const std::string& record_id);
    std::vector<unsigned char> signature_png(const std::string& record_id);
    // A verified household keeps a parcel longer, once, by `limits.extend_days`.
    Result<Parcel> extend_parcel_hold(const std::string& id, const std::string& unit_id, const ParcelLimits& limits,
                                      std::time_t at);
    // A one-time code for someone else to collect a household's parcel, valid for 24 h; a new one
    // for the same parcel revokes the old. Head office hears that one was issued, never the code.
    Result<ProxyCode> issue_proxy_code(const std::string& parcel_id, const std::string& unit_id, std::time_t at);
    std::optional<ProxyCode> active_proxy_code(const std::string& parcel_id, std::time_t now);

    // Exit passes (kiosk/store/exit_passes.cpp).
    Result<std::string> save_exit_pass_request(const ExitPassRequest& r, std::time_t at);
    std::vector<ExitPass> pending_exit_passes();  // oldest first
    std::optional<ExitPass> exit_pass(const std::string& id);
    // Approves or rejects a pending pass; refused when it is no longer pending (exit.error.reviewed).
    Result<Ok> review_exit_pass(const std::string& id, bool approve, const std::string& reason,
                                const std::string& staff_no, bool overridden, std::time_t at);
    // The gate: lets an approved pass of `today` through once and says why anything else is refused.
    GateVerdict use_exit_pass(const std::string& id, const std::string& today, std::time_t at);

    // Item loans (kiosk/store/loans.cpp).
    std::vector<CatalogueItem> catalogue();
    // Lends one item to a household; refused when none is left (loan.error.none_left), counted
    // inside the lending transaction.
    Result<Loan> lend_item(const std::string& item_id, const std::string& unit_id, const std::string& borrower_id,
                           std::time_t at);
    std::vector<Loan> loans_out();                                   // oldest first
    std::vector<Loan> household_loans(const std::string& unit_id);   // out, oldest first
    Result<Ok> return_loan(const std::string& loan_id, const std::string& condition, const std::string& staff_no,
                           std::time_t at);

    int64_t outbox_depth();
    int64_t last_record_seq();  // the sequence of the last record saved (0: none yet)
    // The oldest waiting records, at most `limit` of them and about `max_bytes` of payload (always
    // at least one, however large).
    std::vector<OutboxEntry> outbox_batch(int limit, size_t max_bytes = SIZE_MAX);

    // Sync with head office (kiosk/store/sync.cpp). The sync worker calls these on a Store of its
    // own: its own SQLite connection to the same file, so the screens never wait on the network.
    using SyncConflict = kiosk::SyncConflict;
    using DeadLetter = kiosk::DeadLetter;
    struct PushAnswer {
        std::vector<std::string> stored;                           // head office holds these
        std::vector<std::pair<std::string, std::string>> rejected;  // {id, reason}: never retried
        std::vector<SyncConflict> conflicts;                       // stored, but lost to another kiosk
    };
    // In one transaction: stored records leave the outbox and lose their sensitive payload fields
    // (a pickup code, a callback phone: head office has them now); rejected ones move to the dead
    // letters; conflicts are kept for staff.
    Result<Ok> settle_push(const PushAnswer& a);
    void note_push_failure(const std::vector<std::string>& ids, const std::string& error);
    int64_t pull_cursor(const std::string& dataset);
    // A pulled page of a data set and the cursor after it, in one transaction.
    Result<Ok> apply_pull(const std::string& dataset, const std::vector<DatasetRow>& rows, int64_t cursor);
    std::optional<std::string> sync_setting(const std::string& key);
    Result<Ok> set_sync_setting(const std::string& key, const std::string& value);
    // Newest first; `unhandled`: only those no clerk has marked handled yet.
    std::vector<DeadLetter> dead_letters(int limit = 50, bool unhandled = false);
    std::vector<SyncConflict> sync_conflicts(int limit = 50, bool unhandled = false);
    int64_t dead_letter_count(bool unhandled = false);
    int64_t conflict_count(bool unhandled = false);
    // A clerk has dealt with a refused record or a conflict (by its record id).
    Result<Ok> mark_sync_problem_handled(const std::string& record_id, const std::string& staff_no);

    // Reference data.
    bool has_site_data();
    Result<Ok> import_site(const nlohmann::json& site);  // replaces the site's reference data
    std::vector<Announcement> announcements(const std::string& today);
    std::vector<Building> buildings();
    std::vector<Unit> units_of(const std::string& building_id);
    std::optional<Unit> unit(const std::string& unit_id);
    std::vector<HouseholdMember> household(const std::string& unit_id);
    // Whether `pin` is the household's PIN (false when the household has none).
    bool household_pin_matches(const std::string& unit_id, const std::string& pin);
    std::vector<FeeItem> fee_items(const std::string& unit_id);
    std::optional<std::string> site_fact(const std::string& key);
    // Every site fact, typed and checked (kiosk/core/site_facts.hpp); read again only when a pull
    // or an import has changed them.
    SiteFacts site_facts();
    // Staff PIN check (libsodium Argon2id hash); returns the member when the PIN is right.
    std::optional<StaffMember> check_staff_pin(const std::string& staff_no, const std::string& pin);

    SQLite::Database& db() { return *m_db; }
    // Counts the SQL statements this connection runs (SQLite's trace hook), for the test that the
    // screens run none while typing. Off by default: the hook costs a call per statement.
    void count_statements(bool on);
    int64_t statements_run() const { return m_statements; }
    const std::string& site_id() const { return m_site; }
    const std::string& kiosk_id() const { return m_kiosk; }

private:
    Store() = default;
    std::pair<std::string, std::string> next_day_seq(std::string_view prefix, std::time_t at);  // {yymmdd, nnn}
    std::unique_ptr<SQLite::Database> m_db;
    std::string m_site, m_kiosk;
    std::string m_record_prefix;  // "<site>-<kiosk>-<generation>-"
    // save_record's statements, prepared once: a save costs one commit, not three parses.
    std::unique_ptr<SQLite::Statement> m_next_seq, m_insert_record, m_insert_outbox;
    int64_t m_statements = 0;
};

// Writes a data set's rows into the kiosk's tables (upserts and deletions); throws on a bad row.
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
