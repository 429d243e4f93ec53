import Foundation
import GRDB
import TMWSCore

/// The hot cache (``CachePolicy``): which GLOBAL memories this node holds with their text.
/// An evicted memory keeps its row (`evicted = 1`: identity, scope, version, read counts),
/// so pulled changes and deletes merge as before; its text, tags and index entry are gone.
extension SQLiteMemoryStore {
    /// Held GLOBAL memories (over alias `m`).
    static let heldGlobal = "m.scope = 'GLOBAL' AND m.deleted = 0 AND m.evicted = 0"

    /// Held memories the cache may never evict: this node's own writes, pinned ones, and
    /// ones with a pending outbox event or an open conflict (over alias `m`; one argument,
    /// this device's id).
    static let protected = """
        (m.pinned = 1 OR m.held = 1 OR m.origin_device = ? OR EXISTS (SELECT 1 FROM outbox o WHERE o.memory_id = m.id)
         OR EXISTS (SELECT 1 FROM sync_conflict c WHERE c.memory_id = m.id))
        """

    static func heldSize(_ db: Database) throws -> (memories: Int, bytes: Int) {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT count(*), coalesce(sum(length(CAST(m.content AS BLOB))), 0) FROM memory m WHERE \(heldGlobal)"))
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    /// Evicts the coldest held GLOBAL memories when the held set is over `policy`'s budget;
    /// returns how many went.
    static func enforceCache(_ policy: CachePolicy, device: String, in db: Database, now: Date) throws -> Int {
        guard policy.mode == .hot else { return 0 }
        let (memories, bytes) = try heldSize(db)
        guard policy.isOver(memories: memories, bytes: bytes) else { return 0 }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT m.seq, length(CAST(m.content AS BLOB)), m.access_count, m.accessed_at, m.updated_hlc >> 16 FROM memory m
                WHERE \(heldGlobal) AND NOT \(protected)
                """,
            arguments: [device])
        var candidates: [CacheCandidate] = []
        while let row = try rows.next() {
            candidates.append(
                CacheCandidate(
                    key: row[0], bytes: row[1], reads: row[2], lastRead: (row[3] as Int64?).map(MemoryRow.date(millis:)),
                    changed: MemoryRow.date(millis: row[4])))
        }
        let chosen = policy.evictions(from: candidates, memories: memories, bytes: bytes, now: now).map(\.key)
        try evictRows(chosen, in: db)
        return chosen.count
    }

    static func evictRows(_ seqs: [Int64], in db: Database) throws {
        for start in stride(from: 0, to: seqs.count, by: 500) {
            let slice = Array(seqs[start..<min(seqs.count, start + 500)])
            let rows = try MemoryRow.fetchAll(
                db, sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.seq IN (\(placeholders(slice.count)))",
                arguments: StatementArguments(slice))
            for (seq, memory) in rows where !memory.evicted && !memory.deleted {
                try MemoryRowWriter.evict(memory, atRow: seq, in: db)
            }
        }
    }

    /// Brings the held set within the budget now (a pull does this after every page).
    package func enforceCache() async throws -> Int {
        let (policy, device) = (configuration.cache, deviceID)
        return try await write { db, now in try Self.enforceCache(policy, device: device, in: db, now: now) }
    }

    /// Evicts these GLOBAL memories now, passing over protected ones and ones not held;
    /// returns how many went.
    ///
    /// - Throws: `invalid_input` in `all` mode, which holds every GLOBAL memory.
    package func evict(_ ids: [MemoryID]) async throws -> Int {
        guard configuration.cache.mode == .hot else {
            throw TMWSError(.invalidInput, "cache.mode is all: this node holds every GLOBAL memory (set cache.mode = hot to evict)", field: "cache.mode")
        }
        let device = deviceID
        return try await write { db, _ in
            let seqs = try Int64.fetchAll(
                db,
                sql: "SELECT m.seq FROM memory m WHERE m.id IN (\(Self.placeholders(ids.count))) AND \(Self.heldGlobal) AND NOT \(Self.protected)",
                arguments: StatementArguments(ids.map(\.description)) + [device])
            try Self.evictRows(seqs, in: db)
            return seqs.count
        }
    }

    /// Holds or lets go of memories on this node (`tmws cache pin`): a held memory is never
    /// archived or evicted here. Local, unlike a pin (``MemoryService/pin(_:_:by:)``), which
    /// replicates; returns how many live memories changed. An evicted memory must be warmed first.
    package func setHeld(_ ids: [MemoryID], _ held: Bool) async throws -> Int {
        try await write { db, _ in
            try db.execute(
                sql: "UPDATE memory SET held = ? WHERE id IN (\(Self.placeholders(ids.count))) AND deleted = 0 AND evicted = 0 AND held <> ?",
                arguments: [held] + StatementArguments(ids.map(\.description)) + [held])
            return db.changesCount
        }
    }

    /// Which of these ids are evicted here (a read of one is a cache miss; warm it from the hub).
    package func evictedAmong(_ ids: [MemoryID]) async throws -> Set<MemoryID> {
        guard !ids.isEmpty else { return [] }
        return try await read { db, _ in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT id FROM memory WHERE evicted = 1 AND deleted = 0 AND id IN (\(Self.placeholders(ids.count)))",
                    arguments: StatementArguments(ids.map(\.description))
                ).compactMap { try? MemoryID(parsing: $0) })
        }
    }

    /// Evicted memories, the most read first (what `tmws cache warm` fetches first).
    package func evictedMemories(limit: Int) async throws -> [MemoryID] {
        try await read { db, _ in
            try String.fetchAll(
                db, sql: "SELECT id FROM memory WHERE evicted = 1 AND deleted = 0 ORDER BY access_count DESC, updated_hlc DESC LIMIT ?",
                arguments: [max(0, limit)]
            ).compactMap { try? MemoryID(parsing: $0) }
        }
    }

    /// Records what the hub answered a search or read with: each GLOBAL memory held here is a
    /// hit; each evicted here is a miss and a read of it, and one that became hot is held again
    /// with the text the hub sent (checked as a pulled change is).
    /// - Returns: how many came back, and the ids whose answer must not be shown: this node
    ///   holds a later version or a tombstone of them, or the hub's text is not the one this
    ///   node let go for the same version.
    package func noteHubAnswer(_ memories: [CloudMemory]) async throws -> (readmitted: Int, refused: Set<UUID>) {
        guard !memories.isEmpty else { return (0, []) }
        let (policy, tenant, device) = (configuration.cache, configuration.tenantID, deviceID)
        return try await loggedWrite { log in
            let (db, now) = (log.db, log.now)
            var (hits, misses, readmitted, refused) = (0, 0, 0, Set<UUID>())
            for cloud in memories {
                guard
                    let (seq, held) = try MemoryRow.fetchAll(
                        db, sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.id = ?", arguments: [MemoryID(uuid: cloud.id).description]
                    ).first
                else { continue }
                let answer = ReplicaVersion(clock: HybridTimestamp(rawValue: cloud.hlc), device: cloud.originDevice, deleted: false)
                if held.deleted || ReplicaVersion(held) > answer || held.scope != .global {
                    refused.insert(cloud.id)
                    continue
                }
                guard held.evicted else {
                    hits += 1
                    continue
                }
                misses += 1
                try db.execute(
                    sql: "UPDATE memory SET access_count = access_count + 1, accessed_at = ? WHERE seq = ?", arguments: [MemoryRow.millis(now), seq])
                let outcome = try Self.readmit(cloud, tenant: tenant, log: &log, hot: held.accessCount + 1 >= policy.hotReads)
                switch outcome {
                case .held: readmitted += 1
                case .mismatch, .refused: refused.insert(cloud.id)
                case .notEvicted, .stale, .kept: break
                }
            }
            try Self.addToCounter("cache.hits", hits, in: db)
            try Self.addToCounter("cache.misses", misses, in: db)
            if readmitted > 0 { _ = try Self.enforceCache(policy, device: device, in: db, now: now) }
            return (readmitted, refused)
        }
    }

    /// What became of a hub's copy of an evicted memory.
    package enum WarmOutcome: Sendable, Hashable {
        /// Held again.
        case held
        /// Not evicted here (held, deleted, or unknown): nothing to do.
        case notEvicted
        /// Older than the version this node follows, by the merge rule.
        case stale
        /// The version this node follows, with another text than the one it let go: a hub
        /// that changes what it serves.
        case mismatch
        /// Out of a pulled change's bounds (size, clock, scope).
        case refused
        /// Acceptable, but not asked to be held (not hot yet).
        case kept
    }

    /// Holds an evicted memory again with the hub's copy of it (`tmws cache warm`), counted
    /// as a read.
    package func warm(_ memory: CloudMemory) async throws -> WarmOutcome {
        let (policy, tenant, device) = (configuration.cache, configuration.tenantID, deviceID)
        return try await loggedWrite { log in
            let outcome = try Self.readmit(memory, tenant: tenant, log: &log, hot: true)
            guard outcome == .held else { return outcome }
            // Asked for: a read, so the budget's next eviction does not take it straight back.
            try log.db.execute(
                sql: "UPDATE memory SET access_count = access_count + 1, accessed_at = ? WHERE id = ?",
                arguments: [MemoryRow.millis(log.now), MemoryID(uuid: memory.id).description])
            _ = try Self.enforceCache(policy, device: device, in: log.db, now: log.now)
            return outcome
        }
    }

    /// Checks the hub's copy of an evicted memory as a pulled change of it (bounds, clock,
    /// scope, and the merge rule against the version followed here: the same version must
    /// carry the text let go), and holds it when `hot`.
    private static func readmit(_ cloud: CloudMemory, tenant: String, log: inout WriteLog, hot: Bool) throws -> WarmOutcome {
        let (db, now) = (log.db, log.now)
        let id = MemoryID(uuid: cloud.id)
        guard
            let (seq, stub) = try MemoryRow.fetchAll(
                db, sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.id = ? AND m.evicted = 1 AND m.deleted = 0 AND m.scope = 'GLOBAL'",
                arguments: [id.description]
            ).first
        else { return .notEvicted }
        guard let namespace = try? Namespace(validating: cloud.namespace) else { return .refused }
        var memory = Memory(
            id: id, tenantID: tenant, namespace: namespace, scope: .global, content: cloud.content, tags: cloud.tags.sorted(),
            importance: cloud.importance, metadata: cloud.metadata, agentID: cloud.agentID, createdAt: cloud.createdAt,
            updatedAt: HybridTimestamp(rawValue: cloud.hlc), version: cloud.version, originDevice: cloud.originDevice,
            expiresAt: cloud.expiresAt, accessCount: stub.accessCount, accessedAt: stub.accessedAt, archived: false, deleted: false)
        let event = ChangeEvent(
            eventID: "cache-warm", operation: memory.version == 1 ? .create : .update, memoryID: id, version: memory.version,
            baseVersion: memory.version == 1 ? nil : memory.version - 1, clock: memory.updatedAt, device: memory.originDevice,
            memory: ReplicatedMemory(memory))
        guard event.refusal(receivedAt: now) == nil, event.refusal(holding: stub) == nil else { return .refused }
        switch SyncMerge.decide(event, current: ReplicaVersion(stub)) {
        case .same:
            // The version this node follows: the text must be the one it let go.
            let kept = try String.fetchOne(db, sql: "SELECT evicted_digest FROM memory WHERE seq = ?", arguments: [seq])
            guard kept == MemoryRowWriter.digest(of: memory) else { return .mismatch }
            memory.classification = stub.classification
        case .takeIncoming:
            break
        case .keepCurrent:
            return .stale
        }
        guard hot else { return .kept }
        // The hub's rows hold the text, not the hygiene fields: those came with the change log.
        memory.pinned = stub.pinned
        memory.supersedes = stub.supersedes
        try log.receive(memory.updatedAt)
        try MemoryRowWriter.rewrite(stub, atRow: seq, to: &memory, in: db)
        try log.audit(.update, memory, actor: "sync:cache", details: ["remote", "cache-warm"])
        return .held
    }

    static func addToCounter(_ key: String, _ amount: Int, in db: Database) throws {
        guard amount > 0 else { return }
        try db.execute(
            sql: """
                INSERT INTO meta(key, value) VALUES (?, ?)
                ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT)
                """,
            arguments: [key, String(amount), amount])
    }

    package func cacheStatus() async throws -> CacheStatus {
        let (policy, device) = (configuration.cache, deviceID)
        return try await read { db, _ in
            let (held, bytes) = try Self.heldSize(db)
            func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
                try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
            }
            func counter(_ key: String) throws -> Int {
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]).flatMap { Int($0) } ?? 0
            }
            return CacheStatus(
                policy: policy, heldMemories: held, heldBytes: bytes,
                evictedMemories: try count("SELECT count(*) FROM memory WHERE scope = 'GLOBAL' AND evicted = 1 AND deleted = 0"),
                pinnedMemories: try count("SELECT count(*) FROM memory WHERE (pinned = 1 OR held = 1) AND deleted = 0"),
                protectedMemories: try count("SELECT count(*) FROM memory m WHERE \(Self.heldGlobal) AND \(Self.protected)", [device]),
                hits: try counter("cache.hits"), misses: try counter("cache.misses"))
        }
    }
}
