#pragma once
// Repair request (报修): what is broken, how urgent, where, in the resident's words, who to call
// back; read back before saving; then the ticket, the promise in words and the ticket's QR code.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/qr.hpp"
#include "kiosk/core/repair.hpp"
#include "kiosk/core/site_facts.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

using PublicArea = PublicAreaFact;

struct RepairState {
    enum class Step { Category, Urgency, Location, Describe, Contact, ReadBack, Done } step = Step::Category;
    int category = -1;
    int urgency = -1;                   // 0 emergency, 1 appointment
    int window = -1;
    std::vector<TimeWindow> windows;    // offered: the site's time slots, today and the next two days
    bool own_unit = false;
    int area = -1;
    std::vector<PublicArea> areas;
    std::vector<std::string> phrases;   // catalogue keys of the chips chosen
    TextEntry text;
    int contact = 0;                    // index into the household's members
    std::string ticket;
    RepairPromise promise;
    std::optional<QrMatrix> ticket_qr;
    int64_t receipt_job = 0;            // the printed receipt, when a printer is configured
};

namespace repair {
struct PickCategory { int index; };
struct PickUrgency { int level; };      // 0 emergency, 1 appointment
struct PickWindow { int index; };
struct PickOwnUnit {};
struct PickArea { int index; };
struct TogglePhrase { std::string key; };
struct PickContact { int index; };
struct Next {};
struct Submit {};
}  // namespace repair

class RepairFeature : public Module<RepairFeature, RepairState, repair::PickCategory, repair::PickUrgency,
                                    repair::PickWindow, repair::PickOwnUnit, repair::PickArea, repair::TogglePhrase,
                                    repair::PickContact, repair::Next, repair::Submit> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    TextEntry* active_text() override { return s.step == RepairState::Step::Describe ? &s.text : nullptr; }
    bool finished() const override { return s.step == RepairState::Step::Done; }
    std::string spoken(const AppState& st, const Catalog& cat) const override;

    void on(FeatureCtx& x, const repair::PickCategory& in);
    void on(FeatureCtx& x, const repair::PickUrgency& in);
    void on(FeatureCtx& x, const repair::PickWindow& in);
    void on(FeatureCtx& x, const repair::PickOwnUnit& in);
    void on(FeatureCtx& x, const repair::PickArea& in);
    void on(FeatureCtx& x, const repair::TogglePhrase& in);
    void on(FeatureCtx& x, const repair::PickContact& in);
    void on(FeatureCtx& x, const repair::Next& in);
    void on(FeatureCtx& x, const repair::Submit& in);

private:
    RepairRequest request(const FeatureCtx& x) const;
};

}  // namespace kiosk::ui
