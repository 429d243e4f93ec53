import TMWSCore

struct NewMemoryBody: Decodable {
    var content: String
    var scope: String?
    var namespace: String?
    var tags: [String]?
    var importance: Double?
    var ttlDays: Int?
    var metadata: [String: JSONValue]?
    var redact: Bool?
    var team: String?

    enum CodingKeys: String, CodingKey {
        case content, scope, namespace, tags, importance, metadata, redact, team
        case ttlDays = "ttl_days"
    }
}

struct ChangeBody: Decodable {
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

    enum CodingKeys: String, CodingKey {
        case content, scope, namespace, tags, importance, metadata, redact
        case ttlDays = "ttl_days"
        case clearTTL = "clear_ttl"
        case expectedVersion = "expected_version"
    }
}

struct SearchBody: Decodable {
    var query: String
    var limit: Int?
    var scopes: [String]?
    var namespace: String?
    var tags: [String]?
    var tagMatch: String?
    var minImportance: Double?
    var strategy: String?

    enum CodingKeys: String, CodingKey {
        case query, limit, scopes, namespace, tags, strategy
        case tagMatch = "tag_match"
        case minImportance = "min_importance"
    }
}

struct ClassifyBody: Decodable {
    var content: String
    var scope: String?
    var namespace: String?
    var tags: [String]?
    var metadata: [String: JSONValue]?
}
