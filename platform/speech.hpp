#pragma once
// Reading a screen aloud (issue #14, elder mode): espeak-ng turns text into 16-bit mono samples,
// and one worker thread per Speaker synthesises and plays them, so the UI thread never waits for
// speech. espeak-ng keeps global state, so every synthesis in the process takes one lock.
// Playback goes through libpcaudio (what espeak-ng itself plays with); a kiosk without a sound
// device synthesises, fails to open the device, and says nothing: no hang, no crash.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kiosk/core/i18n.hpp"

namespace kiosk::platform {

// What the app asks of a reader: speak this, in this language, instead of whatever was asked
// before; or be quiet. Both return at once. Tests hand the app a recording stand-in.
class ReadAloud {
public:
    virtual ~ReadAloud() = default;
    virtual void say(Lang lang, std::string text) = 0;
    virtual void stop() = 0;
};

// espeak-ng's voice for each language: Mandarin for zh-CN, Cantonese for zh-TW (Hong Kong and
// Macau estates read traditional characters aloud in Cantonese), English.
const char* espeak_voice(Lang lang);

// Text longer than this is cut (at a UTF-8 character boundary) before synthesis.
inline constexpr size_t kMaxSpokenBytes = 1000;
// No synthesis keeps more than this much sound (memory stays bounded whatever the text).
inline constexpr double kMaxSpokenSeconds = 120;

struct Pcm {
    int rate = 0;                  // samples per second (espeak-ng's: 22050)
    std::vector<int16_t> samples;  // mono
};

// The first `max_bytes` of `text` at most, never cutting a UTF-8 character in two.
std::string_view bounded_utf8(std::string_view text, size_t max_bytes = kMaxSpokenBytes);

// Synthesises `text` (bounded) in `lang`'s voice. `abandon`, polled as samples arrive, stops it
// early (the result is then nullopt). nullopt also when espeak-ng or its data is missing.
std::optional<Pcm> synthesise(Lang lang, std::string_view text, const std::function<bool()>& abandon = {});

// Synthesises `text` into a WAV file at `path` (RIFF, PCM 16-bit mono at espeak-ng's rate), for
// tests and offline checks of what a screen says. False when synthesis or the write fails.
bool synthesise_wav(Lang lang, std::string_view text, const std::string& path);

// Where a Speaker's samples go. Called on the Speaker's worker only.
class AudioSink {
public:
    virtual ~AudioSink() = default;
    // One chunk (about 0.1 s); false: the device failed (the rest of the utterance is dropped).
    virtual bool play(std::span<const int16_t> chunk, int rate) = 0;
    // The utterance ended: played out (`cancelled` false: let it drain) or cut short (drop the rest).
    virtual void end(bool cancelled) = 0;
};
// The sound device through libpcaudio, opened per utterance; with none, play() says false.
std::unique_ptr<AudioSink> sound_device();

// One worker thread that speaks the latest request. say() replaces a request not yet spoken and
// cuts short the one speaking; stop() cuts short and forgets; the destructor cancels and joins.
class Speaker final : public ReadAloud {
public:
    explicit Speaker(std::unique_ptr<AudioSink> sink = sound_device());
    ~Speaker() override;
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    void say(Lang lang, std::string text) override;
    void stop() override;

    // For tests and the staff note: utterances played to the end, cut short, failed; and whether
    // the worker has nothing to do.
    struct Counts {
        uint64_t finished = 0, cancelled = 0, failed = 0;
    };
    Counts counts() const;
    bool idle() const;

private:
    struct Request {
        uint64_t id;
        Lang lang;
        std::string text;
    };
    void run();
    bool abandoned(uint64_t id) const { return m_quit.load() || m_wanted.load() != id; }

    std::unique_ptr<AudioSink> m_sink;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::optional<Request> m_pending;
    bool m_busy = false;
    Counts m_counts;
    std::atomic<uint64_t> m_wanted{0};  // the id of the request that should be speaking
    std::atomic<bool> m_quit{false};
    std::thread m_worker;  // last: started once everything above is ready
};

}  // namespace kiosk::platform
