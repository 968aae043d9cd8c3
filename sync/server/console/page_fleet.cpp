// Fleet: every kiosk in the viewer's scope (or one site's), offline and late first, with its last
// contact, outbox depth, dead letters and version, and fleet.cpp's reasons to look at it.
#include "sync/server/console/pages.hpp"
#include "sync/server/fleet.hpp"

namespace kiosk::headoffice::console {

namespace {
Markup status_badge(const std::string& status) {
    if (status == "offline") return R"(<span class="badge text-bg-danger">offline</span>)"_html;
    if (status == "late") return R"(<span class="badge text-bg-warning">late</span>)"_html;
    return R"(<span class="badge text-bg-success">online</span>)"_html;
}
}  // namespace

PageOut fleet_page(const PageIn& in) {
    PageOut out;
    out.title = "Fleet";
    std::string site;
    if (auto s = in.query.find("site"); s != in.query.end()) site = s->second;
    if (!site.empty() && !in.store.in_scope(site_scope(in.viewer), site)) {
        out.status = 403;
        out.title = "Not in your scope";
        out.body = message_page("Not in your scope.", "This site is not one of yours; ask an admin if it should be.");
        return out;
    }
    int page = page_number(in.query);
    int64_t total = in.store.fleet_count(site_scope(in.viewer), site);
    auto lines = in.store.fleet(site_scope(in.viewer), site, in.now, kPerPage, (page - 1) * kPerPage);
    Html& h = out.body;
    h << "<p>As of "_html << utc_text(in.now) << ": late after "_html << span_text(kLateAfterS) << " without a heartbeat, offline after "_html
      << span_text(kOfflineAfterS) << "."_html;
    if (!site.empty()) h << " Site "_html << site << R"(. <a href="/console/fleet">All your sites</a>)"_html;
    h << "</p>"_html;
    if (total == 0) {
        h << R"(<p id="no-kiosks">No kiosk in your scope yet.</p>)"_html;
        return out;
    }
    h << R"(<div class="table-responsive"><table class="table table-sm table-striped align-middle" id="fleet"><thead><tr>)"_html
      << R"(<th scope="col">Site</th><th scope="col">Kiosk</th><th scope="col">Status</th><th scope="col">Last contact</th>)"_html
      << R"(<th scope="col">Outbox</th><th scope="col">Dead letters</th><th scope="col">Version</th><th scope="col">Why</th></tr></thead><tbody>)"_html;
    for (const FleetLine& l : lines) {
        const FleetKiosk& k = l.kiosk;
        std::optional<int64_t> heard = k.heartbeat_at ? k.heartbeat_at : k.last_contact;
        h << "<tr><td>"_html << k.site << "</td><td>"_html << k.kiosk << "</td><td>"_html << status_badge(l.status) << "</td><td>"_html;
        if (heard) h << utc_text(*heard) << R"( <span class="text-muted small">()"_html << span_text(in.now - *heard) << " ago)</span>"_html;
        else h << "never"_html;
        h << "</td><td>"_html;
        if (k.heartbeat) h << k.heartbeat->outbox << "</td><td>"_html << k.heartbeat->dead_letters << "</td><td>"_html << k.heartbeat->version;
        else h << "–</td><td>–</td><td>–"_html;
        h << "</td><td>"_html;
        for (size_t i = 0; i < l.reasons.size(); ++i) h << (i ? "; " : "") << l.reasons[i];
        h << "</td></tr>"_html;
    }
    h << "</tbody></table></div>"_html << pager(site.empty() ? "/console/fleet" : "/console/fleet?site=" + url_part(site), page, total);
    return out;
}

}  // namespace kiosk::headoffice::console
