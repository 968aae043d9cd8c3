#include "kiosk/ui/features/site_facts_view.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "kiosk/store/store.hpp"
#include "kiosk/ui/features/enquiries.hpp"
#include "kiosk/ui/features/repair.hpp"
#include "kiosk/ui/features/survey.hpp"

namespace kiosk::ui {

namespace {
LocalText text_of(const nlohmann::json& t) {
    LocalText out;
    if (!t.is_object()) return out;
    for (Lang l : kAllLangs) {
        auto it = t.find(std::string(lang_code(l)));
        if (it != t.end() && it->is_string()) out.text[static_cast<int>(l)] = it->get<std::string>();
    }
    return out;
}
nlohmann::json fact(FeatureCtx& x, const char* key, const char* fallback) {
    return nlohmann::json::parse(x.store->site_fact(key).value_or(fallback), nullptr, false);
}
}  // namespace

SiteView load_site_view(Store& store, std::time_t now) {
    SiteView v;
    if (auto name = store.site_fact("site_name")) v.site_name = text_of(nlohmann::json::parse(*name, nullptr, false));
    v.desk_phone = store.site_fact("desk_phone").value_or("");
    char today[11];
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
    v.announcements = store.announcements(today);
    v.outbox_depth = store.outbox_depth();
    v.parcel_limits = parcel_limits_from_json(store.site_fact("parcel_limits").value_or("{}"));
    return v;
}

std::vector<TimeWindow> repair_windows_offered(FeatureCtx& x) {
    std::vector<TimeWindow> out;
    // The site's repair slots ("09:00-11:00"), offered today (with an hour's notice) and the next two days.
    auto slots = fact(x, "repair_windows", "[]");
    for (int day = 0; day < 3 && slots.is_array(); ++day) {
        for (auto& slot : slots) {
            if (!slot.is_string()) continue;
            int h1, m1, h2, m2;
            if (std::sscanf(slot.get<std::string>().c_str(), "%d:%d-%d:%d", &h1, &m1, &h2, &m2) != 4) continue;
            std::tm tm{};
            localtime_r(&x.st.wall_now, &tm);
            tm.tm_mday += day;
            tm.tm_sec = 0;
            tm.tm_isdst = -1;
            tm.tm_hour = h1;
            tm.tm_min = m1;
            std::time_t start = std::mktime(&tm);
            tm.tm_hour = h2;
            tm.tm_min = m2;
            tm.tm_isdst = -1;
            std::time_t end = std::mktime(&tm);
            if (start >= x.st.wall_now + 3600 && end > start) out.push_back({start, end});
        }
    }
    return out;
}

std::vector<PublicArea> public_areas(FeatureCtx& x) {
    std::vector<PublicArea> out;
    if (!x.store) return out;
    auto areas = fact(x, "public_areas", "[]");
    for (auto& a : areas.is_array() ? areas : nlohmann::json::array()) {
        if (!a.is_object() || !a.contains("id") || !a.contains("name") || !a["id"].is_string()) continue;
        out.push_back({a["id"].get<std::string>(), text_of(a["name"])});
    }
    return out;
}

std::vector<EnquiryTopic> enquiry_topics(FeatureCtx& x) {
    std::vector<EnquiryTopic> out;
    if (!x.store) return out;
    auto topics = fact(x, "enquiry_topics", "[]");
    for (auto& t : topics.is_array() ? topics : nlohmann::json::array()) {
        if (!t.is_object() || !t.contains("id") || !t["id"].is_string()) continue;
        EnquiryTopic topic;
        topic.id = t["id"].get<std::string>();
        if (t.contains("title")) topic.title = text_of(t["title"]);
        if (t.contains("body")) topic.body = text_of(t["body"]);
        out.push_back(std::move(topic));
    }
    return out;
}

void load_survey(FeatureCtx& x, SurveyState& sv) {
    if (!x.store) return;
    auto j = fact(x, "survey", "{}");
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) return;
    sv.id = j["id"].get<std::string>();
    if (j.contains("title")) sv.title = text_of(j["title"]);
    // The survey period: outside it there is nothing to answer (dates compare as text).
    std::tm tm{};
    localtime_r(&x.st.wall_now, &tm);
    char today[11];
    std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
    bool open = j.value("opens", std::string()) <= today &&
                (j.value("closes", std::string()).empty() || j.value("closes", std::string()) >= today);
    for (auto& q : j.value("questions", nlohmann::json::array()))
        if (open && q.is_object() && q.contains("id") && q.contains("text"))
            sv.questions.push_back({q["id"].get<std::string>(), text_of(q["text"])});
}

std::vector<std::string> parcel_shelves(FeatureCtx& x) {
    std::vector<std::string> out;
    auto shelves = fact(x, "parcel_shelves", "[]");
    if (shelves.is_array())
        for (auto& sh : shelves)
            if (sh.is_string()) out.push_back(sh.get<std::string>());
    return out;
}

ArrearsRule exit_pass_arrears_rule(FeatureCtx& x) {
    return x.store->site_fact("exit_pass_arrears_rule").value_or("block") == "warn" ? ArrearsRule::Warn : ArrearsRule::Block;
}

std::string payment_url(FeatureCtx& x, const std::string& unit_id, int64_t owed_cents) {
    std::string url = x.store->site_fact("payment_url_template").value_or("");
    if (url.empty() || owed_cents <= 0) return {};
    // The URL names the unit and the amount, never the resident.
    auto put = [&](std::string_view ph, const std::string& val) {
        for (size_t p = url.find(ph); p != std::string::npos; p = url.find(ph, p + val.size())) url.replace(p, ph.size(), val);
    };
    put("{unit}", unit_id);
    put("{amount}", format_yuan(owed_cents, false));
    put("{site}", x.store->site_id());
    return url;
}

}  // namespace kiosk::ui
