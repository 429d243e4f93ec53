import Foundation

/// A memory's identity: a UUIDv7 (RFC 9562), so ids sort by creation time.
///
/// The canonical text form is lower-case with hyphens; that form also sorts in
/// creation order, which the stores use for cursor pagination.
package struct MemoryID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The underlying UUID.
    package let uuid: UUID

    package init(uuid: UUID) {
        self.uuid = uuid
    }

    /// Parses an id given by a user or a file.
    ///
    /// - Throws: `TMWSError` (`invalid_input`, field `id`) when the text is not a UUID.
    package init(parsing text: String, field: String = "id") throws {
        let trimmed = text.trimmedWhitespace
        guard trimmed.utf8.count == 36, let uuid = UUID(uuidString: trimmed) else {
            throw TMWSError(
                .invalidInput, "malformed memory id '\(text.truncatedForMessage)': expected a UUID such as 0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f",
                field: field)
        }
        self.uuid = uuid
    }

    /// Makes a new UUIDv7 for the given instant.
    ///
    /// - Parameters:
    ///   - date: the creation time; its milliseconds since 1970 fill the first 48 bits.
    ///   - generator: the source of the 74 random bits.
    package static func generate(at date: Date, using generator: inout some RandomNumberGenerator) -> MemoryID {
        let millis = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        let randomA = generator.next() as UInt64
        let randomB = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index)))
        }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: randomA & 0x0F)
        bytes[7] = UInt8(truncatingIfNeeded: randomA >> 8)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: (randomA >> 16) & 0x3F)
        for index in 9..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: randomB >> (8 * (index - 9)))
        }
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
        return MemoryID(uuid: uuid)
    }

    /// Makes a new UUIDv7 for the given instant with the system's random generator.
    package static func generate(at date: Date) -> MemoryID {
        var generator = SystemRandomNumberGenerator()
        return generate(at: date, using: &generator)
    }

    /// The UUID version (7 for ids made here; imported ids may carry other versions).
    package var version: Int { Int(uuid.uuid.6 >> 4) }

    /// The canonical lower-case text form, written directly from the bytes (Foundation's
    /// `uuidString.lowercased()` was a visible cost on every write).
    package var description: String {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            let hex = Array(Hex.encode(bytes).utf8)
            var text: [UInt8] = []
            text.reserveCapacity(36)
            for (index, byte) in hex.enumerated() {
                if index == 8 || index == 12 || index == 16 || index == 20 { text.append(UInt8(ascii: "-")) }
                text.append(byte)
            }
            return String(decoding: text, as: UTF8.self)
        }
    }

    package static func < (lhs: MemoryID, rhs: MemoryID) -> Bool {
        lhs.description < rhs.description
    }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
