// Where the pinyin engine's dictionary is found: the build's multiarch folder first (not a path
// written for x86_64 alone), then any other, and a clear error when there is none.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "platform/pinyin.hpp"

using kiosk::platform::PinyinInput;

namespace {
struct TempDir {
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("pinyin-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path path;
};

void touch(const std::filesystem::path& p) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << "dictionary";
}
}  // namespace

TEST_CASE("the pinyin dictionary is looked for in the build's multiarch folder, then in any other", "[pinyin]") {
    TempDir dir;
    auto lib = dir.path / "usr/lib";
    std::filesystem::create_directories(lib);
    CHECK(PinyinInput::find_dictionary(lib, "aarch64-linux-gnu").empty());
    touch(lib / "googlepinyin/data/dict_pinyin.dat");  // an unsplit layout, the last resort
    CHECK(PinyinInput::find_dictionary(lib, "aarch64-linux-gnu") == (lib / "googlepinyin/data/dict_pinyin.dat").string());
    touch(lib / "x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat");
    // An arm64 kiosk without its own: the one there is, found by the search.
    CHECK(PinyinInput::find_dictionary(lib, "aarch64-linux-gnu") == (lib / "x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat").string());
    touch(lib / "aarch64-linux-gnu/googlepinyin/data/dict_pinyin.dat");
    CHECK(PinyinInput::find_dictionary(lib, "aarch64-linux-gnu") == (lib / "aarch64-linux-gnu/googlepinyin/data/dict_pinyin.dat").string());
    CHECK(PinyinInput::find_dictionary(lib, "x86_64-linux-gnu") == (lib / "x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat").string());
    CHECK(PinyinInput::find_dictionary(lib, "") == (lib / "aarch64-linux-gnu/googlepinyin/data/dict_pinyin.dat").string());
    CHECK(PinyinInput::find_dictionary(dir.path / "no-such-folder", "x86_64-linux-gnu").empty());
}

TEST_CASE("on this machine the dictionary is the one of the compiler's triplet, and it opens", "[pinyin]") {
    std::string triplet = PinyinInput::build_triplet();
    REQUIRE_FALSE(triplet.empty());  // CMake's CMAKE_LIBRARY_ARCHITECTURE on Debian
    CHECK(PinyinInput::default_dictionary() == "/usr/lib/" + triplet + "/googlepinyin/data/dict_pinyin.dat");
    {
        auto engine = PinyinInput::open();
        INFO((engine ? "" : engine.error().detail));
        REQUIRE(engine);
        CHECK_FALSE(engine.value()->search("nihao", 5).candidates.empty());
    }  // one decoder per process: closed before the next is opened
    // No dictionary: an error naming the path, not a crash.
    auto missing = PinyinInput::open("/nonexistent/dict_pinyin.dat");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().detail.find("/nonexistent/dict_pinyin.dat") != std::string::npos);
}
