#pragma once
// What kiosk and head office agree on (sync/PROTOCOL.md): the request signature, the clock-skew
// window, the protocol version, and the batch limits.
#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk::sync {

inline constexpr int kProtocolVersion = 1;
inline constexpr int64_t kClockSkewS = 300;         // a signed request older or newer than this is refused
inline constexpr int kMaxBatchRecords = 1000;       // the server refuses larger batches (413)
inline constexpr size_t kMaxBodyBytes = 4 << 20;

// An id a person or a kiosk gave (site, kiosk, data set key, record id): 1 to max_bytes bytes and
// no control character (NUL, tab, newline, DEL ...), which would cut or forge a log line, a CSV
// cell or a C string downstream.
inline constexpr size_t kMaxIdBytes = 128;
bool valid_id(std::string_view id, size_t max_bytes = kMaxIdBytes);

// Lower-case hex of SHA-256.
std::string sha256_hex(std::string_view data);
// HMAC-SHA256(secret, METHOD "\n" PATH "\n" TIMESTAMP "\n" NONCE "\n" sha256_hex(BODY)), lower-case
// hex. PATH includes the query string; the nonce (random, per request) lets two identical
// requests in one second both pass the server's replay check.
std::string request_signature(std::string_view secret, std::string_view method, std::string_view path, int64_t timestamp,
                              std::string_view nonce, std::string_view body);
// Lower-case hex HMAC-SHA256(secret, msg): the request signature's and the webhook's MAC.
std::string hmac_sha256_hex(std::string_view secret, std::string_view msg);
// Compares two signatures in constant time.
bool signatures_equal(std::string_view a, std::string_view b);
// 32 random bytes as hex: a kiosk's secret or an enrolment code's worth of entropy.
std::string random_hex(size_t bytes);
// n decimal digits from the CSPRNG (a pickup code head office gives).
std::string random_digits(size_t n);

}  // namespace kiosk::sync
