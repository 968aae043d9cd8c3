#include "sync/server/bounded_json.hpp"

namespace kiosk::headoffice {

namespace {

// nlohmann's own DOM builder, behind a nesting count: a container opened at `max_depth`
// containers deep stops the parse before anything deeper is built. (The parser callback did the
// same, at about a third more cost per value: it is asked about every key and value.)
class DepthBoundedDom {
public:
    using json = nlohmann::json;
    DepthBoundedDom(json& root, int max_depth) : m_dom(root, false), m_max_depth(max_depth) {}

    bool null() { return m_dom.null(); }
    bool boolean(bool v) { return m_dom.boolean(v); }
    bool number_integer(json::number_integer_t v) { return m_dom.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return m_dom.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) { return m_dom.number_float(v, s); }
    bool string(json::string_t& v) { return m_dom.string(v); }
    bool binary(json::binary_t& v) { return m_dom.binary(v); }
    bool key(json::string_t& v) { return m_dom.key(v); }
    bool start_object(std::size_t n) { return deeper() && m_dom.start_object(n); }
    bool start_array(std::size_t n) { return deeper() && m_dom.start_array(n); }
    bool end_object() { return --m_depth, m_dom.end_object(); }
    bool end_array() { return --m_depth, m_dom.end_array(); }
    template <class Exception>
    bool parse_error(std::size_t at, const std::string& token, const Exception& e) {
        return m_dom.parse_error(at, token, e);
    }
    bool too_deep() const { return m_too_deep; }

private:
    bool deeper() {
        if (m_depth >= m_max_depth) return !(m_too_deep = true);
        ++m_depth;
        return true;
    }
    nlohmann::detail::json_sax_dom_parser<json> m_dom;
    int m_max_depth, m_depth = 0;
    bool m_too_deep = false;
};

}  // namespace

nlohmann::json parse_bounded(std::string_view text, std::string& why, int max_depth) {
    nlohmann::json j;
    DepthBoundedDom dom(j, max_depth);
    if (nlohmann::json::sax_parse(text.begin(), text.end(), &dom)) return j;
    why = dom.too_deep() ? "JSON nested deeper than " + std::to_string(max_depth) : "not JSON";
    return nlohmann::json(nlohmann::json::value_t::discarded);
}

}  // namespace kiosk::headoffice
