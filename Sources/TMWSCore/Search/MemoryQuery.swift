import Foundation

/// How a tag filter combines several tags.
package enum TagMatch: String, Sendable, Hashable, Codable, CaseIterable {
    /// A memory matches when it has at least one of the tags.
    case any
    /// A memory matches only when it has every tag.
    case all
}

/// Filters shared by listing and searching. Empty filters match every live memory.
package struct MemoryFilter: Sendable, Hashable {
    /// Only these scopes; empty means all.
    package var scopes: Set<MemoryScope>
    package var namespace: Namespace?
    package var tags: [String]
    package var tagMatch: TagMatch
    package var minimumImportance: Double?
    package var createdAfter: Date?
    package var createdBefore: Date?
    package var updatedAfter: Date?
    package var updatedBefore: Date?
    /// Also memories moved to this node's archive (`tmws archive`). Default `false`.
    package var includeArchived: Bool
    /// Also memories a live memory supersedes. Default `false`.
    package var includeSuperseded = false
    /// Only GLOBAL and SHARED memories held for review (instructions aimed at agents).
    package var onlyUnreviewed = false

    package init(
        scopes: Set<MemoryScope> = [], namespace: Namespace? = nil, tags: [String] = [],
        tagMatch: TagMatch = .any, minimumImportance: Double? = nil,
        createdAfter: Date? = nil, createdBefore: Date? = nil,
        updatedAfter: Date? = nil, updatedBefore: Date? = nil, includeArchived: Bool = false
    ) {
        self.includeArchived = includeArchived
        self.scopes = scopes
        self.namespace = namespace
        self.tags = tags
        self.tagMatch = tagMatch
        self.minimumImportance = minimumImportance
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.updatedAfter = updatedAfter
        self.updatedBefore = updatedBefore
    }
}

extension MemoryFilter {
    /// Whether the filter lets every live memory through.
    package var isEmpty: Bool {
        self == MemoryFilter()
    }
}

/// A page request for listing memories, newest first.
package struct ListRequest: Sendable, Hashable {
    package var filter: MemoryFilter
    /// 1–1000. Default 50.
    package var limit: Int
    /// The `nextCursor` of the previous page, or `nil` for the first page.
    package var cursor: String?

    package init(filter: MemoryFilter = MemoryFilter(), limit: Int = 50, cursor: String? = nil) {
        self.filter = filter
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of memories and the cursor of the next page (`nil` on the last page).
package struct MemoryPage: Sendable, Hashable {
    package var memories: [Memory]
    package var nextCursor: String?

    package init(memories: [Memory], nextCursor: String?) {
        self.memories = memories
        self.nextCursor = nextCursor
    }
}

/// A full-text search.
package struct SearchRequest: Sendable, Hashable {
    /// Words, `prefix*` terms and text in any language, including Japanese without spaces.
    package var query: String
    package var filter: MemoryFilter
    /// 1–1000. Default 10.
    package var limit: Int
    /// `nil`: hybrid when an embedding model is configured, else lexical.
    package var mode: SearchMode?

    package init(query: String, filter: MemoryFilter = MemoryFilter(), limit: Int = 10, mode: SearchMode? = nil) {
        self.query = query
        self.filter = filter
        self.limit = limit
        self.mode = mode
    }
}

/// A search result: the memory and its relevance (higher is better; BM25).
package struct SearchHit: Sendable, Hashable {
    package var memory: Memory
    package var score: Double
    /// Found by the fallback to any of the query's words (no memory had them all).
    package var partial: Bool
    /// The share of the query's word weight (IDF) the memory matches: 1 unless `partial`.
    package var coverage: Double
    /// Which rankings found it (a lexical search's hits: `.lexical`).
    package var foundBy: FoundBy
    /// Cosine similarity to the query, when a vector ranking found it.
    package var similarity: Double?

    package init(
        memory: Memory, score: Double, partial: Bool = false, coverage: Double? = nil, foundBy: FoundBy = .lexical, similarity: Double? = nil
    ) {
        self.memory = memory
        self.score = score
        self.partial = partial
        self.coverage = coverage ?? (partial ? 0 : 1)
        self.foundBy = foundBy
        self.similarity = similarity
    }
}

/// What an import did.
package struct ImportOutcome: Sendable, Hashable {
    /// New memories written.
    package var imported: Int
    /// Lines whose id already existed, left unchanged.
    package var skipped: Int

    package init(imported: Int = 0, skipped: Int = 0) {
        self.imported = imported
        self.skipped = skipped
    }
}

/// What `prune` removed (or would remove, in a dry run).
package struct PruneOutcome: Sendable, Hashable {
    /// Expired memories removed.
    package var expired: [MemoryID]
    /// Tombstones of local memories removed (cloud tombstones stay until synced).
    package var tombstones: Int

    package init(expired: [MemoryID], tombstones: Int) {
        self.expired = expired
        self.tombstones = tombstones
    }
}

/// Counts and sizes of a store.
package struct MemoryStatistics: Sendable, Hashable {
    /// Live memories (neither deleted nor expired).
    package var total: Int
    package var byScope: [MemoryScope: Int]
    package var byNamespace: [Namespace: Int]
    package var expired: Int
    package var tombstones: Int
    package var pendingOutboxEvents: Int
    package var auditRecords: Int
    package var contentBytes: Int

    package init(
        total: Int, byScope: [MemoryScope: Int], byNamespace: [Namespace: Int], expired: Int,
        tombstones: Int, pendingOutboxEvents: Int, auditRecords: Int, contentBytes: Int
    ) {
        self.total = total
        self.byScope = byScope
        self.byNamespace = byNamespace
        self.expired = expired
        self.tombstones = tombstones
        self.pendingOutboxEvents = pendingOutboxEvents
        self.auditRecords = auditRecords
        self.contentBytes = contentBytes
    }
}

/// Who is acting: recorded as `agent_id` on writes and as the actor in the audit log.
package struct Caller: Sendable, Hashable {
    package var agentID: String

    package init(agentID: String) {
        self.agentID = agentID
    }

    /// The command line.
    package static let cli = Caller(agentID: "cli")

    /// A caller named by a client (an MCP client's name, an `X-TMWS-Agent` header): at most
    /// 64 characters of `A-Z a-z 0-9 . _ - : @`, anything else replaced by `-`; `nil` when
    /// nothing usable is left, or when what is left holds sensitive data (a token pasted as a
    /// client name would otherwise reach every device of the tenant).
    package init?(clientSuppliedName raw: String) {
        let cleaned = String(
            raw.unicodeScalars.prefix(64).map { scalar -> Character in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-:@".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "-"
            })
        guard cleaned.contains(where: { $0 != "-" }) else { return nil }
        // The agent id travels with every GLOBAL and SHARED memory it writes: a name that
        // holds a credential is no name.
        guard SensitiveDataDetector().scan(cleaned).isEmpty else { return nil }
        self.init(agentID: cleaned)
    }
}
