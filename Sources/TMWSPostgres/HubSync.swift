import Foundation
import Logging
import PostgresNIO
import TMWSCore

/// What the hub answers for one pushed event.
public struct PushResult: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        /// Written, and recorded in the change log.
        case applied
        /// Seen before (same event id): nothing changed.
        case duplicate
        /// Concurrent with the hub's version and lost to it (``SyncMerge``); `current_version`
        /// and `concurrent_with` are the hub's. The node lets the event go.
        case conflict
        /// Never accepted; `reason` says why (no content, no secret in it).
        case rejected
    }

    public var eventID: String
    public var status: Status
    public var currentVersion: Int?
    public var reason: String?
    /// For a change concurrent with the hub's version: that version's change event.
    public var concurrentWith: ChangeEvent?

    public init(eventID: String, status: Status, currentVersion: Int? = nil, reason: String? = nil, concurrentWith: ChangeEvent? = nil) {
        self.eventID = eventID
        self.status = status
        self.currentVersion = currentVersion
        self.reason = reason
        self.concurrentWith = concurrentWith
    }

    enum CodingKeys: String, CodingKey {
        case status, reason
        case eventID = "event_id"
        case currentVersion = "current_version"
        case concurrentWith = "concurrent_with"
    }
}

/// A position in a tenant's change log: the committing transaction's id and the row's
/// sequence number, written `v1.<xid>.<seq>`.
///
/// A plain sequence number would skip changes: sequence numbers are taken when a row is
/// inserted, so a transaction that inserted earlier (a lower number) can commit after one
/// that inserted later, and a reader that already moved past the later number never sees
/// it. Pull therefore returns only rows whose transaction id is below the oldest transaction
/// still running (`pg_snapshot_xmin`): those transactions have all ended, so no row can ever
/// appear behind the cursor. Order is (transaction id, sequence number).
public struct SyncCursor: Sendable, Hashable, CustomStringConvertible {
    public var transaction: UInt64
    public var sequence: Int64

    public static let start = SyncCursor(transaction: 0, sequence: 0)

    public init(transaction: UInt64, sequence: Int64) {
        self.transaction = transaction
        self.sequence = sequence
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let transaction = UInt64(parts[1]), let sequence = Int64(parts[2]), sequence >= 0 else {
            throw TMWSError(.invalidInput, "malformed cursor: pass the next_cursor of the previous pull, or none to start", field: "cursor")
        }
        self.init(transaction: transaction, sequence: sequence)
    }

    public var description: String { "v1.\(transaction).\(sequence)" }
}

/// A page of pulled changes.
public struct PullPage: Sendable {
    public var events: [ChangeEvent]
    public var nextCursor: SyncCursor
    public var hasMore: Bool
}

extension HubStore {
    /// The most events one push may carry.
    public static let maximumPushEvents = 500
    /// The most events one pull returns.
    public static let maximumPullEvents = 1000

    /// Applies a batch of change events in one transaction, idempotent by event id, with a
    /// result per event. The hub checks every event again: only GLOBAL memories are taken in
    /// plaintext (SHARED ones need end-to-end encryption), and content with sensitive data is
    /// refused (the node's classifier should have stopped it first).
    public func push(_ events: [ChangeEvent], as device: AuthenticatedDevice) async throws -> [PushResult] {
        guard events.count <= Self.maximumPushEvents else {
            throw TMWSError(.invalidInput, "at most \(Self.maximumPushEvents) events per push, got \(events.count)", field: "events")
        }
        let checked = events.map { event in (event, Self.refusal(of: event)) }
        let memoryIDs = Array(Set(checked.filter { $0.1 == nil }.map { $0.0.memoryID.description }))
        return try await database.withTenant(device.context) { db in
            // One push at a time per memory: a batch sent again while its first copy is still
            // being applied (the node was killed, or timed out, and retried) waits here, then
            // finds its events logged and answers `duplicate`. Taken in one sorted order, so
            // two batches never deadlock.
            try await db.query(
                """
                SELECT pg_advisory_xact_lock(key) FROM (
                    SELECT DISTINCT hashtextextended(id, 7201) AS key FROM unnest(\(memoryIDs)::text[]) AS id ORDER BY key
                ) AS locks
                """,
                logger: logger
            )
            var results: [PushResult] = []
            for (event, refusal) in checked {
                if let refusal {
                    results.append(PushResult(eventID: event.eventID, status: .rejected, reason: refusal))
                    continue
                }
                results.append(try await apply(event, as: device, on: db))
            }
            return results
        }
    }

    /// Why an event is refused before it touches the database, or `nil`.
    static func refusal(of event: ChangeEvent) -> String? {
        guard event.formatVersion == ChangeEvent.formatVersion else { return "event format \(event.formatVersion) is not supported" }
        guard UUID(uuidString: event.eventID) != nil else { return "event_id must be a UUID" }
        guard event.version >= 1, event.baseVersion.map({ $0 >= 1 && $0 < event.version }) ?? true else {
            return "version must be at least 1 and above base_version"
        }
        guard (event.operation == .create) == (event.baseVersion == nil) else { return "a create has no base_version; an update or delete has one" }
        guard let memory = event.memory else {
            return event.operation == .delete ? nil : "a \(event.operation.rawValue) carries the memory's fields"
        }
        switch memory.scope {
        case .global: break
        case .shared: return "SHARED memories are accepted only end-to-end encrypted"
        case .private, .project: return "\(memory.scope.rawValue) memories never leave the node"
        }
        if let findings = event.sensitiveFindings() {
            return "sensitive data (\(findings.joined(separator: ", "))) may not be GLOBAL"
        }
        return nil
    }

    /// One event, inside the push's transaction: ``SyncMerge`` decides against the hub's
    /// version, exactly as every node does, so all of them keep the same winner. A change that
    /// loses is answered `conflict` and not logged (the winner already is); a concurrent one,
    /// won or lost, comes back with the version it met so the node can keep the conflict.
    func apply(_ event: ChangeEvent, as device: AuthenticatedDevice, on db: PostgresConnection) async throws -> PushResult {
        let eventID = UUID(uuidString: event.eventID)!
        let memoryID = event.memoryID.uuid
        for try await _ in try await db.query("SELECT 1 FROM tmws.change_log WHERE event_id = \(eventID)", logger: logger).decode(Int.self) {
            return PushResult(eventID: event.eventID, status: .duplicate)
        }
        var current: (version: Int, replica: ReplicaVersion)?
        for try await (version, hlc, origin, deleted) in try await db.query(
            "SELECT version, hlc, origin_device, deleted FROM tmws.memories WHERE memory_id = \(memoryID) FOR UPDATE", logger: logger
        ).decode((Int, Int64, String, Bool).self) {
            current = (version, ReplicaVersion(clock: HybridTimestamp(rawValue: hlc), device: origin, deleted: deleted))
        }
        if current == nil, event.operation == .update {
            return PushResult(eventID: event.eventID, status: .rejected, reason: "no such memory on the hub (push its create first)")
        }
        let decision = SyncMerge.decide(event, current: current?.replica)
        let met = decision.concurrent ? try await latestEvent(of: memoryID, on: db) : nil
        switch decision {
        case .same:
            return PushResult(eventID: event.eventID, status: .duplicate)
        case .keepCurrent:
            return PushResult(eventID: event.eventID, status: .conflict, currentVersion: current?.version, concurrentWith: met)
        case .takeIncoming:
            break
        }
        switch (event.operation, current) {
        case (.delete, nil):
            // Deleted before it ever reached the hub: nothing to remove, but the log keeps it.
            break
        case (.delete, _?):
            try await db.query(
                """
                UPDATE tmws.memories SET deleted = true, content = '', search_text = NULL, tags = '{}', metadata = '{}',
                    classification = NULL, version = \(event.version), hlc = \(event.clock.rawValue), origin_device = \(event.device),
                    updated_at = now()
                WHERE memory_id = \(memoryID)
                """,
                logger: logger
            )
        case (_, nil):
            try await insert(event, as: device, on: db)
        case (_, _?):
            try await update(event, on: db)
        }
        let payload = String(decoding: event.jsonBytes(), as: UTF8.self)
        try await db.query(
            """
            INSERT INTO tmws.change_log (tenant_id, event_id, memory_id, operation, version, hlc, device_id, payload, scope)
            VALUES (\(device.tenantID), \(eventID), \(memoryID), \(event.operation.rawValue), \(event.version), \(event.clock.rawValue),
                    \(device.deviceID), \(payload)::jsonb, 'GLOBAL')
            """,
            logger: logger
        )
        return PushResult(eventID: event.eventID, status: .applied, concurrentWith: met)
    }

    /// The change that made the hub's current version of a memory: the last one logged for it
    /// (changes of one memory are logged under its row lock, so in order).
    private func latestEvent(of memoryID: UUID, on db: PostgresConnection) async throws -> ChangeEvent? {
        for try await payload in try await db.query(
            "SELECT payload::text FROM tmws.change_log WHERE memory_id = \(memoryID) ORDER BY seq DESC LIMIT 1", logger: logger
        ).decode(String.self) {
            return try ChangeEvent.decode(Data(payload.utf8))
        }
        return nil
    }

    private func insert(_ event: ChangeEvent, as device: AuthenticatedDevice, on db: PostgresConnection) async throws {
        let memory = event.memory!
        try await db.query(
            """
            INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content, search_text,
                                       tags, importance, metadata, agent_id, created_at, expires_at, classification)
            VALUES (\(device.tenantID), \(event.memoryID.uuid), 'GLOBAL', \(device.userID), \(memory.namespace.rawValue), \(event.version),
                    \(event.clock.rawValue), \(event.device), \(memory.content), \(SearchText.indexText(memory.content)), \(memory.tags),
                    \(memory.importance), \(Self.json(memory.metadata))::jsonb, \(memory.agentID), \(memory.createdAt), \(memory.expiresAt),
                    \(memory.classification.map { String(decoding: $0.jsonBytes(), as: UTF8.self) })::jsonb)
            """,
            logger: logger
        )
    }

    private func update(_ event: ChangeEvent, on db: PostgresConnection) async throws {
        let memory = event.memory!
        try await db.query(
            """
            UPDATE tmws.memories SET namespace = \(memory.namespace.rawValue), version = \(event.version), hlc = \(event.clock.rawValue),
                origin_device = \(event.device), content = \(memory.content), search_text = \(SearchText.indexText(memory.content)),
                tags = \(memory.tags), importance = \(memory.importance), metadata = \(Self.json(memory.metadata))::jsonb,
                agent_id = \(memory.agentID), expires_at = \(memory.expiresAt),
                classification = \(memory.classification.map { String(decoding: $0.jsonBytes(), as: UTF8.self) })::jsonb,
                deleted = false, updated_at = now()
            WHERE memory_id = \(event.memoryID.uuid)
            """,
            logger: logger
        )
    }

    static func json(_ metadata: [String: JSONValue]) -> String {
        var writer = JSONWriter(capacity: 64)
        writer.value(.object(metadata))
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The tenant's changes after `cursor` that this device may read, oldest first (see
    /// ``SyncCursor`` for why no change is ever skipped).
    public func pull(after cursor: SyncCursor, limit: Int, as device: AuthenticatedDevice) async throws -> PullPage {
        guard (1...Self.maximumPullEvents).contains(limit) else {
            throw TMWSError(.invalidInput, "limit must be between 1 and \(Self.maximumPullEvents)", field: "limit")
        }
        return try await database.withTenant(device.context) { db in
            var events: [ChangeEvent] = []
            var last = cursor
            var more = false
            for try await (transaction, sequence, payload) in try await db.query(
                """
                SELECT committed_xid::text, seq, payload::text FROM tmws.change_log
                WHERE (committed_xid, seq) > (\(String(cursor.transaction))::xid8, \(cursor.sequence))
                  AND committed_xid < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY committed_xid, seq
                LIMIT \(limit + 1)
                """,
                logger: logger
            ).decode((String, Int64, String).self) {
                guard events.count < limit else {
                    more = true
                    break
                }
                events.append(try ChangeEvent.decode(Data(payload.utf8)))
                last = SyncCursor(transaction: UInt64(transaction) ?? 0, sequence: sequence)
            }
            return PullPage(events: events, nextCursor: last, hasMore: more)
        }
    }
}
