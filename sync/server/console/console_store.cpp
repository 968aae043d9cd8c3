// The console's tables (both dialects), staff accounts, the audit log and password hashing.
// Sessions and the throttle: console_sessions.cpp; the pages' scoped queries: console_queries.cpp.
#include "sync/server/console/console_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <ctime>
#include <semaphore>
#include <stdexcept>

#include "sync/common/protocol.hpp"

namespace kiosk::headoffice::console {

namespace {

// {ID} is the dialect's auto-numbered key. The audit log's id orders it (newest first).
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS console_schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS console_users (
  name TEXT PRIMARY KEY, role TEXT NOT NULL, all_sites INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0, password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL, password_changed_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS console_user_sites (name TEXT NOT NULL, site TEXT NOT NULL, PRIMARY KEY (name, site));
CREATE INDEX IF NOT EXISTS console_user_sites_site ON console_user_sites (site, name);
-- Only a hash of each session token: a copy of the store signs nobody in.
CREATE TABLE IF NOT EXISTS console_sessions (
  token_hash TEXT PRIMARY KEY, name TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, last_seen BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS console_sessions_name ON console_sessions (name);
-- Wrong passwords, per account ('account', name) and per address ('address', ip).
CREATE TABLE IF NOT EXISTS console_signin_failures (kind TEXT NOT NULL, key TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS console_signin_failures_key ON console_signin_failures (kind, key, at);
CREATE TABLE IF NOT EXISTS console_audit (
  id {ID}, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
  before_value TEXT NOT NULL, after_value TEXT NOT NULL, address TEXT NOT NULL
);
)sql";

// The database itself refuses to change or remove an audit row.
constexpr const char* kSqliteAppendOnly = R"sql(
CREATE TRIGGER IF NOT EXISTS console_audit_no_update BEFORE UPDATE ON console_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS console_audit_no_delete BEFORE DELETE ON console_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";
constexpr const char* kPostgresAppendOnly = R"sql(
CREATE OR REPLACE FUNCTION console_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
DROP TRIGGER IF EXISTS console_audit_no_change ON console_audit;
CREATE TRIGGER console_audit_no_change BEFORE UPDATE OR DELETE ON console_audit
FOR EACH ROW EXECUTE FUNCTION console_audit_append_only();
)sql";

// The console tables' version: an older lobby-headoffice refuses a store whose console is newer.
constexpr int64_t kConsoleSchemaVersion = 1;

int64_t unix_now() { return static_cast<int64_t>(std::time(nullptr)); }

std::string join_sites(const StaffUser& u) {
    if (u.all_sites) return "*";
    std::string out;
    for (auto& s : u.sites) out += (out.empty() ? "" : ",") + s;
    return out;
}

// Argon2id needs 64 MB each: a flood of sign-ins waits here rather than exhausting memory.
std::counting_semaphore<2>& hashing_slots() {
    static std::counting_semaphore<2> slots(2);
    return slots;
}
struct HashingSlot {
    HashingSlot() { hashing_slots().acquire(); }
    ~HashingSlot() { hashing_slots().release(); }
};

}  // namespace

bool valid_role(std::string_view role) {
    return std::any_of(std::begin(kRoles), std::end(kRoles), [&](const char* r) { return role == r; });
}

bool valid_user_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

std::string hash_password(const std::string& password) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
    char out[crypto_pwhash_STRBYTES];
    HashingSlot slot;
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw std::runtime_error("out of memory hashing a password");
    return out;
}

bool password_matches(const std::string& hash, const std::string& password) {
    if (sodium_init() < 0) return false;
    HashingSlot slot;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string new_token() { return sync::random_hex(32); }

std::string token_hash(const std::string& token) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

std::string form_token(const std::string& token) {
    static const std::string kPurpose = "lobby-console form token";
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(kPurpose.data()), kPurpose.size(),
                       reinterpret_cast<const unsigned char*>(token.data()), std::min<size_t>(token.size(), crypto_generichash_KEYBYTES_MAX));
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

bool same_token(const std::string& a, const std::string& b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::unique_ptr<ConsoleStore>> ConsoleStore::open(const std::string& where) {
    if (sodium_init() < 0) return Error{"headoffice.error.open", "libsodium failed to start"};
    std::unique_ptr<ConsoleStore> s(new ConsoleStore);
    try {
        s->m_db = is_postgres_dsn(where) ? open_postgres(where) : open_sqlite(where);
        SqlWrite tx(*s->m_db, "");
        s->migrate();
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.open", e.what()};
    }
    return s;
}

void ConsoleStore::migrate() {
    bool postgres = std::string_view(m_db->dialect()) == "postgresql";
    int64_t found = table_exists(*m_db, "console_schema_version") ? m_db->row("SELECT coalesce(max(version), 0) FROM console_schema_version")->integer(0) : 0;
    if (found > kConsoleSchemaVersion)
        throw std::runtime_error("the console's tables are at version " + std::to_string(found) + ", newer than this lobby-headoffice knows (" +
                                 std::to_string(kConsoleSchemaVersion) + "); install the newer version again");
    std::string schema = kSchema;
    auto at = schema.find("{ID}");
    schema.replace(at, 4, postgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
    m_db->script(schema);
    m_db->script(postgres ? kPostgresAppendOnly : kSqliteAppendOnly);
    // The Overview's index on the sync store's cases is the store's own (HeadOfficeStore schema 4,
    // cases_open_overdue); the one made here before then is dropped by that step.
    // Steps for later versions go here, each guarded by `found`.
    if (found < kConsoleSchemaVersion) {
        m_db->exec("DELETE FROM console_schema_version");
        m_db->exec("INSERT INTO console_schema_version (version) VALUES (?)", {kConsoleSchemaVersion});
    }
}

Result<Ok> ConsoleStore::add_user(const StaffUser& u, const std::string& password, const std::string& actor, const std::string& address) {
    if (!valid_user_name(u.name)) return Error{"console.error.name", "a user name is 1 to 64 of A-Z a-z 0-9 . _ -"};
    if (!valid_role(u.role)) return Error{"console.error.role", "the role is admin, manager, clerk or analyst"};
    if (!u.all_sites && u.sites.empty()) return Error{"console.error.sites", "name at least one site, or all sites"};
    // One rule for every page and export: an admin sees every site (site_scope); a site list
    // would be shown here and ignored there, so it is refused, not stored.
    if (u.role == "admin" && (!u.all_sites || !u.sites.empty()))
        return Error{"console.error.sites", kAdminSitesRefused};
    for (auto& s : u.sites)
        if (!sync::valid_id(s)) return Error{"console.error.sites", "a site id is 1 to 128 bytes with no control character"};
    if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes)
        return Error{"console.error.password", "a password is " + std::to_string(kMinPasswordBytes) + " to " +
                                                   std::to_string(kMaxPasswordBytes) + " bytes"};
    std::string hash = hash_password(password);  // before the lock: it takes a tenth of a second
    {
        std::lock_guard lock(m_lock);
        try {
            SqlWrite tx(*m_db, "");
            if (m_db->row("SELECT 1 FROM console_users WHERE name = ?", {u.name}))
                return Error{"console.error.exists", "there is already a user " + u.name};
            int64_t now = unix_now();
            m_db->exec("INSERT INTO console_users (name, role, all_sites, disabled, password_hash, created_at, password_changed_at) "
                       "VALUES (?, ?, ?, 0, ?, ?, ?)",
                       {u.name, u.role, int64_t{u.all_sites}, hash, now, now});
            for (auto& s : u.sites) m_db->exec("INSERT INTO console_user_sites (name, site) VALUES (?, ?) ON CONFLICT DO NOTHING", {u.name, s});
            tx.commit();
        } catch (const std::exception& e) {
            return Error{"headoffice.error.store", e.what()};
        }
    }
    audit(actor, "user.add", u.name, "", "role=" + u.role + " sites=" + join_sites(u), address);
    return Ok{};
}

Result<Ok> ConsoleStore::set_disabled(const std::string& name, bool disabled, const std::string& actor, const std::string& address) {
    {
        std::lock_guard lock(m_lock);
        try {
            SqlWrite tx(*m_db, "");
            auto was = m_db->row("SELECT disabled FROM console_users WHERE name = ?", {name});
            if (!was) return Error{"console.error.no_user", "no such user"};
            m_db->exec("UPDATE console_users SET disabled = ? WHERE name = ?", {int64_t{disabled}, name});
            // A disabled account's sessions end now, not at their expiry.
            if (disabled) m_db->exec("DELETE FROM console_sessions WHERE name = ?", {name});
            tx.commit();
        } catch (const std::exception& e) {
            return Error{"headoffice.error.store", e.what()};
        }
    }
    audit(actor, disabled ? "user.disable" : "user.enable", name, disabled ? "enabled" : "disabled", disabled ? "disabled" : "enabled", address);
    return Ok{};
}

Result<Ok> ConsoleStore::set_password(const std::string& name, const std::string& password, const std::string& actor,
                                      const std::string& address) {
    if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes)
        return Error{"console.error.password", "a password is " + std::to_string(kMinPasswordBytes) + " to " +
                                                   std::to_string(kMaxPasswordBytes) + " bytes"};
    std::string hash = hash_password(password);
    {
        std::lock_guard lock(m_lock);
        try {
            SqlWrite tx(*m_db, "");
            if (!m_db->row("SELECT 1 FROM console_users WHERE name = ?", {name})) return Error{"console.error.no_user", "no such user"};
            m_db->exec("UPDATE console_users SET password_hash = ?, password_changed_at = ? WHERE name = ?", {hash, unix_now(), name});
            m_db->exec("DELETE FROM console_sessions WHERE name = ?", {name});  // signed in elsewhere with the old one: out
            m_db->exec("DELETE FROM console_signin_failures WHERE kind = 'account' AND key = ?", {name});
            tx.commit();
        } catch (const std::exception& e) {
            return Error{"headoffice.error.store", e.what()};
        }
    }
    audit(actor, "user.password", name, "", "(new password set)", address);  // never the password
    return Ok{};
}

std::optional<StaffUser> ConsoleStore::user(const std::string& name) {
    std::lock_guard lock(m_lock);
    auto r = m_db->row("SELECT name, role, all_sites, disabled, created_at FROM console_users WHERE name = ?", {name});
    if (!r) return std::nullopt;
    StaffUser u{r->text(0), r->text(1), r->integer(2) != 0, {}, r->integer(3) != 0, r->integer(4)};
    for (auto& s : m_db->query("SELECT site FROM console_user_sites WHERE name = ? ORDER BY site", {name})) u.sites.push_back(s.text(0));
    return u;
}

std::vector<StaffUser> ConsoleStore::users(int limit, int offset) {
    std::lock_guard lock(m_lock);
    std::vector<StaffUser> out;
    auto rows = m_db->query("SELECT name, role, all_sites, disabled, created_at FROM console_users ORDER BY name LIMIT ? OFFSET ?",
                            {int64_t{limit}, int64_t{offset}});
    for (auto& r : rows) {
        StaffUser u{r.text(0), r.text(1), r.integer(2) != 0, {}, r.integer(3) != 0, r.integer(4)};
        for (auto& s : m_db->query("SELECT site FROM console_user_sites WHERE name = ? ORDER BY site LIMIT 50", {u.name}))
            u.sites.push_back(s.text(0));
        out.push_back(std::move(u));
    }
    return out;
}

int64_t ConsoleStore::user_count() {
    std::lock_guard lock(m_lock);
    return m_db->row("SELECT count(*) FROM console_users")->integer(0);
}

int64_t ConsoleStore::audit(const std::string& actor, const std::string& action, const std::string& target, const std::string& before,
                            const std::string& after, const std::string& address) {
    std::lock_guard lock(m_lock);
    auto rows = m_db->query("INSERT INTO console_audit (at, actor, action, target, before_value, after_value, address) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {unix_now(), actor.substr(0, 64), action, target.substr(0, 200), before.substr(0, 1000), after.substr(0, 1000),
                             address.substr(0, 64)});
    return rows.empty() ? 0 : rows.front().integer(0);
}

std::vector<AuditEntry> ConsoleStore::audit_log(int limit, int offset) {
    std::lock_guard lock(m_lock);
    std::vector<AuditEntry> out;
    for (auto& r : m_db->query("SELECT id, at, actor, action, target, before_value, after_value, address FROM console_audit "
                               "ORDER BY id DESC LIMIT ? OFFSET ?",
                               {int64_t{limit}, int64_t{offset}}))
        out.push_back({r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7)});
    return out;
}

int64_t ConsoleStore::audit_count() {
    std::lock_guard lock(m_lock);
    return m_db->row("SELECT count(*) FROM console_audit")->integer(0);
}

}  // namespace kiosk::headoffice::console
