import TMWSCore

/// A request body whose keys are checked: an unknown one is refused, naming it.
protocol StrictBody: Decodable {
    static var keys: Set<String> { get }
}

extension StrictBody where Self: Decodable {
    static func keyNames<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) -> Set<String> { Set(keys.allCases.map(\.stringValue)) }
}

struct NewMemoryBody: StrictBody {
    static let keys = keyNames(CodingKeys.self)
    var content: String
    var scope: String?
    var namespace: String?
    var tags: [String]?
    var importance: Double?
    var ttlDays: Int?
    var metadata: [String: JSONValue]?
    var redact: Bool?
    var team: String?
    var supersedes: String?
    var pinned: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case content, scope, namespace, tags, importance, metadata, redact, team, supersedes, pinned
        case ttlDays = "ttl_days"
    }
}

struct ChangeBody: StrictBody {
    static let keys = keyNames(CodingKeys.self)
    var content: String?
    var scope: String?
    var namespace: String?
    var tags: [String]?
    var importance: Double?
    var ttlDays: Int?
    var clearTTL: Bool?
    var metadata: [String: JSONValue]?
    var expectedVersion: Int?
    var redact: Bool?
    /// An id, or JSON null to end the supersession (absent: unchanged).
    var supersedes: NullableID?
    var pinned: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case content, scope, namespace, tags, importance, metadata, redact, supersedes, pinned
        case ttlDays = "ttl_days"
        case clearTTL = "clear_ttl"
        case expectedVersion = "expected_version"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        content = try container.decodeIfPresent(String.self, forKey: .content)
        scope = try container.decodeIfPresent(String.self, forKey: .scope)
        namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
        tags = try container.decodeIfPresent([String].self, forKey: .tags)
        importance = try container.decodeIfPresent(Double.self, forKey: .importance)
        ttlDays = try container.decodeIfPresent(Int.self, forKey: .ttlDays)
        clearTTL = try container.decodeIfPresent(Bool.self, forKey: .clearTTL)
        metadata = try container.decodeIfPresent([String: JSONValue].self, forKey: .metadata)
        expectedVersion = try container.decodeIfPresent(Int.self, forKey: .expectedVersion)
        redact = try container.decodeIfPresent(Bool.self, forKey: .redact)
        pinned = try container.decodeIfPresent(Bool.self, forKey: .pinned)
        // Absent leaves it as it is; null ends it (decodeIfPresent cannot tell the two apart).
        if container.contains(.supersedes) {
            supersedes = try container.decodeNil(forKey: .supersedes) ? .null : .id(try container.decode(String.self, forKey: .supersedes))
        }
    }
}

struct SearchBody: StrictBody {
    static let keys = keyNames(CodingKeys.self)
    var query: String
    var limit: Int?
    var scopes: [String]?
    var namespace: String?
    var tags: [String]?
    var tagMatch: String?
    var minImportance: Double?
    var strategy: String?
    var includeArchived: Bool?
    var includeSuperseded: Bool?
    var mode: String?
    var maxTokens: Int?
    var compact: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case query, limit, scopes, namespace, tags, strategy, mode, compact
        case maxTokens = "max_tokens"
        case tagMatch = "tag_match"
        case minImportance = "min_importance"
        case includeArchived = "include_archived"
        case includeSuperseded = "include_superseded"
    }
}

/// A member that is an id or JSON null, told apart from one that is absent.
enum NullableID {
    case null
    case id(String)
}

struct ClassifyBody: StrictBody {
    static let keys: Set<String> = ["content", "scope", "namespace", "tags", "metadata"]
    var content: String
    var scope: String?
    var namespace: String?
    var tags: [String]?
    var metadata: [String: JSONValue]?
}

struct ReviewBody: StrictBody {
    static let keys: Set<String> = ["decision"]
    var decision: String
}
