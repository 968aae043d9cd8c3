// Reading aloud with the real espeak-ng: every prompt of the home screen, in the three languages,
// comes out as a WAV file a person would hear (not silent, not cut, not endless); the Speaker's
// worker never holds up whoever asks it to speak.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unistd.h>

#include "kiosk/core/services.hpp"
#include "platform/speech.hpp"
#include "wait_for.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {
Catalog catalogue() {
    auto c = Catalog::load(std::string(KIOSK_ASSETS) + "/i18n");
    REQUIRE(c);
    return std::move(c.value());
}

struct Wav {
    int rate = 0, channels = 0, bits = 0, format = 0;
    std::vector<int16_t> samples;
    double seconds() const { return rate ? static_cast<double>(samples.size()) / rate : 0; }
};

uint32_t le(const std::string& b, size_t at, int n) {
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
}

// Reads a WAV as a stranger's file: every length checked against what is there.
std::optional<Wav> read_wav(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0) return std::nullopt;
    if (le(b, 4, 4) != b.size() - 8) return std::nullopt;
    Wav w;
    bool fmt = false;
    for (size_t at = 12; at + 8 <= b.size();) {
        std::string id = b.substr(at, 4);
        size_t len = le(b, at + 4, 4);
        if (len > b.size() - at - 8) return std::nullopt;
        if (id == "fmt " && len >= 16) {
            w.format = static_cast<int>(le(b, at + 8, 2));
            w.channels = static_cast<int>(le(b, at + 10, 2));
            w.rate = static_cast<int>(le(b, at + 12, 4));
            w.bits = static_cast<int>(le(b, at + 22, 2));
            fmt = true;
        } else if (id == "data") {
            if (!fmt || len % 2) return std::nullopt;
            for (size_t i = 0; i < len; i += 2) w.samples.push_back(static_cast<int16_t>(le(b, at + 8 + i, 2)));
            return w;
        }
        at += 8 + len + (len & 1);
    }
    return std::nullopt;
}

double rms(const std::vector<int16_t>& s) {
    double sum = 0;
    for (int16_t v : s) sum += static_cast<double>(v) * v;
    return s.empty() ? 0 : std::sqrt(sum / s.size());
}
int peak(const std::vector<int16_t>& s) {
    int p = 0;
    for (int16_t v : s) p = std::max(p, std::abs(static_cast<int>(v)));
    return p;
}

struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("kiosk-speech-" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
};

// A sound device standing in: records what it is given, and can hold the worker inside play()
// until the test lets it go (a long utterance, deterministically).
struct HeldSink : platform::AudioSink {
    std::mutex m;
    std::condition_variable cv;
    bool hold = false, inside = false;
    size_t samples = 0;
    int ends = 0, cut = 0;
    bool play(std::span<const int16_t> chunk, int) override {
        std::unique_lock lock(m);
        inside = true;
        cv.wait(lock, [&] { return !hold; });
        samples += chunk.size();
        return true;
    }
    void end(bool cancelled) override {
        std::lock_guard lock(m);
        ++ends;
        cut += cancelled ? 1 : 0;
    }
    void release() {
        {
            std::lock_guard lock(m);
            hold = false;
        }
        cv.notify_all();
    }
    bool entered() {
        std::lock_guard lock(m);
        return inside;
    }
};
}  // namespace

TEST_CASE("each language speaks with its own espeak-ng voice: Mandarin, Cantonese for zh-TW, English", "[speech]") {
    CHECK(std::string(platform::espeak_voice(Lang::ZhCN)) == "cmn");
    CHECK(std::string(platform::espeak_voice(Lang::ZhTW)) == "yue");
    CHECK(std::string(platform::espeak_voice(Lang::En)) == "en");
}

TEST_CASE("text to speak is cut at 1000 bytes, never inside a character", "[speech]") {
    std::string han;
    for (int i = 0; i < 400; ++i) han += "您";  // 3 bytes each: 1200 bytes
    auto cut = platform::bounded_utf8(han);
    CHECK(cut.size() == 999);
    CHECK(cut.size() % 3 == 0);
    CHECK(platform::bounded_utf8("short") == "short");
}

TEST_CASE("every home-screen prompt in every language becomes a WAV a resident can hear", "[speech][wav]") {
    Catalog cat = catalogue();
    TempDir dir;
    int n = 0;
    for (Lang lang : kAllLangs) {
        std::vector<std::string> prompts{cat.tr(lang, "home.greeting"), cat.tr(lang, "app.title")};
        for (auto& s : all_services()) prompts.push_back(cat.tr(lang, s.label_key));
        for (auto& text : prompts) {
            INFO(platform::espeak_voice(lang) << ": " << text);
            auto path = dir.path / ("prompt" + std::to_string(n++) + ".wav");
            REQUIRE(platform::synthesise_wav(lang, text, path.string()));
            auto wav = read_wav(path);
            REQUIRE(wav);
            CHECK(wav->format == 1);
            CHECK(wav->channels == 1);
            CHECK(wav->bits == 16);
            CHECK(wav->rate >= 16000);
            // A label of two characters is still a word said aloud; a greeting is a sentence.
            CHECK(wav->seconds() >= 0.3);
            CHECK(wav->seconds() <= 15);
            CHECK(rms(wav->samples) > 300);   // of 32767: speech, not hiss
            CHECK(peak(wav->samples) > 3000);
        }
    }
    CHECK(n >= 3 * 12);
}

TEST_CASE("a longer prompt takes longer to say, in each voice", "[speech][wav]") {
    Catalog cat = catalogue();
    TempDir dir;
    for (Lang lang : kAllLangs) {
        INFO(platform::espeak_voice(lang));
        std::string label = cat.tr(lang, "service.repairs");
        std::string longer = label + ". " + cat.tr(lang, "home.greeting") + ". " + cat.tr(lang, "app.title");
        REQUIRE(platform::synthesise_wav(lang, label, (dir.path / "short.wav").string()));
        REQUIRE(platform::synthesise_wav(lang, longer, (dir.path / "long.wav").string()));
        auto a = read_wav(dir.path / "short.wav"), b = read_wav(dir.path / "long.wav");
        REQUIRE(a);
        REQUIRE(b);
        CHECK(b->seconds() > a->seconds() * 1.5);
    }
}

TEST_CASE("the speaker plays a request through its device, off the asking thread", "[speech][speaker]") {
    auto owned = std::make_unique<HeldSink>();
    HeldSink& sink = *owned;
    platform::Speaker speaker(std::move(owned));
    speaker.say(Lang::ZhCN, "您好！请选择您要办理的服务");
    REQUIRE(test::wait_until([&] { return speaker.counts().finished == 1; }, 10s));
    CHECK(speaker.idle());
    std::lock_guard lock(sink.m);
    CHECK(sink.samples > 22050 / 2);  // more than half a second of sound reached the device
    CHECK(sink.ends == 1);
    CHECK(sink.cut == 0);
}

TEST_CASE("while the speaker is busy saying something long, say and stop return at once and stop cuts it short", "[speech][speaker]") {
    auto owned = std::make_unique<HeldSink>();
    HeldSink& sink = *owned;
    sink.hold = true;  // the device takes the first chunk and does not give the worker back
    platform::Speaker speaker(std::move(owned));
    std::string long_text;
    for (int i = 0; i < 30; ++i) long_text += "Please choose a service. ";
    speaker.say(Lang::En, long_text);
    REQUIRE(test::wait_until([&] { return sink.entered(); }, 10s));
    // The worker is stuck inside the device: asking again, and stopping, still return.
    speaker.say(Lang::En, "Repairs");
    CHECK_FALSE(speaker.idle());
    speaker.stop();
    sink.release();
    REQUIRE(test::wait_until([&] { return speaker.idle(); }, 10s));
    auto c = speaker.counts();
    CHECK(c.finished == 0);   // neither the long text nor the replaced "Repairs" was said out
    CHECK(c.cancelled == 1);  // the long one, cut at its next chunk
    std::lock_guard lock(sink.m);
    CHECK(sink.cut == 1);
    CHECK(sink.samples <= 22050 / 10 + 1);  // only the chunk already in the device
}

TEST_CASE("a newer request replaces one not yet spoken", "[speech][speaker]") {
    auto owned = std::make_unique<HeldSink>();
    HeldSink& sink = *owned;
    sink.hold = true;
    platform::Speaker speaker(std::move(owned));
    speaker.say(Lang::En, "Home");
    REQUIRE(test::wait_until([&] { return sink.entered(); }, 10s));
    speaker.say(Lang::En, "Fees");
    speaker.say(Lang::En, "Repairs");
    sink.release();
    REQUIRE(test::wait_until([&] { return speaker.idle(); }, 10s));
    auto c = speaker.counts();
    CHECK(c.cancelled == 1);  // "Home", cut by the newer request
    CHECK(c.finished == 1);   // "Repairs" only: "Fees" was replaced before it began
}

TEST_CASE("a speaker destroyed in the middle of a long synthesis joins its worker cleanly", "[speech][speaker]") {
    std::string long_text;
    for (int i = 0; i < 60; ++i) long_text += "维修 ";
    auto start = std::chrono::steady_clock::now();
    {
        platform::Speaker speaker(std::make_unique<HeldSink>());
        speaker.say(Lang::ZhCN, long_text);
        speaker.say(Lang::ZhCN, long_text);
    }
    // Cancelled, not synthesised to the end and played for half a minute.
    CHECK(std::chrono::steady_clock::now() - start < 10s);
}

TEST_CASE("with no sound device the real speaker fails quietly and keeps taking requests", "[speech][speaker]") {
    // CI has no sound card: the utterance is synthesised, the device does not open, nothing hangs.
    platform::Speaker speaker;
    speaker.say(Lang::En, "Repairs");
    REQUIRE(test::wait_until([&] { return speaker.idle(); }, 20s));
    speaker.say(Lang::ZhTW, "報修");
    REQUIRE(test::wait_until([&] { return speaker.idle(); }, 20s));
    auto c = speaker.counts();
    CHECK(c.finished + c.failed == 2);
}
