#include "kiosk/ui/text_entry.hpp"

#include <algorithm>

#include "kiosk/core/text.hpp"
#include "platform/chinese_script.hpp"
#include "platform/pinyin.hpp"

namespace kiosk::ui {

namespace {
constexpr size_t kCandidates = 8;

void refresh(TextEntry& e, const TextInputContext& ctx) {
    e.candidates.clear();
    e.candidate_hanzi.clear();
    if (e.pinyin.empty() || !ctx.pinyin || ctx.traditional_opening) return;
    auto look = ctx.pinyin->search(e.pinyin, 3 * kCandidates);
    for (auto& engine : look.candidates) {
        // The engine knows simplified script only; zh-TW gets its words converted here, where
        // candidates are made, so the list, the font check and the text all see one script.
        std::string c = ctx.traditional ? ctx.traditional->from_simplified(engine) : engine;
        bool ok = std::find(e.candidates.begin(), e.candidates.end(), c) == e.candidates.end();  // two engine words, one script form
        for (char32_t cp : utf8_decode(c)) ok = ok && (!ctx.drawable || ctx.drawable(cp));
        if (ok) {  // a candidate the font lacks would draw as "?"
            e.candidates.push_back(c);
            e.candidate_hanzi.push_back(utf8_length(engine));
        }
        if (e.candidates.size() == kCandidates) break;
    }
}

void append(TextEntry& e, const std::string& s) {
    if (text_entry_length(e) + utf8_length(s) <= e.max_chars) e.text += s;
}
}  // namespace

size_t text_entry_length(const TextEntry& e) { return utf8_length(e.text); }

void text_entry_refresh(TextEntry& e, const TextInputContext& ctx) { refresh(e, ctx); }

void text_entry_type(TextEntry& e, const std::string& utf8, const TextInputContext& ctx) {
    if (!e.pinyin.empty()) text_entry_key(e, "space", ctx);
    for (char32_t cp : utf8_decode(utf8))
        if (cp >= 0x20 && cp != 0x7F && cp != 0xFFFD) append(e, utf8_encode(cp));
}

void text_entry_key(TextEntry& e, const std::string& key, const TextInputContext& ctx) {
    if (key == "mode") {
        if (!e.pinyin.empty()) append(e, e.pinyin);  // switching keeps what was typed, as letters
        e.pinyin.clear();
        e.candidates.clear();
        e.candidate_hanzi.clear();
        e.chinese = !e.chinese && ctx.pinyin != nullptr;
        return;
    }
    if (key == "back") {
        if (!e.pinyin.empty()) {
            e.pinyin.pop_back();
            refresh(e, ctx);
        } else {
            utf8_pop_back(e.text);
        }
        return;
    }
    if (key == "space") {
        if (!e.candidates.empty()) text_entry_choose(e, 0, ctx);
        else if (!e.pinyin.empty()) {
            append(e, e.pinyin);
            e.pinyin.clear();
        } else if (!e.text.empty() && e.text.back() != ' ') {
            append(e, " ");
        }
        return;
    }
    if (key.size() != 1) return;
    char c = key[0];
    bool letter = c >= 'A' && c <= 'Z';
    if (e.chinese && ctx.pinyin && letter) {
        if (e.pinyin.size() < 40) e.pinyin += static_cast<char>(c - 'A' + 'a');
        refresh(e, ctx);
        return;
    }
    if (!e.pinyin.empty()) text_entry_choose(e, 0, ctx);  // a digit ends the syllables
    append(e, e.chinese || !letter ? key : std::string(1, static_cast<char>(c - 'A' + 'a')));
}

void text_entry_choose(TextEntry& e, size_t index, const TextInputContext& ctx) {
    if (index >= e.candidates.size() || !ctx.pinyin) return;
    std::string chosen = e.candidates[index];
    size_t hanzi = index < e.candidate_hanzi.size() ? e.candidate_hanzi[index] : utf8_length(chosen);
    auto look = ctx.pinyin->search(e.pinyin, 1);
    size_t used = platform::PinyinInput::letters_used(look, hanzi, e.pinyin.size());
    append(e, chosen);
    e.pinyin.erase(0, used);
    refresh(e, ctx);
}

}  // namespace kiosk::ui
