import Foundation
import TMWSCore

extension SyncSettings {
    /// Keeps what a run did: a finished run clears the failures and ends offline-by-itself;
    /// a failed one is counted, and makes the node offline by itself once the machine is.
    package mutating func record(_ outcome: SyncRunner.Outcome, machine: SyncStateMachine, at date: Date) {
        switch outcome.ending {
        case .finished:
            lastSuccess = date
            failures = 0
            lastError = nil
            if offline == .automatic { offline = nil }
        case .failed(let problem):
            failures = machine.consecutiveFailures
            lastError = problem
            if machine.state == .offline(manual: false), offline == nil { offline = .automatic }
        case .resting:
            break
        }
    }
}

extension SyncStateMachine {
    /// A machine as a node's settings leave it: manual offline, and the failures so far (at
    /// the threshold it starts offline by itself).
    package init(configuration: Configuration = .init(), settings: SyncSettings, cursor: String?, now: Duration) {
        self.init(
            configuration: configuration, hybridMode: true, cursor: cursor, offline: settings.offline == .manual, failures: settings.failures,
            now: now
        )
    }
}

/// A node's background sync: one cycle of the state machine every interval, and soon after
/// a write that queued a sync event (the store's ``WakeSignal``, debounced by the machine);
/// nothing while paused, offline by hand or not allowed. Offline by itself (after repeated
/// failures), it probes the hub every maximum back-off, and the first success flushes what
/// waited. It sleeps between wakes: no polling.
///
/// Writes in other processes (`tmws mcp` over stdio, the CLI) cannot signal: every `watch`
/// (1 s in `tmws serve`) it reads one ``SyncWatch``, the settings and a count of the writes
/// that queued events, and takes a grown count as a write. A change of the settings another
/// process makes (`tmws sync pause`) holds from then on too. `allowed` is asked once per
/// interval.
package struct SyncLoop<C: Clock>: Sendable where C.Duration == Duration {
    package typealias Store = SyncRunner.Store & SyncSettingsStore

    let runner: SyncRunner
    let settings: any SyncSettingsStore
    let writes: WakeSignal
    let interval: Duration
    /// How often to read the ``SyncWatch`` between wakes; `nil`: only at wakes.
    let watch: Duration?
    let clock: C
    /// The wall clock, for the time of the last success.
    let date: @Sendable () -> Date
    /// Whether this node may sync now (hybrid mode still on, the hub's rollout lets it in).
    /// While it says no, the node is local-only: nothing is sent, changes wait in the outbox.
    let allowed: @Sendable () async -> Bool
    /// Told of every run, of every change of `allowed`, and of failures of the local store.
    let observe: @Sendable (Observation) async -> Void

    package enum Observation: Sendable {
        /// A run, before its outcome is kept in the settings.
        case ran(SyncRunner.Outcome, SyncStateMachine)
        case allowedChanged(Bool)
        /// The local store failed (no hub was involved); the loop tries again a second later.
        case storeFailed(String)
    }

    package init(
        runner: SyncRunner, settings: any SyncSettingsStore, writes: WakeSignal, interval: Duration, watch: Duration? = nil, clock: C,
        date: @escaping @Sendable () -> Date = { Date() }, allowed: @escaping @Sendable () async -> Bool = { true },
        observe: @escaping @Sendable (Observation) async -> Void = { _ in }
    ) {
        (self.runner, self.settings, self.writes, self.interval, self.watch, self.clock) = (runner, settings, writes, interval, watch, clock)
        (self.date, self.allowed, self.observe) = (date, allowed, observe)
    }

    /// Runs until the task is cancelled. A failing local store is observed and tried again a
    /// second later; it never ends the loop, and it is not a failed sync.
    package func run() async throws {
        let start = clock.now
        let now = { start.duration(to: clock.now) }
        var machine = SyncStateMachine(
            configuration: .init(interval: interval), settings: try await settings.syncSettings(), cursor: try await runner.store.syncCursor(),
            now: now()
        )
        var allowedNow = await allowed()
        var nextCheck = now() + interval
        var outboxWrites: Int64?
        var storeFailed = false
        while !Task.isCancelled {
            do {
                if now() >= nextCheck {
                    let was = allowedNow
                    allowedNow = await allowed()
                    nextCheck = now() + interval
                    if was != allowedNow { await observe(.allowedChanged(allowedNow)) }
                }
                let watched = try await settings.syncWatch()
                let current = watched.settings
                if let seen = outboxWrites, watched.outboxWrites > seen { _ = machine.handle(.localWrite(now: now())) }
                outboxWrites = watched.outboxWrites
                _ = machine.handle(.hybridModeChanged(enabled: allowedNow))
                _ = machine.handle(.pauseChanged(paused: current.paused))
                _ = machine.handle(.offlineChanged(offline: current.offline == .manual))
                let action = machine.handle(.tick(now: now(), force: false))
                storeFailed = false
                if action != .none {
                    let outcome = await runner.perform(action, on: &machine, now: now)
                    await observe(.ran(outcome, machine))
                    let (snapshot, at) = (machine, date())
                    try await settings.changeSyncSettings { $0.record(outcome, machine: snapshot, at: at) }
                }
            } catch {
                guard !Task.isCancelled else { break }
                storeFailed = true
                await observe(.storeFailed((error as? TMWSError)?.message ?? "the local store failed"))
            }
            // Asleep until the machine is due, the next check of `allowed`, or a write; after a
            // failure of the local store, at least a second (what was due is due still).
            var wake = min(machine.nextDue(now: now()) ?? nextCheck, nextCheck)
            if let watch { wake = min(wake, now() + watch) }
            if storeFailed { wake = max(wake, now() + .seconds(1)) }
            if await sleep(until: start.advanced(by: wake)) { _ = machine.handle(.localWrite(now: now())) }
        }
        _ = machine.handle(.shutdown)
    }

    /// Sleeps until `deadline` or a write's signal, whichever is first: `true` for a write.
    private func sleep(until deadline: C.Instant) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            let (clock, writes) = (clock, writes)
            group.addTask {
                try? await clock.sleep(until: deadline, tolerance: nil)
                return false
            }
            group.addTask { await writes.wait() }
            // Whichever ends first, the other is stopped; a signal that came meanwhile still counts.
            var woken = await group.next() ?? false
            group.cancelAll()
            for await signalled in group { woken = woken || signalled }
            return woken
        }
    }
}
