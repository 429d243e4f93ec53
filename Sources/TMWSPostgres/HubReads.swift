import Foundation
import Metrics
import PostgresNIO
import Synchronization
import TMWSCore
import TMWSHubDomain

/// GLOBAL memories read on the hub (search hits, reads by id) since the last flush, by tenant.
/// A read never waits on a write: the ids are kept here and written in one statement per tenant
/// by ``HubStore/flushReads()`` (the hub's housekeeping, every few minutes), at most once an hour
/// per memory. At most ``capacity`` ids wait; more are dropped until the next flush (and
/// counted), which can only make a memory look read less lately than it was.
final class HubReads: Sendable {
    static let capacity = 200_000
    private let pending = Mutex<(ids: [UUID: Set<UUID>], count: Int)>(([:], 0))

    func record(_ ids: [UUID], tenant: UUID) {
        guard !ids.isEmpty else { return }
        let dropped = pending.withLock { pending -> Int in
            guard pending.count + ids.count <= Self.capacity else { return ids.count }
            pending.ids[tenant, default: []].formUnion(ids)
            pending.count += ids.count
            return 0
        }
        if dropped > 0 { Counter(label: "tmws_hub_reads_dropped_total").increment(by: dropped) }
    }

    /// What waits, taken.
    func take() -> [UUID: Set<UUID>] {
        pending.withLock { pending in
            defer { pending = ([:], 0) }
            return pending.ids
        }
    }
}

extension HubStore {
    /// Writes the reads recorded since the last flush: `read_at` of each memory, one statement
    /// per tenant (in its own tenant's transaction).
    package func flushReads() async throws {
        let logger = self.logger
        for (tenant, ids) in reads.take() {
            try await database.withTenant(TenantContext(tenantID: tenant, userID: nil)) { db in
                _ = try await db.query(
                    """
                    UPDATE tmws.memories SET read_at = now()
                    WHERE memory_id = ANY(\(Array(ids))::uuid[]) AND scope = 'GLOBAL' AND (read_at IS NULL OR read_at < now() - interval '1 hour')
                    """,
                    logger: logger
                )
            }
        }
    }
}
