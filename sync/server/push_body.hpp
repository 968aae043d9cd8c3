#pragma once
// A push's body read in one pass straight into the records head office stores: the same
// nesting limit as parse_bounded (checked while parsing), the same answers as parsing the whole
// body into a JSON tree and walking it (duplicate keys: the last one counts, as in that tree),
// without the tree: only each record's payload is built as JSON, the rest is read as it passes.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/server/bounded_json.hpp"
#include "sync/server/headoffice_store.hpp"

namespace kiosk::headoffice {

struct PushBody {
    std::string not_json;           // set: the body is not JSON, or nested deeper than the limit
    bool shaped = false;            // an object whose "records" is an array
    std::optional<nlohmann::json> protocol;  // its "protocol", when there is one (a container as an empty one)
    size_t record_count = 0;        // the array's length, whatever its elements
    // The first `max_records` elements: records whose id and field types are right, and the
    // others as {id or "", why} (a field of the wrong JSON type is named).
    std::vector<IncomingRecord> records;
    std::vector<std::pair<std::string, std::string>> malformed;
};

PushBody read_push_body(std::string_view text, size_t max_records, int max_depth = kMaxJsonDepth);

}  // namespace kiosk::headoffice
