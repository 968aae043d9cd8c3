#pragma once
// Fees (物业费): the household's months, paid and owed, the arrears stage, a payment QR code when
// something is owed, and the statement printed on request. In a lobby a neighbour may be looking:
// the screen opens with the months only, and the amounts, the arrears and the payment code show
// after the resident taps the button that says so; they hide again on a second tap, and whenever
// the screen is opened afresh or comes back to show.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/fees.hpp"
#include "kiosk/core/qr.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct FeesView {
    FeeStatement statement;
    std::optional<QrMatrix> pay_qr;        // from the site's payment URL template, when something is owed
    std::string pay_url;
    int64_t slip_job = 0;                  // the statement slip asked for, if any
    bool amounts_shown = false;            // the resident tapped "show amounts owed"
    int page = 0;                          // the page of months showing (fee_pages)
    // The screen's layout of this statement's months (screens/fees.cpp), kept from frame to frame
    // and gone with the statement.
    std::shared_ptr<struct FeesMonthLayout> layout;
};

// The statement's months in pages of at most `per_page`, newest first, a page never holding two
// years (24 months of bills were ~3,000 px of dragging; now they are read a year at a time).
struct FeePage {
    size_t first = 0, count = 0;           // into FeeStatement::months
};
std::vector<FeePage> fee_pages(const FeeStatement& st, int per_page);
// The same in pages as tall as `box_h`: month i takes `row_h[i]`, a page as many as fit (a month
// taller than the box alone), so a page's months never run past the box they are drawn in.
std::vector<FeePage> fee_pages(const FeeStatement& st, const std::vector<float>& row_h, float box_h);

namespace fees {
struct Print {};
struct ShowAmounts { bool show; };
struct Page { int page; };
}  // namespace fees

class FeesFeature : public Module<FeesFeature, FeesView, fees::Print, fees::ShowAmounts, fees::Page> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    void shown(FeatureCtx& x) override;
    void on(FeatureCtx& x, const fees::Print& in);
    void on(FeatureCtx& x, const fees::ShowAmounts& in);
    void on(FeatureCtx& x, const fees::Page& in);
};

}  // namespace kiosk::ui
