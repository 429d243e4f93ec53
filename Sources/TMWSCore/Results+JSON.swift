/// The JSON forms of the service's results, defined once: REST, MCP and the CLI's `--json`
/// all answer with these, so they agree field for field.

/// A page of memories: `{memories, count, next_cursor}` (`next_cursor` null on the last page).
public struct MemoryPageResult: Encodable, Sendable {
    public var memories: [Memory]
    public var nextCursor: String?

    public init(_ page: MemoryPage) {
        memories = page.memories
        nextCursor = page.nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case memories, count
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(memories, forKey: .memories)
        try container.encode(memories.count, forKey: .count)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// Search hits, best first: `{count, results: [{score, memory}]}`.
public struct SearchResults: Encodable, Sendable {
    public struct Hit: Encodable, Sendable {
        public var score: Double
        public var memory: Memory
    }

    public var count: Int
    public var results: [Hit]

    public init(_ hits: [SearchHit]) {
        count = hits.count
        results = hits.map { Hit(score: $0.score, memory: $0.memory) }
    }
}

/// A deletion: `{id, deleted: true, version}` (the tombstone's version).
public struct DeleteResult: Encodable, Sendable {
    public var id: MemoryID
    public var deleted: Bool
    public var version: Int

    public init(_ tombstone: Memory) {
        id = tombstone.id
        deleted = true
        version = tombstone.version
    }
}

/// A prune: `{dry_run, expired, expired_ids, tombstones}`.
public struct PruneResult: Encodable, Sendable {
    public var dryRun: Bool
    public var expired: Int
    public var expiredIDs: [MemoryID]
    public var tombstones: Int

    public init(_ outcome: PruneOutcome, dryRun: Bool) {
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
    public func jsonBytes() -> [UInt8] {
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
    public func jsonBytes() -> [UInt8] {
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
