import Foundation

/// A hybrid logical clock reading: wall-clock milliseconds plus a counter, packed into
/// one `Int64` (`millis << 16 | counter`) so it orders and stores as a plain integer.
///
/// Successive readings on one node always increase, even if the wall clock steps back,
/// so "last writer wins" gives the same answer on every device.
public struct HybridTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The packed value.
    public let rawValue: Int64

    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(millis: Int64, counter: UInt16) {
        self.rawValue = millis << 16 | Int64(counter)
    }

    /// Wall-clock milliseconds since 1970.
    public var millis: Int64 { rawValue >> 16 }
    /// The logical counter within one millisecond.
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue & 0xFFFF) }
    /// The wall-clock part as a date.
    public var date: Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// The next reading after `last`, given the wall clock's `now`: `now` when it is later,
    /// otherwise `last` plus one tick.
    public static func next(after last: HybridTimestamp?, now: Date) -> HybridTimestamp {
        let wall = HybridTimestamp(millis: Int64((now.timeIntervalSince1970 * 1000).rounded()), counter: 0)
        guard let last, last >= wall else { return wall }
        return HybridTimestamp(rawValue: last.rawValue + 1)
    }

    /// The reading after receiving `remote` from another device (the HLC receive rule):
    /// later than `last`, than `remote` and than the wall clock's `now`, so every event this
    /// node makes afterwards orders after the one it received, whatever the clocks' skew.
    public static func receive(_ remote: HybridTimestamp, after last: HybridTimestamp?, now: Date) -> HybridTimestamp {
        let wall = HybridTimestamp(millis: Int64((now.timeIntervalSince1970 * 1000).rounded()), counter: 0)
        let latest = max(last ?? remote, remote)
        return latest < wall ? wall : HybridTimestamp(rawValue: latest.rawValue + 1)
    }

    public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A reading is its packed integer in JSON.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { "\(millis).\(counter)" }
}
