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
        }
        return NSRange(location: range.location, length: end - range.location)
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
