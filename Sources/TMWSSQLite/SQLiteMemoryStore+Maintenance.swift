import Foundation
import GRDB
import TMWSCore

extension SQLiteMemoryStore {
    package func importBatch(_ decided: [DecidedDraft], by caller: Caller) async throws -> ImportOutcome {
        let tenant = configuration.tenantID
        let device = deviceID
        return try await loggedWrite { log in
            var outcome = ImportOutcome()
            for one in decided {
                if let memory = try Self.insert(one.draft, tenant: tenant, device: device, caller: caller, log: &log) {
                    try Self.record(one.example, of: memory.id, in: log.db, at: log.now)
                    outcome.imported += 1
                } else {
                    outcome.skipped += 1
                }
            }
            return outcome
        }
    }

    /// Removes expired memories and local tombstones, then makes deleted text unrecoverable
    /// from the files: the search index is merged into one segment (dropping the words of
    /// deleted memories; secure_delete zeroes the freed pages) and the WAL, which still holds
    /// old page images, is checkpointed and truncated.
    package func pruneExpired(dryRun: Bool, by caller: Caller) async throws -> PruneOutcome {
        let outcome = try await removeExpired(dryRun: dryRun, by: caller)
        if !dryRun { try await eraseDeletedText() }
        return outcome
    }

    /// Merges the search index and empties the WAL. Another process reading at that moment
    /// keeps the WAL from being truncated; the next prune finishes the job.
    func eraseDeletedText() async throws {
        do {
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO memory_fts(memory_fts) VALUES ('optimize')")
                try db.execute(sql: "INSERT INTO archive_fts(archive_fts) VALUES ('optimize')")
            }
            try await pool.writeWithoutTransaction { db in
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch let error as DatabaseError {
            throw Self.storageError(error)
        }
    }

    private func removeExpired(dryRun: Bool, by caller: Caller) async throws -> PruneOutcome {
        try await loggedWrite { log in
            let (db, now) = (log.db, log.now)
            let expired = try MemoryRow.fetchAll(
                db,
                sql: """
                    SELECT \(MemoryRow.columns) FROM memory m
                    WHERE m.deleted = 0 AND m.expires_at IS NOT NULL AND m.expires_at <= ?
                    ORDER BY m.id
                    """,
                arguments: [MemoryRow.millis(now)]
            )
            let localTombstones = "deleted = 1 AND scope IN ('PRIVATE', 'PROJECT')"
            let tombstones = try Int.fetchOne(db, sql: "SELECT count(*) FROM memory WHERE \(localTombstones)") ?? 0
            let outcome = PruneOutcome(expired: expired.map(\.memory.id), tombstones: tombstones)
            guard !dryRun else { return outcome }
            for (seq, memory) in expired {
                try MemoryRowWriter.remove(memory, atRow: seq, in: db)
                let gone = memory.tombstone(at: try log.nextHLC(), by: caller.agentID)
                try log.outbox(gone, previous: memory)
                try log.audit(.prune, gone, actor: caller.agentID, details: ["expired"])
            }
            try db.execute(sql: "DELETE FROM memory WHERE \(localTombstones)")
            return outcome
        }
    }

    package func statistics() async throws -> MemoryStatistics {
        try await read { db, now in
            let nowMillis = MemoryRow.millis(now)
            var byScope: [MemoryScope: Int] = [:]
            var byNamespace: [Namespace: Int] = [:]
            var total = 0
            var contentBytes = 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT scope, namespace, count(*), sum(length(CAST(content AS BLOB))) FROM memory
                    WHERE deleted = 0 AND evicted = 0 AND (expires_at IS NULL OR expires_at > ?)
                    GROUP BY scope, namespace
                    """,
                arguments: [nowMillis]
            )
            for row in rows {
                let count: Int = row[2]
                total += count
                contentBytes += row[3] as Int? ?? 0
                if let scope = MemoryScope(rawValue: row[0]) {
                    byScope[scope, default: 0] += count
                }
                if let namespace = try? Namespace(validating: row[1]) {
                    byNamespace[namespace, default: 0] += count
                }
            }
            return MemoryStatistics(
                total: total,
                byScope: byScope,
                byNamespace: byNamespace,
                expired: try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM memory WHERE deleted = 0 AND expires_at <= ?", arguments: [nowMillis]
                ) ?? 0,
                tombstones: try Int.fetchOne(db, sql: "SELECT count(*) FROM memory WHERE deleted = 1") ?? 0,
                pendingOutboxEvents: try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0,
                auditRecords: try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log") ?? 0,
                contentBytes: contentBytes
            )
        }
    }
}
