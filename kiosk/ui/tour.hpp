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

}  // namespace kiosk::ui
