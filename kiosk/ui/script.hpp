#pragma once
// UI scripts: one step a line, played against the app on a virtual clock.
//   tap ID | type TEXT | scan TEXT | advance SECONDS | expect-screen NAME | expect-text TEXT |
//   expect-no-text TEXT | capture FILE.png        (# starts a comment; blank lines are skipped)
// The first step that fails stops the run and is named, with its line number.
#include <filesystem>
#include <istream>
#include <string>

#include "kiosk/ui/driver.hpp"

namespace kiosk::ui {

struct ScriptOutcome {
    bool ok = true;
    int steps = 0;        // steps that passed
    int line = 0;         // the failing line
    std::string step;     // the failing step as written
    std::string reason;
};

// Relative capture paths are taken from `base_dir`.
ScriptOutcome run_script(Driver& driver, std::istream& script, const std::filesystem::path& base_dir);

}  // namespace kiosk::ui
