import Foundation
import Logging
import ServiceLifecycle
import TMWSCore
import TMWSSync

/// Sync inside `tmws serve`: ``SyncLoop`` (in `TMWSSync`) on the continuous clock, woken by
/// the store's writes, with this process's logs and metrics. Stops with the server's
/// ServiceGroup.
struct SyncService: Service {
    let node: NodeSync
    let transport: any SyncTransport
    let interval: Duration
    let logger: Logger
    /// Whether this node may sync now (hybrid mode still on, the hub's rollout lets it in).
    var allowed: @Sendable () async -> Bool = { true }

    func run() async throws {
        let (node, logger) = (node, logger)
        let loop = SyncLoop(
            runner: node.runner(transport), settings: node.store, writes: node.store.syncWrites, interval: interval, watch: .seconds(1),
            clock: ContinuousClock(),
            allowed: allowed,
            observe: { observation in
                switch observation {
                case .allowedChanged(let allowed):
                    logger.warning("sync: \(allowed ? "hybrid mode on again" : "local-only (hybrid mode off, or rolled back on the hub)")")
                case .storeFailed(let problem):
                    logger.warning("sync: \(problem)")
                case .ran(let outcome, let machine):
                    await node.observe(outcome)
                    if case .failed(let problem) = outcome.ending {
                        logger.warning("sync: \(problem)\(machine.isOffline ? " (offline until the hub answers again)" : "")")
                    } else if outcome.report.pushed + outcome.report.pulled + outcome.report.quarantined > 0 {
                        logger.info("sync: pushed \(outcome.report.pushed), pulled \(outcome.report.pulled), quarantined \(outcome.report.quarantined)")
                    }
                }
            }
        )
        try await cancelWhenGracefulShutdown { try await loop.run() }
    }
}
