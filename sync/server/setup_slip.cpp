#include "sync/server/setup_slip.hpp"

#include <fstream>

#include "kiosk/core/qr.hpp"
#include "kiosk/print/slip.hpp"

namespace kiosk::headoffice {

const std::vector<SlipFontFile>& setup_slip_fonts() {
    static const std::vector<SlipFontFile> kFonts{
        {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, true},
        {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, true},
        {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0, false},
    };
    return kFonts;
}

Result<SlipWritten> write_setup_slip(const SetupCode& code, const std::filesystem::path& png,
                                     const std::vector<SlipFontFile>& fonts) {
    auto text = setup_code_text(code);
    if (!text) return Error{"setup.error.fields", "the setup string cannot carry these fields"};
    for (const SlipFontFile& f : fonts) {
        if (!std::filesystem::exists(f.path)) continue;
        auto font = print::SlipFont::load(f.path, f.face);
        if (!font) continue;
        print::Slip s;
        s.kind = "setup_slip";
        s.reference = code.site + "/" + code.kiosk;
        s.title = f.cjk ? "信息亭设置 Kiosk setup" : "Kiosk setup";
        s.text("Site: " + code.site);
        s.text("Kiosk: " + code.kiosk);
        s.text("Head office: " + code.url, print::TextSize::Small);
        s.qr(*text);
        s.text("Scan at the kiosk's setup screen", print::TextSize::Normal, print::Align::Centre);
        if (f.cjk) s.text("请在信息亭的设置画面扫描", print::TextSize::Normal, print::Align::Centre);
        s.footer = "One use, no expiry: spent when the kiosk enrols; add-kiosk again replaces it.";
        auto bitmap = print::render_slip(s, print::dots(print::Paper::mm80), *font.value());
        if (!bitmap) return bitmap.error();
        auto bytes = print::bitmap_png(bitmap.value());
        std::ofstream out(png, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) return Error{"setup.error.save", "cannot write " + png.string()};
        return SlipWritten{true, f.path};
    }
    if (auto w = write_qr_png(*text, png); !w) return w.error();
    return SlipWritten{};
}

}  // namespace kiosk::headoffice
