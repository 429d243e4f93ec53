/// The JSON forms of the service's results, defined once: REST, MCP and the CLI's `--json`
/// all answer with these, so they agree field for field.

/// A page of memories: `{memories, count, next_cursor}` (`next_cursor` null on the last page).
package struct MemoryPageResult: Encodable, Sendable {
    package var memories: [Memory]
    package var nextCursor: String?

    package init(_ page: MemoryPage) {
        memories = page.memories
        nextCursor = page.nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case memories, count
        case nextCursor = "next_cursor"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(memories, forKey: .memories)
        try container.encode(memories.count, forKey: .count)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// Search hits, best first: `{count, results: [{score, memory}]}`.
package struct SearchResults: Encodable, Sendable {
    package struct Hit: Encodable, Sendable {
        package var score: Double
        package var memory: Memory
    }

    package var count: Int
    package var results: [Hit]

    package init(_ hits: [SearchHit]) {
        count = hits.count
        results = hits.map { Hit(score: $0.score, memory: $0.memory) }
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
        writer.key("count", first: true)
        writer.integer(count)
        writer.key("results")
        writer.array(results) { writer, hit in
            writer.raw("{")
            writer.key("memory", first: true)
            writer.bytes += hit.memory.jsonBytes()
            writer.key("score")
            writer.number(hit.score)
            writer.raw("}")
        }
        writer.raw("}")
        return writer.bytes
    }
}

extension MemoryPageResult: JSONBytesEncodable {
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 1024 * max(1, memories.count))
        writer.raw("{")
        writer.key("count", first: true)
        writer.integer(memories.count)
        writer.key("memories")
        writer.array(memories) { writer, memory in writer.bytes += memory.jsonBytes() }
        writer.key("next_cursor")
        writer.optionalString(nextCursor)
        writer.raw("}")
        return writer.bytes
    }
}
