#include "kiosk/store/large_estate.hpp"

#include <cstdio>

#include "kiosk/core/household.hpp"
#include "kiosk/core/parcels.hpp"
#include "kiosk/core/service_levels.hpp"
#include "kiosk/store/store.hpp"

namespace kiosk {

namespace {
std::string two(int n) {
    char b[8];
    std::snprintf(b, sizeof b, "%02d", n);
    return b;
}
std::string four(int n) {
    char b[8];
    std::snprintf(b, sizeof b, "%04d", n % 10000);
    return b;
}
// "2026-11" minus `back` months.
std::string month_before(const std::string& last, int back) {
    int y = std::stoi(last.substr(0, 4)), m = std::stoi(last.substr(5, 2)) - back;
    while (m < 1) {
        m += 12;
        --y;
    }
    return std::to_string(y) + "-" + two(m);
}
constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"};
constexpr const char* kGiven[] = {"明", "华", "芳", "伟", "丽", "强", "敏", "静", "军", "燕"};
}  // namespace

std::string large_estate_unit(int tower, int floor, int flat) {
    return "T" + std::to_string(tower) + "-" + two(floor) + two(flat);
}

std::string large_estate_pin(int tower, int floor, int flat) {
    std::string half = std::to_string(tower) + two(floor) + std::to_string(flat);
    return half + half;
}

nlohmann::json large_estate_site(const nlohmann::json& base, const LargeEstateShape& shape) {
    nlohmann::json site = base;
    site["facts"]["households"] = std::to_string(shape.towers * shape.floors * shape.flats_per_floor);
    auto& buildings = site["buildings"] = nlohmann::json::array();
    auto& units = site["units"] = nlohmann::json::array();
    auto& residents = site["residents"] = nlohmann::json::array();
    auto& pins = site["household_pins"] = nlohmann::json::array();
    auto& consent = site["parcel_consent"] = nlohmann::json::array();
    auto& fees = site["fee_items"] = nlohmann::json::array();
    int flat_no = 0, resident_no = 0;
    for (int t = 1; t <= shape.towers; ++t) {
        std::string tid = "T" + std::to_string(t), n = std::to_string(t);
        buildings.push_back({{"id", tid}, {"name", {{"zh-CN", n + "栋"}, {"en", "Tower " + n}, {"zh-TW", n + "棟"}}}, {"sort", t}});
        for (int f = 1; f <= shape.floors; ++f)
            for (int k = 1; k <= shape.flats_per_floor; ++k, ++flat_no) {
                std::string id = large_estate_unit(t, f, k);
                units.push_back({{"id", id}, {"building", tid}, {"floor", f}, {"label", two(f) + two(k)}});
                // 3 or 4 residents a flat: 2,970 on the 792 flats of the default shape.
                int people = k == 1 ? 3 : 4;
                for (int r = 0; r < people; ++r, ++resident_no) {
                    std::string name = std::string(kSurnames[(flat_no + r) % 16]) + "*" + kGiven[(flat_no * 3 + r) % 10];
                    std::string phone = "1" + std::to_string(30 + (resident_no % 60)) + "****" + four(resident_no * 7919 + 1234);
                    residents.push_back({{"id", "R" + std::to_string(100000 + resident_no)},
                                         {"unit", id},
                                         {"name_masked", name},
                                         {"phone_masked", phone},
                                         {"role", r == 0 ? (flat_no % 7 == 3 ? "tenant" : "owner") : "family"}});
                }
                if (shape.every_flat_has_a_pin || f == 1 || f == shape.floors)
                    if (auto hash = household_pin_hash(large_estate_pin(t, f, k)))
                        pins.push_back({{"unit", id}, {"pin_hash", *hash}, {"locked", false}});
                if (flat_no % 10 != 9) consent.push_back(id);
                // Most flats are paid up; some are 1, 3 or 5 months behind (this month is due).
                int behind = flat_no % 31 == 5 ? 5 : flat_no % 17 == 4 ? 3 : flat_no % 9 == 2 ? 1 : 0;
                for (int back = shape.months - 1; back >= 0; --back) {
                    std::string month = month_before(shape.last_month, back);
                    bool paid = back == 0 ? (behind == 0 && flat_no % 2 == 0) : back > behind;
                    int64_t management = 26000 + (k * 2300) + (f % 3) * 100;
                    int64_t water = 2500 + ((flat_no * 13 + back * 7) % 40) * 100;
                    fees.push_back({{"id", "F-" + id + "-" + month + "-management"}, {"unit", id}, {"month", month},
                                    {"kind", "management"}, {"amount_cents", management}, {"paid", paid}});
                    fees.push_back({{"id", "F-" + id + "-" + month + "-water"}, {"unit", id}, {"month", month},
                                    {"kind", "water"}, {"amount_cents", water}, {"paid", paid}});
                }
            }
    }
    return site;
}

Result<int> seed_large_estate_desk(Store& store, std::time_t now, int parcels, int cases, const LargeEstateShape& shape) {
    std::vector<std::string> shelves = store.datasets().site_facts().parcel_shelves;
    if (shelves.empty()) shelves = {"A-01"};
    const auto& carriers = parcel_carriers();
    int flats = shape.towers * shape.floors * shape.flats_per_floor;
    auto unit_of = [&](int i) {
        int n = (i * 37 + 791) % flats;  // the first is the top flat of the last tower
        int t = n / (shape.floors * shape.flats_per_floor) + 1, rest = n % (shape.floors * shape.flats_per_floor);
        return large_estate_unit(t, rest / shape.flats_per_floor + 1, rest % shape.flats_per_floor + 1);
    };
    for (int i = 0; i < parcels; ++i) {
        ParcelIntake in;
        in.tracking = "SF" + std::to_string(3100000000LL + i * 7919LL);
        in.carrier = carriers[static_cast<size_t>(i) % carriers.size()];
        in.unit_id = unit_of(i);
        in.shelf = shelves[static_cast<size_t>(i) % shelves.size()];
        // Spread over the last ten days, oldest first, so some are reminded and some overdue.
        auto r = store.parcels().register_parcel(in, now - static_cast<std::time_t>(parcels - i) * 4300);
        if (!r && r.error().key != "parcel.error.duplicate") return r.error();
    }
    for (int i = 0; i < cases; ++i) {
        RepairRequest req;
        req.category = static_cast<RepairCategory>(i % 6);
        req.urgency = RepairUrgency::Emergency;
        req.unit_id = unit_of(i * 5 + 3);
        req.free_text = "第 " + std::to_string(i + 1) + " 号报修";
        auto members = store.household().members(req.unit_id);
        if (members.empty()) continue;
        req.contact_resident_id = members.front().resident_id;
        req.contact_phone_masked = members.front().phone_masked;
        std::time_t at = now - static_cast<std::time_t>(cases - i) * 3600;
        if (auto r = store.cases().save_repair(req, at, repair_promise(req.urgency, at, std::nullopt, false)); !r)
            return r.error();
    }
    return static_cast<int>(store.parcels().waiting_parcels().size());
}

}  // namespace kiosk
