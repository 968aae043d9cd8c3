// lobby-kiosk's start: what is read from disk before the first frame (load.hpp).
#include "kiosk/app/load.hpp"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "platform/chinese_script.hpp"

namespace kiosk::app {

Result<Loaded> load(const Options& o, const std::function<void(const char*)>& phase) {
    Loaded l;
    auto cat = Catalog::load(o.assets_dir + "/i18n");
    if (!cat) return cat.error();
    l.catalog = std::move(cat.value());
    phase("catalogues");
    auto store = Store::open(o.data_dir + "/kiosk.db", o.site_id, o.kiosk_id);
    if (!store) return store.error();
    l.store = std::move(store.value());
    phase("store open");
    if (!o.site_file.empty()) {
        std::ifstream in(o.site_file);
        nlohmann::json site = nlohmann::json::parse(in, nullptr, false);
        // A site file that cannot be taken is refused, not fatal: the kiosk starts on the site it
        // had and staff see why on the desk's sync page.
        std::string why;
        if (!in || site.is_discarded()) why = "cannot read site file " + o.site_file;
        else if (auto r = l.store->import_site(site); !r) why = r.error().detail.substr(0, 300);
        if (!why.empty()) {
            std::fprintf(stderr, "lobby-kiosk: site file refused, keeping the last good site: %s\n", why.c_str());
            l.store->outbox().note_refusal("site_file", 1, why);
        }
    }
    phase("site file");
    // The UI draws from the build's subset of the CJK font (~1 MB, only the characters it can
    // show or residents can type); without it, from the full system font, as before.
    auto system_font = platform::find_cjk_font(o.assets_dir);
    auto subset = platform::find_font_subset(o.font_dir.empty() ? platform::default_font_subset_dir() : o.font_dir);
    if (!subset && !system_font) return system_font.error();
    const platform::FontFile& ui_font = subset ? subset->font : system_font.value();
    auto bytes = platform::read_file(ui_font.path);
    if (!bytes) return bytes.error();
    l.font.data = std::move(bytes.value());
    l.font.face_index = ui_font.face_index;
    l.font_file = system_font ? system_font.value() : subset->font;
    l.font_subset = subset.has_value();
    if (subset) {
        // The characters residents type, both scripts, listed by the build (OpenCC ran there).
        if (auto typing = platform::read_file(subset->typing_path))
            l.typing = ui::codepoints_of_text(std::string(typing.value().begin(), typing.value().end()));
    } else if (auto common = platform::read_file(o.assets_dir + "/hanzi_common.txt")) {
        std::fprintf(stderr, "lobby-kiosk: no font subset in %s: drawing from %s\n",
                     (o.font_dir.empty() ? platform::default_font_subset_dir() : o.font_dir).c_str(), ui_font.path.c_str());
        std::string text(common.value().begin(), common.value().end());
        // zh-TW residents type the same words in traditional script: those glyphs too. Without the
        // build's list OpenCC computes them here (and is closed again until zh-TW needs it).
        if (auto t = platform::TraditionalScript::open()) text += t.value()->from_simplified(text);
        else std::fprintf(stderr, "lobby-kiosk: %s\n", t.error().detail.c_str());
        l.typing = ui::codepoints_of_text(text);
    }
    phase("font file and typing set");
    // The site's own texts are drawn too: their characters go into the atlas.
    l.site_texts = l.store->datasets().display_texts();
    phase("site texts");
    return l;
}

}  // namespace kiosk::app
