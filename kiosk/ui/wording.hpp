#pragma once
// Sentences the screen and the printed slip must say alike: the repair's promise, its place and
// time window, the flat. Built from the app's and the feature's state and the catalogue; no ImGui.
#include <ctime>
#include <string>

#include "kiosk/core/dates.hpp"
#include "kiosk/core/i18n.hpp"
#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/features/repair.hpp"

namespace kiosk::ui {

std::string flat_text(const AppState& st);
std::string repair_window_text(const Catalog& cat, Lang lang, const TimeWindow& w);
std::string repair_location_text(const Catalog& cat, const AppState& st, const RepairState& r);
// "A repairer will be at your door by 10:00" / "On 11-24, 14:00–16:00".
std::string repair_promise_text(const Catalog& cat, const AppState& st, const RepairState& r);
// When the repair is promised done: the deadline My Requests shows for it later, in its words.
std::string repair_due_text(const Catalog& cat, const AppState& st, const RepairState& r);

}  // namespace kiosk::ui
