#pragma once
// The head-office console's part of the store: staff accounts (role, sites in scope, an Argon2id
// hash), sign-in sessions (only a hash of each token kept), the sign-in throttle, the append-only
// audit log, and the read queries of the console's pages, each scoped to the viewer in its SQL.
// It keeps a connection of its own to the same database as HeadOfficeStore (a SQLite file or a
// PostgreSQL DSN), so the console's tables and queries never grow into the sync store.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/result.hpp"
#include "sync/server/console_data.hpp"  // SiteScope
#include "sync/server/fleet.hpp"
#include "sync/server/sql_db.hpp"

namespace kiosk::headoffice::console {

inline const char* const kRoles[] = {"admin", "manager", "clerk", "analyst"};
bool valid_role(std::string_view role);
// 1 to 64 of A-Z a-z 0-9 . _ -
bool valid_user_name(std::string_view name);
inline constexpr size_t kMinPasswordBytes = 10, kMaxPasswordBytes = 128;

inline constexpr int kAccountFailures = 5;        // wrong passwords for one account ...
inline constexpr int kAddressFailures = 20;       // ... or from one address (an office behind one NAT) ...
inline constexpr int64_t kThrottleWindowS = 15 * 60;  // ... within this refuse it, until fewer are within this
inline constexpr int64_t kSessionLifeS = 12 * 3600;   // a session ends this long after sign-in ...
inline constexpr int64_t kSessionIdleS = 30 * 60;     // ... or after this long unused

struct StaffUser {
    std::string name, role;
    bool all_sites = false;
    std::vector<std::string> sites;
    bool disabled = false;
    int64_t created_at = 0;
};

// Who is asking: the user of a live session, and the session's form token.
// Why an admin account with a site list is refused (add-user and the Users page).
inline constexpr const char* kAdminSitesRefused =
    "an admin sees every site and manages every account, so an admin takes no site list; "
    "give --all-sites (or no site), or make the account a manager of those sites";

struct Viewer {
    std::string name, role;
    bool all_sites = false;
    std::vector<std::string> sites;
    std::string csrf;
    bool admin() const { return role == "admin"; }
};

struct SignInOutcome {
    enum Kind { signed_in, wrong, refused, disabled } kind = wrong;
    std::string token;          // signed_in: the session token for the cookie (never stored)
    int64_t refused_until = 0;  // refused: when the account or address may try again
    bool by_address = false;    // refused: the address, not the account
};

struct AuditEntry {
    int64_t id = 0, at = 0;
    std::string actor, action, target, before, after, address;
};

// One site's figures on the Overview, as of `now`.
struct SiteOverview {
    std::string site;
    int64_t open_repairs = 0, open_complaints = 0, overdue_repairs = 0, overdue_complaints = 0;
    int64_t parcels_waiting = 0;
    int64_t oldest_parcel_since = 0;  // registered_at (Unix s) of the oldest waiting parcel, 0 if none
    int64_t exit_passes_pending = 0, loans_out = 0, loans_overdue = 0;
    int64_t kiosks = 0, kiosks_offline = 0;
};

class ConsoleStore {
public:
    static Result<std::unique_ptr<ConsoleStore>> open(const std::string& where);

    // Accounts. Every change is audited with `actor` and `address` ("cli" from the command line).
    Result<Ok> add_user(const StaffUser& u, const std::string& password, const std::string& actor, const std::string& address);
    Result<Ok> set_disabled(const std::string& name, bool disabled, const std::string& actor, const std::string& address);
    Result<Ok> set_password(const std::string& name, const std::string& password, const std::string& actor, const std::string& address);
    std::optional<StaffUser> user(const std::string& name);
    std::vector<StaffUser> users(int limit, int offset);
    int64_t user_count();

    // Sign-in: throttled per account and per address (kept in the store: a restart forgives
    // nothing), audited whatever the outcome. Password checks run at most two at a time.
    SignInOutcome sign_in(const std::string& name, const std::string& password, const std::string& address, int64_t now);
    // The viewer of a live session (its idle clock restarted), or nothing.
    std::optional<Viewer> session(const std::string& token, int64_t now);
    void sign_out(const std::string& token, const std::string& address, int64_t now);

    // The audit log: appended, never changed (no call here updates or deletes a row; the
    // database refuses it too). Newest first, paged in SQL.
    // Returns the new entry's id (an export's closing entry names its opening one).
    int64_t audit(const std::string& actor, const std::string& action, const std::string& target, const std::string& before,
                  const std::string& after, const std::string& address);
    std::vector<AuditEntry> audit_log(int limit, int offset);
    int64_t audit_count();

    // Scope, decided in SQL from the viewer's SiteScope (console_bridge.cpp's site_scope, the one
    // rule): whether a site is in it; the sites head office knows that are in it, paged.
    bool in_scope(const SiteScope& scope, const std::string& site);
    std::vector<std::string> sites_in_scope(const SiteScope& scope, int limit, int offset);
    int64_t sites_in_scope_count(const SiteScope& scope);
    SiteOverview site_overview(const SiteScope& scope, const std::string& site, int64_t now);
    // The Overview's page of sites at once (in their order; a site out of scope all zeros), in a
    // fixed number of grouped queries whatever the number of sites.
    std::vector<SiteOverview> site_overviews(const SiteScope& scope, const std::vector<std::string>& sites, int64_t now);
    // Kiosks in scope (one site, or all: ""), offline and late first within a site, paged in SQL,
    // judged by fleet.cpp.
    std::vector<FleetLine> fleet(const SiteScope& scope, const std::string& site, int64_t now, int limit, int offset);
    int64_t fleet_count(const SiteScope& scope, const std::string& site);

    const char* dialect() const { return m_db->dialect(); }
    SqlDb& db_for_tests() { return *m_db; }

private:
    ConsoleStore() = default;
    void migrate();
    std::optional<Viewer> viewer_of(const std::string& name);
    int64_t failures(const char* kind, const std::string& key, int64_t now, int64_t limit, int64_t* until);
    std::unique_ptr<SqlDb> m_db;
    std::mutex m_lock;  // one connection, one statement at a time
    int64_t m_counts_folded_at = 0;  // steady seconds: the Overview folds case_counts at most every 10 s
};

// Argon2id (libsodium crypto_pwhash_str, interactive limits), at most two at a time in the process.
std::string hash_password(const std::string& password);
bool password_matches(const std::string& hash, const std::string& password);
// A fresh random token (hex) and the hash the store keeps of it.
std::string new_token();
std::string token_hash(const std::string& token);
// The form token of a session (or of a sign-in form's pre-session cookie): derived from its token.
std::string form_token(const std::string& token);
bool same_token(const std::string& a, const std::string& b);

}  // namespace kiosk::headoffice::console
