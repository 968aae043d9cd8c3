#include "kiosk/ui/features/exit_pass.hpp"

#include <algorithm>

#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"
#include "kiosk/ui/slips.hpp"
#include "kiosk/ui/wording.hpp"

namespace kiosk::ui {

// ---- A household asking --------------------------------------------------------------------
using Step = ExitPassState::Step;

void ExitPassFeature::open(FeatureCtx& x, Screen screen) {
    if (!x.ses().household) return;
    s = ExitPassState{};
    s.quantities.assign(exit_pass_items().size(), 0);
    s.plate.chinese = x.chinese();
    x.shell.go(screen);
}

bool ExitPassFeature::back(FeatureCtx& x) { return step_back(x, s.step, Step::Items, Step::Done); }

void ExitPassFeature::on(FeatureCtx& x, const exit_pass::AddItem& in) {
    if (in.index >= 0 && in.index < static_cast<int>(s.quantities.size()) && s.quantities[static_cast<size_t>(in.index)] < 99)
        ++s.quantities[static_cast<size_t>(in.index)];
    x.quiet();
}

void ExitPassFeature::on(FeatureCtx&, const exit_pass::ClearItems&) { std::fill(s.quantities.begin(), s.quantities.end(), 0); }
void ExitPassFeature::on(FeatureCtx&, const exit_pass::PickDay& in) { s.day = std::clamp(in.day, 0, 2); }
void ExitPassFeature::on(FeatureCtx&, const exit_pass::PickWindow& in) { s.window = in.index; }
void ExitPassFeature::on(FeatureCtx&, const exit_pass::PickRequester& in) { s.requester = in.index; }
void ExitPassFeature::on(FeatureCtx&, const exit_pass::PickCarrier& in) { s.carrier = in.index; }

ExitPassRequest ExitPassFeature::request(const FeatureCtx& x) const {
    const auto& h = x.st.session.household;
    ExitPassRequest r;
    if (!h) return r;
    r.unit_id = h->unit_id;
    if (s.requester >= 0 && s.requester < static_cast<int>(h->members.size())) {
        r.requester_id = h->members[static_cast<size_t>(s.requester)].resident_id;
        r.requester_role = h->members[static_cast<size_t>(s.requester)].role;
    }
    for (size_t i = 0; i < s.quantities.size(); ++i)
        if (s.quantities[i] > 0) r.items.emplace_back(exit_pass_items()[i], s.quantities[i]);
    if (s.day >= 0) r.date = local_date(x.st.wall_now + static_cast<std::time_t>(s.day) * 86400, "%Y-%m-%d");
    if (s.window >= 0) r.window = exit_pass_windows()[static_cast<size_t>(s.window)];
    if (s.carrier >= 0) r.carrier = exit_pass_carriers()[static_cast<size_t>(s.carrier)];
    r.plate = s.plate.text;
    return r;
}

void ExitPassFeature::on(FeatureCtx& x, const exit_pass::Next&) {
    // What each step needs before the next: the message when it is missing.
    const char* missing = nullptr;
    switch (s.step) {
        case Step::Items:
            if (std::all_of(s.quantities.begin(), s.quantities.end(), [](int q) { return q == 0; }))
                missing = "exit.error.no_items";
            break;
        case Step::When: if (s.day < 0 || s.window < 0) missing = "exit.error.when"; break;
        case Step::Who: if (s.requester < 0 || s.carrier < 0) missing = "exit.error.carrier"; break;
        case Step::Plate: if (s.plate.text.size() > 24) missing = "exit.error.plate"; break;
        default: return;
    }
    if (missing) return x.say(missing);
    s.step = static_cast<Step>(static_cast<int>(s.step) + 1);
    x.quiet();
}

void ExitPassFeature::on(FeatureCtx& x, const exit_pass::Submit&) {
    if (!x.store || !x.ses().household || s.step != Step::ReadBack) return;
    auto saved = x.store->exit_passes().save_exit_pass_request(request(x), x.st.wall_now);
    if (!saved) return x.say(saved.error().key);
    s.pass_id = saved.value();
    s.plate = TextEntry{};
    s.step = Step::Done;
    x.quiet();
    x.ses().back_stack.clear();
    x.saved();
}

// ---- The desk reviewing --------------------------------------------------------------------
const std::vector<std::string>& exit_review_reasons() {
    static const std::vector<std::string> k{"owner_confirmed", "arrears_settled", "manager_approved",
                                            "owner_not_authorised", "arrears_unpaid", "details_unclear"};
    return k;
}

void ExitReviewFeature::open(FeatureCtx& x, Screen screen) {
    if (!x.ses().staff || !x.store) return;
    s = ExitReviewState{};
    s.pending = x.store->exit_passes().pending_exit_passes();
    UnitNames names(x);
    for (auto& p : s.pending) s.unit_texts.push_back(names(p.request.unit_id));
    x.shell.go(screen);
}

bool ExitReviewFeature::back(FeatureCtx& x) {
    if (s.step == ExitReviewState::Step::List) return false;
    open(x, Screen::ExitReview);
    return true;
}

void ExitReviewFeature::on(FeatureCtx& x, const exit_review::Open& in) {
    if (!x.store || in.index < 0 || in.index >= static_cast<int>(s.pending.size())) return;
    const ExitPass& p = s.pending[static_cast<size_t>(in.index)];
    s.selected = in.index;
    s.reason = -1;
    // What stands in the way: a tenant asking, and months in arrears from the fee data.
    FeeStatement fees = fee_statement_now(x, p.request.unit_id);
    s.review = review_exit_pass(p.request.requester_role, fees.months_in_arrears, x.st.site.facts.exit_pass_arrears_rule);
    s.requester_name.clear();
    for (auto& m : x.store->household().members(p.request.unit_id))
        if (m.resident_id == p.request.requester_id) s.requester_name = m.name_masked;
    s.step = ExitReviewState::Step::Detail;
    x.quiet();
}

void ExitReviewFeature::decide(FeatureCtx& x, bool approve) {
    auto& ses = x.ses();
    if (!x.store || !ses.staff || s.step != ExitReviewState::Step::Detail || s.selected < 0) return;
    bool override_reason = s.reason >= 0 && s.reason < kExitOverrideReasons;
    bool reject_reason = s.reason >= kExitOverrideReasons && s.reason < static_cast<int>(exit_review_reasons().size());
    bool overridden = approve && s.review.needs_override();
    if (overridden && ses.staff->role != StaffRole::Supervisor) return x.say("exit.error.supervisor");
    if ((overridden && !override_reason) || (!approve && !reject_reason)) return x.say("exit.error.reason");
    std::string reason = s.reason >= 0 && (overridden || !approve) ? exit_review_reasons()[static_cast<size_t>(s.reason)] : "";
    const ExitPass& p = s.pending[static_cast<size_t>(s.selected)];
    auto done = x.store->exit_passes().review_exit_pass(p.id, approve, reason, ses.staff->staff_no, overridden, x.st.wall_now);
    if (!done) return x.say(done.error().key, done.error().arg);
    s.approved = approve;
    if (approve && x.printer)
        if (auto fresh = x.store->exit_passes().exit_pass(p.id))
            s.slip_job = x.printer->submit(
                exit_pass_slip(x.cat, x.st, *fresh, s.unit_texts[static_cast<size_t>(s.selected)], s.requester_name));
    s.step = ExitReviewState::Step::Done;
    x.quiet();
    x.saved();
}

// ---- The gate ------------------------------------------------------------------------------
void GateFeature::open(FeatureCtx& x, Screen screen) {
    if (!x.ses().staff) return;
    s = GateState{};
    x.shell.go(screen);
}

bool GateFeature::scan(FeatureCtx& x, const std::string& code) {
    if (!x.ses().staff) return false;
    s = GateState{};
    s.scanned = true;
    if (!x.store) return true;
    s.verdict = x.store->exit_passes().use_exit_pass(code, local_date(x.st.wall_now, "%Y-%m-%d"), x.st.wall_now);
    s.pass = x.store->exit_passes().exit_pass(code);
    if (s.pass) s.unit_text = unit_text(x, s.pass->request.unit_id);
    x.quiet();
    x.saved();
    return true;
}

}  // namespace kiosk::ui
