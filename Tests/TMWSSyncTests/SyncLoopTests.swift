import Foundation
import Synchronization
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
        let hub = SimulatedHub(repository: InMemorySyncRepository())
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

        /// Waits until the loop sleeps on the manual clock after the first `count` sleeps.
        func sleeping(after count: Int = 0) async {
            if !(await clock.sleeping(after: count)) { Issue.record("the sync loop never went to sleep") }
        }

        /// Moves the manual clock; when that woke the loop, waits until it has acted and
        /// sleeps again.
        func advance(by duration: Duration) async {
            let begun = clock.sleepsBegun
            if clock.advance(by: duration) > 0 { await sleeping(after: begun) }
        }

        var logged: Int { hub.repository.state.withLock { $0.log.count } }

        /// A GLOBAL write in this process; waits until its signal has woken the loop and it
        /// sleeps again.
        func write(_ content: String) async throws {
            let begun = clock.sleepsBegun
            _ = try await fixture.add(content, scope: .global)
            await sleeping(after: begun)
        }
    }

    @Test func aWriteWakesTheLoopAndGoesOutAfterTheDebounceNotTheInterval() async throws {
        let node = try Node()
        defer { node.task.cancel() }
        await node.sleeping()
        try await node.write("deploys freeze on Fridays")
        #expect(node.logged == 0, "a write waits for the debounce")
        await node.advance(by: .seconds(1))
        #expect(node.logged == 0)
        await node.advance(by: .seconds(1))
        #expect(node.logged == 1, "2 s after the write (the debounce), long before the 60 s interval")
        #expect(try await node.fixture.store.pendingEventCount() == 0)
        let settings = try await node.fixture.store.syncSettings()
        #expect(settings.lastSuccess != nil && settings.failures == 0)
    }

    @Test func pausedOrOfflineByHandItSendsNothingUntilTurnedBack() async throws {
        let node = try Node()
        defer { node.task.cancel() }
        await node.sleeping()
        try await node.fixture.store.changeSyncSettings { $0.paused = true }
        try await node.write("paused: waits in the outbox")
        await node.advance(by: .seconds(120))
        #expect(node.logged == 0)
        try await node.fixture.store.changeSyncSettings {
            $0.paused = false
            $0.offline = .manual
        }
        await node.advance(by: .seconds(120))
        #expect(node.logged == 0, "offline by hand: no probe either")
        try await node.fixture.store.changeSyncSettings { $0.offline = nil }
        // Noticed at the next wake: the interval, or (here) a write.
        try await node.write("back online")
        await node.advance(by: .seconds(2))
        #expect(node.logged == 2)
    }

    @Test func repeatedFailuresMakeTheNodeOfflineByItselfAndASuccessEndsIt() async throws {
        let node = try Node()
        defer { node.task.cancel() }
        await node.sleeping()
        node.network.faults.withLock { $0.partitioned = true }
        try await node.write("written while the hub is away")
        // Back-offs of 1, 2, 4 and 8 s at most, then offline by itself after the fifth failure.
        for _ in 0..<5 { await node.advance(by: .seconds(10)) }
        var settings = try await node.fixture.store.syncSettings()
        #expect(settings.offline == .automatic && settings.failures == 5 && settings.lastError != nil)
        #expect(node.logged == 0)
        // The hub is back; the probe every maximum back-off (300 s) flushes what waited.
        node.network.faults.withLock { $0.partitioned = false }
        await node.advance(by: .seconds(300))
        settings = try await node.fixture.store.syncSettings()
        #expect(settings.offline == nil && settings.failures == 0 && settings.lastError == nil)
        #expect(node.logged == 1)
    }

    /// A write in another process (here: another store on the same database file, which
    /// signals nothing to this one) is seen by the watch within its period.
    @Test func aWriteInAnotherProcessIsSeenByTheWatch() async throws {
        let node = try Node(watch: .seconds(1))
        defer { node.task.cancel() }
        await node.sleeping()
        let other = MemoryService(
            store: try node.fixture.reopen(), validator: MemoryValidator(), clock: node.fixture.clock, defaultNamespace: StoreFixture.namespace)
        _ = try await other.add(.init(content: "written by tmws mcp in its own process", scope: .global), by: .cli)
        await node.advance(by: .seconds(1))
        #expect(node.logged == 0, "seen at the watch, sent after the debounce")
        await node.advance(by: .seconds(2))
        #expect(node.logged == 1, "3 s after the write, long before the 60 s interval")
    }

    /// A store whose reads and writes between wakes fail while `failing` is set (its first
    /// read, when the loop starts, does not).
    final class FailingSettings: SyncSettingsStore {
        let base: SQLiteMemoryStore
        let failing = Mutex(true)

        init(base: SQLiteMemoryStore) { self.base = base }

        func check() throws { if failing.withLock({ $0 }) { throw TMWSError(.storage, "database error 10: disk I/O error") } }
        func syncSettings() async throws -> SyncSettings {
            try await base.syncSettings()
        }
        func syncWatch() async throws -> SyncWatch {
            try check()
            return try await base.syncWatch()
        }
        func changeSyncSettings(_ change: @escaping @Sendable (inout SyncSettings) -> Void) async throws -> SyncSettings {
            try check()
            return try await base.changeSyncSettings(change)
        }
    }

    @Test func aFailingLocalStoreIsTriedAgainEverySecondNotInATightLoop() async throws {
        let fixture = try StoreFixture()
        let settings = FailingSettings(base: fixture.store)
        let (clock, hub) = (ManualClock(), SimulatedHub(repository: InMemorySyncRepository()))
        let failures = Mutex(0)
        let loop = SyncLoop(
            runner: SyncRunner(store: fixture.store, transport: FaultyNetwork(hub: hub)), settings: settings, writes: fixture.store.syncWrites,
            interval: .seconds(60), clock: clock,
            observe: { observation in
                if case .storeFailed = observation { failures.withLock { $0 += 1 } }
            }
        )
        let task = Task { try await loop.run() }
        defer { task.cancel() }
        func advance(by duration: Duration) async {
            let begun = clock.sleepsBegun
            if clock.advance(by: duration) > 0 { #expect(await clock.sleeping(after: begun)) }
        }
        // The first cycle is due at once; the store fails before it: one failure, then a
        // second asleep (not a loop that spins on a deadline already past).
        #expect(await clock.sleeping(after: 0))
        #expect(failures.withLock { $0 } == 1)
        await advance(by: .seconds(1))
        #expect(failures.withLock { $0 } == 2)
        settings.failing.withLock { $0 = false }
        await advance(by: .seconds(1))
        #expect(failures.withLock { $0 } == 2)
        let begun = clock.sleepsBegun
        _ = try await fixture.add("after the disk came back", scope: .global)
        #expect(await clock.sleeping(after: begun))
        await advance(by: .seconds(2))
        #expect(hub.repository.state.withLock { $0.log.count } == 1)
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
