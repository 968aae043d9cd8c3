#include "sync/common/protocol.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace kiosk::sync {

namespace {
std::string hex(const unsigned char* p, size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}
void need_sodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
}
}  // namespace

// OpenSSL's SHA-256, not libsodium's: a push's body is hashed for its signature on both sides,
// and libsodium's portable C takes ~55 instructions a byte where OpenSSL's uses the CPU's SHA
// instructions (SHA-NI, or AVX2 without them): a 1000-record body went from ~20 M instructions to
// a few hundred thousand. The same digest either way.
std::string sha256_hex(std::string_view data) {
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), h, &n, EVP_sha256(), nullptr) != 1 || n != 32)
        throw std::runtime_error("SHA-256 failed");
    return hex(h, n);
}

std::string request_signature(std::string_view secret, std::string_view method, std::string_view path, int64_t timestamp,
                              std::string_view nonce, std::string_view body) {
    need_sodium();
    std::string msg;
    msg.reserve(method.size() + path.size() + 100);
    msg.append(method).append("\n").append(path).append("\n").append(std::to_string(timestamp)).append("\n");
    msg.append(nonce).append("\n").append(sha256_hex(body));
    return hmac_sha256_hex(secret, msg);
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view msg) {
    need_sodium();
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&st, mac);
    return hex(mac, sizeof mac);
}

bool signatures_equal(std::string_view a, std::string_view b) {
    need_sodium();
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_hex(size_t bytes) {
    need_sodium();
    std::vector<unsigned char> b(bytes);
    randombytes_buf(b.data(), b.size());
    return hex(b.data(), b.size());
}

std::string random_digits(size_t n) {
    std::string out(n, '0');
    need_sodium();
    for (auto& c : out) c = static_cast<char>('0' + randombytes_uniform(10));
    return out;
}

bool valid_id(std::string_view id, size_t max_bytes) {
    if (id.empty() || id.size() > max_bytes) return false;
    for (unsigned char c : id)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

}  // namespace kiosk::sync
