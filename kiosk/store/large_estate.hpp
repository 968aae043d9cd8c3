#pragma once
// A real-size estate for trying the kiosk and for its tests (issue #14 item 8): 6 towers × 33
// floors × 4 flats (792 flats), about 3,000 residents and 24 months of bills a flat, as a site
// file in the demo's format; and the desk's side of it (200 parcels on the shelves, 50 open
// repairs), which are the kiosk's own records, written through the store's real doors.
// Everything is derived from the flat's position, so two runs give the same estate (the PIN
// hashes aside: Argon2id salts are random).
#include <ctime>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.hpp"

namespace kiosk {

class Store;

struct LargeEstateShape {
    int towers = 6;
    int floors = 33;
    int flats_per_floor = 4;
    int months = 24;                 // bills per flat, ending with `last_month`
    std::string last_month = "2026-11";
    // Argon2id takes ~30 ms a PIN: every flat's hash is ~25 s, so tests ask for the ground and
    // top floors only (48 flats) and `dev.sh demo-large` for all of them.
    bool every_flat_has_a_pin = false;
};

// Unit id and household PIN by the large estate's demo rule: tower, floor (two digits), flat,
// twice. Tower 6, floor 33, flat 4 is "T6-3304" with PIN 63346334.
std::string large_estate_unit(int tower, int floor, int flat);
std::string large_estate_pin(int tower, int floor, int flat);

// The site file: `base` (a site file such as assets/demo/site.json) gives the facts, catalogue,
// announcements and staff; buildings, units, residents, PINs, consent and bills are generated.
// It stays inside the import caps (kMaxRowsPerDataset rows a data set, 32 MiB a file).
nlohmann::json large_estate_site(const nlohmann::json& base, const LargeEstateShape& shape = {});

// The desk's records on the large estate, through the store's doors (register_parcel,
// save_repair): `parcels` waiting parcels spread over the flats and the last ten days before
// `now`, and `cases` open repairs. Returns how many parcels the store now has waiting.
Result<int> seed_large_estate_desk(Store& store, std::time_t now, int parcels = 200, int cases = 50,
                                   const LargeEstateShape& shape = {});

}  // namespace kiosk
