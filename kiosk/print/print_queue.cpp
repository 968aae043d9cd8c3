#include "kiosk/print/print_queue.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace kiosk::print {

namespace {
constexpr int kStatusTimeoutMs = 1500;
}

std::string slip_state_name(SlipState s) {
    switch (s) {
        case SlipState::Queued: return "queued";
        case SlipState::Printing: return "printing";
        case SlipState::Printed: return "printed";
        case SlipState::Unconfirmed: return "unconfirmed";
        case SlipState::Failed: return "failed";
        case SlipState::Held: return "held";
    }
    return "queued";
}

PrintQueue::PrintQueue(std::unique_ptr<Transport> transport, Paper paper, std::string font_path, int font_face,
                       std::function<void()> on_change)
    : m_transport(std::move(transport)), m_paper(paper), m_font_path(std::move(font_path)), m_font_face(font_face),
      m_on_change(std::move(on_change)) {
    m_thread = std::thread([this] { run(); });
}

PrintQueue::~PrintQueue() {
    {
        std::lock_guard lock(m_mu);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void PrintQueue::changed() {
    ++m_version;
    m_cv.notify_all();
}

int64_t PrintQueue::submit(Slip slip) {
    int64_t id;
    {
        std::lock_guard lock(m_mu);
        id = m_next_id++;
        m_jobs.push_back(Job{id, std::move(slip), SlipState::Queued, {}});
        // Forget the oldest finished slips beyond what reprint keeps.
        while (m_jobs.size() > kKeep && m_jobs.front().state != SlipState::Queued &&
               m_jobs.front().state != SlipState::Printing)
            m_jobs.pop_front();
        changed();
    }
    if (m_on_change) m_on_change();
    return id;
}

int64_t PrintQueue::reprint(int64_t job_id) {
    std::optional<Slip> copy;
    {
        std::lock_guard lock(m_mu);
        for (auto& j : m_jobs)
            if (j.id == job_id) copy = j.slip;
        // A held slip that is reprinted is no longer waiting for anyone.
        for (auto& j : m_jobs)
            if (j.id == job_id && j.state == SlipState::Held) j.state = SlipState::Failed;
    }
    if (!copy) return 0;
    return submit(std::move(*copy));
}

PrinterSnapshot PrintQueue::snapshot() const {
    std::lock_guard lock(m_mu);
    PrinterSnapshot s;
    const Transport* t = m_swap ? m_next_transport.get() : m_transport.get();
    s.configured = t != nullptr;
    s.name = t ? t->name() : std::string();
    s.printer = m_printer;
    s.version = m_version;
    for (auto it = m_jobs.rbegin(); it != m_jobs.rend(); ++it)
        s.recent.push_back({it->id, it->slip.kind, it->slip.reference, it->state, it->reason_key});
    return s;
}

Paper PrintQueue::paper() const {
    std::lock_guard lock(m_mu);
    return m_swap ? m_next_paper : m_paper;
}

void PrintQueue::set_transport(std::unique_ptr<Transport> transport, Paper paper) {
    {
        std::lock_guard lock(m_mu);
        m_next_transport = std::move(transport);
        m_next_paper = paper;
        m_swap = true;
        changed();
    }
    if (m_on_change) m_on_change();
}

bool PrintQueue::wait_settled(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mu);
    return m_cv.wait_for(lock, timeout, [&] {
        return !m_swap && std::none_of(m_jobs.begin(), m_jobs.end(), [](const Job& j) {
            return j.state == SlipState::Queued || j.state == SlipState::Printing;
        });
    });
}

void PrintQueue::finish(int64_t id, SlipState state, std::string reason_key, bool hold_rest) {
    {
        std::lock_guard lock(m_mu);
        for (auto& j : m_jobs) {
            if (j.id == id) {
                j.state = state;
                j.reason_key = reason_key;
            } else if (hold_rest && j.state == SlipState::Queued) {
                j.state = SlipState::Held;
                j.reason_key = "print.reason.held";
            }
        }
        changed();
    }
    if (m_on_change) m_on_change();
}

void PrintQueue::run() {
    for (;;) {
        int64_t id = 0;
        Slip slip;
        std::unique_ptr<Transport> old;  // closed outside the lock
        {
            std::unique_lock lock(m_mu);
            m_cv.wait(lock, [&] {
                return m_stop || m_swap ||
                       std::any_of(m_jobs.begin(), m_jobs.end(), [](const Job& j) { return j.state == SlipState::Queued; });
            });
            if (m_stop) return;
            if (m_swap) {
                // Between two slips: the next one goes to the printer setup chose.
                old = std::exchange(m_transport, std::move(m_next_transport));
                m_paper = m_next_paper;
                m_printer = PrinterState::Unknown;
                m_swap = false;
                changed();
                continue;
            }
            for (auto& j : m_jobs)
                if (j.state == SlipState::Queued) {
                    j.state = SlipState::Printing;
                    id = j.id;
                    slip = j.slip;
                    break;
                }
            changed();
        }
        if (m_on_change) m_on_change();
        print_one(id, slip);
    }
}

void PrintQueue::print_one(int64_t id, const Slip& slip) {
    if (!m_font) {
        auto f = SlipFont::load(m_font_path, m_font_face);
        if (!f) return finish(id, SlipState::Failed, "print.reason.render", false);
        m_font = f.value();
    }
    if (!m_transport) return finish(id, SlipState::Failed, "print.reason.unreachable", false);
    auto bitmap = render_slip(slip, dots(m_paper), *m_font);
    if (!bitmap) return finish(id, SlipState::Failed, "print.reason.render", false);

    Transport& t = *m_transport;
    auto ask = [&]() -> PrinterState {
        auto printer = t.ask_status(1, kStatusTimeoutMs);
        if (!printer) return PrinterState::Unknown;
        auto paper = t.ask_status(4, kStatusTimeoutMs);
        if (!paper) return PrinterState::Unknown;
        return printer_state(*printer, *paper);
    };
    auto note = [&](PrinterState s) {
        std::lock_guard lock(m_mu);
        if (m_printer != s) {
            m_printer = s;
            changed();
        }
    };

    if (auto r = t.open(); !r) return finish(id, SlipState::Failed, "print.reason.unreachable", true);
    if (!t.speaks_escpos()) {
        auto r = t.save_picture(slip.kind + "-" + std::to_string(id), bitmap.value());
        t.close();
        note(r ? PrinterState::Ready : PrinterState::Unknown);
        return finish(id, r ? SlipState::Printed : SlipState::Failed, r ? "" : "print.reason.unreachable", !r);
    }

    if (t.reports_status()) {
        PrinterState before = ask();
        note(before);
        if (before == PrinterState::PaperOut || before == PrinterState::Offline) {
            t.close();
            return finish(id, SlipState::Failed,
                          before == PrinterState::PaperOut ? "print.reason.paper_out" : "print.reason.offline", true);
        }
    }
    if (auto r = t.send(escpos_job(bitmap.value())); !r) {
        t.close();
        note(PrinterState::Unknown);
        return finish(id, SlipState::Failed, "print.reason.unreachable", true);
    }
    if (!t.reports_status()) {
        t.close();
        note(PrinterState::Ready);  // a file took the bytes
        return finish(id, SlipState::Printed, "", false);
    }
    PrinterState after = ask();
    t.close();
    note(after);
    switch (after) {
        case PrinterState::Ready: return finish(id, SlipState::Printed, "", false);
        case PrinterState::PaperOut: return finish(id, SlipState::Failed, "print.reason.paper_out", true);
        case PrinterState::Offline: return finish(id, SlipState::Unconfirmed, "print.reason.offline", true);
        case PrinterState::Unknown: return finish(id, SlipState::Unconfirmed, "print.reason.no_status", false);
    }
}

}  // namespace kiosk::print
