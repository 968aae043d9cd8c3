#pragma once
// The setup slip `lobby-headoffice add-kiosk --setup-url URL --slip FILE.png` writes: the setup
// string's QR code with a caption a person can read (the site, the kiosk, head office's address
// and where to scan it), drawn as a kiosk slip is (kiosk/print), 80 mm wide. The enrolment code
// is only in the QR code, never in the caption's words.
#include <filesystem>
#include <string>

#include "kiosk/core/result.hpp"
#include "kiosk/core/setup.hpp"

namespace kiosk::headoffice {

// Writes the slip to `png` (created 0600 by the caller first). Without a usable font on this
// machine the QR code alone is written, as before, and `captioned` says so.
struct SlipWritten {
    bool captioned = false;
    std::string font;  // the font the caption was drawn with
};
Result<SlipWritten> write_setup_slip(const SetupCode& code, const std::filesystem::path& png);

}  // namespace kiosk::headoffice
