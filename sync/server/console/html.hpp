#pragma once
// HTML for the head-office console, escaped by construction: markup comes only from string
// literals written `"<td>"_html` (the literal operator is the one way to make Markup), and every
// other value streamed into an Html (a name, a site id, a number) is escaped on the way in. A
// value forgotten without `_html` is shown escaped, never run.
#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk::headoffice::console {

class Markup {
public:
    std::string_view text() const { return m_text; }

private:
    constexpr explicit Markup(std::string_view t) : m_text(t) {}
    std::string_view m_text;
    friend constexpr Markup operator""_html(const char* s, size_t n);
};

constexpr Markup operator""_html(const char* s, size_t n) { return Markup(std::string_view(s, n)); }

// &, <, >, " and ' as entities: safe in text and in quoted attribute values.
std::string escape(std::string_view text);
// A value as one segment of a URL's path or query (percent-encoded); then escaped like any text.
std::string url_part(std::string_view text);

class Html {
public:
    Html& operator<<(Markup m) {
        m_out.append(m.text());
        return *this;
    }
    Html& operator<<(std::string_view text) {
        m_out += escape(text);
        return *this;
    }
    Html& operator<<(const std::string& text) { return *this << std::string_view(text); }
    Html& operator<<(const char* text) { return *this << std::string_view(text); }
    Html& operator<<(int64_t n) {
        m_out += std::to_string(n);
        return *this;
    }
    Html& operator<<(int n) { return *this << static_cast<int64_t>(n); }
    Html& operator<<(const Html& other) {
        m_out += other.m_out;
        return *this;
    }
    const std::string& str() const { return m_out; }

private:
    std::string m_out;
};

}  // namespace kiosk::headoffice::console
