import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TMWSCore
import TMWSHubDomain

/// The hub's background work: every `interval`, the reads of GLOBAL memories are written down
/// (what the cold tier's "not read" means); every `gaugeInterval` (never when `nil`), every
/// tenant's size goes on `/metrics` — `tmws_hub_tenant_memories` and
/// `tmws_hub_tenant_stored_bytes`, labelled by tenant id (never a name). A device's `/metrics`
/// shows only its own tenant's series (``HubAPI``). The reads are written once more when the
/// hub stops.
package struct HubHousekeeping: Service {
    let store: any HubService
    let interval: Duration
    let gaugeInterval: Duration?
    let logger: Logger

    package init(store: any HubService, interval: Duration, gaugeInterval: Duration?, logger: Logger) {
        (self.store, self.interval, self.gaugeInterval, self.logger) = (store, interval, gaugeInterval, logger)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastGauges: ContinuousClock.Instant?
            while !Task.isCancelled {
                await flushReads()
                if let gaugeInterval, lastGauges.map({ ContinuousClock.now - $0 >= gaugeInterval }) ?? true {
                    await refreshGauges()
                    lastGauges = .now
                }
                try? await Task.sleep(for: min(interval, gaugeInterval ?? interval))
            }
        }
        await flushReads()
    }

    /// Reads every tenant's size and sets its gauges; a failure is logged and the last values stay.
    package func refreshGauges() async {
        do {
            for tenant in try await store.tenantStorage() {
                let id = [("tenant", tenant.tenantID.uuidString.lowercased())]
                Gauge(label: "tmws_hub_tenant_memories", dimensions: id).record(tenant.memories)
                Gauge(label: "tmws_hub_tenant_stored_bytes", dimensions: id).record(tenant.storedBytes)
            }
        } catch {
            logger.warning("could not read the tenants' sizes", metadata: ["error": "\(TMWSError.safeMessage(for: error))"])
        }
    }

    func flushReads() async {
        do {
            try await store.flushReads()
        } catch {
            logger.warning("could not write down the reads", metadata: ["error": "\(TMWSError.safeMessage(for: error))"])
        }
    }
}
