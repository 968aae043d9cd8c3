#pragma once
// A complaint or suggestion (投诉建议): the kind, what happened (phrases and the resident's words),
// where, when, about whom and what they want, who to call back; read back; the ticket and the
// promised reply time.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/complaint.hpp"
#include "kiosk/core/qr.hpp"
#include "kiosk/ui/feature.hpp"
#include "kiosk/ui/features/repair.hpp"

namespace kiosk::ui {

struct ComplaintState {
    // One question a screen: where, when, about whom (may be skipped), what they want.
    enum class Step { Kind, Details, Where, When, About, Wants, Contact, ReadBack, Done } step = Step::Kind;
    int kind = -1;
    std::vector<std::string> phrases;   // catalogue keys chosen
    TextEntry text;
    std::vector<PublicArea> areas;      // where: the flat, these, or elsewhere
    int where = -1, when = -1, about = -1, wants = -1;
    int contact = 0;
    std::string ticket;
    std::time_t reply_by = 0;
    std::optional<QrMatrix> ticket_qr;
    int64_t receipt_job = 0;
};

namespace complaint {
struct PickKind { int index; };
struct TogglePhrase { std::string key; };
enum class Question { Where, When, About, Wants };
struct Answer { Question question; int index; };
struct PickContact { int index; };
struct Next {};
struct Submit {};
}  // namespace complaint

class ComplaintFeature : public Module<ComplaintFeature, ComplaintState, complaint::PickKind, complaint::TogglePhrase,
                                       complaint::Answer, complaint::PickContact, complaint::Next, complaint::Submit> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    TextEntry* active_text() override { return s.step == ComplaintState::Step::Details ? &s.text : nullptr; }
    bool finished() const override { return s.step == ComplaintState::Step::Done; }

    void on(FeatureCtx& x, const complaint::PickKind& in);
    void on(FeatureCtx& x, const complaint::TogglePhrase& in);
    void on(FeatureCtx& x, const complaint::Answer& in);
    void on(FeatureCtx& x, const complaint::PickContact& in);
    void on(FeatureCtx& x, const complaint::Next& in);
    void on(FeatureCtx& x, const complaint::Submit& in);

private:
    ComplaintRequest request(const FeatureCtx& x) const;
};

}  // namespace kiosk::ui
