import Foundation
import GRDB
import TMWSCore

/// The classifier's learning examples (``ScopeExample``), written in the transaction of the
/// write that made them.
extension SQLiteMemoryStore: ScopeExampleStore {
    static func record(_ example: ScopeExample?, of memory: MemoryID, in db: Database, at now: Date) throws {
        guard let example else { return }
        var bytes = Data(capacity: example.features.count * 4)
        for feature in example.features {
            withUnsafeBytes(of: feature.littleEndian) { bytes.append(contentsOf: $0) }
        }
        try db.cachedStatement(
            sql: "INSERT INTO scope_example(memory_id, label, suggested, source, features, recorded_at) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            memory.description, example.label.rawValue, example.suggested.rawValue, example.source.rawValue, bytes, MemoryRow.millis(now),
        ])
    }

    package func scopeExampleCounts() async throws -> [ScopeExampleCount] {
        try await read { db, _ in
            try Row.fetchAll(db, sql: "SELECT label, source, count(*) FROM scope_example GROUP BY label, source ORDER BY label, source")
                .compactMap { row in
                    guard let label = MemoryScope(rawValue: row[0]), let source = ScopeExample.Source(rawValue: row[1]) else { return nil }
                    return ScopeExampleCount(label: label, source: source, count: row[2])
                }
        }
    }

    package func scopeExamples() async throws -> [(key: Int64, recordedAt: Date, example: ScopeExample)] {
        try await read { db, _ in
            try Row.fetchAll(db, sql: "SELECT seq, memory_id, label, suggested, source, features, recorded_at FROM scope_example ORDER BY seq")
                .compactMap { row in
                    guard let label = MemoryScope(rawValue: row[2]), let suggested = MemoryScope(rawValue: row[3]),
                        let source = ScopeExample.Source(rawValue: row[4])
                    else { return nil }
                    let bytes: Data = row[5]
                    let features = stride(from: 0, to: bytes.count - bytes.count % 4, by: 4).map { offset in
                        bytes[bytes.startIndex + offset..<bytes.startIndex + offset + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                    }
                    let example = ScopeExample(
                        memoryID: (row[1] as String?).flatMap { try? MemoryID(parsing: $0) }, label: label, suggested: suggested, source: source,
                        features: features)
                    return (row[0], MemoryRow.date(millis: row[6]), example)
                }
        }
    }

    package func removeScopeExamples(_ keys: [Int64]?) async throws -> Int {
        try await write { db, _ in
            if let keys {
                guard !keys.isEmpty else { return 0 }
                try db.execute(sql: "DELETE FROM scope_example WHERE seq IN (\(Self.placeholders(keys.count)))", arguments: StatementArguments(keys))
            } else {
                try db.execute(sql: "DELETE FROM scope_example")
            }
            return db.changesCount
        }
    }
}
