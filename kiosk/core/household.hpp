#pragma once
// Household proof: a PIN head office hands out at the desk (never shown or printed by a kiosk),
// kept only as an Argon2id hash string (libsodium crypto_pwhash_str) pulled from head office.
// The parameters make a stolen kiosk disk expensive: PIN space 10^8 × ~0.032 s a hash measured
// on the 2-core reference machine ≈ 37 days of one core for the whole space (≈ 18 on average)
// per household. A check takes ~0.03 s and ~16 MiB for one moment, which a resident does not notice.
//
// household_verifier (salted SHA-256) stays only as a one-way key for survey answers: it is not
// a proof.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

inline constexpr std::size_t kHouseholdPinDigits = 8;
inline constexpr unsigned long long kHouseholdPinOpsLimit = 3;
inline constexpr std::size_t kHouseholdPinMemLimit = 16u << 20;  // bytes

// A fresh PIN of kHouseholdPinDigits digits from the CSPRNG.
std::string new_household_pin();
// Whether `pin` has the form of a household PIN (the digit count, digits only).
bool household_pin_well_formed(std::string_view pin);
// The Argon2id hash string of `pin` with the parameters above (nullopt: out of memory).
std::optional<std::string> household_pin_hash(std::string_view pin);
// Whether `pin` matches `hash` (an Argon2id string with exactly the costs above). Anything else
// in `hash` (another algorithm, other costs), or a malformed PIN, is false. Slow on purpose:
// never call it while drawing.
bool household_pin_matches(std::string_view hash, std::string_view pin);
// Whether a staff member's `pin` (4 to 8 digits) matches `hash`: an Argon2id string whose costs
// are at most the household PIN's (a pulled staff row naming 4 GiB or a thousand passes is
// refused, not run). Slow on purpose: never call it while drawing.
bool staff_pin_matches(std::string_view hash, std::string_view pin);

// Which PIN a hash string is, without the hash: 16 hex digits of its SHA-256. A wrong-PIN record
// carries it, so head office counts only the guesses at the PIN the household holds now (an
// offline kiosk's guesses at the PIN before arrive late and lock nothing).
std::string household_pin_ref(std::string_view pin_hash);

// Hex SHA-256 of salt || secret: a one-way key (survey answers), fast, not a proof.
std::string household_verifier(std::string_view salt_hex, std::string_view secret);

}  // namespace kiosk
