#pragma once
// Tells a USB HID barcode scanner from a person at a keyboard. Both arrive as key presses; a
// scanner types a whole code in a burst (a few ms a character) and ends with Enter. Characters
// are held while they keep arriving faster than `burst_gap_s`; a burst of at least `min_length`
// characters ended by Enter is a scan, and anything else is handed on as typing once the burst
// goes quiet (so a person sees their key within ~60 ms).
#include <optional>
#include <string>

namespace kiosk {

class ScannerDetector {
public:
    struct Event {
        enum class Kind { Typed, Scanned, Enter } kind;
        std::string text;
    };

    explicit ScannerDetector(double burst_gap_s = 0.06, size_t min_length = 4)
        : m_gap(burst_gap_s), m_min(min_length) {}

    // A character (UTF-8 of one code point) at time t.
    std::optional<Event> key(const std::string& ch, double t);
    // Enter at time t: a scan when it ends a fast burst, otherwise plain Enter (after the held typing).
    std::optional<Event> enter(double t, std::string& flushed_typing);
    // Typing held back, once the burst has gone quiet at time t.
    std::optional<Event> flush(double t);
    // Seconds until flush() would release held typing (negative: nothing held).
    double flush_in(double t) const;
    void clear() { m_held.clear(); m_count = 0; }

private:
    double m_gap;
    size_t m_min;
    std::string m_held;
    size_t m_count = 0;
    double m_last = -1e9;
};

}  // namespace kiosk
