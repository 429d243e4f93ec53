import Foundation

// The node↔hub contract, in one place both ends import: what a push answers, what a search
// answers, a GLOBAL memory as the hub holds it, and the limits of one request.

/// How much one request of the sync protocol carries.
package enum SyncLimits {
    /// The most events one push carries (the hub refuses more; a node splits its batches).
    package static let maximumPushEvents = 500
    /// The largest push body a node sends; the hub takes up to 1 MiB more (one event that
    /// crosses it goes alone in its push).
    package static let maximumPushBodyBytes = 16 << 20
    /// The most events one pull returns.
    package static let maximumPullEvents = 1000
    /// Where a pulled page ends by size (the event that crosses it is the page's last).
    package static let maximumPullBytes = 4 << 20
    /// The largest change a page carries: above what any event within ``EventBounds`` can
    /// be (100,000 characters of content escaped in JSON, the tags and the metadata), and
    /// with a page's `maximumPullBytes` below what a node takes in one answer (8 MiB).
    package static let maximumEventBytes = 4 << 20
}

/// A change as this node's outbox holds it: the event, and the JSON its write stored, which
/// is what a push sends (never encoded again on the way out).
package struct OutboxEvent: Sendable {
    package let event: ChangeEvent
    package let json: [UInt8]

    /// An event read from the JSON it was stored as.
    package init(stored json: some Collection<UInt8>) throws {
        self.json = Array(json)
        event = try ChangeEvent.decode(self.json)
    }

    /// An event made here and now (sealed for its team, or built by a test).
    package init(_ event: ChangeEvent) {
        self.event = event
        json = event.jsonBytes()
    }
}

/// What the hub answers for one pushed event.
package struct PushResult: Codable, Sendable, Hashable {
    package enum Status: String, Codable, Sendable {
        /// Written, and recorded in the change log.
        case applied
        /// Seen before (same event id): nothing changed.
        case duplicate
        /// Concurrent with the hub's version and lost to it (``SyncMerge``); `current_version`
        /// and `concurrent_with` are the hub's. The node lets the event go.
        case conflict
        /// Never accepted; `reason` says why (no content, no secret in it).
        case rejected
    }

    package var eventID: String
    package var status: Status
    package var currentVersion: Int?
    package var reason: String?
    /// For a change concurrent with the hub's version: that version's change event.
    package var concurrentWith: ChangeEvent?

    /// Whether the hub is done with the event (so the outbox can let it go): it holds it, or
    /// holds a version that won over it. Only a rejected event stays queued.
    package var taken: Bool { status != .rejected }

    package init(eventID: String, status: Status, currentVersion: Int? = nil, reason: String? = nil, concurrentWith: ChangeEvent? = nil) {
        self.eventID = eventID
        self.status = status
        self.currentVersion = currentVersion
        self.reason = reason
        self.concurrentWith = concurrentWith
    }

    enum CodingKeys: String, CodingKey {
        case status, reason
        case eventID = "event_id"
        case currentVersion = "current_version"
        case concurrentWith = "concurrent_with"
    }
}

/// A GLOBAL memory as the hub holds it.
package struct CloudMemory: Sendable, Codable, Hashable {
    package var id: UUID
    package var namespace: String
    package var content: String
    package var tags: [String]
    package var importance: Double
    package var metadata: [String: JSONValue]
    package var agentID: String
    package var version: Int
    package var hlc: Int64
    package var originDevice: String
    package var createdAt: Date
    package var expiresAt: Date?

    package init(
        id: UUID, namespace: String, content: String, tags: [String], importance: Double, metadata: [String: JSONValue], agentID: String,
        version: Int, hlc: Int64, originDevice: String, createdAt: Date, expiresAt: Date?
    ) {
        self.id = id
        self.namespace = namespace
        self.content = content
        self.tags = tags
        self.importance = importance
        self.metadata = metadata
        self.agentID = agentID
        self.version = version
        self.hlc = hlc
        self.originDevice = originDevice
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id, namespace, content, tags, importance, metadata, version, hlc
        case agentID = "agent_id"
        case originDevice = "origin_device"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(content, forKey: .content)
        try container.encode(tags, forKey: .tags)
        try container.encode(importance, forKey: .importance)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(agentID, forKey: .agentID)
        try container.encode(version, forKey: .version)
        try container.encode(hlc, forKey: .hlc)
        try container.encode(originDevice, forKey: .originDevice)
        try container.encode(ISO8601.string(from: createdAt), forKey: .createdAt)
        try container.encode(expiresAt.map(ISO8601.string(from:)), forKey: .expiresAt)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        namespace = try container.decode(String.self, forKey: .namespace)
        content = try container.decode(String.self, forKey: .content)
        tags = try container.decode([String].self, forKey: .tags)
        importance = try container.decode(Double.self, forKey: .importance)
        metadata = try container.decode([String: JSONValue].self, forKey: .metadata)
        agentID = try container.decode(String.self, forKey: .agentID)
        version = try container.decode(Int.self, forKey: .version)
        hlc = try container.decode(Int64.self, forKey: .hlc)
        originDevice = try container.decode(String.self, forKey: .originDevice)
        guard let created = ISO8601.date(from: try container.decode(String.self, forKey: .createdAt)) else {
            throw DecodingError.dataCorruptedError(forKey: .createdAt, in: container, debugDescription: "not an ISO 8601 date")
        }
        createdAt = created
        expiresAt = try container.decodeIfPresent(String.self, forKey: .expiresAt).flatMap(ISO8601.date(from:))
    }
}

/// `POST /v1/search`'s answer.
package struct CloudSearchResults: Codable, Sendable {
    package struct Hit: Codable, Sendable {
        package var memory: CloudMemory
        package var score: Double
        /// Always `hub` here; a node merging results marks its own `local`.
        package var source: String

        /// `score` rounded to six places (the hub's `ts_rank`).
        package init(memory: CloudMemory, score: Double) {
            self.memory = memory
            self.score = (score * 1_000_000).rounded() / 1_000_000
            source = "hub"
        }
    }

    package var count: Int
    package var results: [Hit]

    package init(hits: [Hit]) {
        results = hits
        count = hits.count
    }
}
