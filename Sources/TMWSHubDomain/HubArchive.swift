import Foundation
import TMWSCore

/// When GLOBAL memories move to the cold tier (the roadmap's phase 6: «12ヶ月以上アクセスのない
/// GLOBALメモリをcold storageへ» once a tenant passes 100 GB): a tenant over its budget moves
/// the memories not changed and not read on the hub for `minimumAge`, oldest first.
package struct ArchivePolicy: Sendable, Hashable {
    /// The tenant's stored bytes (memories and change log) above which it archives.
    package var budgetBytes: Int64
    /// How long a memory must have gone unchanged and unread.
    package var minimumAgeDays: Int
    /// Memories per cold batch (one compressed value).
    package var batchSize: Int

    package static let standard = ArchivePolicy(checkedBudget: 100 << 30, days: 365, batch: 1_000)

    /// - Throws: `invalid_input` for a budget below zero, an age outside 1 to 36,500 days or a
    ///   batch outside 1 to 10,000.
    package init(budgetBytes: Int64, minimumAgeDays: Int, batchSize: Int = 1_000) throws {
        guard budgetBytes >= 0 else { throw TMWSError(.invalidInput, "the budget is 0 bytes or more", field: "budget") }
        guard (1...36_500).contains(minimumAgeDays) else {
            throw TMWSError(.invalidInput, "the age is 1 to 36500 days", field: "older_than_days")
        }
        guard (1...10_000).contains(batchSize) else { throw TMWSError(.invalidInput, "a batch is 1 to 10000 memories", field: "batch") }
        self.init(checkedBudget: budgetBytes, days: minimumAgeDays, batch: batchSize)
    }

    private init(checkedBudget: Int64, days: Int, batch: Int) {
        (budgetBytes, minimumAgeDays, batchSize) = (checkedBudget, days, batch)
    }

    /// Whether a tenant storing `storedBytes` archives at all.
    package func applies(toStoredBytes storedBytes: Int64) -> Bool { storedBytes > budgetBytes }
}

/// What an archive run did (or, dry, would do).
package struct ArchiveReport: Sendable, Hashable, Encodable {
    package var tenantID: UUID
    package var dryRun: Bool
    package var storedBytes: Int64
    package var budgetBytes: Int64
    package var overBudget: Bool
    /// Memories old and unread enough to move.
    package var candidates: Int
    package var moved: Int
    package var batches: Int
    /// The moved memories' bytes in the hot table, and their batches' in the cold tier.
    package var hotBytes: Int64
    package var coldBytes: Int64

    package init(
        tenantID: UUID, dryRun: Bool, storedBytes: Int64, budgetBytes: Int64, overBudget: Bool, candidates: Int, moved: Int, batches: Int,
        hotBytes: Int64, coldBytes: Int64
    ) {
        (self.tenantID, self.dryRun, self.storedBytes, self.budgetBytes, self.overBudget) = (tenantID, dryRun, storedBytes, budgetBytes, overBudget)
        (self.candidates, self.moved, self.batches, self.hotBytes, self.coldBytes) = (candidates, moved, batches, hotBytes, coldBytes)
    }

    /// Bytes saved: the rows' hot bytes less their cold batches' (the search index entries
    /// they no longer have come on top).
    package var bytesSaved: Int64 { moved == 0 ? 0 : hotBytes - coldBytes }

    enum CodingKeys: String, CodingKey {
        case candidates, moved, batches
        case tenantID = "tenant_id"
        case dryRun = "dry_run"
        case storedBytes = "stored_bytes"
        case budgetBytes = "budget_bytes"
        case overBudget = "over_budget"
        case hotBytes = "hot_bytes"
        case coldBytes = "cold_bytes"
        case bytesSaved = "bytes_saved"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantID.uuidString.lowercased(), forKey: .tenantID)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(storedBytes, forKey: .storedBytes)
        try container.encode(budgetBytes, forKey: .budgetBytes)
        try container.encode(overBudget, forKey: .overBudget)
        try container.encode(candidates, forKey: .candidates)
        try container.encode(moved, forKey: .moved)
        try container.encode(batches, forKey: .batches)
        try container.encode(hotBytes, forKey: .hotBytes)
        try container.encode(coldBytes, forKey: .coldBytes)
        try container.encode(bytesSaved, forKey: .bytesSaved)
    }
}
