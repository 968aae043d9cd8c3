// The outbox as the sync worker reads it (how head office's answers land: kiosk/store/sync.cpp).
#include <SQLiteCpp/Statement.h>

#include "kiosk/store/store.hpp"

namespace kiosk {

int64_t OutboxRepository::last_record_seq() {
    return m_db->execAndGet("SELECT value FROM kiosk_sequence WHERE name = 'record'").getInt64();
}

int64_t OutboxRepository::outbox_depth() { return m_db->execAndGet("SELECT count(*) FROM outbox").getInt64(); }

std::vector<OutboxEntry> OutboxRepository::outbox_batch(int limit, size_t max_bytes, int64_t after_seq) {
    std::vector<OutboxEntry> out;
    SQLite::Statement q(*m_db,
                        "SELECT o.local_seq, r.id, r.type, o.schema_version, r.payload, r.created_at "
                        "FROM outbox o JOIN records r ON r.id = o.record_id WHERE o.local_seq > ? ORDER BY o.local_seq LIMIT ?");
    q.bind(1, after_seq);
    q.bind(2, limit);
    size_t bytes = 0;
    while (q.executeStep()) {
        OutboxEntry e{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                      q.getColumn(3).getInt(), q.getColumn(4).getString(), q.getColumn(5).getString()};
        bytes += e.payload.size() + e.record_id.size() + e.record_type.size() + 64;
        if (!out.empty() && bytes > max_bytes) break;
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace kiosk
