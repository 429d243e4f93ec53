import Synchronization

/// Search hits counted as accesses in memory and written in batches.
///
/// Counting each search's hits in a write transaction of its own made every search wait
/// for SQLite's write lock and commit. Instead a search runs as a read, its hits are added
/// here, and the counts reach the database with the next write transaction of this store,
/// or once they are `maximumPending` rows or `maximumAge` old, or on ``SQLiteMemoryStore/flushAccesses()``.
/// Counts not yet written are lost if the process dies; they are statistics, not data.
final class AccessLog: Sendable {
    struct Pending: Sendable {
        var count: Int
        var lastMillis: Int64
    }

    private struct State {
        var pending: [Int64: Pending] = [:]
        var oldestMillis: Int64?
    }

    private let state = Mutex(State())
    let maximumPending: Int
    let maximumAgeMillis: Int64

    init(maximumPending: Int = 256, maximumAgeMillis: Int64 = 1000) {
        self.maximumPending = maximumPending
        self.maximumAgeMillis = maximumAgeMillis
    }

    /// Adds one access to each row; returns the counts now pending for them.
    func record(_ rows: [Int64], atMillis now: Int64) -> [Int64: Int] {
        state.withLock { state in
            var counts: [Int64: Int] = [:]
            for row in rows {
                var entry = state.pending[row] ?? Pending(count: 0, lastMillis: now)
                entry.count += 1
                entry.lastMillis = max(entry.lastMillis, now)
                state.pending[row] = entry
                counts[row] = entry.count
            }
            if state.oldestMillis == nil, !rows.isEmpty { state.oldestMillis = now }
            return counts
        }
    }

    /// Whether the pending counts should be written now.
    func isDue(atMillis now: Int64) -> Bool {
        state.withLock { state in
            state.pending.count >= maximumPending || state.oldestMillis.map { now - $0 >= maximumAgeMillis } ?? false
        }
    }

    /// Takes every pending count (the caller writes them).
    func drain() -> [(row: Int64, pending: Pending)] {
        state.withLock { state in
            defer { state = State() }
            return state.pending.map { ($0.key, $0.value) }
        }
    }

    var isEmpty: Bool { state.withLock { $0.pending.isEmpty } }
}
