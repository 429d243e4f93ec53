/// What the sync engine needs of a node's store, and nothing more.

/// The queue of change events a node's writes made, oldest first.
package protocol ChangeOutbox: Sendable {
    /// Up to `limit` pending events, in the order they were written (so per memory too).
    func pendingEvents(limit: Int) async throws -> [OutboxEvent]

    /// Up to `limit` pending events written after `eventID` (none when it is no longer pending).
    func pendingEvents(after eventID: String, limit: Int) async throws -> [OutboxEvent]

    /// Removes events the hub has taken (applied, or already had). Unknown ids are ignored.
    func acknowledge(_ eventIDs: [String]) async throws
}

/// Applying a change another device made.
package protocol RemoteChangeReceiver: Sendable {
    /// Applies a change in one transaction: the memory, its tags and search index, and the
    /// node's hybrid clock (merged with the event's); no sync event is made for it.
    ///
    /// - Returns: `.stale` when the node already holds this version or a later one;
    ///   `.refused` for an event out of bounds, of a local scope, or that would touch a memory
    ///   this node holds in a local scope or never held.
    func applyRemote(_ event: ChangeEvent) async throws -> RemoteApplyOutcome
}

/// What applying a remote change did.
package enum RemoteApplyOutcome: String, Sendable, Hashable {
    /// The change is now the node's version of the memory.
    case applied
    /// The node already had this version or a later one; nothing changed.
    case stale
    /// The event broke a bound (``ChangeEvent/refusal(receivedAt:bounds:)``) or would touch
    /// a memory this node holds in a local scope or never held: counted, nothing changed.
    case refused
}

/// A node's pull position, and a pulled page applied together with it.
package protocol SyncCursorStore: Sendable {
    /// Where the last pull ended (`nil`: never pulled).
    func syncCursor() async throws -> String?

    /// Applies a pulled page and records its cursor, in one transaction: a crash leaves
    /// either both or neither. A change that meets this node's own unpushed change of the
    /// same memory is a conflict, kept when ``SyncConflict/isKept(_:_:threshold:)`` says so.
    func applyRemote(_ events: [ChangeEvent], cursor: String, conflictThreshold: Double) async throws -> [RemoteApplyOutcome]

    /// Events waiting in the outbox.
    func pendingEventCount() async throws -> Int
}

/// The hub, as the sync engine sees it (the hub client implements it).
package protocol SyncTransport: Sendable {
    /// Sends the events as the outbox holds them; a result per event, in their order.
    func push(_ events: [OutboxEvent]) async throws -> [PushResult]
    func pull(cursor: String?, limit: Int) async throws -> PullOutcome
}

/// Pulled SHARED changes this device cannot open yet (it has no key for their epoch: an admin
/// has not added this device to the team), kept to be opened after a later pull instead of
/// being skipped for good.
package protocol SealedHolding: Sendable {
    func hold(_ events: [ChangeEvent]) async throws
    func heldEvents() async throws -> [ChangeEvent]
    func release(_ eventIDs: [String]) async throws
    /// Records the team epoch this node's own changes were sealed under (the hub took them):
    /// a pulled change of one of these memories under an older epoch is refused.
    func raiseEpochFloors(_ floors: [MemoryID: Int]) async throws
}

extension SealedHolding {
    package func raiseEpochFloors(_ floors: [MemoryID: Int]) async throws {}
}

/// A pulled page.
package struct PullOutcome: Sendable {
    package var events: [ChangeEvent]
    package var nextCursor: String
    package var hasMore: Bool

    package init(events: [ChangeEvent], nextCursor: String, hasMore: Bool) {
        self.events = events
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }
}

/// Outgoing events the second line of defence stopped: kept on the node, never pushed.
package protocol SyncQuarantine: Sendable {
    /// Moves an event from the outbox to the quarantine, recording the finding types (never values).
    func quarantine(_ eventID: String, findingTypes: [String]) async throws

    func quarantinedEvents() async throws -> [QuarantinedEvent]
}

package struct QuarantinedEvent: Sendable, Hashable, Encodable {
    package var eventID: String
    package var memoryID: String
    package var findingTypes: [String]
    package var quarantinedAt: String

    package init(eventID: String, memoryID: String, findingTypes: [String], quarantinedAt: String) {
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

/// Sync as agents and scripts drive it (MCP `sync_status`, `sync_now`, `set_offline_mode`,
/// `list_conflicts`, `resolve_conflict`; the CLI's `tmws sync`). The executable wires it to
/// the store and the hub.
package protocol SyncControl: Sendable {
    func status() async throws -> SyncStatusReport
    /// One full push and pull now. Throws `configuration` when hybrid mode is off, the node is
    /// not enrolled, sync is paused or offline by hand.
    func syncNow() async throws -> SyncNowReport
    func setOffline(_ offline: Bool) async throws
    func conflicts() async throws -> [SyncConflict]
    /// Makes the chosen version current (a new local version, synced like any edit) and
    /// forgets the conflict.
    ///
    /// - Throws: `not_found` for a memory without a conflict; `invalid_input` for a bad choice.
    func resolveConflict(_ id: MemoryID, keep: SyncConflict.Choice, content: String?, by caller: Caller) async throws -> ConflictResolution
}

/// What `sync resolve` did.
package struct ConflictResolution: Sendable, Encodable {
    package var id: String
    package var kept: String
    /// The memory's version now, or `nil` when it was deleted in the meantime.
    package var version: Int?
    /// Whether a new version was written (keeping the version already current writes none).
    package var written: Bool

    package init(id: String, kept: String, version: Int?, written: Bool) {
        self.id = id
        self.kept = kept
        self.version = version
        self.written = written
    }
}

/// `sync status`.
package struct SyncStatusReport: Sendable, Encodable {
    package var hybridMode: Bool
    package var enrolled: Bool
    package var offline: Bool
    /// `manual` (`sync offline on`), `automatic` (after repeated failures; retried now and
    /// then, and by any `sync now`), or `nil` when online.
    package var offlineReason: String?
    package var paused: Bool
    package var pending: Int
    package var quarantined: Int
    package var conflicts: Int
    package var cursor: String?
    /// When a sync last finished without error (ISO 8601), or `nil`.
    package var lastSuccess: String?
    /// Failures since the last success, and the last one's message (never content).
    package var consecutiveFailures: Int
    package var lastError: String?
    /// Pulled SHARED changes refused (bad signature, tampered, unknown author) and why the
    /// last one was: never applied.
    package var sealedRefused = 0
    package var lastSealedRefusal: String?
    /// Pulled changes this node refused (a clock, version, size or date out of bounds; a
    /// memory it holds in a local scope or never held), and why the last one was.
    package var pullRefused = 0
    package var lastPullRefusal: String?
    /// Teams whose log, as the hub serves it, forks from the one a member wrote under (that
    /// change was refused; `tmws team clear-alarms` once an admin has checked): their ids.
    package var forkedTeams: [String] = []
    /// Pulled SHARED changes waiting for a key to open them, and why (this device's keys are
    /// locked, or it is not yet a device of their team).
    package var sealedWaiting = 0
    package var sealedWaitingReason: String?

    package init(
        hybridMode: Bool, enrolled: Bool, offline: Bool, offlineReason: String?, paused: Bool, pending: Int, quarantined: Int,
        conflicts: Int, cursor: String?, lastSuccess: String?, consecutiveFailures: Int, lastError: String?
    ) {
        self.hybridMode = hybridMode
        self.enrolled = enrolled
        self.offline = offline
        self.offlineReason = offlineReason
        self.paused = paused
        self.pending = pending
        self.quarantined = quarantined
        self.conflicts = conflicts
        self.cursor = cursor
        self.lastSuccess = lastSuccess
        self.consecutiveFailures = consecutiveFailures
        self.lastError = lastError
    }

    enum CodingKeys: String, CodingKey {
        case enrolled, offline, paused, pending, quarantined, conflicts, cursor
        case hybridMode = "hybrid_mode"
        case offlineReason = "offline_reason"
        case lastSuccess = "last_success"
        case consecutiveFailures = "consecutive_failures"
        case lastError = "last_error"
        case sealedRefused = "sealed_refused"
        case lastSealedRefusal = "last_sealed_refusal"
        case pullRefused = "pull_refused"
        case lastPullRefusal = "last_pull_refusal"
        case forkedTeams = "forked_teams"
        case sealedWaiting = "sealed_waiting"
        case sealedWaitingReason = "sealed_waiting_reason"
    }

    // `nil`s as JSON nulls, so scripts see every key.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hybridMode, forKey: .hybridMode)
        try container.encode(enrolled, forKey: .enrolled)
        try container.encode(offline, forKey: .offline)
        try container.encode(offlineReason, forKey: .offlineReason)
        try container.encode(paused, forKey: .paused)
        try container.encode(pending, forKey: .pending)
        try container.encode(quarantined, forKey: .quarantined)
        try container.encode(conflicts, forKey: .conflicts)
        try container.encode(cursor, forKey: .cursor)
        try container.encode(lastSuccess, forKey: .lastSuccess)
        try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(sealedRefused, forKey: .sealedRefused)
        try container.encode(lastSealedRefusal, forKey: .lastSealedRefusal)
        try container.encode(pullRefused, forKey: .pullRefused)
        try container.encode(lastPullRefusal, forKey: .lastPullRefusal)
        try container.encode(sealedWaiting, forKey: .sealedWaiting)
        try container.encode(sealedWaitingReason, forKey: .sealedWaitingReason)
    }
}

/// `sync now`.
package struct SyncNowReport: Sendable, Encodable {
    package var pushed: Int
    package var pulled: Int
    package var refused: Int
    package var quarantined: Int
    /// Open conflicts after the run (`tmws sync conflicts`).
    package var conflicts: Int
    package var pending: Int
    package var cursor: String?
    /// Why the sync stopped early, or `nil`.
    package var problem: String?
    /// Whether the node is offline after the run (it went offline by itself after repeated failures).
    package var offline: Bool
    /// Why the hub refused events (ids and statuses, no content).
    package var refusals: [String]
    /// Pulled changes this node refused in the run, and why the last one was.
    package var pulledRefused = 0
    package var lastPullRefusal: String?
    /// Pulled SHARED changes waiting for a key after the run, and why.
    package var sealedWaiting = 0
    package var sealedWaitingReason: String?

    enum CodingKeys: String, CodingKey {
        case pushed, pulled, refused, quarantined, conflicts, pending, cursor, problem, offline, refusals
        case pulledRefused = "pulled_refused"
        case lastPullRefusal = "last_pull_refusal"
        case sealedWaiting = "sealed_waiting"
        case sealedWaitingReason = "sealed_waiting_reason"
    }

    package init(
        pushed: Int, pulled: Int, refused: Int, quarantined: Int, conflicts: Int, pending: Int, cursor: String?, problem: String?,
        offline: Bool, refusals: [String]
    ) {
        self.pushed = pushed
        self.pulled = pulled
        self.refused = refused
        self.quarantined = quarantined
        self.conflicts = conflicts
        self.pending = pending
        self.cursor = cursor
        self.problem = problem
        self.offline = offline
        self.refusals = refusals
    }
}
