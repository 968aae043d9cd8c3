// kiosk-glyph-set: the characters the kiosk's font subset must carry (a build step, run before
// pyftsubset). The kiosk draws the catalogues, the site's texts and what residents type; the font
// it loads at start then holds those glyphs and no others (issue #14 item 9).
//
//   kiosk-glyph-set --typing assets/hanzi_common.txt --typing-out typing.txt --out glyphs.txt FILE...
//
// typing.txt: the characters residents can type with pinyin, in both scripts (hanzi_common.txt
//   and its traditional forms by OpenCC s2tw, as zh-TW's candidates are converted). The kiosk
//   reads it at start instead of opening OpenCC to compute the same set.
// glyphs.txt: typing.txt, printable ASCII, Latin-1 and CJK punctuation, and every character of
//   each FILE (the catalogues and the demo site, read whole: their JSON keys are ASCII anyway).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "kiosk/core/text.hpp"
#include "platform/chinese_script.hpp"

using namespace kiosk;

namespace {

bool read(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

// Drawable characters of `text`; lines starting with '#' skipped when `comments`.
void add_text(std::set<char32_t>& out, const std::string& text, bool comments) {
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (!(comments && !line.empty() && line[0] == '#'))
            for (char32_t c : utf8_decode(line))
                if (c > 0x20 && c != 0x7F && c != 0xFFFD && c <= 0x10FFFF) out.insert(c);
        start = end + 1;
    }
}

bool write(const std::string& path, const std::set<char32_t>& cps, const char* what) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "# " << what << " (" << cps.size() << " characters), written by kiosk-glyph-set\n";
    int n = 0;
    for (char32_t c : cps) {
        out << utf8_encode(c);
        if (++n % 64 == 0) out << '\n';
    }
    out << '\n';
    return static_cast<bool>(out);
}

int usage() {
    std::fprintf(stderr, "usage: kiosk-glyph-set --typing HANZI.txt --typing-out TYPING.txt --out GLYPHS.txt FILE...\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string typing_in, typing_out, out;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if ((a == "--typing" || a == "--typing-out" || a == "--out") && i + 1 < argc) {
            (a == "--typing" ? typing_in : a == "--out" ? out : typing_out) = argv[++i];
        } else if (!a.empty() && a[0] != '-') {
            files.push_back(a);
        } else {
            return usage();
        }
    }
    if (typing_in.empty() || typing_out.empty() || out.empty()) return usage();

    std::string common;
    if (!read(typing_in, common)) {
        std::fprintf(stderr, "kiosk-glyph-set: cannot read %s\n", typing_in.c_str());
        return 1;
    }
    std::set<char32_t> typing;
    add_text(typing, common, true);
    // zh-TW residents type the same words in traditional script (OpenCC s2tw, as the kiosk does).
    auto script = platform::TraditionalScript::open();
    if (!script) {
        std::fprintf(stderr, "kiosk-glyph-set: %s\n", script.error().detail.c_str());
        return 1;
    }
    std::string simplified;
    for (char32_t c : typing) simplified += utf8_encode(c);
    add_text(typing, script.value()->from_simplified(simplified), false);

    std::set<char32_t> all = typing;
    for (char32_t c = 0x20; c < 0x7F; ++c) all.insert(c);
    for (char32_t c = 0xA0; c <= 0xFF; ++c) all.insert(c);      // Latin-1: names, ¥, ·
    for (char32_t c = 0x2010; c <= 0x2027; ++c) all.insert(c);  // dashes, quotes, … (ImGui's ellipsis)
    for (char32_t c = 0x3000; c <= 0x3011; ++c) all.insert(c);  // 、。〈〉《》「」『』【】
    for (char32_t c : {0xFF01, 0xFF08, 0xFF09, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF1F, 0xFFE5}) all.insert(c);  // ！（），：；？￥
    for (auto& f : files) {
        std::string text;
        if (!read(f, text)) {
            std::fprintf(stderr, "kiosk-glyph-set: cannot read %s\n", f.c_str());
            return 1;
        }
        add_text(all, text, false);
    }
    if (!write(typing_out, typing, "characters residents can type, simplified and traditional") ||
        !write(out, all, "characters of the kiosk's font subset")) {
        std::fprintf(stderr, "kiosk-glyph-set: cannot write %s or %s\n", typing_out.c_str(), out.c_str());
        return 1;
    }
    std::printf("kiosk-glyph-set: %zu characters (%zu typed)\n", all.size(), typing.size());
    return 0;
}
