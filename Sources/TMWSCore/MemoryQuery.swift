import Foundation

/// How a tag filter combines several tags.
public enum TagMatch: String, Sendable, Hashable, Codable, CaseIterable {
    /// A memory matches when it has at least one of the tags.
    case any
    /// A memory matches only when it has every tag.
    case all
}

/// Filters shared by listing and searching. Empty filters match every live memory.
public struct MemoryFilter: Sendable, Hashable {
    /// Only these scopes; empty means all.
    public var scopes: Set<MemoryScope>
    public var namespace: Namespace?
    public var tags: [String]
    public var tagMatch: TagMatch
    public var minimumImportance: Double?
    public var createdAfter: Date?
    public var createdBefore: Date?
    public var updatedAfter: Date?
    public var updatedBefore: Date?

    public init(
        scopes: Set<MemoryScope> = [], namespace: Namespace? = nil, tags: [String] = [],
        tagMatch: TagMatch = .any, minimumImportance: Double? = nil,
        createdAfter: Date? = nil, createdBefore: Date? = nil,
        updatedAfter: Date? = nil, updatedBefore: Date? = nil
    ) {
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
    public var isEmpty: Bool {
        self == MemoryFilter()
    }
}

/// A page request for listing memories, newest first.
public struct ListRequest: Sendable, Hashable {
    public var filter: MemoryFilter
    /// 1–1000. Default 50.
    public var limit: Int
    /// The `nextCursor` of the previous page, or `nil` for the first page.
    public var cursor: String?

    public init(filter: MemoryFilter = MemoryFilter(), limit: Int = 50, cursor: String? = nil) {
        self.filter = filter
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of memories and the cursor of the next page (`nil` on the last page).
public struct MemoryPage: Sendable, Hashable {
    public var memories: [Memory]
    public var nextCursor: String?

    public init(memories: [Memory], nextCursor: String?) {
        self.memories = memories
        self.nextCursor = nextCursor
    }
}

/// A full-text search.
public struct SearchRequest: Sendable, Hashable {
    /// Words, `prefix*` terms and text in any language, including Japanese without spaces.
    public var query: String
    public var filter: MemoryFilter
    /// 1–1000. Default 10.
    public var limit: Int

    public init(query: String, filter: MemoryFilter = MemoryFilter(), limit: Int = 10) {
        self.query = query
        self.filter = filter
        self.limit = limit
    }
}

/// A search result: the memory and its relevance (higher is better; BM25).
public struct SearchHit: Sendable, Hashable {
    public var memory: Memory
    public var score: Double

    public init(memory: Memory, score: Double) {
        self.memory = memory
        self.score = score
    }
}

/// What an import did.
public struct ImportOutcome: Sendable, Hashable {
    /// New memories written.
    public var imported: Int
    /// Lines whose id already existed, left unchanged.
    public var skipped: Int

    public init(imported: Int = 0, skipped: Int = 0) {
        self.imported = imported
        self.skipped = skipped
    }
}

/// What `prune` removed (or would remove, in a dry run).
public struct PruneOutcome: Sendable, Hashable {
    /// Expired memories removed.
    public var expired: [MemoryID]
    /// Tombstones of local memories removed (cloud tombstones stay until synced).
    public var tombstones: Int

    public init(expired: [MemoryID], tombstones: Int) {
        self.expired = expired
        self.tombstones = tombstones
    }
}

/// Counts and sizes of a store.
public struct MemoryStatistics: Sendable, Hashable {
    /// Live memories (neither deleted nor expired).
    public var total: Int
    public var byScope: [MemoryScope: Int]
    public var byNamespace: [Namespace: Int]
    public var expired: Int
    public var tombstones: Int
    public var pendingOutboxEvents: Int
    public var auditRecords: Int
    public var contentBytes: Int

    public init(
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
public struct Caller: Sendable, Hashable {
    public var agentID: String

    public init(agentID: String) {
        self.agentID = agentID
    }

    /// The command line.
    public static let cli = Caller(agentID: "cli")

    /// A caller named by a client (an MCP client's name, an `X-TMWS-Agent` header): at most
    /// 64 characters of `A-Z a-z 0-9 . _ - : @`, anything else replaced by `-`; `nil` when
    /// nothing usable is left, or when what is left holds sensitive data (a token pasted as a
    /// client name would otherwise reach every device of the tenant).
    public init?(clientSuppliedName raw: String) {
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
