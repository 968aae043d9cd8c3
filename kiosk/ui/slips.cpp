#include "kiosk/ui/slips.hpp"

#include "kiosk/ui/wording.hpp"

namespace kiosk::ui {

using print::Align;
using print::TextSize;

namespace {

void site_footer(print::Slip& s, const Catalog& cat, const AppState& st) {
    s.footer = st.site.facts.site_name.in(st.lang);
    if (!st.site.facts.desk_phone.empty())
        s.footer += "  " + cat.format(st.lang, "slip.desk_phone", {{"phone", st.site.facts.desk_phone}});
}

std::string yuan(const Catalog& cat, Lang lang, int64_t cents) {
    return cat.format(lang, "fees.amount", {{"amount", format_yuan(cents)}});
}

// The head of a receipt: what it is, and its ticket number large.
print::Slip ticket_slip(const Catalog& cat, Lang l, std::string kind, const std::string& ticket, const char* title_key,
                        const char* ticket_label_key) {
    print::Slip s;
    s.kind = std::move(kind);
    s.reference = ticket;
    s.title = cat.tr(l, title_key);
    s.text(cat.tr(l, ticket_label_key), TextSize::Small, Align::Centre).text(ticket, TextSize::Large, Align::Centre).rule();
    return s;
}

}  // namespace

print::Slip repair_receipt(const Catalog& cat, const AppState& st, const RepairState& r) {
    Lang l = st.lang;
    print::Slip s = ticket_slip(cat, l, "repair_receipt", r.ticket, "slip.repair.title", "repair.done.ticket");
    s.text(cat.tr(l, "repair.readback.category") + " " +
              cat.tr(l, "repair.category." + std::string(repair_category_id(static_cast<RepairCategory>(r.category)))))
        .text(cat.tr(l, "repair.readback.where") + " " + repair_location_text(cat, st, r))
        .text(cat.format(l, "slip.filed_at", {{"time", local_date(st.wall_now, "%Y-%m-%d %H:%M")}}))
        .rule()
        .text(repair_promise_text(cat, st, r), TextSize::Large)
        .text(repair_due_text(cat, st, r));
    if (r.promise.follow_up_by) s.text(cat.tr(l, "repair.promise.follow_up"));
    s.qr(r.ticket).text(cat.tr(l, "repair.done.qr_hint"), TextSize::Small, Align::Centre);
    site_footer(s, cat, st);
    return s;
}

print::Slip complaint_receipt(const Catalog& cat, const AppState& st, const ComplaintState& cs) {
    Lang l = st.lang;
    print::Slip s = ticket_slip(cat, l, "complaint_receipt", cs.ticket, "slip.complaint.title", "complaint.done.ticket");
    s.text(cat.tr(l, "complaint.kind." + std::string(complaint_kind_id(static_cast<ComplaintKind>(cs.kind)))))
        .text(cat.format(l, "slip.filed_at", {{"time", local_date(st.wall_now, "%Y-%m-%d %H:%M")}}))
        .rule()
        .text(cat.format(l, "complaint.promise", {{"time", deadline_text(cs.reply_by)}}), TextSize::Large)
        .qr(cs.ticket);
    site_footer(s, cat, st);
    return s;
}

print::Slip parcel_label(const Catalog& cat, const AppState& st, const Parcel& p, const std::string& flat_masked) {
    Lang l = st.lang;
    print::Slip s;
    s.kind = "parcel_label";
    s.reference = p.id;
    s.title = cat.tr(l, "slip.parcel.title");
    s.text(cat.tr(l, "slip.parcel.id"), TextSize::Small, Align::Centre)
        .text(p.id, TextSize::Large, Align::Centre)
        .rule()
        .text(flat_masked + "  " + p.recipient_masked, TextSize::Large)
        .text(cat.format(l, "slip.parcel.shelf", {{"shelf", p.shelf}}), TextSize::Large)
        .text(local_date(p.registered_at, "%Y-%m-%d %H:%M") + "  " + cat.tr(l, "parcel.carrier." + p.carrier))
        .code128(p.id)
        .qr(p.id);
    if (!p.consent) s.text(cat.tr(l, "slip.parcel.no_consent"), TextSize::Small);
    site_footer(s, cat, st);
    return s;
}

print::Slip exit_pass_slip(const Catalog& cat, const AppState& st, const ExitPass& p, const std::string& unit_text,
                           const std::string& requester_name) {
    Lang l = st.lang;
    print::Slip s;
    s.kind = "exit_pass";
    s.reference = p.id;
    s.title = cat.tr(l, "slip.exit.title");
    s.text(p.id, TextSize::Large, Align::Centre)
        .text(cat.format(l, "slip.exit.valid", {{"date", p.request.date},
                                                {"window", cat.tr(l, "exit.window." + p.request.window)}}),
              TextSize::Normal, Align::Centre)
        .rule()
        .text(unit_text + "  " + requester_name + " (" + cat.tr(l, "exit.role." + p.request.requester_role) + ")");
    for (auto& [item, qty] : p.request.items)
        s.text("  " + cat.format(l, "exit.quantity", {{"item", cat.tr(l, "exit.item." + item)}, {"qty", std::to_string(qty)}}),
               TextSize::Large);
    s.text(cat.tr(l, "exit.carrier." + p.request.carrier) + (p.request.plate.empty() ? "" : "  " + p.request.plate));
    s.text(cat.format(l, "slip.exit.approved", {{"staff", p.reviewed_by}}) +
           (p.overridden ? "  " + cat.tr(l, "exit.reason." + p.reason) : std::string()));
    s.code128(p.id).qr(p.id).text(cat.tr(l, "slip.exit.once"), TextSize::Small, Align::Centre);
    site_footer(s, cat, st);
    return s;
}

print::Slip fee_statement_slip(const Catalog& cat, const AppState& st, const FeesView& fees) {
    const FeeStatement& fs = fees.statement;
    Lang l = st.lang;
    print::Slip s;
    s.kind = "fee_statement";
    s.reference = st.session.household ? st.session.household->unit_id : std::string();
    s.title = cat.tr(l, "slip.fees.title");
    s.text(flat_text(st), TextSize::Large, Align::Centre)
        .text(cat.format(l, "slip.printed_at", {{"time", local_date(st.wall_now, "%Y-%m-%d %H:%M")}}), TextSize::Small,
              Align::Centre)
        .rule();
    for (const FeeMonth& m : fs.months) {
        s.text(m.month + "  " + (m.owed_cents > 0 ? cat.format(l, "fees.month_owed", {{"amount", yuan(cat, l, m.owed_cents)}})
                                                   : cat.tr(l, "fees.month_paid")));
        for (const FeeItem& it : m.items) {
            std::string kind_key = "fee.kind." + it.kind;
            s.text("    " + cat.tr(l, cat.has(l, kind_key) ? kind_key : "fee.kind.other") + "  " +
                       yuan(cat, l, it.amount_cents) + "  " + cat.tr(l, it.paid ? "fees.paid" : "fees.unpaid"),
                   TextSize::Small);
        }
    }
    s.rule().text(cat.format(l, "fees.total_owed", {{"amount", yuan(cat, l, fs.total_owed_cents)}}), TextSize::Large);
    if (fs.months_in_arrears > 0)
        s.text(cat.format(l, "fees.arrears", {{"months", std::to_string(fs.months_in_arrears)}}) +
               cat.tr(l, "fees.stage." + std::string(arrears_stage_id(fs.stage))));
    if (!fees.pay_url.empty()) s.qr(fees.pay_url).text(cat.tr(l, "fees.pay_hint"), TextSize::Small, Align::Centre);
    site_footer(s, cat, st);
    return s;
}

}  // namespace kiosk::ui
