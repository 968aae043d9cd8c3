#pragma once
// What an answer from head office means for the sync worker: one table (classify.cpp) from the
// status or failure to what the worker does next, shared by enrolment, pushes and pulls.
// sync/PROTOCOL.md ("How the kiosk classifies answers") says the same in words.
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "sync/client/transport.hpp"

namespace kiosk::sync {

enum class Action {
    Ok,              // a 2xx with a well-formed answer: apply it
    RetryBackoff,    // try the same again after the worker's backoff (full jitter)
    RetryAfter,      // the same, but not before head office's Retry-After when it gave one
    Reauthenticate,  // re-read head office's time (the signature's clock), then retry after the backoff
    SplitBatch,      // halve the batch to find the record refused
    DeadLetter,      // a lone record refused for itself: to the dead letters, and go on
};

enum class Exchange { Register, Push, Pull, Health, Heartbeat };

struct Verdict {
    Action action = Action::RetryBackoff;
    const char* rule = "";       // the table row that matched (for tests and reading logs)
    std::string why;             // for staff when it is not Ok: "HTTP 503: …", libcurl's text
    double retry_after_s = -1;   // Retry-After in seconds when given and well-formed, else -1
    nlohmann::json body;         // the parsed answer (an object when Ok)
};

// `batch_records`: how many records the push carried (a refused lone record is dead-lettered
// rather than split). Exchanges other than a push are never split: for them a refusal is retried.
Verdict classify(const HttpReply& reply, Exchange exchange, size_t batch_records = 0);

// Retry-After as delta-seconds (RFC 9110); -1 when absent or not a plain number of seconds (an
// HTTP date, a negative or absurd value): the worker's own backoff applies then.
double retry_after_seconds(const HttpReply& reply);

}  // namespace kiosk::sync
