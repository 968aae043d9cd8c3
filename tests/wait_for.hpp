#pragma once
// Tests wait for what they expect, not for a guessed time: wait_until polls a condition until it
// holds or the deadline passes, and says which.
#include <chrono>
#include <functional>
#include <thread>

namespace kiosk::test {

// True as soon as `done()` holds; false if it still does not at `deadline` from now (checked once
// more then). The poll is short next to any deadline a test gives.
inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds deadline,
                       std::chrono::milliseconds poll = std::chrono::milliseconds(5)) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= until) return done();
        std::this_thread::sleep_for(poll);
    }
    return true;
}

}  // namespace kiosk::test
