#include "kiosk/ui/features/loans.hpp"

#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"
#include "kiosk/ui/wording.hpp"

namespace kiosk::ui {

void BorrowFeature::open(FeatureCtx& x, Screen screen) {
    if (!x.ses().household || !x.store) return;
    s = BorrowState{};
    s.items = x.store->datasets().catalogue();
    s.out = x.store->loans().household_loans(x.ses().household->unit_id);
    x.shell.go(screen);
}

bool BorrowFeature::back(FeatureCtx& x) {
    if (leave_when_done(x, s.step == BorrowState::Step::Done)) return true;
    if (s.step != BorrowState::Step::Confirm) return false;
    s.step = BorrowState::Step::List;
    x.quiet();
    return true;
}

void BorrowFeature::on(FeatureCtx& x, const borrow::Pick& in) {
    if (in.index < 0 || in.index >= static_cast<int>(s.items.size()) || s.items[static_cast<size_t>(in.index)].available <= 0)
        return;
    s.selected = in.index;
    s.step = BorrowState::Step::Confirm;
    x.quiet();
}

void BorrowFeature::on(FeatureCtx& x, const borrow::Confirm&) {
    auto& ses = x.ses();
    if (!x.store || !ses.household || s.step != BorrowState::Step::Confirm || s.selected < 0) return;
    std::string borrower = ses.household->members.empty() ? std::string() : ses.household->members.front().resident_id;
    auto lent = x.store->loans().lend_item(s.items[static_cast<size_t>(s.selected)].id, ses.household->unit_id, borrower, x.st.wall_now);
    if (!lent) {
        s.items = x.store->datasets().catalogue();  // another kiosk may have lent the last one
        return x.say(lent.error().key);
    }
    s.loan = lent.value();
    s.step = BorrowState::Step::Done;
    x.quiet();
    ses.back_stack.clear();
    x.saved();
}

void ReturnsFeature::open(FeatureCtx& x, Screen screen) {
    if (!x.ses().staff || !x.store) return;
    s = ReturnsState{};
    s.out = x.store->loans().loans_out();
    auto items = x.store->datasets().catalogue();
    UnitNames names(x);
    for (auto& l : s.out) {
        std::string name = l.item_id;
        for (auto& it : items)
            if (it.id == l.item_id) name = it.name.in(x.st.lang);
        s.labels.push_back(name + "  " + names(l.unit_id) + "  " +
                           x.cat.format(x.st.lang, loan_overdue(l, x.st.wall_now) ? "loan.overdue" : "loan.due",
                                        {{"date", local_date(l.due_at, "%m-%d")}}));
    }
    x.shell.go(screen);
}

bool ReturnsFeature::back(FeatureCtx& x) {
    if (s.step == ReturnsState::Step::List) return false;
    open(x, Screen::Returns);
    return true;
}

void ReturnsFeature::on(FeatureCtx& x, const returns::Open& in) {
    if (in.index < 0 || in.index >= static_cast<int>(s.out.size())) return;
    s.selected = in.index;
    s.condition = -1;
    s.step = ReturnsState::Step::Detail;
    x.quiet();
}

void ReturnsFeature::on(FeatureCtx& x, const returns::Confirm&) {
    if (!x.store || !x.ses().staff || s.step != ReturnsState::Step::Detail || s.selected < 0) return;
    if (s.condition < 0 || s.condition >= static_cast<int>(loan_conditions().size())) return x.say("loan.error.condition");
    auto done = x.store->loans().return_loan(s.out[static_cast<size_t>(s.selected)].id, loan_conditions()[static_cast<size_t>(s.condition)],
                                     x.ses().staff->staff_no, x.st.wall_now);
    if (!done) return x.say(done.error().key, done.error().arg);
    s.step = ReturnsState::Step::Done;
    x.quiet();
    x.saved();
}

}  // namespace kiosk::ui
