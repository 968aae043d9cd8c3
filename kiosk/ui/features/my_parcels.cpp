#include "kiosk/ui/features/my_parcels.hpp"

#include "kiosk/store/store.hpp"

namespace kiosk::ui {

void MyParcelsFeature::open(FeatureCtx& x, Screen screen) {
    auto& ses = x.ses();
    if (!ses.household || !x.store) return;
    s = MyParcelsState{};
    s.parcels = x.store->parcels().household_parcels(ses.household->unit_id);
    for (auto& p : s.parcels) s.proxies.push_back(x.store->parcels().active_proxy_code(p.id, x.st.wall_now));
    x.shell.go(screen);
}

bool MyParcelsFeature::back(FeatureCtx& x) {
    if (s.selected < 0) return false;
    open(x, Screen::MyParcels);
    return true;
}

void MyParcelsFeature::on(FeatureCtx& x, const my_parcels::Open& in) {
    if (in.index < 0 || in.index >= static_cast<int>(s.parcels.size())) return;
    s.selected = in.index;
    s.issued.reset();
    x.quiet();
}

void MyParcelsFeature::on(FeatureCtx& x, const my_parcels::Extend&) {
    auto& ses = x.ses();
    if (!ses.household || !x.store || !selected_ok()) return;
    auto r = x.store->parcels().extend_parcel_hold(s.parcels[static_cast<size_t>(s.selected)].id, ses.household->unit_id,
                                         x.st.site.facts.parcel_limits, x.st.wall_now);
    if (!r) return x.say(r.error().key);
    s.parcels[static_cast<size_t>(s.selected)] = r.value();
    x.say_ok("myparcels.extended");
    x.saved();
}

void MyParcelsFeature::on(FeatureCtx& x, const my_parcels::Proxy&) {
    auto& ses = x.ses();
    if (!ses.household || !x.store || !selected_ok()) return;
    auto r = x.store->parcels().issue_proxy_code(s.parcels[static_cast<size_t>(s.selected)].id, ses.household->unit_id, x.st.wall_now);
    if (!r) return x.say(r.error().key);
    s.issued = r.value();
    s.proxies[static_cast<size_t>(s.selected)] = r.value();
    x.quiet();
    x.saved();
}

}  // namespace kiosk::ui
