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

/// A node's pull position, and a pulled page applied together with it.
public protocol SyncCursorStore: Sendable {
    /// Where the last pull ended (`nil`: never pulled).
    func syncCursor() async throws -> String?

    /// Applies a pulled page and records its cursor, in one transaction: a crash leaves
    /// either both or neither.
    func applyRemote(_ events: [ChangeEvent], cursor: String) async throws -> [RemoteApplyOutcome]

    /// Events waiting in the outbox.
    func pendingEventCount() async throws -> Int
}

/// The hub, as the sync engine sees it (the hub client implements it).
public protocol SyncTransport: Sendable {
    func push(_ events: [ChangeEvent]) async throws -> [PushOutcome]
    func pull(cursor: String?, limit: Int) async throws -> PullOutcome
}

/// The hub's answer for one pushed event.
public struct PushOutcome: Sendable, Hashable {
    /// `applied`, `duplicate`, `conflict` or `rejected`.
    public var status: String
    public var eventID: String
    public var reason: String?

    public init(status: String, eventID: String, reason: String?) {
        self.status = status
        self.eventID = eventID
        self.reason = reason
    }

    /// Whether the hub has the event (so the outbox can let it go).
    public var taken: Bool { status == "applied" || status == "duplicate" }
}

/// A pulled page.
public struct PullOutcome: Sendable {
    public var events: [ChangeEvent]
    public var nextCursor: String
    public var hasMore: Bool

    public init(events: [ChangeEvent], nextCursor: String, hasMore: Bool) {
        self.events = events
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }
}

/// Outgoing events the second line of defence stopped: kept on the node, never pushed.
public protocol SyncQuarantine: Sendable {
    /// Moves an event from the outbox to the quarantine, recording the finding types (never values).
    func quarantine(_ eventID: String, findingTypes: [String]) async throws

    func quarantinedEvents() async throws -> [QuarantinedEvent]
}

public struct QuarantinedEvent: Sendable, Hashable, Encodable {
    public var eventID: String
    public var memoryID: String
    public var findingTypes: [String]
    public var quarantinedAt: String

    public init(eventID: String, memoryID: String, findingTypes: [String], quarantinedAt: String) {
        self.eventID = eventID
        self.memoryID = memoryID
        self.findingTypes = findingTypes
        self.quarantinedAt = quarantinedAt
    }

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case memoryID = "memory_id"
        case findingTypes = "finding_types"
        case quarantinedAt = "quarantined_at"
    }
}

/// Sync as agents and scripts drive it (MCP `sync_status`, `sync_now`, `set_offline_mode`;
/// the CLI's `tmws sync`). The executable wires it to the store and the hub.
public protocol SyncControl: Sendable {
    func status() async throws -> SyncStatusReport
    /// One full push and pull now. Throws `configuration` when hybrid mode is off, the node is
    /// not enrolled, sync is paused or offline.
    func syncNow() async throws -> SyncNowReport
    func setOffline(_ offline: Bool) async throws
}

/// `sync status`.
public struct SyncStatusReport: Sendable, Encodable {
    public var hybridMode: Bool
    public var enrolled: Bool
    public var offline: Bool
    public var paused: Bool
    public var pending: Int
    public var quarantined: Int
    public var cursor: String?

    public init(hybridMode: Bool, enrolled: Bool, offline: Bool, paused: Bool, pending: Int, quarantined: Int, cursor: String?) {
        self.hybridMode = hybridMode
        self.enrolled = enrolled
        self.offline = offline
        self.paused = paused
        self.pending = pending
        self.quarantined = quarantined
        self.cursor = cursor
    }

    enum CodingKeys: String, CodingKey {
        case enrolled, offline, paused, pending, quarantined, cursor
        case hybridMode = "hybrid_mode"
    }
}

/// `sync now`.
public struct SyncNowReport: Sendable, Encodable {
    public var pushed: Int
    public var pulled: Int
    public var refused: Int
    public var quarantined: Int
    public var pending: Int
    public var cursor: String?
    /// Why the sync stopped early, or `nil`.
    public var problem: String?
    /// Why the hub refused events (ids and statuses, no content).
    public var refusals: [String]

    public init(pushed: Int, pulled: Int, refused: Int, quarantined: Int, pending: Int, cursor: String?, problem: String?, refusals: [String]) {
        self.pushed = pushed
        self.pulled = pulled
        self.refused = refused
        self.quarantined = quarantined
        self.pending = pending
        self.cursor = cursor
        self.problem = problem
        self.refusals = refusals
    }
}
