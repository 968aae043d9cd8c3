// Audit log (admins): every sign-in, failed or refused sign-in, sign-out and change to an account,
// newest first, paged in SQL. There is nothing here to edit it with, and the database refuses it.
#include "sync/server/console/pages.hpp"

namespace kiosk::headoffice::console {

PageOut audit_page(const PageIn& in) {
    PageOut out;
    out.title = "Audit log";
    int page = page_number(in.query);
    int64_t total = in.store.audit_count();
    Html& h = out.body;
    h << R"(<div class="table-responsive"><table class="table table-sm table-striped" id="audit"><thead><tr><th scope="col">When</th>)"_html
      << R"(<th scope="col">Who</th><th scope="col">What</th><th scope="col">Of</th><th scope="col">Before</th><th scope="col">After</th>)"_html
      << R"(<th scope="col">From</th></tr></thead><tbody>)"_html;
    for (const AuditEntry& e : in.store.audit_log(kPerPage, (page - 1) * kPerPage))
        h << "<tr><td>"_html << utc_text(e.at) << "</td><td>"_html << e.actor << "</td><td>"_html << e.action << "</td><td>"_html << e.target
          << "</td><td>"_html << e.before << "</td><td>"_html << e.after << "</td><td>"_html << e.address << "</td></tr>"_html;
    h << "</tbody></table></div>"_html << pager("/console/audit", page, total);
    return out;
}

}  // namespace kiosk::headoffice::console
