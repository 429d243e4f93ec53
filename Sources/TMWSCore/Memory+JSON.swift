import Foundation

/// The JSON form of a memory, shared by `--json` output, export and the APIs:
/// snake_case keys, ISO 8601 UTC timestamps with milliseconds, and the raw hybrid
/// logical clock reading as `hlc`.
extension Memory: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, namespace, scope, content, tags, importance, metadata, version, archived, deleted, hlc
        case tenantID = "tenant_id"
        case agentID = "agent_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case originDevice = "origin_device"
        case expiresAt = "expires_at"
        case accessCount = "access_count"
        case accessedAt = "accessed_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(tenantID, forKey: .tenantID)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(scope, forKey: .scope)
        try container.encode(content, forKey: .content)
        try container.encode(tags, forKey: .tags)
        try container.encode(importance, forKey: .importance)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(agentID, forKey: .agentID)
        try container.encode(ISO8601.string(from: createdAt), forKey: .createdAt)
        try container.encode(ISO8601.string(from: updatedAt.date), forKey: .updatedAt)
        try container.encode(updatedAt.rawValue, forKey: .hlc)
        try container.encode(version, forKey: .version)
        try container.encode(originDevice, forKey: .originDevice)
        try container.encode(expiresAt.map(ISO8601.string(from:)), forKey: .expiresAt)
        try container.encode(accessCount, forKey: .accessCount)
        try container.encode(accessedAt.map(ISO8601.string(from:)), forKey: .accessedAt)
        try container.encode(archived, forKey: .archived)
        try container.encode(deleted, forKey: .deleted)
    }
}

/// ISO 8601 timestamps as TMWS writes and reads them.
public enum ISO8601 {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// `2026-11-29T01:48:29.123Z`, rounded to the nearest millisecond (as stored), so a
    /// timestamp survives export and import unchanged.
    public static func string(from date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = millis.quotientAndRemainder(dividingBy: 1000)
        let (whole, fraction) = seconds.remainder < 0 ? (seconds.quotient - 1, seconds.remainder + 1000) : seconds
        let text = withoutFraction.format(Date(timeIntervalSince1970: Double(whole)))
        return text.dropLast() + "." + String(format: "%03d", fraction) + "Z"
    }

    /// Parses a timestamp with or without fractional seconds, or a plain `YYYY-MM-DD` date (midnight UTC).
    public static func date(from text: String) -> Date? {
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? withoutFraction.parse(text) { return date }
        if text.count == 10, let date = try? withoutFraction.parse(text + "T00:00:00Z") { return date }
        return nil
    }
}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: stable output for files and diffs.
    public static func tmws(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
