#include "platform/pinyin.hpp"

#include <pinyinime.h>

#include <algorithm>
#include <vector>

#include "kiosk/core/text.hpp"

namespace kiosk::platform {

namespace {
constexpr const char* kDictionary = "googlepinyin/data/dict_pinyin.dat";
}  // namespace

std::string PinyinInput::build_triplet() { return KIOSK_MULTIARCH; }

std::string PinyinInput::find_dictionary(const std::filesystem::path& usr_lib, const std::string& triplet) {
    std::error_code ec;
    auto is_file = [&](const std::filesystem::path& p) { return std::filesystem::is_regular_file(p, ec); };
    if (!triplet.empty() && is_file(usr_lib / triplet / kDictionary)) return (usr_lib / triplet / kDictionary).string();
    // Another layout (a build without the triplet, a package built for another): the first found.
    std::vector<std::filesystem::path> found;
    for (std::filesystem::directory_iterator it(usr_lib, ec), end; !ec && it != end; it.increment(ec))
        if (is_file(it->path() / kDictionary)) found.push_back(it->path() / kDictionary);
    std::sort(found.begin(), found.end());
    if (!found.empty()) return found.front().string();
    if (is_file(usr_lib / kDictionary)) return (usr_lib / kDictionary).string();
    return {};
}

std::string PinyinInput::default_dictionary() {
    std::string found = find_dictionary("/usr/lib", build_triplet());
    // None: the path it should be at, for the error that names it.
    if (found.empty()) return (std::filesystem::path("/usr/lib") / build_triplet() / kDictionary).string();
    return found;
}

Result<std::unique_ptr<PinyinInput>> PinyinInput::open(const std::string& dict_path) {
    // The engine keeps one decoder per process; a user dictionary it cannot create keeps it from
    // learning (and so from remembering) what residents type.
    if (!ime_pinyin::im_open_decoder(dict_path.c_str(), "/nonexistent/lobby-kiosk/no-user-dictionary"))
        return Error{"error.pinyin", "cannot open the pinyin dictionary " + dict_path + " (apt-get install libgooglepinyin0)"};
    return std::unique_ptr<PinyinInput>(new PinyinInput());
}

PinyinInput::~PinyinInput() { ime_pinyin::im_close_decoder(); }

PinyinInput::Lookup PinyinInput::search(std::string_view letters, size_t max_candidates) {
    Lookup out;
    std::string clean;
    for (char c : letters)
        if (c >= 'a' && c <= 'z' && clean.size() < 40) clean += c;
    if (clean.empty()) return out;
    ime_pinyin::im_reset_search();
    size_t n = ime_pinyin::im_search(clean.c_str(), clean.size());
    ime_pinyin::char16 buf[64];
    for (size_t i = 0; i < n && out.candidates.size() < max_candidates; ++i) {
        if (!ime_pinyin::im_get_candidate(i, buf, 64)) continue;
        std::string s;
        for (const ime_pinyin::char16* p = buf; *p; ++p) s += utf8_encode(*p);
        if (!s.empty()) out.candidates.push_back(std::move(s));
    }
    const ime_pinyin::uint16* starts = nullptr;
    size_t syllables = ime_pinyin::im_get_spl_start_pos(starts);
    for (size_t i = 0; starts && i <= syllables; ++i) out.syllable_starts.push_back(starts[i]);
    return out;
}

size_t PinyinInput::letters_used(const Lookup& l, size_t hanzi, size_t letters_total) {
    if (hanzi < l.syllable_starts.size()) return std::min(static_cast<size_t>(l.syllable_starts[hanzi]), letters_total);
    return letters_total;
}

}  // namespace kiosk::platform
