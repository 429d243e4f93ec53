import Foundation
import GRDB
import TMWSCore

extension SQLiteMemoryStore {
    package func lookalikes(keys: [Int64], scope: MemoryScope, namespace: Namespace, team: String?, limit: Int) async throws -> [Memory] {
        guard !keys.isEmpty else { return [] }
        return try await read { db, now in
            try Self.lookalikes(keys: keys, scope: scope, namespace: namespace, team: team, limit: limit, in: db, now: now)
        }
    }

    package func create<Verdict: Sendable>(
        _ decided: DecidedDraft, unlessLike keys: [Int64], limit: Int, by caller: Caller,
        judge: @escaping @Sendable ([Memory]) -> (into: Memory?, verdict: Verdict)
    ) async throws -> (memory: Memory, verdict: Verdict) {
        let draft = decided.draft
        let (tenant, device) = (configuration.tenantID, deviceID)
        return try await loggedWrite { log in
            let found = try Self.lookalikes(
                keys: keys, scope: draft.scope, namespace: draft.namespace, team: draft.team, limit: limit, in: log.db, now: log.now)
            let (target, verdict) = judge(found)
            if let target { return (target, verdict) }
            guard let memory = try Self.insert(draft, tenant: tenant, device: device, caller: caller, log: &log) else {
                throw TMWSError(.invalidInput, "a memory with id \(draft.id!) already exists", field: "id")
            }
            try Self.record(decided.example, of: memory.id, in: log.db, at: log.now)
            return (memory, verdict)
        }
    }

    /// The memories sharing the most keys first (the exact key counts like a band): the
    /// likeliest duplicates.
    static func lookalikes(
        keys: [Int64], scope: MemoryScope, namespace: Namespace, team: String?, limit: Int, in db: Database, now: Date
    ) throws -> [Memory] {
        try MemoryRow.fetchAll(
            db,
            sql: """
                SELECT \(MemoryRow.columns) FROM (
                    SELECT memory_seq, count(*) AS shared FROM memory_band WHERE band IN (\(placeholders(keys.count)))
                    GROUP BY memory_seq ORDER BY shared DESC, memory_seq DESC LIMIT ?
                ) b JOIN memory m ON m.seq = b.memory_seq
                WHERE m.scope = ? AND m.namespace = ? AND m.team_id IS ? AND m.deleted = 0 AND m.archived = 0 AND m.evicted = 0
                  AND (m.expires_at IS NULL OR m.expires_at > ?)
                  AND NOT EXISTS (SELECT 1 FROM memory s WHERE s.supersedes = m.id AND s.deleted = 0)
                ORDER BY b.shared DESC, m.seq DESC LIMIT ?
                """,
            arguments: StatementArguments(keys) + [limit * 8, scope.rawValue, namespace.rawValue, team, MemoryRow.millis(now), limit]
        ).map(\.memory)
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
