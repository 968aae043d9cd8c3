#pragma once
// A feature module: one service of the kiosk (a repair, the parcels desk, the survey …) as its
// own state, its own typed intents, and open / apply / back / draw. The shell (KioskApp) keeps
// only routing, the session, idle, language and elder mode; it finds a screen's module in the one
// screen table (app.cpp) and knows no feature's intents.
//
// The flow of a frame: draw() reads the module's state and queues the module's own intents (small
// structs in a std::variant) or the shell's; after the frame the shell applies its own and asks
// each module to apply what it queued. Applying may call the store, the printer or the pinyin
// engine through FeatureCtx; drawing never does.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "kiosk/core/i18n.hpp"
#include "kiosk/core/services.hpp"
#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/text_entry.hpp"

namespace kiosk {
class Store;
}
namespace kiosk::print {
class PrintQueue;
}

namespace kiosk::ui {

struct ScreenCtx;
class Feature;

// The shell as a feature sees it while applying an intent.
class Shell {
public:
    // Shows `s` with the message line cleared; Back from it returns to the screen showing now.
    // Going to the screen already showing (a desk task opened afresh) stacks no second Back.
    virtual void go(Screen s) = 0;
    // A home tile: a service that shows household data asks the household to prove itself first.
    virtual void open_service(Service s) = 0;
    // The visit is over: every module's state and the household go; language and elder mode stay.
    virtual void end_household() = 0;
    // A clerk signed in (the desk's shorter idle timeout starts), or signed out (the visit ends).
    virtual void sign_in(StaffMember clerk) = 0;
    virtual void sign_out() = 0;
    // The module that draws `s` (to hand over to another feature, e.g. verify → pickup).
    virtual Feature& module(Screen s) = 0;
    // On-screen setup has enrolled the kiosk as `site`/`kiosk` and pulled its data: records carry
    // those ids from now on, home speaks `lang`, and the site's views are read again.
    virtual void setup_done(Lang lang, const std::string& site, const std::string& kiosk) = 0;

protected:
    ~Shell() = default;
};

// What applying an intent may use: the shell, the store, the printer and the typing engines.
struct FeatureCtx {
    AppState& st;
    const Catalog& cat;
    Store* store;
    print::PrintQueue* printer;
    TextInputContext typing;   // pinyin and the font's glyph check, for free text
    Shell& shell;
    double now;

    SessionState& ses() { return st.session; }
    // The message line: an error (red) or a confirmation (green), with one argument.
    void say(std::string key, std::string arg = {}, bool error = true) {
        st.session.message_key = std::move(key);
        st.session.message_arg = std::move(arg);
        st.session.message_is_error = error;
    }
    void say_ok(std::string key, std::string arg = {}) { say(std::move(key), std::move(arg), false); }
    void quiet() { st.session.message_key.clear(); }
    // A record was saved or changed: the shell refreshes the outbox count and wakes the sync.
    void saved() { record_saved = true; }
    bool record_saved = false;
    // A free-text box opens in the screen's language: pinyin on zh-CN and zh-TW, letters on English.
    bool chinese() const { return typing.pinyin != nullptr && st.lang != Lang::En; }
};

// Sentences read aloud one after another: a full stop between them in the language's own way.
inline std::string spoken_sentences(Lang lang, const std::vector<std::string>& parts) {
    std::string out;
    for (auto& p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out += lang == Lang::En ? ". " : "。";
        out += p;
    }
    return out;
}

class Feature {
public:
    virtual ~Feature() = default;
    // Opens screen `s` of this module with fresh state (default: just shows it).
    virtual void open(FeatureCtx& x, Screen s) { x.shell.go(s); }
    // Draws screen c.st.session.screen (one of this module's); queues intents, never blocks.
    virtual void draw(ScreenCtx& c) = 0;
    // Applies what draw() queued this frame.
    virtual void apply_queued(FeatureCtx& x) = 0;
    virtual bool has_queued() const { return false; }
    // Back on one of this module's screens: true when the module took it (a step back inside the
    // flow); false lets the shell go to the screen before.
    virtual bool back(FeatureCtx&) { return false; }
    // The screen shows a request already sent (a ticket, a pass number): the bar offers Home and
    // the screen its 完成, never a Back into the sent form.
    virtual bool finished() const { return false; }
    // A barcode scanned while this module's screen shows: true when it was wanted here.
    virtual bool scan(FeatureCtx&, const std::string&) { return false; }
    // The free-text box taking keys now, if any (the pinyin keyboard's target).
    virtual TextEntry* active_text() { return nullptr; }
    // One of this module's screens has just come to show (opened, or Back from another), and
    // the site's data has changed under it (a pull landed): a module showing counts reloads them.
    virtual void shown(FeatureCtx&) {}
    virtual void pulled(FeatureCtx&) {}
    // What 朗读 (elder mode) reads on this module's screen: its title and prompt in st.lang.
    // Empty: the shell reads the screen's title from the screen table. Called between frames.
    virtual std::string spoken(const AppState&, const Catalog&) const { return {}; }
    // Wipes the module's state (the visit ended).
    virtual void reset() = 0;
};

// The common shape: `State s` and a queue of `Intents...`; the module defines one
// `on(FeatureCtx&, const I&)` per intent, and the compiler names any it forgot.
template <class Derived, class State, class... Intents>
class Module : public Feature {
public:
    using Intent = std::variant<Intents...>;
    State s;

    void emit(Intent in) { m_queued.push_back(std::move(in)); }
    bool has_queued() const override { return !m_queued.empty(); }
    void apply_queued(FeatureCtx& x) override {
        auto queued = std::move(m_queued);
        m_queued.clear();
        for (auto& in : queued) std::visit([&](const auto& i) { static_cast<Derived*>(this)->on(x, i); }, in);
    }
    void reset() override {
        s = State{};
        m_queued.clear();
    }

private:
    std::vector<Intent> m_queued;
};

}  // namespace kiosk::ui
