/// The JSON form of statistics shared by REST and MCP (snake_case, every scope listed).
extension MemoryStatistics: Encodable {
    enum CodingKeys: String, CodingKey {
        case total, expired, tombstones
        case byScope = "by_scope"
        case byNamespace = "by_namespace"
        case outboxPending = "outbox_pending"
        case auditRecords = "audit_records"
        case contentBytes = "content_bytes"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(total, forKey: .total)
        var scopes: [String: Int] = [:]
        for scope in MemoryScope.allCases { scopes[scope.rawValue] = byScope[scope] ?? 0 }
        try container.encode(scopes, forKey: .byScope)
        try container.encode(Dictionary(uniqueKeysWithValues: byNamespace.map { ($0.key.rawValue, $0.value) }), forKey: .byNamespace)
        try container.encode(expired, forKey: .expired)
        try container.encode(tombstones, forKey: .tombstones)
        try container.encode(pendingOutboxEvents, forKey: .outboxPending)
        try container.encode(auditRecords, forKey: .auditRecords)
        try container.encode(contentBytes, forKey: .contentBytes)
    }
}
