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

struct RecordType {
    const char* name;
    int schema_version = 1;
    std::vector<FieldRule> fields;
    std::optional<ClaimRule> claim = {};
    // Runs once the record is stored fresh; `won` are the things it claimed first (empty
    // without a claim rule). Null: the record is only kept.
    void (*project)(RecordContext&, const std::vector<std::string>& won) = nullptr;
};

const std::vector<RecordType>& record_types();
const RecordType* find_record_type(std::string_view name);

// Why this payload is not one of `type`'s, or nothing.
std::optional<std::string> payload_problem(const RecordType& type, const nlohmann::json& payload);

// Checks the record's claims and applies its projection (the record is already stored).
void apply_record(RecordContext& ctx, const RecordType& type);

// Site rows get versions from one increasing counter; a kiosk pulls those after its cursor.
int64_t next_row_version(SqlDb& db);
// The case's status as kiosks pull it: a new version of its case_status row.
void publish_case_status(SqlDb& db, const std::string& site, const std::string& ticket);

}  // namespace kiosk::headoffice
