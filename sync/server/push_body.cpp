#include "sync/server/push_body.hpp"

namespace kiosk::headoffice {

namespace {

using json = nlohmann::json;

// The fields of a pushed record head office reads, in the order their types are checked.
enum class Field { Id, Type, SchemaVersion, CreatedAt, LocalSeq, Payload, Other };

Field field_of(std::string_view k) {
    if (k == "id") return Field::Id;
    if (k == "type") return Field::Type;
    if (k == "schema_version") return Field::SchemaVersion;
    if (k == "created_at") return Field::CreatedAt;
    if (k == "local_seq") return Field::LocalSeq;
    if (k == "payload") return Field::Payload;
    return Field::Other;
}

// One record's fields as they pass (the last of a repeated key counts).
struct RecordFields {
    std::optional<json> id, type, schema_version, created_at, local_seq, payload;
    std::optional<json>* slot(Field f) {
        switch (f) {
        case Field::Id: return &id;
        case Field::Type: return &type;
        case Field::SchemaVersion: return &schema_version;
        case Field::CreatedAt: return &created_at;
        case Field::LocalSeq: return &local_seq;
        case Field::Payload: return &payload;
        case Field::Other: break;
        }
        return nullptr;
    }
};

// Names the first field of a pushed record whose JSON type is wrong (missing fields default).
std::string record_field_problem(const RecordFields& r) {
    struct Want {
        const char* field;
        const std::optional<json> RecordFields::*at;
        bool (json::*is)() const noexcept;
        const char* kind;
    };
    static const Want kWants[] = {{"type", &RecordFields::type, &json::is_string, "a string"},
                                  {"schema_version", &RecordFields::schema_version, &json::is_number_integer, "an integer"},
                                  {"created_at", &RecordFields::created_at, &json::is_string, "a string"},
                                  {"local_seq", &RecordFields::local_seq, &json::is_number_integer, "an integer"},
                                  {"payload", &RecordFields::payload, &json::is_object, "an object"}};
    for (auto& w : kWants)
        if (auto& f = r.*w.at; f && !((*f).*w.is)()) return std::string("field '") + w.field + "' must be " + w.kind;
    return {};
}

// Where the reader is: containers are told apart by their depth (1: the body, 2: its records,
// 3: a record, 4: a record's field), and a container nobody reads is skipped whole, its depth
// still counted.
class PushReader {
public:
    PushReader(PushBody& out, size_t max_records, int max_depth) : m_out(out), m_max_records(max_records), m_max_depth(max_depth) {}

    bool null() { return m_payload_depth ? m_dom->null() : scalar(nullptr); }
    bool boolean(bool v) { return m_payload_depth ? m_dom->boolean(v) : scalar(v); }
    bool number_integer(json::number_integer_t v) { return m_payload_depth ? m_dom->number_integer(v) : scalar(v); }
    bool number_unsigned(json::number_unsigned_t v) { return m_payload_depth ? m_dom->number_unsigned(v) : scalar(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) { return m_payload_depth ? m_dom->number_float(v, s) : scalar(v); }
    bool string(json::string_t& v) { return m_payload_depth ? m_dom->string(v) : scalar(std::move(v)); }
    bool binary(json::binary_t& v) { return m_payload_depth ? m_dom->binary(v) : scalar(std::move(v)); }

    bool key(json::string_t& k) {
        if (m_payload_depth) return m_dom->key(k);
        if (m_skip_depth) return true;
        if (m_depth == 1) m_top_key = k == "records" ? Top::Records : k == "protocol" ? Top::Protocol : Top::Other;
        else if (m_depth == 3) m_field = field_of(k);
        return true;
    }

    bool start_object(std::size_t n) { return open(json::value_t::object, n); }
    bool start_array(std::size_t n) { return open(json::value_t::array, n); }
    bool end_object() { return close(true); }
    bool end_array() { return close(false); }

    template <class Exception>
    bool parse_error(std::size_t, const std::string&, const Exception&) {
        return false;
    }

    bool too_deep() const { return m_too_deep; }

private:
    enum class Top { Records, Protocol, Other };

    // A value that is no container, at the depth it is met.
    template <class V>
    bool scalar(V&& v) {
        if (m_skip_depth) return true;
        switch (m_depth) {
        case 0: m_out.shaped = false; break;  // the body is no object
        case 1:
            if (m_top_key == Top::Records) start_records(false);
            else if (m_top_key == Top::Protocol) m_out.protocol = json(std::forward<V>(v));
            break;
        case 2: element_not_a_record(); break;
        case 3:
            if (auto* slot = m_fields.slot(m_field)) *slot = json(std::forward<V>(v));
            break;
        }
        return true;
    }

    bool open(json::value_t kind, std::size_t n) {
        if (m_depth >= m_max_depth) {
            m_too_deep = true;
            return false;
        }
        ++m_depth;
        if (m_payload_depth) return kind == json::value_t::object ? m_dom->start_object(n) : m_dom->start_array(n);
        if (m_skip_depth) return true;
        bool object = kind == json::value_t::object;
        switch (m_depth) {
        case 1:
            m_out.shaped = object;  // until "records" says otherwise
            if (!object) skip();
            break;
        case 2:
            if (m_top_key == Top::Records) start_records(!object);
            else if (m_top_key == Top::Protocol) m_out.protocol = json(kind);
            if (object || m_top_key != Top::Records) skip();
            break;
        case 3:
            if (!object) {
                element_not_a_record();
                skip();
            } else if (++m_out.record_count > m_max_records) {
                skip();  // counted, not read: the batch is refused as too large
            } else {
                m_fields = {};
                m_field = Field::Other;
            }
            break;
        case 4:
            if (m_field == Field::Payload) {
                m_fields.payload.emplace();
                m_dom.emplace(*m_fields.payload, false);
                m_payload_depth = m_depth;
                return object ? m_dom->start_object(n) : m_dom->start_array(n);
            }
            if (auto* slot = m_fields.slot(m_field)) *slot = json(kind);  // a container where a scalar belongs
            skip();
            break;
        }
        return true;
    }

    bool close(bool object) {
        int closing = m_depth--;
        if (m_payload_depth) {
            bool ok = object ? m_dom->end_object() : m_dom->end_array();
            if (closing == m_payload_depth) {
                m_payload_depth = 0;
                m_dom.reset();
            }
            return ok;
        }
        if (m_skip_depth) {
            if (closing == m_skip_depth) m_skip_depth = 0;
            return true;
        }
        if (closing == 3) end_record();
        return true;
    }

    void skip() { m_skip_depth = m_depth; }

    // A "records" key: the last one counts, so what an earlier one gathered goes.
    void start_records(bool array) {
        m_out.records.clear();
        m_out.malformed.clear();
        m_out.record_count = 0;
        m_has_records = array;
    }

    void element_not_a_record() {
        if (++m_out.record_count <= m_max_records) m_out.malformed.push_back({"", "a record without an id"});
    }

    void end_record() {
        RecordFields& r = m_fields;
        if (!r.id || !r.id->is_string()) {
            m_out.malformed.push_back({"", "a record without an id"});
            return;
        }
        if (auto problem = record_field_problem(r); !problem.empty()) {
            m_out.malformed.push_back({r.id->get<std::string>(), problem});
            return;
        }
        IncomingRecord rec;
        rec.id = std::move(r.id->get_ref<std::string&>());
        if (r.type) rec.type = std::move(r.type->get_ref<std::string&>());
        rec.schema_version = r.schema_version ? r.schema_version->get<int>() : 0;
        if (r.created_at) rec.created_at = std::move(r.created_at->get_ref<std::string&>());
        rec.local_seq = r.local_seq ? r.local_seq->get<int64_t>() : 0;
        if (r.payload) rec.payload = std::move(*r.payload);
        m_out.records.push_back(std::move(rec));
    }

public:
    // Whether the body was an object whose last "records" was an array.
    bool shaped() const { return m_out.shaped && m_has_records; }

private:
    PushBody& m_out;
    size_t m_max_records;
    int m_max_depth;
    int m_depth = 0;
    int m_skip_depth = 0, m_payload_depth = 0;  // 0: not skipping, not in a payload
    bool m_too_deep = false, m_has_records = false;
    Top m_top_key = Top::Other;
    Field m_field = Field::Other;
    RecordFields m_fields;
    std::optional<nlohmann::detail::json_sax_dom_parser<json>> m_dom;
};

}  // namespace

PushBody read_push_body(std::string_view text, size_t max_records, int max_depth) {
    PushBody out;
    PushReader reader(out, max_records, max_depth);
    if (!json::sax_parse(text.begin(), text.end(), &reader)) {
        PushBody failed;
        failed.not_json = reader.too_deep() ? "JSON nested deeper than " + std::to_string(max_depth) : "not JSON";
        return failed;
    }
    out.shaped = reader.shaped();
    if (!out.shaped) {
        out.records.clear();
        out.malformed.clear();
    }
    return out;
}

}  // namespace kiosk::headoffice
