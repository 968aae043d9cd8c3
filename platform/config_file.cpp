#include "platform/config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <functional>

#include <toml++/toml.h>

namespace kiosk::config {

namespace {

// The whole file, refused unread when it is not a regular file or longer than the cap.
std::optional<std::string> read_bounded(const std::string& path, std::string& out) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return path + ": cannot read: " + std::strerror(errno);
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return path + ": not a regular file";
    }
    out.clear();
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            ::close(fd);
            return path + ": cannot read: " + std::strerror(e);
        }
        if (n == 0) break;
        // Checked as it is read: a file that grows while we read it is bounded all the same.
        if (out.size() + static_cast<size_t>(n) > kMaxConfigBytes) {
            ::close(fd);
            return path + ": longer than " + std::to_string(kMaxConfigBytes) + " bytes; a configuration file is smaller";
        }
        out.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return std::nullopt;
}

bool has_control(const std::string& v) {
    for (unsigned char c : v)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

const char* type_word(toml::node_type t) {
    switch (t) {
        case toml::node_type::string: return "text";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a number";
        case toml::node_type::boolean: return "true or false";
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        default: return "a date or time";
    }
}

std::string known_keys(const std::vector<Key>& keys) {
    std::string out;
    for (auto& k : keys) out += (out.empty() ? "" : ", ") + k.name;
    return out;
}

struct Walk {
    const std::string& path;
    const std::vector<Key>& keys;
    std::vector<std::function<void()>> assignments;  // made only once every key has passed

    std::string at(const toml::source_region& s, const std::string& name) const {
        return path + ":" + std::to_string(s.begin.line) + ": key '" + name + "': ";
    }
    bool is_table_prefix(const std::string& name) const {
        for (auto& k : keys)
            if (k.name.rfind(name + ".", 0) == 0) return true;
        return false;
    }

    std::optional<std::string> table(const toml::table& t, const std::string& prefix) {
        for (auto&& [key, node] : t) {
            std::string name = prefix + std::string(key.str());
            // Where the key is written; a table's own header when toml++ knows no better.
            toml::source_region where = key.source().begin.line ? key.source() : node.source();
            if (node.is_table()) {
                if (!is_table_prefix(name)) return at(where, name) + "unknown table; the keys are " + known_keys(keys);
                if (auto e = table(*node.as_table(), name + ".")) return e;
                continue;
            }
            const Key* k = nullptr;
            for (auto& candidate : keys)
                if (candidate.name == name) k = &candidate;
            if (!k) return at(where, name) + "unknown key; the keys are " + known_keys(keys);
            if (auto e = value(*k, node)) return at(where, name) + *e;
        }
        return std::nullopt;
    }

    std::optional<std::string> value(const Key& k, const toml::node& node) {
        if (auto* text = std::get_if<std::string*>(&k.target)) {
            auto v = node.as_string();
            if (!v) return std::string("wants text in quotes, not ") + type_word(node.type());
            std::string s = v->get();
            if (s.size() > 4096) return "longer than 4096 bytes";
            if (has_control(s)) return "holds a control character";
            if (k.check)
                if (auto why = k.check(s)) return "wants " + *why;
            assignments.push_back([t = *text, s] { *t = s; });
            return std::nullopt;
        }
        if (auto* flag = std::get_if<bool*>(&k.target)) {
            auto v = node.as_boolean();
            if (!v) return std::string("wants true or false, not ") + type_word(node.type());
            assignments.push_back([t = *flag, b = v->get()] { *t = b; });
            return std::nullopt;
        }
        if (auto* whole = std::get_if<int*>(&k.target)) {
            auto v = node.as_integer();
            if (!v) return std::string("wants an integer, not ") + type_word(node.type());
            int64_t n = v->get();
            if (!k.one_of.empty()) {
                bool ok = false;
                std::string allowed;
                for (auto a : k.one_of) {
                    ok = ok || a == n;
                    allowed += (allowed.empty() ? "" : " or ") + std::to_string(a);
                }
                if (!ok) return "is " + allowed + ", not " + std::to_string(n);
            }
            if (k.max >= k.min && (n < k.min || n > k.max))
                return "is from " + std::to_string(static_cast<int64_t>(k.min)) + " to " + std::to_string(static_cast<int64_t>(k.max)) +
                       ", not " + std::to_string(n);
            assignments.push_back([t = *whole, n] { *t = static_cast<int>(n); });
            return std::nullopt;
        }
        auto* real = std::get_if<double*>(&k.target);
        double d;
        if (auto f = node.as_floating_point()) d = f->get();
        else if (auto i = node.as_integer()) d = static_cast<double>(i->get());
        else return std::string("wants a number, not ") + type_word(node.type());
        if (!std::isfinite(d)) return "wants a finite number";
        if (k.max >= k.min && (d < k.min || d > k.max))
            return "is from " + std::to_string(k.min) + " to " + std::to_string(k.max) + ", not " + std::to_string(d);
        assignments.push_back([t = *real, d] { *t = d; });
        return std::nullopt;
    }
};

}  // namespace

std::optional<std::string> load(const std::string& path, const std::vector<Key>& keys) {
    std::string text;
    if (auto e = read_bounded(path, text)) return e;
    toml::table doc;
    try {
        doc = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        return path + ":" + std::to_string(e.source().begin.line) + ": not TOML: " + std::string(e.description());
    }
    Walk w{path, keys, {}};
    if (auto e = w.table(doc, "")) return e;
    for (auto& assign : w.assignments) assign();
    return std::nullopt;
}

std::string config_path_in(int argc, const char* const* argv) {
    std::string found;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") break;
        if (a == "--config" && i + 1 < argc) found = argv[++i];
        else if (a.rfind("--config=", 0) == 0) found = a.substr(9);
    }
    return found;
}

std::optional<std::string> absolute_path(const std::string& v) {
    if (v.empty() || v[0] != '/') return "an absolute path (starting with /)";
    return std::nullopt;
}

std::optional<std::string> http_url(const std::string& v) {
    size_t host = v.rfind("http://", 0) == 0 ? 7 : v.rfind("https://", 0) == 0 ? 8 : 0;
    if (host == 0 || host >= v.size() || v[host] == '/' || v[host] == ':' || v.find(' ') != std::string::npos)
        return "an http:// or https:// URL with a host";
    return std::nullopt;
}

std::optional<std::string> listen_address(const std::string& v) {
    auto colon = v.rfind(':');
    const std::string want = "HOST:PORT with PORT from 0 to 65535";
    if (colon == std::string::npos || colon == 0 || colon + 1 >= v.size() || colon + 6 < v.size()) return want;
    for (size_t i = colon + 1; i < v.size(); ++i)
        if (v[i] < '0' || v[i] > '9') return want;
    if (std::stol(v.substr(colon + 1)) > 65535) return want;
    return std::nullopt;
}

std::optional<std::string> identifier(const std::string& v) {
    if (v.empty() || v.size() > 128) return "1 to 128 bytes";
    return std::nullopt;
}

}  // namespace kiosk::config
