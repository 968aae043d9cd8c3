// Head office's store: repairs and complaints followed as cases (an office clerk's updates,
// published back to kiosks as case_status) and the cases the monthly statistics read.
#include "sync/server/headoffice_store.hpp"
#include "sync/server/store_rows.hpp"

#include "kiosk/core/site.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/console_data.hpp"
#include "sync/server/record_types.hpp"

namespace kiosk::headoffice {

namespace {
// How far up the case ladder (kiosk/core/site.hpp) a status is; -1 for one not on it.
int status_rank(const std::string& s) {
    auto status = parse_case_status(s);
    return status ? static_cast<int>(*status) : -1;
}
std::optional<int64_t> opt_int(const SqlRow& r, size_t i) {
    if (r.null(i)) return std::nullopt;
    return r.integer(i);
}
}  // namespace

CaseRow case_from_row(const SqlRow& r, size_t first) {
    auto at = [first](size_t i) { return first + i; };
    CaseRow c;
    c.ticket = r.text(at(0));
    c.record_id = r.text(at(1));
    c.kind = r.text(at(2));
    c.category = r.text(at(3));
    c.urgency = r.text(at(4));
    c.severity = r.text(at(5));
    if (!r.null(at(6))) c.valid = r.integer(at(6)) != 0;
    c.status = r.text(at(7));
    c.filed_at = r.integer(at(8));
    c.on_site_by = opt_int(r, at(9));
    c.done_by = opt_int(r, at(10));
    c.reply_by = opt_int(r, at(11));
    c.on_site_at = opt_int(r, at(12));
    c.done_at = opt_int(r, at(13));
    c.followed_up_at = opt_int(r, at(14));
    c.closed_at = opt_int(r, at(15));
    if (!r.null(at(16))) c.rating = static_cast<int>(r.integer(at(16)));
    c.closed_by = r.text(at(17));
    c.approved_by = r.text(at(18));
    c.result = r.text(at(19));
    return c;
}

std::vector<CaseRow> HeadOfficeStore::case_rows(const std::string& where, const SqlParams& params) {
    std::vector<CaseRow> out;
    for (auto& r : m_db->query(std::string("SELECT ") + kCaseRowColumns + " FROM cases WHERE " + where + " ORDER BY filed_at, ticket", params))
        out.push_back(case_from_row(r, 0));
    return out;
}

std::optional<CaseRow> HeadOfficeStore::case_row(const std::string& site, const std::string& ticket) {
    std::lock_guard lock(m_write);
    auto rows = case_rows("site = ? AND ticket = ?", {site, ticket});
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<CaseRow> HeadOfficeStore::cases_touching(const std::string& site, int64_t from, int64_t to) {
    std::lock_guard lock(m_write);
    return case_rows("site = ? AND ((filed_at >= ? AND filed_at < ?) OR (done_at >= ? AND done_at < ?) OR "
                     "(followed_up_at >= ? AND followed_up_at < ?))",
                     {site, from, to, from, to, from, to});
}

Result<CaseRow> HeadOfficeStore::update_case(const std::string& site, const std::string& ticket, const CaseUpdate& u) {
    auto fail = [](std::string why) -> Result<CaseRow> { return Error{"headoffice.error.case", std::move(why)}; };
    std::lock_guard lock(m_write);
    try {
        SqlWrite tx(*m_db, site);
        auto found = case_rows("site = ? AND ticket = ?", {site, ticket});
        if (found.empty()) return fail("no case " + ticket + " at site " + site + " (has its kiosk synced?)");
        CaseRow c = found.front();
        const CaseRow before = c;
        bool complaint = c.kind == "complaint";
        std::string assignee_was = m_db->row("SELECT coalesce(assignee, '') FROM cases WHERE site = ? AND ticket = ?", {site, ticket})->text(0);
        std::string assignee = assignee_was;
        if (u.assignee) {
            if (!sync::valid_id(*u.assignee, kMaxCaseNameBytes)) return fail("a worker's name is 1 to 100 bytes with no control character");
            assignee = *u.assignee;
            if (c.status == "registered" && !u.status) c.status = "dispatched";  // 派工: assigning dispatches
        }
        if (u.note.size() > kMaxCaseNoteBytes || !printable_text(u.note, true))
            return fail("a note is at most " + std::to_string(kMaxCaseNoteBytes) + " bytes, with no control character");
        if (u.by.size() > kMaxCaseNameBytes) return fail("a clerk's name is at most " + std::to_string(kMaxCaseNameBytes) + " bytes");
        if (u.severity) {
            if (!complaint) return fail("only a complaint has a severity");
            if (*u.severity != "major" && *u.severity != "important" && *u.severity != "minor")
                return fail("severity is major, important or minor, not '" + *u.severity + "'");
            c.severity = *u.severity;
        }
        if (u.valid) {
            if (!complaint) return fail("only a complaint is valid or communicative");
            c.valid = *u.valid;
        }
        if (u.on_site) {
            if (c.kind != "repair") return fail("only a repair has a repairer on site");
            if (!c.on_site_at) c.on_site_at = u.at;
        }
        if (u.rating && (*u.rating < 1 || *u.rating > 5)) return fail("a rating is 1 to 5");
        if (u.rating && u.status != "followed_up") return fail("a rating comes only with status followed_up");
        if (u.status) {
            int to = status_rank(*u.status), now = status_rank(c.status);
            if (to < 1) return fail("status is dispatched, in_progress, done, followed_up or closed, not '" + *u.status + "'");
            if (to < now) return fail("case " + ticket + " is already " + c.status + "; a status does not go back");
            if (*u.status == "followed_up" || *u.status == "closed") {
                if (!c.done_at) return fail("case " + ticket + " is not resolved yet: mark it done first");
            }
            if (*u.status == "done" && !c.done_at) c.done_at = u.at;
            if (*u.status == "followed_up" && !c.followed_up_at) {
                c.followed_up_at = u.at;
                if (u.rating) c.rating = *u.rating;
            }
            if (*u.status == "closed") {
                if (u.by.empty()) return fail("closing a case needs who closed it (closed_by)");
                if (complaint && c.severity == "major" && u.approved_by.empty())
                    return fail("a major complaint closes only with the manager's approval (approved_by)");
                c.closed_at = u.at;
                c.closed_by = u.by;
                c.approved_by = u.approved_by;
                c.result = u.result;
            }
            if (to > now) c.status = *u.status;
        }
        m_db->exec("UPDATE cases SET severity = ?, valid = ?, status = ?, on_site_at = ?, done_at = ?, followed_up_at = ?, "
                   "rating = ?, closed_at = ?, closed_by = ?, approved_by = ?, result = ?, assignee = ?, due_at = ? "
                   "WHERE site = ? AND ticket = ?",
                   {c.severity.empty() ? SqlParam{nullptr} : SqlParam{c.severity},
                    c.valid ? SqlParam{int64_t{*c.valid ? 1 : 0}} : SqlParam{nullptr}, c.status, nullable(c.on_site_at),
                    nullable(c.done_at), nullable(c.followed_up_at), c.rating ? SqlParam{int64_t{*c.rating}} : SqlParam{nullptr},
                    nullable(c.closed_at), c.closed_by, c.approved_by, c.result,
                    assignee.empty() ? SqlParam{nullptr} : SqlParam{assignee}, case_due_at(c), site, ticket});
        append_case_history(*m_db, site, ticket, before, assignee_was, c, assignee, u);
        publish_case_status(*m_db, site, ticket);
        tx.commit();
        return c;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace kiosk::headoffice
