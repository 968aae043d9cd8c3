#pragma once
// Rows of head office's tables as more than one reader needs them: the store's own reads (the
// statistics, the CLI, `lobby-headoffice fleet`) and the console's (headoffice_console_data.cpp,
// console/console_queries.cpp). One list of columns and one reader each.
#include <cstddef>
#include <cstdint>

#include "sync/server/headoffice_store.hpp"

namespace kiosk::headoffice {

// A case: 20 columns of `cases`, in the order case_from_row reads them.
inline constexpr const char* kCaseRowColumns =
    "ticket, record_id, kind, category, coalesce(urgency, ''), coalesce(severity, ''), valid, status, filed_at, on_site_by, "
    "done_by, reply_by, on_site_at, done_at, followed_up_at, closed_at, rating, coalesce(closed_by, ''), coalesce(approved_by, ''), "
    "coalesce(result, '')";
// The case in columns [first, first + 20) of a row selected with kCaseRowColumns.
CaseRow case_from_row(const SqlRow& r, size_t first);

// A kiosk of the fleet: 7 columns of `kiosks k LEFT JOIN fleet_state f`, in the order
// fleet_kiosk_from_row reads them (first).
inline constexpr const char* kFleetRowColumns =
    "k.site, k.kiosk, k.added_at, CASE WHEN k.revoked_at IS NOT NULL THEN 1 ELSE 0 END, f.last_contact, f.heartbeat_at, f.heartbeat";
// The kiosk, its last heartbeat read back through the heartbeat's checks, and its dead letters an
// hour before `now` (from `db`'s fleet_history) when it has a heartbeat.
FleetKiosk fleet_kiosk_from_row(SqlDb& db, const SqlRow& r, int64_t now);

}  // namespace kiosk::headoffice
