import Foundation
import GRDB
import TMWSCore

extension SQLiteMemoryStore {
    /// The `WHERE` conditions (over alias `m`) for a filter, always including liveness.
    static func conditions(for filter: MemoryFilter, now: Date) -> (sql: String, arguments: StatementArguments) {
        var clauses = ["m.deleted = 0", "m.evicted = 0", "(m.expires_at IS NULL OR m.expires_at > ?)"]
        var arguments: StatementArguments = [MemoryRow.millis(now)]
        if !filter.includeArchived { clauses.append("m.archived = 0") }
        if !filter.includeSuperseded {
            clauses.append(
                "NOT EXISTS (SELECT 1 FROM memory s WHERE s.supersedes = m.id AND s.deleted = 0 AND (s.expires_at IS NULL OR s.expires_at > ?))")
            arguments += [MemoryRow.millis(now)]
        }
        if filter.onlyUnreviewed { clauses.append("m.review = 'unreviewed'") }
        if !filter.scopes.isEmpty {
            let scopes = filter.scopes.map(\.rawValue).sorted()
            clauses.append("m.scope IN (\(placeholders(scopes.count)))")
            arguments += StatementArguments(scopes)
        }
        if let namespace = filter.namespace {
            clauses.append("m.namespace = ?")
            arguments += [namespace.rawValue]
        }
        if !filter.tags.isEmpty {
            let tags = Array(Set(filter.tags)).sorted()
            switch filter.tagMatch {
            case .any:
                clauses.append("m.seq IN (SELECT memory_seq FROM memory_tag WHERE tag IN (\(placeholders(tags.count))))")
                arguments += StatementArguments(tags)
            case .all:
                clauses.append(
                    "(SELECT count(*) FROM memory_tag t WHERE t.memory_seq = m.seq AND t.tag IN (\(placeholders(tags.count)))) = ?"
                )
                arguments += StatementArguments(tags)
                arguments += [tags.count]
            }
        }
        if let minimum = filter.minimumImportance {
            clauses.append("m.importance >= ?")
            arguments += [minimum]
        }
        let ranges: [(String, String, Date?)] = [
            ("m.created_at", ">=", filter.createdAfter), ("m.created_at", "<", filter.createdBefore),
            ("(m.updated_hlc >> 16)", ">=", filter.updatedAfter), ("(m.updated_hlc >> 16)", "<", filter.updatedBefore),
        ]
        for (column, comparison, date) in ranges {
            if let date {
                clauses.append("\(column) \(comparison) ?")
                arguments += [MemoryRow.millis(date)]
            }
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    package func list(_ request: ListRequest) async throws -> MemoryPage {
        let cursor = try request.cursor.map { text -> MemoryID in
            do {
                return try MemoryID(parsing: text)
            } catch {
                throw TMWSError(.invalidInput, "malformed cursor: pass the next_cursor of the previous page", field: "cursor")
            }
        }
        return try await read { db, now in
            var (sql, arguments) = Self.conditions(for: request.filter, now: now)
            if let cursor {
                sql += " AND m.id < ?"
                arguments += [cursor.description]
            }
            let rows = try MemoryRow.fetchAll(
                db,
                sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE \(sql) ORDER BY m.id DESC LIMIT ?",
                arguments: arguments + [request.limit + 1]
            )
            let page = rows.prefix(request.limit).map(\.memory)
            return MemoryPage(memories: page, nextCursor: rows.count > request.limit ? page.last?.id.description : nil)
        }
    }

    package func search(_ request: SearchRequest) async throws -> [SearchHit] {
        guard let expressions = FTSText.query(request.query) else {
            throw TMWSError(.invalidInput, "the query has no searchable words", field: "query")
        }
        let candidates = configuration.searchCandidates
        // A read (on the writer connection, whose cache is warm): the hits' access counts go
        // to the access log, not to a write transaction each.
        let (hits, partial, now) = try await readOnWriter { db, now in
            var hits = try Self.search(db, match: expressions.all, partial: false, request: request, candidates: candidates, now: now)
            if hits.isEmpty, expressions.any != expressions.all {
                // No memory has every word: fall back to any word, still ranked by BM25,
                // so a natural-language question finds the closest notes.
                hits = try Self.search(db, match: expressions.any, partial: true, request: request, candidates: candidates, now: now)
                return (hits, true, now)
            }
            return (hits, false, now)
        }
        guard !hits.isEmpty else { return [] }
        let nowMillis = MemoryRow.millis(now)
        let pending = accesses.record(hits.map(\.seq), atMillis: nowMillis)
        if accesses.isDue(atMillis: nowMillis) { try await flushAccesses() }
        return hits.map { hit in
            var memory = hit.memory
            // The stored count, and this process's accesses not written yet (this one included).
            memory.accessCount += pending[hit.seq] ?? 1
            memory.accessedAt = now
            return SearchHit(memory: memory, score: hit.score, partial: partial, coverage: hit.coverage)
        }
    }

    /// Ranks the matches of one FTS5 expression.
    ///
    /// BM25 costs about 1.6 µs per matching row (it decodes positions and looks up each
    /// document's length), so a word found in 10 % of 100,000 memories would take 20 ms and
    /// grow with the store. The ranking therefore covers the `candidates` newest matches:
    /// all of them whenever a query matches fewer, which a specific query does. Phase one
    /// finds the row where that window starts by walking the match list alone, which is
    /// cheap; phase two scores only the rows from there on.
    /// `partial`: the expression is the any-word fallback, and each hit's coverage is read.
    private static func search(
        _ db: Database, match: String, partial: Bool, request: SearchRequest, candidates: Int, now: Date
    ) throws -> [RankedRow] {
        let hits = try search(db, index: "memory_fts", match: match, partial: partial, request: request, candidates: candidates, now: now)
        guard request.filter.includeArchived else { return hits }
        // The archive has an index of its own, built alike: both rankings merge by score.
        let archived = try search(db, index: "archive_fts", match: match, partial: partial, request: request, candidates: candidates, now: now)
        return (hits + archived).sorted { $0.score != $1.score ? $0.score > $1.score : $0.seq > $1.seq }.prefix(request.limit).map { $0 }
    }

    typealias RankedRow = (seq: Int64, memory: Memory, score: Double, coverage: Double)

    private static func search(
        _ db: Database, index: String, match: String, partial: Bool, request: SearchRequest, candidates: Int, now: Date
    ) throws -> [RankedRow] {
        let (conditions, arguments) = Self.conditions(for: request.filter, now: now)
        // The share of the query a fallback hit matches (see BM25); every word otherwise.
        let coverage = partial ? "\(BM25.functionName)(\(index), 'coverage')" : "1.0"
        let windowStart: Int64? =
            try request.filter.isEmpty
            ? Int64.fetchOne(
                db.cachedStatement(sql: "SELECT rowid FROM \(index) WHERE \(index) MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?"),
                arguments: [match, candidates - 1]
            )
            : Int64.fetchOne(
                db,
                sql: """
                    SELECT f.rowid FROM \(index) f JOIN memory m ON m.seq = f.rowid
                    WHERE \(index) MATCH ? AND \(conditions)
                    ORDER BY f.rowid DESC LIMIT 1 OFFSET ?
                    """,
                arguments: [match] + arguments + [candidates - 1]
            )
        // tmws_bm25: BM25 with an IDF that stays positive (see BM25); higher is better. Equal
        // scores rank the most recently stored memory first.
        let ranked: [Row]
        if request.filter.isEmpty, try !hasExpiredMemories(db, now: now) {
            // The index holds exactly the rows not deleted, archived or evicted (integrityCheck verifies it), so
            // with no filter and nothing expired, ranking needs no lookup in `memory`: a third
            // of the cost of a search that matches a thousand rows.
            // Superseded memories leave default search: their rows (few, found by the partial
            // index on `supersedes`) are set aside once.
            ranked = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT rowid, \(BM25.functionName)(\(index)) AS score, \(coverage) FROM \(index)
                        WHERE \(index) MATCH ? AND rowid >= ?
                          AND rowid NOT IN (SELECT m.seq FROM memory s JOIN memory m ON m.id = s.supersedes
                                            WHERE s.supersedes IS NOT NULL AND s.deleted = 0 AND (s.expires_at IS NULL OR s.expires_at > ?))
                        ORDER BY score DESC, rowid DESC
                        LIMIT ?
                        """),
                arguments: [match, windowStart ?? 0, MemoryRow.millis(now), request.limit]
            )
        } else {
            ranked = try Row.fetchAll(
                db,
                sql: """
                    SELECT f.rowid, \(BM25.functionName)(\(index)) AS score, \(coverage)
                    FROM \(index) f JOIN memory m ON m.seq = f.rowid
                    WHERE \(index) MATCH ? AND f.rowid >= ? AND \(conditions)
                    ORDER BY score DESC, f.rowid DESC
                    LIMIT ?
                    """,
                arguments: [match, windowStart ?? 0] + arguments + [request.limit]
            )
        }
        guard !ranked.isEmpty else { return [] }
        var scores: [Int64: (score: Double, coverage: Double)] = [:]
        for row in ranked {
            scores[row[0]] = (row[1], row[2])
        }
        let memories = try MemoryRow.fetchAll(
            db,
            sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE m.seq IN (\(placeholders(ranked.count)))",
            arguments: StatementArguments(ranked.map { $0[0] as Int64 }),
            cached: true
        )
        return
            memories
            .map { ($0.seq, $0.memory, scores[$0.seq]?.score ?? 0, scores[$0.seq]?.coverage ?? 0) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.seq > $1.seq }
    }

    /// Whether a memory not deleted has passed its expiry time (and waits for `prune`).
    private static func hasExpiredMemories(_ db: Database, now: Date) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM memory WHERE expires_at <= ? AND deleted = 0)"),
            arguments: [MemoryRow.millis(now)]
        ) ?? false
    }

    package func forEachMemory(filter: MemoryFilter, _ body: @Sendable ([Memory]) throws -> Void) async throws {
        var after: String?
        while true {
            let cursor = after
            let page = try await read { db, now in
                var (sql, arguments) = Self.conditions(for: filter, now: now)
                if let cursor {
                    sql += " AND m.id > ?"
                    arguments += [cursor]
                }
                return try MemoryRow.fetchAll(
                    db,
                    sql: "SELECT \(MemoryRow.columns) FROM memory m WHERE \(sql) ORDER BY m.id LIMIT 500",
                    arguments: arguments
                ).map(\.memory)
            }
            guard let last = page.last else { return }
            try body(page)
            after = last.id.description
        }
    }
}
