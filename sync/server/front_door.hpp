#pragma once
// The head office's front door: what a connection must show before a worker thread reads it as
// HTTP. cpp-httplib reads any number of header lines and any chunked body in full, and a client
// that dribbles its request head holds a worker; the door refuses those before httplib sees them.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace httplib {
class Server;
}

namespace kiosk::headoffice {

struct TlsFiles;

struct DoorLimits {
    size_t head_bytes = 16 * 1024;  // request line and headers together
    int head_lines = 64;
    int head_deadline_ms = 5000;  // the whole head must arrive within this
    int per_address = 16;         // connections open at once from one peer address (0: no cap, behind a trusted proxy)
};

// A whole request over TLS (head, body and answer), and a request body over plain HTTP, must be
// done within this: a client dribbling a byte every few seconds holds a worker no longer.
inline constexpr int kRequestDeadlineS = 120;

// A pull page is cut to at most this many bytes (a single larger row still goes, alone).
inline constexpr size_t kMaxPageBytes = 1 << 20;

// The largest body a route takes (bytes): register a few KB, push kMaxBodyBytes, GETs none.
size_t body_cap(std::string_view method, std::string_view path);

// An httplib server (HTTPS with `tls`) behind the door. Over TLS the door ends TLS itself and
// checks the head in clear, so the same limits hold; the body caps are the handlers' (read_capped).
std::unique_ptr<httplib::Server> make_front_door(const TlsFiles* tls, const DoorLimits& limits = {});

// The peer address of the request this thread serves, where httplib's own is empty (over TLS
// httplib reads the door's socketpair).
const std::string& door_peer_address();

}  // namespace kiosk::headoffice
