import Foundation
import Synchronization
import TMWSCore
import TMWSSync
import TMWSTestSupport
import Testing

/// The archive inside `tmws serve`: it runs after its first wait and then every interval,
/// moving what the policy selects, and a cancelled loop ends.
@Suite struct ArchiveLoopTests {
    @Test func theLoopArchivesOnItsScheduleAndStopsWhenCancelled() async throws {
        let fixture = try StoreFixture()
        let old = try await fixture.add("An old note about the vellum exporter")
        fixture.clock.advance(days: 100)
        let runs = Counter()
        var loop = ArchiveLoop(archive: fixture.store, policy: try LocalArchivePolicy(), interval: .milliseconds(20), clock: ContinuousClock())
        loop.firstRun = .milliseconds(10)
        loop.observe = { result in
            if case .success = result { runs.add() }
        }
        let task = Task { await loop.run() }
        while runs.value < 3 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        _ = await task.result
        #expect(try await fixture.store.read(old.id).archived)
        #expect(try await fixture.store.archiveSize().memories == 1)
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
