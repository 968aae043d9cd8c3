#pragma once
// Every screen the kiosk can show and how a person gets there (taps on a virtual clock). The
// captures, `--list-widgets` and the tests walk this one list, so a new screen is added here once.
#include <string>
#include <vector>

#include "kiosk/ui/driver.hpp"

namespace kiosk::ui {

struct TourStop {
    std::string name;            // the capture's file name: <name>.<lang>.png
    void (*reach)(Driver&);      // from a fresh session on the home screen; throws if a step fails
                                 // (in either mode: a stop that turns elder mode on leaves it on)
};
const std::vector<TourStop>& screen_tour();
// The big estate's screens (kiosk/store/large_estate.hpp, with the desk seeded): the floor
// picker, bills a year at a time, the desk's parcel search. Names start with "large_".
const std::vector<TourStop>& large_estate_tour();

}  // namespace kiosk::ui
