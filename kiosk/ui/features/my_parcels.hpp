#pragma once
// A verified household's own parcels (我的快递): days left, a hold extended once, a one-time proxy
// code for a neighbour.
#include <optional>
#include <vector>

#include "kiosk/core/parcels.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct MyParcelsState {
    std::vector<Parcel> parcels;                       // waiting, oldest first
    std::vector<std::optional<ProxyCode>> proxies;     // a live proxy code per parcel
    int selected = -1;
    std::optional<ProxyCode> issued;                   // shown once, right after it is issued
};

namespace my_parcels {
struct Open { int index; };
struct Extend {};
struct Proxy {};
}  // namespace my_parcels

class MyParcelsFeature : public Module<MyParcelsFeature, MyParcelsState, my_parcels::Open, my_parcels::Extend, my_parcels::Proxy> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;

    void on(FeatureCtx& x, const my_parcels::Open& in);
    void on(FeatureCtx& x, const my_parcels::Extend& in);
    void on(FeatureCtx& x, const my_parcels::Proxy& in);

private:
    bool selected_ok() const { return s.selected >= 0 && s.selected < static_cast<int>(s.parcels.size()); }
};

}  // namespace kiosk::ui
