#include "kiosk/core/parcels.hpp"

#include <nlohmann/json.hpp>

#include <sodium.h>

namespace kiosk {

std::string new_pickup_code() {
    uint32_t n = randombytes_uniform(1000000);  // uniform, no modulo bias
    std::string code(kPickupCodeDigits, '0');
    for (int i = kPickupCodeDigits - 1; i >= 0; --i, n /= 10) code[static_cast<size_t>(i)] = static_cast<char>('0' + n % 10);
    return code;
}

bool looks_like_pickup_code(std::string_view s) {
    if (s.size() != kPickupCodeDigits) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool valid_tracking_number(std::string_view s) {
    if (s.size() < 6 || s.size() > 40) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) return false;
    return true;
}

const std::vector<std::string>& parcel_carriers() {
    static const std::vector<std::string> k{"sf", "jd", "zto", "yto", "sto", "yunda", "ems", "other"};
    return k;
}

std::string_view parcel_stage_id(ParcelStage s) {
    switch (s) {
        case ParcelStage::Fresh: return "fresh";
        case ParcelStage::Remind: return "remind";
        case ParcelStage::Overdue: return "overdue";
        case ParcelStage::ReturnSoon: return "return_soon";
        case ParcelStage::ReturnDue: return "return_due";
    }
    return "fresh";
}

std::time_t parcel_return_at(std::time_t registered_at, const ParcelLimits& limits, int extra_days) {
    return registered_at + static_cast<std::time_t>(limits.return_after + extra_days) * 86400;
}

ParcelStage parcel_stage(std::time_t registered_at, std::time_t now, const ParcelLimits& limits, int extra_days) {
    std::time_t waited = now - registered_at;
    std::time_t back = parcel_return_at(registered_at, limits, extra_days);
    if (now >= back) return ParcelStage::ReturnDue;
    if (back - now <= 48 * 3600) return ParcelStage::ReturnSoon;
    if (waited >= static_cast<std::time_t>(limits.overdue_after + extra_days) * 86400) return ParcelStage::Overdue;
    if (waited >= static_cast<std::time_t>(limits.remind_after + extra_days) * 86400) return ParcelStage::Remind;
    return ParcelStage::Fresh;
}

int parcel_days_left(std::time_t registered_at, std::time_t now, const ParcelLimits& limits, int extra_days) {
    std::time_t left = parcel_return_at(registered_at, limits, extra_days) - now;
    if (left <= 0) return 0;
    return static_cast<int>((left + 86399) / 86400);
}

ParcelLimits parcel_limits_from_json(std::string_view json) {
    ParcelLimits l;
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) return l;
    auto take = [&](const char* key, int& into, int lo, int hi) {
        auto it = j.find(key);
        if (it != j.end() && it->is_number_integer() && it->get<int>() >= lo && it->get<int>() <= hi) into = it->get<int>();
    };
    ParcelLimits want = l;
    take("remind_after", want.remind_after, 1, 60);
    take("overdue_after", want.overdue_after, 1, 90);
    take("return_after", want.return_after, 1, 120);
    take("extend_days", want.extend_days, 1, 30);
    if (want.remind_after < want.overdue_after && want.overdue_after < want.return_after) return want;
    l.extend_days = want.extend_days;
    return l;
}

std::optional<std::string> parcel_intake_problem(const ParcelIntake& in) {
    if (!valid_tracking_number(in.tracking)) return "parcel.error.tracking";
    bool known_carrier = false;
    for (auto& c : parcel_carriers()) known_carrier = known_carrier || c == in.carrier;
    if (!known_carrier) return "parcel.error.carrier";
    if (in.shelf.empty() || in.shelf.size() > 12) return "parcel.error.shelf";
    return std::nullopt;
}

}  // namespace kiosk
