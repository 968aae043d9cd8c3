#include "platform/speech.hpp"

#include <espeak-ng/speak_lib.h>
#include <pcaudiolib/audio.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <fstream>

namespace kiosk::platform {

// ---- The libraries, loaded on first use ----------------------------------------------------
// espeak-ng and libpcaudio (which brings PulseAudio, ALSA and a dozen codecs) are opened by
// dlopen the first time something is read aloud, on the Speaker's worker: a kiosk whose 朗读 is
// never tapped neither loads them at start nor holds their pages (~2.5 MB, issue #14 item 9).
namespace {
template <class F>
bool bind(void* lib, const char* name, F*& fn) {
    fn = reinterpret_cast<F*>(dlsym(lib, name));
    return fn != nullptr;
}

struct EspeakLib {
    decltype(&::espeak_Initialize) initialize = nullptr;
    decltype(&::espeak_SetSynthCallback) set_synth_callback = nullptr;
    decltype(&::espeak_SetVoiceByName) set_voice_by_name = nullptr;
    decltype(&::espeak_Synth) synth = nullptr;
};
// Null when the library or one of its functions is missing. Called under g_espeak.
const EspeakLib* espeak_lib() {
    static EspeakLib lib;
    static bool loaded = [] {
        void* h = dlopen("libespeak-ng.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!h) return false;
        return bind(h, "espeak_Initialize", lib.initialize) && bind(h, "espeak_SetSynthCallback", lib.set_synth_callback) &&
               bind(h, "espeak_SetVoiceByName", lib.set_voice_by_name) && bind(h, "espeak_Synth", lib.synth);
    }();
    return loaded ? &lib : nullptr;
}

struct PcAudioLib {
    decltype(&::create_audio_device_object) create = nullptr;
    decltype(&::audio_object_open) open = nullptr;
    decltype(&::audio_object_write) write = nullptr;
    decltype(&::audio_object_flush) flush = nullptr;
    decltype(&::audio_object_drain) drain = nullptr;
    decltype(&::audio_object_close) close = nullptr;
    decltype(&::audio_object_destroy) destroy = nullptr;
};
const PcAudioLib* pcaudio_lib() {
    static PcAudioLib lib;
    static bool loaded = [] {  // a function-local static: thread-safe, once
        void* h = dlopen("libpcaudio.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!h) return false;
        return bind(h, "create_audio_device_object", lib.create) && bind(h, "audio_object_open", lib.open) &&
               bind(h, "audio_object_write", lib.write) && bind(h, "audio_object_flush", lib.flush) &&
               bind(h, "audio_object_drain", lib.drain) && bind(h, "audio_object_close", lib.close) &&
               bind(h, "audio_object_destroy", lib.destroy);
    }();
    return loaded ? &lib : nullptr;
}
}  // namespace

// ---- espeak-ng: one process-wide engine behind one lock ------------------------------------
namespace {
std::mutex g_espeak;     // espeak-ng's state is global: one synthesis at a time in the process
int g_rate = 0;          // its sample rate once initialised; -1: it could not start
bool g_tried = false;

struct Collect {
    Pcm* pcm;
    const std::function<bool()>* abandon;
    size_t max_samples;
    bool stopped = false;
};

int collect(short* wav, int n, espeak_EVENT* events) {
    auto* c = static_cast<Collect*>(events ? events->user_data : nullptr);
    if (!c) return 1;
    if (c->abandon && *c->abandon && (*c->abandon)()) {
        c->stopped = true;
        return 1;  // espeak-ng stops this synthesis
    }
    if (wav && n > 0) {
        size_t room = c->max_samples - std::min(c->max_samples, c->pcm->samples.size());
        c->pcm->samples.insert(c->pcm->samples.end(), wav, wav + std::min<size_t>(room, static_cast<size_t>(n)));
    }
    return 0;
}

// Under g_espeak.
bool ready() {
    if (!g_tried) {
        g_tried = true;
        // Synchronous: espeak_Synth returns when the text is done, samples handed to collect().
        const EspeakLib* lib = espeak_lib();
        g_rate = lib ? lib->initialize(AUDIO_OUTPUT_SYNCHRONOUS, 100, nullptr, espeakINITIALIZE_DONT_EXIT) : -1;
        if (g_rate > 0) lib->set_synth_callback(collect);
        else std::fprintf(stderr, "lobby-kiosk: espeak-ng did not start: reading aloud is off\n");
    }
    return g_rate > 0;
}

void put_le(std::string& out, uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
}  // namespace

const char* espeak_voice(Lang lang) {
    switch (lang) {
        case Lang::ZhCN: return "cmn";
        case Lang::ZhTW: return "yue";
        case Lang::En: return "en";
    }
    return "en";
}

std::string_view bounded_utf8(std::string_view text, size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    size_t end = max_bytes;
    // Back off continuation bytes (10xxxxxx) so the cut falls before a character's first byte.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

std::optional<Pcm> synthesise(Lang lang, std::string_view text, const std::function<bool()>& abandon) {
    std::string bounded(bounded_utf8(text));
    // Control characters mean nothing spoken; espeak-ng gets plain text (no SSML, no phoneme input).
    for (char& ch : bounded)
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\n') ch = ' ';
    std::lock_guard lock(g_espeak);
    if (!ready()) return std::nullopt;
    const EspeakLib* lib = espeak_lib();
    if (lib->set_voice_by_name(espeak_voice(lang)) != EE_OK) return std::nullopt;
    Pcm pcm;
    pcm.rate = g_rate;
    Collect c{&pcm, &abandon, static_cast<size_t>(kMaxSpokenSeconds * g_rate)};
    espeak_ERROR e = lib->synth(bounded.c_str(), bounded.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &c);
    if (e != EE_OK || c.stopped) return std::nullopt;
    return pcm;
}

bool synthesise_wav(Lang lang, std::string_view text, const std::string& path) {
    auto pcm = synthesise(lang, text);
    if (!pcm || pcm->samples.empty()) return false;
    uint32_t data = static_cast<uint32_t>(pcm->samples.size() * 2), rate = static_cast<uint32_t>(pcm->rate);
    std::string head = "RIFF";
    put_le(head, 36 + data, 4);
    head += "WAVEfmt ";
    put_le(head, 16, 4);
    put_le(head, 1, 2);         // PCM
    put_le(head, 1, 2);         // mono
    put_le(head, rate, 4);
    put_le(head, rate * 2, 4);  // bytes per second
    put_le(head, 2, 2);         // bytes per frame
    put_le(head, 16, 2);        // bits per sample
    head += "data";
    put_le(head, data, 4);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(head.data(), static_cast<std::streamsize>(head.size()));
    for (int16_t s : pcm->samples) {  // little-endian whatever the host
        char b[2] = {static_cast<char>(s & 0xFF), static_cast<char>((s >> 8) & 0xFF)};
        out.write(b, 2);
    }
    out.close();
    return static_cast<bool>(out);
}

// ---- The sound device -------------------------------------------------------------------
namespace {
class PcAudioSink final : public AudioSink {
public:
    ~PcAudioSink() override { close(); }
    bool play(std::span<const int16_t> chunk, int rate) override {
        if (!m_dev) {
            // Opened per utterance, so a speaker plugged in later is found; none: quietly nothing.
            m_lib = pcaudio_lib();
            m_dev = m_lib ? m_lib->create(nullptr, "lobby-kiosk", "Read aloud") : nullptr;
            if (!m_dev) {
                if (!m_warned) std::fprintf(stderr, "lobby-kiosk: no libpcaudio or no sound device: reading aloud is silent\n");
                m_warned = true;
                return false;
            }
            if (m_lib->open(m_dev, AUDIO_OBJECT_FORMAT_S16LE, static_cast<uint32_t>(rate), 1) != 0) {
                if (!m_warned) std::fprintf(stderr, "lobby-kiosk: no sound device: reading aloud is silent\n");
                m_warned = true;
                m_lib->destroy(m_dev);
                m_dev = nullptr;
                return false;
            }
        }
        return m_lib->write(m_dev, chunk.data(), chunk.size_bytes()) == 0;
    }
    void end(bool cancelled) override {
        if (!m_dev) return;
        if (cancelled) m_lib->flush(m_dev);
        else m_lib->drain(m_dev);
        close();
    }

private:
    void close() {
        if (!m_dev) return;
        m_lib->close(m_dev);
        m_lib->destroy(m_dev);
        m_dev = nullptr;
    }
    const PcAudioLib* m_lib = nullptr;
    audio_object* m_dev = nullptr;
    bool m_warned = false;
};
}  // namespace

std::unique_ptr<AudioSink> sound_device() { return std::make_unique<PcAudioSink>(); }

// ---- The Speaker's worker ---------------------------------------------------------------
Speaker::Speaker(std::unique_ptr<AudioSink> sink) : m_sink(std::move(sink)), m_worker([this] { run(); }) {}

Speaker::~Speaker() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_pending.reset();
    }
    m_cv.notify_all();
    m_worker.join();
}

void Speaker::say(Lang lang, std::string text) {
    {
        std::lock_guard lock(m_mutex);
        uint64_t id = m_wanted.load() + 1;
        m_pending = Request{id, lang, std::string(bounded_utf8(text))};
        m_wanted = id;  // the one speaking, if any, is abandoned at its next chunk
    }
    m_cv.notify_all();
}

void Speaker::stop() {
    std::lock_guard lock(m_mutex);
    m_pending.reset();
    m_wanted = m_wanted.load() + 1;  // no request has this id: whatever speaks stops
}

Speaker::Counts Speaker::counts() const {
    std::lock_guard lock(m_mutex);
    return m_counts;
}

bool Speaker::idle() const {
    std::lock_guard lock(m_mutex);
    return !m_busy && !m_pending;
}

void Speaker::run() {
    for (;;) {
        Request r;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [&] { return m_quit.load() || m_pending.has_value(); });
            if (m_quit) return;
            r = std::move(*m_pending);
            m_pending.reset();
            m_busy = true;
        }
        enum { Finished, Cancelled, Failed } how = Finished;
        std::function<bool()> abandon = [&] { return abandoned(r.id); };
        auto pcm = synthesise(r.lang, r.text, abandon);
        if (!pcm) {
            how = abandoned(r.id) ? Cancelled : Failed;
        } else {
            const size_t step = static_cast<size_t>(pcm->rate / 10);
            std::span<const int16_t> all(pcm->samples);
            for (size_t at = 0; at < all.size() && how == Finished; at += step) {
                if (abandoned(r.id)) how = Cancelled;
                else if (!m_sink->play(all.subspan(at, std::min(step, all.size() - at)), pcm->rate)) how = Failed;
            }
            if (how == Finished && abandoned(r.id)) how = Cancelled;
            m_sink->end(how != Finished);
        }
        std::lock_guard lock(m_mutex);
        m_busy = false;
        (how == Finished ? m_counts.finished : how == Cancelled ? m_counts.cancelled : m_counts.failed)++;
    }
}

}  // namespace kiosk::platform
