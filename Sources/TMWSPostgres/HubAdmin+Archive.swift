import Foundation
import Logging
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// `tmws hub archive`: GLOBAL memories to and from the cold tier (migration 10), as the owner;
/// each batch its own transaction in the tenant, audited without any memory text. The owner
/// bypasses row-level security, so every statement names the tenant itself; and a batch moves
/// under the same per-memory locks a push takes, so a push and a move never cross.
extension HubAdmin {
    /// Moves the tenant's memories the policy names to the cold tier when the tenant is over its
    /// budget (``ArchivePolicy``), oldest first; with `dryRun`, only says what it would move.
    package func archive(tenant: String, policy: ArchivePolicy, dryRun: Bool) async throws -> ArchiveReport {
        let tenantID = try await resolveTenant(tenant)
        let days = "\(policy.minimumAgeDays) days"
        let (stored, candidates, candidateBytes) = try await inTenant(tenantID) { db in
            var stored: Int64 = 0
            for try await bytes in try await db.query(
                """
                SELECT (SELECT coalesce(sum(pg_column_size(m.*)), 0) FROM tmws.memories m WHERE m.tenant_id = \(tenantID))
                     + (SELECT coalesce(sum(pg_column_size(l.*)), 0) FROM tmws.change_log l WHERE l.tenant_id = \(tenantID))
                """,
                logger: logger
            ).decode(Int64.self) {
                stored = bytes
            }
            var ids: [UUID] = []
            var bytes: Int64 = 0
            for try await (id, size) in try await db.query(
                """
                SELECT memory_id, pg_column_size(m.*)::bigint FROM tmws.memories m
                WHERE m.tenant_id = \(tenantID) AND \(unescaped: Self.archivable) AND m.updated_at < now() - \(days)::interval
                  AND coalesce(m.read_at, m.updated_at) < now() - \(days)::interval
                ORDER BY m.updated_at, m.memory_id
                """,
                logger: logger
            ).decode((UUID, Int64).self) {
                ids.append(id)
                bytes += size
            }
            return (stored, ids, bytes)
        }
        var report = ArchiveReport(
            tenantID: tenantID, dryRun: dryRun, storedBytes: stored, budgetBytes: policy.budgetBytes, overBudget: policy.applies(toStoredBytes: stored),
            candidates: candidates.count, moved: 0, batches: 0, hotBytes: dryRun ? candidateBytes : 0, coldBytes: 0
        )
        guard report.overBudget, !dryRun else { return report }
        for start in stride(from: 0, to: candidates.count, by: policy.batchSize) {
            let ids = Array(candidates[start..<min(start + policy.batchSize, candidates.count)])
            let batch = UUID()
            let moved = try await inTenant(tenantID) { db -> (Int, Int64, Int64) in
                var moved: (Int, Int64, Int64) = (0, 0, 0)
                try await HubDatabase.lockMemories(ids.map { $0.uuidString.lowercased() }, on: db, logger: logger)
                // Checked again as it moves: a memory changed or read since it was chosen stays.
                for try await row in try await db.query(
                    """
                    WITH moved AS (
                        DELETE FROM tmws.memories m WHERE m.tenant_id = \(tenantID) AND m.memory_id = ANY(\(ids)::uuid[]) AND \(unescaped: Self.archivable)
                          AND m.updated_at < now() - \(days)::interval AND coalesce(m.read_at, m.updated_at) < now() - \(days)::interval
                        RETURNING m.*
                    )
                    INSERT INTO tmws.cold_memories (tenant_id, batch_id, memory_ids, rows, hot_bytes)
                    SELECT \(tenantID), \(batch), array_agg(moved.memory_id), jsonb_agg(to_jsonb(moved) - 'search'), sum(pg_column_size(moved.*))
                    FROM moved HAVING count(*) > 0
                    RETURNING cardinality(memory_ids), hot_bytes
                    """,
                    logger: logger
                ).decode((Int, Int64).self) {
                    moved = (row.0, row.1, 0)
                }
                // As stored: compressed when the row was written (RETURNING sees the value before).
                for try await stored in try await db.query(
                    "SELECT pg_column_size(rows)::bigint FROM tmws.cold_memories WHERE batch_id = \(batch)", logger: logger
                ).decode(Int64.self) {
                    moved.2 = stored
                }
                if moved.0 > 0 {
                    try await audit(
                        db, tenantID, "archive", "batch:\(Self.text(batch))", details: "memories:\(moved.0),hot_bytes:\(moved.1),cold_bytes:\(moved.2)")
                }
                return moved
            }
            guard moved.0 > 0 else { continue }
            report.moved += moved.0
            report.batches += 1
            report.hotBytes += moved.1
            report.coldBytes += moved.2
        }
        return report
    }

    /// What may move: live GLOBAL memories (SHARED ones are ciphertext the hub cannot judge, and
    /// tombstones are a few bytes).
    static let archivable = "m.scope = 'GLOBAL' AND NOT m.deleted"

    /// Brings memories back from the cold tier into the hot table: these, or every one of the
    /// tenant's (`nil`). A memory a pushed change already brought back stays as it is. How many
    /// came back.
    package func restore(tenant: String, ids: [UUID]?) async throws -> Int {
        let tenantID = try await resolveTenant(tenant)
        let columns = HubSchema.memoryColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        // Brought back means wanted: read now, so the next run does not move it straight back.
        let values = columns.map { $0 == "read_at" ? "now()" : "m." + $0 }.joined(separator: ", ")
        let batches = try await inTenant(tenantID) { db in
            var batches: [UUID] = []
            for try await batch in try await db.query(
                ids.map { "SELECT batch_id FROM tmws.cold_memories WHERE tenant_id = \(tenantID) AND memory_ids && \($0)::uuid[] ORDER BY archived_at" }
                    ?? "SELECT batch_id FROM tmws.cold_memories WHERE tenant_id = \(tenantID) ORDER BY archived_at",
                logger: logger
            ).decode(UUID.self) {
                batches.append(batch)
            }
            return batches
        }
        var restored = 0
        for batch in batches {
            restored += try await inTenant(tenantID) { db -> Int in
                // The batch's memories under a push's locks, then the batch itself.
                var inBatch: [String] = []
                for try await id in try await db.query(
                    "SELECT unnest(memory_ids)::text FROM tmws.cold_memories WHERE tenant_id = \(tenantID) AND batch_id = \(batch)", logger: logger
                ).decode(String.self) {
                    inBatch.append(id)
                }
                try await HubDatabase.lockMemories(inBatch, on: db, logger: logger)
                try await db.query(
                    "SELECT 1 FROM tmws.cold_memories WHERE tenant_id = \(tenantID) AND batch_id = \(batch) FOR UPDATE", logger: logger
                )
                var binds = PostgresBindings()
                binds.append(batch)
                binds.append(ids?.map { $0.uuidString.lowercased() } ?? [])
                binds.append(ids == nil)
                binds.append(tenantID)
                var count = 0
                for try await back in try await db.query(
                    PostgresQuery(
                        unsafeSQL: """
                            WITH back AS (
                                SELECT e.value AS row FROM tmws.cold_memories c, jsonb_array_elements(c.rows) e
                                WHERE c.tenant_id = $4 AND c.batch_id = $1 AND ($3 OR e.value->>'memory_id' = ANY($2::text[]))
                            ), restored AS (
                                INSERT INTO tmws.memories (\(columns.joined(separator: ", ")))
                                SELECT \(values) FROM back, jsonb_populate_record(NULL::tmws.memories, back.row) AS m
                                WHERE m.tenant_id = $4
                                ON CONFLICT DO NOTHING RETURNING 1
                            ), kept AS (
                                SELECT coalesce(jsonb_agg(e.value), '[]'::jsonb) AS rows
                                FROM tmws.cold_memories c, jsonb_array_elements(c.rows) e
                                WHERE c.tenant_id = $4 AND c.batch_id = $1 AND NOT ($3 OR e.value->>'memory_id' = ANY($2::text[]))
                            ), emptied AS (
                                UPDATE tmws.cold_memories c SET rows = (SELECT rows FROM kept),
                                    memory_ids = ARRAY(SELECT (e.value->>'memory_id')::uuid FROM jsonb_array_elements((SELECT rows FROM kept)) e)
                                WHERE c.tenant_id = $4 AND c.batch_id = $1 RETURNING 1
                            )
                            SELECT count(*)::int FROM restored
                            """,
                        binds: binds
                    ),
                    logger: logger
                ).decode(Int.self) {
                    count = back
                }
                try await db.query(
                    "DELETE FROM tmws.cold_memories WHERE tenant_id = \(tenantID) AND batch_id = \(batch) AND cardinality(memory_ids) = 0", logger: logger
                )
                try await audit(db, tenantID, "restore", "batch:\(Self.text(batch))", details: "memories:\(count)")
                return count
            }
        }
        return restored
    }

    /// Every memory of the tenant's cold tier, as JSON lines (its row as stored), to `line`.
    package func exportCold(tenant: String, _ line: @escaping @Sendable (String) throws -> Void) async throws -> Int {
        let tenantID = try await resolveTenant(tenant)
        return try await inTenant(tenantID) { db in
            var count = 0
            for try await row in try await db.query(
                """
                SELECT e.value::text FROM tmws.cold_memories c, jsonb_array_elements(c.rows) e
                WHERE c.tenant_id = \(tenantID) ORDER BY c.archived_at, e.value->>'memory_id'
                """,
                logger: logger
            ).decode(String.self) {
                try line(row)
                count += 1
            }
            try await audit(db, tenantID, "export-cold", "tenant:\(Self.text(tenantID))", details: "memories:\(count)")
            return count
        }
    }

    /// `body` in one transaction in the tenant, its result returned.
    func inTenant<T: Sendable>(_ tenant: UUID, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await run {
            try await HubDatabase.withTenant(TenantContext(tenantID: tenant, userID: nil), on: connection, logger: logger, body)
        }
    }
}
