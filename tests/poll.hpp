#pragma once
// Waiting on a condition, not a clock: a test polls what it expects to become true, and fails
// with the deadline rather than hangs. Quick when things go well, patient on a loaded machine.
#include <chrono>
#include <thread>

namespace kiosk::test {

// True as soon as `pred()` holds; false once `deadline` has passed without it holding.
template <class Pred>
bool poll_until(Pred&& pred, std::chrono::milliseconds deadline,
                std::chrono::milliseconds step = std::chrono::milliseconds(5)) {
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        if (pred()) return true;
        if (std::chrono::steady_clock::now() >= give_up) return pred();
        std::this_thread::sleep_for(step);
    }
}

}  // namespace kiosk::test
