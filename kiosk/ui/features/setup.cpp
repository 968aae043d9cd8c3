#include "kiosk/ui/features/setup.hpp"

#include <sodium.h>

#include "kiosk/core/household.hpp"
#include "kiosk/core/text.hpp"

namespace kiosk::ui {

using Step = SetupState::Step;

const char* setup_step_title(Step step) {
    switch (step) {
        case Step::Unlock: return "setup.unlock.title";
        case Step::Language: return "setup.language.title";
        case Step::HeadOffice: return "setup.headoffice.title";
        case Step::Printer: return "setup.printer.title";
        case Step::Scanner: return "setup.scanner.title";
        case Step::Pin: return "setup.pin.title";
        case Step::Working: return "setup.working.title";
    }
    return "setup.title";
}

namespace {
void wipe(std::string& s) {
    sodium_memzero(s.data(), s.size());
    s.clear();
}
}  // namespace

SetupFeature::SetupFeature()
    : m_pin([](const std::string& hash, const std::string& pin) { return staff_pin_matches(hash, pin); }) {}

bool SetupFeature::waiting() const {
    if (!m_backend) return false;
    auto p = m_backend->progress();
    if (s.step == Step::Printer) return s.slip_asked && p.slip_test == SetupProgress::SlipTest::Printing;
    if (s.step != Step::Working) return false;
    return p.version == s.seen || (p.stage != SetupStage::Failed && p.stage != SetupStage::Done &&
                                   p.stage != SetupStage::Reachable && p.stage != SetupStage::Idle);
}

void SetupFeature::reset() {
    if (m_required) {
        // The visit's end (Home, the idle rule) keeps what was typed: the kiosk has nothing else to show.
        SetupState kept = std::move(s);
        Module::reset();
        s = std::move(kept);
        wipe(s.unlock_pin);
        return;
    }
    m_pin.drop();
    wipe(s.a.enrol_code);
    wipe(s.a.staff_pin);
    wipe(s.unlock_pin);
    Module::reset();
}

void SetupFeature::begin(FeatureCtx& x) {
    wipe(s.a.enrol_code);
    wipe(s.a.staff_pin);
    s = SetupState{};
    s.a.lang = x.st.lang;
    if (m_backend) s.seen = m_backend->progress().version;
    if (m_backend && !m_required) {
        // Redone from the desk: the answers the kiosk runs with, to change only what must change.
        // Never the code (spent) nor the PIN (a hash only).
        SetupAnswers now = m_backend->current();
        s.a.url = now.url;
        s.a.site = now.site;
        s.a.kiosk = now.kiosk;
        s.a.printer = now.printer;
        s.a.paper_mm = now.paper_mm == 58 ? 58 : 80;
        s.a.lang = now.lang;
        x.st.lang = now.lang;
        auto choice = setup_printer_choice(now.printer);
        s.printer_kind = choice.kind;
        s.printer_where = choice.where;
    }
    x.shell.go(Screen::Setup);
}

void SetupFeature::open(FeatureCtx& x, Screen) {
    // From the desk only (a clerk signed in with the staff PIN), or while the kiosk has no enrolment.
    if (!m_required && !x.ses().staff) return;
    begin(x);
    if (!m_required && m_backend && !m_backend->staff_pin_hash().empty()) s.step = Step::Unlock;
}

std::string* SetupFeature::typing_target() {
    if (s.step == Step::HeadOffice) {
        switch (s.field) {
            case 0: return &s.a.url;
            case 1: return &s.a.site;
            case 2: return &s.a.kiosk;
            default: return &s.a.enrol_code;
        }
    }
    if (s.step == Step::Printer && s.printer_kind != 0) return &s.printer_where;
    return nullptr;
}

bool SetupFeature::back(FeatureCtx& x) {
    if (s.step == Step::Working || checking_pin()) return true;  // wait for the answer
    x.quiet();
    switch (s.step) {
        case Step::Unlock: return false;
        case Step::Language: return m_required;  // nowhere to go back to on a fresh kiosk
        case Step::HeadOffice: s.step = Step::Language; return true;
        case Step::Printer: s.step = Step::HeadOffice; return true;
        case Step::Scanner: s.step = Step::Printer; return true;
        case Step::Pin: s.step = Step::Scanner; return true;
        case Step::Working: return true;
    }
    return false;
}

bool SetupFeature::scan(FeatureCtx& x, const std::string& code) {
    if (s.step == Step::Working || s.step == Step::Unlock) return false;
    if (auto c = parse_setup_code(code)) {
        // The setup slip: every head-office field at once.
        s.a.url = c->url;
        s.a.site = c->site;
        s.a.kiosk = c->kiosk;
        wipe(s.a.enrol_code);
        s.a.enrol_code = c->enrol_code;
        if (s.step == Step::Scanner) s.scanned = "LOBBYSETUP1|…";
        else {
            s.step = Step::HeadOffice;
            s.field = 0;
        }
        x.say_ok("setup.scanned");
        return true;
    }
    if (s.step == Step::Scanner) {
        s.scanned = code.substr(0, 64);
        x.say_ok("setup.scanner.read");
        return true;
    }
    return false;
}

void SetupFeature::on(FeatureCtx& x, const setup::PickLang& in) {
    s.a.lang = in.lang;
    x.st.lang = in.lang;
}

void SetupFeature::on(FeatureCtx&, const setup::PickField& in) {
    if (in.field >= 0 && in.field < kSetupFields) s.field = in.field;
}

void SetupFeature::on(FeatureCtx& x, const setup::Key& in) {
    if (in.key == "shift") {
        s.shift = !s.shift;
        return;
    }
    std::string* t = typing_target();
    if (!t) return;
    x.quiet();
    if (in.key == "back") {
        if (!t->empty()) t->pop_back();
    } else if (in.key.size() == 1 && t->size() < 256) {
        *t += in.key;
    }
}

void SetupFeature::on(FeatureCtx& x, const setup::PickPrinter& in) {
    if (in.kind < 0 || in.kind > 2 || in.kind == s.printer_kind) return;
    s.printer_kind = in.kind;
    s.printer_where.clear();
    s.slip_asked = false;
    x.quiet();
}

void SetupFeature::on(FeatureCtx& x, const setup::PickPaper& in) {
    if ((in.mm != 58 && in.mm != 80) || in.mm == s.a.paper_mm) return;
    s.a.paper_mm = in.mm;
    s.slip_asked = false;  // the last test slip's answer was for the other roll
    x.quiet();
}

std::string SetupFeature::printer_target() const {
    return s.printer_kind == 1   ? "tcp://" + s.printer_where
           : s.printer_kind == 2 ? "dev:" + s.printer_where
                                 : std::string();
}

void SetupFeature::on(FeatureCtx& x, const setup::TestPrint&) {
    if (s.step != Step::Printer || s.printer_kind == 0) return;
    if (s.slip_asked && m_backend && m_backend->progress().slip_test == SetupProgress::SlipTest::Printing) return;
    std::string target = printer_target();
    if (!setup_printer_ok(target)) return x.say(s.printer_kind == 1 ? "setup.error.printer_tcp" : "setup.error.printer_dev");
    if (!m_backend) return x.say("print.reason.unreachable");
    x.quiet();
    m_backend->print_test(target, s.a.paper_mm);
    s.slip_asked = true;
}

void SetupFeature::on(FeatureCtx& x, const setup::Next&) {
    x.quiet();
    switch (s.step) {
        case Step::Unlock:
        case Step::Working: return;
        case Step::Language: s.step = Step::HeadOffice; return;
        case Step::HeadOffice: {
            if (!setup_url_ok(s.a.url)) return x.say("setup.error.url");
            if (!setup_id_ok(s.a.site) || !setup_id_ok(s.a.kiosk)) return x.say("setup.error.ids");
            if (s.a.enrol_code.empty()) return x.say("setup.error.code_missing");
            if (!m_backend) return x.say("setup.error.unreachable");
            s.finishing = false;
            s.step = Step::Working;
            // What was seen before asking: the runner may answer before check() returns.
            s.seen = m_backend->progress().version;
            m_backend->check(s.a.url);
            return;
        }
        case Step::Printer: {
            std::string target = printer_target();
            if (!setup_printer_ok(target)) return x.say(s.printer_kind == 1 ? "setup.error.printer_tcp" : "setup.error.printer_dev");
            s.a.printer = target;
            s.step = Step::Scanner;
            return;
        }
        case Step::Scanner: s.step = Step::Pin; return;
        case Step::Pin: {
            if (s.a.staff_pin.size() < 4 && !(s.a.staff_pin.empty() && !m_required)) return x.say("setup.error.pin");
            if (!m_backend) return x.say("setup.error.unreachable");
            s.finishing = true;
            s.step = Step::Working;
            SetupAnswers copy = s.a;
            s.seen = m_backend->progress().version;  // before: the runner may answer at once
            m_backend->finish(std::move(copy));
            wipe(s.a.staff_pin);  // the runner has its own copy; the code stays for a retry
            return;
        }
    }
}

void SetupFeature::on(FeatureCtx& x, const setup::Progressed&) {
    if (!m_backend || s.step != Step::Working) return;
    SetupProgress p = m_backend->progress();
    s.seen = p.version;
    if (p.stage == SetupStage::Reachable && !s.finishing) {
        s.step = Step::Printer;
        x.say_ok("setup.reachable");
    } else if (p.stage == SetupStage::Failed) {
        // Back to the step where the fix is typed, with everything as it was.
        bool headoffice = p.error_key == "setup.error.unreachable" || p.error_key == "setup.error.wrong_code" ||
                          p.error_key == "setup.error.refused" || p.error_key == "setup.error.fields";
        s.step = headoffice || !s.finishing ? Step::HeadOffice : Step::Pin;
        if (p.error_key == "setup.error.wrong_code") s.field = 3;
        x.say(p.error_key);
    } else if (p.stage == SetupStage::Done && s.finishing) {
        SetupAnswers done = s.a;
        wipe(s.a.enrol_code);
        m_required = false;
        s = SetupState{};
        x.shell.setup_done(done.lang, done.site, done.kiosk);
        x.say_ok("setup.done");
    }
}

void SetupFeature::on(FeatureCtx& x, const setup::Unlock&) {
    if (checking_pin() || !m_backend) return;
    if (s.unlock_pin.size() < 4) return;
    m_pin.start(m_backend->staff_pin_hash(), s.unlock_pin);
    x.quiet();
}

void SetupFeature::on(FeatureCtx& x, const setup::Checked&) {
    if (!pin_answered()) return;
    if (!m_pin.take()) return x.say("setup.unlock.wrong");
    s.step = Step::Language;
    x.quiet();
}

std::string SetupFeature::spoken(const AppState& st, const Catalog& cat) const {
    return cat.tr(st.lang, setup_step_title(s.step));
}

}  // namespace kiosk::ui
