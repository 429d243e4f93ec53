import Foundation
import GRDB
import TMWSCore

/// The bookkeeping every write does inside its transaction: the hybrid logical clock,
/// the outbox for cloud scopes and the hash-chained audit log.
struct WriteLog {
    let db: Database
    let now: Date
    /// This installation's device id, written on the sync events it makes.
    let device: String
    private var hlc: HybridTimestamp?
    /// Random bits for the ids made in this transaction.
    var random = SplitMix64(seed: UInt64.random(in: .min ... .max))
    private var clockAdvanced = false
    private var lastAudit: (seq: Int64, hash: String)?
    /// Whether this transaction queued a sync event.
    private(set) var queuedEvent = false

    init(_ db: Database, now: Date, device: String) {
        self.db = db
        self.now = now
        self.device = device
    }

    /// The next clock reading. ``finish()`` persists the last one, so readings increase
    /// across transactions and processes.
    mutating func nextHLC() throws -> HybridTimestamp {
        if hlc == nil {
            hlc = try Int64.fetchOne(db.cachedStatement(sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'hlc'"))
                .map(HybridTimestamp.init(rawValue:))
        }
        let next = try HybridTimestamp.next(after: hlc, now: now)
        hlc = next
        clockAdvanced = true
        return next
    }

    /// Persists the clock (and counts a queued event); called once at the end of every logged
    /// transaction.
    func finish() throws {
        if queuedEvent {
            // Counts the transactions that queued sync events: what a sync service in another
            // process watches (``SyncWatch``).
            try db.cachedStatement(
                sql: """
                    INSERT INTO meta(key, value) VALUES ('sync.outbox_writes', '1')
                    ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
                    """
            ).execute()
        }
        guard clockAdvanced, let hlc else { return }
        try db.cachedStatement(
            sql: "INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ).execute(arguments: [String(hlc.rawValue)])
    }

    /// The clock after receiving a remote reading (HLC receive), persisted by ``finish()``.
    mutating func receive(_ remote: HybridTimestamp) throws {
        if hlc == nil {
            hlc = try Int64.fetchOne(db.cachedStatement(sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'hlc'"))
                .map(HybridTimestamp.init(rawValue:))
        }
        hlc = try HybridTimestamp.receive(remote, after: hlc, now: now)
        clockAdvanced = true
    }

    /// Appends the sync event of a write (``ChangeEvent/forWrite(_:previous:eventID:device:)``
    /// decides whether there is one). A delete supersedes the events still queued for the
    /// memory: they hold text that must no longer leave the machine.
    ///
    /// - Parameter previous: the memory before the write; `nil` for a create.
    mutating func outbox(_ memory: Memory, previous: Memory?) throws {
        let eventID = MemoryID.generate(at: now, using: &random).description
        guard var event = ChangeEvent.forWrite(memory, previous: previous, eventID: eventID, device: device) else { return }
        if event.operation == .delete {
            try db.cachedStatement(sql: "DELETE FROM outbox WHERE memory_id = ?").execute(arguments: [memory.id.description])
        } else if let previous, previous.scope == .shared, previous.team == nil, memory.team != nil {
            // A SHARED memory stored without a team (nodes before 0.18 allowed it) gets one:
            // its queued events, which no hub takes, give way to this one, which is the
            // memory's create when the hub never got that.
            let neverSent =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE memory_id = ? AND operation = 'create')", arguments: [memory.id.description]
                ) ?? false
            try db.cachedStatement(sql: "DELETE FROM outbox WHERE memory_id = ?").execute(arguments: [memory.id.description])
            if neverSent {
                (event.operation, event.baseVersion, event.baseClock, event.baseDevice) = (.create, nil, nil, nil)
            }
        }
        queuedEvent = true
        let payload = String(decoding: event.jsonBytes(), as: UTF8.self)
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox(event_id, memory_id, operation, version, hlc, payload, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                event.eventID, memory.id.description, event.operation.rawValue, event.version, event.clock.rawValue, payload,
                MemoryRow.millis(now),
            ]
        )
    }

    /// Appends an audit record chained to the previous one.
    mutating func audit(
        _ action: AuditRecord.Action, _ memory: Memory, actor: String, details: [String] = []
    ) throws {
        if lastAudit == nil {
            let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            lastAudit = row.map { ($0[0], $0[1]) } ?? (0, AuditRecord.genesisHash)
        }
        let (lastSeq, lastHash) = lastAudit!
        let record = AuditRecord(
            sequence: lastSeq + 1, atMillis: MemoryRow.millis(now), actor: actor, action: action, memoryID: memory.id,
            scope: memory.scope, namespace: memory.namespace, version: memory.version,
            details: details, previousHash: lastHash
        )
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_log(seq, at, actor, action, memory_id, scope, namespace, version, details, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                record.sequence, record.atMillis, record.actor, record.action.rawValue,
                record.memoryID.description, record.scope.rawValue, record.namespace.rawValue, record.version,
                record.details.joined(separator: ","), record.previousHash, record.hash,
            ]
        )
        lastAudit = (record.sequence, record.hash)
    }
}
