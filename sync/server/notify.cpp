#include "sync/server/notify.hpp"

namespace kiosk::headoffice {

FileSender::FileSender(const std::string& path) : m_out(path, std::ios::app) {}

void FileSender::send(const Notification& n) {
    std::lock_guard lock(m_lock);
    m_out << nlohmann::json{{"site", n.site}, {"unit", n.unit}, {"kind", n.kind}, {"record", n.record_id}, {"detail", n.detail}}.dump()
          << "\n";
    m_out.flush();
}

std::vector<Notification> notifications_for(const std::string& site, const std::vector<const IncomingRecord*>& fresh) {
    std::vector<Notification> out;
    for (const IncomingRecord* r : fresh) {
        const auto& p = r->payload;
        std::string notify = p.value("notify", "");
        if (notify != "parcel_arrived" && notify != "parcel_reminder") continue;
        Notification n{site, p.value("unit", ""), notify, r->id, nlohmann::json::object()};
        for (const char* k : {"parcel_id", "pickup_code", "carrier", "stage", "return_at"})
            if (p.contains(k)) n.detail[k] = p[k];
        out.push_back(std::move(n));
    }
    return out;
}

}  // namespace kiosk::headoffice
