import Foundation

/// Grows a finding to the whole secret. Rules bound their value's length to stay fast, and a
/// window ends where it ends; a range that stops inside a value would let redaction keep the
/// rest of it. A quoted value runs to its closing quote on the same line; an unquoted one
/// runs over the characters a secret can hold.
enum FindingExtent {
    static func extend(_ range: NSRange, in units: [UInt16]) -> NSRange {
        var end = range.location + range.length
        guard end < units.count, range.length > 0 else { return range }
        let before = range.location > 0 ? units[range.location - 1] : 0
        let limit = min(units.count, end + 65_536)
        if before == 0x22 || before == 0x27 {
            while end < limit, units[end] != before, units[end] != 0x0A {
                end += units[end] == 0x5C ? 2 : 1
            }
            end = min(end, units.count)
        } else {
            while end < limit, continuesValue(units[end]) { end += 1 }
            // A long value hard-wrapped onto following lines that hold nothing but the rest
            // of it (`…MDENG/⏎bPxRfiCY…`), so redaction does not leave its tail.
            var lines = 0
            while end - range.location >= 16, lines < 8, let next = continuationLine(after: end, in: units) {
                end = next
                lines += 1
            }
        }
        return NSRange(location: range.location, length: end - range.location)
    }

    /// The end of the next line when it is one run of 8+ token characters with letters and
    /// digits and nothing else (indentation aside).
    private static func continuationLine(after end: Int, in units: [UInt16]) -> Int? {
        var index = end
        if index < units.count, units[index] == 0x0D { index += 1 }
        guard index < units.count, units[index] == 0x0A else { return nil }
        index += 1
        while index < units.count, units[index] == 0x20 || units[index] == 0x09 { index += 1 }
        let start = index
        var letters = false
        var digits = false
        while index < units.count, isToken(units[index]) {
            if units[index] >= 0x30 && units[index] <= 0x39 { digits = true } else if units[index] >= 0x41 { letters = true }
            index += 1
        }
        guard index - start >= 8, letters, digits else { return nil }
        // Nothing else on the line.
        guard index == units.count || units[index] == 0x0A || units[index] == 0x0D || units[index] == 0x22 || units[index] == 0x27 else { return nil }
        return index
    }

    private static func isToken(_ unit: UInt16) -> Bool {
        unit >= 0x30 && unit <= 0x39 || unit >= 0x41 && unit <= 0x5A || unit >= 0x61 && unit <= 0x7A
            || unit == 0x2B || unit == 0x2F || unit == 0x3D || unit == 0x5F || unit == 0x2D
    }

    /// Printable ASCII that can go on a secret, without the quotes, brackets and separators
    /// (`@` of a URL's host, `&` of the next query parameter) that end one.
    private static func continuesValue(_ unit: UInt16) -> Bool {
        guard unit > 0x20, unit < 0x7F else { return false }
        switch unit {
        case 0x22, 0x27, 0x60, 0x2C, 0x3B, 0x28, 0x29, 0x7B, 0x7D, 0x5B, 0x5D, 0x3C, 0x3E, 0x40, 0x26, 0x7C: return false
        default: return true
        }
    }
}
