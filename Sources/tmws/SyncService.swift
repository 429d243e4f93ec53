import Foundation
import Logging
import ServiceLifecycle
import TMWSCore
import TMWSSQLite
import TMWSSync

/// Sync inside `tmws serve`: every `hybrid.sync_interval_s`, and soon after a local write to
/// a cloud scope (debounced), one cycle of the state machine; nothing at all when paused or
/// offline by hand. Offline by itself (after repeated failures) it probes the hub every
/// maximum back-off, and the first success flushes what waited. Stops with the server's
/// ServiceGroup.
struct SyncService: Service {
    let node: NodeSync
    let transport: any SyncTransport
    let interval: Duration
    let logger: Logger
    /// Whether this node may sync now (hybrid mode still on, the hub's rollout lets it in);
    /// asked once per interval. While it says no, the node is local-only: nothing is sent,
    /// changes wait in the outbox.
    var allowed: @Sendable () async -> Bool = { true }

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await loop() }
    }

    private func loop() async throws {
        let store = node.store
        let runner = node.runner(transport)
        let clock = ContinuousClock()
        let start = clock.now
        let now = { clock.now - start }
        var machine = try await node.machine(configuration: .init(interval: interval), now: now())
        var lastPending = try await store.pendingEventCount()
        var allowedNow = await allowed()
        var nextCheck = now() + interval
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            guard !Task.isCancelled else { return }
            do {
                if now() >= nextCheck {
                    let was = allowedNow
                    allowedNow = await allowed()
                    nextCheck = now() + interval
                    if was != allowedNow {
                        logger.warning("sync: \(allowedNow ? "hybrid mode on again" : "local-only (hybrid mode off, or rolled back on the hub)")")
                    }
                }
                let paused = try await store.syncSetting("paused") == "true"
                let offline = try await store.syncSetting("offline")
                _ = machine.handle(.pauseChanged(paused: paused || !allowedNow))
                _ = machine.handle(.offlineChanged(offline: offline == "true"))
                if paused || offline == "true" || !allowedNow { continue }
                let pending = try await store.pendingEventCount()
                if pending > lastPending { _ = machine.handle(.localWrite(now: now())) }
                let action = machine.handle(.tick(now: now(), force: false))
                guard action != .none else {
                    lastPending = pending
                    continue
                }
                let outcome = await runner.perform(action, on: &machine, now: now)
                try await node.record(outcome, machine: machine)
                lastPending = try await store.pendingEventCount()
                if let problem = outcome.problem {
                    logger.warning("sync: \(problem)\(machine.isOffline ? " (offline until the hub answers again)" : "")")
                } else if outcome.report.pushed + outcome.report.pulled + outcome.report.quarantined > 0 {
                    logger.info(
                        "sync: pushed \(outcome.report.pushed), pulled \(outcome.report.pulled), quarantined \(outcome.report.quarantined)"
                    )
                }
            } catch {
                logger.warning("sync: \((error as? TMWSError)?.message ?? "the local store failed")")
            }
        }
    }
}
