#pragma once
// The configuration files of the installed programs (issue #15 item 2): /etc/lobby-kiosk/kiosk.toml
// and /etc/lobby-headoffice/headoffice.toml, read only when `--config FILE` is given. Each program
// lists the keys it takes and where each goes; the file's values become the defaults that the
// command line's flags then override. The file is hostile like any input: at most
// kMaxConfigBytes, a regular file, every key known, every value checked; the first problem is an
// error naming the file, the line and the key, and nothing is set.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kiosk::config {

inline constexpr size_t kMaxConfigBytes = 64 * 1024;

// What a text value must be: nullopt when it is fine, else what it should be ("an absolute path").
using TextCheck = std::function<std::optional<std::string>(const std::string&)>;

struct Key {
    using Target = std::variant<std::string*, int*, double*, bool*>;
    // Text (with its check) or true/false.
    Key(std::string name, Target target, TextCheck check = {}) : name(std::move(name)), target(target), check(std::move(check)) {}
    // A number in [min, max], or (integers) one of `one_of`.
    Key(std::string name, Target target, double min, double max, std::vector<int64_t> one_of = {})
        : name(std::move(name)), target(target), min(min), max(max), one_of(std::move(one_of)) {}

    std::string name;  // dotted for a key in a table: "headoffice.url" is url = … under [headoffice]
    Target target;
    TextCheck check;                // text values only; none: any text without control characters
    double min = 0, max = -1;       // numbers: the range (max < min: any)
    std::vector<int64_t> one_of;    // integers: the values allowed, when only a few are
};

// Reads `path` and sets the keys' targets. nullopt on success, else the error: "FILE:LINE: key
// 'name': …" (or "FILE: …" when no line applies).
std::optional<std::string> load(const std::string& path, const std::vector<Key>& keys);

// The FILE of `--config FILE` or `--config=FILE` in a command line; "" when there is none.
std::string config_path_in(int argc, const char* const* argv);

// Checks for text values.
std::optional<std::string> absolute_path(const std::string& v);
std::optional<std::string> http_url(const std::string& v);     // http:// or https:// and a host
std::optional<std::string> listen_address(const std::string& v);  // HOST:PORT, PORT 0-65535
std::optional<std::string> identifier(const std::string& v);   // a site or kiosk id: 1-128 bytes

}  // namespace kiosk::config
