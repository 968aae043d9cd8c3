#pragma once
// How sync with head office stands, as the staff dashboard and the home screen's icon show it.
// The sync worker (sync/client) fills it; the screens read a copy once a frame.
#include <cstdint>
#include <ctime>
#include <string>

namespace kiosk {

struct SyncSnapshot {
    bool configured = false;     // a head office is set for this kiosk
    bool online = false;         // the last exchange with head office worked
    int64_t outbox = 0;          // records not yet acknowledged
    int64_t dead_letters = 0;    // records head office refused, not yet marked handled: staff must look
    int64_t conflicts = 0;       // records that lost to another kiosk's action, not yet marked handled
    std::time_t last_success = 0;
    std::string last_error;      // for staff: what the last failure said
    uint64_t pulled_rows = 0;    // rows of site data pulled since start (a change to show)
    uint64_t version = 0;        // changes whenever anything above does
};

// A record head office refused for itself (kept at the kiosk, shown to staff), and a record
// head office stored but that lost to another kiosk's action on the same thing.
struct DeadLetter {
    std::string record_id, type, reason, at;
};
struct SyncConflict {
    std::string record_id, reason, winner;  // winner: the record head office kept, when it says
};

}  // namespace kiosk
