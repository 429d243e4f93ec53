import Foundation
import GRDB
import TMWSCore

extension SQLiteMemoryStore: VectorStore {
    /// The live memories a vector may belong to: not deleted, archived or let go by the hot
    /// cache (the triggers of `v8-vectors` remove a vector when one of these changes).
    private static let embeddable = "m.deleted = 0 AND m.archived = 0 AND m.evicted = 0"

    package func nearest(_ query: MemoryVector, filter: MemoryFilter, limit: Int) async throws -> [VectorHit] {
        let index = vectorIndex
        let (hits, now) = try await readOnWriter { db, now in
            try index.refresh(db, model: query.model)
            // Filters apply before ranking: the memories that pass them, when there are any
            // filters; otherwise liveness is checked on an over-fetched list (every vector's
            // memory is live but for expiry).
            var filterForRanking = filter
            filterForRanking.includeArchived = false
            let (conditions, arguments) = Self.conditions(for: filterForRanking, now: now)
            let allowed: Set<Int64>? =
                filterForRanking.isEmpty
                ? nil : Set(try Int64.fetchAll(db, sql: "SELECT m.seq FROM memory m WHERE \(conditions)", arguments: arguments))
            let ranked = index.nearest(query, limit: allowed == nil ? limit + 16 : limit, allowed: allowed)
            guard !ranked.isEmpty else { return ([(Int64, Memory, Double)](), now) }
            let rows = try MemoryRow.fetchAll(
                db,
                sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.seq IN (\(Self.placeholders(ranked.count))) AND \(conditions)",
                arguments: StatementArguments(ranked.map(\.seq)) + arguments
            )
            var bySeq: [Int64: Memory] = [:]
            for row in rows { bySeq[row.seq] = row.memory }
            return (ranked.compactMap { hit in bySeq[hit.seq].map { (hit.seq, $0, hit.similarity) } }.prefix(limit).map { $0 }, now)
        }
        guard !hits.isEmpty else { return [] }
        let nowMillis = MemoryRow.millis(now)
        let pending = accesses.record(hits.map(\.0), atMillis: nowMillis)
        if accesses.isDue(atMillis: nowMillis) { try await flushAccesses() }
        return hits.map { seq, memory, similarity in
            var memory = memory
            memory.accessCount += pending[seq] ?? 1
            memory.accessedAt = now
            return VectorHit(memory: memory, similarity: similarity)
        }
    }

    package func similarities(_ query: MemoryVector, to ids: [MemoryID]) async throws -> [MemoryID: Double] {
        guard !ids.isEmpty else { return [:] }
        let index = vectorIndex
        return try await readOnWriter { db, _ in
            try index.refresh(db, model: query.model)
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, id FROM memory WHERE id IN (\(Self.placeholders(ids.count)))",
                arguments: StatementArguments(ids.map(\.description)))
            var idBySeq: [Int64: MemoryID] = [:]
            for row in rows {
                if let id = try? MemoryID(parsing: row[1] as String) { idBySeq[row[0]] = id }
            }
            var result: [MemoryID: Double] = [:]
            for (seq, similarity) in index.similarities(query, seqs: Array(idBySeq.keys)) {
                if let id = idBySeq[seq] { result[id] = similarity }
            }
            return result
        }
    }

    package func embeddingBacklog(model: String, limit: Int) async throws -> [EmbeddingJob] {
        try await read { db, _ in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT m.id, m.content FROM memory m
                        WHERE \(Self.embeddable)
                          AND NOT EXISTS (SELECT 1 FROM memory_vector v WHERE v.memory_seq = m.seq AND v.model = ?)
                        ORDER BY m.seq DESC LIMIT ?
                        """),
                arguments: [model, limit]
            ).compactMap { row in
                guard let id = try? MemoryID(parsing: row[0] as String) else { return nil }
                return EmbeddingJob(id: id, content: row[1])
            }
        }
    }

    package func saveVectors(_ vectors: [(job: EmbeddingJob, vector: MemoryVector)]) async throws -> Int {
        guard !vectors.isEmpty else { return 0 }
        return try await write(signals: false) { db, _ in
            var saved = 0
            for (job, vector) in vectors {
                try Self.keep(vector, source: "local", memory: "m.id = ?", job.id.description, content: job.content, in: db)
                saved += db.changesCount
            }
            try Self.pruneVectorChanges(db)
            return saved
        }
    }

    package func embeddingProgress(model: String) async throws -> EmbeddingProgress {
        try await read { db, _ in
            let live = try Int.fetchOne(db, sql: "SELECT count(*) FROM memory m WHERE \(Self.embeddable)") ?? 0
            let embedded =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM memory_vector v JOIN memory m ON m.seq = v.memory_seq WHERE v.model = ? AND \(Self.embeddable)",
                    arguments: [model]) ?? 0
            return EmbeddingProgress(embedded: embedded, waiting: max(0, live - embedded))
        }
    }

    package func removeVectors(notOf model: String) async throws -> Int {
        try await write { db, _ in
            try db.execute(sql: "DELETE FROM memory_vector WHERE model != ?", arguments: [model])
            let removed = db.changesCount
            try Self.pruneVectorChanges(db)
            return removed
        }
    }

    package func peerVectorsToCheck(model: String, limit: Int) async throws -> [PeerVectorCheck] {
        try await read { db, _ in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT m.id, m.content, m.origin_device, v.model, v.scale, v.vector FROM memory_vector v
                        JOIN memory m ON m.seq = v.memory_seq
                        WHERE v.source = 'peer' AND v.model = ? AND v.memory_seq % ? = 0 AND \(Self.embeddable)
                        LIMIT ?
                        """),
                arguments: [model, PeerVectorCheck.sampleEvery, limit]
            ).compactMap { row in
                guard let id = try? MemoryID(parsing: row[0] as String), let vector = Self.storedVector(row, at: 3) else { return nil }
                return PeerVectorCheck(job: EmbeddingJob(id: id, content: row[1]), vector: vector, device: row[2])
            }
        }
    }

    package func settle(_ checks: [(check: PeerVectorCheck, own: MemoryVector)]) async throws -> (matched: Int, distrusted: [String]) {
        try await write(signals: false) { db, _ in
            var matched = 0
            var distrusted: Set<String> = []
            for (check, own) in checks {
                if own.cosine(check.vector) >= PeerVectorCheck.minimumAgreement {
                    try db.execute(
                        sql: "UPDATE memory_vector SET source = 'local' WHERE source = 'peer' AND memory_seq = (SELECT seq FROM memory WHERE id = ?)",
                        arguments: [check.job.id.description])
                    matched += 1
                } else {
                    distrusted.insert(check.device)
                }
            }
            for device in distrusted.sorted() {
                try db.execute(
                    sql: """
                        DELETE FROM memory_vector WHERE source = 'peer'
                          AND memory_seq IN (SELECT seq FROM memory WHERE origin_device = ?)
                        """,
                    arguments: [device])
            }
            try Self.pruneVectorChanges(db)
            return (matched, distrusted.sorted())
        }
    }

    /// Keeps the change list short: an index further behind than what is kept reloads.
    static func pruneVectorChanges(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM vector_change WHERE seq <= (SELECT max(seq) FROM vector_change) - 200000")
    }

    /// A vector that came with a pulled change (another device made it): kept as `peer` when
    /// the memory has that text now and no vector yet. Called by the merge, in its transaction.
    static func savePeerVector(_ vector: MemoryVector, memorySeq seq: Int64, content: String, in db: Database) throws {
        try keep(vector, source: "peer", memory: "m.seq = ?", seq, content: content, in: db)
    }

    /// Keeps `vector` for the memory `memory` selects, only if it still has `content` (the text
    /// the vector was made from) and is live. This node's own (`local`) replaces what is there;
    /// a `peer` one never does.
    private static func keep(
        _ vector: MemoryVector, source: String, memory condition: String, _ key: some DatabaseValueConvertible, content: String,
        in db: Database
    ) throws {
        let conflict =
            source == "local"
            ? "DO UPDATE SET model = excluded.model, scale = excluded.scale, vector = excluded.vector, source = excluded.source"
            : "DO NOTHING"
        try db.cachedStatement(
            sql: """
                INSERT INTO memory_vector (memory_seq, model, scale, vector, source)
                SELECT m.seq, ?, ?, ?, ? FROM memory m WHERE \(condition) AND m.content = ? AND \(embeddable)
                ON CONFLICT (memory_seq) \(conflict)
                """
        ).execute(arguments: [vector.model, Double(vector.scale), Data(vector.bytes), source, key, content])
    }

    /// A stored vector from the columns `model, scale, vector` starting at `column`, or `nil`
    /// for a row that is not one (never trusted blindly: it is checked as on the wire).
    static func storedVector(_ row: Row, at column: Int) -> MemoryVector? {
        try? MemoryVector(model: row[column], scale: Float(row[column + 1] as Double), bytes: [UInt8](row[column + 2] as Data))
    }
}
