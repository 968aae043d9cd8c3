// The site's reference data as the screens read it.
#include <map>

#include <SQLiteCpp/Statement.h>

#include "kiosk/core/announcement.hpp"
#include "kiosk/core/site_facts.hpp"
#include "kiosk/store/store.hpp"

namespace kiosk {

bool DatasetRepository::has_site_data() { return m_db->execAndGet("SELECT count(*) FROM buildings").getInt() > 0; }

std::vector<Announcement> DatasetRepository::announcements(const std::string& today) {
    std::vector<Announcement> out;
    SQLite::Statement q(*m_db,
                        "SELECT id, title, body, urgent, starts_on, ends_on, buildings FROM announcements "
                        "WHERE starts_on <= ?1 AND ends_on >= ?1 ORDER BY urgent DESC, starts_on DESC, id");
    q.bind(1, today);
    while (q.executeStep()) {
        Announcement a;
        a.id = q.getColumn(0).getString();
        a.title = local_text(q.getColumn(1).getString());
        a.body = local_text(q.getColumn(2).getString());
        a.urgent = q.getColumn(3).getInt() != 0;
        a.starts_on = q.getColumn(4).getString();
        a.ends_on = q.getColumn(5).getString();
        // Checked when the row came in; one that does not read back is shown nowhere rather than everywhere.
        auto list = nlohmann::json::parse(q.getColumn(6).getString(), nullptr, false);
        auto buildings = announcement_buildings(&list);
        if (!buildings) continue;
        a.buildings = std::move(buildings.value());
        out.push_back(std::move(a));
    }
    return out;
}

std::optional<std::string> DatasetRepository::site_fact(const std::string& key) {
    SQLite::Statement q(*m_db, "SELECT value FROM site_facts WHERE key = ?");
    q.bind(1, key);
    if (q.executeStep()) return q.getColumn(0).getString();
    return std::nullopt;
}

SiteFacts DatasetRepository::site_facts() {
    // One read of the whole table (a few dozen rows), then each fact parsed once.
    std::map<std::string, std::string, std::less<>> facts;
    SQLite::Statement q(*m_db, "SELECT key, value FROM site_facts");
    while (q.executeStep()) facts.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    return parse_site_facts(facts);
}

std::vector<std::string> DatasetRepository::display_texts() {
    SQLite::Statement q(*m_db, "SELECT title || body FROM announcements UNION ALL SELECT value FROM site_facts "
                               "UNION ALL SELECT name FROM buildings UNION ALL SELECT name_masked FROM staff "
                               "UNION ALL SELECT name_masked FROM residents UNION ALL SELECT name FROM catalogue_items");
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

}  // namespace kiosk
