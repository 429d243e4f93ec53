import Foundation

/// Persistent storage for memories.
///
/// A conforming store keeps its search index, outbox and audit log consistent with every
/// write in the same transaction, hides deleted and expired memories from every read, and
/// never loses a write when several processes share it.
package protocol MemoryStore: Sendable {
    /// Stores a new memory (version 1).
    ///
    /// - Throws: `invalid_input` when the draft's id already exists.
    func create(_ draft: DecidedDraft, by caller: Caller) async throws -> Memory

    /// Reads a live memory and records the access.
    ///
    /// - Throws: `not_found` when it does not exist, was deleted or has expired.
    func get(_ id: MemoryID) async throws -> Memory

    /// Reads a live memory without recording an access (for internal checks).
    ///
    /// - Throws: `not_found`.
    func read(_ id: MemoryID) async throws -> Memory

    /// Appends an audit record for a write the classifier refused (no memory is stored).
    func recordRefusal(scope: MemoryScope, namespace: Namespace, details: [String], by caller: Caller) async throws

    /// Applies a patch, increasing the version by one.
    ///
    /// - Throws: `not_found`; `version_conflict` when `patch.expectedVersion` is stale.
    func update(_ id: MemoryID, with patch: DecidedPatch, by caller: Caller) async throws -> Memory

    /// Deletes a memory, leaving a tombstone (version increased, content erased).
    ///
    /// - Throws: `not_found`; `version_conflict` when `expectedVersion` is stale.
    func delete(_ id: MemoryID, expectedVersion: Int?, by caller: Caller) async throws -> Memory

    /// Lists live memories, newest first, one page at a time.
    ///
    /// - Throws: `invalid_input` for a malformed cursor or limit.
    func list(_ request: ListRequest) async throws -> MemoryPage

    /// Full-text search over live memories, best first, recording an access for each hit
    /// (possibly in batches: see ``flushAccesses()``).
    func search(_ request: SearchRequest) async throws -> [SearchHit]

    /// Writes access counts still held in memory (a process calls it before it exits).
    func flushAccesses() async throws

    /// Writes a batch in one transaction: all of it or none of it. Drafts whose id
    /// already exists are skipped.
    func importBatch(_ drafts: [DecidedDraft], by caller: Caller) async throws -> ImportOutcome

    /// Removes expired memories and local tombstones (`dryRun` reports without removing).
    func pruneExpired(dryRun: Bool, by caller: Caller) async throws -> PruneOutcome

    /// Counts by scope and namespace, and the sizes of the outbox and audit log.
    func statistics() async throws -> MemoryStatistics

    /// Stores a new memory unless `judge`, shown the lookalikes of the draft (as
    /// ``lookalikes(keys:scope:namespace:team:limit:)`` finds them), names a stored memory the
    /// write goes into instead; both in one transaction. Returns the memory stored, or the one
    /// named, and the judge's verdict on the lookalikes.
    func create<Verdict: Sendable>(
        _ draft: DecidedDraft, unlessLike keys: [Int64], limit: Int, by caller: Caller,
        judge: @escaping @Sendable ([Memory]) -> (into: Memory?, verdict: Verdict)
    ) async throws -> (memory: Memory, verdict: Verdict)

    /// Live memories (not archived, not evicted) filed under any of these MinHash keys
    /// (``MinHash/keys(of:)``) in this scope, namespace and team: the candidates of a
    /// duplicate check, at most `limit`.
    func lookalikes(keys: [Int64], scope: MemoryScope, namespace: Namespace, team: String?, limit: Int) async throws -> [Memory]

    /// The live memories that supersede this one.
    func successors(of id: MemoryID) async throws -> [Memory]

    /// Marks a memory held for review as accepted by a person on this node (an audit record
    /// says who); returns it.
    ///
    /// - Throws: `not_found`; `invalid_input` when it is not held for review.
    func acceptReview(_ id: MemoryID, by caller: Caller) async throws -> Memory

    /// Calls `body` with every live memory in id order, in pages, for export.
    func forEachMemory(
        filter: MemoryFilter, _ body: @Sendable ([Memory]) throws -> Void
    ) async throws
}
