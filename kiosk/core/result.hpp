#pragma once
// Errors are values at the boundaries: core and store return Result<T>; the app turns the
// error's i18n key into a message the resident sees on the next frame.
#include <string>
#include <utility>
#include <variant>

namespace kiosk {

struct Error {
    Error() = default;
    Error(std::string k, std::string d, std::string a = {}) : key(std::move(k)), detail(std::move(d)), arg(std::move(a)) {}
    std::string key;     // i18n key shown to the user, e.g. "error.store_write"
    std::string detail;  // for logs and staff; never contains residents' data
    std::string arg;     // what the message's {arg} says, if anything (a parcel id, a count)
};

template <class T>
class Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error e) : m_v(std::move(e)) {}
    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<0>(m_v); }
    T& value() & { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

struct Ok {};

}  // namespace kiosk
