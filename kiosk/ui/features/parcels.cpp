#include "kiosk/ui/features/parcels.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "kiosk/print/signature_image.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"
#include "kiosk/ui/features/verify.hpp"
#include "kiosk/ui/slips.hpp"

namespace kiosk::ui {

// ---- Registering a parcel ------------------------------------------------------------------
void ParcelIntakeFeature::open(FeatureCtx& x, Screen screen) {
    if (!x.ses().staff || !x.store) return;
    s = ParcelIntakeState{};
    s.buildings = x.store->household().buildings();
    s.shelves = x.st.site.facts.parcel_shelves;
    x.shell.go(screen);
}

void ParcelIntakeFeature::tracking_next(FeatureCtx& x, const std::string& tracking) {
    if (!valid_tracking_number(tracking)) return x.say("parcel.error.tracking");
    s.tracking = tracking;
    // A tracking number seen before is flagged here, before the clerk goes on.
    if (auto seen = x.store ? x.store->parcels().parcel_by_tracking(tracking) : std::nullopt)
        return x.say("parcel.error.duplicate", seen->id);
    x.quiet();
    s.step = ParcelIntakeState::Step::Carrier;
}

bool ParcelIntakeFeature::scan(FeatureCtx& x, const std::string& code) {
    if (!x.ses().staff || s.step != ParcelIntakeState::Step::Tracking) return false;
    tracking_next(x, code);  // the carrier's barcode on the parcel
    return true;
}

void ParcelIntakeFeature::on(FeatureCtx& x, const intake::TrackingNext&) { tracking_next(x, s.tracking); }

void ParcelIntakeFeature::on(FeatureCtx&, const intake::PickCarrier& in) {
    if (in.index < 0 || in.index >= static_cast<int>(parcel_carriers().size())) return;
    s.carrier = in.index;
    s.step = ParcelIntakeState::Step::Building;
}

void ParcelIntakeFeature::on(FeatureCtx& x, const intake::PickBuilding& in) {
    s.building_id = in.id;
    s.units = x.store ? x.store->household().units_of(in.id) : std::vector<Unit>{};
    s.unit_page = 0;
    s.step = ParcelIntakeState::Step::Unit;
}

void ParcelIntakeFeature::on(FeatureCtx&, const intake::UnitPage& in) { s.unit_page = std::max(0, in.page); }

void ParcelIntakeFeature::on(FeatureCtx& x, const intake::PickUnit& in) {
    s.unit_id = in.id;
    s.unit_text = unit_text(x, in.id);
    s.consent = x.store && x.store->parcels().household_consents_to_custody(in.id);
    s.step = ParcelIntakeState::Step::Shelf;
}

void ParcelIntakeFeature::on(FeatureCtx&, const intake::PickShelf& in) { s.shelf = in.index; }

void ParcelIntakeFeature::on(FeatureCtx& x, const intake::Register&) {
    if (!x.store || !x.ses().staff || s.step != ParcelIntakeState::Step::Shelf) return;
    if (s.shelf < 0 || s.shelf >= static_cast<int>(s.shelves.size()) || s.carrier < 0) return x.say("parcel.error.shelf");
    ParcelIntake in{s.tracking, parcel_carriers()[static_cast<size_t>(s.carrier)], s.unit_id,
                    s.shelves[static_cast<size_t>(s.shelf)]};
    auto saved = x.store->parcels().register_parcel(in, x.st.wall_now);
    if (!saved) return x.say(saved.error().key, saved.error().arg);
    s.saved = saved.value();
    if (x.printer) s.label_job = x.printer->submit(parcel_label(x.cat, x.st, *s.saved, UnitNames(x).masked(s.unit_id)));
    s.step = ParcelIntakeState::Step::Done;
    x.quiet();
    x.saved();
}

void ParcelIntakeFeature::on(FeatureCtx& x, const intake::Another&) { open(x, Screen::ParcelIntake); }

// ---- Handing parcels over ------------------------------------------------------------------
void ParcelPickupFeature::open(FeatureCtx& x, Screen screen) {
    if (!x.ses().staff || !x.store) return;
    s = ParcelPickupState{};
    x.shell.go(screen);
}

bool ParcelPickupFeature::back(FeatureCtx& x) {
    if (s.step != ParcelPickupState::Step::Found) return false;
    s = ParcelPickupState{};
    x.quiet();
    return true;
}

bool ParcelPickupFeature::scan(FeatureCtx& x, const std::string& code) {
    if (!x.ses().staff || s.step != ParcelPickupState::Step::Code) return false;
    // The resident's pickup code shown as a QR ("PICKUP:123456", or the bare digits).
    std::string c = code.rfind("PICKUP:", 0) == 0 ? code.substr(7) : code;
    s.code = c.size() <= 6 ? c : std::string();
    on(x, pickup::Submit{});
    return true;
}

void ParcelPickupFeature::hand_over_household(FeatureCtx& x, const std::string& unit_id) {
    s = ParcelPickupState{};
    s.parcels = x.store->parcels().household_parcels(unit_id);
    s.how = "household";
    s.unit_text = unit_text(x, unit_id);
    s.step = s.parcels.empty() ? ParcelPickupState::Step::Code : ParcelPickupState::Step::Found;
    if (s.parcels.empty()) x.say("pickup.household_none", s.unit_text);
}

void ParcelPickupFeature::on(FeatureCtx& x, const pickup::Submit&) {
    double now = x.now;
    m_limiter.set_policy(x.st.site.facts.attempt_limits.pickup_code);
    if (double wait = m_limiter.wait_s(now); wait > 0) {
        s.code.clear();
        return say_wait(x, wait, "pickup");
    }
    if (!looks_like_pickup_code(s.code)) return x.say("pickup.six_digits");
    auto found = x.store ? x.store->parcels().parcel_for_code(s.code, x.st.wall_now) : std::nullopt;
    std::string code = std::move(s.code);
    s.code.clear();
    if (!found) {
        m_limiter.failure(now);
        if (double wait = m_limiter.wait_s(now); wait > 0) return say_wait(x, wait, "pickup");
        return x.say("pickup.wrong");
    }
    m_limiter.success();
    s.parcels = {found->parcel};
    s.how = found->by_proxy ? "proxy" : "code";
    s.proxy_code = found->by_proxy ? code : std::string();
    s.unit_text = unit_text(x, found->parcel.unit_id);
    s.signature = Signature{};
    s.step = ParcelPickupState::Step::Found;
    x.quiet();
}

void ParcelPickupFeature::on(FeatureCtx& x, const pickup::ByHousehold&) {
    static_cast<VerifyFeature&>(x.shell.module(Screen::Verify)).open_for_pickup(x);
}

void ParcelPickupFeature::on(FeatureCtx&, const pickup::ClearSignature&) { s.signature = Signature{}; }

void ParcelPickupFeature::on(FeatureCtx& x, const pickup::Confirm&) {
    if (!x.store || !x.ses().staff || s.parcels.empty() || s.step != ParcelPickupState::Step::Found) return;
    Store::HandOver h;
    for (auto& p : s.parcels) h.ids.push_back(p.id);
    h.how = s.how;
    h.staff_no = x.ses().staff->staff_no;
    h.proxy_code = s.proxy_code;
    if (!s.signature.empty()) {
        if (!s.signature.usable()) return x.say("pickup.signature.short");
        h.signature = signature_json(s.signature);
        h.signature_png = print::bitmap_png(print::signature_bitmap(s.signature, kSignaturePngW, kSignaturePngH));
    }
    auto r = x.store->parcels().hand_over_parcels(h, x.st.wall_now);
    if (!r) return x.say(r.error().key, r.error().arg);
    s.step = ParcelPickupState::Step::Done;
    x.quiet();
    x.saved();
}

void ParcelPickupFeature::on(FeatureCtx& x, const pickup::Next&) { open(x, Screen::ParcelPickup); }

// ---- What waits at the desk ----------------------------------------------------------------
void ParcelListFeature::open(FeatureCtx& x, Screen screen) {
    if (!x.ses().staff || !x.store) return;
    std::string query = s.query;  // a parcel sent back keeps the search the clerk was in
    s = ParcelListState{};
    s.waiting = x.store->parcels().waiting_parcels();
    UnitNames names(x);
    std::map<std::string, std::string> tails;  // a flat's residents, read once however many parcels it has
    for (auto& p : s.waiting) {
        s.unit_texts.push_back(names(p.unit_id));
        auto [it, fresh] = tails.try_emplace(p.unit_id);
        if (fresh)
            for (const HouseholdMember& m : x.store->household().members(p.unit_id))
                if (m.phone_masked.size() >= 4) it->second += m.phone_masked.substr(m.phone_masked.size() - 4) + " ";
        s.phone_tails.push_back(it->second);
    }
    search(screen == Screen::ParcelList ? query : std::string());
    x.shell.go(screen);
}

bool parcel_matches(const std::string& query, const Parcel& p, const std::string& phone_tails) {
    if (query.empty()) return true;
    auto folded = [](const std::string& s) {
        std::string out;
        for (char ch : s)
            if (std::isalnum(static_cast<unsigned char>(ch))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        return out;
    };
    if (folded(p.tracking).find(query) != std::string::npos) return true;
    if (folded(p.unit_id).find(query) != std::string::npos) return true;
    if (query.size() == 4 && std::all_of(query.begin(), query.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        for (size_t at = 0; at + 4 <= phone_tails.size(); at += 5)
            if (phone_tails.compare(at, 4, query) == 0) return true;
    return false;
}

void ParcelListFeature::search(const std::string& query) {
    s.query = query.substr(0, 40);
    s.shown.clear();
    for (size_t i = 0; i < s.waiting.size(); ++i)
        if (parcel_matches(s.query, s.waiting[i], s.phone_tails[i])) s.shown.push_back(static_cast<int>(i));
    s.page = 0;
}

bool ParcelListFeature::scan(FeatureCtx& x, const std::string& code) {
    if (!x.ses().staff || s.selected >= 0) return false;
    on(x, parcel_list::Search{code});
    return true;
}

void ParcelListFeature::on(FeatureCtx& x, const parcel_list::Search& in) {
    std::string q;
    for (char ch : in.query)
        if (std::isalnum(static_cast<unsigned char>(ch))) q += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    search(q);
    x.ses().list_scroll = 0;
}

void ParcelListFeature::on(FeatureCtx& x, const parcel_list::Page& in) {
    s.page = std::max(0, in.page);
    x.ses().list_scroll = 0;
}

bool ParcelListFeature::back(FeatureCtx&) {
    if (s.selected < 0) return false;
    s.selected = -1;
    return true;
}

void ParcelListFeature::on(FeatureCtx&, const parcel_list::Open& in) {
    if (in.index >= 0 && in.index < static_cast<int>(s.waiting.size())) s.selected = in.index;
}

void ParcelListFeature::on(FeatureCtx& x, const parcel_list::ReturnToSender&) {
    if (!x.store || !x.ses().staff || s.selected < 0) return;
    auto r = x.store->parcels().return_parcel_to_sender(s.waiting[static_cast<size_t>(s.selected)].id, x.ses().staff->staff_no,
                                              x.st.wall_now);
    if (!r) return x.say(r.error().key, r.error().arg);
    open(x, Screen::ParcelList);
    x.say_ok("parcels.returned");
    x.saved();
}

}  // namespace kiosk::ui
