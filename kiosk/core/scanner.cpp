#include "kiosk/core/scanner.hpp"

namespace kiosk {

std::optional<ScannerDetector::Event> ScannerDetector::key(const std::string& ch, double t) {
    std::optional<Event> out;
    if (!m_held.empty() && t - m_last > m_gap) {  // the earlier burst went quiet: it was typing
        out = Event{Event::Kind::Typed, m_held};
        clear();
    }
    m_held += ch;
    ++m_count;
    m_last = t;
    return out;
}

std::optional<ScannerDetector::Event> ScannerDetector::enter(double t, std::string& flushed_typing) {
    flushed_typing.clear();
    if (!m_held.empty() && t - m_last <= m_gap && m_count >= m_min) {
        Event e{Event::Kind::Scanned, m_held};
        clear();
        return e;
    }
    flushed_typing = m_held;
    clear();
    return Event{Event::Kind::Enter, {}};
}

std::optional<ScannerDetector::Event> ScannerDetector::flush(double t) {
    if (m_held.empty() || t - m_last <= m_gap) return std::nullopt;
    Event e{Event::Kind::Typed, m_held};
    clear();
    return e;
}

double ScannerDetector::flush_in(double t) const {
    if (m_held.empty()) return -1;
    double left = m_last + m_gap - t;
    return left > 0 ? left + 1e-3 : 0;
}

}  // namespace kiosk
