/// What the sync engine needs of a node's store, and nothing more.

/// The queue of change events a node's writes made, oldest first.
public protocol ChangeOutbox: Sendable {
    /// Up to `limit` pending events, in the order they were written (so per memory too).
    func pendingEvents(limit: Int) async throws -> [ChangeEvent]

    /// Removes events the hub has taken (applied, or already had). Unknown ids are ignored.
    func acknowledge(_ eventIDs: [String]) async throws
}

/// Applying a change another device made.
public protocol RemoteChangeReceiver: Sendable {
    /// Applies a change in one transaction: the memory, its tags and search index, and the
    /// node's hybrid clock (merged with the event's); no sync event is made for it.
    ///
    /// - Returns: `.stale` when the node already holds this version or a later one.
    /// - Throws: `invalid_input` for an event of a local scope (PRIVATE and PROJECT never
    ///   come from the hub).
    func applyRemote(_ event: ChangeEvent) async throws -> RemoteApplyOutcome
}

/// What applying a remote change did.
public enum RemoteApplyOutcome: String, Sendable, Hashable {
    /// The change is now the node's version of the memory.
    case applied
    /// The node already had this version or a later one; nothing changed.
    case stale
}
