#pragma once
// The seam between the sync worker and the network: one HTTP exchange with head office. The
// worker builds the request (path, signature headers, JSON body) and decides what an answer means
// (sync/client/classify.hpp); a Transport only carries bytes. The kiosk uses libcurl
// (curl_transport.hpp); tests script head office's answers and see every request made.
#include <strings.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::sync {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// A header's value by name, case-insensitive (the first when repeated).
inline std::optional<std::string> find_header(const HttpHeaders& headers, std::string_view name) {
    for (auto& [k, v] : headers)
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return v;
    return std::nullopt;
}

struct HttpRequest {
    std::string method;  // "GET" or "POST"
    std::string path;    // from the server's root, with the query string: "/v1/pull/units?cursor=0"
    HttpHeaders headers;
    std::string body;

    std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

// Why no answer came. Every kind is retried; the kind and text tell staff what to look at.
enum class TransportError {
    None,     // an answer came (whatever its status)
    Connect,  // no connection: refused, unreachable, name unknown
    Timeout,  // connected, but the answer was too slow or stalled
    Tls,      // the certificate was not trusted, or the handshake failed
    Other,    // the connection dropped mid-answer, or anything else below HTTP
};

struct HttpReply {
    long status = 0;           // 0 when error != None
    HttpHeaders headers;       // names as the server sent them; look up with header()
    std::string body;
    TransportError error = TransportError::None;
    std::string error_text;    // for staff: e.g. libcurl's "SSL certificate problem: …"

    std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

class Transport {
public:
    virtual ~Transport() = default;
    // One exchange; blocks until an answer, a failure or the transport's own timeouts. Called
    // from the worker's thread only.
    virtual HttpReply send(const HttpRequest& request) = 0;
};

}  // namespace kiosk::sync
