// Sign-in, sessions and the sign-in throttle of the head-office console (ConsoleStore).
#include <algorithm>

#include "sync/server/console/console_store.hpp"

namespace kiosk::headoffice::console {

namespace {
// A hash to check a password against when the name is unknown, so that an unknown name takes as
// long to refuse as a wrong password (the names of staff are not told by the clock).
const std::string& decoy_hash() {
    static const std::string h = hash_password(new_token());
    return h;
}
}  // namespace

// Whether `kind`/`key` has `limit` wrong passwords within the window before `now`; if so, `until`:
// when the oldest of the newest `limit` leaves the window (the count then falls below the limit).
int64_t ConsoleStore::failures(const char* kind, const std::string& key, int64_t now, int64_t limit, int64_t* until) {
    auto r = m_db->row("SELECT at FROM console_signin_failures WHERE kind = ? AND key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                       {std::string(kind), key, now - kThrottleWindowS, limit - 1});
    if (!r) return 0;
    *until = r->integer(0) + kThrottleWindowS;
    return limit;
}

SignInOutcome ConsoleStore::sign_in(const std::string& name, const std::string& password, const std::string& address, int64_t now) {
    SignInOutcome out;
    std::optional<SqlRow> account;
    {
        std::lock_guard lock(m_lock);
        int64_t last_account = 0, last_address = 0;
        int64_t by_account = failures("account", name, now, kAccountFailures, &last_account);
        int64_t by_address = failures("address", address, now, kAddressFailures, &last_address);
        if (by_account >= kAccountFailures || by_address >= kAddressFailures) {
            out.kind = SignInOutcome::refused;
            out.by_address = by_account < kAccountFailures;
            out.refused_until = out.by_address ? last_address : last_account;
        } else {
            account = m_db->row("SELECT password_hash, disabled FROM console_users WHERE name = ?", {name});
        }
    }
    if (out.kind == SignInOutcome::refused) {
        audit(name, "signin.refused", name, "", out.by_address ? "address throttled" : "account throttled", address);
        return out;
    }
    // The slow check outside the lock: other requests go on meanwhile.
    bool matches = password_matches(account ? account->text(0) : decoy_hash(), password) && account;
    if (!matches) {
        {
            std::lock_guard lock(m_lock);
            SqlWrite tx(*m_db, "");
            m_db->exec("INSERT INTO console_signin_failures (kind, key, at) VALUES ('account', ?, ?), ('address', ?, ?)",
                       {name, now, address, now});
            // Old failures go as new ones come: the table holds at most a window's worth.
            m_db->exec("DELETE FROM console_signin_failures WHERE at <= ?", {now - kThrottleWindowS});
            tx.commit();
        }
        audit(name, "signin.failed", name, "", "wrong name or password", address);
        out.kind = SignInOutcome::wrong;
        return out;
    }
    if (account->integer(1) != 0) {
        audit(name, "signin.disabled", name, "", "account disabled", address);
        out.kind = SignInOutcome::disabled;
        return out;
    }
    out.token = new_token();
    {
        std::lock_guard lock(m_lock);
        SqlWrite tx(*m_db, "");
        m_db->exec("INSERT INTO console_sessions (token_hash, name, created_at, expires_at, last_seen) VALUES (?, ?, ?, ?, ?)",
                   {token_hash(out.token), name, now, now + kSessionLifeS, now});
        m_db->exec("DELETE FROM console_signin_failures WHERE kind = 'account' AND key = ?", {name});
        m_db->exec("DELETE FROM console_sessions WHERE expires_at <= ? OR last_seen <= ?", {now, now - kSessionIdleS});
        tx.commit();
    }
    audit(name, "signin", name, "", "", address);
    out.kind = SignInOutcome::signed_in;
    return out;
}

std::optional<Viewer> ConsoleStore::session(const std::string& token, int64_t now) {
    if (token.size() != 64) return std::nullopt;
    std::lock_guard lock(m_lock);
    std::string hash = token_hash(token);
    auto r = m_db->row("SELECT s.name, s.last_seen, u.role, u.all_sites FROM console_sessions s JOIN console_users u ON u.name = s.name "
                       "WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen > ? AND u.disabled = 0",
                       {hash, now, now - kSessionIdleS});
    if (!r) return std::nullopt;
    // The idle clock restarts at most once a minute: a page of requests writes once.
    if (r->integer(1) < now - 60) m_db->exec("UPDATE console_sessions SET last_seen = ? WHERE token_hash = ?", {now, hash});
    Viewer v{r->text(0), r->text(2), r->integer(3) != 0, {}, form_token(token)};
    for (auto& s : m_db->query("SELECT site FROM console_user_sites WHERE name = ? ORDER BY site LIMIT 200", {v.name}))
        v.sites.push_back(s.text(0));
    return v;
}

void ConsoleStore::sign_out(const std::string& token, const std::string& address, int64_t) {
    std::string name;
    {
        std::lock_guard lock(m_lock);
        std::string hash = token_hash(token);
        auto r = m_db->row("SELECT name FROM console_sessions WHERE token_hash = ?", {hash});
        if (!r) return;
        name = r->text(0);
        m_db->exec("DELETE FROM console_sessions WHERE token_hash = ?", {hash});
    }
    audit(name, "signout", name, "", "", address);
}

}  // namespace kiosk::headoffice::console
