// Site data: upload a CSV of units, residents, fee statements or the catalogue for one site,
// see every bad row named (line, column, reason), then commit or cancel; export each data set as
// CSV. The preview's good rows wait in the store (csv_previews) under a random id bound to the
// uploader, for an hour, so the rows committed are exactly the rows previewed, the file is not sent
// twice, and any serve process of the store (or one restarted meanwhile) commits it. Uploads,
// commits, cancels and exports are audited.
#include <sodium.h>

#include <sstream>

#include "sync/server/console/pages.hpp"

namespace kiosk::headoffice::console {

namespace {

constexpr const char* kUploadable[] = {"units", "residents", "fee_items", "catalogue_items"};
constexpr const char* kExported[] = {"buildings", "units", "residents", "fee_items", "catalogue_items", "announcements", "staff"};

Html site_options(const std::vector<std::string>& sites, const std::string& chosen) {
    Html h;
    for (auto& s : sites) h << "<option"_html << (s == chosen ? " selected"_html : ""_html) << ">"_html << s << "</option>"_html;
    return h;
}

}  // namespace

PageOut site_data_page(const PageIn& in) {
    PageOut out;
    out.title = "Site data";
    SiteScope scope = site_scope(in.viewer);
    auto sites = in.data->sites(scope);
    std::string site = field(in.query, "site");
    if (site.empty() && !sites.empty()) site = sites.front();
    if (!site.empty() && !scope.allows(site)) return message_out(403, "Not in your scope", "This site is not one of yours.");
    Html& h = out.body;
    if (auto done = in.query.find("done"); done != in.query.end())
        h << R"(<div class="alert alert-success" role="status" id="done">)"_html << done->second << "</div>"_html;
    h << R"(<form method="get" action="/console/site-data" class="row g-2 align-items-end mb-3"><div class="col-auto"><label class="form-label" for="sd-site">Site</label>)"_html
      << R"(<select class="form-select form-select-sm" id="sd-site" name="site">)"_html << site_options(sites, site)
      << R"(</select></div><div class="col-auto"><button class="btn btn-sm btn-secondary" type="submit">Show</button></div></form>)"_html;
    if (site.empty()) return h << R"(<p id="no-sites">No site in your scope yet.</p>)"_html, out;
    h << R"(<h2 class="h5">Export</h2><ul id="exports">)"_html;
    for (const char* d : kExported)
        h << R"(<li><a href="/console/site-data.csv?site=)"_html << url_part(site) << "&amp;dataset="_html << d << "\">"_html << d
          << ".csv</a></li>"_html;
    h << "</ul>"_html;
    if (!may_act(in.viewer)) return out;
    h << R"(<h2 class="h5">Upload a CSV</h2><form method="post" action="/console/site-data/preview" enctype="multipart/form-data" class="row g-2 align-items-end" id="upload">)"_html
      << csrf_field(in.viewer.csrf) << R"(<input type="hidden" name="site" value=")"_html << site
      << R"("><div class="col-auto"><label class="form-label" for="sd-dataset">Data set</label><select class="form-select form-select-sm" id="sd-dataset" name="dataset">)"_html;
    for (const char* d : kUploadable) h << "<option>"_html << d << "</option>"_html;
    h << R"(</select></div><div class="col-auto"><label class="form-label" for="sd-file">CSV file (at most 4 MB)</label>)"_html
      << R"(<input class="form-control form-control-sm" type="file" id="sd-file" name="csv" accept=".csv,text/csv" required></div>)"_html
      << R"(<div class="col-auto form-check ms-2"><input class="form-check-input" type="checkbox" id="sd-replace" name="replace" value="1">)"_html
      << R"(<label class="form-check-label" for="sd-replace">Replace the whole data set</label></div>)"_html
      << R"(<div class="col-auto"><button class="btn btn-sm btn-primary" type="submit" id="sd-preview">Preview</button></div></form>)"_html;
    return out;
}

PageOut site_data_preview(const PageIn& in, const std::string& csv) {
    std::string site = field(in.form, "site"), dataset = field(in.form, "dataset");
    SiteScope scope = site_scope(in.viewer);
    if (!scope.allows(site)) return message_out(403, "Not in your scope", "This site is not one of yours.");
    if (!may_act(in.viewer)) return message_out(403, "Read only", "An analyst reads site data; a clerk or manager uploads it.");
    if (!console_uploadable(dataset)) return message_out(400, "Site data", "The console takes units, residents, fee_items or catalogue_items.");
    std::istringstream stream(csv);
    CsvPreview preview = preview_dataset_csv(dataset, stream);
    in.store.audit(in.viewer.name, "sitedata.preview", site + "/" + dataset, "",
                   std::to_string(preview.rows.size()) + " good rows, " + std::to_string(preview.bad_count) + " bad", in.address);
    PageOut out;
    out.title = "Preview: " + dataset + " for " + site;
    Html& h = out.body;
    h << R"(<p id="preview-summary">)"_html << static_cast<int64_t>(preview.rows.size()) << " good rows, " << preview.bad_count
      << " bad rows.</p>"_html;
    if (!preview.bad.empty()) {
        h << R"(<div class="alert alert-danger" id="bad-note">Nothing is imported while any row is bad: correct the file and upload it again.</div>)"_html
          << R"(<table class="table table-sm" id="bad-rows"><thead><tr><th scope="col">Line</th><th scope="col">Column</th><th scope="col">Why</th></tr></thead><tbody>)"_html;
        for (const BadCsvRow& b : preview.bad)
            h << "<tr><td>"_html << b.line << "</td><td>"_html << b.field << "</td><td>"_html << b.reason << "</td></tr>"_html;
        h << "</tbody></table>"_html;
    }
    if (!preview.ok()) {
        out.status = 422;
        return h << R"(<p><a href="/console/site-data?site=)"_html << url_part(site) << "\">Back to site data</a></p>"_html, out;
    }
    h << R"(<table class="table table-sm" id="good-rows"><thead><tr><th scope="col">Key</th><th scope="col">Row</th></tr></thead><tbody>)"_html;
    for (size_t i = 0; i < preview.rows.size() && i < 20; ++i)
        h << "<tr><td>"_html << preview.rows[i].key << "</td><td><code>"_html << preview.rows[i].body.dump() << "</code></td></tr>"_html;
    h << "</tbody></table>"_html;
    if (preview.rows.size() > 20) h << "<p>… and "_html << static_cast<int64_t>(preview.rows.size() - 20) << " more.</p>"_html;
    bool replace = field(in.form, "replace") == "1";
    auto kept = in.data->keep_csv_preview(in.viewer.name, site, preview, replace, in.now);
    if (!kept) return message_out(503, "Not kept", "The preview could not be kept for its commit; upload again.");
    const std::string& id = kept.value();
    h << R"(<div class="d-flex gap-2"><form method="post" action="/console/site-data/commit">)"_html << csrf_field(in.viewer.csrf)
      << R"(<input type="hidden" name="id" value=")"_html << id << R"("><button class="btn btn-primary" type="submit" id="sd-commit">)"_html
      << (replace ? "Replace the data set with these rows" : "Import these rows") << R"(</button></form><form method="post" action="/console/site-data/cancel">)"_html
      << csrf_field(in.viewer.csrf) << R"(<input type="hidden" name="id" value=")"_html << id
      << R"("><button class="btn btn-outline-secondary" type="submit" id="sd-cancel">Cancel</button></form></div>)"_html;
    return out;
}

PageOut site_data_post(const PageIn& in, const std::string& action) {
    // Kept in the store: any serve process of it commits or cancels it, for its uploader or an admin.
    auto shelved = in.data->take_csv_preview(field(in.form, "id"), in.viewer.name, in.viewer.admin(), in.now);
    if (!shelved) {
        const std::string& why = shelved.error().key;
        if (why == "console.error.preview_expired")
            return message_out(410, "Preview expired", "This preview was kept for an hour and has expired: nothing was imported; upload the file again.");
        if (why == "console.error.preview_not_yours")
            return message_out(403, "Not your preview", "Only the person who uploaded this file (or an admin) may commit or cancel it.");
        if (why == "console.error.preview_gone")
            return message_out(410, "Preview gone", "This preview is no longer kept (committed or cancelled); upload again.");
        return message_out(503, "Not imported", "the store failed; try again");
    }
    PageOut out;
    const std::string& site = shelved.value().site;
    if (action == "cancel") {
        in.store.audit(in.viewer.name, "sitedata.cancel", site + "/" + shelved.value().preview.dataset, "", "nothing imported", in.address);
        return out.redirect = "/console/site-data?site=" + url_part(site) + "&done=Cancelled%3A+nothing+imported.", out;
    }
    SiteScope scope = site_scope(in.viewer);
    if (!may_act(in.viewer) || !scope.allows(site)) return message_out(403, "Not in your scope", "This site is not one of yours.");
    auto n = in.data->commit_csv(scope, site, shelved.value().preview, shelved.value().replace);
    if (!n) return message_out(400, "Not imported", n.error().key == "headoffice.error.store" ? "the store failed; try again" : n.error().detail);
    in.store.audit(in.viewer.name, "sitedata.commit", site + "/" + shelved.value().preview.dataset, "",
                   std::to_string(n.value()) + " rows" + (shelved.value().replace ? " (replaced)" : "") +
                       (shelved.value().owner == in.viewer.name ? "" : " uploaded by " + shelved.value().owner),
                   in.address);
    out.redirect = "/console/site-data?site=" + url_part(site) + "&done=" + url_part("Imported " + std::to_string(n.value()) + " rows.");
    return out;
}

DownloadOut site_data_csv(const PageIn& in) {
    DownloadOut out;
    std::string site = field(in.query, "site"), dataset = field(in.query, "dataset");
    SiteScope scope = site_scope(in.viewer);
    if (!scope.allows(site)) return out.refused = message_out(403, "Not in your scope", "This site is not one of yours."), out;
    if (export_columns(dataset).empty()) return out.refused = message_out(404, "No such data set", "That data set is not exported."), out;
    out.filename = dataset + ".csv";
    auto audit = start_export_audit(in.store, in.viewer, in.address, "export.sitedata", site + "/" + dataset, dataset, scope, site);
    out.write = [data = in.data, audit, scope, site, dataset](const CsvSink& sink) {
        bool cut = false;
        auto rows = data->export_dataset(scope, site, dataset, [&](std::string_view piece) { return sink(piece) || (cut = true, false); });
        audit.end(rows ? rows.value() : 0, !rows ? "failed" : cut ? "cut short" : "");
    };
    return out;
}

}  // namespace kiosk::headoffice::console
