import Foundation
import GRDB
import TMWSCore

/// The node's archive: old, rarely read PROJECT memories, compressed in `memory_archive` and
/// indexed in `archive_fts`, out of the default search. Each batch is one write transaction,
/// so searches and writes of other processes go on between batches.
extension SQLiteMemoryStore: MemoryArchive {
    static let archiveBatch = 1000

    package func archive(_ policy: LocalArchivePolicy, dryRun: Bool) async throws -> LocalArchiveOutcome {
        if dryRun {
            return try await read { db, now in
                let (sql, arguments) = Self.archiveCandidates(policy, now: now)
                let row = try Row.fetchOne(
                    db, sql: "SELECT count(*), coalesce(sum(length(CAST(m.content AS BLOB))), 0) FROM memory m WHERE \(sql)",
                    arguments: arguments)
                return LocalArchiveOutcome(memories: row?[0] ?? 0, textBytes: row?[1] ?? 0)
            }
        }
        var total = LocalArchiveOutcome()
        while true {
            let batch = try await write { db, now in
                let (sql, arguments) = Self.archiveCandidates(policy, now: now)
                let rows = try MemoryRow.fetchAll(
                    db, sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE \(sql) ORDER BY m.seq LIMIT ?",
                    arguments: arguments + [Self.archiveBatch])
                var outcome = LocalArchiveOutcome()
                for (seq, memory) in rows {
                    try MemoryRowWriter.archive(memory, atRow: seq, at: now, in: db)
                    outcome.memories += 1
                    outcome.textBytes += memory.content.utf8.count
                }
                if !rows.isEmpty {
                    outcome.storedBytes =
                        try Int.fetchOne(
                            db, sql: "SELECT coalesce(sum(length(content)), 0) FROM memory_archive WHERE memory_seq IN (\(Self.placeholders(rows.count)))",
                            arguments: StatementArguments(rows.map(\.seq))) ?? 0
                }
                return outcome
            }
            total.memories += batch.memories
            total.textBytes += batch.textBytes
            total.storedBytes += batch.storedBytes
            if batch.memories < Self.archiveBatch { break }
        }
        // After a large move, the default index drops the moved memories' entries now (FTS5
        // only marks them deleted), so its searches and its size reflect what is left.
        if total.memories >= Self.archiveBatch { try await optimizeIndex("memory_fts") }
        return total
    }

    private func optimizeIndex(_ index: String) async throws {
        try await write { db, _ in try db.execute(sql: "INSERT INTO \(index)(\(index)) VALUES ('optimize')") }
    }

    /// The rows `policy` selects (over alias `m`).
    static func archiveCandidates(_ policy: LocalArchivePolicy, now: Date) -> (sql: String, arguments: StatementArguments) {
        let cutoff = MemoryRow.millis(policy.cutoff(now: now))
        return (
            """
            m.scope = 'PROJECT' AND m.deleted = 0 AND m.archived = 0 AND m.evicted = 0 AND m.pinned = 0 AND m.held = 0
            AND (m.expires_at IS NULL OR m.expires_at > ?) AND m.access_count <= ?
            AND m.created_at < ? AND (m.updated_hlc >> 16) < ? AND coalesce(m.accessed_at, 0) < ?
            """,
            [MemoryRow.millis(now), policy.maximumReads, cutoff, cutoff, cutoff]
        )
    }

    package func archived(limit: Int, after cursor: MemoryID?) async throws -> [ArchivedMemory] {
        try await read { db, _ in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.namespace, m.created_at, a.archived_at, m.access_count, length(a.content)
                    FROM memory m JOIN memory_archive a ON a.memory_seq = m.seq
                    WHERE m.archived = 1 AND m.deleted = 0 AND (? IS NULL OR m.id < ?)
                    ORDER BY m.id DESC LIMIT ?
                    """,
                arguments: [cursor?.description, cursor?.description, max(1, min(limit, 1000))])
            return try rows.map { row in
                guard let id = try? MemoryID(parsing: row[0] as String), let namespace = try? Namespace(validating: row[1] as String) else {
                    throw TMWSError(.storage, "the database holds a malformed archived memory; run 'tmws doctor'")
                }
                return ArchivedMemory(
                    id: id, namespace: namespace, createdAt: MemoryRow.date(millis: row[2]), archivedAt: MemoryRow.date(millis: row[3]),
                    accessCount: row[4], storedBytes: row[5])
            }
        }
    }

    package func restore(_ ids: [MemoryID]) async throws -> Int {
        var restored = 0
        for start in stride(from: 0, to: ids.count, by: Self.archiveBatch) {
            let slice = ids[start..<min(ids.count, start + Self.archiveBatch)].map(\.description)
            restored += try await restoreBatch(where: "m.id IN (\(Self.placeholders(slice.count)))", arguments: StatementArguments(slice))
        }
        return restored
    }

    package func restoreAll() async throws -> Int {
        var restored = 0
        while true {
            let batch = try await restoreBatch(where: "1", arguments: [], limit: Self.archiveBatch)
            restored += batch
            if batch < Self.archiveBatch { break }
        }
        if restored >= Self.archiveBatch { try await optimizeIndex("archive_fts") }
        return restored
    }

    private func restoreBatch(where condition: String, arguments: StatementArguments, limit: Int? = nil) async throws -> Int {
        try await write { db, _ in
            let rows = try MemoryRow.fetchAll(
                db,
                sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.archived = 1 AND \(condition) ORDER BY m.seq\(limit.map { " LIMIT \($0)" } ?? "")",
                arguments: arguments)
            for (seq, memory) in rows {
                try MemoryRowWriter.unarchive(memory, atRow: seq, in: db)
            }
            return rows.count
        }
    }

    package func archiveSize() async throws -> (memories: Int, storedBytes: Int) {
        try await read { db, _ in
            let row = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(sum(length(content)), 0) FROM memory_archive")
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }
}
