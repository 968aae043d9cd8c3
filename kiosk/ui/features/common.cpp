#include "kiosk/ui/features/common.hpp"

#include <algorithm>
#include <cmath>

#include "kiosk/core/text.hpp"
#include "kiosk/ui/wording.hpp"
#include "kiosk/store/store.hpp"

namespace kiosk::ui {

int whole_units(double seconds, double unit) { return static_cast<int>(std::ceil(seconds / unit - 1e-6)); }

void say_wait(FeatureCtx& x, double wait, const std::string& what) {
    bool minutes = wait > 90;
    x.say(what + (minutes ? ".locked" : ".wait"), std::to_string(minutes ? whole_units(wait, 60) : whole_units(wait, 1)));
}

UnitNames::UnitNames(FeatureCtx& x) : m_x(x) {
    if (x.store) m_buildings = x.store->household().buildings();
}

std::string UnitNames::operator()(const std::string& unit_id) const {
    if (!m_x.store) return unit_id;
    auto u = m_x.store->household().unit(unit_id);
    if (!u) return unit_id;
    for (auto& b : m_buildings)
        if (b.id == u->building_id) return b.name.in(m_x.st.lang) + " " + u->label;
    return u->label;
}

std::string UnitNames::masked(const std::string& unit_id) const {
    if (!m_x.store) return mask_flat(unit_id);
    auto u = m_x.store->household().unit(unit_id);
    if (!u) return mask_flat(unit_id);
    for (auto& b : m_buildings)
        if (b.id == u->building_id) return b.name.in(m_x.st.lang) + " " + mask_flat(u->label);
    return mask_flat(u->label);
}

FeeStatement fee_statement_now(FeatureCtx& x, const std::string& unit_id) {
    return fee_statement(x.store->household().fee_items(unit_id), local_date(x.st.wall_now, "%Y-%m"));
}

void toggle(std::vector<std::string>& chosen, const std::string& key) {
    auto it = std::find(chosen.begin(), chosen.end(), key);
    if (it != chosen.end()) chosen.erase(it);
    else chosen.push_back(key);
}

}  // namespace kiosk::ui
