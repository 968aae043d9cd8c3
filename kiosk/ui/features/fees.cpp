#include "kiosk/ui/features/fees.hpp"

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

void FeesFeature::shown(FeatureCtx&) { s.amounts_shown = false; }

void FeesFeature::on(FeatureCtx&, const fees::ShowAmounts& in) { s.amounts_shown = in.show; }

void FeesFeature::on(FeatureCtx& x, const fees::Print&) {
    if (x.printer && x.ses().household && s.slip_job == 0) s.slip_job = x.printer->submit(fee_statement_slip(x.cat, x.st, s));
}

}  // namespace kiosk::ui
