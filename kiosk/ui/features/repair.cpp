#include "kiosk/ui/features/repair.hpp"

#include <algorithm>

#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"
#include "kiosk/ui/slips.hpp"

namespace kiosk::ui {

using Step = RepairState::Step;

void RepairFeature::open(FeatureCtx& x, Screen screen) {
    s = RepairState{};
    s.text.max_chars = kRepairTextMax;
    s.text.chinese = x.chinese();
    s.windows = repair_slots_offered(x.st.site.facts, x.st.wall_now);
    s.areas = x.st.site.facts.public_areas;
    x.shell.go(screen);
}

bool RepairFeature::back(FeatureCtx& x) { return step_back(x, s.step, Step::Category, Step::Done); }

void RepairFeature::on(FeatureCtx&, const repair::PickCategory& in) {
    s.category = std::clamp(in.index, 0, kRepairCategoryCount - 1);
    s.phrases.clear();
    s.step = Step::Urgency;
}

void RepairFeature::on(FeatureCtx&, const repair::PickUrgency& in) {
    s.urgency = in.level == 0 ? 0 : 1;
    if (s.urgency == 0) s.window = -1;
}

void RepairFeature::on(FeatureCtx&, const repair::PickWindow& in) {
    if (in.index >= 0 && in.index < static_cast<int>(s.windows.size())) s.window = in.index;
}

void RepairFeature::on(FeatureCtx&, const repair::PickOwnUnit&) {
    s.own_unit = true;
    s.area = -1;
}

void RepairFeature::on(FeatureCtx&, const repair::PickArea& in) {
    if (in.index < 0 || in.index >= static_cast<int>(s.areas.size())) return;
    s.area = in.index;
    s.own_unit = false;
}

void RepairFeature::on(FeatureCtx&, const repair::TogglePhrase& in) { toggle(s.phrases, in.key); }
void RepairFeature::on(FeatureCtx&, const repair::PickContact& in) { s.contact = in.index; }

RepairRequest RepairFeature::request(const FeatureCtx& x) const {
    const auto& ses = x.st.session;
    RepairRequest req;
    req.category = static_cast<RepairCategory>(std::max(0, s.category));
    req.urgency = s.urgency == 1 ? RepairUrgency::Appointment : RepairUrgency::Emergency;
    if (s.urgency == 1 && s.window >= 0 && s.window < static_cast<int>(s.windows.size())) req.window = s.windows[s.window];
    if (ses.household && s.own_unit) req.unit_id = ses.household->unit_id;
    if (!s.own_unit && s.area >= 0 && s.area < static_cast<int>(s.areas.size())) req.public_area = s.areas[s.area].id;
    for (auto& key : s.phrases) {
        req.phrases.push_back(x.cat.tr(Lang::ZhCN, key));  // the office reads Chinese
        for (auto& ph : repair_phrases(req.category))
            if (key == "repair.phrase." + std::string(ph.id)) req.leak = req.leak || ph.leak;
    }
    req.free_text = s.text.text;
    if (ses.household && s.contact >= 0 && s.contact < static_cast<int>(ses.household->members.size())) {
        req.contact_resident_id = ses.household->members[s.contact].resident_id;
        req.contact_phone_masked = ses.household->members[s.contact].phone_masked;
    }
    return req;
}

void RepairFeature::on(FeatureCtx& x, const repair::Next&) {
    x.quiet();
    switch (s.step) {
        case Step::Category: return;  // a category tap moves on
        case Step::Urgency:
            if (s.urgency == 0 || (s.urgency == 1 && s.window >= 0)) s.step = Step::Location;
            return;
        case Step::Location:
            if (s.own_unit || s.area >= 0) s.step = Step::Describe;
            return;
        case Step::Describe:
            // Letters still being composed: take the first candidate.
            if (!s.text.pinyin.empty()) text_entry_key(s.text, "space", {x.typing.pinyin, nullptr});
            if (repair_description(request(x)).empty()) return x.say("repair.error.description");
            s.step = Step::Contact;
            return;
        case Step::Contact: s.step = Step::ReadBack; return;
        case Step::ReadBack:
        case Step::Done: return;
    }
}

void RepairFeature::on(FeatureCtx& x, const repair::Submit&) {
    auto& ses = x.ses();
    if (!x.store || !ses.household || s.step != Step::ReadBack) return;
    RepairRequest req = request(x);
    std::time_t at = x.st.wall_now;
    RepairPromise promise = repair_promise(req.urgency, at, req.window, req.leak);
    auto saved = x.store->cases().save_repair(req, at, promise);
    // Nothing was saved; what was entered stays, so the resident can fix it or ask the desk.
    if (!saved) return x.say(saved.error().key);
    s.ticket = saved.value();
    s.promise = promise;
    if (auto qr = make_qr(s.ticket)) s.ticket_qr = std::move(qr.value());
    if (x.printer) s.receipt_job = x.printer->submit(repair_receipt(x.cat, x.st, s));
    s.text = TextEntry{};  // what was typed is saved; it need not stay in memory
    s.step = Step::Done;
    x.quiet();
    ses.back_stack.clear();
    x.saved();
}

}  // namespace kiosk::ui
