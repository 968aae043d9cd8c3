#pragma once
// The kiosk's Transport: libcurl, one handle reused so the connection to head office stays open
// between requests. Over https the peer is verified (optionally against a private CA).
#include <atomic>
#include <memory>

#include "kiosk/core/result.hpp"
#include "sync/client/transport.hpp"

namespace kiosk::sync {

struct CurlSettings {
    std::string base_url;                  // "http://127.0.0.1:8700" or "https://…", no trailing '/'
    std::string ca_file;                   // https with a private CA
    long connect_timeout_ms = 3000;
    long low_speed_time_s = 15;            // under 1 byte/s for this long: the transfer is dropped
    long request_timeout_s = 60;
    size_t max_answer_bytes = 64u << 20;   // a larger answer is dropped (Other), not buffered
    // Set by whoever stops the caller: a request under way ends within about a second (libcurl's
    // progress callback) instead of running to its timeout.
    std::shared_ptr<const std::atomic<bool>> cancel;
};

// Fails only when libcurl itself cannot start.
Result<std::unique_ptr<Transport>> make_curl_transport(CurlSettings settings);

}  // namespace kiosk::sync
