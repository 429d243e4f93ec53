import Foundation
import Synchronization
import TMWSCore

/// A clock that stands still until a test moves it.
package final class TestClock: WallClock {
    private let current: Mutex<Date>

    /// Starts at `start` (default 2026-01-01T00:00:00Z).
    package init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = Mutex(start)
    }

    package func now() -> Date {
        current.withLock { $0 }
    }

    /// Moves the clock forward (or back, with a negative interval).
    package func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }

    /// Moves the clock forward by whole days.
    package func advance(days: Int) {
        advance(by: Double(days) * 86_400)
    }
}
