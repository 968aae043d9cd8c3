#include "kiosk/ui/features/fees.hpp"

#include <algorithm>

#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"
#include "kiosk/ui/slips.hpp"

namespace kiosk::ui {

void FeesFeature::open(FeatureCtx& x, Screen screen) {
    auto& ses = x.ses();
    if (!ses.household || !x.store) return;
    s = FeesView{};
    s.statement = fee_statement_now(x, ses.household->unit_id);
    if (auto url = payment_url(x.st.site.facts, x.store->site_id(), ses.household->unit_id, s.statement.total_owed_cents))
        if (auto qr = make_qr(*url)) {
            s.pay_qr = std::move(qr.value());
            s.pay_url = *url;
        }
    x.shell.go(screen);
}

void FeesFeature::shown(FeatureCtx&) {
    s.amounts_shown = false;
    s.page = 0;
}

std::vector<FeePage> fee_pages(const FeeStatement& st, int per_page) {
    return fee_pages(st, std::vector<float>(st.months.size(), 1.0f), static_cast<float>(std::max(1, per_page)));
}

std::vector<FeePage> fee_pages(const FeeStatement& st, const std::vector<float>& row_h, float box_h) {
    std::vector<FeePage> pages;
    float used = 0;
    for (size_t i = 0; i < st.months.size(); ++i) {
        float h = i < row_h.size() ? row_h[i] : box_h;
        bool new_year = i == 0 || st.months[i].month.compare(0, 4, st.months[i - 1].month, 0, 4) != 0;
        if (new_year || (used > 0 && used + h > box_h + 0.01f)) {
            pages.push_back({i, 0});
            used = 0;
        }
        ++pages.back().count;
        used += h;
    }
    return pages;
}

// The months per page change with the amounts shown: the statement starts again at its newest page.
void FeesFeature::on(FeatureCtx& x, const fees::ShowAmounts& in) {
    s.amounts_shown = in.show;
    s.page = 0;
    x.ses().list_scroll = 0;
}

void FeesFeature::on(FeatureCtx& x, const fees::Page& in) {
    s.page = std::max(0, in.page);
    x.ses().list_scroll = 0;
}

void FeesFeature::on(FeatureCtx& x, const fees::Print&) {
    if (x.printer && x.ses().household && s.slip_job == 0) s.slip_job = x.printer->submit(fee_statement_slip(x.cat, x.st, s));
}

}  // namespace kiosk::ui
