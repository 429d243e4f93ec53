import Foundation

/// One change of a cloud-scoped memory, as the sync engine moves it between a node and the
/// hub: which memory, which version (and the version it was made on), when on the hybrid
/// logical clock, on which device, and the replicated fields only — never access counters
/// or other local bookkeeping. Versioned (`v`), so a later format can be told apart.
package struct ChangeEvent: Sendable, Hashable, Codable {
    /// The format written in `v`.
    package static let formatVersion = 1

    package enum Operation: String, Sendable, Hashable, Codable {
        case create, update, delete
    }

    package var formatVersion: Int
    /// Unique per event: the hub drops a second copy of the same event.
    package var eventID: String
    package var operation: Operation
    package var memoryID: MemoryID
    /// The memory's version after the change.
    package var version: Int
    /// The version the change was made on (`nil` for a create), by number and by identity
    /// (its clock and device, which name a version uniquely where numbers do not): a change
    /// whose base is not the version the receiver holds is concurrent with it (``SyncMerge``).
    package var baseVersion: Int?
    package var baseClock: HybridTimestamp?
    package var baseDevice: String?
    package var clock: HybridTimestamp
    /// The device that made the change.
    package var device: String
    /// The replicated fields; `nil` for a delete (a delete carries no content), and `nil` on
    /// the wire for a SHARED memory, whose fields travel in ``sealed``.
    package var memory: ReplicatedMemory?
    /// For a SHARED memory (or one that was SHARED before the change): its team. In clear:
    /// the hub routes by it.
    package var team: String?
    /// For a SHARED memory, between nodes: the fields encrypted for the team, signed by the
    /// author (`TMWSCrypto`). Nodes seal when they push and open when they pull.
    package var sealed: SealedEnvelope?
    /// The memory's embedding, where the author had one when it pushed: in clear beside a
    /// GLOBAL memory's fields (so a receiver with the same model need not embed it again), and
    /// inside the envelope for a SHARED one (a vector can be turned back into text: the hub
    /// never sees it). Never on a delete.
    package var vector: MemoryVector?

    package init(
        eventID: String, operation: Operation, memoryID: MemoryID, version: Int, baseVersion: Int?, clock: HybridTimestamp,
        device: String, memory: ReplicatedMemory?, baseClock: HybridTimestamp? = nil, baseDevice: String? = nil,
        team: String? = nil, sealed: SealedEnvelope? = nil, vector: MemoryVector? = nil
    ) {
        self.formatVersion = Self.formatVersion
        self.vector = vector
        self.team = team
        self.sealed = sealed
        self.baseClock = baseClock
        self.baseDevice = baseDevice
        self.eventID = eventID
        self.operation = operation
        self.memoryID = memoryID
        self.version = version
        self.baseVersion = baseVersion
        self.clock = clock
        self.device = device
        self.memory = memory
    }

    enum CodingKeys: String, CodingKey {
        case operation, version, device, memory, team, sealed, vector
        case formatVersion = "v"
        case eventID = "event_id"
        case memoryID = "memory_id"
        case baseVersion = "base_version"
        case baseClock = "base_hlc"
        case baseDevice = "base_device"
        case clock = "hlc"
    }

    /// The event a local write makes, or `nil` when the memory neither is nor was in a cloud
    /// scope. A move out of the cloud is a delete there; a deleted memory carries no fields.
    ///
    /// - Parameters:
    ///   - memory: the memory after the write (a tombstone for a delete).
    ///   - previous: the memory before the write; `nil` for a create.
    package static func forWrite(_ memory: Memory, previous: Memory?, eventID: String, device: String) -> ChangeEvent? {
        let operation: Operation
        switch (previous?.scope.isCloud, memory.scope.isCloud) {
        case (_, true) where memory.deleted: operation = .delete
        case (true?, true): operation = .update
        case (_, true): operation = .create
        case (true?, false): operation = .delete
        default: return nil
        }
        return ChangeEvent(
            eventID: eventID, operation: operation, memoryID: memory.id, version: memory.version,
            baseVersion: operation == .create ? nil : previous?.version, clock: memory.updatedAt, device: device,
            memory: operation == .delete ? nil : ReplicatedMemory(memory),
            baseClock: operation == .create ? nil : previous?.updatedAt, baseDevice: operation == .create ? nil : previous?.originDevice,
            team: memory.scope == .shared && !memory.deleted ? memory.team : previous?.scope == .shared ? previous?.team : nil
        )
    }

    /// Whether the event must travel sealed: it writes a SHARED memory, or deletes one (a
    /// delete is signed too, so a hub cannot forge one).
    package var isShared: Bool {
        memory?.scope == .shared || sealed != nil || (memory == nil && team != nil)
    }
}

/// A SHARED memory's fields as the hub holds them: a fixed binary header (the associated
/// data, in clear), the content key wrapped under the team's epoch key, the ciphertext, and
/// the author device's signature. Base64 in JSON. Built and opened by `TMWSCrypto`.
package struct SealedEnvelope: Sendable, Hashable, Codable {
    package var epoch: Int
    package var header: String
    package var wrappedKey: String
    package var ciphertext: String
    package var signature: String

    package init(epoch: Int, header: String, wrappedKey: String, ciphertext: String, signature: String) {
        self.epoch = epoch
        self.header = header
        self.wrappedKey = wrappedKey
        self.ciphertext = ciphertext
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case epoch, header, ciphertext, signature
        case wrappedKey = "wrapped_key"
    }

    func write(into writer: inout JSONWriter) {
        writer.bytes.append(UInt8(ascii: "{"))
        writer.key("ciphertext", first: true)
        writer.string(ciphertext)
        writer.key("epoch")
        writer.integer(epoch)
        writer.key("header")
        writer.string(header)
        writer.key("signature")
        writer.string(signature)
        writer.key("wrapped_key")
        writer.string(wrappedKey)
        writer.bytes.append(UInt8(ascii: "}"))
    }

    init(reading fields: FieldReader) throws {
        self.init(
            epoch: try fields.integer("epoch"), header: try fields.string("header"), wrappedKey: try fields.string("wrapped_key"),
            ciphertext: try fields.string("ciphertext"), signature: try fields.string("signature")
        )
    }
}

/// The fields of a memory that replicate: what every device of the tenant holds alike.
package struct ReplicatedMemory: Sendable, Hashable, Codable {
    package var tenantID: String
    package var namespace: Namespace
    package var scope: MemoryScope
    package var content: String
    package var tags: [String]
    package var importance: Double
    package var metadata: [String: JSONValue]
    package var agentID: String
    package var createdAt: Date
    package var expiresAt: Date?
    package var classification: ClassificationRecord?
    /// The memory this one replaces; absent on the wire when none.
    package var supersedes: MemoryID?
    /// Absent on the wire when false.
    package var pinned: Bool

    package init(_ memory: Memory) {
        supersedes = memory.supersedes
        pinned = memory.pinned
        tenantID = memory.tenantID
        namespace = memory.namespace
        scope = memory.scope
        content = memory.content
        tags = memory.tags
        importance = memory.importance
        metadata = memory.metadata
        agentID = memory.agentID
        createdAt = memory.createdAt
        expiresAt = memory.expiresAt
        classification = memory.classification
    }

    enum CodingKeys: String, CodingKey {
        case namespace, scope, content, tags, importance, metadata, classification, supersedes, pinned
        case tenantID = "tenant_id"
        case agentID = "agent_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }

    // Dates as ISO 8601 text, as in every other JSON TMWS writes.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantID, forKey: .tenantID)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(scope, forKey: .scope)
        try container.encode(content, forKey: .content)
        try container.encode(tags, forKey: .tags)
        try container.encode(importance, forKey: .importance)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(agentID, forKey: .agentID)
        try container.encode(ISO8601.string(from: createdAt), forKey: .createdAt)
        try container.encode(expiresAt.map(ISO8601.string(from:)), forKey: .expiresAt)
        try container.encode(classification, forKey: .classification)
        try container.encodeIfPresent(supersedes, forKey: .supersedes)
        if pinned { try container.encode(true, forKey: .pinned) }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenantID = try container.decode(String.self, forKey: .tenantID)
        namespace = try container.decode(Namespace.self, forKey: .namespace)
        scope = try container.decode(MemoryScope.self, forKey: .scope)
        content = try container.decode(String.self, forKey: .content)
        tags = try container.decode([String].self, forKey: .tags)
        importance = try container.decode(Double.self, forKey: .importance)
        metadata = try container.decode([String: JSONValue].self, forKey: .metadata)
        agentID = try container.decode(String.self, forKey: .agentID)
        func date(_ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = ISO8601.date(from: text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an ISO 8601 date")
            }
            return date
        }
        guard let created = try date(.createdAt) else {
            throw DecodingError.valueNotFound(Date.self, .init(codingPath: [CodingKeys.createdAt], debugDescription: "created_at"))
        }
        createdAt = created
        expiresAt = try date(.expiresAt)
        classification = try container.decodeIfPresent(ClassificationRecord.self, forKey: .classification)
        supersedes = try container.decodeIfPresent(MemoryID.self, forKey: .supersedes)
        pinned = try container.decodeIfPresent(Bool.self, forKey: .pinned) ?? false
    }
}

extension ChangeEvent {
    /// The event's JSON (what the outbox stores), with TMWS's encoding.
    package func jsonData() -> Data {
        Data(jsonBytes())
    }
}

extension ChangeEvent {
    /// The second line of defence: the finding types the scope policy sees in the event's
    /// fields when they are bound for a cloud scope, or `nil` when there is nothing to stop
    /// (a delete carries no fields). Nodes run it before every push, the hub on every event.
    ///
    /// Every text field that leaves the machine is scanned: the memory's fields, and the agent
    /// id, the classification's reasons and warnings, the device ids and the team too.
    package func sensitiveFindings(policy: ScopePolicy = ScopePolicy()) -> [String]? {
        guard let memory, memory.scope.isCloud else { return nil }
        var types = Set(
            policy.classifier.cloudBlockers(
                MemoryFields(content: memory.content, tags: memory.tags, metadata: memory.metadata, namespace: memory.namespace.rawValue)
            ) ?? []
        )
        let detector = SensitiveDataDetector()
        let others = [memory.agentID, device, baseDevice ?? "", team ?? ""] + (memory.classification.map { $0.reasons + $0.warnings } ?? [])
        for text in others where !text.isEmpty {
            types.formUnion(detector.scan(text).map(\.type))
        }
        return types.isEmpty ? nil : types.sorted()
    }
}
