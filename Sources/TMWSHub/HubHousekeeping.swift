import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TMWSCore
import TMWSHubDomain

/// The hub's work every `interval`: the reads of GLOBAL memories written down (what the cold
/// tier's "not read" means), and every tenant's size on `/metrics` —
/// `tmws_hub_tenant_memories` and `tmws_hub_tenant_stored_bytes`, labelled by tenant id (never
/// a name). A device's `/metrics` shows only its own tenant's series (``HubAPI``). The reads
/// are written once more when the hub stops.
package struct HubHousekeeping: Service {
    let store: any HubService
    let interval: Duration
    /// Whether to read the tenants' sizes (it reads every memory and change).
    let gauges: Bool
    let logger: Logger

    package init(store: any HubService, interval: Duration, gauges: Bool = true, logger: Logger) {
        (self.store, self.interval, self.gauges, self.logger) = (store, interval, gauges, logger)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await refresh()
                try? await Task.sleep(for: interval)
            }
        }
        await flushReads()
    }

    /// Writes the reads down, then reads every tenant's size and sets its gauges; a failure is
    /// logged and the last values stay.
    package func refresh() async {
        await flushReads()
        guard gauges else { return }
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
