#pragma once
// Household proof: the last four digits of the registered phone (or a household PIN), kept only
// as a salted SHA-256 pulled from head office. The comparison is constant-time.
#include <string>
#include <string_view>

namespace kiosk {

// Hex SHA-256 of salt || secret.
std::string household_verifier(std::string_view salt_hex, std::string_view secret);
bool household_secret_matches(std::string_view salt_hex, std::string_view verifier_hex, std::string_view secret);

}  // namespace kiosk
