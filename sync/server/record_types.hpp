#pragma once
// The record types head office takes from kiosks, in one table: for each its name, what its
// payload must hold (fields, their kinds, bounded sizes), the thing it claims (the first record
// to act on a parcel, pass or loan wins; a later one from any kiosk is stored and flagged), and
// its projection: what it does to head office's tables (parcels, passes, loans, cases) once stored.
// A push walks the table; a new type is one row in record_types.cpp.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/server/sql_db.hpp"

namespace kiosk::headoffice {

struct IncomingRecord;
struct PushResult;

// Named where head office reads these records back (the monthly statistics).
inline constexpr const char* kSurveyAnswer = "survey.answer";
// Wrong household PINs across a site's kiosks that lock the household until the desk issues a
// new PIN, and the window they are counted in.
inline constexpr int64_t kPinFailuresToLock = 10;
inline constexpr int64_t kPinFailureWindowS = 24 * 3600;

// One payload field. Fields not listed are kept as sent, bounded only by the payload's size.
struct FieldRule {
    enum class Kind { Text, Integer, Flag, Texts, List, Object };
    const char* key;
    Kind kind;
    bool required = false;
    bool nullable = false;                // null is as good as absent
    size_t max = 0;                       // Text: bytes; Texts: items (each an id); List, Object: bytes as JSON
    int64_t min_value = 0, max_value = INT64_MAX;  // Integer
    std::vector<std::string_view> one_of = {};     // Text: the values it may take, when listed
};

// A claim on the thing(s) named by a payload field (a string, or an array of strings):
// `prefix` + the thing's id in head office's claims table.
struct ClaimRule {
    const char* prefix;  // "parcel:"
    const char* key;     // "parcel_id", or "parcels" for an array
    const char* reason;  // the conflict a later record gets: "parcel_already_gone"
};

// What a projection may do for one record stored fresh by a push, inside the push's transaction.
struct RecordContext {
    SqlDb& db;
    const std::string& site;
    const std::string& kiosk;
    const IncomingRecord& record;
    PushResult& out;

    // Flags the record as having lost to `winner` (another record's id, or "" when none).
    void conflict(const std::string& reason, const std::string& winner);
    // The first record to claim `what` at the site holds it; a later one is flagged with `reason`.
    bool claim(const std::string& what, const std::string& reason);
    // A row of the site's parcels, exit_passes or loans data set, changed as kiosks pull it
    // (`change` gets {} for a thing not seen yet and leaves it {} to write nothing).
    void publish_row(const char* dataset, const std::string& key, const std::function<void(nlohmann::json&)>& change);
    // A pickup code no waiting parcel of the site holds, from the CSPRNG.
    std::string free_site_code();
};

// The case a repair or complaint opens: one row of head office's cases table.
struct CaseOpening {
    std::string ticket, kind, category;
    std::optional<std::string> urgency;  // repairs
    int64_t filed_at = 0;
    std::optional<int64_t> on_site_by, done_by, reply_by;
};

struct RecordType {
    const char* name;
    int schema_version = 1;
    std::vector<FieldRule> fields;
    std::optional<ClaimRule> claim = {};
    // Runs once the record is stored fresh; `won` are the things it claimed first (empty
    // without a claim rule). Null: the record is only kept.
    void (*project)(RecordContext&, const std::vector<std::string>& won) = nullptr;
    // Instead of `project`, for a type whose projection is a plain insert: the case the record
    // opens, or nothing (a repair without a ticket is kept, just not followed as a case).
    std::optional<CaseOpening> (*opens_case)(const nlohmann::json& payload) = nullptr;
    // Instead of `project`: the record registers a parcel (parcel_id, pickup_code), projected by
    // apply_records with the others of its run.
    bool registers_parcel = false;
    // Instead of `project`: the record ends the wait of the parcels it claimed, as {status, how}
    // on their rows (collected by code, returned), projected by apply_records with its run.
    std::pair<std::string, std::string> (*parcel_gone_as)(const nlohmann::json& payload) = nullptr;
};

const std::vector<RecordType>& record_types();
const RecordType* find_record_type(std::string_view name);

// Why this payload is not one of `type`'s, or nothing.
std::optional<std::string> payload_problem(const RecordType& type, const nlohmann::json& payload);
// The same, and a payload found good as payload.dump() in `dumped` (what a push stores: each
// payload printed once).
std::optional<std::string> payload_problem(const RecordType& type, const nlohmann::json& payload, std::string* dumped);

// Checks the record's claims and applies its projection (the record is already stored).
void apply_record(RecordContext& ctx, const RecordType& type);

// A type whose records, stored fresh one after another, apply_records projects together: a case
// opened, a parcel registered, parcels handed over or returned, or nothing. The others go through
// apply_record one at a time.
bool projects_in_bulk(const RecordType& type);
// A type whose projection the tables' keys alone keep right (a case opened, or nothing): a push of
// only such records needs no site lock. A parcel's pickup code is checked against the site's
// waiting parcels, which only the site's lock keeps still.
bool keyed_only(const RecordType& type);
// The projections of such records (of `type`s that project in bulk, in push order) in a few
// statements, as apply_record would one by one: the first to open a ticket, register a parcel id
// or claim a parcel holds it, a later one (in this push or another) is flagged ticket_taken,
// parcel_id_taken or parcel_already_gone with the first's record id; a parcel whose pickup code a
// waiting parcel already holds (from before, or earlier in this push) gets a new one
// (pickup_code_clash, out.new_codes). The caller keeps a run to registrations before hand-overs
// (a registration after a hand-over starts a new run), as they are applied in that order.
void apply_records(SqlDb& db, const std::string& site, const std::string& kiosk, const std::vector<const IncomingRecord*>& records,
                   PushResult& out);

// Flags a stored record as having lost to `winner` (a record id, or "" when none), in the
// store and in the push's answer.
void flag_conflict(SqlDb& db, PushResult& out, const std::string& record_id, const std::string& reason, const std::string& winner);

// Site rows get versions from one increasing counter; a kiosk pulls those after its cursor.
int64_t next_row_version(SqlDb& db);
// A payload's text field, or "" when it is missing or not a string.
std::string payload_text(const nlohmann::json& p, const char* k);
// The body of a live (not deleted) row of a site's data set, as an object (a body that is not
// one reads as {}); nothing when there is no such row.
std::optional<nlohmann::json> live_site_row(SqlDb& db, const std::string& site, const char* dataset, const std::string& key);
// Whether a household_pins row's body locks the flat: as the kiosk reads it, a "locked" that is
// anything but a boolean (the text "true" of a site file) locks it; none at all does not.
bool household_pins_locked(const nlohmann::json& body);
// A row of a site's data set, new or changed (and not deleted), with the next version.
void put_site_row(SqlDb& db, const std::string& site, const char* dataset, const std::string& key, const std::string& body);
// A pickup code no waiting parcel of the site holds, from the CSPRNG.
std::string free_site_code(SqlDb& db, const std::string& site);
// The case's status as kiosks pull it: a new version of its case_status row.
void publish_case_status(SqlDb& db, const std::string& site, const std::string& ticket);

}  // namespace kiosk::headoffice
