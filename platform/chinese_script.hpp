#pragma once
// Simplified and traditional Chinese script, by OpenCC and its tables from the Debian package
// (libopencc-data, /usr/share/opencc). The pinyin engine knows simplified characters only; on a
// zh-TW screen its candidates are converted here before the resident sees them.
#include <memory>
#include <string>
#include <string_view>

#include "kiosk/core/result.hpp"

namespace kiosk::platform {

std::string opencc_data_dir();  // "/usr/share/opencc"

class TraditionalScript {
public:
    // `config` is an OpenCC configuration: s2tw (characters and Taiwan variants, keeps words as
    // they are, so a candidate keeps its length and the syllables it stands for).
    static Result<std::unique_ptr<TraditionalScript>> open(const std::string& config = opencc_data_dir() + "/s2tw.json");
    ~TraditionalScript();
    std::string from_simplified(std::string_view utf8) const;

private:
    struct Impl;
    explicit TraditionalScript(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Characters that exist only in simplified script: OpenCC's simplified→traditional table maps
// them and never to themselves (车→車 is one; 台→臺/台 and 干→幹/乾/干 are not).
class SimplifiedOnly {
public:
    static Result<std::unique_ptr<SimplifiedOnly>> open(const std::string& table = opencc_data_dir() + "/STCharacters.ocd2");
    ~SimplifiedOnly();
    bool contains(std::string_view one_character) const;

private:
    struct Impl;
    explicit SimplifiedOnly(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace kiosk::platform
