#include "sync/server/bounded_json.hpp"

namespace kiosk::headoffice {

namespace {
struct TooDeep {};
}  // namespace

nlohmann::json parse_bounded(std::string_view text, std::string& why, int max_depth) {
    // The callback sees each container open with the number of containers around it; throwing
    // there stops the parse before anything deeper is built.
    auto limit = [max_depth](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
        if ((event == nlohmann::json::parse_event_t::object_start || event == nlohmann::json::parse_event_t::array_start) &&
            depth >= max_depth)
            throw TooDeep{};
        return true;
    };
    try {
        auto j = nlohmann::json::parse(text.begin(), text.end(), limit, false);
        if (j.is_discarded()) why = "not JSON";
        return j;
    } catch (const TooDeep&) {
        why = "JSON nested deeper than " + std::to_string(max_depth);
        return nlohmann::json(nlohmann::json::value_t::discarded);
    }
}

}  // namespace kiosk::headoffice
