// Versioned schema. A migration is appended, never edited once shipped: kiosks in the field
// upgrade by running every step newer than their PRAGMA user_version, all in one transaction.
#include <array>
#include <string_view>

#include <SQLiteCpp/Transaction.h>

#include "kiosk/store/store.hpp"

namespace kiosk {

namespace {
constexpr std::array<std::string_view, 18> kMigrations{
    // 1: the outbox and the reference data of one site.
    R"sql(
CREATE TABLE kiosk_sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO kiosk_sequence VALUES ('record', 0);

-- Every record a person was told is saved; kept locally after head office has it.
CREATE TABLE records (
  id             TEXT PRIMARY KEY,
  type           TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  payload        TEXT NOT NULL CHECK (json_valid(payload)),
  created_at     TEXT NOT NULL,
  local_seq      INTEGER NOT NULL UNIQUE
);
-- What head office has not acknowledged yet, in the kiosk's own order.
CREATE TABLE outbox (
  local_seq      INTEGER PRIMARY KEY,
  record_id      TEXT NOT NULL UNIQUE REFERENCES records(id),
  schema_version INTEGER NOT NULL,
  attempts       INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT
);

CREATE TABLE site_facts (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE buildings (id TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL);
CREATE TABLE units (
  id TEXT PRIMARY KEY,
  building_id TEXT NOT NULL REFERENCES buildings(id) ON DELETE CASCADE,
  floor INTEGER NOT NULL,
  label TEXT NOT NULL
);
CREATE TABLE residents (
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
  name_masked TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'tenant', 'family')),
  verify_salt TEXT NOT NULL,
  verify_hash TEXT NOT NULL
);
CREATE TABLE fee_items (
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  paid INTEGER NOT NULL CHECK (paid IN (0, 1))
);
CREATE TABLE catalogue_items (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  stock INTEGER NOT NULL CHECK (stock >= 0),
  deposit_cents INTEGER NOT NULL,
  loan_days INTEGER NOT NULL
);
CREATE TABLE announcements (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL
);
CREATE TABLE staff (
  staff_no TEXT PRIMARY KEY,
  name_masked TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
  pin_hash TEXT NOT NULL
);
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
)sql",
    // 2: repair requests (报修), each with the ticket the resident was given and what was promised.
    R"sql(
CREATE TABLE repairs (
  ticket         TEXT PRIMARY KEY,
  record_id      TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  unit_id        TEXT,          -- no foreign key: a case outlives changes to the directory
  public_area    TEXT,
  category       TEXT NOT NULL,
  urgency        TEXT NOT NULL CHECK (urgency IN ('emergency', 'appointment')),
  window_start   INTEGER,
  window_end     INTEGER,
  description    TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
  contact_resident_id TEXT NOT NULL,
  contact_phone_masked TEXT NOT NULL,
  registered_at  INTEGER NOT NULL,
  on_site_by     INTEGER NOT NULL,
  done_by        INTEGER NOT NULL,
  follow_up_by   INTEGER,
  status         TEXT NOT NULL DEFAULT 'registered'
                 CHECK (status IN ('registered', 'dispatched', 'in_progress', 'done', 'followed_up', 'closed')),
  CHECK ((unit_id IS NULL) <> (public_area IS NULL)),
  CHECK (urgency = 'emergency' OR (window_start IS NOT NULL AND window_end > window_start))
);
CREATE INDEX repairs_by_unit ON repairs (unit_id, registered_at);
)sql",
    // 3: complaints and suggestions (投诉建议): an open case; staff set the severity later.
    R"sql(
CREATE TABLE complaints (
  ticket         TEXT PRIMARY KEY,
  record_id      TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  unit_id        TEXT,          -- no foreign key: a case outlives changes to the directory
  kind           TEXT NOT NULL,
  what           TEXT NOT NULL CHECK (length(what) BETWEEN 1 AND 1500),
  where_text     TEXT NOT NULL,
  when_text      TEXT NOT NULL,
  about          TEXT,
  wants          TEXT NOT NULL,
  contact_resident_id TEXT NOT NULL,
  contact_phone_masked TEXT NOT NULL,
  filed_at       INTEGER NOT NULL,
  reply_by       INTEGER NOT NULL,
  severity       TEXT CHECK (severity IN ('major', 'important', 'minor')),
  status         TEXT NOT NULL DEFAULT 'registered'
                 CHECK (status IN ('registered', 'dispatched', 'in_progress', 'done', 'followed_up', 'closed'))
);
CREATE INDEX complaints_by_unit ON complaints (unit_id, filed_at);
)sql",
    // 4: the follow-up (回访) a resident gives once the work is done: a rating and a comment.
    R"sql(
CREATE TABLE follow_ups (
  ticket     TEXT PRIMARY KEY,
  record_id  TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment    TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 600),
  rated_at   INTEGER NOT NULL
);
)sql",
    // 5: questions the enquiry screen could not answer, for staff to answer (咨询登记).
    R"sql(
CREATE TABLE questions (
  ticket        TEXT PRIMARY KEY,
  record_id     TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  question      TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 900),
  phone_masked  TEXT NOT NULL,
  asked_at      INTEGER NOT NULL,
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered'))
);
)sql",
    // 6: satisfaction survey answers (满意度调查): one per household per survey. An anonymous
    // answer keeps only a one-way key of the household, enough to refuse a second answer.
    R"sql(
CREATE TABLE survey_answers (
  survey_id     TEXT NOT NULL,
  household_key TEXT NOT NULL,
  record_id     TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  unit_id       TEXT,
  answers       TEXT NOT NULL CHECK (json_valid(answers)),
  answered_at   INTEGER NOT NULL,
  PRIMARY KEY (survey_id, household_key)
);
)sql",
    // 7: household PINs, an alternative to the phone's last digits for households that prefer one
    // (an elderly resident without a phone of their own). Head office sends only a salted hash.
    R"sql(
CREATE TABLE household_pins (
  unit_id   TEXT PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
  salt      TEXT NOT NULL,
  verifier  TEXT NOT NULL
);
)sql",
    // 8: parcels the desk keeps (代收快递). A pickup code is unique among waiting parcels, and a
    // carrier's tracking number is registered once; both are enforced here, not only checked.
    R"sql(
CREATE TABLE parcels (
  id               TEXT PRIMARY KEY,
  record_id        TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  tracking         TEXT NOT NULL,
  carrier          TEXT NOT NULL,
  unit_id          TEXT NOT NULL,
  recipient_masked TEXT NOT NULL,
  shelf            TEXT NOT NULL CHECK (length(shelf) BETWEEN 1 AND 12),
  pickup_code      TEXT NOT NULL CHECK (length(pickup_code) = 6),
  status           TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'collected', 'returned')),
  consent          INTEGER NOT NULL,
  extra_days       INTEGER NOT NULL DEFAULT 0,
  registered_at    INTEGER NOT NULL,
  collected_at     INTEGER,
  collected_how    TEXT,
  handed_by        TEXT
);
CREATE UNIQUE INDEX parcels_waiting_code ON parcels (pickup_code) WHERE status = 'waiting';
CREATE UNIQUE INDEX parcels_tracking ON parcels (carrier, tracking);
CREATE INDEX parcels_unit ON parcels (unit_id, status);
-- Households that agreed to the desk keeping their parcels (site data).
CREATE TABLE parcel_consent (unit_id TEXT PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE);
)sql",
    // 9: exit passes (物品搬出放行): requested by a household, reviewed at the desk, used once at the
    // gate. Each change of state is a conditional update, so two desks or two gates cannot both
    // act on one pass.
    R"sql(
CREATE TABLE exit_passes (
  id             TEXT PRIMARY KEY,
  record_id      TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  unit_id        TEXT NOT NULL,
  requester_id   TEXT NOT NULL,
  requester_role TEXT NOT NULL,
  items          TEXT NOT NULL CHECK (json_valid(items)),
  pass_date      TEXT NOT NULL,
  time_window    TEXT NOT NULL,
  carrier        TEXT NOT NULL,
  plate          TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'used')),
  reason         TEXT,
  reviewed_by    TEXT,
  overridden     INTEGER NOT NULL DEFAULT 0,
  requested_at   INTEGER NOT NULL,
  reviewed_at    INTEGER,
  used_at        INTEGER
);
CREATE INDEX exit_passes_status ON exit_passes (status, pass_date);
)sql",
    // 10: item loans (便民物品借用). A loan is written only while the item has stock left (a
    // conditional insert in the lending transaction), so two kiosks on one store cannot both lend
    // the last one.
    R"sql(
CREATE TABLE loans (
  id           TEXT PRIMARY KEY,
  record_id    TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  item_id      TEXT NOT NULL,
  unit_id      TEXT NOT NULL,
  borrower_id  TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'out' CHECK (status IN ('out', 'returned')),
  condition    TEXT,
  lent_at      INTEGER NOT NULL,
  due_at       INTEGER NOT NULL,
  returned_at  INTEGER,
  received_by  TEXT
);
CREATE INDEX loans_out ON loans (status, item_id);
)sql",
    // 11: reminders sent about waiting parcels, one per parcel and stage (remind, overdue,
    // return_soon), so a sweep can run as often as it likes.
    R"sql(
CREATE TABLE parcel_reminders (
  parcel_id  TEXT NOT NULL,
  stage      TEXT NOT NULL,
  record_id  TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (parcel_id, stage)
);
)sql",
    // 12: what a household does about its own parcels, and how a hand-over was proved. A proxy
    // code is one-time and expires; a newer one for the same parcel revokes the older. A signature
    // drawn at the desk is kept as the strokes drawn and as a picture of them.
    R"sql(
CREATE TABLE parcel_proxy_codes (
  code       TEXT NOT NULL CHECK (length(code) = 6),
  parcel_id  TEXT NOT NULL REFERENCES parcels(id),
  record_id  TEXT NOT NULL UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  issued_at  INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX parcel_proxy_codes_code ON parcel_proxy_codes (code);
CREATE INDEX parcel_proxy_codes_parcel ON parcel_proxy_codes (parcel_id);
CREATE TABLE parcel_signatures (
  record_id TEXT PRIMARY KEY REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  strokes   TEXT NOT NULL CHECK (json_valid(strokes)),
  png       BLOB NOT NULL
);
)sql",
    // 13: sync with head office. The store's generation, drawn once when the file is made, goes
    // into every record id, so a reinstalled kiosk starting its sequence again makes new ids.
    // Records head office refused (dead letters) and records that lost a race with another kiosk
    // (conflicts) are kept for staff; pull cursors are stored with the rows they brought.
    R"sql(
CREATE TABLE store_identity (generation TEXT NOT NULL CHECK (length(generation) = 6));
INSERT INTO store_identity VALUES (lower(hex(randomblob(3))));
CREATE TABLE dead_letters (
  record_id  TEXT PRIMARY KEY REFERENCES records(id),
  local_seq  INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  at         TEXT NOT NULL
);
CREATE TABLE sync_conflicts (
  record_id  TEXT PRIMARY KEY REFERENCES records(id),
  reason     TEXT NOT NULL,
  winner     TEXT,
  at         TEXT NOT NULL,
  seen_by    TEXT
);
CREATE TABLE sync_cursors (dataset TEXT PRIMARY KEY, cursor INTEGER NOT NULL);
CREATE TABLE sync_config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
    // 14: the site's parcels, not only this kiosk's: a parcel registered at another kiosk of the
    // site arrives by sync (the `parcels` data set) with no record here (record_id NULL) and the
    // kiosk it came from. Head office keeps pickup codes unique across the site, giving a parcel
    // that lost a clash a new code; until this kiosk hears of it, two waiting parcels may share a
    // code, so the index on waiting codes is no longer unique. A proxy code a household made at
    // another kiosk arrives with its parcel (proxy_code, proxy_expires_at). (SQLite cannot alter
    // a column: the table is rebuilt, its children's foreign keys checked at commit.)
    R"sql(
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE parcels_before AS SELECT * FROM parcels;
DROP TABLE parcels;
CREATE TABLE parcels (
  id               TEXT PRIMARY KEY,
  record_id        TEXT UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  origin_kiosk     TEXT,
  tracking         TEXT NOT NULL,
  carrier          TEXT NOT NULL,
  unit_id          TEXT NOT NULL,
  recipient_masked TEXT NOT NULL,
  shelf            TEXT NOT NULL CHECK (length(shelf) BETWEEN 1 AND 12),
  pickup_code      TEXT NOT NULL CHECK (length(pickup_code) = 6),
  status           TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'collected', 'returned')),
  consent          INTEGER NOT NULL,
  extra_days       INTEGER NOT NULL DEFAULT 0,
  registered_at    INTEGER NOT NULL,
  collected_at     INTEGER,
  collected_how    TEXT,
  handed_by        TEXT,
  proxy_code       TEXT CHECK (proxy_code IS NULL OR length(proxy_code) = 6),
  proxy_expires_at INTEGER,
  CHECK ((record_id IS NULL) = (origin_kiosk IS NOT NULL))
);
INSERT INTO parcels (id, record_id, tracking, carrier, unit_id, recipient_masked, shelf, pickup_code, status, consent,
                     extra_days, registered_at, collected_at, collected_how, handed_by)
  SELECT id, record_id, tracking, carrier, unit_id, recipient_masked, shelf, pickup_code, status, consent,
         extra_days, registered_at, collected_at, collected_how, handed_by FROM parcels_before;
DROP TABLE parcels_before;
CREATE INDEX parcels_waiting_code ON parcels (pickup_code) WHERE status = 'waiting';
CREATE UNIQUE INDEX parcels_tracking ON parcels (carrier, tracking);
CREATE INDEX parcels_unit ON parcels (unit_id, status);
)sql",
    // 15: the site's exit passes and loans, as 14 did for parcels: a pass requested at the lobby
    // kiosk is reviewed at the desk and shown at the gate; an item lent at one kiosk is returned
    // at another, and stock counts the site's loans. Another kiosk's pass or loan has no record
    // here and names the kiosk it came from.
    R"sql(
CREATE TEMP TABLE exit_passes_before AS SELECT * FROM exit_passes;
DROP TABLE exit_passes;
CREATE TABLE exit_passes (
  id             TEXT PRIMARY KEY,
  record_id      TEXT UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  origin_kiosk   TEXT,
  unit_id        TEXT NOT NULL,
  requester_id   TEXT NOT NULL,
  requester_role TEXT NOT NULL,
  items          TEXT NOT NULL CHECK (json_valid(items)),
  pass_date      TEXT NOT NULL,
  time_window    TEXT NOT NULL,
  carrier        TEXT NOT NULL,
  plate          TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'used')),
  reason         TEXT,
  reviewed_by    TEXT,
  overridden     INTEGER NOT NULL DEFAULT 0,
  requested_at   INTEGER NOT NULL,
  reviewed_at    INTEGER,
  used_at        INTEGER,
  CHECK ((record_id IS NULL) = (origin_kiosk IS NOT NULL))
);
INSERT INTO exit_passes (id, record_id, unit_id, requester_id, requester_role, items, pass_date, time_window, carrier, plate,
                         status, reason, reviewed_by, overridden, requested_at, reviewed_at, used_at)
  SELECT id, record_id, unit_id, requester_id, requester_role, items, pass_date, time_window, carrier, plate,
         status, reason, reviewed_by, overridden, requested_at, reviewed_at, used_at FROM exit_passes_before;
DROP TABLE exit_passes_before;
CREATE INDEX exit_passes_status ON exit_passes (status, pass_date);
CREATE TEMP TABLE loans_before AS SELECT * FROM loans;
DROP TABLE loans;
CREATE TABLE loans (
  id           TEXT PRIMARY KEY,
  record_id    TEXT UNIQUE REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  origin_kiosk TEXT,
  item_id      TEXT NOT NULL,
  unit_id      TEXT NOT NULL,
  borrower_id  TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'out' CHECK (status IN ('out', 'returned')),
  condition    TEXT,
  lent_at      INTEGER NOT NULL,
  due_at       INTEGER NOT NULL,
  returned_at  INTEGER,
  received_by  TEXT,
  CHECK ((record_id IS NULL) = (origin_kiosk IS NOT NULL))
);
INSERT INTO loans (id, record_id, item_id, unit_id, borrower_id, status, condition, lent_at, due_at, returned_at, received_by)
  SELECT id, record_id, item_id, unit_id, borrower_id, status, condition, lent_at, due_at, returned_at, received_by
  FROM loans_before;
DROP TABLE loans_before;
CREATE INDEX loans_out ON loans (status, item_id);
)sql",
    // 16: a clerk marks a refused record or a conflict handled; the desk and the top bar's ring
    // then stop asking for attention. What was handled, by whom and when, is kept.
    R"sql(
ALTER TABLE dead_letters ADD COLUMN seen_by TEXT;
ALTER TABLE dead_letters ADD COLUMN seen_at TEXT;
ALTER TABLE sync_conflicts ADD COLUMN seen_at TEXT;
)sql",
    // 17: the household proves itself with a PIN the desk hands out (issue #13, C14), kept only as
    // an Argon2id hash string; head office may lock a household the site's kiosks saw guessed at,
    // and this kiosk keeps its own wrong PINs per flat.
    // The phone digits no longer prove anything: their salted SHA-256 (4 digits, cracked in a
    // moment, and shown half by the masked phone) leaves the kiosk's disk, as do the old 6-digit
    // PINs' salted SHA-256. The household_pins cursor starts over, so the next pull brings every
    // household's hash again.
    R"sql(
DROP TABLE household_pins;
CREATE TABLE household_pins (
  unit_id   TEXT PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
  pin_hash  TEXT NOT NULL,
  locked    INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1))
);
ALTER TABLE residents DROP COLUMN verify_salt;
ALTER TABLE residents DROP COLUMN verify_hash;
DELETE FROM sync_cursors WHERE dataset = 'household_pins';
-- This kiosk's wrong PINs per flat (each also a household.pin_failed record), so the flat's
-- 15-minute lock here outlives a restart of the kiosk.
CREATE TABLE household_pin_failures (
  record_id TEXT PRIMARY KEY REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
  unit_id   TEXT NOT NULL,
  at        INTEGER NOT NULL
);
CREATE INDEX household_pin_failures_unit ON household_pin_failures (unit_id, at);
)sql",
    // An announcement head office wrote for some buildings of the site: their ids as a JSON list
    // ('[]': every building), as announcement_buildings took them from the row.
    R"sql(
ALTER TABLE announcements ADD COLUMN buildings TEXT NOT NULL DEFAULT '[]';
)sql",
};
}  // namespace

int Store::latest_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(SQLite::Database& db, int up_to) {
    int current = db.execAndGet("PRAGMA user_version").getInt();
    int last = up_to > 0 ? up_to : static_cast<int>(kMigrations.size());
    if (current >= last) return;
    // Every step still to run, in one transaction: a store is at its old version or the new one,
    // never between, and a new kiosk's store is made with one commit (one fsync) instead of one a
    // step, which a first start waited on.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (int v = current + 1; v <= last; ++v) {
        db.exec(std::string(kMigrations[v - 1]));
        SQLite::Statement mark(db, "INSERT INTO schema_migrations VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
        mark.bind(1, v);
        mark.exec();
        db.exec("PRAGMA user_version = " + std::to_string(v));
    }
    tx.commit();
}

}  // namespace kiosk
