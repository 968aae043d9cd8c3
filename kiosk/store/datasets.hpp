#pragma once
// The site's reference data as the screens read it: announcements, facts, the loan catalogue
// (kiosk/store/datasets.cpp). Written only by Store::import_site and by pulls.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/loans.hpp"
#include "kiosk/core/site.hpp"
#include "kiosk/core/site_facts.hpp"
#include "kiosk/store/repository.hpp"

namespace kiosk {

class DatasetRepository : public Repository {
public:
    DatasetRepository(Store& store, SQLite::Database& db) : Repository(store, db) {}

    bool has_site_data();
    std::vector<Announcement> announcements(const std::string& today);
    std::optional<std::string> site_fact(const std::string& key);
    // Every site fact, typed and checked (kiosk/core/site_facts.hpp); read again only when a pull
    // or an import has changed them.
    SiteFacts site_facts();
    // The items a household may borrow, with how many are on the shelf now (kiosk/store/loans.cpp).
    std::vector<CatalogueItem> catalogue();
    // Everything from the site's data the screens may draw (announcements, facts, buildings,
    // masked names, catalogue items): their characters go into the font atlas.
    std::vector<std::string> display_texts();
};

}  // namespace kiosk
