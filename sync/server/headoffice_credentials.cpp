// Head office's store: credentials. Kiosks' secrets over their life (enrolment, rotation,
// revocation) and the signatures already seen (PROTOCOL.md, "Key life cycle"); households' PINs,
// kept only as Argon2id hashes kiosks pull ("Household proof and threat model").
#include "sync/server/headoffice_store.hpp"

#include <sodium.h>

#include "kiosk/core/household.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/record_types.hpp"
#include "sync/server/store_clock.hpp"

namespace kiosk::headoffice {

Result<std::string> HeadOfficeStore::add_kiosk(const std::string& site, const std::string& kiosk, bool force) {
    std::lock_guard lock(m_write);
    if (!sync::valid_id(site) || !sync::valid_id(kiosk) || site.find('-') != std::string::npos || kiosk.find('-') != std::string::npos)
        return Error{"headoffice.error.kiosk", "site and kiosk ids are 1 to 128 bytes, with no '-' and no control character"};
    std::string code = sync::random_hex(8);
    try {
        SqlWrite tx(*m_db, site);
        m_db->exec("INSERT INTO kiosks (site, kiosk, enrol_code, added_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (site, kiosk) DO UPDATE SET enrol_code = excluded.enrol_code, revoked_at = NULL",
                   {site, kiosk, code, utc_now()});
        // A secret issued for an earlier code and never used is dropped; with --force the one in
        // use goes too, so a copied secret stops now rather than when the kiosk re-enrols.
        m_db->exec("UPDATE kiosks SET secret = NULL, secret_code = NULL WHERE site = ? AND kiosk = ? AND secret_confirmed = 0",
                   {site, kiosk});
        if (force)
            m_db->exec("UPDATE kiosks SET secret = NULL, old_secret = NULL, secret_code = NULL, secret_confirmed = 0 "
                       "WHERE site = ? AND kiosk = ?",
                       {site, kiosk});
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.kiosk", e.what()};
    }
    return code;
}

Result<std::string> HeadOfficeStore::register_kiosk(const std::string& site, const std::string& kiosk,
                                                    const std::string& enrol_code) {
    std::lock_guard lock(m_write);
    SqlWrite tx(*m_db, site);
    auto k = m_db->row("SELECT enrol_code, secret, secret_code, secret_confirmed FROM kiosks WHERE site = ? AND kiosk = ?",
                       {site, kiosk});
    if (!k || k->null(0) || !sync::signatures_equal(k->text(0), enrol_code))
        return Error{"headoffice.error.enrol", "unknown kiosk or enrolment code"};
    // The same answer until the kiosk first signs a request with it: a kiosk that lost power
    // before it kept the secret can ask again; after that first use the code is spent.
    if (!k->null(1) && !k->null(2) && sync::signatures_equal(k->text(2), enrol_code)) return k->text(1);
    std::string secret = sync::random_hex(32);
    // A rotation: the secret in use keeps working until the kiosk first signs with the new one.
    if (k->integer(3) != 0)
        m_db->exec("UPDATE kiosks SET old_secret = secret WHERE site = ? AND kiosk = ?", {site, kiosk});
    m_db->exec("UPDATE kiosks SET secret = ?, secret_code = ?, secret_confirmed = 0 WHERE site = ? AND kiosk = ?",
               {secret, enrol_code, site, kiosk});
    tx.commit();
    return secret;
}

Result<Ok> HeadOfficeStore::revoke_kiosk(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    try {
        SqlWrite tx(*m_db, site);
        if (m_db->exec("UPDATE kiosks SET secret = NULL, old_secret = NULL, enrol_code = NULL, secret_code = NULL, "
                       "secret_confirmed = 0, revoked_at = ? WHERE site = ? AND kiosk = ?",
                       {utc_now(), site, kiosk}) != 1)
            return Error{"headoffice.error.kiosk", "no kiosk " + kiosk + " at site " + site};
        tx.commit();
    } catch (const std::exception& e) {
        return Error{"headoffice.error.kiosk", e.what()};
    }
    return Ok{};
}

std::optional<KioskInfo> HeadOfficeStore::kiosk_info(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    auto k = m_db->row("SELECT secret IS NOT NULL AND secret_confirmed = 1, enrol_code IS NOT NULL, old_secret IS NOT NULL, "
                       "revoked_at IS NOT NULL FROM kiosks WHERE site = ? AND kiosk = ?",
                       {site, kiosk});
    if (!k) return std::nullopt;
    auto yes = [&](size_t i) { return k->text(i) == "1" || k->text(i) == "t" || k->text(i) == "true"; };
    return KioskInfo{yes(0), yes(1), yes(2), yes(3)};
}

void HeadOfficeStore::kiosk_used_secret(const std::string& site, const std::string& kiosk, const std::string& secret) {
    std::lock_guard lock(m_write);
    m_db->exec("UPDATE kiosks SET enrol_code = NULL, secret_code = NULL, old_secret = NULL, secret_confirmed = 1 "
               "WHERE site = ? AND kiosk = ? AND secret_confirmed = 0 AND secret = ?",
               {site, kiosk, secret});
}

std::optional<KioskSecrets> HeadOfficeStore::kiosk_secrets(const std::string& site, const std::string& kiosk) {
    std::lock_guard lock(m_write);
    auto k = m_db->row("SELECT secret, secret_confirmed, old_secret FROM kiosks WHERE site = ? AND kiosk = ? "
                       "AND (secret IS NOT NULL OR old_secret IS NOT NULL)",
                       {site, kiosk});
    if (!k) return std::nullopt;
    return KioskSecrets{k->text(0), k->integer(1) != 0, k->text(2)};
}

void HeadOfficeStore::prune_seen_requests(int64_t now, int64_t window_s) {
    int64_t last = m_seen_pruned_at.load();
    if (now - last < 60 || !m_seen_pruned_at.compare_exchange_strong(last, now)) return;
    {
        std::lock_guard lock(m_write);
        m_db->exec("DELETE FROM seen_requests WHERE at < ?", {now - 2 * window_s});
    }
    fold_case_counts();  // the Overview's counts, a row a site and kind again (PostgreSQL)
}

bool HeadOfficeStore::first_sighting(const std::string& signature, int64_t now, int64_t window_s) {
    prune_seen_requests(now, window_s);
    std::lock_guard lock(m_write);
    return m_db->exec("INSERT INTO seen_requests (signature, at) VALUES (?, ?) ON CONFLICT (signature) DO NOTHING",
                      {signature, now}) == 1;
}

Result<std::string> HeadOfficeStore::issue_household_pin(const std::string& site, const std::string& unit) {
    auto fail = [](std::string why) -> Result<std::string> { return Error{"headoffice.error.household_pin", std::move(why)}; };
    std::lock_guard lock(m_write);
    if (!sync::valid_id(site) || !sync::valid_id(unit)) return fail("site and unit ids are 1 to 128 bytes with no control character");
    std::string pin = new_household_pin();
    auto hash = household_pin_hash(pin);
    if (!hash) return fail("out of memory hashing the PIN");
    try {
        SqlWrite tx(*m_db, site);
        if (!m_db->row("SELECT 1 FROM site_rows WHERE site = ? AND dataset = 'units' AND key = ? AND deleted = 0", {site, unit}))
            return fail("no unit " + unit + " at site " + site);
        nlohmann::json body{{"unit", unit}, {"pin_hash", *hash}, {"locked", false}};
        put_site_row(*m_db, site, "household_pins", unit, body.dump());
        m_db->exec("DELETE FROM site_pin_failures WHERE site = ? AND unit = ?", {site, unit});
        tx.commit();
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    return pin;
}

Result<size_t> HeadOfficeStore::issue_all_household_pins(const std::string& site,
                                                         const std::function<Result<Ok>(const UnitPins&)>& hand_over) {
    auto fail = [](std::string why) -> Result<size_t> { return Error{"headoffice.error.household_pin", std::move(why)}; };
    if (!sync::valid_id(site)) return fail("a site id is 1 to 128 bytes with no control character");
    std::vector<std::string> units;
    {
        std::lock_guard lock(m_write);
        try {
            for (auto& r : m_db->query("SELECT key FROM site_rows WHERE site = ? AND dataset = 'units' AND deleted = 0 ORDER BY key", {site}))
                units.push_back(r.text(0));
        } catch (const std::exception& e) {
            return fail(e.what());
        }
    }
    if (units.empty()) return fail("site " + site + " has no units");
    // Hashing is slow on purpose (~30 ms a PIN): done before the store is locked.
    UnitPins pins;
    struct Wipe {  // the PINs leave memory with this function, whichever way it returns
        UnitPins& pins;
        ~Wipe() {
            for (auto& p : pins) sodium_memzero(p.second.data(), p.second.size());
        }
    } wipe{pins};
    std::vector<std::string> hashes;
    pins.reserve(units.size());
    hashes.reserve(units.size());
    for (auto& unit : units) {
        std::string pin = new_household_pin();
        auto hash = household_pin_hash(pin);
        if (!hash) return fail("out of memory hashing a PIN");
        pins.emplace_back(unit, pin);
        sodium_memzero(pin.data(), pin.size());  // a short string's bytes stay in it when moved
        hashes.push_back(std::move(*hash));
    }
    if (auto given = hand_over(pins); !given) return given.error();
    std::lock_guard lock(m_write);
    try {
        SqlWrite tx(*m_db, site);
        for (size_t i = 0; i < units.size(); ++i) {
            nlohmann::json body{{"unit", units[i]}, {"pin_hash", hashes[i]}, {"locked", false}};
            put_site_row(*m_db, site, "household_pins", units[i], body.dump());
        }
        m_db->exec("DELETE FROM site_pin_failures WHERE site = ?", {site});
        tx.commit();
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    return units.size();
}

std::optional<bool> HeadOfficeStore::household_locked(const std::string& site, const std::string& unit) {
    std::lock_guard lock(m_write);
    auto pins = live_site_row(*m_db, site, "household_pins", unit);
    if (!pins) return std::nullopt;
    return household_pins_locked(*pins);
}

}  // namespace kiosk::headoffice
