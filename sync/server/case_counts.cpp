// Schema 4's open-case counts (case_counts) and the index the Overview counts overdue cases by:
// made and filled when a store opens, folded on PostgreSQL (issue #16 item 9). Kept apart from the
// console's other data (headoffice_console_data.cpp) as the one place that knows their shape.
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sync/server/console_data.hpp"
#include "sync/server/headoffice_store.hpp"
#include "sync/server/sql_db.hpp"

namespace kiosk::headoffice {

namespace {

// Schema 4, the Overview at 100 000 open cases: how many cases are open per site and kind, kept by
// the database itself on every insert, update and delete of a case (whichever code writes it),
// and an index on each open case's first deadline not yet met (overdue_from_sql), so the Overview
// counts the overdue by a range of that index and reads no open case that is not overdue.
// The counts are read as sum(open_count) per site and kind. SQLite (one writer) keeps one row a site
// and kind. PostgreSQL keeps rows of changes: a push only ever inserts its own, so two pushes of one
// site never wait on a shared count row (an upsert's row lock would hold every push of the site from
// its cases to its commit, and meet the site's lock in the other order: a deadlock); the rows are
// folded into one a site and kind about once a minute (fold_case_counts).
constexpr const char* kSqliteCaseCountsTable =
    "CREATE TABLE IF NOT EXISTS case_counts (site TEXT NOT NULL, kind TEXT NOT NULL, open_count BIGINT NOT NULL, "
    "PRIMARY KEY (site, kind));"
    "DROP INDEX IF EXISTS console_cases_open;";  // the console's own index before schema 4
constexpr const char* kPostgresCaseCountsTable =
    "CREATE TABLE IF NOT EXISTS case_counts (site TEXT NOT NULL, kind TEXT NOT NULL, open_count BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS case_counts_site ON case_counts (site, kind, open_count);"
    "DROP INDEX IF EXISTS console_cases_open;";
constexpr const char* kSqliteCaseCounts = R"sql(
CREATE TRIGGER IF NOT EXISTS case_counts_insert AFTER INSERT ON cases WHEN NEW.done_at IS NULL AND NEW.closed_at IS NULL
BEGIN
  INSERT INTO case_counts (site, kind, open_count) VALUES (NEW.site, NEW.kind, 1)
    ON CONFLICT (site, kind) DO UPDATE SET open_count = open_count + 1;
END;
CREATE TRIGGER IF NOT EXISTS case_counts_delete AFTER DELETE ON cases WHEN OLD.done_at IS NULL AND OLD.closed_at IS NULL
BEGIN
  UPDATE case_counts SET open_count = open_count - 1 WHERE site = OLD.site AND kind = OLD.kind;
END;
CREATE TRIGGER IF NOT EXISTS case_counts_update AFTER UPDATE OF site, kind, done_at, closed_at ON cases
BEGIN
  UPDATE case_counts SET open_count = open_count - 1
    WHERE site = OLD.site AND kind = OLD.kind AND OLD.done_at IS NULL AND OLD.closed_at IS NULL;
  INSERT INTO case_counts (site, kind, open_count) SELECT NEW.site, NEW.kind, 1 WHERE NEW.done_at IS NULL AND NEW.closed_at IS NULL
    ON CONFLICT (site, kind) DO UPDATE SET open_count = open_count + 1;
END;
)sql";
// PostgreSQL: once per statement, from its transition tables, so a push's one multi-row INSERT of
// cases adds one row per site and kind, not one per case (a row trigger measured 1.5 ms more a
// push of a hundred repairs). Only inserts, never an update of a shared row (above). A trigger with
// transition tables takes one event, so three triggers share the function.
constexpr const char* kPostgresCaseCounts = R"sql(
CREATE OR REPLACE FUNCTION case_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO case_counts (site, kind, open_count)
      SELECT site, kind, -count(*) FROM old_cases WHERE done_at IS NULL AND closed_at IS NULL GROUP BY site, kind;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO case_counts (site, kind, open_count)
      SELECT site, kind, count(*) FROM new_cases WHERE done_at IS NULL AND closed_at IS NULL GROUP BY site, kind;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS case_counts_insert ON cases;
DROP TRIGGER IF EXISTS case_counts_update ON cases;
DROP TRIGGER IF EXISTS case_counts_delete ON cases;
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_cases
FOR EACH STATEMENT EXECUTE FUNCTION case_counts_follow();
CREATE TRIGGER case_counts_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases
FOR EACH STATEMENT EXECUTE FUNCTION case_counts_follow();
CREATE TRIGGER case_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_cases
FOR EACH STATEMENT EXECUTE FUNCTION case_counts_follow();
)sql";

}  // namespace

void migrate_case_counts(SqlDb& db) {
    // Schema 4: the counts start from the cases already stored, in this transaction (the store's
    // open), so no write falls between the count and the triggers.
    bool postgres = std::string_view(db.dialect()) == "postgresql";
    bool counted = table_exists(db, "case_counts");
    db.script(postgres ? kPostgresCaseCountsTable : kSqliteCaseCountsTable);
    db.script(postgres ? kPostgresCaseCounts : kSqliteCaseCounts);
    db.script(std::string("CREATE INDEX IF NOT EXISTS cases_open_overdue ON cases (site, kind, ") + overdue_from_sql(db.dialect()) +
              ", on_site_by, on_site_at, done_by, reply_by) WHERE done_at IS NULL AND closed_at IS NULL");
    if (!counted)
        db.exec("INSERT INTO case_counts (site, kind, open_count) SELECT site, kind, count(*) FROM cases "
                "WHERE done_at IS NULL AND closed_at IS NULL GROUP BY site, kind");
}

void fold_case_counts(SqlDb& db) {
    if (std::string_view(db.dialect()) != "postgresql") return;
    // One statement: the rows it deletes are those committed when it started; rows pushes insert
    // meanwhile stay and are counted beside the folded one. Two processes folding at once each
    // fold the rows they got (a row deleted by the other is skipped, not counted twice).
    db.exec("WITH gone AS (DELETE FROM case_counts RETURNING site, kind, open_count) "
            "INSERT INTO case_counts (site, kind, open_count) SELECT site, kind, sum(open_count) FROM gone "
            "GROUP BY site, kind HAVING sum(open_count) <> 0");
}

std::vector<CaseCountFix> recount_case_counts(SqlDb& db) {
    if (std::string_view(db.dialect()) == "postgresql") db.script("LOCK TABLE cases IN SHARE MODE");
    std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> counts;  // (site, kind) -> (was, is)
    for (auto& r : db.query("SELECT site, kind, sum(open_count) FROM case_counts GROUP BY site, kind"))
        counts[{r.text(0), r.text(1)}].first = r.integer(2);
    db.exec("DELETE FROM case_counts");
    db.exec("INSERT INTO case_counts (site, kind, open_count) SELECT site, kind, count(*) FROM cases "
            "WHERE done_at IS NULL AND closed_at IS NULL GROUP BY site, kind");
    for (auto& r : db.query("SELECT site, kind, open_count FROM case_counts")) counts[{r.text(0), r.text(1)}].second = r.integer(2);
    std::vector<CaseCountFix> wrong;
    for (auto& [key, n] : counts)
        if (n.first != n.second) wrong.push_back({key.first, key.second, n.first, n.second});
    return wrong;
}

std::vector<CaseCountFix> HeadOfficeStore::recount_case_counts() {
    std::lock_guard lock(m_write);
    SqlWrite tx(*m_db, SqlWrite::Unscoped{});
    auto wrong = headoffice::recount_case_counts(*m_db);
    tx.commit();
    return wrong;
}

void HeadOfficeStore::fold_case_counts() {
    if (!m_postgres) return;
    std::lock_guard lock(m_write);
    headoffice::fold_case_counts(*m_db);
}

}  // namespace kiosk::headoffice
