import Foundation

/// One stored memory (DESIGN §3).
package struct Memory: Sendable, Hashable {
    package var id: MemoryID
    package var tenantID: String
    package var namespace: Namespace
    package var scope: MemoryScope
    package var content: String
    /// Sorted and unique; stored as a relation, one row per tag.
    package var tags: [String]
    /// 0 (trivial) to 1 (essential).
    package var importance: Double
    package var metadata: [String: JSONValue]
    /// Who wrote the current version (`TMWS_AGENT_ID`, the MCP client, or `cli`).
    package var agentID: String
    package var createdAt: Date
    /// The hybrid logical clock reading of the last change.
    package var updatedAt: HybridTimestamp
    /// Starts at 1 and increases by one on every change.
    package var version: Int
    package var originDevice: String
    package var expiresAt: Date?
    package var accessCount: Int
    package var accessedAt: Date?
    /// Moved to this node's archive: out of the default search, its text compressed.
    package var archived: Bool
    package var deleted: Bool
    /// Kept against every kind of forgetting: never expires (a pinned memory has no expiry),
    /// is never archived, nor evicted from a hot cache. Replicated: a pin holds on every device.
    package var pinned = false
    /// The memory this one replaces (replicated). The older one stays, with its provenance,
    /// out of default search and lists; clearing this brings it back.
    package var supersedes: MemoryID?
    /// Whether an instruction aimed at agents was found in a GLOBAL or SHARED memory, and
    /// whether a person accepted it. Local: every node decides it with its own detector and
    /// trusts no other node's verdict (`nil`: nothing to review).
    package var review: MemoryReview?
    /// A GLOBAL memory this node's hot cache let go: only its identity and version are held
    /// here (the text is empty); the hub holds the rest. Local state: never shown as a memory.
    package var evicted = false
    /// How the scope was chosen; `nil` for memories stored before classification existed.
    package var classification: ClassificationRecord?
    /// For a SHARED memory: the team (a lower-case UUID) whose members can read it; `nil`
    /// means the node's only team, chosen when the memory is first sent to the hub.
    package var team: String?

    package init(
        id: MemoryID, tenantID: String, namespace: Namespace, scope: MemoryScope, content: String,
        tags: [String], importance: Double, metadata: [String: JSONValue], agentID: String,
        createdAt: Date, updatedAt: HybridTimestamp, version: Int, originDevice: String,
        expiresAt: Date?, accessCount: Int, accessedAt: Date?, archived: Bool, deleted: Bool,
        classification: ClassificationRecord? = nil, team: String? = nil
    ) {
        self.team = team
        self.id = id
        self.tenantID = tenantID
        self.namespace = namespace
        self.scope = scope
        self.content = content
        self.tags = tags
        self.importance = importance
        self.metadata = metadata
        self.agentID = agentID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.originDevice = originDevice
        self.expiresAt = expiresAt
        self.accessCount = accessCount
        self.accessedAt = accessedAt
        self.archived = archived
        self.deleted = deleted
        self.classification = classification
    }

    /// The tombstone that replaces this memory when it is deleted: identity, scope and a
    /// new version for sync, and nothing of the content, tags or metadata.
    package func tombstone(at time: HybridTimestamp, by agentID: String) -> Memory {
        var tombstone = self
        tombstone.content = ""
        tombstone.tags = []
        tombstone.metadata = [:]
        tombstone.deleted = true
        tombstone.version += 1
        tombstone.updatedAt = time
        tombstone.agentID = agentID
        tombstone.classification = nil
        tombstone.supersedes = nil
        tombstone.pinned = false
        tombstone.review = nil
        return tombstone
    }

    /// Whether the memory has expired at `now` (expired memories are invisible).
    package func isExpired(at now: Date) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt <= now
    }

}
