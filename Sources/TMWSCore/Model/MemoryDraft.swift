import Foundation

/// A memory to create, already validated: holding a `MemoryDraft` means its fields
/// obey ``MemoryLimits``. Built by ``MemoryValidator``.
package struct MemoryDraft: Sendable, Hashable {
    /// A fixed id (from an import); `nil` makes the store generate a UUIDv7.
    package var id: MemoryID?
    package var namespace: Namespace
    package var scope: MemoryScope
    package var content: String
    package var tags: [String]
    package var importance: Double
    package var metadata: [String: JSONValue]
    /// A fixed creation time (from an import); `nil` means now.
    package var createdAt: Date?
    package var expiresAt: Date?
    /// How the scope was chosen (set by the service's classifier).
    package var classification: ClassificationRecord?
    /// For a SHARED memory: its team, or `nil` for the node's only team.
    package var team: String?
    /// The memory this one replaces.
    package var supersedes: MemoryID?
    /// Kept against expiry, the archive and the hot cache (then `expiresAt` is `nil`).
    package var pinned = false

    package init(
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
package struct MemoryPatch: Sendable, Hashable {
    package var content: String?
    package var scope: MemoryScope?
    package var namespace: Namespace?
    /// The complete new tag set.
    package var tags: [String]?
    package var importance: Double?
    package var metadata: [String: JSONValue]?
    /// `.some(nil)` removes the expiry; `.some(date)` sets it.
    package var expiresAt: Date??
    /// When set, the update fails with `version_conflict` unless the stored version matches.
    package var expectedVersion: Int?
    /// The new classification, when content or scope changed.
    package var classification: ClassificationRecord?
    /// A new team (for a memory that is SHARED after the change).
    package var team: String?
    /// `.some(nil)` ends the supersession (the older memory comes back); `.some(id)` sets it.
    package var supersedes: MemoryID??
    /// Pins or unpins; a pin removes the expiry.
    package var pinned: Bool?

    package init(
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
    package var isEmpty: Bool {
        content == nil && scope == nil && namespace == nil && tags == nil && importance == nil
            && metadata == nil && expiresAt == nil && team == nil && supersedes == nil && pinned == nil
    }

    /// `old` with this patch's fields applied, and what changed, as audit details (field
    /// names, and the move for a scope): `changed` is empty when the patch changes nothing,
    /// and then `memory` is `old`. The version, clock and author are the store's to set.
    package func applied(to old: Memory) -> (memory: Memory, changed: [String]) {
        var memory = old
        var changed: [String] = []
        func set<Value: Equatable>(_ field: WritableKeyPath<Memory, Value>, to value: Value?, _ name: @autoclosure () -> String) {
            guard let value, value != memory[keyPath: field] else { return }
            memory[keyPath: field] = value
            changed.append(name())
        }
        set(\.content, to: content, "content")
        set(\.scope, to: scope, "scope:\(old.scope.rawValue)->\(scope?.rawValue ?? "")")
        set(\.namespace, to: namespace, "namespace")
        set(\.tags, to: tags, "tags")
        set(\.importance, to: importance, "importance")
        set(\.metadata, to: metadata, "metadata")
        set(\.expiresAt, to: expiresAt, "expires_at")
        set(\.supersedes, to: supersedes, "supersedes")
        set(\.pinned, to: pinned, pinned == true ? "pinned" : "unpinned")
        if memory.pinned { set(\.expiresAt, to: .some(nil), "expires_at") }
        // Only a SHARED memory has a team.
        if memory.scope == .shared { set(\.team, to: team.map(Optional.some), "team") }
        if memory.scope != .shared { memory.team = nil }
        guard !changed.isEmpty else { return (old, []) }
        if let classification {
            memory.classification = classification
            changed += classification.auditDetails
        }
        return (memory, changed)
    }
}
