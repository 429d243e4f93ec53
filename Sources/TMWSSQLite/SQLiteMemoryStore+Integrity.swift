import Foundation
import GRDB
import TMWSCore

/// The result of checking a database: each check with its outcome.
package struct IntegrityReport: Sendable, Hashable {
    package struct Check: Sendable, Hashable {
        package var name: String
        package var ok: Bool
        package var detail: String

        package init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    package var checks: [Check]

    /// Whether every check passed.
    package var ok: Bool { checks.allSatisfy(\.ok) }
}

extension SQLiteMemoryStore {
    /// Checks SQLite's integrity, the FTS index against the memory table and the audit chain.
    package func checkIntegrity() async throws -> IntegrityReport {
        // A write transaction: FTS5's integrity check is issued as an INSERT.
        try await write { db, _ in
            var checks: [IntegrityReport.Check] = []

            let sqlite = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            checks.append(.init(name: "sqlite integrity", ok: sqlite == ["ok"], detail: sqlite.prefix(3).joined(separator: "; ")))

            do {
                try db.execute(sql: "INSERT INTO memory_fts(memory_fts) VALUES ('integrity-check')")
                try db.execute(sql: "INSERT INTO archive_fts(archive_fts) VALUES ('integrity-check')")
                checks.append(.init(name: "fts index structure", ok: true, detail: "ok"))
            } catch let error as DatabaseError {
                checks.append(.init(name: "fts index structure", ok: false, detail: error.message ?? "corrupt"))
            }

            // Every held memory has exactly one row in its index (the default one, or the
            // archive's) and the indexes have no other rows; every archived memory has its text.
            for (index, held) in [("memory_fts", "m.archived = 0"), ("archive_fts", "m.archived = 1")] {
                let live = "m.deleted = 0 AND m.evicted = 0 AND \(held)"
                let missing =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM memory m WHERE \(live) AND NOT EXISTS (SELECT 1 FROM \(index)_docsize d WHERE d.id = m.seq)"
                    ) ?? 0
                let orphaned =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM \(index)_docsize d WHERE NOT EXISTS (SELECT 1 FROM memory m WHERE m.seq = d.id AND \(live))"
                    ) ?? 0
                let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(index)_docsize") ?? 0
                checks.append(
                    .init(
                        name: index == "memory_fts" ? "fts index matches memories" : "archive index matches archived memories",
                        ok: missing == 0 && orphaned == 0,
                        detail: missing == 0 && orphaned == 0
                            ? "\(indexed) indexed"
                            : "\(missing) memories missing from the index, \(orphaned) index rows without a memory"
                    ))
            }
            let textless =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT count(*) FROM memory m WHERE m.archived = 1
                                AND NOT EXISTS (SELECT 1 FROM memory_archive a WHERE a.memory_seq = m.seq))
                             + (SELECT count(*) FROM memory_archive a
                                WHERE NOT EXISTS (SELECT 1 FROM memory m WHERE m.seq = a.memory_seq AND m.archived = 1))
                        """) ?? 0
            checks.append(
                .init(
                    name: "archive holds the archived text", ok: textless == 0,
                    detail: textless == 0 ? "ok" : "\(textless) archived memories without their text, or texts without their memory"))

            var verifier = AuditChainVerifier()
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT seq, at, actor, action, memory_id, scope, namespace, version, details, previous_hash, hash
                    FROM audit_log ORDER BY seq
                    """)
            while let row = try rows.next(), verifier.problem == nil {
                guard let action = AuditRecord.Action(rawValue: row[3]), let id = try? MemoryID(parsing: row[4]),
                    let scope = MemoryScope(rawValue: row[5]), let namespace = try? Namespace(validating: row[6])
                else {
                    checks.append(.init(name: "audit chain", ok: false, detail: "audit record \(row[0] as Int64) is malformed"))
                    return IntegrityReport(checks: checks)
                }
                let details: String = row[8]
                var record = AuditRecord(
                    sequence: row[0], atMillis: row[1], actor: row[2], action: action, memoryID: id, scope: scope,
                    namespace: namespace, version: row[7], details: details.isEmpty ? [] : details.components(separatedBy: ","),
                    previousHash: row[9]
                )
                record.hash = row[10]
                verifier.check(record)
            }
            checks.append(
                .init(
                    name: "audit chain", ok: verifier.problem == nil,
                    detail: verifier.problem ?? "\(verifier.count) records verified"
                ))
            return IntegrityReport(checks: checks)
        }
    }

    /// Bytes on disk: the database file plus its write-ahead log.
    package func fileSize() -> Int64 {
        [configuration.path, configuration.path + "-wal"].reduce(0) { total, path in
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    /// Folds the write-ahead log into the database file (for accurate sizes).
    package func checkpoint() async throws {
        do {
            _ = try await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        } catch let error as DatabaseError {
            throw Self.storageError(error)
        }
    }

    /// The SQLite library version in use.
    package func sqliteVersion() async throws -> String {
        try await read { db, _ in try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "unknown" }
    }
}
