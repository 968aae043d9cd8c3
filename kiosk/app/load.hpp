// What the kiosk reads from disk before its first frame: the catalogues, the store (and a site
// file given with --site), the UI font and the characters residents type, and the site's own
// texts. main() runs it on a thread of its own while the window opens.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kiosk/app/options.hpp"
#include "kiosk/core/i18n.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/fonts.hpp"
#include "platform/window.hpp"

namespace kiosk::app {

// Everything the app needs that is read from disk, read once before the first frame.
struct Loaded {
    Catalog catalog;
    std::unique_ptr<Store> store;
    ui::FontBytes font;           // what the atlas is rasterised from: the subset, or the system font
    platform::FontFile font_file; // what slips are printed with: the system font (site data may carry anything)
    bool font_subset = false;
    std::vector<std::string> site_texts;
    std::set<char32_t> typing;  // what residents can type with pinyin, in both scripts
};

// `phase` is told each step's name as it ends (--report-timing).
Result<Loaded> load(const Options& o, const std::function<void(const char*)>& phase);

}  // namespace kiosk::app
