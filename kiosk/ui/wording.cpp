#include "kiosk/ui/wording.hpp"

namespace kiosk::ui {

std::string flat_text(const AppState& st) {
    const auto& h = st.session.household;
    return h ? h->building_name.in(st.lang) + " " + h->unit_label : std::string();
}

std::string repair_window_text(const Catalog& cat, Lang lang, const TimeWindow& w) {
    return cat.format(lang, "repair.window_label",
                      {{"date", local_date(w.start, "%m-%d")}, {"from", local_date(w.start, "%H:%M")},
                       {"to", local_date(w.end, "%H:%M")}});
}

std::string repair_location_text(const Catalog& cat, const AppState& st, const RepairState& r) {
    if (r.own_unit && st.session.household) return cat.format(st.lang, "repair.location.own", {{"unit", flat_text(st)}});
    if (r.area >= 0 && r.area < static_cast<int>(r.areas.size())) return r.areas[r.area].name.in(st.lang);
    return {};
}

std::string repair_promise_text(const Catalog& cat, const AppState& st, const RepairState& r) {
    if (r.urgency == 0)
        return cat.format(st.lang, "repair.promise.emergency", {{"time", local_date(r.promise.on_site_by, "%H:%M")}});
    if (r.window >= 0 && r.window < static_cast<int>(r.windows.size()))
        return cat.format(st.lang, "repair.promise.appointment",
                          {{"window", repair_window_text(cat, st.lang, r.windows[r.window])}});
    return {};
}

std::string repair_due_text(const Catalog& cat, const AppState& st, const RepairState& r) {
    return cat.format(st.lang, "my.due", {{"time", deadline_text(r.promise.done_by)}});
}

}  // namespace kiosk::ui
