#pragma once
// On-screen setup (issue #15 item 5): a kiosk with no enrolment boots here; a clerk at the desk
// can redo it (behind the setup's staff PIN, when one was set). Steps: the language; head office's
// address, the site, the kiosk and the enrolment code (typed, or all at once from the setup slip's
// QR code through the barcode scanner); the connection test; the printer; the scanner; the staff
// PIN; then the enrolment and the first pull, after which the kiosk shows home. The slow parts run
// on the setup runner's thread (kiosk/core/setup.hpp, SetupBackend); the screen reads its progress
// once a frame. Nothing typed is lost when a step fails: the screen goes back to the step to fix.
#include <string>

#include "kiosk/core/setup.hpp"
#include "kiosk/ui/feature.hpp"
#include "kiosk/ui/pin_worker.hpp"

namespace kiosk::ui {

struct SetupState {
    enum class Step { Unlock, Language, HeadOffice, Printer, Scanner, Pin, Working };
    Step step = Step::Language;
    SetupAnswers a;
    int field = 0;               // the head-office field the keyboard types into: kSetupFields
    bool shift = false;          // capitals on the keyboard
    int printer_kind = 0;        // 0 none, 1 network (TCP 9100), 2 USB device
    std::string printer_where;   // HOST:PORT or /dev/usb/lp0
    std::string scanned;         // what the scanner step last read (a setup code shows masked)
    std::string unlock_pin;      // the setup's staff PIN, typed to redo setup
    bool slip_asked = false;     // the printer step's test slip was asked for (its answer shows)
    bool finishing = false;      // Working: enrolling and pulling (else: testing the connection)
    uint64_t seen = 0;           // the runner's progress version last applied
};

inline constexpr int kSetupFields = 4;  // url, site, kiosk, enrolment code

namespace setup {
struct PickLang { Lang lang; };
struct PickField { int field; };
struct Key { std::string key; };     // a character, "back", "shift"
struct PickPrinter { int kind; };
struct PickPaper { int mm; };        // the roll's width: 58 or 80
struct TestPrint {};                 // the printer step's "print a test slip"
struct Next {};
struct Progressed {};                // draw saw the runner's progress change
struct Unlock {};
struct Checked {};                   // the PIN worker answered
}  // namespace setup

class SetupFeature : public Module<SetupFeature, SetupState, setup::PickLang, setup::PickField, setup::Key,
                                   setup::PickPrinter, setup::PickPaper, setup::TestPrint, setup::Next, setup::Progressed,
                                   setup::Unlock, setup::Checked> {
public:
    SetupFeature();
    // The runner doing the slow parts; without one (captures, most tests) the steps draw but
    // cannot connect.
    void set_backend(SetupBackend* b) { m_backend = b; }
    SetupBackend* backend() const { return m_backend; }
    // The kiosk has no enrolment: setup is the only screen until it is done, and a visit's end
    // does not wipe what was typed.
    void set_required(bool on) { m_required = on; }
    bool required() const { return m_required; }
    // The runner is working for this screen (the loop wakes to read its progress).
    bool waiting() const;

    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    bool scan(FeatureCtx& x, const std::string& code) override;
    void reset() override;
    std::string spoken(const AppState& st, const Catalog& cat) const override;

    void on(FeatureCtx& x, const setup::PickLang& in);
    void on(FeatureCtx& x, const setup::PickField& in);
    void on(FeatureCtx& x, const setup::Key& in);
    void on(FeatureCtx& x, const setup::PickPrinter& in);
    void on(FeatureCtx& x, const setup::PickPaper& in);
    void on(FeatureCtx& x, const setup::TestPrint& in);
    void on(FeatureCtx& x, const setup::Next& in);
    void on(FeatureCtx& x, const setup::Progressed& in);
    void on(FeatureCtx& x, const setup::Unlock& in);
    void on(FeatureCtx& x, const setup::Checked& in);

    bool checking_pin() const { return m_pin.busy(); }
    bool pin_answered() const { return m_pin.answered(); }
    // The text the keyboard types into now (the head-office field or the printer's address).
    std::string* typing_target();
    // The printer step's choice as a printer setting: "" none, tcp://HOST:PORT, dev:/PATH.
    std::string printer_target() const;

private:
    void begin(FeatureCtx& x);
    SetupBackend* m_backend = nullptr;
    bool m_required = false;
    PinWorker m_pin;
};

// The step's title key (what the screen shows on top and 朗读 reads).
const char* setup_step_title(SetupState::Step step);

}  // namespace kiosk::ui
