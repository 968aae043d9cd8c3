// Overview: per site in the viewer's scope, what needs doing now (open and overdue cases, parcels
// waiting, exit passes to review, loans out, kiosks offline); and one site's page with its kiosks.
#include "sync/server/console/pages.hpp"
#include "sync/server/fleet.hpp"

namespace kiosk::headoffice::console {

namespace {

Html count_with(int64_t n, int64_t bad, const char* bad_words) {
    Html h;
    h << n;
    if (bad > 0) h << R"( <span class="badge text-bg-danger">)"_html << bad << " " << bad_words << "</span>"_html;
    return h;
}

Html parcels_cell(const SiteOverview& o, int64_t now) {
    Html h;
    h << o.parcels_waiting;
    if (o.parcels_waiting > 0 && o.oldest_parcel_since > 0)
        h << R"( <span class="text-muted small">oldest )"_html << span_text(now - o.oldest_parcel_since) << "</span>"_html;
    return h;
}

Html overview_row(const SiteOverview& o, int64_t now) {
    Html h;
    h << "<tr><th scope=\"row\"><a href=\"/console/sites/"_html << url_part(o.site) << "\">"_html << o.site << "</a></th><td>"_html
      << count_with(o.open_repairs, o.overdue_repairs, "overdue") << "</td><td>"_html
      << count_with(o.open_complaints, o.overdue_complaints, "overdue") << "</td><td>"_html << parcels_cell(o, now) << "</td><td>"_html
      << o.exit_passes_pending << "</td><td>"_html << count_with(o.loans_out, o.loans_overdue, "overdue") << "</td><td>"_html
      << count_with(o.kiosks, o.kiosks_offline, "offline") << "</td></tr>"_html;
    return h;
}

constexpr auto kOverviewHead =
    R"(<div class="table-responsive"><table class="table table-sm table-striped align-middle" id="overview"><thead><tr><th scope="col">Site</th>)"
    R"(<th scope="col">Open repairs</th><th scope="col">Open complaints</th><th scope="col">Parcels waiting</th>)"
    R"(<th scope="col">Exit passes to review</th><th scope="col">Loans out</th><th scope="col">Kiosks</th></tr></thead><tbody>)"_html;

constexpr auto kOverviewNote =
    R"(<p class="text-muted small">Counts are what the kiosks have synced to head office: a kiosk offline has not told of its latest. )"
    R"("Overdue" is judged against the deadlines the kiosk stored on each case when it was filed (on site by, done by, reply by); )"
    R"(a complaint's resolution deadline from a severity set here later is not counted yet.</p>)"_html;

}  // namespace

PageOut overview_page(const PageIn& in) {
    PageOut out;
    out.title = "Overview";
    int page = page_number(in.query);
    int64_t total = in.store.sites_in_scope_count(site_scope(in.viewer));
    auto sites = in.store.sites_in_scope(site_scope(in.viewer), kPerPage, (page - 1) * kPerPage);
    Html& h = out.body;
    if (total == 0) {
        h << R"(<p id="no-sites">No site in your scope has data at head office yet.</p>)"_html;
        return out;
    }
    h << "<p>As of "_html << utc_text(in.now) << ".</p>"_html << kOverviewHead;
    for (auto& o : in.store.site_overviews(site_scope(in.viewer), sites, in.now)) h << overview_row(o, in.now);
    h << "</tbody></table></div>"_html << pager("/console/overview", page, total) << kOverviewNote;
    return out;
}

PageOut site_page(const PageIn& in) {
    PageOut out;
    out.title = "Site " + in.path_arg;
    if (!in.store.in_scope(site_scope(in.viewer), in.path_arg)) {
        out.status = 403;
        out.title = "Not in your scope";
        out.body = message_page("Not in your scope.", "This site is not one of yours; ask an admin if it should be.");
        return out;
    }
    SiteOverview o = in.store.site_overview(site_scope(in.viewer), in.path_arg, in.now);
    Html& h = out.body;
    h << "<p>As of "_html << utc_text(in.now) << ".</p>"_html << kOverviewHead << overview_row(o, in.now) << "</tbody></table></div>"_html;
    h << R"(<h2 class="h5 mt-4">Kiosks</h2><p><a href="/console/fleet?site=)"_html << url_part(in.path_arg)
      << "\">This site's kiosks on the Fleet page</a></p>"_html << kOverviewNote;
    return out;
}

}  // namespace kiosk::headoffice::console
