#pragma once
// Exit passes (物品放行): a household asks (what goes out, when, who asks and who carries, the
// plate); the desk reviews it against the trade's rules (a tenant asking, arrears); the gate
// scans it, valid once on its day.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/exit_pass.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct ExitPassState {
    enum class Step { Items, When, Who, Plate, ReadBack, Done } step = Step::Items;
    std::vector<int> quantities;        // per exit_pass_items()
    int day = -1;                       // 0 today, 1 tomorrow, 2 the day after
    int window = -1;
    int requester = -1;                 // index into the household's members
    int carrier = -1;
    TextEntry plate;
    std::string pass_id;
};

namespace exit_pass {
struct AddItem { int index; };
struct ClearItems {};
struct PickDay { int day; };
struct PickWindow { int index; };
struct PickRequester { int index; };
struct PickCarrier { int index; };
struct Next {};
struct Submit {};
}  // namespace exit_pass

class ExitPassFeature : public Module<ExitPassFeature, ExitPassState, exit_pass::AddItem, exit_pass::ClearItems,
                                      exit_pass::PickDay, exit_pass::PickWindow, exit_pass::PickRequester,
                                      exit_pass::PickCarrier, exit_pass::Next, exit_pass::Submit> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    bool finished() const override { return s.step == ExitPassState::Step::Done; }
    TextEntry* active_text() override { return s.step == ExitPassState::Step::Plate ? &s.plate : nullptr; }

    void on(FeatureCtx& x, const exit_pass::AddItem& in);
    void on(FeatureCtx& x, const exit_pass::ClearItems& in);
    void on(FeatureCtx& x, const exit_pass::PickDay& in);
    void on(FeatureCtx& x, const exit_pass::PickWindow& in);
    void on(FeatureCtx& x, const exit_pass::PickRequester& in);
    void on(FeatureCtx& x, const exit_pass::PickCarrier& in);
    void on(FeatureCtx& x, const exit_pass::Next& in);
    void on(FeatureCtx& x, const exit_pass::Submit& in);

private:
    ExitPassRequest request(const FeatureCtx& x) const;
};

// The desk reviewing exit passes: the pending ones, then one with what stands in its way.
struct ExitReviewState {
    enum class Step { List, Detail, Done } step = Step::List;
    std::vector<ExitPass> pending;
    std::vector<std::string> unit_texts;
    int selected = -1;
    ExitPassReview review;
    std::string requester_name;
    int reason = -1;                    // index into exit_review_reasons()
    bool approved = false;
    int64_t slip_job = 0;
};
// Why a pass is approved over a rule (the first three) or rejected (the rest).
const std::vector<std::string>& exit_review_reasons();
inline constexpr int kExitOverrideReasons = 3;

namespace exit_review {
struct Open { int index; };
struct PickReason { int index; };
struct Approve {};
struct Reject {};
}  // namespace exit_review

class ExitReviewFeature : public Module<ExitReviewFeature, ExitReviewState, exit_review::Open, exit_review::PickReason,
                                        exit_review::Approve, exit_review::Reject> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;

    void on(FeatureCtx& x, const exit_review::Open& in);
    void on(FeatureCtx&, const exit_review::PickReason& in) { s.reason = in.index; }
    void on(FeatureCtx& x, const exit_review::Approve&) { decide(x, true); }
    void on(FeatureCtx& x, const exit_review::Reject&) { decide(x, false); }

private:
    void decide(FeatureCtx& x, bool approve);
};

// The gate: scanner only; the last pass scanned and the verdict.
struct GateState {
    bool scanned = false;
    GateVerdict verdict = GateVerdict::Unknown;
    std::optional<ExitPass> pass;
    std::string unit_text;
};

class GateFeature : public Feature {
public:
    GateState s;
    void apply_queued(FeatureCtx&) override {}  // nothing to tap: the scanner does it all
    void reset() override { s = GateState{}; }
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool scan(FeatureCtx& x, const std::string& code) override;
};

}  // namespace kiosk::ui
