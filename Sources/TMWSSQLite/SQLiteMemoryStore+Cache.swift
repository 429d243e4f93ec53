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
        (m.pinned = 1 OR m.origin_device = ? OR EXISTS (SELECT 1 FROM outbox o WHERE o.memory_id = m.id)
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

    /// Evicts these GLOBAL memories now, whatever the mode, passing over protected ones and
    /// ones not held; returns how many went.
    package func evict(_ ids: [MemoryID]) async throws -> Int {
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

    /// Pins or unpins memories of any scope (a pinned memory is never archived or evicted);
    /// returns how many live memories changed. An evicted memory must be warmed first.
    package func setPinned(_ ids: [MemoryID], _ pinned: Bool) async throws -> Int {
        try await write { db, _ in
            try db.execute(
                sql: "UPDATE memory SET pinned = ? WHERE id IN (\(Self.placeholders(ids.count))) AND deleted = 0 AND evicted = 0 AND pinned <> ?",
                arguments: [pinned] + StatementArguments(ids.map(\.description)) + [pinned])
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
    /// with the text the hub sent (checked as a pulled change is). Returns how many came back.
    package func noteHubAnswer(_ memories: [CloudMemory]) async throws -> Int {
        guard !memories.isEmpty else { return 0 }
        let (policy, tenant, device) = (configuration.cache, configuration.tenantID, deviceID)
        return try await write { db, now in
            var (hits, misses, readmitted) = (0, 0, 0)
            for cloud in memories {
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT seq, evicted, access_count FROM memory WHERE id = ? AND scope = 'GLOBAL' AND deleted = 0",
                        arguments: [cloud.id.uuidString.lowercased()])
                else { continue }
                guard row[1] as Bool else {
                    hits += 1
                    continue
                }
                misses += 1
                let seq: Int64 = row[0]
                try db.execute(
                    sql: "UPDATE memory SET access_count = access_count + 1, accessed_at = ? WHERE seq = ?", arguments: [MemoryRow.millis(now), seq])
                if (row[2] as Int) + 1 >= policy.hotReads, try Self.readmit(cloud, tenant: tenant, in: db, now: now) {
                    readmitted += 1
                }
            }
            try Self.addToCounter("cache.hits", hits, in: db)
            try Self.addToCounter("cache.misses", misses, in: db)
            if readmitted > 0 { _ = try Self.enforceCache(policy, device: device, in: db, now: now) }
            return readmitted
        }
    }

    /// Holds an evicted memory again with the hub's copy of it (`tmws cache warm`), counted
    /// as a read.
    /// - Returns: `false` when the memory is not evicted here, or the hub's copy is refused:
    ///   older than the version held here, or out of a pulled change's bounds.
    package func warm(_ memory: CloudMemory) async throws -> Bool {
        let (policy, tenant, device) = (configuration.cache, configuration.tenantID, deviceID)
        return try await write { db, now in
            guard try Self.readmit(memory, tenant: tenant, in: db, now: now) else { return false }
            // Asked for: a read, so the budget's next eviction does not take it straight back.
            try db.execute(
                sql: "UPDATE memory SET access_count = access_count + 1, accessed_at = ? WHERE id = ?",
                arguments: [MemoryRow.millis(now), MemoryID(uuid: memory.id).description])
            _ = try Self.enforceCache(policy, device: device, in: db, now: now)
            return true
        }
    }

    private static func readmit(_ cloud: CloudMemory, tenant: String, in db: Database, now: Date) throws -> Bool {
        let id = MemoryID(uuid: cloud.id)
        guard
            let (seq, stub) = try MemoryRow.fetchAll(
                db, sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.id = ? AND m.evicted = 1 AND m.deleted = 0 AND m.scope = 'GLOBAL'",
                arguments: [id.description]
            ).first,
            let namespace = try? Namespace(validating: cloud.namespace)
        else { return false }
        var memory = Memory(
            id: id, tenantID: tenant, namespace: namespace, scope: .global, content: cloud.content, tags: cloud.tags,
            importance: cloud.importance, metadata: cloud.metadata, agentID: cloud.agentID, createdAt: cloud.createdAt,
            updatedAt: HybridTimestamp(rawValue: cloud.hlc), version: cloud.version, originDevice: cloud.originDevice,
            expiresAt: cloud.expiresAt, accessCount: stub.accessCount, accessedAt: stub.accessedAt, archived: false, deleted: false)
        // The hub's copy is checked as a pulled change of it would be, and must not be older
        // than the version this node already follows.
        let event = ChangeEvent(
            eventID: "cache-warm", operation: memory.version == 1 ? .create : .update, memoryID: id, version: memory.version,
            baseVersion: memory.version == 1 ? nil : memory.version - 1, clock: memory.updatedAt, device: memory.originDevice,
            memory: ReplicatedMemory(memory))
        guard event.refusal(receivedAt: now) == nil, event.refusal(holding: stub) == nil,
            (memory.version, memory.updatedAt.rawValue) >= (stub.version, stub.updatedAt.rawValue)
        else { return false }
        // The version this node follows: the text must be the one it let go.
        if memory.version == stub.version {
            let kept = try String.fetchOne(db, sql: "SELECT evicted_digest FROM memory WHERE seq = ?", arguments: [seq])
            guard kept == MemoryRowWriter.digest(of: memory) else { return false }
        }
        memory.pinned = stub.pinned
        try MemoryRowWriter.rewrite(stub, atRow: seq, to: memory, in: db)
        return true
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
                pinnedMemories: try count("SELECT count(*) FROM memory WHERE pinned = 1 AND deleted = 0"),
                protectedMemories: try count("SELECT count(*) FROM memory m WHERE \(Self.heldGlobal) AND \(Self.protected)", [device]),
                hits: try counter("cache.hits"), misses: try counter("cache.misses"))
        }
    }
}
