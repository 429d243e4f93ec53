import Foundation

/// Two versions of one memory that were written concurrently, both live, with different
/// content, kept for the user when the memory's importance is at or above the configured
/// threshold (`hybrid.conflict_importance`). Last-writer-wins already chose the version the
/// store holds; the conflict keeps the other so nothing is lost until the user decides.
///
/// It is recorded on the device that took part (its own change met the other): `local` is
/// the version written on this device, `remote` the other device's.
package struct SyncConflict: Sendable, Hashable {
    package enum Side: String, Sendable, Hashable, Codable {
        case local, remote
    }

    package var memoryID: MemoryID
    package var local: ChangeEvent
    package var remote: ChangeEvent
    package var detectedAt: Date

    package init(memoryID: MemoryID, local: ChangeEvent, remote: ChangeEvent, detectedAt: Date) {
        self.memoryID = memoryID
        self.local = local
        self.remote = remote
        self.detectedAt = detectedAt
    }

    /// The side last-writer-wins chose (the version the store holds).
    package var winner: Side { local.replicaVersion > remote.replicaVersion ? .local : .remote }

    /// Whether two concurrent versions make a conflict worth keeping: both live, different
    /// content, and the memory important enough.
    package static func isKept(_ local: ChangeEvent, _ remote: ChangeEvent, threshold: Double) -> Bool {
        guard let a = local.memory, let b = remote.memory else { return false }
        return a.content != b.content && max(a.importance, b.importance) >= threshold
    }
}

extension SyncConflict {
    /// What `resolve --keep` asks for.
    package enum Choice: String, Sendable, Hashable, CaseIterable {
        case local, remote, merged
    }

    /// The change that makes the chosen version the memory's current one, or `nil` when it
    /// already is (the side last-writer-wins chose, not edited since).
    ///
    /// - Throws: `invalid_input` when `merged` comes without content, or content with another
    ///   choice.
    package func change(keeping choice: Choice, mergedContent: String?, current: Memory) throws -> MemoryService.Change? {
        switch (choice, mergedContent) {
        case (.merged, nil):
            throw TMWSError(.invalidInput, "--keep merged needs the merged text in --content", field: "content")
        case (.merged, let content?):
            return MemoryService.Change(content: content)
        case (_, _?):
            throw TMWSError(.invalidInput, "--content goes with --keep merged only", field: "content")
        case (.local, nil), (.remote, nil):
            let kept = choice == .local ? local : remote
            guard let fields = kept.memory else { return nil }
            if ReplicaVersion(current) == kept.replicaVersion { return nil }
            return MemoryService.Change(content: fields.content, tags: fields.tags, importance: fields.importance, metadata: fields.metadata)
        }
    }
}

extension SyncConflict: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, winner, local, remote
        case detectedAt = "detected_at"
    }

    /// One side, as `sync conflicts --json` and MCP `list_conflicts` show it.
    struct Version: Encodable {
        let event: ChangeEvent

        enum CodingKeys: String, CodingKey {
            case version, device, hlc, content, tags, importance, metadata
            case updatedAt = "updated_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(event.version, forKey: .version)
            try container.encode(event.device, forKey: .device)
            try container.encode(event.clock.rawValue, forKey: .hlc)
            try container.encode(ISO8601.string(from: event.clock.date), forKey: .updatedAt)
            try container.encode(event.memory?.content, forKey: .content)
            try container.encode(event.memory?.tags, forKey: .tags)
            try container.encode(event.memory?.importance, forKey: .importance)
            try container.encode(event.memory?.metadata, forKey: .metadata)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(memoryID.description, forKey: .id)
        try container.encode(winner, forKey: .winner)
        try container.encode(ISO8601.string(from: detectedAt), forKey: .detectedAt)
        try container.encode(Version(event: local), forKey: .local)
        try container.encode(Version(event: remote), forKey: .remote)
    }
}

/// The conflicts a node keeps, as `sync conflicts --json` and MCP `list_conflicts` answer.
package struct ConflictList: Sendable, Encodable {
    package var count: Int
    package var conflicts: [SyncConflict]

    package init(_ conflicts: [SyncConflict]) {
        count = conflicts.count
        self.conflicts = conflicts
    }
}

/// The conflicts a node keeps (``SyncConflict``).
package protocol SyncConflictStore: Sendable {
    /// Records a conflict, or updates the one kept for the memory: a newer version of either
    /// side replaces the older one (one open conflict per memory).
    func recordConflict(local: ChangeEvent, remote: ChangeEvent) async throws
    func conflicts() async throws -> [SyncConflict]
    /// Forgets the conflict kept for the memory, once the user resolved it.
    func removeConflict(_ id: MemoryID) async throws
}
