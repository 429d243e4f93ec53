/// The JSON forms of the service's results, defined once: REST, MCP and the CLI's `--json`
/// all answer with these, so they agree field for field.

/// A page of memories: `{memories, count, next_cursor}` (`next_cursor` null on the last page).
package struct MemoryPageResult: Encodable, Sendable {
    package var memories: [Memory]
    package var nextCursor: String?
    /// With `max_tokens`: what the budget left for the next page.
    package var budget: BudgetReport?

    package init(_ page: MemoryPage) {
        memories = page.memories
        nextCursor = page.nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case memories, count, budget
        case nextCursor = "next_cursor"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(memories, forKey: .memories)
        try container.encode(memories.count, forKey: .count)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encodeIfPresent(budget, forKey: .budget)
    }

    /// Fitted to `budget` (see ``TokenBudget``), the next page starting after the last memory
    /// that fitted; `compact`: each content cut to its first line.
    package func fitting(_ budget: TokenBudget?, compact: Bool) -> MemoryPageResult {
        var fitted = self
        if compact {
            for index in fitted.memories.indices { fitted.memories[index].content = TokenBudget.firstLine(fitted.memories[index].content) }
        }
        guard let budget else { return fitted }
        let memories = fitted.memories
        fitted.memories = []
        let kept = budget.fit(memories, envelope: fitted.jsonBytes(), write: { $1.bytes += $0.jsonBytes() }, content: \.content)
        fitted.memories = kept.items
        // Listed newest first by id: the next page starts after the last one shown.
        if kept.omitted > 0, let last = kept.items.last { fitted.nextCursor = last.id.description }
        fitted.budget = BudgetReport(budget, kept, paged: fitted.nextCursor != nil)
        return fitted
    }
}

/// Search hits, best first: `{count, mode, results: [{score, found_by, similarity?, memory}]}`,
/// with `note` when the mode is not the one asked for and `pending_embeddings` when vectors
/// were used (memories still waiting for one are found by words only).
package struct SearchResults: Encodable, Sendable {
    package struct Hit: Encodable, Sendable {
        package var score: Double
        package var memory: Memory
        package var foundBy: [String]
        package var similarity: Double?

        enum CodingKeys: String, CodingKey {
            case score, memory, similarity
            case foundBy = "found_by"
        }
    }

    package var count: Int
    package var results: [Hit]
    package var mode: SearchMode
    package var note: String?
    package var pendingEmbeddings: Int?
    /// With `max_tokens`: what the budget left out.
    package var budget: BudgetReport?

    enum CodingKeys: String, CodingKey {
        case count, results, mode, note, budget
        case pendingEmbeddings = "pending_embeddings"
    }

    /// Fitted to `budget` (see ``TokenBudget``); `compact`: each content cut to its first line.
    package func fitting(_ budget: TokenBudget?, compact: Bool) -> SearchResults {
        var fitted = self
        if compact {
            for index in fitted.results.indices {
                fitted.results[index].memory.content = TokenBudget.firstLine(fitted.results[index].memory.content)
            }
        }
        guard let budget else { return fitted }
        let hits = fitted.results
        fitted.results = []
        let kept = budget.fit(hits, envelope: fitted.jsonBytes(), write: { $0.write(to: &$1) }, content: \.memory.content)
        fitted.results = kept.items
        fitted.count = kept.items.count
        fitted.budget = BudgetReport(budget, kept, paged: false)
        return fitted
    }

    package init(_ hits: [SearchHit]) {
        self.init(SearchOutcome(hits: hits, mode: .lexical))
    }

    package init(_ outcome: SearchOutcome) {
        count = outcome.hits.count
        results = outcome.hits.map { Hit(score: $0.score, memory: $0.memory, foundBy: $0.foundBy.names, similarity: $0.similarity) }
        mode = outcome.mode
        note = outcome.note
        pendingEmbeddings = outcome.pendingEmbeddings
    }
}

/// A deletion: `{id, deleted: true, version}` (the tombstone's version).
package struct DeleteResult: Encodable, Sendable {
    package var id: MemoryID
    package var deleted: Bool
    package var version: Int

    package init(_ tombstone: Memory) {
        id = tombstone.id
        deleted = true
        version = tombstone.version
    }
}

/// A prune: `{dry_run, expired, expired_ids, tombstones}`.
package struct PruneResult: Encodable, Sendable {
    package var dryRun: Bool
    package var expired: Int
    package var expiredIDs: [MemoryID]
    package var tombstones: Int

    package init(_ outcome: PruneOutcome, dryRun: Bool) {
        self.dryRun = dryRun
        expired = outcome.expired.count
        expiredIDs = outcome.expired
        tombstones = outcome.tombstones
    }

    enum CodingKeys: String, CodingKey {
        case expired, tombstones
        case dryRun = "dry_run"
        case expiredIDs = "expired_ids"
    }
}

extension SearchResults: JSONBytesEncodable {
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 1024 * max(1, results.count))
        writer.raw("{")
        writer.budget(budget, then: "count")
        writer.integer(count)
        writer.key("mode")
        writer.string(mode.rawValue)
        if let note {
            writer.key("note")
            writer.string(note)
        }
        if let pendingEmbeddings {
            writer.key("pending_embeddings")
            writer.integer(pendingEmbeddings)
        }
        writer.key("results")
        writer.array(results) { writer, hit in hit.write(to: &writer) }
        writer.raw("}")
        return writer.bytes
    }
}

extension MemoryPageResult: JSONBytesEncodable {
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 1024 * max(1, memories.count))
        writer.raw("{")
        writer.budget(budget, then: "count")
        writer.integer(memories.count)
        writer.key("memories")
        writer.array(memories) { writer, memory in writer.bytes += memory.jsonBytes() }
        writer.key("next_cursor")
        writer.optionalString(nextCursor)
        writer.raw("}")
        return writer.bytes
    }
}

extension SearchResults.Hit {
    /// `{found_by, memory, score, similarity?}`, as ``SearchResults`` writes each hit.
    package func write(to writer: inout JSONWriter) {
        writer.raw("{")
        writer.key("found_by", first: true)
        writer.value(.array(foundBy.map(JSONValue.string)))
        writer.key("memory")
        writer.bytes += memory.jsonBytes()
        writer.key("score")
        writer.number(score)
        if let similarity {
            writer.key("similarity")
            writer.number(similarity)
        }
        writer.raw("}")
    }
}

/// A supersession chain, oldest first (``MemoryService/history(_:)``): `{memories, count}`,
/// each memory with `supersedes` where it replaces the one before.
package struct HistoryResult: Encodable, Sendable {
    package var memories: [Memory]

    package init(memories: [Memory]) {
        self.memories = memories
    }

    enum CodingKeys: String, CodingKey { case memories, count }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(memories, forKey: .memories)
        try container.encode(memories.count, forKey: .count)
    }
}
