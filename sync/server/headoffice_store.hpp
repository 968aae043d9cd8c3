#pragma once
// Head office's store (SQLite, or PostgreSQL given a DSN): every record from every kiosk exactly once, the sites' reference
// data as versioned rows that kiosks pull by cursor, the kiosks and their secrets, and the
// claims that decide which kiosk's action wins when two acted on one thing while offline.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/datasets.hpp"
#include "kiosk/core/result.hpp"
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
    // parcel.registered records whose pickup code another kiosk's waiting parcel already held:
    // record id -> the code head office gave the parcel instead (and texts to the household).
    std::map<std::string, std::string> new_codes;
};

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
};

// Why a record would be refused, or nothing: the checks a push makes of each record, its
// payload's against its type's row in record_types.hpp.
std::optional<std::string> record_problem(const IncomingRecord& r, const std::string& site, const std::string& kiosk);

class HeadOfficeStore {
public:
    // A SQLite file, or a PostgreSQL connection string ("postgresql://user@host/db", "host=... dbname=...").
    static Result<std::unique_ptr<HeadOfficeStore>> open(const std::string& where);
    static Result<std::unique_ptr<HeadOfficeStore>> open(const std::filesystem::path& path) { return open(path.string()); }

    // Kiosks: an enrolment code made by an administrator, exchanged for the kiosk's secret; the
    // exchange can be repeated until the kiosk first uses the secret.
    Result<std::string> add_kiosk(const std::string& site, const std::string& kiosk);  // the enrolment code
    Result<std::string> register_kiosk(const std::string& site, const std::string& kiosk, const std::string& enrol_code);
    std::optional<std::string> kiosk_secret(const std::string& site, const std::string& kiosk);
    // The kiosk signed a request with its secret: its enrolment code is spent.
    void kiosk_used_secret(const std::string& site, const std::string& kiosk);

    // Stores a kiosk's batch in one transaction: insert-or-ignore on the id, claims checked.
    Result<PushResult> push(const std::string& site, const std::string& kiosk, const std::vector<IncomingRecord>& records);
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
    // Whether head office has locked the household after wrong PINs (nothing: no PIN issued).
    std::optional<bool> household_locked(const std::string& site, const std::string& unit);

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

private:
    HeadOfficeStore() = default;
    int64_t next_version();
    PushResult store_batch(const std::string& site, const std::string& kiosk, const std::vector<IncomingRecord>& records,
                           const std::map<size_t, std::string>& refused);
    void store_record(const std::string& site, const std::string& kiosk, const IncomingRecord& r, const std::string& received,
                      PushResult& out);
    int import_dataset(const std::string& site, const std::string& dataset, const std::vector<DatasetRow>& rows, bool replace);
    std::vector<CaseRow> case_rows(const std::string& where, const SqlParams& params);
    std::unique_ptr<SqlDb> m_db;
    std::mutex m_write;  // one connection, one statement at a time; SqlDb::begin_write across processes
};

}  // namespace kiosk::headoffice
