#pragma once
// The desk's services as the home screen offers them (domain.md, 日常服务). One table: the tile
// order, the stable widget id a script taps, and the catalogue keys of its label and hint.
#include <span>
#include <string_view>

namespace kiosk {

enum class Service { Repairs, Fees, Parcels, Borrowing, Complaints, ExitPasses, Announcements, Enquiries, MyRequests, Survey };

struct ServiceInfo {
    Service service;
    std::string_view id;         // stable: "repairs" → widget "home.tile.repairs"
    std::string_view label_key;  // "service.repairs"
    std::string_view hint_key;   // "service.repairs.hint"
    bool needs_household;        // shows household data, so it asks for verification first
};

std::span<const ServiceInfo> all_services();
const ServiceInfo& service_info(Service s);
bool find_service(std::string_view id, Service& out);

}  // namespace kiosk
