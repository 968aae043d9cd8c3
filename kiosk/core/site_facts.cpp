#include "kiosk/core/site_facts.hpp"

#include "kiosk/core/dates.hpp"
#include "kiosk/core/fees.hpp"

namespace kiosk {

namespace {
using nlohmann::json;

// A fact's JSON, or null when it is missing, too large or not JSON.
json fact_json(const std::optional<std::string>& text) {
    if (!text || text->size() > kFactMaxBytes) return nullptr;
    auto j = json::parse(*text, nullptr, false);
    return j.is_discarded() ? json(nullptr) : j;
}

// A short identifier: a non-empty string within kFactIdMaxBytes, without control characters.
std::optional<std::string> id_of(const json& j) {
    if (!j.is_string()) return std::nullopt;
    const auto& s = j.get_ref<const std::string&>();
    if (s.empty() || s.size() > kFactIdMaxBytes) return std::nullopt;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return std::nullopt;
    return s;
}

// The member `key` of an object, or null.
const json& member(const json& j, const char* key) {
    static const json kNull;
    if (!j.is_object()) return kNull;
    auto it = j.find(key);
    return it == j.end() ? kNull : *it;
}

bool looks_like_day(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

// "H:MM" or "HH:MM" at the start of `s`, as minutes after midnight (24:00 allowed); advances `s`.
std::optional<int> take_clock(std::string_view& s) {
    size_t i = 0;
    int h = 0;
    while (i < s.size() && i < 2 && s[i] >= '0' && s[i] <= '9') h = h * 10 + (s[i++] - '0');
    if (i == 0 || i >= s.size() || s[i] != ':' || i + 3 > s.size()) return std::nullopt;
    char m1 = s[i + 1], m2 = s[i + 2];
    if (m1 < '0' || m1 > '5' || m2 < '0' || m2 > '9') return std::nullopt;
    int minute = h * 60 + (m1 - '0') * 10 + (m2 - '0');
    if (minute > 24 * 60) return std::nullopt;
    s.remove_prefix(i + 3);
    return minute;
}

void trim(std::string_view& s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
}

std::vector<PublicAreaFact> public_areas_of(const json& j) {
    std::vector<PublicAreaFact> out;
    if (!j.is_array()) return out;
    for (const auto& a : j) {
        if (out.size() >= kFactMaxItems) break;
        auto id = id_of(member(a, "id"));
        if (!id || !member(a, "name").is_object()) continue;
        out.push_back({*id, local_text_from_json(member(a, "name"))});
    }
    return out;
}

std::vector<EnquiryTopicFact> enquiry_topics_of(const json& j) {
    std::vector<EnquiryTopicFact> out;
    if (!j.is_array()) return out;
    for (const auto& t : j) {
        if (out.size() >= kFactMaxItems) break;
        auto id = id_of(member(t, "id"));
        if (!id) continue;
        out.push_back({*id, local_text_from_json(member(t, "title")), local_text_from_json(member(t, "body"))});
    }
    return out;
}

std::optional<SurveyFacts> survey_of(const json& j) {
    auto id = id_of(member(j, "id"));
    if (!id) return std::nullopt;
    SurveyFacts s;
    s.id = *id;
    s.title = local_text_from_json(member(j, "title"));
    // A period that is not two days would compare as text to anything at all: no survey then.
    for (auto [key, into] : {std::pair{"opens", &s.opens}, std::pair{"closes", &s.closes}}) {
        const json& d = member(j, key);
        if (d.is_null()) continue;
        if (!d.is_string() || !(d.get_ref<const std::string&>().empty() || looks_like_day(d.get<std::string>())))
            return std::nullopt;
        *into = d.get<std::string>();
    }
    const json& qs = member(j, "questions");
    if (qs.is_array())
        for (const auto& q : qs) {
            if (s.questions.size() >= kFactMaxItems) break;
            auto qid = id_of(member(q, "id"));
            if (!qid || member(q, "text").is_null()) continue;
            s.questions.push_back({*qid, local_text_from_json(member(q, "text"))});
        }
    return s;
}

std::vector<std::string> shelves_of(const json& j) {
    std::vector<std::string> out;
    if (!j.is_array()) return out;
    for (const auto& sh : j) {
        if (out.size() >= kFactMaxItems) break;
        if (auto id = id_of(sh)) out.push_back(*id);
    }
    return out;
}

std::vector<RepairSlot> repair_slots_of(const json& j) {
    std::vector<RepairSlot> out;
    if (!j.is_array()) return out;
    for (const auto& s : j) {
        if (out.size() >= kFactMaxSlots) break;
        if (!s.is_string() || s.get_ref<const std::string&>().size() > 32) continue;
        if (auto slot = parse_repair_slot(s.get_ref<const std::string&>())) out.push_back(*slot);
    }
    return out;
}

// One policy's overrides, each field in bounds; a policy that would end up inconsistent
// (locking out before the free tries are spent) keeps its default whole.
AttemptPolicy policy_of(const json& j, AttemptPolicy p) {
    if (!j.is_object()) return p;
    AttemptPolicy want = p;
    auto take_int = [&](const char* key, int& into, int lo, int hi) {
        const json& v = member(j, key);
        if (v.is_number_integer() && v.get<int64_t>() >= lo && v.get<int64_t>() <= hi) into = static_cast<int>(v.get<int64_t>());
    };
    auto take_s = [&](const char* key, double& into, double lo, double hi) {
        const json& v = member(j, key);
        if (v.is_number() && v.get<double>() >= lo && v.get<double>() <= hi) into = v.get<double>();
    };
    take_int("free_tries", want.free_tries, 1, 50);
    take_s("first_wait_s", want.first_wait_s, 0, 3600);
    take_int("lockout_after", want.lockout_after, 1, 50);
    take_s("lockout_s", want.lockout_s, 60, 86400);
    return want.free_tries <= want.lockout_after ? want : p;
}

AttemptLimits attempt_limits_of(const json& j) {
    AttemptLimits l;
    l.staff_sign_in = policy_of(member(j, "staff_sign_in"), l.staff_sign_in);
    l.household_verify_unit = policy_of(member(j, "household_verify_unit"), l.household_verify_unit);
    l.household_verify_kiosk = policy_of(member(j, "household_verify_kiosk"), l.household_verify_kiosk);
    l.pickup_code = policy_of(member(j, "pickup_code"), l.pickup_code);
    return l;
}

// A fact kept as plain text (not JSON): bounded, one line, no control characters.
std::string plain_text(const std::optional<std::string>& text, size_t max_bytes) {
    if (!text || text->size() > max_bytes) return {};
    for (unsigned char c : *text)
        if (c < 0x20 || c == 0x7f) return {};
    return *text;
}

std::string percent_encoded(std::string_view s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}
}  // namespace

LocalText local_text_from_json(const nlohmann::json& j, size_t max_bytes) {
    LocalText t;
    if (j.is_string()) {
        if (j.get_ref<const std::string&>().size() <= max_bytes) t.text[0] = j.get<std::string>();
        return t;
    }
    if (!j.is_object()) return t;
    for (Lang l : kAllLangs) {
        auto it = j.find(std::string(lang_code(l)));
        if (it != j.end() && it->is_string() && it->get_ref<const std::string&>().size() <= max_bytes)
            t.text[static_cast<int>(l)] = it->get<std::string>();
    }
    return t;
}

std::optional<RepairSlot> parse_repair_slot(std::string_view text) {
    trim(text);
    auto start = take_clock(text);
    if (!start) return std::nullopt;
    trim(text);
    if (text.empty() || text.front() != '-') return std::nullopt;
    text.remove_prefix(1);
    trim(text);
    auto end = take_clock(text);
    if (!end || !text.empty() || *end <= *start) return std::nullopt;
    return RepairSlot{*start, *end};
}

SiteFacts parse_site_facts(const FactSource& fact) {
    SiteFacts f;
    f.site_name = local_text_from_json(fact_json(fact("site_name")), 256);
    f.desk_phone = plain_text(fact("desk_phone"), 64);
    if (auto limits = fact("parcel_limits"); limits && limits->size() <= kFactMaxBytes)
        f.parcel_limits = parcel_limits_from_json(*limits);
    f.payment_url_template = plain_text(fact("payment_url_template"), 1024);
    f.repair_slots = repair_slots_of(fact_json(fact("repair_windows")));
    f.public_areas = public_areas_of(fact_json(fact("public_areas")));
    f.enquiry_topics = enquiry_topics_of(fact_json(fact("enquiry_topics")));
    f.survey = survey_of(fact_json(fact("survey")));
    f.parcel_shelves = shelves_of(fact_json(fact("parcel_shelves")));
    // Only a site that chose "warn" lets a clerk approve a pass over arrears.
    f.exit_pass_arrears_rule = fact("exit_pass_arrears_rule").value_or("block") == "warn" ? ArrearsRule::Warn : ArrearsRule::Block;
    f.attempt_limits = attempt_limits_of(fact_json(fact("attempt_limits")));
    return f;
}

SiteFacts parse_site_facts(const std::map<std::string, std::string, std::less<>>& facts) {
    return parse_site_facts([&](std::string_view key) -> std::optional<std::string> {
        auto it = facts.find(key);
        if (it == facts.end()) return std::nullopt;
        return it->second;
    });
}

std::vector<TimeWindow> repair_slots_offered(const SiteFacts& facts, std::time_t now) {
    std::vector<TimeWindow> out;
    std::tm today{};
    localtime_r(&now, &today);
    for (int day = 0; day < 3; ++day) {
        for (const RepairSlot& slot : facts.repair_slots) {
            // mktime carries a day past its month and 24:00 into the next day, and finds the
            // offset of the day itself (a slot on the day clocks change keeps its wall time).
            auto at = [&](int minute) {
                std::tm tm = today;
                tm.tm_mday += day;
                tm.tm_hour = minute / 60;
                tm.tm_min = minute % 60;
                tm.tm_sec = 0;
                tm.tm_isdst = -1;
                return std::mktime(&tm);
            };
            std::time_t start = at(slot.start_minute), end = at(slot.end_minute);
            // An hour's notice, so a repairer can be sent.
            if (start >= now + 3600 && end > start) out.push_back({start, end});
        }
    }
    return out;
}

std::optional<std::string> payment_url(const SiteFacts& facts, std::string_view site_id, std::string_view unit_id,
                                       int64_t owed_cents) {
    if (facts.payment_url_template.empty() || owed_cents <= 0) return std::nullopt;
    std::string url = facts.payment_url_template;
    auto put = [&](std::string_view placeholder, const std::string& value) {
        for (size_t p = url.find(placeholder); p != std::string::npos; p = url.find(placeholder, p + value.size()))
            url.replace(p, placeholder.size(), value);
    };
    put("{unit}", percent_encoded(unit_id));
    put("{amount}", percent_encoded(format_yuan(owed_cents, false)));
    put("{site}", percent_encoded(site_id));
    return url;
}

bool survey_open(const SurveyFacts& survey, std::time_t now) {
    std::string today = local_date(now, "%Y-%m-%d");
    return survey.opens <= today && (survey.closes.empty() || survey.closes >= today);
}

}  // namespace kiosk
