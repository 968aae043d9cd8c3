#pragma once
// The print queue: slips are handed over here from the UI (never blocking it) and printed one at a
// time on a thread of their own. Each slip ends in a state the desk can see:
//   printed      the printer took it and reported ready afterwards (or a file/PNG was written)
//   unconfirmed  the bytes went out but the printer did not answer the status query: reprint if
//                nothing came out
//   failed       offline, out of paper, unreachable, or the slip could not be drawn
//   held         queued behind a failure: never printed on its own once paper is refilled, since
//                the resident it was for has likely gone; staff reprint what is still wanted
// The last slips are kept for reprinting.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/print/escpos.hpp"
#include "kiosk/print/slip.hpp"
#include "kiosk/print/transport.hpp"

namespace kiosk::print {

enum class SlipState { Queued, Printing, Printed, Unconfirmed, Failed, Held };
std::string slip_state_name(SlipState s);

struct SlipJobView {
    int64_t id = 0;
    std::string kind, reference;
    SlipState state = SlipState::Queued;
    std::string reason_key;  // i18n key of why it failed or is unconfirmed; empty when printed
};

struct PrinterSnapshot {
    bool configured = false;
    std::string name;
    PrinterState printer = PrinterState::Unknown;  // as last reported
    std::vector<SlipJobView> recent;                // newest first
    uint64_t version = 0;                           // changes whenever anything above changes
};

class PrintQueue {
public:
    static constexpr size_t kKeep = 20;  // slips kept for reprinting

    // The font is loaded on the queue's thread when the first slip is drawn. A null transport: no
    // printer yet (the snapshot says configured == false and a slip submitted fails at once).
    PrintQueue(std::unique_ptr<Transport> transport, Paper paper, std::string font_path, int font_face,
               std::function<void()> on_change = {});
    ~PrintQueue();
    PrintQueue(const PrintQueue&) = delete;
    PrintQueue& operator=(const PrintQueue&) = delete;

    int64_t submit(Slip slip);
    // Prints a kept slip again as a new job; 0 when that slip is no longer kept.
    int64_t reprint(int64_t job_id);
    PrinterSnapshot snapshot() const;
    // True once nothing is queued or printing (tests, shutdown).
    bool wait_settled(std::chrono::milliseconds timeout) const;
    Paper paper() const;
    // Another printer from now on (on-screen setup chose it): taken by the queue's thread between
    // two slips, never under one being printed. A null transport: no printer.
    void set_transport(std::unique_ptr<Transport> transport, Paper paper);

private:
    struct Job {
        int64_t id;
        Slip slip;
        SlipState state = SlipState::Queued;
        std::string reason_key;
    };
    void run();
    void print_one(int64_t id, const Slip& slip);
    void finish(int64_t id, SlipState state, std::string reason_key, bool hold_rest);
    void changed();  // under m_mu

    std::unique_ptr<Transport> m_transport;  // written by the queue's thread only, under m_mu
    Paper m_paper;
    std::unique_ptr<Transport> m_next_transport;  // set_transport's, until the thread takes it
    Paper m_next_paper = Paper::mm80;
    bool m_swap = false;
    std::string m_font_path;
    int m_font_face;
    std::shared_ptr<const SlipFont> m_font;
    std::function<void()> m_on_change;

    mutable std::mutex m_mu;
    mutable std::condition_variable m_cv;
    std::deque<Job> m_jobs;  // oldest first
    int64_t m_next_id = 1;
    PrinterState m_printer = PrinterState::Unknown;
    uint64_t m_version = 1;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk::print
