import Foundation
import GRDB
import TMWSCore

extension SQLiteMemoryStore {
    package func lookalikes(keys: [Int64], scope: MemoryScope, namespace: Namespace, team: String?, limit: Int) async throws -> [Memory] {
        guard !keys.isEmpty else { return [] }
        return try await read { db, now in
            try MemoryRow.fetchAll(
                db,
                sql: """
                    SELECT \(MemoryRow.columns) FROM memory m
                    WHERE m.seq IN (SELECT memory_seq FROM memory_band WHERE band IN (\(Self.placeholders(keys.count))))
                      AND m.scope = ? AND m.namespace = ? AND m.team_id IS ? AND m.deleted = 0 AND m.archived = 0 AND m.evicted = 0
                      AND (m.expires_at IS NULL OR m.expires_at > ?)
                      AND NOT EXISTS (SELECT 1 FROM memory s WHERE s.supersedes = m.id AND s.deleted = 0)
                    ORDER BY m.seq LIMIT ?
                    """,
                arguments: StatementArguments(keys) + [scope.rawValue, namespace.rawValue, team, MemoryRow.millis(now), limit]
            ).map(\.memory)
        }
    }

    package func successors(of id: MemoryID) async throws -> [Memory] {
        try await read { db, now in
            try MemoryRow.fetchAll(
                db,
                sql: """
                    SELECT \(MemoryRow.columns) FROM memory m
                    WHERE m.supersedes = ? AND m.deleted = 0 AND (m.expires_at IS NULL OR m.expires_at > ?) ORDER BY m.created_at, m.id
                    """,
                arguments: [id.description, MemoryRow.millis(now)]
            ).map(\.memory)
        }
    }

    package func acceptReview(_ id: MemoryID, by caller: Caller) async throws -> Memory {
        try await loggedWrite { log in
            var (seq, memory) = try Self.fetchLive(log.db, id, now: log.now)
            guard let review = memory.review, review.isPending else {
                throw TMWSError(.invalidInput, "memory \(id) is not held for review", field: "id")
            }
            try log.db.execute(sql: "UPDATE memory SET review = 'accepted' WHERE seq = ?", arguments: [seq])
            memory.review = MemoryReview(state: .accepted, kinds: review.kinds)
            try log.audit(.accept, memory, actor: caller.agentID, details: review.kinds.map { "instruction:" + $0.rawValue })
            return memory
        }
    }
}
