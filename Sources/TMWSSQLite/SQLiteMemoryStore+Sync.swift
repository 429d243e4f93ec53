import Foundation
import GRDB
import TMWSCore

extension SQLiteMemoryStore: SealedHolding, ChangeOutbox, RemoteChangeReceiver, SyncCursorStore, SyncQuarantine, SyncConflictStore {
    package func pendingEvents(limit: Int) async throws -> [OutboxEvent] {
        try await read { db, _ in
            try Self.withVectors(
                try String.fetchAll(db, sql: "SELECT payload FROM outbox ORDER BY seq LIMIT ?", arguments: [max(0, limit)]), in: db)
        }
    }

    package func pendingEvents(after eventID: String, limit: Int) async throws -> [OutboxEvent] {
        try await read { db, _ in
            try Self.withVectors(
                try String.fetchAll(
                    db, sql: "SELECT payload FROM outbox WHERE seq > (SELECT seq FROM outbox WHERE event_id = ?) ORDER BY seq LIMIT ?",
                    arguments: [eventID, max(0, limit)]
                ), in: db)
        }
    }

    /// Outbox events as they go out: each write of a memory's fields carries this node's
    /// vector of them, when it has one for exactly that text (the embedding loop usually has
    /// made it by the time a push runs), so a receiver with the same model need not embed it.
    static func withVectors(_ payloads: [String], in db: Database) throws -> [OutboxEvent] {
        try payloads.map { payload in
            let stored = try OutboxEvent(stored: payload.utf8)
            guard let fields = stored.event.memory, fields.scope.isCloud,
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT v.model, v.scale, v.vector FROM memory m JOIN memory_vector v ON v.memory_seq = m.seq
                            WHERE m.id = ? AND m.content = ?
                            """),
                    arguments: [stored.event.memoryID.description, fields.content]),
                let vector = storedVector(row, at: 0)
            else { return stored }
            var event = stored.event
            event.vector = vector
            return OutboxEvent(event)
        }
    }

    package func acknowledge(_ eventIDs: [String]) async throws {
        guard !eventIDs.isEmpty else { return }
        try await write { db, _ in
            try db.execute(
                sql: "DELETE FROM outbox WHERE event_id IN (\(Self.placeholders(eventIDs.count)))",
                arguments: StatementArguments(eventIDs)
            )
        }
    }

    package func applyRemote(_ event: ChangeEvent) async throws -> RemoteApplyOutcome {
        try await applyRemote([event], cursor: nil, conflictThreshold: .infinity)[0]
    }

    package func applyRemote(_ events: [ChangeEvent], cursor: String, conflictThreshold: Double) async throws -> [RemoteApplyOutcome] {
        try await applyRemote(events, cursor: Optional(cursor), conflictThreshold: conflictThreshold)
    }

    private func applyRemote(_ events: [ChangeEvent], cursor: String?, conflictThreshold: Double) async throws -> [RemoteApplyOutcome] {
        let (tenant, cache, device, folds) = (configuration.tenantID, configuration.cache, deviceID, configuration.foldsPulledDuplicates)
        return try await loggedWrite { log in
            // One bad event is refused and counted; the rest of the page, and the cursor, go on.
            var outcomes: [RemoteApplyOutcome] = []
            for event in events {
                var outcome = RemoteApplyOutcome.refused
                var refusal = event.refusal(receivedAt: log.now)
                if refusal == nil {
                    do {
                        try log.db.inSavepoint {
                            outcome = try Self.applyRemote(event, tenant: tenant, conflictThreshold: conflictThreshold, log: &log)
                            if folds, outcome == .applied, event.memory != nil {
                                try Self.foldDuplicate(of: event.memoryID, log: &log)
                            }
                            return .commit
                        }
                    } catch let error as TMWSError where error.code == .invalidInput {
                        refusal = error.message
                    }
                }
                if let refusal {
                    outcome = .refused
                    try Self.recordRefusal(of: event, refusal, in: log.db)
                }
                outcomes.append(outcome)
            }
            // A held SHARED change that opened at last goes with the page that applied it.
            if try Bool.fetchOne(log.db, sql: "SELECT EXISTS (SELECT 1 FROM sync_sealed_waiting)") == true {
                for event in events where event.sealed != nil {
                    try log.db.execute(sql: "DELETE FROM sync_sealed_waiting WHERE event_id = ?", arguments: [event.eventID])
                }
            }
            if let cursor {
                try log.db.execute(
                    sql: "INSERT INTO meta(key, value) VALUES ('sync_cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    arguments: [cursor]
                )
            }
            // In `hot` mode the page's new memories may put the held set over its budget.
            _ = try Self.enforceCache(cache, device: device, in: log.db, now: log.now)
            return outcomes
        }
    }

    package func quarantine(_ eventID: String, findingTypes: [String]) async throws {
        try await loggedWrite { log in
            let db = log.db
            guard let row = try Row.fetchOne(db, sql: "SELECT memory_id, payload FROM outbox WHERE event_id = ?", arguments: [eventID]) else { return }
            let memoryID: String = row[0]
            try db.execute(
                sql: "INSERT OR REPLACE INTO sync_quarantine(event_id, memory_id, finding_types, payload, quarantined_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [eventID, memoryID, findingTypes.joined(separator: ","), row[1] as String, MemoryRow.millis(log.now)]
            )
            try db.execute(sql: "DELETE FROM outbox WHERE event_id = ?", arguments: [eventID])
            if let id = try? MemoryID(parsing: memoryID), let (_, memory) = try? Self.fetchAny(db, id) {
                try log.audit(.quarantine, memory, actor: "sync", details: ["findings:" + findingTypes.joined(separator: "+")])
            }
        }
    }

    package func hold(_ events: [ChangeEvent]) async throws {
        try await write { db, now in
            for event in events {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO sync_sealed_waiting(event_id, payload, held_at) VALUES (?, ?, ?)",
                    arguments: [event.eventID, String(decoding: event.jsonBytes(), as: UTF8.self), MemoryRow.millis(now)]
                )
            }
        }
    }

    package func heldEvents() async throws -> [ChangeEvent] {
        try await read { db, _ in
            try String.fetchAll(db, sql: "SELECT payload FROM sync_sealed_waiting ORDER BY held_at, event_id").map { try ChangeEvent.decode($0.utf8) }
        }
    }

    package func raiseEpochFloors(_ floors: [MemoryID: Int]) async throws {
        try await write { db, _ in
            for (id, epoch) in floors {
                try db.execute(
                    sql: "UPDATE memory SET team_epoch = max(coalesce(team_epoch, 0), ?) WHERE id = ?", arguments: [epoch, id.description]
                )
            }
        }
    }

    package func release(_ eventIDs: [String]) async throws {
        guard !eventIDs.isEmpty else { return }
        try await write { db, _ in
            for id in eventIDs { try db.execute(sql: "DELETE FROM sync_sealed_waiting WHERE event_id = ?", arguments: [id]) }
        }
    }

    package func quarantinedEvents() async throws -> [QuarantinedEvent] {
        try await read { db, _ in
            try Row.fetchAll(db, sql: "SELECT event_id, memory_id, finding_types, quarantined_at FROM sync_quarantine ORDER BY quarantined_at").map {
                QuarantinedEvent(
                    eventID: $0[0], memoryID: $0[1], findingTypes: ($0[2] as String).split(separator: ",").map(String.init),
                    quarantinedAt: ISO8601.string(from: MemoryRow.date(millis: $0[3]))
                )
            }
        }
    }

    package func recordConflict(local: ChangeEvent, remote: ChangeEvent) async throws {
        try await write { db, now in try Self.recordConflict(local: local, remote: remote, in: db, at: now) }
    }

    /// Keeps the newer version of each side when the memory already has an open conflict.
    static func recordConflict(local: ChangeEvent, remote: ChangeEvent, in db: Database, at now: Date) throws {
        var (local, remote) = (local, remote)
        if let row = try Row.fetchOne(
            db, sql: "SELECT local_payload, remote_payload FROM sync_conflict WHERE memory_id = ?", arguments: [local.memoryID.description]
        ) {
            let kept = (try ChangeEvent.decode(Data((row[0] as String).utf8)), try ChangeEvent.decode(Data((row[1] as String).utf8)))
            if kept.0.replicaVersion > local.replicaVersion { local = kept.0 }
            if kept.1.replicaVersion > remote.replicaVersion { remote = kept.1 }
        }
        try db.execute(
            sql: """
                INSERT INTO sync_conflict(memory_id, local_payload, remote_payload, detected_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(memory_id) DO UPDATE SET local_payload = excluded.local_payload, remote_payload = excluded.remote_payload
                """,
            arguments: [
                local.memoryID.description, String(decoding: local.jsonBytes(), as: UTF8.self),
                String(decoding: remote.jsonBytes(), as: UTF8.self), MemoryRow.millis(now),
            ]
        )
    }

    package func conflicts() async throws -> [SyncConflict] {
        try await read { db, _ in
            try Row.fetchAll(db, sql: "SELECT memory_id, local_payload, remote_payload, detected_at FROM sync_conflict ORDER BY detected_at, memory_id")
                .map {
                    SyncConflict(
                        memoryID: try MemoryID(parsing: $0[0]), local: try ChangeEvent.decode(Data(($0[1] as String).utf8)),
                        remote: try ChangeEvent.decode(Data(($0[2] as String).utf8)), detectedAt: MemoryRow.date(millis: $0[3])
                    )
                }
        }
    }

    package func removeConflict(_ id: MemoryID) async throws {
        try await write { db, _ in try db.execute(sql: "DELETE FROM sync_conflict WHERE memory_id = ?", arguments: [id.description]) }
    }

    static func fetchAny(_ db: Database, _ id: MemoryID) throws -> (Int64, Memory)? {
        try MemoryRow.fetchAll(db, sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.id = ?", arguments: [id.description]).first
    }

    package func syncCursor() async throws -> String? {
        try await read { db, _ in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'sync_cursor'") }
    }

    package func pendingEventCount() async throws -> Int {
        try await read { db, _ in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0 }
    }

    /// Counts a pulled event this node refused, and keeps why the last one was (ids and the
    /// rule only, never content) for `sync status`.
    static func recordRefusal(of event: ChangeEvent, _ reason: String, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO meta(key, value) VALUES ('sync.pull_refused', '1')
                ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
                """
        )
        let last = "event \(event.eventID.prefix(64)) of memory \(event.memoryID): \(reason)"
        try db.execute(
            sql: "INSERT INTO meta(key, value) VALUES ('sync.pull_refused_last', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [last]
        )
    }

    /// Copies of one text written on two devices before they synced: when a pulled memory has
    /// the same text, scope, namespace and team as another held here, the one
    /// ``DuplicateCheck/survivor(_:_:)`` names stays and the other is deleted (every device
    /// decides alike, so their deletes agree). A memory in a supersession is left alone.
    static func foldDuplicate(of id: MemoryID, log: inout WriteLog) throws {
        let db = log.db
        guard let (_, pulled) = try fetchAny(db, id), !pulled.deleted, !pulled.evicted, !pulled.archived, pulled.supersedes == nil else { return }
        let shingles = Shingles(pulled.content)
        let candidates = try MemoryRow.fetchAll(
            db,
            sql: """
                SELECT \(MemoryRow.columns) FROM memory m
                WHERE m.seq IN (SELECT memory_seq FROM memory_band WHERE band = ?) AND m.id <> ? AND m.scope = ? AND m.namespace = ?
                  AND m.team_id IS ? AND m.deleted = 0 AND m.evicted = 0 AND m.archived = 0 AND m.supersedes IS NULL
                  AND NOT EXISTS (SELECT 1 FROM memory s WHERE s.supersedes = m.id AND s.deleted = 0)
                """,
            arguments: [MinHash.keys(of: shingles)[0], id.description, pulled.scope.rawValue, pulled.namespace.rawValue, pulled.team]
        )
        let superseded = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM memory s WHERE s.supersedes = ? AND s.deleted = 0)", arguments: [id.description])
        guard superseded == false else { return }
        for (seq, other) in candidates where Shingles(other.content).normalised == shingles.normalised {
            let survivor = DuplicateCheck.survivor(pulled, other)
            if survivor.id == pulled.id {
                _ = try deleteHere(other, atRow: seq, actor: "sync:dedup", details: ["duplicate-of:\(survivor.id)"], log: &log)
            } else {
                let (pulledSeq, _) = try fetchAny(db, id)!
                _ = try deleteHere(pulled, atRow: pulledSeq, actor: "sync:dedup", details: ["duplicate-of:\(survivor.id)"], log: &log)
                return
            }
        }
    }

    /// One remote change, inside a logged write: ``SyncMerge`` decides whether it replaces the
    /// version held. Meeting this node's own unpushed change of the memory, it is a conflict.
    static func applyRemote(_ event: ChangeEvent, tenant: String, conflictThreshold: Double, log: inout WriteLog) throws -> RemoteApplyOutcome {
        let db = log.db
        let existing = try MemoryRow.fetchAll(
            db, sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.id = ?", arguments: [event.memoryID.description]
        ).first
        if let refusal = event.refusal(holding: existing?.memory) { throw TMWSError(.invalidInput, refusal, field: "event") }
        try log.receive(event.clock)
        // A SHARED memory does not go back to an older team key than a version already seen
        // or written here: a removed member's device (whose key stays valid for its last
        // epoch) cannot overwrite a memory once it has a version under a later one.
        if let epoch = event.sealed?.epoch, existing != nil,
            let floor = try Int.fetchOne(db, sql: "SELECT team_epoch FROM memory WHERE id = ?", arguments: [event.memoryID.description]),
            epoch < floor
        {
            return .stale
        }
        let decision = SyncMerge.decide(event, current: existing.map { ReplicaVersion($0.memory) })
        if decision.concurrent, let (_, local) = existing,
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE memory_id = ?)", arguments: [local.id.description]) == true
        {
            let mine = ChangeEvent(
                eventID: "", operation: local.deleted ? .delete : .update, memoryID: local.id, version: local.version, baseVersion: nil,
                clock: local.updatedAt, device: local.originDevice, memory: local.deleted ? nil : ReplicatedMemory(local)
            )
            if SyncConflict.isKept(mine, event, threshold: conflictThreshold) {
                try recordConflict(local: mine, remote: event, in: db, at: log.now)
            }
        }
        guard case .takeIncoming = decision else { return .stale }
        defer {
            if let epoch = event.sealed?.epoch {
                try? db.execute(
                    sql: "UPDATE memory SET team_epoch = max(coalesce(team_epoch, 0), ?) WHERE id = ?", arguments: [epoch, event.memoryID.description]
                )
            }
        }
        let actor = "sync:" + (Caller(clientSuppliedName: event.device)?.agentID ?? "unknown")
        guard let fields = event.memory else {
            // A delete: the memory becomes a tombstone at the event's version.
            guard let (seq, old) = existing else { return .applied }
            guard !old.deleted else {
                // Two deletes: the later one names the tombstone, as on every other replica.
                try db.execute(
                    sql: "UPDATE memory SET version = ?, updated_hlc = ?, origin_device = ? WHERE seq = ?",
                    arguments: [event.version, event.clock.rawValue, event.device, seq]
                )
                return .applied
            }
            var tombstone = old.tombstone(at: event.clock, by: actor)
            tombstone.version = event.version
            tombstone.originDevice = event.device
            try MemoryRowWriter.bury(old, atRow: seq, as: tombstone, in: db)
            try log.audit(.delete, tombstone, actor: actor, details: ["remote"])
            return .applied
        }
        var memory = Memory(
            id: event.memoryID, tenantID: tenant, namespace: fields.namespace, scope: fields.scope, content: fields.content,
            tags: fields.tags, importance: fields.importance, metadata: fields.metadata, agentID: fields.agentID,
            createdAt: fields.createdAt, updatedAt: event.clock, version: event.version, originDevice: event.device,
            expiresAt: fields.expiresAt, accessCount: existing?.memory.accessCount ?? 0, accessedAt: existing?.memory.accessedAt,
            archived: false, deleted: false, classification: fields.classification, team: fields.scope == .shared ? event.team : nil
        )
        memory.supersedes = fields.supersedes
        memory.pinned = fields.pinned
        if let (seq, old) = existing, old.evicted {
            // Evicted by the hot cache: the row follows the new version without its text.
            try MemoryRowWriter.followEvicted(memory, atRow: seq, in: db)
        } else {
            let seq: Int64
            if let (row, old) = existing {
                try MemoryRowWriter.rewrite(old, atRow: row, to: &memory, in: db)
                seq = row
            } else {
                seq = try MemoryRowWriter.insert(&memory, in: db)
            }
            // The author's vector of this text, searchable at once (checked on the wire; this
            // node's own vector, if it has one, is kept, and the embedding loop checks peers').
            if let vector = event.vector {
                try savePeerVector(vector, memorySeq: seq, content: memory.content, in: db)
            }
        }
        try log.audit(existing == nil ? .create : .update, memory, actor: actor, details: ["remote"])
        return .applied
    }
}
