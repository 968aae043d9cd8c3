#pragma once
// Parcels the desk keeps for residents (代收快递): pickup codes, how long a parcel has waited and
// what the desk owes the household about it. Plain rules; the store keeps the parcels.
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

// A parcel the desk keeps for a household.
struct Parcel {
    std::string id;               // "P<yymmdd><kiosk><nnn>": on the label as Code 128 and QR
    std::string tracking, carrier, unit_id, recipient_masked, shelf;
    std::string pickup_code;      // only ever shown to staff and on the label
    std::string status;           // waiting | collected | returned
    bool consent = false;         // the household had agreed to desk custody at intake
    int extra_days = 0;           // a hold extension
    std::string held_at;          // the kiosk of the site that registered it, when not this one
    std::time_t registered_at = 0, collected_at = 0;
};

struct ParcelIntake {
    std::string tracking, carrier, unit_id, shelf;
};

// A 6-digit pickup code drawn uniformly from a CSPRNG (libsodium), "000000"–"999999". The store
// draws again while the code is held by another waiting parcel of the site.
std::string new_pickup_code();
inline constexpr int kPickupCodeDigits = 6;
bool looks_like_pickup_code(std::string_view s);

// A carrier's tracking number as scanned or typed: 6–40 letters, digits or '-', case kept.
bool valid_tracking_number(std::string_view s);
// The carriers the desk sees most; "other" covers the rest (catalogue: parcel.carrier.<id>).
const std::vector<std::string>& parcel_carriers();
// The i18n key of what is wrong with a parcel at intake (tracking number, carrier, a shelf of
// 1–12 characters), or nothing. Whether the unit exists is the store's to say.
std::optional<std::string> parcel_intake_problem(const ParcelIntake& in);

// Site limits, in days: remind after `remind_after`, overdue after `overdue_after`, and sent
// back to the carrier after `return_after` (the warning goes out at least 48 h before).
struct ParcelLimits {
    int remind_after = 3;
    int overdue_after = 7;
    int return_after = 14;
    int extend_days = 7;     // a household may extend the hold once, by this many days
};
// The site's limits from its facts ("parcel_limits": {"remind_after": 3, ...}); a missing or
// nonsensical value keeps the default, and the order remind < overdue < return always holds.
ParcelLimits parcel_limits_from_json(std::string_view json);

enum class ParcelStage { Fresh, Remind, Overdue, ReturnSoon, ReturnDue };
std::string_view parcel_stage_id(ParcelStage s);  // catalogue: parcel.stage.<id>
// Where a parcel registered at `registered_at` stands at `now` (a hold extension adds days).
ParcelStage parcel_stage(std::time_t registered_at, std::time_t now, const ParcelLimits& limits, int extra_days = 0);
// When it goes back to the carrier.
std::time_t parcel_return_at(std::time_t registered_at, const ParcelLimits& limits, int extra_days = 0);

// Whole days left before it goes back: 1 while less than a day remains, 0 once it is due.
int parcel_days_left(std::time_t registered_at, std::time_t now, const ParcelLimits& limits, int extra_days = 0);

// A one-time code a household gives a neighbour or relative to collect one parcel for them.
inline constexpr std::time_t kProxyCodeValidS = 24 * 3600;
struct ProxyCode {
    std::string code, parcel_id;
    std::time_t issued_at = 0, expires_at = 0;
};

// What a code typed or scanned at the desk opened: a parcel, by its own code or a proxy code.
struct CodeMatch {
    Parcel parcel;
    bool by_proxy = false;
};

// The desk's day at a glance (the staff dashboard).
struct DeskCounts {
    int parcels_registered_today = 0;
    int parcels_handed_over_today = 0;
    int parcels_waiting = 0;
    int parcels_overdue = 0;      // waiting past the overdue limit
    int exit_passes_pending = 0;
    int loans_out = 0;
    int loans_overdue = 0;
};

}  // namespace kiosk
