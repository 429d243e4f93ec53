import Foundation

/// A detector rule written as code over bytes rather than as a regular expression: for
/// secrets whose extent or validity a regex cannot express cheaply (a PEM block up to its
/// END line, a DER key body, a random run after a vendor prefix, a cue word in any language).
struct ScannerRule: Sendable {
    let type: String
    let tier: SensitiveFinding.Tier
    /// The byte ranges (in `ScanText.bytes`) of the values found.
    let find: @Sendable (ScanText) -> [Range<Int>]

    init(_ type: String, _ tier: SensitiveFinding.Tier, find: @escaping @Sendable (ScanText) -> [Range<Int>]) {
        self.type = type
        self.tier = tier
        self.find = find
    }
}

/// The text a scanner rule reads: its UTF-8 bytes as written (case kept) and the prepared
/// lower-cased `ByteText` (keyword search, UTF-16 offsets).
struct ScanText {
    let bytes: [UInt8]
    let lowered: ByteText

    init(_ text: String, lowered: ByteText) {
        self.bytes = Array(text.utf8)
        self.lowered = lowered
    }

    /// The UTF-16 range (what findings and regular expressions use) of a byte range.
    func utf16Range(_ range: Range<Int>) -> NSRange {
        let start = lowered.utf16Offset(range.lowerBound)
        return NSRange(location: start, length: lowered.utf16Offset(range.upperBound) - start)
    }
}

/// Byte classes shared by the scanner rules.
enum ByteClass {
    static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isAlnum(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) || isDigit(byte) }
    /// Standard and URL-safe base64 letters, without padding.
    static func isBase64(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == 0x2B || byte == 0x2F || byte == 0x2D || byte == 0x5F }
    static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    /// Printable ASCII other than space.
    static func isGraphic(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}
