#include "kiosk/core/services.hpp"

#include <array>

namespace kiosk {

namespace {
constexpr std::array<ServiceInfo, 10> kServices{{
    {Service::Repairs, "repairs", "service.repairs", "service.repairs.hint", true},
    {Service::Fees, "fees", "service.fees", "service.fees.hint", true},
    {Service::Parcels, "parcels", "service.parcels", "service.parcels.hint", true},
    {Service::Borrowing, "borrowing", "service.borrowing", "service.borrowing.hint", true},
    {Service::Complaints, "complaints", "service.complaints", "service.complaints.hint", true},
    {Service::ExitPasses, "exit_passes", "service.exit_passes", "service.exit_passes.hint", true},
    {Service::Announcements, "announcements", "service.announcements", "service.announcements.hint", false},
    {Service::Enquiries, "enquiries", "service.enquiries", "service.enquiries.hint", false},
    {Service::MyRequests, "my_requests", "service.my_requests", "service.my_requests.hint", true},
    {Service::Survey, "survey", "service.survey", "service.survey.hint", true},
}};
}  // namespace

std::span<const ServiceInfo> all_services() { return kServices; }

const ServiceInfo& service_info(Service s) { return kServices[static_cast<size_t>(s)]; }

bool find_service(std::string_view id, Service& out) {
    for (auto& s : kServices)
        if (s.id == id) { out = s.service; return true; }
    return false;
}

}  // namespace kiosk
