import Foundation
import GRDB
import TMWSCore

/// The local memory store: one SQLite database in WAL mode, shared safely by every
/// `tmws` process on the machine.
///
/// Each write is one `BEGIN IMMEDIATE` transaction that also updates the FTS5 index,
/// the tag relation, the outbox and the audit log, so none of them can drift apart.
/// Writers from other processes wait up to ``Configuration/busyTimeout`` for the lock.
package struct SQLiteMemoryStore: MemoryStore {
    /// How to open the database. Plain values with documented defaults.
    package struct Configuration: Sendable {
        /// The database file (`$TMWS_HOME/tmws.db`).
        package var path: String
        /// The tenant written on new memories. Default `local`.
        package var tenantID: String
        /// How long a write waits for another process's lock. Default 30 s.
        package var busyTimeout: Duration
        /// How many of a query's newest matches BM25 ranks, bounding search time whatever
        /// the store's size. Default 1,000.
        package var searchCandidates: Int
        /// What this node holds of its tenant's GLOBAL memories. Default `all`.
        package var cache: CachePolicy
        /// Whether a pulled memory whose text another held memory of the same scope, namespace
        /// and team already has is folded into one (``DuplicateCheck/survivor(_:_:)``), so copies
        /// written on two devices converge. Off with `memory.dedup = off`. Default `true`.
        package var foldsPulledDuplicates = true

        package init(
            path: String, tenantID: String = "local", busyTimeout: Duration = .seconds(30), searchCandidates: Int = 1000,
            cache: CachePolicy = CachePolicy()
        ) {
            self.path = path
            self.cache = cache
            self.tenantID = tenantID
            self.busyTimeout = busyTimeout
            self.searchCandidates = max(1, searchCandidates)
        }
    }

    package let configuration: Configuration
    /// This installation's device id, made once when the database is created.
    package let deviceID: String
    let pool: DatabasePool
    let clock: any WallClock
    /// Search hits not yet counted in the database.
    let accesses = AccessLog()
    /// Signalled after a write that queued a sync event commits (a GLOBAL or SHARED
    /// memory changed in this process): the sync service wakes on it instead of polling.
    package let syncWrites = WakeSignal()
    /// Signalled after every write of this process commits, but the embedding loop's own (it
    /// wakes on this, and holds back while writes keep coming).
    package let writes = WakeSignal()
    /// The vectors of one model, held in memory for the scan (``nearest``).
    let vectorIndex = VectorIndex()

    static func storageError(_ error: DatabaseError) -> TMWSError {
        // The message of a DatabaseError never holds bound values (we bind all user data),
        // but it can hold the SQL text; report only the code and SQLite's own message.
        TMWSError(.storage, "database error \(error.extendedResultCode.rawValue): \(error.message ?? "unknown")")
    }

    /// Runs a write transaction, mapping database errors to `TMWSError`. Search hits still
    /// pending in ``accesses`` are counted in the same transaction. `signals: false` is for
    /// the embedding loop's own writes, which must not wake it (``writes``).
    func write<T: Sendable>(signals: Bool = true, _ body: @escaping @Sendable (Database, Date) throws -> T) async throws -> T {
        let now = clock.now()
        let accesses = self.accesses
        do {
            let result = try await pool.write { db in
                try Self.countAccesses(accesses.drain(), in: db)
                return try body(db, now)
            }
            if signals { writes.signal() }
            return result
        } catch let error as DatabaseError {
            throw Self.storageError(error)
        }
    }

    /// Runs a read transaction on the writer connection. Its page cache stays warm across
    /// this process's writes, while a reader connection's is dropped after every write
    /// (measured: 1 ms more per search when writes and searches alternate, as an agent's do).
    /// It takes no write lock: other processes keep writing.
    ///
    /// `body` must only read. It is not wrapped in GRDB's `readOnly`: `PRAGMA query_only`
    /// expires every prepared statement of the connection, so each search and the next write
    /// would compile all their statements again (measured: 15 % of a search's CPU).
    func readOnWriter<T: Sendable>(_ body: @escaping @Sendable (Database, Date) throws -> T) async throws -> T {
        let now = clock.now()
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.deferred) {
                    result = try body(db, now)
                    // Nothing to keep: a read ends the same either way, and a rollback would
                    // undo anything written by mistake.
                    return .rollback
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw Self.storageError(error)
        }
    }

    /// Writes the pending search-hit counts now (before a short-lived process exits, or on shutdown).
    package func flushAccesses() async throws {
        guard !accesses.isEmpty else { return }
        try await write { _, _ in }
    }

    static func countAccesses(_ pending: [(row: Int64, pending: AccessLog.Pending)], in db: Database) throws {
        guard !pending.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: "UPDATE memory SET access_count = access_count + ?, accessed_at = max(coalesce(accessed_at, 0), ?) WHERE seq = ?"
        )
        for (row, entry) in pending {
            try statement.execute(arguments: [entry.count, entry.lastMillis, row])
        }
    }

    /// Runs a write transaction with its ``WriteLog`` (clock, outbox, audit), which is
    /// finished before the transaction commits.
    func loggedWrite<T: Sendable>(_ body: @escaping @Sendable (inout WriteLog) throws -> T) async throws -> T {
        let device = deviceID
        let (result, queued) = try await write { db, now in
            var log = WriteLog(db, now: now, device: device)
            let result = try body(&log)
            try log.finish()
            return (result, log.queuedEvent)
        }
        if queued { syncWrites.signal() }
        return result
    }

    /// Runs a read, mapping database errors to `TMWSError`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database, Date) throws -> T) async throws -> T {
        let now = clock.now()
        do {
            return try await pool.read { db in try body(db, now) }
        } catch let error as DatabaseError {
            throw Self.storageError(error)
        }
    }

    /// The live (not deleted, not expired, held: archived or not) memory with this id, with its row number.
    static func fetchLive(_ db: Database, _ id: MemoryID, now: Date) throws -> (seq: Int64, memory: Memory) {
        let found = try MemoryRow.fetchAll(
            db,
            sql: """
                SELECT \(MemoryRow.columns) FROM memory m
                WHERE m.id = ? AND m.deleted = 0 AND m.evicted = 0 AND (m.expires_at IS NULL OR m.expires_at > ?)
                """,
            arguments: [id.description, MemoryRow.millis(now)]
        )
        guard let first = found.first else {
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM memory WHERE id = ? AND evicted = 1 AND deleted = 0", arguments: [id.description]) == true {
                throw TMWSError(
                    .notFound, "memory \(id) is held by the hub, not by this node's hot cache: run 'tmws cache warm \(id)' to hold it here", field: "id")
            }
            throw TMWSError.memoryNotFound(id)
        }
        return first
    }

    package func create(_ decided: DecidedDraft, by caller: Caller) async throws -> Memory {
        let draft = decided.draft
        let tenant = configuration.tenantID
        let device = deviceID
        let example = decided.example
        return try await loggedWrite { log in
            guard let memory = try Self.insert(draft, tenant: tenant, device: device, caller: caller, log: &log) else {
                throw TMWSError(.invalidInput, "a memory with id \(draft.id!) already exists", field: "id")
            }
            try Self.record(example, of: memory.id, in: log.db, at: log.now)
            return memory
        }
    }

    /// Inserts one memory with its tags, index row, outbox event and audit record.
    /// Returns `nil` (writing nothing) when a memory with the draft's id exists.
    static func insert(
        _ draft: MemoryDraft, tenant: String, device: String, caller: Caller, log: inout WriteLog
    ) throws -> Memory? {
        let db = log.db
        let id = draft.id ?? MemoryID.generate(at: log.now, using: &log.random)
        if draft.id != nil,
            try Bool.fetchOne(db, sql: "SELECT 1 FROM memory WHERE id = ?", arguments: [id.description]) != nil
        {
            return nil
        }
        var memory = Memory(
            id: id, tenantID: tenant, namespace: draft.namespace, scope: draft.scope, content: draft.content,
            tags: draft.tags, importance: draft.importance, metadata: draft.metadata, agentID: caller.agentID,
            createdAt: draft.createdAt ?? log.now, updatedAt: try log.nextHLC(), version: 1, originDevice: device,
            expiresAt: draft.pinned ? nil : draft.expiresAt, accessCount: 0, accessedAt: nil, archived: false, deleted: false,
            classification: draft.classification, team: draft.scope == .shared ? draft.team : nil
        )
        memory.supersedes = draft.supersedes
        memory.pinned = draft.pinned
        _ = try MemoryRowWriter.insert(&memory, in: db)
        try log.outbox(memory, previous: nil)
        try log.audit(.create, memory, actor: caller.agentID, details: memory.classification?.auditDetails ?? [])
        return memory
    }

    /// A read by id, counted as an access; an archived memory comes back from the archive.
    package func get(_ id: MemoryID) async throws -> Memory {
        try await write { db, now in
            var (seq, memory) = try Self.fetchLive(db, id, now: now)
            if memory.archived {
                try MemoryRowWriter.unarchive(memory, atRow: seq, in: db)
                memory.archived = false
            }
            try db.execute(
                sql: "UPDATE memory SET access_count = access_count + 1, accessed_at = ? WHERE seq = ?",
                arguments: [MemoryRow.millis(now), seq]
            )
            memory.accessCount += 1
            memory.accessedAt = now
            return memory
        }
    }

    package func read(_ id: MemoryID) async throws -> Memory {
        try await read { db, now in try Self.fetchLive(db, id, now: now).memory }
    }

    package func recordRefusal(scope: MemoryScope, namespace: Namespace, details: [String], by caller: Caller) async throws {
        try await loggedWrite { log in
            // No memory exists: the record names the nil id, the scope asked for and the finding types.
            let nobody = Memory(
                id: MemoryID(uuid: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))), tenantID: "", namespace: namespace,
                scope: scope, content: "", tags: [], importance: 0, metadata: [:], agentID: caller.agentID,
                createdAt: log.now, updatedAt: HybridTimestamp(rawValue: 0), version: 0, originDevice: "",
                expiresAt: nil, accessCount: 0, accessedAt: nil, archived: false, deleted: false
            )
            try log.audit(.refuse, nobody, actor: caller.agentID, details: details)
        }
    }

    package func update(_ id: MemoryID, with decided: DecidedPatch, by caller: Caller) async throws -> Memory {
        let patch = decided.patch
        return try await loggedWrite { log in
            let (db, now) = (log.db, log.now)
            let (seq, old) = try Self.fetchLive(db, id, now: now)
            if let expected = patch.expectedVersion, expected != old.version {
                throw TMWSError.versionConflict(id: id, expected: expected, actual: old.version)
            }
            var (memory, changed) = patch.applied(to: old)
            // A patch that changes nothing leaves the memory and its version alone.
            guard !changed.isEmpty else { return old }
            guard memory.version < EventBounds.maximumVersion else {
                throw TMWSError(
                    .invalidInput, "memory \(memory.id) has reached the highest version (\(EventBounds.maximumVersion)): add a new memory", field: "id")
            }
            memory.version += 1
            memory.archived = false  // the rewrite brings an archived memory back
            memory.updatedAt = try log.nextHLC()
            memory.agentID = caller.agentID
            memory.originDevice = log.device
            try MemoryRowWriter.rewrite(old, atRow: seq, to: &memory, in: db)
            try log.outbox(memory, previous: old)
            try log.audit(.update, memory, actor: caller.agentID, details: changed)
            try Self.record(decided.example, of: memory.id, in: db, at: now)
            return memory
        }
    }

    package func delete(_ id: MemoryID, expectedVersion: Int?, by caller: Caller) async throws -> Memory {
        try await loggedWrite { log in
            let (seq, old) = try Self.fetchLive(log.db, id, now: log.now)
            if let expectedVersion, expectedVersion != old.version {
                throw TMWSError.versionConflict(id: id, expected: expectedVersion, actual: old.version)
            }
            return try Self.deleteHere(old, atRow: seq, actor: caller.agentID, log: &log)
        }
    }

    /// Deletes a live memory as a write of this node: a tombstone at a new version, its sync
    /// event and its audit record.
    static func deleteHere(_ old: Memory, atRow seq: Int64, actor: String, details: [String] = [], log: inout WriteLog) throws -> Memory {
        var tombstone = old.tombstone(at: try log.nextHLC(), by: actor)
        tombstone.originDevice = log.device
        try MemoryRowWriter.bury(old, atRow: seq, as: tombstone, in: log.db)
        try log.outbox(tombstone, previous: old)
        try log.audit(.delete, tombstone, actor: actor, details: details)
        return tombstone
    }
}
