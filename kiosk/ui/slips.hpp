#pragma once
// The slips residents take away, in the language they were using: the repair receipt and the fee
// statement. Built between frames from the app's state; printing happens on the queue's thread.
#include "kiosk/core/i18n.hpp"
#include "kiosk/core/exit_pass.hpp"
#include "kiosk/print/slip.hpp"
#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/features/complaint.hpp"
#include "kiosk/ui/features/fees.hpp"
#include "kiosk/ui/features/repair.hpp"

namespace kiosk::ui {

// Ticket, category, place, when it was filed, the promise, and the ticket as a QR code.
print::Slip repair_receipt(const Catalog& cat, const AppState& st, const RepairState& r);
// Ticket, kind, when it was filed, the promised reply time, and the ticket as a QR code.
print::Slip complaint_receipt(const Catalog& cat, const AppState& st, const ComplaintState& cs);
// The label stuck on a parcel on the shelf, in view of anyone at the desk: the parcel id large (the
// desk's pickup screen names the same id), the flat masked ("1栋 1*2", UnitNames::masked), the
// masked recipient, the shelf, date and carrier, and the parcel id as Code 128 and QR. Never the
// pickup code: whoever reads the label must not be able to collect the parcel with it.
print::Slip parcel_label(const Catalog& cat, const AppState& st, const Parcel& p, const std::string& flat_masked);
// An approved exit pass for the gate: what goes out, when, who asked, approved by whom, and the
// pass id as Code 128 and QR (valid once, on its day).
print::Slip exit_pass_slip(const Catalog& cat, const AppState& st, const ExitPass& p, const std::string& unit_text,
                           const std::string& requester_name);
// The household's months, paid and owed, the total, the arrears stage, and the payment QR.
print::Slip fee_statement_slip(const Catalog& cat, const AppState& st, const FeesView& fees);

}  // namespace kiosk::ui
