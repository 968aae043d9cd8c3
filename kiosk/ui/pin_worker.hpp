#pragma once
// A PIN checked against its Argon2id hash on a worker thread (tens of milliseconds and 16 MiB:
// never on the UI's). The screen keeps drawing, sees the answer once a frame (answered()) and
// applies it (take()). The worker owns its copy of the PIN and wipes it.
#include <sodium.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace kiosk::ui {

// Whether `pin` matches `hash`. Runs on the worker thread.
using PinCheckFn = std::function<bool(const std::string& hash, const std::string& pin)>;

class PinWorker {
public:
    explicit PinWorker(PinCheckFn fn) : m_fn(std::move(fn)) {}
    void set_check(PinCheckFn fn) { m_fn = std::move(fn); }

    // Starts a check; `pin` is wiped here (the worker has its own copy).
    void start(std::string hash, std::string& pin) {
        auto check = std::make_shared<Check>();
        std::string mine = pin;
        sodium_memzero(pin.data(), pin.size());
        pin.clear();
        std::thread([check, fn = m_fn, hash = std::move(hash), mine = std::move(mine)]() mutable {
            bool ok = fn(hash, mine);
            sodium_memzero(mine.data(), mine.size());
            check->answer.store(ok ? 1 : 0);
        }).detach();
        m_check = std::move(check);
    }
    // A check is out (answered or not, until taken or dropped).
    bool busy() const { return m_check != nullptr; }
    bool answered() const { return m_check && m_check->answer.load() >= 0; }
    // An answered check's verdict; the worker is free again.
    bool take() {
        bool ok = m_check && m_check->answer.load() == 1;
        m_check.reset();
        return ok;
    }
    // A check still running is left to finish on its own; its answer goes nowhere. Returns
    // whether it was (or may still be) a wrong guess, for the caller's attempt count.
    bool drop() {
        bool wrong = m_check && m_check->answer.load() != 1;
        m_check.reset();
        return wrong;
    }

private:
    struct Check {
        std::atomic<int> answer{-1};  // -1 until the worker answers, then 1 (matches) or 0
    };
    PinCheckFn m_fn;
    std::shared_ptr<Check> m_check;  // shared with the worker, which may outlive a drop
};

}  // namespace kiosk::ui
