import Foundation

/// A memory to create, already validated: holding a `MemoryDraft` means its fields
/// obey ``MemoryLimits``. Built by ``MemoryValidator``.
public struct MemoryDraft: Sendable, Hashable {
    /// A fixed id (from an import); `nil` makes the store generate a UUIDv7.
    public var id: MemoryID?
    public var namespace: Namespace
    public var scope: MemoryScope
    public var content: String
    public var tags: [String]
    public var importance: Double
    public var metadata: [String: JSONValue]
    /// A fixed creation time (from an import); `nil` means now.
    public var createdAt: Date?
    public var expiresAt: Date?
    /// How the scope was chosen (set by the service's classifier).
    public var classification: ClassificationRecord?
    /// For a SHARED memory: its team, or `nil` for the node's only team.
    public var team: String?

    public init(
        id: MemoryID? = nil, namespace: Namespace, scope: MemoryScope, content: String,
        tags: [String] = [], importance: Double = 0.5, metadata: [String: JSONValue] = [:],
        createdAt: Date? = nil, expiresAt: Date? = nil
    ) {
        self.id = id
        self.namespace = namespace
        self.scope = scope
        self.content = content
        self.tags = tags
        self.importance = importance
        self.metadata = metadata
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A validated change to an existing memory; `nil` fields stay as they are.
public struct MemoryPatch: Sendable, Hashable {
    public var content: String?
    public var scope: MemoryScope?
    public var namespace: Namespace?
    /// The complete new tag set.
    public var tags: [String]?
    public var importance: Double?
    public var metadata: [String: JSONValue]?
    /// `.some(nil)` removes the expiry; `.some(date)` sets it.
    public var expiresAt: Date??
    /// When set, the update fails with `version_conflict` unless the stored version matches.
    public var expectedVersion: Int?
    /// The new classification, when content or scope changed.
    public var classification: ClassificationRecord?
    /// A new team (for a memory that is SHARED after the change).
    public var team: String?

    public init(
        content: String? = nil, scope: MemoryScope? = nil, namespace: Namespace? = nil,
        tags: [String]? = nil, importance: Double? = nil, metadata: [String: JSONValue]? = nil,
        expiresAt: Date?? = nil, expectedVersion: Int? = nil
    ) {
        self.content = content
        self.scope = scope
        self.namespace = namespace
        self.tags = tags
        self.importance = importance
        self.metadata = metadata
        self.expiresAt = expiresAt
        self.expectedVersion = expectedVersion
    }

    /// Whether the patch changes nothing.
    public var isEmpty: Bool {
        content == nil && scope == nil && namespace == nil && tags == nil && importance == nil
            && metadata == nil && expiresAt == nil && team == nil
    }
}
