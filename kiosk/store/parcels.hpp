#pragma once
// The parcel desk's aggregate: parcels, their pickup and proxy codes, hand-overs and signatures
// (kiosk/store/parcels.cpp).
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/parcels.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/store/repository.hpp"

namespace kiosk {

class ParcelRepository : public Repository {
public:
    ParcelRepository(Store& store, SQLite::Database& db) : Repository(store, db) {}

    // Registering draws a pickup code unique among the site's waiting parcels and queues a
    // notification record for head office to send; a tracking number already registered with the
    // same carrier is refused (parcel.error.duplicate).
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
};

}  // namespace kiosk
