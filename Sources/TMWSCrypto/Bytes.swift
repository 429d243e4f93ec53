import Foundation

/// Big-endian fixed-width fields and length-prefixed byte strings: the one binary layout the
/// header, the key-binding strings and the membership log's signed form share.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(_ label: String? = nil) {
        if let label { text(label) }
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { append(UInt64(value), width: 2) }
    mutating func u32(_ value: UInt32) { append(UInt64(value), width: 4) }
    mutating func u64(_ value: UInt64) { append(value, width: 8) }
    /// An integer from untrusted input, as its two's-complement bits (never a trap).
    mutating func u32(_ value: Int) { u32(UInt32(truncatingIfNeeded: value)) }
    mutating func u64(_ value: Int) { u64(UInt64(truncatingIfNeeded: value)) }

    private mutating func append(_ value: UInt64, width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func raw(_ data: some Sequence<UInt8>) { bytes += data }

    /// A UUID's 16 bytes.
    mutating func uuid(_ id: UUID) {
        withUnsafeBytes(of: id.uuid) { bytes += $0 }
    }

    /// A length-prefixed byte string.
    mutating func data(_ data: some Collection<UInt8>) {
        u32(UInt32(data.count))
        bytes += data
    }

    mutating func text(_ text: String) { data(Array(text.utf8)) }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else { throw CryptoFailure.malformedHeader }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func integer(_ width: Int) throws -> UInt64 {
        try take(width).reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func uuid() throws -> UUID {
        let b = Array(try take(16))
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}

extension UUID {
    /// A UUID from its text, or the failure to report.
    static func parsing(_ text: String, _ what: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw CryptoFailure.headerMismatch(what) }
        return id
    }
}

extension Data {
    init(base64Checked text: String) throws {
        guard let data = Data(base64Encoded: text) else { throw CryptoFailure.malformedHeader }
        self = data
    }
}
