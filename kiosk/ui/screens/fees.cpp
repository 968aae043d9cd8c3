// Fee statement (费用查询), after the household proved itself: what is owed, month by month,
// where the household stands on the arrears ladder, and a payment QR when the site has one. The
// months alone until the resident taps "show amounts owed" (a neighbour may be looking).
//
// Two columns (issue #14): the months on the left, in a box that holds nothing else, with ◀ ▶
// under it; on the right the show/hide button and, after the tap, the total, the arrears stage
// and the payment code. With the total in the list, elder mode's box was full before a month.
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {
// One month of the list as drawn: its head ("2026-11    Owed ¥320.00") and, with the amounts
// shown, its items under it, each wrapped to the list's width.
struct MonthRow {
    std::string head, items;
    TextLines head_lines, item_lines;
    ImU32 head_colour = 0, item_colour = 0;
    float h = 0;
};

std::string month_items(ScreenCtx& c, const FeeMonth& m, bool& all_paid) {
    std::string line;
    all_paid = true;
    for (const FeeItem& it : m.items) {
        std::string kind_key = "fee.kind." + it.kind;  // a kind head office adds later reads "Other"
        if (!line.empty()) line += "  ·  ";
        line += c.tr(c.cat.has(c.st.lang, kind_key) ? kind_key : "fee.kind.other") + " " +
                c.cat.format(c.st.lang, "fees.amount", {{"amount", format_yuan(it.amount_cents)}}) + " " +
                c.tr(it.paid ? "fees.paid" : "fees.unpaid");
        all_paid = all_paid && it.paid;
    }
    return line;
}
}  // namespace

// Every month laid out, for the pages' breaks: kept in the statement's view while the amounts'
// state, the language, the font and the box are the same (a frame of 24 months formatted and
// fitted them all again: the large estate's bills cost 1.8x the demo's frame). The rows are made in
// place and never moved, so their lines' views into their own texts stay good.
struct FeesMonthLayout {
    bool shown = false;
    Lang lang = Lang::ZhCN;
    ImFont* font = nullptr;
    float text_w = 0, list_h = 0;
    std::vector<MonthRow> rows;
    std::vector<float> heights;
    std::vector<FeePage> pages;
    bool same(bool s, Lang l, ImFont* f, float w, float h) const {
        return shown == s && lang == l && font == f && text_w == w && list_h == h;
    }
};

void FeesFeature::draw(ScreenCtx& c) {
    FeesFeature& f = *this;
    Ui& ui = c.ui;
    auto& ses = c.st.session;
    ImGui::SetCursorScreenPos(c.content_min);
    if (!ses.household) return;
    const FeeStatement& st = f.s.statement;
    ImDrawList* dl = ImGui::GetWindowDrawList();

    // Amounts, arrears and the payment code (it carries the amount) wait for the resident's tap.
    bool shown = f.s.amounts_shown;
    bool with_qr = shown && f.s.pay_qr.has_value();
    float gap = ui.m.px(40);
    float side = std::min(ui.m.px(560), c.content_w() * 0.46f);
    float list_w = c.content_w() - side - gap;
    float side_x = c.content_max.x - side;
    float done_h = action_h(ui);
    float actions_y = c.content_max.y - done_h;
    float column_bottom = actions_y - ui.m.px(24);  // the right column stays above 完成 and the slip

    std::string unit = ses.household->building_name.in(c.st.lang) + " " + ses.household->unit_label;
    ui.text_wrapped(c.cat.format(c.st.lang, "fees.title", {{"unit", unit}}), list_w, ui.fonts.title);

    // The months: nothing else in their box, so a page holds as many as fit, and never two years.
    float list_top = ImGui::GetCursorScreenPos().y + ui.m.px(8);
    float pager_y = actions_y - ui.m.px(12) - ui.pager_h();
    float list_h = std::max(ui.m.min_target(), pager_y - ui.m.px(12) - list_top);
    float pad = ui.m.px(8), indent = ui.m.px(40);
    float text_w = list_w - ui.m.flat(16);  // clear of the scroll indicator
    if (!f.s.layout || !f.s.layout->same(shown, c.st.lang, ui.fonts.body, text_w, list_h)) {
        f.s.layout = std::make_shared<FeesMonthLayout>(FeesMonthLayout{shown, c.st.lang, ui.fonts.body, text_w, list_h, {}, {}, {}});
        FeesMonthLayout& laid = *f.s.layout;
        std::vector<MonthRow>& rows = laid.rows;
        std::vector<float>& heights = laid.heights;
        rows.resize(st.months.size());
        heights.resize(st.months.size());
        for (size_t i = 0; i < st.months.size(); ++i) {
            const FeeMonth& m = st.months[i];
            MonthRow& r = rows[i];
            if (!shown) {
                r.head = m.month + "    " + c.tr("fees.hidden");
                r.head_colour = colour::muted;
            } else {
                std::string state = m.owed_cents > 0
                                        ? c.cat.format(c.st.lang, "fees.month_owed",
                                                       {{"amount", c.cat.format(c.st.lang, "fees.amount",
                                                                                {{"amount", format_yuan(m.owed_cents)}})}})
                                        : c.tr("fees.month_paid");
                r.head = m.month + "    " + state;
                r.head_colour = m.owed_cents > 0 ? colour::urgent : colour::ok;
                bool all_paid = true;
                r.items = month_items(c, m, all_paid);
                r.item_colour = all_paid ? colour::muted : colour::text;
            }
            r.head_lines = ui.fit(r.head, {text_w, 0}, ui.fonts.body);
            float head_h = r.head_lines.size.y;
            if (!r.items.empty()) {
                r.item_lines = ui.fit(r.items, {text_w - indent, 0}, ui.fonts.body);
                // A month taller than the box steps its items down a size rather than leave the box.
                if (2 * pad + head_h + ui.m.px(4) + r.item_lines.size.y > list_h)
                    r.item_lines = ui.fit(r.items, {text_w - indent, list_h - 2 * pad - head_h - ui.m.px(4)}, ui.fonts.body);
            }
            float content = 2 * pad + head_h + (r.items.empty() ? 0 : ui.m.px(4) + r.item_lines.size.y);
            r.h = std::min(list_h, std::max(ui.m.min_target(), content));
            heights[i] = r.h;
        }
        laid.pages = fee_pages(st, heights, list_h);
    }
    const std::vector<MonthRow>& rows = f.s.layout->rows;
    const std::vector<FeePage>& pages = f.s.layout->pages;
    int page = std::clamp(f.s.page, 0, std::max(0, static_cast<int>(pages.size()) - 1));
    ImGui::SetCursorScreenPos({c.content_min.x, list_top});
    ses.list_scroll = 0;  // a page fits its box: nothing to drag
    ui.begin_drag_scroll("fees.list", {list_w, list_h}, ses.list_scroll);
    if (!pages.empty()) {
        ImDrawList* ldl = ImGui::GetWindowDrawList();
        const FeePage& pg = pages[static_cast<size_t>(page)];
        ImVec2 o = ImGui::GetCursorScreenPos();
        float y = o.y;
        for (size_t i = pg.first; i < pg.first + pg.count; ++i) {
            const MonthRow& r = rows[i];
            ImVec2 head_at{o.x, y + pad}, items_at{o.x + indent, y + pad + r.head_lines.size.y + ui.m.px(4)};
            ui.reg.add("fees.month." + st.months[i].month, {o.x, y}, {o.x + list_w, y + r.h});
            float text_right = std::max(head_at.x + r.head_lines.size.x, items_at.x + r.item_lines.size.x);
            float text_bottom = r.items.empty() ? head_at.y + r.head_lines.size.y : items_at.y + r.item_lines.size.y;
            float px = r.items.empty() ? r.head_lines.px : std::min(r.head_lines.px, r.item_lines.px);
            ui.reg.label_box(head_at, {text_right, text_bottom}, px, r.head_lines.cut || r.item_lines.cut);
            ui.reg.text(r.head, r.head_lines.font);
            ui.draw_lines(ldl, r.head_lines, head_at, text_w, false, r.head_colour);
            if (!r.items.empty()) {
                ui.reg.text(r.items, r.item_lines.font);
                ui.draw_lines(ldl, r.item_lines, items_at, text_w - indent, false, r.item_colour);
            }
            if (i + 1 < pg.first + pg.count)
                ldl->AddLine({o.x, y + r.h - ui.m.flat(1)}, {o.x + text_w, y + r.h - ui.m.flat(1)}, colour::track, ui.m.flat(2));
            y += r.h;
        }
        ImGui::Dummy({list_w, std::max(1.0f, y - o.y)});
    }
    ui.end_drag_scroll(ses.list_scroll);
    if (pages.size() > 1) {
        ImGui::SetCursorScreenPos({c.content_min.x, pager_y});
        const FeePage& pg = pages[static_cast<size_t>(page)];
        std::string label = c.cat.format(c.st.lang, "fees.year",
                                         {{"year", st.months[pg.first].month.substr(0, 4)},
                                          {"page", std::to_string(page + 1)},
                                          {"pages", std::to_string(pages.size())}});
        if (int asked = ui.pager("fees.pages", page, static_cast<int>(pages.size()), list_w, label); asked >= 0)
            f.emit(fees::Page{asked});
    }

    // 完成 and the slip on the row of actions, left.
    ImGui::SetCursorScreenPos({c.content_min.x, actions_y});
    if (ui.button("fees.done", c.tr("verify.done"), {ui.m.px(420), done_h}, true, colour::primary))
        c.emit(shell::Done{});
    float actions_right = c.content_min.x + ui.m.px(420);
    float status_x = 0;
    if (c.st.printer.configured) {
        // One statement a visit: a second tap while it prints would waste paper.
        float px = c.content_min.x + ui.m.px(460);
        ImGui::SetCursorScreenPos({px, actions_y});
        if (ui.button("fees.print", c.tr("fees.print"), {ui.m.px(420), done_h}, f.s.slip_job == 0, colour::button))
            f.emit(fees::Print{});
        actions_right = px + ui.m.px(420);
        status_x = actions_right + ui.m.px(20);
    }

    // The right column: the button, then the total and the arrears, then the payment code. The
    // code may stand beside 完成 and the slip, down to the bottom, where the row leaves room.
    ImGui::SetCursorScreenPos({side_x, c.content_min.y});
    ImFont* bf = ui.fonts.title;
    const std::string& show_label = c.tr(shown ? "fees.hide" : "fees.show");
    float show_h = ui.m.px(110);
    if (ui.button("fees.show", show_label, {side, show_h}, true, shown ? colour::button : colour::primary, bf))
        f.emit(fees::ShowAmounts{!shown});
    float y = c.content_min.y + show_h + ui.m.flat(12);
    if (!shown) {
        ImGui::SetCursorScreenPos({side_x, y});
        ui.text_wrapped(c.tr("fees.hidden_note"), side, ui.fonts.body, colour::muted);
    }
    float qr_min = ui.m.flat(240);  // still scanned by a phone held at arm's length
    float qr_right = c.content_max.x, qr_bottom = column_bottom, qr_side = 0;
    TextLines hint;
    float hint_h = 0;
    if (with_qr) {
        hint = ui.fit(c.tr("fees.pay_hint"), {side, 0}, ui.fonts.body);
        hint_h = hint.size.y + ui.m.flat(8);
        if (qr_right - qr_min >= actions_right + ui.m.px(20)) qr_bottom = c.content_max.y;
    }
    if (shown) {
        float box_pad = ui.m.flat(16), inner = side - 2 * box_pad;
        float room = (with_qr ? qr_bottom - qr_min - hint_h - ui.m.flat(12) : column_bottom) - y - 2 * box_pad;
        std::string owed = c.cat.format(c.st.lang, "fees.amount", {{"amount", format_yuan(st.total_owed_cents)}});
        std::string total = c.cat.format(c.st.lang, "fees.total_owed", {{"amount", owed}});
        std::string arrears = st.months_in_arrears > 0
                                  ? c.cat.format(c.st.lang, "fees.arrears", {{"months", std::to_string(st.months_in_arrears)}}) +
                                        c.tr("fees.stage." + std::string(arrears_stage_id(st.stage)))
                                  : c.tr("fees.stage.none");
        // The total on one line, large where it fits; the stage below in what is left.
        TextLines total_lines = ui.fit(total, {inner, bf->FontSize * 1.05f}, bf);
        float between = ui.m.px(6);
        TextLines stage_lines = ui.fit(arrears, {inner, room - total_lines.size.y - between}, ui.fonts.body);
        float box_h = 2 * box_pad + total_lines.size.y + between + stage_lines.size.y;
        ImVec2 b0{side_x, y}, b1{side_x + side, y + box_h};
        dl->AddRectFilled(b0, b1, colour::button, ui.m.flat(12));
        dl->AddRect(b0, b1, st.months_in_arrears > 0 ? colour::urgent : colour::ok, ui.m.flat(12), 0, ui.m.flat(3));
        ui.reg.add("fees.summary", b0, b1);
        ui.reg.label_box({b0.x + box_pad, b0.y + box_pad},
                         {b0.x + box_pad + std::max(total_lines.size.x, stage_lines.size.x), b1.y - box_pad},
                         std::min(total_lines.px, stage_lines.px), total_lines.cut || stage_lines.cut);
        ui.reg.text(total, total_lines.font);
        ui.draw_lines(dl, total_lines, {b0.x + box_pad, b0.y + box_pad}, inner, false,
                      st.total_owed_cents > 0 ? colour::text : colour::ok);
        ui.reg.text(arrears, stage_lines.font);
        ui.draw_lines(dl, stage_lines, {b0.x + box_pad, b0.y + box_pad + total_lines.size.y + between}, inner, false,
                      st.months_in_arrears > 0 ? colour::text : colour::ok);
        y = b1.y + ui.m.flat(12);
    }
    if (with_qr) {
        qr_side = std::min({side, ui.m.px(360), qr_bottom - y - hint_h});
        qr_side = std::max(qr_side, std::min(qr_min, side));
        if (qr_bottom == c.content_max.y) qr_side = std::min(qr_side, qr_right - actions_right - ui.m.px(20));
        float qx = qr_right - qr_side, qy = qr_bottom - qr_side;
        ui.reg.text(c.tr("fees.pay_hint"), hint.font);
        ui.draw_lines(dl, hint, {side_x, qy - hint_h}, side, true, colour::muted);
        ImGui::SetCursorScreenPos({qx, qy});
        ui.qr("fees.pay_qr", *f.s.pay_qr, qr_side);
    }
    if (c.st.printer.configured) {
        float status_right = qr_side > 0 && qr_bottom == c.content_max.y ? qr_right - qr_side : c.content_max.x;
        ImGui::SetCursorScreenPos({status_x, actions_y + ui.m.px(10)});
        draw_slip_status(c, f.s.slip_job, std::max(ui.m.px(120), status_right - status_x - ui.m.px(20)));
    }
}

}  // namespace kiosk::ui
