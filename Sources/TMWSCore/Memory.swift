import Foundation

/// One stored memory (DESIGN §3).
public struct Memory: Sendable, Hashable {
    public var id: MemoryID
    public var tenantID: String
    public var namespace: Namespace
    public var scope: MemoryScope
    public var content: String
    /// Sorted and unique; stored as a relation, one row per tag.
    public var tags: [String]
    /// 0 (trivial) to 1 (essential).
    public var importance: Double
    public var metadata: [String: JSONValue]
    /// Who wrote the current version (`TMWS_AGENT_ID`, the MCP client, or `cli`).
    public var agentID: String
    public var createdAt: Date
    /// The hybrid logical clock reading of the last change.
    public var updatedAt: HybridTimestamp
    /// Starts at 1 and increases by one on every change.
    public var version: Int
    public var originDevice: String
    public var expiresAt: Date?
    public var accessCount: Int
    public var accessedAt: Date?
    public var archived: Bool
    public var deleted: Bool
    /// How the scope was chosen; `nil` for memories stored before classification existed.
    public var classification: ClassificationRecord?
    /// For a SHARED memory: the team (a lower-case UUID) whose members can read it; `nil`
    /// means the node's only team, chosen when the memory is first sent to the hub.
    public var team: String?

    public init(
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
    public func tombstone(at time: HybridTimestamp, by agentID: String) -> Memory {
        var tombstone = self
        tombstone.content = ""
        tombstone.tags = []
        tombstone.metadata = [:]
        tombstone.deleted = true
        tombstone.version += 1
        tombstone.updatedAt = time
        tombstone.agentID = agentID
        tombstone.classification = nil
        return tombstone
    }

    /// Whether the memory has expired at `now` (expired memories are invisible).
    public func isExpired(at now: Date) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt <= now
    }

}
