import Foundation

/// A hybrid logical clock reading: wall-clock milliseconds plus a counter, packed into
/// one `Int64` (`millis << 16 | counter`) so it orders and stores as a plain integer.
///
/// Successive readings on one node always increase, even if the wall clock steps back,
/// so "last writer wins" gives the same answer on every device.
package struct HybridTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The packed value.
    package let rawValue: Int64

    package init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    package init(millis: Int64, counter: UInt16) {
        self.rawValue = millis << 16 | Int64(counter)
    }

    /// Wall-clock milliseconds since 1970.
    package var millis: Int64 { rawValue >> 16 }
    /// The logical counter within one millisecond.
    package var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue & 0xFFFF) }
    /// The wall-clock part as a date.
    package var date: Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// The largest wall-clock part a reading can hold.
    package static let maximumMillis = Int64.max >> 16

    /// The wall clock's reading (counter 0).
    package static func wall(_ now: Date) -> HybridTimestamp {
        let millis = (now.timeIntervalSince1970 * 1000).rounded()
        return HybridTimestamp(millis: Int64(min(max(millis, 0), Double(maximumMillis))), counter: 0)
    }

    /// The next reading after `last`, given the wall clock's `now`: `now` when it is later,
    /// otherwise `last` plus one tick.
    ///
    /// - Throws: `storage` when `last` is the largest reading there is: the stored clock was
    ///   poisoned (nodes before 0.18 took any clock from a peer); `tmws doctor --repair`
    ///   resets it. Never traps.
    package static func next(after last: HybridTimestamp?, now: Date) throws -> HybridTimestamp {
        let wall = wall(now)
        guard let last, last >= wall else { return wall }
        return try last.tick()
    }

    /// The reading after receiving `remote` from another device (the HLC receive rule):
    /// later than `last`, than `remote` and than the wall clock's `now`, so every event this
    /// node makes afterwards orders after the one it received, whatever the clocks' skew.
    /// The caller bounds `remote` first (``ChangeEvent/refusal(receivedAt:bounds:)``).
    ///
    /// - Throws: `storage` when the result would overflow (see ``next(after:now:)``).
    package static func receive(_ remote: HybridTimestamp, after last: HybridTimestamp?, now: Date) throws -> HybridTimestamp {
        let wall = wall(now)
        let latest = max(last ?? remote, remote)
        return latest < wall ? wall : try latest.tick()
    }

    /// One tick later, with checked arithmetic.
    func tick() throws -> HybridTimestamp {
        let (next, overflow) = rawValue.addingReportingOverflow(1)
        guard !overflow else {
            throw TMWSError(.storage, "this node's hybrid clock has reached its largest value (a far-future clock was stored); run `tmws doctor --repair`")
        }
        return HybridTimestamp(rawValue: next)
    }

    package static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A reading is its packed integer in JSON.
    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    package var description: String { "\(millis).\(counter)" }
}
