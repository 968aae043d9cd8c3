// The fee statement's layout (issue #14): in elder mode with the amounts shown, the total and
// the arrears filled the list's box and every month was drawn below its edge. Each page must show
// its months inside the box, the summary and the payment code beside it, clear of the page
// buttons, 完成 and the slip, at every size, in every language, both modes.
#include <catch2/catch.hpp>
#include <sstream>
#include <vector>

#include "kiosk_fixture.hpp"

using namespace kiosk;

namespace {
bool overlap(const ui::WidgetRect& a, const ui::WidgetRect& b) {
    return a.min.x + 1 < b.max.x && b.min.x + 1 < a.max.x && a.min.y + 1 < b.max.y && b.min.y + 1 < a.max.y;
}
bool inside(const ui::WidgetRect& r, const ui::WidgetRect& box) {
    return r.min.x >= box.min.x - 0.5f && r.min.y >= box.min.y - 0.5f && r.max.x <= box.max.x + 0.5f && r.max.y <= box.max.y + 0.5f;
}
std::string box(const ui::WidgetRect& r) {
    std::ostringstream o;
    o << r.id << " [" << r.min.x << "," << r.min.y << " " << r.max.x - r.min.x << "x" << r.max.y - r.min.y << "]";
    return o.str();
}
std::vector<ui::WidgetRect> rects_from(const ui::WidgetRegistry& w, std::string_view prefix) {
    std::vector<ui::WidgetRect> out;
    for (auto& r : w.rects())
        if (r.id.starts_with(prefix)) out.push_back(r);
    return out;
}
// The demo's 1栋 201 (five months behind, management and water each month), with two paid months
// of last year, so that the pages also turn over a year; without a payment URL when `pay_qr` is off.
nlohmann::json fee_site(bool pay_qr) {
    auto site = test::demo_site();
    if (!pay_qr) site["facts"].erase("payment_url_template");
    for (const char* month : {"2025-11", "2025-12"})
        for (const char* kind : {"management", "parking"})
            site["fee_items"].push_back({{"id", std::string("F-B1-201-") + month + "-" + kind},
                                         {"unit", "B1-201"},
                                         {"month", month},
                                         {"kind", kind},
                                         {"amount_cents", 32000},
                                         {"paid", true}});
    return site;
}
}  // namespace

TEST_CASE("every page of the fee statement shows its months inside the list, the total and the payment code beside it, in both modes, every language and size", "[ui][fees][elder][layout]") {
    for (ImVec2 display : {ImVec2{1920, 1080}, ImVec2{1280, 720}}) {
        for (bool pay_qr : {true, false}) {
            auto site = fee_site(pay_qr);
            test::Kiosk k(display, &site);
            k.app->state().printer.configured = true;  // the print button on the row of actions
            float scale = display.y / 1080;
            for (bool elder : {false, true})
                for (Lang l : kAllLangs)
                    for (bool shown : {false, true}) {
                        std::string where = std::to_string(int(display.x)) + "x" + std::to_string(int(display.y)) +
                                            (elder ? " elder" : " normal") + (shown ? " shown" : " hidden") +
                                            (pay_qr ? " with QR" : " without QR") + " in " + std::string(lang_code(l));
                        INFO(where);
                        k.app->reset_session();
                        k.app->state().lang = l;
                        k.app->state().elder = elder;
                        k.prove("home.tile.fees", "B1", "B1-201", "12011201");
                        REQUIRE(k.screen() == ui::Screen::Fees);
                        if (shown) k.tap("fees.show");
                        const auto& months = k.app->features().fees.s.statement.months;
                        REQUIRE(months.size() == 8);
                        k.driver->frame();
                        const auto& w = k.app->widgets();
                        // Nothing about amounts before the tap.
                        CHECK(w.shows_text("¥") == shown);
                        CHECK((w.find("fees.summary") != nullptr) == shown);
                        CHECK((w.find("fees.pay_qr") != nullptr) == (shown && pay_qr));
                        std::vector<std::string> seen;
                        for (int page = 0; page < 12; ++page) {
                            k.driver->frame();
                            INFO("page " << page + 1);
                            const ui::WidgetRect* list = w.find("fees.list");
                            REQUIRE(list);
                            auto rows = rects_from(w, "fees.month.");
                            // (a) months to read on every page: two at least in elder mode, four
                            // in normal mode, unless the year has fewer left.
                            size_t left_in_year = 0;
                            std::string year = seen.size() < months.size() ? months[seen.size()].month.substr(0, 4) : "";
                            for (size_t i = seen.size(); i < months.size() && months[i].month.starts_with(year); ++i) ++left_in_year;
                            CHECK(rows.size() >= std::min<size_t>(elder ? 2 : 4, left_in_year));
                            REQUIRE(!rows.empty());
                            // (b) each inside the box, none over another.
                            for (size_t i = 0; i < rows.size(); ++i) {
                                INFO(box(rows[i]) << " in " << box(*list));
                                CHECK(inside(rows[i], *list));
                                CHECK(rows[i].max.y - rows[i].min.y >= 90 * scale);
                                for (size_t j = i + 1; j < rows.size(); ++j) CHECK_FALSE(overlap(rows[i], rows[j]));
                                seen.push_back(rows[i].id.substr(std::string("fees.month.").size()));
                            }
                            // (c) the summary and the payment code clear of the list, the page
                            // buttons, the show button, 完成 and the slip's button, and of each other.
                            std::vector<const ui::WidgetRect*> others = {list, w.find("fees.pages.prev"), w.find("fees.pages.next"),
                                                                         w.find("fees.done"), w.find("fees.print"),
                                                                         w.find("fees.show")};
                            REQUIRE(others[3]);
                            REQUIRE(others[4]);
                            for (const char* id : {"fees.summary", "fees.pay_qr"}) {
                                const ui::WidgetRect* s = w.find(id);
                                if (!s) continue;
                                CHECK(s->min.x >= 0);
                                CHECK(s->max.x <= display.x);
                                CHECK(s->max.y <= display.y);
                                for (auto* o : others)
                                    if (o) {
                                        INFO(box(*s) << " and " << box(*o));
                                        CHECK_FALSE(overlap(*s, *o));
                                    }
                            }
                            if (auto* s = w.find("fees.summary"), *q = w.find("fees.pay_qr"); s && q) CHECK_FALSE(overlap(*s, *q));
                            // (d) the total and the arrears stage whole inside the summary, at a size
                            // elder mode may use (body text >= 32 px at 1080p).
                            if (const ui::WidgetRect* s = w.find("fees.summary")) {
                                INFO(box(*s) << " text [" << s->text_min.x << "," << s->text_min.y << " - " << s->text_max.x
                                             << "," << s->text_max.y << "] at " << s->text_px << " px");
                                CHECK(s->has_text());
                                CHECK_FALSE(s->text_cut);
                                CHECK(s->text_min.x >= s->min.x);
                                CHECK(s->text_min.y >= s->min.y);
                                CHECK(s->text_max.x <= s->max.x + 0.5f);
                                CHECK(s->text_max.y <= s->max.y + 0.5f);
                                if (elder) CHECK(s->text_px >= 32 * scale - 0.01f);
                            }
                            if (auto* q = w.find("fees.pay_qr")) CHECK(q->max.x - q->min.x >= 240 * scale);  // a phone still reads it
                            const ui::WidgetRect* next = w.find("fees.pages.next");
                            if (!next || !next->enabled) break;
                            k.tap("fees.pages.next");
                        }
                        // (e) every month once, newest first, as the statement has them.
                        REQUIRE(seen.size() == months.size());
                        for (size_t i = 0; i < months.size(); ++i) CHECK(seen[i] == months[i].month);
                    }
        }
    }
}

TEST_CASE("fee pages by height hold the months that fit the box, a month taller than the box alone, never two years", "[fees]") {
    FeeStatement st;
    for (const char* m : {"2026-03", "2026-02", "2026-01", "2025-12", "2025-11"}) st.months.push_back({m, {}, 0});
    auto pages = ui::fee_pages(st, {100, 150, 100, 500, 100}, 300);
    REQUIRE(pages.size() == 4);
    CHECK(pages[0].first == 0);
    CHECK(pages[0].count == 2);  // 100 + 150; another 100 would be 350
    CHECK(pages[1].first == 2);
    CHECK(pages[1].count == 1);  // 2026-01: the year ends
    CHECK(pages[2].first == 3);
    CHECK(pages[2].count == 1);  // taller than the box: alone
    CHECK(pages[3].first == 4);
    CHECK(pages[3].count == 1);
}
