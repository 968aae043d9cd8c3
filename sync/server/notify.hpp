#pragma once
// Telling households what the desk holds for them: a parcel arrived (with its pickup code), a
// reminder, a return warning. The sender is pluggable; the default appends one JSON line per
// message to a file, for an SMS gateway or a person to take from there.
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sync/server/headoffice_store.hpp"

namespace kiosk::headoffice {

struct Notification {
    std::string site, unit, kind, record_id;  // kind: parcel_arrived | parcel_reminder
    nlohmann::json detail;                    // parcel id, pickup code, stage, return date
};

class NotificationSender {
public:
    virtual ~NotificationSender() = default;
    virtual void send(const Notification& n) = 0;
};

// One JSON line per notification, appended and flushed.
class FileSender : public NotificationSender {
public:
    explicit FileSender(const std::string& path);
    void send(const Notification& n) override;

private:
    std::mutex m_lock;
    std::ofstream m_out;
};

// The notifications a batch of fresh records asks for.
std::vector<Notification> notifications_for(const std::string& site, const std::vector<const IncomingRecord*>& fresh);

}  // namespace kiosk::headoffice
