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

    /// Counts only ids not already waiting: a memory read a thousand times takes one place.
    func record(_ ids: [UUID], tenant: UUID) {
        guard !ids.isEmpty else { return }
        let dropped = pending.withLock { pending -> Int in
            var dropped = 0
            for id in ids {
                if pending.ids[tenant]?.contains(id) == true { continue }
                guard pending.count < Self.capacity else {
                    dropped += 1
                    continue
                }
                pending.ids[tenant, default: []].insert(id)
                pending.count += 1
            }
            return dropped
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
    /// per tenant (in its own tenant's transaction). A row a push holds is skipped, not waited
    /// for (the push is a newer sign of life than the read); a tenant whose write fails keeps
    /// its reads for the next flush.
    package func flushReads() async throws {
        let logger = self.logger
        var failure: (any Error)?
        for (tenant, ids) in reads.take() {
            do {
                try await database.withTenant(TenantContext(tenantID: tenant, userID: nil)) { db in
                    _ = try await db.query(
                        """
                        UPDATE tmws.memories SET read_at = now() WHERE memory_id IN (
                            SELECT memory_id FROM tmws.memories WHERE memory_id = ANY(\(Array(ids))::uuid[]) AND scope = 'GLOBAL'
                              AND (read_at IS NULL OR read_at < now() - interval '1 hour')
                            ORDER BY memory_id FOR UPDATE SKIP LOCKED)
                        """,
                        logger: logger
                    )
                }
            } catch {
                reads.record(Array(ids), tenant: tenant)
                failure = error
            }
        }
        if let failure { throw failure }
    }
}
