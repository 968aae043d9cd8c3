#pragma once
// The outbox and sync bookkeeping (kiosk/store/outbox.cpp, kiosk/store/sync.cpp): what waits for
// head office, how its answers and pulled data land, refused records and conflicts. The sync
// worker uses these on a Store of its own: its own SQLite connection to the same file, so the
// screens never wait on the network.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/datasets.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/core/sync_state.hpp"
#include "kiosk/store/repository.hpp"

namespace kiosk {

// Pulled rows go in at most this many to a transaction: on this machine 100 rows take a few ms,
// so a save on the UI's connection waits far less than 50 ms behind the sync thread (measured by
// `sync-bench`: pull_tx_ms).
inline constexpr size_t kPullRowsPerTransaction = 100;

class OutboxRepository : public Repository {
public:
    OutboxRepository(Store& store, SQLite::Database& db) : Repository(store, db) {}

    int64_t outbox_depth();
    int64_t last_record_seq();  // the sequence of the last record saved (0: none yet)
    // The oldest waiting records, at most `limit` of them and about `max_bytes` of payload (always
    // at least one, however large). `after_seq`: only records saved after that one (the sync
    // worker reads the next batch while the one before it is still in flight).
    std::vector<OutboxEntry> outbox_batch(int limit, size_t max_bytes = SIZE_MAX, int64_t after_seq = 0);

    struct PushAnswer {
        std::vector<std::string> stored;                           // head office holds these
        std::vector<std::pair<std::string, std::string>> rejected;  // {id, reason}: never retried
        std::vector<SyncConflict> conflicts;                       // stored, but lost to another kiosk
    };
    // In one transaction: stored records leave the outbox and lose their sensitive payload fields
    // (a pickup code, a callback phone: head office has them now); rejected ones move to the dead
    // letters; conflicts are kept for staff.
    Result<Ok> settle_push(const PushAnswer& a);
    void note_push_failure(const std::vector<std::string>& ids, const std::string& error);
    int64_t pull_cursor(const std::string& dataset);
    // A pulled page of a data set and the cursor after it: the rows in transactions of at most
    // kPullRowsPerTransaction, the cursor with the last of them.
    // A row past the limits (kiosk/core/datasets.hpp) is refused on its own: the kiosk keeps what
    // it had under that key, notes the refusal for staff and moves on. A page of more than
    // kMaxPulledRowsPerPage rows, or one that would take a data set past kMaxRowsPerDataset, is
    // refused whole (error "sync.error.pull_refused"), the cursor unmoved.
    Result<Ok> apply_pull(const std::string& dataset, const std::vector<DatasetRow>& rows, int64_t cursor);
    // What was refused, a line per data set, newest last: what staff see on the desk's sync page.
    struct Refusal {
        std::string dataset;
        int64_t rows = 0;     // rows refused so far
        std::string why;      // the last limit broken (never the row's text)
        std::string at;       // when, UTC
    };
    std::vector<Refusal> refusals();
    // Every pulled data set starts again from cursor 0: the next pull rebuilds them from head office.
    Result<Ok> restart_pulls();
    // Adds to what staff are shown (`why` names a limit or a problem, never residents' data).
    void note_refusal(const std::string& dataset, int64_t rows, const std::string& why);
    std::optional<std::string> sync_setting(const std::string& key);
    Result<Ok> set_sync_setting(const std::string& key, const std::string& value);
    // Newest first; `unhandled`: only those no clerk has marked handled yet.
    std::vector<DeadLetter> dead_letters(int limit = 50, bool unhandled = false);
    std::vector<SyncConflict> sync_conflicts(int limit = 50, bool unhandled = false);
    int64_t dead_letter_count(bool unhandled = false);
    int64_t conflict_count(bool unhandled = false);
    // A clerk has dealt with a refused record or a conflict (by its record id).
    Result<Ok> mark_sync_problem_handled(const std::string& record_id, const std::string& staff_no);

private:
    void apply_rows(const std::string& dataset, const std::vector<DatasetRow>& rows);
    void store_cursor(const std::string& dataset, int64_t cursor);
};

}  // namespace kiosk
