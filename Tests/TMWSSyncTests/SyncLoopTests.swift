import Foundation
import TMWSCore
import TMWSSQLite
import TMWSSync
import TMWSTestSupport
import Testing

/// The node's sync service on a manual clock: a real SQLite store, the real runner, and the
/// convergence test's in-memory hub behind a network that can be cut.
@Suite struct SyncLoopTests {
    struct Node {
        let fixture: StoreFixture
        let hub = SimulatedHub()
        let network: FaultyNetwork
        let clock = ManualClock()
        let task: Task<Void, any Error>

        init(interval: Duration = .seconds(60), watch: Duration? = nil) throws {
            fixture = try StoreFixture()
            network = FaultyNetwork(hub: hub)
            let loop = SyncLoop(
                runner: SyncRunner(store: fixture.store, transport: network), settings: fixture.store, writes: fixture.store.syncWrites,
                interval: interval, watch: watch, clock: clock, date: { [clock = fixture.clock] in clock.now() }
            )
            task = Task { try await loop.run() }
        }

        /// Waits (real time, at most 10 s) until the loop sleeps on the manual clock.
        func asleep() async throws {
            for _ in 0..<10_000 {
                if clock.sleepers > 0 { return }
                try await Task.sleep(for: .milliseconds(1))
            }
            Issue.record("the sync loop never went to sleep")
        }

        /// Moves the manual clock and waits until the loop has acted and sleeps again.
        func advance(by duration: Duration) async throws {
            try await asleep()
            clock.advance(by: duration)
            try await Task.sleep(for: .milliseconds(5))
            try await asleep()
        }

        var logged: Int { hub.state.withLock { $0.log.count } }

        func write(_ content: String) async throws {
            _ = try await fixture.add(content, scope: .global)
            try await Task.sleep(for: .milliseconds(5))
            try await asleep()
        }
    }

    @Test func aWriteWakesTheLoopAndGoesOutAfterTheDebounceNotTheInterval() async throws {
        let node = try Node()
        defer { node.task.cancel() }
        try await node.asleep()
        try await node.write("deploys freeze on Fridays")
        #expect(node.logged == 0, "a write waits for the debounce")
        try await node.advance(by: .seconds(1))
        #expect(node.logged == 0)
        try await node.advance(by: .seconds(1))
        #expect(node.logged == 1, "2 s after the write (the debounce), long before the 60 s interval")
        #expect(try await node.fixture.store.pendingEventCount() == 0)
        let settings = try await node.fixture.store.syncSettings()
        #expect(settings.lastSuccess != nil && settings.failures == 0)
    }

    @Test func pausedOrOfflineByHandItSendsNothingUntilTurnedBack() async throws {
        let node = try Node()
        defer { node.task.cancel() }
        try await node.asleep()
        try await node.fixture.store.changeSyncSettings { $0.paused = true }
        try await node.write("paused: waits in the outbox")
        try await node.advance(by: .seconds(120))
        #expect(node.logged == 0)
        try await node.fixture.store.changeSyncSettings {
            $0.paused = false
            $0.offline = .manual
        }
        try await node.advance(by: .seconds(120))
        #expect(node.logged == 0, "offline by hand: no probe either")
        try await node.fixture.store.changeSyncSettings { $0.offline = nil }
        // Noticed at the next wake: the interval, or (here) a write.
        try await node.write("back online")
        try await node.advance(by: .seconds(2))
        #expect(node.logged == 2)
    }

    @Test func repeatedFailuresMakeTheNodeOfflineByItselfAndASuccessEndsIt() async throws {
        let node = try Node()
        defer { node.task.cancel() }
        try await node.asleep()
        node.network.faults.withLock { $0.partitioned = true }
        try await node.write("written while the hub is away")
        // Back-offs of 1, 2, 4 and 8 s at most, then offline by itself after the fifth failure.
        for _ in 0..<5 { try await node.advance(by: .seconds(10)) }
        var settings = try await node.fixture.store.syncSettings()
        #expect(settings.offline == .automatic && settings.failures == 5 && settings.lastError != nil)
        #expect(node.logged == 0)
        // The hub is back; the probe every maximum back-off (300 s) flushes what waited.
        node.network.faults.withLock { $0.partitioned = false }
        try await node.advance(by: .seconds(300))
        settings = try await node.fixture.store.syncSettings()
        #expect(settings.offline == nil && settings.failures == 0 && settings.lastError == nil)
        #expect(node.logged == 1)
    }

    /// A write in another process (here: another store on the same database file, which
    /// signals nothing to this one) is seen by the watch within its period.
    @Test func aWriteInAnotherProcessIsSeenByTheWatch() async throws {
        let node = try Node(watch: .seconds(1))
        defer { node.task.cancel() }
        try await node.asleep()
        let other = MemoryService(
            store: try node.fixture.reopen(), validator: MemoryValidator(), clock: node.fixture.clock, defaultNamespace: StoreFixture.namespace)
        _ = try await other.add(.init(content: "written by tmws mcp in its own process", scope: .global), by: .cli)
        try await node.advance(by: .seconds(1))
        #expect(node.logged == 0, "seen at the watch, sent after the debounce")
        try await node.advance(by: .seconds(2))
        #expect(node.logged == 1, "3 s after the write, long before the 60 s interval")
    }

    @Test func aSignalBeforeTheWaitIsKeptAndSignalsDoNotQueue() async {
        let signal = WakeSignal()
        signal.signal()
        signal.signal()
        #expect(await signal.wait())
        let waiter = Task { await signal.wait() }
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}
