// Fee statement (费用查询), after the household proved itself: what is owed, month by month,
// where the household stands on the arrears ladder, and a payment QR when the site has one. The
// months alone until the resident taps "show amounts owed" (a neighbour may be looking).
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

void FeesFeature::draw(ScreenCtx& c) {
    FeesFeature& f = *this;
    Ui& ui = c.ui;
    auto& ses = c.st.session;
    ImGui::SetCursorScreenPos(c.content_min);
    if (!ses.household) return;
    const FeeStatement& st = f.s.statement;
    std::string unit = ses.household->building_name.in(c.st.lang) + " " + ses.household->unit_label;
    ui.text(c.cat.format(c.st.lang, "fees.title", {{"unit", unit}}), ui.fonts.title);

    // Amounts, arrears and the payment code (it carries the amount) wait for the resident's tap.
    bool shown = f.s.amounts_shown;
    bool with_qr = shown && f.s.pay_qr.has_value();
    float side = with_qr ? ui.m.px(360) : 0;
    float list_w = c.content_w() - (with_qr ? side + ui.m.px(40) : 0);
    float y = ImGui::GetCursorScreenPos().y + ui.m.px(10);
    ImGui::SetCursorScreenPos({c.content_min.x, y});
    ImFont* bf = ui.fonts.title;
    const std::string& show_label = c.tr(shown ? "fees.hide" : "fees.show");
    float bw = std::min(list_w, std::max(ui.m.px(420), bf->CalcTextSizeA(bf->FontSize, FLT_MAX, 0, show_label.c_str()).x +
                                                            ui.m.px(80)));
    if (ui.button("fees.show", show_label, {bw, ui.m.px(110)}, true, shown ? colour::button : colour::primary, bf))
        f.emit(fees::ShowAmounts{!shown});
    if (!shown) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(10)});
        ui.text_wrapped(c.tr("fees.hidden_note"), list_w, ui.fonts.body, colour::muted);
    }

    // The total and the arrears head the list, so that in elder mode they scroll with the months.
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    float top = ImGui::GetCursorScreenPos().y;
    float done_h = action_h(ui);
    float list_h = std::max(ui.m.min_target(), c.content_max.y - top - done_h - ui.pager_h() - ui.m.px(24));
    ui.begin_drag_scroll("fees.list", {list_w, list_h}, ses.list_scroll);
    if (shown) {
        std::string owed = c.cat.format(c.st.lang, "fees.amount", {{"amount", format_yuan(st.total_owed_cents)}});
        ui.text(c.cat.format(c.st.lang, "fees.total_owed", {{"amount", owed}}), ui.fonts.title,
                st.total_owed_cents > 0 ? colour::text : colour::ok);
        ImGui::Dummy({0, ui.m.px(4)});
        if (st.months_in_arrears > 0)
            ui.text_wrapped(c.cat.format(c.st.lang, "fees.arrears", {{"months", std::to_string(st.months_in_arrears)}}) +
                                c.tr("fees.stage." + std::string(arrears_stage_id(st.stage))),
                            list_w);
        else
            ui.text_wrapped(c.tr("fees.stage.none"), list_w, ui.fonts.body, colour::ok);
        ImGui::Dummy({0, ui.m.px(12)});
    }
    // A page holds as many months as fit under the total, and never two years: the bills are
    // read a year at a time, ◀ ▶ below.
    float line_h = (ui.fonts.body ? ui.fonts.body->FontSize : ImGui::GetFontSize()) + ImGui::GetStyle().ItemSpacing.y;
    float row_h = (shown ? 2 * line_h : line_h) + ui.m.px(10);
    float rows_top = ImGui::GetCursorScreenPos().y;
    int per_page = std::max(1, static_cast<int>((top + list_h - rows_top) / row_h));
    std::vector<FeePage> pages = fee_pages(st, per_page);
    int page = std::clamp(f.s.page, 0, std::max(0, static_cast<int>(pages.size()) - 1));
    if (!pages.empty()) {
        const FeePage& pg = pages[static_cast<size_t>(page)];
        for (size_t i = pg.first; i < pg.first + pg.count; ++i) {
            const FeeMonth& m = st.months[i];
            ImGui::SetCursorScreenPos({c.content_min.x, rows_top + static_cast<float>(i - pg.first) * row_h});
            if (!shown) {
                ui.text(m.month + "    " + c.tr("fees.hidden"), ui.fonts.body, colour::muted);
                continue;
            }
            std::string head = m.month + "    " +
                               (m.owed_cents > 0 ? c.cat.format(c.st.lang, "fees.month_owed",
                                                                {{"amount", c.cat.format(c.st.lang, "fees.amount",
                                                                                         {{"amount", format_yuan(m.owed_cents)}})}})
                                                 : c.tr("fees.month_paid"));
            ui.text(head, ui.fonts.body, m.owed_cents > 0 ? colour::urgent : colour::ok);
            std::string line;
            bool all_paid = true;
            for (const FeeItem& it : m.items) {
                std::string kind_key = "fee.kind." + it.kind;  // a kind head office adds later reads "Other"
                if (!line.empty()) line += "  ·  ";
                line += c.tr(c.cat.has(c.st.lang, kind_key) ? kind_key : "fee.kind.other") + " " +
                        c.cat.format(c.st.lang, "fees.amount", {{"amount", format_yuan(it.amount_cents)}}) + " " +
                        c.tr(it.paid ? "fees.paid" : "fees.unpaid");
                all_paid = all_paid && it.paid;
            }
            ImGui::SetCursorScreenPos({c.content_min.x + ui.m.px(40), rows_top + static_cast<float>(i - pg.first) * row_h + line_h});
            ui.text(line, ui.fonts.body, all_paid ? colour::muted : colour::text);
        }
        ImGui::SetCursorScreenPos({c.content_min.x, rows_top + static_cast<float>(pg.count) * row_h});
        ImGui::Dummy({0, 0});
    }
    ui.end_drag_scroll(ses.list_scroll);
    if (pages.size() > 1) {
        ImGui::SetCursorScreenPos({c.content_min.x, top + list_h + ui.m.px(12)});
        const FeePage& pg = pages[static_cast<size_t>(page)];
        std::string label = c.cat.format(c.st.lang, "fees.year",
                                         {{"year", st.months[pg.first].month.substr(0, 4)},
                                          {"page", std::to_string(page + 1)},
                                          {"pages", std::to_string(pages.size())}});
        if (int asked = ui.pager("fees.pages", page, static_cast<int>(pages.size()), list_w, label); asked >= 0)
            f.emit(fees::Page{asked});
    }
    // 完成 and the slip on the row of actions, left: the payment code stands at the right.
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - done_h});
    if (ui.button("fees.done", c.tr("verify.done"), {ui.m.px(420), done_h}, true, colour::primary))
        c.emit(shell::Done{});
    if (c.st.printer.configured) {
        // One statement a visit: a second tap while it prints would waste paper.
        float px = c.content_min.x + ui.m.px(460);
        ImGui::SetCursorScreenPos({px, c.content_max.y - done_h});
        if (ui.button("fees.print", c.tr("fees.print"), {ui.m.px(420), done_h}, f.s.slip_job == 0, colour::button))
            f.emit(fees::Print{});
        ImGui::SetCursorScreenPos({px + ui.m.px(440), c.content_max.y - done_h + ui.m.px(10)});
        draw_slip_status(c, f.s.slip_job, list_w - ui.m.px(900));
    }

    if (with_qr) {
        float qx = c.content_max.x - side;
        ImGui::SetCursorScreenPos({qx, y});
        ui.qr("fees.pay_qr", *f.s.pay_qr, side);
        ImGui::SetCursorScreenPos({qx, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text_centred(c.tr("fees.pay_hint"), side, ui.fonts.body, colour::muted);
    }
}

}  // namespace kiosk::ui
