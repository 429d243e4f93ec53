import Foundation

/// The JSON form of a memory, shared by `--json` output, export and the APIs:
/// snake_case keys, ISO 8601 UTC timestamps with milliseconds, and the raw hybrid
/// logical clock reading as `hlc`.
extension Memory: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, namespace, scope, content, tags, importance, metadata, version, archived, deleted, hlc, classification, team
        case reviewed, provenance
        case reviewKinds = "review_kinds"
        case tenantID = "tenant_id"
        case agentID = "agent_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case originDevice = "origin_device"
        case expiresAt = "expires_at"
        case accessCount = "access_count"
        case accessedAt = "accessed_at"
    }

    package func encode(to encoder: any Encoder) throws {
        // The fields every device holds alike, written as a sync event writes them, then this
        // copy's own: identity, version, clock, reads and state.
        try ReplicatedMemory(self).encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ISO8601.string(from: updatedAt.date), forKey: .updatedAt)
        try container.encode(updatedAt.rawValue, forKey: .hlc)
        try container.encode(version, forKey: .version)
        try container.encode(originDevice, forKey: .originDevice)
        try container.encode(accessCount, forKey: .accessCount)
        try container.encode(accessedAt.map(ISO8601.string(from:)), forKey: .accessedAt)
        try container.encode(archived, forKey: .archived)
        try container.encode(deleted, forKey: .deleted)
        try container.encode(team, forKey: .team)
        if let review {
            try container.encode(!review.isPending, forKey: .reviewed)
            try container.encode(review.kinds.map(\.rawValue), forKey: .reviewKinds)
            if review.isPending {
                try container.encode(Provenance(self), forKey: .provenance)
            }
        }
    }
}

/// ISO 8601 timestamps as TMWS writes and reads them.
package enum ISO8601 {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// `2026-11-29T01:48:29.123Z`, rounded to the nearest millisecond (as stored), so a
    /// timestamp survives export and import unchanged.
    ///
    /// Formatted by hand (civil-from-days, H. Hinnant): Foundation's formatter and
    /// `String(format:)` were visible in the import profile, three timestamps per memory.
    package static func string(from date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, dayMillis) = floorDivision(millis, 86_400_000)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int64, _ width: Int) {
            var text = Array(String(value).utf8)
            while text.count < width { text.insert(UInt8(ascii: "0"), at: 0) }
            bytes += text
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(dayMillis / 3_600_000, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(dayMillis / 60_000 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(dayMillis / 1000 % 60, 2)
        bytes.append(UInt8(ascii: "."))
        digits(dayMillis % 1000, 3)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Parses a timestamp with or without fractional seconds, or a plain `YYYY-MM-DD` date (midnight UTC).
    package static func date(from text: String) -> Date? {
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? withoutFraction.parse(text) { return date }
        if text.count == 10, let date = try? withoutFraction.parse(text + "T00:00:00Z") { return date }
        return nil
    }
}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: stable output for files and diffs.
    package static func tmws(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
