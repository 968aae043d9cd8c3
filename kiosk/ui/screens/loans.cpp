// Borrowing convenience items (便民物品借用). A verified household sees what the desk lends, how
// many are left, the deposit and how long it may keep one; borrowing one tells it when it is due.
// The desk takes items back with a note of their condition; overdue loans come first.
#include "kiosk/ui/screens/flow.hpp"

namespace kiosk::ui {

namespace {
std::string deposit_text(const ScreenCtx& c, int64_t cents) {
    return cents == 0 ? c.tr("loan.no_deposit")
                      : c.cat.format(c.st.lang, "loan.deposit",
                                     {{"amount", c.cat.format(c.st.lang, "fees.amount", {{"amount", format_yuan(cents)}})}});
}
}  // namespace

void BorrowFeature::draw(ScreenCtx& c) {
    BorrowFeature& f = *this;
    Ui& ui = c.ui;
    auto& b = f.s;
    if (!c.st.session.household) return;
    ImGui::SetCursorScreenPos(c.content_min);
    if (b.step == BorrowState::Step::List) {
        ui.text(c.tr("loan.title"), ui.fonts.title);
        for (auto& l : b.out) {
            std::string name = l.item_id;
            for (auto& it : b.items)
                if (it.id == l.item_id) name = it.name.in(c.st.lang);
            ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(4)});
            ui.text(c.cat.format(c.st.lang, loan_overdue(l, c.st.wall_now) ? "loan.yours_overdue" : "loan.yours",
                                 {{"item", name}, {"date", local_date(l.due_at, "%m-%d")}}),
                    ui.fonts.body, loan_overdue(l, c.st.wall_now) ? colour::urgent : colour::muted);
        }
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
        // Three across, as tall as fits: the site decides how many items there are.
        int cols = 3;
        int rows = static_cast<int>((b.items.size() + cols - 1) / cols);
        float y = ImGui::GetCursorScreenPos().y;
        float gap = ui.m.px(16), bw = (c.content_w() - gap * (cols - 1)) / cols;
        float bh = std::max(ui.m.min_target(), std::min(ui.m.px(150), (c.content_max.y - y) / std::max(rows, 1) - gap));
        for (size_t i = 0; i < b.items.size(); ++i) {
            const CatalogueItem& it = b.items[i];
            int col = static_cast<int>(i) % cols, row = static_cast<int>(i) / cols;
            ImGui::SetCursorScreenPos({c.content_min.x + col * (bw + gap), y + row * (bh + gap)});
            std::string label = it.name.in(c.st.lang) + "\n" +
                                (it.available > 0 ? c.cat.format(c.st.lang, "loan.left", {{"count", std::to_string(it.available)}})
                                                  : c.tr("loan.none_left"));
            if (ui.button("loan.item." + it.id, label, {bw, bh}, it.available > 0, colour::button, ui.fonts.title))
                f.emit(borrow::Pick{static_cast<int>(i)});
        }
        return;
    }
    const CatalogueItem& it = b.items[static_cast<size_t>(b.selected)];
    if (b.step == BorrowState::Step::Confirm) {
        ui.text(c.cat.format(c.st.lang, "loan.confirm.title", {{"item", it.name.in(c.st.lang)}}), ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
        ui.text(deposit_text(c, it.deposit_cents), ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text(c.cat.format(c.st.lang, "loan.due", {{"date", local_date(loan_due(c.st.wall_now, it.loan_days), "%m-%d")}}),
                ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
        draw_message(c, c.content_w());
        ImGui::SetCursorScreenPos({c.content_max.x - ui.m.px(480), c.content_max.y - ui.m.px(120)});
        if (ui.button("loan.confirm", c.tr("loan.confirm"), {ui.m.px(480), ui.m.px(120)}, true, colour::ok))
            f.emit(borrow::Confirm{});
        return;
    }
    ui.text(c.cat.format(c.st.lang, "loan.done", {{"item", it.name.in(c.st.lang)}}), ui.fonts.title, colour::ok);
    if (b.loan) {
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
        ui.text(b.loan->id, ui.fonts.title, colour::primary);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text(c.cat.format(c.st.lang, "loan.due", {{"date", local_date(b.loan->due_at, "%m-%d")}}), ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(8)});
        ui.text_wrapped(c.tr("loan.collect"), c.content_w(), ui.fonts.body, colour::muted);
    }
    ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.m.px(120)});
    if (ui.button("loan.done", c.tr("verify.done"), {ui.m.px(420), ui.m.px(120)}, true, colour::primary))
        c.emit(shell::Done{});
}

void ReturnsFeature::draw(ScreenCtx& c) {
    ReturnsFeature& f = *this;
    Ui& ui = c.ui;
    auto& r = f.s;
    ImGui::SetCursorScreenPos(c.content_min);
    if (r.step == ReturnsState::Step::List) {
        ui.text(c.cat.format(c.st.lang, "returns.title", {{"count", std::to_string(r.out.size())}}), ui.fonts.title);
        ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
        float top = ImGui::GetCursorScreenPos().y;
        ui.begin_drag_scroll("returns.list", {c.content_w(), c.content_max.y - top - ui.pager_h() - ui.m.px(12)}, c.st.session.list_scroll);
        for (size_t i = 0; i < r.out.size(); ++i) {
            bool late = loan_overdue(r.out[i], c.st.wall_now);
            if (ui.button("returns.loan." + std::to_string(i), r.labels[i], {c.content_w() - ui.m.flat(24), ui.m.px(100)},
                          true, late ? colour::selected : colour::button))
                f.emit(returns::Open{static_cast<int>(i)});
            ImGui::Dummy({0, ui.m.px(8)});
        }
        if (r.out.empty()) ui.text(c.tr("returns.none"), ui.fonts.body, colour::muted);
        auto extent = ui.end_drag_scroll(c.st.session.list_scroll);
        ImGui::SetCursorScreenPos({c.content_min.x, c.content_max.y - ui.pager_h()});
        ui.scroll_pager("returns.list.pages", c.st.session.list_scroll, extent, c.content_w());
        return;
    }
    ui.text(r.labels[static_cast<size_t>(r.selected)], ui.fonts.title);
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(16)});
    if (r.step == ReturnsState::Step::Done) {
        ui.text(c.tr("returns.done"), ui.fonts.title, colour::ok);
        return;
    }
    ui.text(c.tr("returns.condition"), ui.fonts.body, colour::muted);
    std::vector<std::string> conditions;
    for (auto& id : loan_conditions()) conditions.push_back(c.tr("loan.condition." + id));
    int tapped = chip_row(c, "returns.condition.", conditions, r.condition, c.content_w());
    if (tapped >= 0) f.emit(returns::PickCondition{tapped});
    ImGui::SetCursorScreenPos({c.content_min.x, ImGui::GetCursorScreenPos().y + ui.m.px(12)});
    draw_message(c, c.content_w());
    ImGui::SetCursorScreenPos({c.content_max.x - ui.m.px(480), c.content_max.y - ui.m.px(120)});
    if (ui.button("returns.confirm", c.tr("returns.confirm"), {ui.m.px(480), ui.m.px(120)}, r.condition >= 0, colour::ok))
        f.emit(returns::Confirm{});
}

}  // namespace kiosk::ui
