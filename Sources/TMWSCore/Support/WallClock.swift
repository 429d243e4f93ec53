import Foundation

/// The source of the current time. Library code never reads the system clock directly,
/// so TTLs, timestamps and the hybrid logical clock are testable.
package protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The system's real-time clock.
package struct SystemClock: WallClock {
    package init() {}
    package func now() -> Date { Date() }
}
