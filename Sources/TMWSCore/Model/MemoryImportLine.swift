import Foundation

/// One line of a JSONL import: the export format of a memory, or just `{"content": …}`.
///
/// Fields a store manages (`version`, `access_count`, `hlc`, …) are ignored; `id` and
/// `created_at` are kept so an export imports back as the same memories.
package struct MemoryImportLine: Sendable, Decodable {
    package var id: String?
    package var content: String?
    package var scope: String?
    package var namespace: String?
    package var tags: [String]?
    package var importance: Double?
    package var metadata: [String: JSONValue]?
    package var createdAt: String?
    package var expiresAt: String?
    package var ttlDays: Int?
    package var deleted: Bool?
    package var supersedes: String?
    package var pinned: Bool?

    enum CodingKeys: String, CodingKey {
        case id, content, scope, namespace, tags, importance, metadata, deleted, supersedes, pinned
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case ttlDays = "ttl_days"
    }

    /// The keys a line may have: its own, and the rest of an export's (which a store
    /// manages, and an import ignores).
    static let knownKeys: Set<String> = [
        "id", "content", "scope", "namespace", "tags", "importance", "metadata", "deleted", "created_at", "expires_at", "ttl_days",
        "version", "archived", "hlc", "classification", "team", "tenant_id", "agent_id", "updated_at", "origin_device",
        "access_count", "accessed_at", "supersedes", "pinned",
        // This node's review is its own: an import is reviewed again.
        "reviewed", "review_kinds", "provenance",
    ]

    /// Decodes one line, checking that it is valid UTF-8 JSON with no unknown key.
    ///
    /// - Throws: `invalid_input` naming the problem but not the line's text.
    package static func decode(_ bytes: some Collection<UInt8>) throws -> MemoryImportLine {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw TMWSError.invalid("line", "it is not valid UTF-8")
        }
        try KnownKeys.check(bytes, known: knownKeys, what: "an import line")
        do {
            return try JSONDecoder().decode(MemoryImportLine.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw TMWSError.invalid("line", "it is not a JSON object of a memory (\(error.summary))")
        }
    }

    /// Validates the line into a draft; missing fields take the given defaults.
    package func draft(
        validator: MemoryValidator, defaultScope: MemoryScope, defaultNamespace: Namespace, now: Date
    ) throws -> MemoryDraft {
        guard let content else { throw TMWSError.invalid("content", "'content' is missing") }
        if deleted == true { throw TMWSError.invalid("deleted", "a deleted memory cannot be imported") }
        var draft = try validator.draft(
            content: content,
            scope: try scope.map(MemoryScope.init(parsing:)) ?? defaultScope,
            namespace: try namespace.map(Namespace.init(validating:)) ?? defaultNamespace,
            tags: tags ?? [],
            importance: importance ?? 0.5,
            ttlDays: ttlDays,
            metadata: metadata ?? [:],
            id: try id.map({ try MemoryID(parsing: $0) }),
            createdAt: try createdAt.map { try Self.parseDate($0, field: "created_at") },
            now: now
        )
        if let expiresAt, ttlDays == nil {
            draft.expiresAt = try Self.parseDate(expiresAt, field: "expires_at")
        }
        if let supersedes {
            let target = try MemoryID(parsing: supersedes, field: "supersedes")
            if target == draft.id { throw TMWSError.invalid("supersedes", "a memory cannot supersede itself") }
            draft.supersedes = target
        }
        if pinned == true {
            if ttlDays != nil { throw TMWSError.invalid("ttl_days", "a pinned memory never expires: give ttl_days or pinned, not both") }
            draft.pinned = true
            draft.expiresAt = nil
        }
        return draft
    }

    private static func parseDate(_ text: String, field: String) throws -> Date {
        guard let date = ISO8601.date(from: text) else {
            throw TMWSError.invalid(field, "'\(field)' is not an ISO 8601 timestamp")
        }
        return date
    }
}

extension DecodingError {
    /// Which key was wrong and why, without the values.
    package var summary: String {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue.truncatedForMessage).joined(separator: ".")
            return path.isEmpty ? "wrong type" : "'\(path)' has the wrong type"
        case .keyNotFound(let key, _):
            return "'\(key.stringValue.truncatedForMessage)' is missing"
        case .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue.truncatedForMessage).joined(separator: ".")
            return path.isEmpty ? "malformed JSON" : "'\(path)' is malformed"
        @unknown default:
            return "malformed JSON"
        }
    }
}
