#include "platform/chinese_script.hpp"

#include <cstdio>

#include <opencc/Dict.hpp>
#include <opencc/DictEntry.hpp>
#include <opencc/MarisaDict.hpp>
#include <opencc/SimpleConverter.hpp>

namespace kiosk::platform {

std::string opencc_data_dir() { return "/usr/share/opencc"; }

struct TraditionalScript::Impl {
    // Built in place: SimpleConverter owns its tables through a raw pointer and must not be
    // copied or moved (a moved-from temporary frees them).
    explicit Impl(const std::string& config) : converter(config) {}
    opencc::SimpleConverter converter;
};

TraditionalScript::TraditionalScript(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TraditionalScript::~TraditionalScript() = default;

Result<std::unique_ptr<TraditionalScript>> TraditionalScript::open(const std::string& config) {
    try {
        auto impl = std::make_unique<Impl>(config);
        return std::unique_ptr<TraditionalScript>(new TraditionalScript(std::move(impl)));
    } catch (const std::exception& e) {
        return Error{"error.opencc", "cannot open OpenCC " + config + " (apt-get install libopencc-data): " + e.what()};
    }
}

std::string TraditionalScript::from_simplified(std::string_view utf8) const {
    try {
        return m_impl->converter.Convert(std::string(utf8));
    } catch (const std::exception&) {
        return std::string(utf8);  // OpenCC refuses only malformed UTF-8; the engine never makes it
    }
}

LazyTraditionalScript::LazyTraditionalScript(std::function<void()> on_ready, Opener open)
    : m_on_ready(std::move(on_ready)), m_open(std::move(open)) {}

LazyTraditionalScript::~LazyTraditionalScript() {
    std::lock_guard lock(m_start);
    if (m_opener.joinable()) m_opener.join();
}

void LazyTraditionalScript::request() {
    if (m_state.load(std::memory_order_acquire) != Idle) return;
    std::lock_guard lock(m_start);
    if (m_state.load() != Idle) return;
    m_state = Opening;
    m_opener = std::thread([this] {
        auto opened = m_open();
        if (opened) {
            m_script = std::move(opened.value());
            m_state.store(Ready, std::memory_order_release);
        } else {
            std::fprintf(stderr, "lobby-kiosk: %s (zh-TW types simplified)\n", opened.error().detail.c_str());
            m_state.store(Failed, std::memory_order_release);
        }
        if (m_on_ready) m_on_ready();
    });
}

const TraditionalScript* LazyTraditionalScript::get() const {
    return m_state.load(std::memory_order_acquire) == Ready ? m_script.get() : nullptr;
}
bool LazyTraditionalScript::pending() const { return m_state.load(std::memory_order_acquire) == Opening; }
bool LazyTraditionalScript::failed() const { return m_state.load(std::memory_order_acquire) == Failed; }

struct SimplifiedOnly::Impl {
    opencc::MarisaDictPtr table;
};

SimplifiedOnly::SimplifiedOnly(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SimplifiedOnly::~SimplifiedOnly() = default;

Result<std::unique_ptr<SimplifiedOnly>> SimplifiedOnly::open(const std::string& table) {
    FILE* f = std::fopen(table.c_str(), "rb");
    if (!f) return Error{"error.opencc", "cannot open OpenCC table " + table + " (apt-get install libopencc-data)"};
    try {
        auto dict = opencc::MarisaDict::NewFromFile(f);
        std::fclose(f);
        return std::unique_ptr<SimplifiedOnly>(new SimplifiedOnly(std::make_unique<Impl>(Impl{dict})));
    } catch (const std::exception& e) {
        std::fclose(f);
        return Error{"error.opencc", "cannot read OpenCC table " + table + ": " + e.what()};
    }
}

bool SimplifiedOnly::contains(std::string_view ch) const {
    auto entry = m_impl->table->Match(ch.data(), ch.size());
    if (entry.IsNull()) return false;
    for (auto& v : entry.Get()->Values())
        if (v == ch) return false;
    return true;
}

}  // namespace kiosk::platform
