#pragma once
// Borrowing (借用): a household borrows an item from the site's catalogue; the desk takes items
// back (overdue first) and notes their condition.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/loans.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct BorrowState {
    enum class Step { List, Confirm, Done } step = Step::List;
    std::vector<CatalogueItem> items;
    std::vector<Loan> out;              // what the household has out now
    int selected = -1;
    std::optional<Loan> loan;
};

namespace borrow {
struct Pick { int index; };
struct Confirm {};
}  // namespace borrow

class BorrowFeature : public Module<BorrowFeature, BorrowState, borrow::Pick, borrow::Confirm> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    bool finished() const override { return s.step == BorrowState::Step::Done; }
    void on(FeatureCtx& x, const borrow::Pick& in);
    void on(FeatureCtx& x, const borrow::Confirm& in);
};

struct ReturnsState {
    enum class Step { List, Detail, Done } step = Step::List;
    std::vector<Loan> out;
    std::vector<std::string> labels;    // item, flat, due
    int selected = -1;
    int condition = -1;
};

namespace returns {
struct Open { int index; };
struct PickCondition { int index; };
struct Confirm {};
}  // namespace returns

class ReturnsFeature : public Module<ReturnsFeature, ReturnsState, returns::Open, returns::PickCondition, returns::Confirm> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    void on(FeatureCtx& x, const returns::Open& in);
    void on(FeatureCtx&, const returns::PickCondition& in) { s.condition = in.index; }
    void on(FeatureCtx& x, const returns::Confirm& in);
};

}  // namespace kiosk::ui
