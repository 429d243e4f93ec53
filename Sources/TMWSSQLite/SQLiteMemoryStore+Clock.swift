import Foundation
import GRDB
import TMWSCore

/// The node's hybrid clock: checked by `tmws doctor`, repaired by `tmws doctor --repair`.
///
/// Nodes before the bounds on peers' clocks (``EventBounds``) took any clock from a pulled
/// change, so one event near `Int64.max` could leave the stored clock, the memories it wrote
/// and the events queued after it far in the future: every write then overflowed, and the hub
/// refuses such clocks. The repair brings them back to the wall clock.
extension SQLiteMemoryStore {
    /// What the clock check found, and what a repair changed.
    package struct ClockReport: Sendable, Hashable {
        /// Whether the stored clock, every memory's and every queued event's are within the
        /// bound ahead of the wall clock.
        package var ok: Bool
        /// Memories and queued events whose clock was beyond the bound (reset by a repair).
        package var memoriesAhead: Int
        package var eventsAhead: Int
        package var storedClockAhead: Bool
    }

    /// Checks the clocks; with `repair`, moves every clock beyond the bound to fresh readings
    /// from the wall clock (in one transaction: memories, queued events and the stored clock).
    package func checkClock(repair: Bool, bounds: EventBounds = EventBounds()) async throws -> ClockReport {
        try await write { db, now in
            let latest = bounds.latestClock(at: now).rawValue
            let stored = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'hlc'")
            let memories = try Row.fetchAll(db, sql: "SELECT seq, id, version FROM memory WHERE updated_hlc > ? ORDER BY seq", arguments: [latest])
            let events = try Row.fetchAll(db, sql: "SELECT seq, payload FROM outbox WHERE hlc > ? ORDER BY seq", arguments: [latest])
            let storedAhead = (stored ?? 0) > latest
            let report = ClockReport(
                ok: !storedAhead && memories.isEmpty && events.isEmpty, memoriesAhead: memories.count, eventsAhead: events.count,
                storedClockAhead: storedAhead
            )
            guard repair, !report.ok else { return report }
            // Fresh readings after every clock still within the bound, one tick apart.
            let sane = try Int64.fetchOne(db, sql: "SELECT max(updated_hlc) FROM memory WHERE updated_hlc <= ?", arguments: [latest]) ?? 0
            var clock = max(HybridTimestamp.wall(now), HybridTimestamp(rawValue: max(sane, stored.map { $0 <= latest ? $0 : 0 } ?? 0)))
            // A queued event of a memory's current version keeps the clock the memory gets, so
            // every replica names that version alike.
            var versions: [String: HybridTimestamp] = [:]
            for row in memories {
                clock = try HybridTimestamp.next(after: clock, now: now)
                versions["\(row[1] as String)/\(row[2] as Int)"] = clock
                try db.execute(sql: "UPDATE memory SET updated_hlc = ? WHERE seq = ?", arguments: [clock.rawValue, row[0] as Int64])
            }
            for row in events {
                var event = try ChangeEvent.decode((row[1] as String).utf8)
                if let same = versions["\(event.memoryID)/\(event.version)"] {
                    event.clock = same
                } else {
                    clock = try HybridTimestamp.next(after: clock, now: now)
                    event.clock = clock
                }
                if let base = event.baseClock, base.rawValue > latest { event.baseClock = nil }
                try db.execute(
                    sql: "UPDATE outbox SET hlc = ?, payload = ? WHERE seq = ?",
                    arguments: [event.clock.rawValue, String(decoding: event.jsonBytes(), as: UTF8.self), row[0] as Int64]
                )
            }
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [String(clock.rawValue)]
            )
            return report
        }
    }
}

extension SQLiteMemoryStore {
    /// The hybrid clock as this node last stored it (`nil` before its first write or pull).
    package func storedClock() async throws -> Int64? {
        try await read { db, _ in try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'hlc'") }
    }
}
