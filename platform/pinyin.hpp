#pragma once
// Chinese input by pinyin (libgooglepinyin, its system dictionary from the Debian package).
// Nothing a resident types is learned: the engine gets no writable user dictionary.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.hpp"

namespace kiosk::platform {

class PinyinInput {
public:
    // Opens the system dictionary at `dict_path` (default: the one libgooglepinyin0 installs).
    static Result<std::unique_ptr<PinyinInput>> open(const std::string& dict_path = default_dictionary());
    static std::string default_dictionary();
    // Where libgooglepinyin0's dictionary is under `usr_lib` (normally /usr/lib): in the folder of
    // `triplet`, the build's multiarch triplet (x86_64-linux-gnu, aarch64-linux-gnu …), else the
    // first under any other <usr_lib>/*/ (by name), else <usr_lib>/googlepinyin; "" when none.
    static std::string find_dictionary(const std::filesystem::path& usr_lib, const std::string& triplet);
    // The compiler's multiarch triplet this was built for ("" when CMake knew none).
    static std::string build_triplet();
    ~PinyinInput();

    struct Lookup {
        std::vector<std::string> candidates;   // UTF-8, best first; the first may be a whole phrase
        std::vector<size_t> syllable_starts;   // letter offset of each syllable, plus the end
    };
    // Candidates for lowercase `letters` (a–z, at most 40).
    Lookup search(std::string_view letters, size_t max_candidates);
    // How many of `letters` a candidate of `hanzi` characters stands for.
    static size_t letters_used(const Lookup& l, size_t hanzi, size_t letters_total);

private:
    PinyinInput() = default;
};

}  // namespace kiosk::platform
