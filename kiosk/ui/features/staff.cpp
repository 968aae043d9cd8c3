#include "kiosk/ui/features/staff.hpp"

#include "kiosk/core/household.hpp"
#include "kiosk/core/text.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/common.hpp"

namespace kiosk::ui {

StaffFeature::StaffFeature()
    : m_pin([](const std::string& hash, const std::string& pin) { return staff_pin_matches(hash, pin); }) {}

void StaffFeature::reset() {
    // A check still running finishes on its own and its answer goes nowhere; a wrong one counts.
    if (m_pin.drop() && m_checking) m_limiter.failure(m_check_sent_at);
    m_checking.reset();
    Module::reset();
}

void StaffFeature::open(FeatureCtx& x, Screen screen) {
    if (screen == Screen::StaffLogin) {
        s.staff_no.clear();
        s.pin.clear();
        s.entering_pin = false;
    }
    x.shell.go(screen);  // the desk loads its counts as it shows
}

bool StaffFeature::back(FeatureCtx& x) {
    if (x.ses().screen != Screen::StaffLogin || !s.entering_pin) return false;
    if (checking()) return true;  // Back waits for the answer rather than drop it
    s.entering_pin = false;
    s.pin.clear();
    x.quiet();
    return true;
}

void StaffFeature::refresh_desk(FeatureCtx& x) {
    if (!x.store || !x.ses().staff) return;
    // Reminders due since the desk last looked go out with the next sync.
    x.store->parcels().queue_parcel_reminders(x.st.wall_now, x.st.site.facts.parcel_limits);
    std::tm tm{};
    localtime_r(&x.st.wall_now, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    s.desk = x.store->parcels().desk_counts(std::mktime(&tm), x.st.wall_now, x.st.site.facts.parcel_limits);
    s.dead_letters = x.store->outbox().dead_letters(3, true);
    s.conflicts = x.store->outbox().sync_conflicts(3, true);
    x.saved();
}

void StaffFeature::typed(const std::string& text) {
    for (char32_t cp : utf8_decode(text)) {
        if (s.entering_pin) {
            if (cp >= U'0' && cp <= U'9' && s.pin.size() < 8) s.pin += static_cast<char>(cp);
        } else if (((cp >= U'0' && cp <= U'9') || (cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z')) &&
                   s.staff_no.size() < 8) {
            s.staff_no += static_cast<char>(cp >= U'a' && cp <= U'z' ? cp - 32 : cp);
        }
    }
}

void StaffFeature::enter(FeatureCtx& x) {
    if (s.entering_pin) on(x, staff::SignIn{});
    else on(x, staff::Next{});
}

bool StaffFeature::scan(FeatureCtx& x, const std::string& code) {
    if (x.ses().screen != Screen::StaffLogin || s.entering_pin) return false;
    // A staff badge: its barcode is the staff number.
    s.staff_no.clear();
    typed(code);
    on(x, staff::Next{});
    return true;
}

void StaffFeature::on(FeatureCtx& x, const staff::Next&) {
    if (s.staff_no.empty()) return;
    s.entering_pin = true;
    x.quiet();
}

void StaffFeature::on(FeatureCtx& x, const staff::SignIn&) {
    if (checking()) return;
    double now = x.now;
    m_limiter.set_policy(x.st.site.facts.attempt_limits.staff_sign_in);
    if (double wait = m_limiter.wait_s(now); wait > 0) {
        s.pin.clear();
        return x.say("staff.login.locked", std::to_string(whole_units(wait, 60)));
    }
    auto who = x.store ? x.store->household().staff_member(s.staff_no) : std::nullopt;
    if (!who) {
        s.pin.clear();
        return wrong_pin(x, now);  // an unknown number answers as a wrong PIN: no list of numbers
    }
    // Argon2id on a worker: the screen keeps drawing and picks the answer up (draw →
    // staff::Checked). The typed PIN is wiped now.
    m_pin.start(std::move(who->pin_hash), s.pin);
    m_checking = std::move(who->member);
    m_check_sent_at = now;
    x.quiet();
}

void StaffFeature::on(FeatureCtx& x, const staff::Checked&) {
    if (!check_answered()) return;
    bool proved = m_pin.take();
    std::optional<StaffMember> member = std::move(m_checking);
    m_checking.reset();
    if (!proved || !member) return wrong_pin(x, x.now);
    m_limiter.success();
    s.staff_no.clear();
    s.entering_pin = false;
    x.quiet();
    x.shell.sign_in(*member);
    x.shell.go(Screen::StaffDesk);  // the shell loads the desk's counts as it shows
}

void StaffFeature::wrong_pin(FeatureCtx& x, double at) {
    m_limiter.failure(at);
    if (m_limiter.locked_out(at)) return x.say("staff.login.locked", std::to_string(whole_units(m_limiter.wait_s(at), 60)));
    x.say("staff.login.wrong", std::to_string(m_limiter.policy().free_tries - m_limiter.failures()));
}

void StaffFeature::on(FeatureCtx& x, const staff::SignOut&) { x.shell.sign_out(); }

void StaffFeature::on(FeatureCtx& x, const staff::Reprint& in) {
    if (x.printer && x.ses().staff) x.printer->reprint(in.job);
}

void StaffFeature::on(FeatureCtx& x, const staff::SyncHandled& in) {
    // The clerk dealt with it; the worker's next count clears the top bar's ring.
    if (!x.store || !x.ses().staff) return;
    x.store->outbox().mark_sync_problem_handled(in.record_id, x.ses().staff->staff_no);
    refresh_desk(x);
}

}  // namespace kiosk::ui
