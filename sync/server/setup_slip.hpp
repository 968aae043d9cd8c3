#pragma once
// The setup slip `lobby-headoffice add-kiosk --setup-url URL --slip FILE.png` writes: the setup
// string's QR code with a caption a person can read (the site, the kiosk, head office's address
// and where to scan it), drawn as a kiosk slip is (kiosk/print), 80 mm wide. The enrolment code
// is only in the QR code, never in the caption's words.
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/core/result.hpp"
#include "kiosk/core/setup.hpp"

namespace kiosk::headoffice {

// A font the caption may be drawn with; `cjk`: it has the Chinese line's glyphs too.
struct SlipFontFile {
    std::string path;
    int face = 0;
    bool cjk = false;
};
// The fonts a Debian head office may have, first found first used: fonts-wqy-microhei (the
// package Recommends it, and the kiosk's own font), fonts-noto-cjk, then fonts-dejavu-core (Latin
// only: the caption without its Chinese line).
const std::vector<SlipFontFile>& setup_slip_fonts();

// Writes the slip to `png` (created 0600 by the caller first). Without a usable font among
// `fonts` the QR code alone is written, as before, and `captioned` says so: the slip still
// admits the kiosk, its caption is what is missing.
struct SlipWritten {
    bool captioned = false;
    std::string font;  // the font the caption was drawn with
};
Result<SlipWritten> write_setup_slip(const SetupCode& code, const std::filesystem::path& png,
                                     const std::vector<SlipFontFile>& fonts = setup_slip_fonts());

}  // namespace kiosk::headoffice
