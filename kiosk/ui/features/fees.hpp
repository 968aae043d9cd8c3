#pragma once
// Fees (物业费): the household's months, paid and owed, the arrears stage, a payment QR code when
// something is owed, and the statement printed on request.
#include <optional>
#include <string>

#include "kiosk/core/fees.hpp"
#include "kiosk/core/qr.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct FeesView {
    FeeStatement statement;
    std::optional<QrMatrix> pay_qr;        // from the site's payment URL template, when something is owed
    std::string pay_url;
    int64_t slip_job = 0;                  // the statement slip asked for, if any
};

namespace fees {
struct Print {};
}  // namespace fees

class FeesFeature : public Module<FeesFeature, FeesView, fees::Print> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    void on(FeatureCtx& x, const fees::Print& in);
};

}  // namespace kiosk::ui
