#pragma once
// A PIN check that answers only when the test lets it: the screen must keep drawing meanwhile.
// Installed with set_pin_check(gate.check(real)), it records the PIN the worker was given.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "kiosk/ui/pin_worker.hpp"
#include "kiosk_fixture.hpp"

namespace kiosk::test {

class GatedPinCheck {
public:
    // The check to install: waits for open(), then answers as `real` does.
    ui::PinCheckFn check(ui::PinCheckFn real) {
        return [this, real = std::move(real)](const std::string& hash, const std::string& pin) {
            std::unique_lock lock(m_lock);
            m_started = true;
            m_seen_pin = pin;
            m_changed.notify_all();
            m_changed.wait(lock, [&] { return m_open; });
            return real(hash, pin);
        };
    }
    // Whether the worker started a check within `deadline`; the PIN it was given.
    bool started(std::chrono::seconds deadline, std::string& pin) {
        std::unique_lock lock(m_lock);
        if (!m_changed.wait_for(lock, deadline, [&] { return m_started; })) return false;
        pin = m_seen_pin;
        return true;
    }
    void open() {
        {
            std::lock_guard lock(m_lock);
            m_open = true;
        }
        m_changed.notify_all();
    }

private:
    std::mutex m_lock;
    std::condition_variable m_changed;
    bool m_open = false, m_started = false;
    std::string m_seen_pin;
};

// While the worker holds a PIN `gate` has not let through: the worker was given `pin`; half a
// second of frames go on, on `screen`, which says it is checking with no keypad to type ahead on
// and no `submit` to tap twice; the loop comes back soon for the answer; Back waits for it.
inline void expect_checking(Kiosk& k, GatedPinCheck& gate, const std::string& pin, ui::Screen screen, const std::string& submit) {
    std::string seen_pin;
    REQUIRE(gate.started(std::chrono::seconds(10), seen_pin));
    CHECK(seen_pin == pin);
    CHECK(k.app->working());
    for (int i = 0; i < 30; ++i) k.driver->frame();
    CHECK(k.screen() == screen);
    CHECK(k.shows("正在核对…"));
    CHECK_FALSE(k.has_widget("keypad.1"));
    CHECK_FALSE(k.has_widget(submit));
    CHECK(k.app->next_wake_in(k.driver->now()) <= 0.05);
    REQUIRE(k.driver->press("nav.back").ok());
    CHECK(k.screen() == screen);
    CHECK(k.app->working());
}

}  // namespace kiosk::test
