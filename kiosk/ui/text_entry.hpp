#pragma once
// Free text a resident types on the on-screen keyboard, in Chinese by pinyin or in Latin letters.
// The state is the app's (wiped with the session); keys arrive as intents and are applied here,
// between frames, so drawing never calls the input engine.
#include <functional>
#include <string>
#include <vector>

namespace kiosk::platform {
class PinyinInput;
class TraditionalScript;
}

namespace kiosk::ui {

struct TextEntry {
    std::string text;                       // committed, UTF-8
    std::string pinyin;                     // letters being composed (lowercase)
    std::vector<std::string> candidates;    // for `pinyin`, best first, only what the font can draw,
                                            // in the screen's script (traditional on zh-TW)
    std::vector<size_t> candidate_hanzi;    // each candidate's length as the engine gave it
    bool chinese = true;                    // 中 or EN
    size_t max_chars = 200;
};

// What the IME needs from the app: the engine (may be null: Latin only) and the font's coverage.
struct TextInputContext {
    platform::PinyinInput* pinyin = nullptr;
    std::function<bool(char32_t)> drawable;
    // Set while the screen is in zh-TW: the engine's (simplified) candidates are converted by it.
    const platform::TraditionalScript* traditional = nullptr;
    // zh-TW while its script is still opening: no candidates yet (they would be simplified);
    // the app calls text_entry_refresh once it is open.
    bool traditional_opening = false;
};

// A key from keyboard_keys(): "A"–"Z", "0"–"9", "back", "space", "mode".
void text_entry_key(TextEntry& e, const std::string& key, const TextInputContext& ctx);
// A tap on candidate `index`: commits it and goes on composing what is left of the pinyin.
void text_entry_choose(TextEntry& e, size_t index, const TextInputContext& ctx);
size_t text_entry_length(const TextEntry& e);
// Makes the candidates for the letters being composed again (the script they are shown in changed).
void text_entry_refresh(TextEntry& e, const TextInputContext& ctx);
// Text from a physical keyboard (or an input method of the desktop): committed as it comes, every
// plane, control characters dropped, up to max_chars. Letters being composed are committed first.
void text_entry_type(TextEntry& e, const std::string& utf8, const TextInputContext& ctx);

}  // namespace kiosk::ui
