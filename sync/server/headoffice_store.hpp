#pragma once
// Head office's store (SQLite, or PostgreSQL given a DSN): every record from every kiosk exactly once, the sites' reference
// data as versioned rows that kiosks pull by cursor, the kiosks and their secrets, and the
// claims that decide which kiosk's action wins when two acted on one thing while offline.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/datasets.hpp"
#include "kiosk/core/result.hpp"
#include "sync/common/heartbeat.hpp"
#include "sync/server/sql_db.hpp"

namespace kiosk::headoffice {

struct IncomingRecord {
    std::string id, type, created_at;
    int schema_version = 0;
    int64_t local_seq = 0;
    nlohmann::json payload;
};

struct PushResult {
    std::vector<std::string> stored;                            // held now, new or from before
    std::vector<std::string> fresh;                             // of those, stored by this push
    std::vector<std::pair<std::string, std::string>> rejected;  // {id, reason}
    struct Conflict {
        std::string id, reason, winner;
    };
    std::vector<Conflict> conflicts;                            // stored, and lost to another kiosk
    int queued_notifications = 0;                               // texts queued by this push (notify_outbox)
    // parcel.registered records whose pickup code another kiosk's waiting parcel already held:
    // record id -> the code head office gave the parcel instead (and texts to the household).
    std::map<std::string, std::string> new_codes;
};

// A signed request's signature, checked for a replay inside the push's own transaction (one
// round trip and one commit fewer than HeadOfficeStore::first_sighting before it).
struct ReplayCheck {
    std::string signature;
    int64_t now = 0, window_s = 0;
};
// The error key of a push refused as a replay (nothing of it was written).
inline constexpr const char* kReplayedKey = "headoffice.error.replayed";

struct PullPage {
    std::vector<DatasetRow> rows;
    int64_t cursor = 0;
    bool more = false;
};

// A repair or complaint as head office follows it: filed at a kiosk, then worked on by staff here
// (severity, dispatch, the repairer on site, done, the follow-up, closed).
struct CaseRow {
    std::string ticket, record_id, kind;  // kind: "repair" or "complaint"
    std::string category;                 // the repair's category, the complaint's kind
    std::string urgency;                  // repairs: emergency or appointment
    std::string severity;                 // complaints, once staff set it: major, important, minor
    std::optional<bool> valid;            // complaints: 有效投诉 (true) or communicative (false)
    std::string status = "registered";
    int64_t filed_at = 0;
    std::optional<int64_t> on_site_by, done_by, reply_by;            // what the kiosk promised
    std::optional<int64_t> on_site_at, done_at, followed_up_at, closed_at;  // what happened
    std::optional<int> rating;            // the follow-up's 1-5
    std::string closed_by, approved_by, result;
};

// What an office clerk records about a case. Statuses only move forward.
struct CaseUpdate {
    std::optional<std::string> status;    // dispatched, in_progress, done, followed_up, closed
    std::optional<std::string> severity;  // complaints
    std::optional<bool> valid;            // complaints
    bool on_site = false;                 // repairs: the repairer arrived at `at`
    std::optional<int> rating;            // with followed_up: the resident's rating on the call
    std::string by, approved_by, result;  // closed: who closed it, who approved (major), the outcome
    int64_t at = 0;                       // when (Unix time)
    // The console: `by` is the clerk (kept in the case's history with every update). A worker
    // assigned to a registered case dispatches it; a note is kept in the history only.
    std::optional<std::string> assignee;
    std::string note;
};

// The console's types (sync/server/console_data.hpp).
struct SiteScope;
struct CaseFilter;
struct CasePage;
struct CaseTimeline;
struct AnnouncementInput;
struct AnnouncementRow;
struct CsvPreview;
struct StoredCsvPreview;

// A kiosk's credentials as head office holds them (PROTOCOL.md, "Key life cycle").
struct KioskInfo {
    bool enrolled = false;       // has a secret it has used
    bool code_outstanding = false;  // an enrolment code not yet spent
    bool rotating = false;       // a previous secret still accepted until the new one is first used
    bool revoked = false;
};

// Which of a kiosk's secrets signed a request.
struct KioskSecrets {
    std::string current;  // the newest secret
    bool current_confirmed = false;
    std::string previous;  // during a rotation: the one before, until `current` is first used
};

// A text for a household waiting in the notification outbox (written with the record that asked
// for it, in the same transaction), as a sender gets it.
struct OutgoingNotification {
    std::string id;    // the record's id: one text per record, and the receiver's idempotency key
    std::string body;  // JSON: {id, site, unit, kind, record, detail}
    int attempts = 0;  // including this one
    int64_t lease = 0;  // the claim's lease (ms): only its holder records the outcome
};

// A row of the outbox as `lobby-headoffice notifications` shows it.
struct NotificationRow {
    std::string id, site, unit, kind;
    std::string state;  // pending, sending (a sender holds it now), sent, failed
    int attempts = 0;
    int64_t created_ms = 0, next_ms = 0, sent_ms = 0;
    std::string last_error;
};

// A kiosk as the fleet list sees it: what head office knows of it from its credentials, its last
// signed request and its heartbeats.
struct FleetKiosk {
    std::string site, kiosk;
    std::string added_at;                    // ISO 8601 UTC, when add-kiosk first named it
    bool revoked = false;
    std::optional<int64_t> last_contact;     // Unix s of its last signed request, any route
    std::optional<int64_t> heartbeat_at;     // Unix s of its last heartbeat (head office's clock)
    std::optional<sync::Heartbeat> heartbeat;
    // Its dead letters at its oldest heartbeat within the hour before `now` (growth is judged on it).
    std::optional<int64_t> dead_letters_hour_ago;
    std::optional<int64_t> hour_ago_at;      // when that heartbeat came
};

// How much heartbeat history head office keeps per kiosk: both bounds hold, pruned on insert.
inline constexpr int kFleetHistoryRows = 1440;           // a day at one a minute
inline constexpr int64_t kFleetHistoryS = 7 * 24 * 3600;  // and nothing older than a week

// Why a record would be refused, or nothing: the checks a push makes of each record, its
// payload's against its type's row in record_types.hpp.
// `payload_json`: given, a record found good leaves its payload there as payload.dump().
std::optional<std::string> record_problem(const IncomingRecord& r, const std::string& site, const std::string& kiosk,
                                          std::string* payload_json = nullptr);

// An open-case count (case_counts) that disagreed with the cases: what it said, what they say.
struct CaseCountFix {
    std::string site, kind;
    int64_t was = 0, is = 0;
};

class HeadOfficeStore {
public:
    // A SQLite file, or a PostgreSQL connection string ("postgresql://user@host/db", "host=... dbname=...").
    static Result<std::unique_ptr<HeadOfficeStore>> open(const std::string& where);
    static Result<std::unique_ptr<HeadOfficeStore>> open(const std::filesystem::path& path) { return open(path.string()); }
    // PostgreSQL: how many connections of its own this process's pushes may hold at once (4 unless
    // set; 1 to 64). Several serve processes on one database share its max_connections: with N of
    // them, each may be given a share. SQLite ignores it (one writer per file).
    // PostgreSQL: the Overview's open-case counts (case_counts, rows of changes) folded into one row
    // a site and kind; run about once a minute with the replay window's pruning. SQLite: nothing.
    void fold_case_counts();
    // The Overview's open-case counts made again from the cases (recount_case_counts in
    // console_data.hpp): `lobby-headoffice recount-cases`.
    std::vector<CaseCountFix> recount_case_counts();
    void set_push_connections(int n) { m_push_connections = n < 1 ? 1 : n > 64 ? 64 : n; }
    int push_connections() const { return m_push_connections; }
    // The schema version this lobby-headoffice makes and reads; a store at a newer one is refused.
    static int64_t latest_schema_version();

    // Kiosks: an enrolment code made by an administrator, exchanged for the kiosk's secret; the
    // exchange can be repeated until the kiosk first uses the secret. For a kiosk that already
    // has a secret, a new code rotates it: the old secret keeps working until the kiosk first
    // signs with the new one, or stops at once with `force` (a kiosk stolen or its disk copied).
    Result<std::string> add_kiosk(const std::string& site, const std::string& kiosk, bool force = false);  // the code
    Result<std::string> register_kiosk(const std::string& site, const std::string& kiosk, const std::string& enrol_code);
    // Every secret and code of the kiosk stops working; add_kiosk admits it again.
    Result<Ok> revoke_kiosk(const std::string& site, const std::string& kiosk);
    std::optional<KioskInfo> kiosk_info(const std::string& site, const std::string& kiosk);
    std::optional<KioskSecrets> kiosk_secrets(const std::string& site, const std::string& kiosk);
    // The kiosk signed a request with its newest secret: its enrolment code is spent and the
    // previous secret stops working.
    // `secret`: the one the request was signed with (a newer one issued meanwhile stays unconfirmed).
    void kiosk_used_secret(const std::string& site, const std::string& kiosk, const std::string& secret);
    // A signature seen for the first time (kept for `window_s`, across restarts and processes):
    // false for a replay.
    bool first_sighting(const std::string& signature, int64_t now, int64_t window_s);

    // The notification outbox. A sender claims due texts for `lease_ms` (another process's
    // sender skips them meanwhile; a sender that dies lets them go when the lease ends), then
    // reports each as sent or failed; failed ones are tried again at `retry_at_ms`, or given up
    // when that is nullopt.
    std::vector<OutgoingNotification> claim_notifications(int64_t now_ms, int64_t lease_ms, int max);
    // False when the claim's lease had run out and another sender took the text meanwhile.
    bool notification_sent(const OutgoingNotification& n, int64_t now_ms);
    bool notification_failed(const OutgoingNotification& n, const std::string& error, std::optional<int64_t> retry_at_ms);
    // Newest first; empty site/state: all. State "sending" is a pending row under a live lease.
    std::vector<NotificationRow> notifications(const std::string& site, const std::string& state, int64_t now_ms, int limit);
    // Failed texts of a site (all sites: empty) go back to pending, due now. Returns how many.
    int retry_failed_notifications(const std::string& site, int64_t now_ms);

    // Stores a kiosk's batch in one transaction: insert-or-ignore on the id, claims checked.
    // `replay`: the request's signature is kept in that transaction as first_sighting keeps it;
    // one seen before refuses the push (error kReplayedKey), and a push that fails keeps none.
    Result<PushResult> push(const std::string& site, const std::string& kiosk, const std::vector<IncomingRecord>& records,
                            const ReplayCheck* replay = nullptr);
    Result<PullPage> pull(const std::string& site, const std::string& dataset, int64_t cursor, int limit);

    // A site's reference data from a site file: rows that changed get a new version, rows no
    // longer there are marked deleted. Returns how many rows changed.
    Result<int> import_site(const std::string& site, const nlohmann::json& doc);
    // One data set's rows (from CSV): changed rows get a new version; with `replace`, rows of the
    // data set not among them are deleted, else they stay. Returns how many rows changed.
    Result<int> import_rows(const std::string& site, const std::string& dataset, const std::vector<DatasetRow>& rows, bool replace);
    // One row changed by an office clerk (a fee paid): a new version kiosks will pull.
    Result<Ok> put_row(const std::string& site, const std::string& dataset, const DatasetRow& row);

    // The desk hands a household a new PIN: a fresh one from the CSPRNG, of which only the
    // Argon2id hash is kept, in the household's household_pins row (a new version kiosks pull),
    // unlocked, with the count of wrong PINs cleared. Returns the PIN, to be shown once and kept
    // nowhere. The unit must be one of the site's.
    Result<std::string> issue_household_pin(const std::string& site, const std::string& unit);
    // Every household of the site a new PIN at once (after a kiosk is stolen: its disk holds every
    // household's hash). The PINs are made and hashed first, then handed to `hand_over` (which
    // writes them where the desk will print them) and only if it succeeds stored, all in one
    // transaction: no household is left with a PIN nobody was given. Returns how many.
    using UnitPins = std::vector<std::pair<std::string, std::string>>;  // unit, PIN
    Result<size_t> issue_all_household_pins(const std::string& site, const std::function<Result<Ok>(const UnitPins&)>& hand_over);
    // Whether head office has locked the household after wrong PINs (nothing: no PIN issued).
    std::optional<bool> household_locked(const std::string& site, const std::string& unit);

    // The fleet. A heartbeat (already checked) becomes the kiosk's last state and a row of its
    // history, which is pruned in the same transaction to kFleetHistoryRows and kFleetHistoryS.
    Result<Ok> record_heartbeat(const std::string& site, const std::string& kiosk, const sync::Heartbeat& h, int64_t at);
    // A signed request from the kiosk was accepted at `at`: written at most every 30 s per kiosk.
    void note_contact(const std::string& site, const std::string& kiosk, int64_t at);
    // Every kiosk of a site (all sites: ""), by site and kiosk id, as of `now`.
    std::vector<FleetKiosk> fleet(const std::string& site, int64_t now);
    int64_t fleet_history_rows(const std::string& site, const std::string& kiosk);

    int64_t record_count();
    int64_t record_count(const std::string& site);
    int64_t record_count(const std::string& site, const std::string& type);
    std::vector<std::string> record_ids(const std::string& site);
    std::optional<nlohmann::json> record_payload(const std::string& id);
    std::vector<PushResult::Conflict> conflicts(const std::string& site);

    // Cases: an office clerk's update (kiosks pull the new status as case_status), and the cases
    // filed, done or followed up in [from, to) for the monthly statistics.
    Result<CaseRow> update_case(const std::string& site, const std::string& ticket, const CaseUpdate& u);
    std::optional<CaseRow> case_row(const std::string& site, const std::string& ticket);
    std::vector<CaseRow> cases_touching(const std::string& site, int64_t from, int64_t to);
    // The payloads of a site's records of one type (survey answers for the statistics).
    std::vector<nlohmann::json> payloads(const std::string& site, const std::string& type);
    const char* dialect() const { return m_db->dialect(); }

    // ---- The console (types in console_data.hpp, SQL in headoffice_console_data.cpp) --------------
    // Each takes the viewer's scope and enforces it in the SQL: a site outside it reads as absent.
    // The sites with data or kiosks, sorted.
    std::vector<std::string> sites(const SiteScope& scope);
    // A page of repairs, complaints and enquiries by due time, with the filter's total.
    Result<CasePage> case_list(const SiteScope& scope, const CaseFilter& filter);
    // A case and its events (filed, received, every update and note, the follow-up), as of `now`.
    std::optional<CaseTimeline> case_timeline(const SiteScope& scope, const std::string& site, const std::string& ticket, int64_t now);
    // update_case for a case in the scope (else "no case"): assign, change status, note, close.
    Result<CaseRow> update_case(const SiteScope& scope, const std::string& site, const std::string& ticket, const CaseUpdate& u);
    // An announcement to each of its sites (all in the scope; its buildings each site's), under one
    // new id kiosks pull at their next sync. Returns the id.
    Result<std::string> publish_announcement(const SiteScope& scope, const AnnouncementInput& a);
    std::vector<AnnouncementRow> announcements(const SiteScope& scope, const std::string& site);
    // A site's announcement rewritten (a.sites is not used) or withdrawn (kiosks delete it).
    Result<Ok> edit_announcement(const SiteScope& scope, const std::string& site, const std::string& id, const AnnouncementInput& a);
    Result<Ok> withdraw_announcement(const SiteScope& scope, const std::string& site, const std::string& id);
    // A previewed CSV imported through import_rows, only when it has no bad row. Rows changed.
    Result<int> commit_csv(const SiteScope& scope, const std::string& site, const CsvPreview& preview, bool replace);
    // CSV previews between upload and commit, kept in the store (table csv_previews) so that any
    // serve process of it commits or cancels one and a restart keeps it: the good rows as parsed,
    // the uploader, the site and data set, for kCsvPreviewLifeS; at most kMaxCsvPreviewsPerOwner
    // per uploader (the oldest goes). Returns the new preview's id (32 hex digits, random).
    Result<std::string> keep_csv_preview(const std::string& owner, const std::string& site, const CsvPreview& preview, bool replace,
                                         int64_t now);
    // The preview, taken off the store (once: a second take, from any process, finds nothing), for
    // its uploader or, with `any_owner`, an admin. Errors: console.error.preview_gone (committed,
    // cancelled or never made), console.error.preview_expired (and it is dropped),
    // console.error.preview_not_yours (and it stays for its uploader).
    Result<StoredCsvPreview> take_csv_preview(const std::string& id, const std::string& who, bool any_owner, int64_t now);
    // CSV (header first) to `sink` a page at a time from SQL; false from the sink stops it. Rows written.
    Result<int64_t> export_dataset(const SiteScope& scope, const std::string& site, const std::string& dataset,
                                   const std::function<bool(std::string_view)>& sink);
    Result<int64_t> export_cases(const SiteScope& scope, const CaseFilter& filter, const std::function<bool(std::string_view)>& sink);

    // Where pushes spent their time since the store was opened: in all (push_s), waiting for this
    // process's one connection (another push of this process on it), and waiting for the site's
    // write lock (another process writing the same site; SQLite: any other writer).
    struct WriteStats {
        int64_t pushes = 0, records = 0;
        double push_s = 0, connection_wait_s = 0, lock_wait_s = 0;
    };
    WriteStats write_stats() const;

private:
    HeadOfficeStore() = default;
    int64_t next_version();
    // `payload_json`: each record's payload as stored, payload.dump() (made once, by record_problem).
    PushResult store_batch(SqlDb& db, const std::string& site, const std::string& kiosk, const std::vector<IncomingRecord>& records,
                           const std::vector<std::string>& payload_json, const std::map<size_t, std::string>& refused, bool one_by_one,
                           const ReplayCheck* replay);
    void store_together(SqlDb& db, const std::string& site, const std::string& kiosk, const std::vector<IncomingRecord>& records,
                        const std::vector<std::string>& payload_json, const std::vector<size_t>& taken, const std::string& received,
                        bool site_lock, PushResult& out);
    void store_record(SqlDb& db, const std::string& site, const std::string& kiosk, const IncomingRecord& r, const std::string& payload_json,
                      const std::string& received, PushResult& out);
    int import_dataset(const std::string& site, const std::string& dataset, const std::vector<DatasetRow>& rows, bool replace);
    std::vector<CaseRow> case_rows(const std::string& where, const SqlParams& params);
    void migrate();
    void migrate_console();
    void queue_notifications(SqlDb& db, const std::string& site, const std::vector<IncomingRecord>& records, PushResult& out);
    std::unique_ptr<SqlDb> take_push_connection();  // waits while push_connections() are in use
    void give_back(std::unique_ptr<SqlDb> db);

    std::unique_ptr<SqlDb> m_db;
    void prune_seen_requests(int64_t now, int64_t window_s);  // at most once a minute
    std::atomic<int64_t> m_seen_pruned_at{0};
    // note_contact's writes from this process: a kiosk's row is written at most every 30 s, so a
    // request within 30 s of this process's last write for it needs no statement at all.
    std::mutex m_contact_lock;
    std::map<std::pair<std::string, std::string>, int64_t> m_contact_written;
    std::mutex m_write;  // one connection, one statement at a time; SqlDb::begin_write across processes
    // PostgreSQL: pushes write on connections of their own, opened as needed, so that a push
    // waiting for its site's lock (another process writing that site) holds up no other site's.
    // SQLite has one writer per file whatever the connection: pushes take m_db under m_write.
    static constexpr int kPushConnections = 4;
    std::atomic<int> m_push_connections{kPushConnections};
    bool m_postgres = false;
    std::string m_where;
    std::mutex m_pool_lock;
    std::condition_variable m_pool_free;
    std::vector<std::unique_ptr<SqlDb>> m_idle;
    int m_opened = 0;
    std::atomic<int64_t> m_pushes{0}, m_pushed_records{0}, m_push_us{0}, m_connection_wait_us{0}, m_push_lock_wait_us{0};
};

}  // namespace kiosk::headoffice
