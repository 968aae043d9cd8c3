#include "kiosk/ui/features/complaint.hpp"

#include <algorithm>
#include <span>

#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"
#include "kiosk/ui/slips.hpp"

namespace kiosk::ui {

using Step = ComplaintState::Step;

void ComplaintFeature::open(FeatureCtx& x, Screen screen) {
    s = ComplaintState{};
    s.text.max_chars = kComplaintTextMax;
    s.text.chinese = x.chinese();
    s.areas = x.st.site.facts.public_areas;
    x.shell.go(screen);
}

bool ComplaintFeature::back(FeatureCtx& x) { return step_back(x, s.step, Step::Kind, Step::Done); }

void ComplaintFeature::on(FeatureCtx&, const complaint::PickKind& in) {
    s.kind = std::clamp(in.index, 0, kComplaintKindCount - 1);
    s.phrases.clear();
    s.step = Step::Details;
}

void ComplaintFeature::on(FeatureCtx&, const complaint::TogglePhrase& in) { toggle(s.phrases, in.key); }

void ComplaintFeature::on(FeatureCtx&, const complaint::Answer& in) {
    using Q = complaint::Question;
    int& field = in.question == Q::Where ? s.where : in.question == Q::When ? s.when : in.question == Q::About ? s.about : s.wants;
    field = field == in.index && in.question == Q::About ? -1 : in.index;  // "about" is optional: a second tap clears it
}

void ComplaintFeature::on(FeatureCtx&, const complaint::PickContact& in) { s.contact = in.index; }

ComplaintRequest ComplaintFeature::request(const FeatureCtx& x) const {
    const auto& ses = x.st.session;
    ComplaintRequest req;
    req.kind = static_cast<ComplaintKind>(std::max(0, s.kind));
    // The case is written in the office's language, whatever the resident reads.
    const Lang office = Lang::ZhCN;
    for (auto& key : s.phrases) req.phrases.push_back(x.cat.tr(office, key));
    req.free_text = s.text.text;
    if (ses.household) {
        req.unit_id = ses.household->unit_id;
        if (s.where == 0) req.where = ses.household->building_name.in(office) + " " + ses.household->unit_label;
    }
    if (s.where >= 1 && s.where <= static_cast<int>(s.areas.size())) req.where = s.areas[s.where - 1].name.in(office);
    if (s.where == static_cast<int>(s.areas.size()) + 1) req.where = x.cat.tr(office, "complaint.where.elsewhere");
    auto pick = [&](std::span<const std::string_view> ids, int i, const char* prefix) {
        return i >= 0 && i < static_cast<int>(ids.size()) ? x.cat.tr(office, std::string(prefix) + std::string(ids[i]))
                                                           : std::string();
    };
    req.when = pick(complaint_when_ids(), s.when, "complaint.when.");
    req.about = pick(complaint_about_ids(), s.about, "complaint.about.");
    req.wants = pick(complaint_wants_ids(), s.wants, "complaint.wants.");
    if (ses.household && s.contact >= 0 && s.contact < static_cast<int>(ses.household->members.size())) {
        req.contact_resident_id = ses.household->members[s.contact].resident_id;
        req.contact_phone_masked = ses.household->members[s.contact].phone_masked;
    }
    return req;
}

void ComplaintFeature::on(FeatureCtx& x, const complaint::Next&) {
    x.quiet();
    switch (s.step) {
        case Step::Kind: return;
        case Step::Details:
            if (!s.text.pinyin.empty()) text_entry_key(s.text, "space", {x.typing.pinyin, nullptr});
            if (complaint_what(request(x)).empty()) return x.say("complaint.error.what");
            s.step = Step::Where;
            return;
        case Step::Where:
            if (s.where < 0) return x.say("complaint.error.where");
            s.step = Step::When;
            return;
        case Step::When:
            if (s.when < 0) return x.say("complaint.error.when");
            s.step = Step::About;
            return;
        case Step::About: s.step = Step::Wants; return;  // may be left unanswered
        case Step::Wants:
            if (s.wants < 0) return x.say("complaint.error.wants");
            s.step = Step::Contact;
            return;
        case Step::Contact: s.step = Step::ReadBack; return;
        case Step::ReadBack:
        case Step::Done: return;
    }
}

void ComplaintFeature::on(FeatureCtx& x, const complaint::Submit&) {
    auto& ses = x.ses();
    if (!x.store || !ses.household || s.step != Step::ReadBack) return;
    auto saved = x.store->cases().save_complaint(request(x), x.st.wall_now);
    if (!saved) return x.say(saved.error().key);
    s.ticket = saved.value();
    s.reply_by = complaint_reply_by(x.st.wall_now);
    if (auto qr = make_qr(s.ticket)) s.ticket_qr = std::move(qr.value());
    if (x.printer) s.receipt_job = x.printer->submit(complaint_receipt(x.cat, x.st, s));
    s.text = TextEntry{};
    s.step = Step::Done;
    x.quiet();
    ses.back_stack.clear();
    x.saved();
}

}  // namespace kiosk::ui
