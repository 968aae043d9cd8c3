#include "kiosk/core/household.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

namespace kiosk {

std::string new_household_pin() {
    std::string pin;
    for (std::size_t i = 0; i < kHouseholdPinDigits; ++i) pin += char('0' + randombytes_uniform(10));
    return pin;
}

bool household_pin_well_formed(std::string_view pin) {
    return pin.size() == kHouseholdPinDigits && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> household_pin_hash(std::string_view pin) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), kHouseholdPinOpsLimit, kHouseholdPinMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return std::nullopt;
    return std::string(out);
}

bool household_pin_matches(std::string_view hash, std::string_view pin) {
    // Only Argon2id strings of bounded size: a pulled row could name a cheap algorithm or huge costs.
    static constexpr std::string_view prefix = "$argon2id$";
    if (!household_pin_well_formed(pin) || hash.size() >= crypto_pwhash_STRBYTES || hash.substr(0, prefix.size()) != prefix)
        return false;
    std::string h(hash);  // NUL-terminated for libsodium
    // Only the kiosk's own costs: a pulled row naming 4 GiB or a thousand passes would take the
    // kiosk's memory or its worker for minutes, and a cheaper one would be a weaker proof.
    if (crypto_pwhash_str_needs_rehash(h.c_str(), kHouseholdPinOpsLimit, kHouseholdPinMemLimit) != 0) return false;
    return crypto_pwhash_str_verify(h.c_str(), pin.data(), pin.size()) == 0;
}

bool staff_pin_matches(std::string_view hash, std::string_view pin) {
    static constexpr std::string_view prefix = "$argon2id$";
    if (pin.size() < 4 || pin.size() > 8 || pin.find_first_not_of("0123456789") != std::string_view::npos) return false;
    if (hash.size() >= crypto_pwhash_STRBYTES || hash.substr(0, prefix.size()) != prefix) return false;
    std::string h(hash);  // NUL-terminated for libsodium and sscanf
    unsigned long version = 0, mem_kib = 0, ops = 0, lanes = 0;
    if (std::sscanf(h.c_str(), "$argon2id$v=%lu$m=%lu,t=%lu,p=%lu$", &version, &mem_kib, &ops, &lanes) != 4) return false;
    if (mem_kib == 0 || mem_kib > kHouseholdPinMemLimit / 1024 || ops == 0 || ops > kHouseholdPinOpsLimit || lanes != 1)
        return false;
    return crypto_pwhash_str_verify(h.c_str(), pin.data(), pin.size()) == 0;
}

std::string household_pin_ref(std::string_view pin_hash) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(pin_hash.data()), pin_hash.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return std::string(hex, 16);
}

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

}  // namespace kiosk
