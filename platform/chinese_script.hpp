#pragma once
// Simplified and traditional Chinese script, by OpenCC and its tables from the Debian package
// (libopencc-data, /usr/share/opencc). The pinyin engine knows simplified characters only; on a
// zh-TW screen its candidates are converted here before the resident sees them.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "kiosk/core/result.hpp"

namespace kiosk::platform {

std::string opencc_data_dir();  // "/usr/share/opencc"

class TraditionalScript {
public:
    // `config` is an OpenCC configuration: s2tw (characters and Taiwan variants, keeps words as
    // they are, so a candidate keeps its length and the syllables it stands for).
    static Result<std::unique_ptr<TraditionalScript>> open(const std::string& config = opencc_data_dir() + "/s2tw.json");
    ~TraditionalScript();
    std::string from_simplified(std::string_view utf8) const;

private:
    struct Impl;
    explicit TraditionalScript(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The s2tw tables (~9 MB resident) opened on a thread of their own the first time a zh-TW screen
// asks, so neither the start nor a frame waits for them (issue #14 item 9). request() and get()
// return at once; `on_ready` runs on the opening thread when it is done (the kiosk wakes its loop).
class LazyTraditionalScript {
public:
    using Opener = std::function<Result<std::unique_ptr<TraditionalScript>>()>;
    explicit LazyTraditionalScript(std::function<void()> on_ready = {},
                                   Opener open = [] { return TraditionalScript::open(); });
    ~LazyTraditionalScript();  // waits for an opening under way
    LazyTraditionalScript(const LazyTraditionalScript&) = delete;
    LazyTraditionalScript& operator=(const LazyTraditionalScript&) = delete;

    void request();                        // starts opening, once
    const TraditionalScript* get() const;  // the script once open; null before, or if it failed
    bool pending() const;                  // requested and not finished
    bool failed() const;

private:
    enum State { Idle, Opening, Ready, Failed };
    std::function<void()> m_on_ready;
    Opener m_open;
    std::unique_ptr<TraditionalScript> m_script;  // written by the opener before m_state = Ready
    std::atomic<int> m_state{Idle};
    std::mutex m_start;
    std::thread m_opener;
};

// Characters that exist only in simplified script: OpenCC's simplified→traditional table maps
// them and never to themselves (车→車 is one; 台→臺/台 and 干→幹/乾/干 are not).
class SimplifiedOnly {
public:
    static Result<std::unique_ptr<SimplifiedOnly>> open(const std::string& table = opencc_data_dir() + "/STCharacters.ocd2");
    ~SimplifiedOnly();
    bool contains(std::string_view one_character) const;

private:
    struct Impl;
    explicit SimplifiedOnly(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace kiosk::platform
