#include "kiosk/core/household.hpp"

#include <sodium.h>

namespace kiosk {

std::string household_verifier(std::string_view salt_hex, std::string_view secret) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(salt_hex.data()), salt_hex.size());
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_hash_sha256_final(&st, out);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

bool household_secret_matches(std::string_view salt_hex, std::string_view verifier_hex, std::string_view secret) {
    std::string mine = household_verifier(salt_hex, secret);
    if (mine.size() != verifier_hex.size()) return false;
    return sodium_memcmp(mine.data(), verifier_hex.data(), mine.size()) == 0;
}

}  // namespace kiosk
