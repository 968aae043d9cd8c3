#pragma once
// The site's facts (the "facts" data set: assets/demo/site.json, or pulled from head office) as
// typed values, parsed once when they land, and the trade rules that read them. The facts arrive
// as text, most of them JSON, and are hostile until checked: a fact that does not parse, has the
// wrong shape or is too large falls back to its default (empty, or today's rule); nothing throws.
// Screens read SiteFacts and never see JSON.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/attempt_limiter.hpp"
#include "kiosk/core/exit_pass.hpp"
#include "kiosk/core/parcels.hpp"
#include "kiosk/core/service_levels.hpp"
#include "kiosk/core/site.hpp"

namespace kiosk {

// Bounds on what a site's facts may hold; what lies beyond is dropped, not shown.
inline constexpr size_t kFactMaxBytes = 256 * 1024;   // one fact's text; longer: the default
inline constexpr size_t kFactMaxItems = 256;          // areas, topics, questions, shelves: the first 256
inline constexpr size_t kFactMaxSlots = 48;           // repair slots a day
inline constexpr size_t kFactIdMaxBytes = 64;         // an id or a shelf; longer: the item is skipped
inline constexpr size_t kLocalTextMaxBytes = 16 * 1024;  // one language of one text; longer: that language is empty

// Text in every language from its JSON: {"zh-CN": …, "en": …, "zh-TW": …}, a language missing or
// not a string left empty (LocalText::in falls back to zh-CN); a plain string is the zh-CN text.
// Anything else, and any language longer than `max_bytes`, gives empty text.
LocalText local_text_from_json(const nlohmann::json& j, size_t max_bytes = kLocalTextMaxBytes);

// A repair slot the site offers every day, "09:00-11:00": minutes after local midnight.
struct RepairSlot {
    int start_minute = 0;
    int end_minute = 0;   // after start_minute; at most 24:00
};
// "HH:MM-HH:MM" (the hour may have one digit); nothing when malformed or not a forward slot.
std::optional<RepairSlot> parse_repair_slot(std::string_view text);

struct PublicAreaFact {
    std::string id;      // "lobby": what a repair or complaint records
    LocalText name;
};

struct EnquiryTopicFact {
    std::string id;
    LocalText title;
    LocalText body;
};

struct SurveyQuestionFact {
    std::string id;
    LocalText text;
};

// The satisfaction survey running on the site, answered once per household.
struct SurveyFacts {
    std::string id;                 // "2026Q4"
    LocalText title;
    std::string opens;              // YYYY-MM-DD, inclusive; "" open from the start
    std::string closes;             // YYYY-MM-DD, inclusive; "" no end
    std::vector<SurveyQuestionFact> questions;
};

// How hard each secret the kiosk checks is to guess. Today's values are the defaults; a site may
// set any of them in the fact "attempt_limits", e.g. {"pickup_code": {"lockout_after": 8}}, with
// each policy's fields named as AttemptPolicy's members. A value out of bounds keeps the default
// (free_tries 1–50, first_wait_s 0–3600, lockout_after 1–50 and not below free_tries, lockout_s
// 60–86400): no site can switch the lockout off.
struct AttemptLimits {
    AttemptPolicy staff_sign_in{5, 0, 5, 300};              // a staff member's PIN
    AttemptPolicy household_verify_unit{3, 30, 5, 900};     // the household PIN, per flat: 5 wrong, 15 minutes
    AttemptPolicy household_verify_kiosk{10, 10, 20, 600};  // the household check, all flats at this kiosk
    AttemptPolicy pickup_code{3, 10, 10, 900};              // parcel pickup codes at the desk
};

// Every fact the kiosk reads, by the key it has in the data set.
struct SiteFacts {
    LocalText site_name;                                // "site_name"
    std::string desk_phone;                             // "desk_phone", as text: "0755-2345 6789"
    ParcelLimits parcel_limits;                         // "parcel_limits"
    std::string payment_url_template;                   // "payment_url_template": {unit} {amount} {site}
    std::vector<RepairSlot> repair_slots;               // "repair_windows": ["09:00-11:00", …]
    std::vector<PublicAreaFact> public_areas;           // "public_areas"
    std::vector<EnquiryTopicFact> enquiry_topics;       // "enquiry_topics"
    std::optional<SurveyFacts> survey;                  // "survey": none when absent or malformed
    std::vector<std::string> parcel_shelves;            // "parcel_shelves"
    ArrearsRule exit_pass_arrears_rule = ArrearsRule::Block;  // "exit_pass_arrears_rule": "warn" or "block"
    AttemptLimits attempt_limits;                       // "attempt_limits"
};

// Reads each fact once through `fact` (the stored text of a key, or nothing) and parses it.
using FactSource = std::function<std::optional<std::string>(std::string_view key)>;
SiteFacts parse_site_facts(const FactSource& fact);
SiteFacts parse_site_facts(const std::map<std::string, std::string, std::less<>>& facts);

// The appointment windows a resident may book at `now`: the site's slots today, starting at least
// an hour from now, then every slot of the next two days; in that order.
std::vector<TimeWindow> repair_slots_offered(const SiteFacts& facts, std::time_t now);

// The link (shown as a QR code) to pay what the flat owes: the site's template with {unit},
// {amount} (yuan, "1234.50") and {site} filled in, each percent-encoded. It names the flat and the
// amount, never the resident. Nothing when nothing is owed or the site has no template.
std::optional<std::string> payment_url(const SiteFacts& facts, std::string_view site_id, std::string_view unit_id,
                                       int64_t owed_cents);

// Whether the survey takes answers on the local day of `now` (opens and closes inclusive).
bool survey_open(const SurveyFacts& survey, std::time_t now);

}  // namespace kiosk
