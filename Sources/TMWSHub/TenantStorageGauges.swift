import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TMWSCore
import TMWSHubDomain

/// Every tenant's size on the hub's `/metrics`, read every `interval`:
/// `tmws_hub_tenant_memories` and `tmws_hub_tenant_stored_bytes`, labelled by tenant id (never
/// a name). A device's `/metrics` shows only its own tenant's series (``HubAPI``).
package struct TenantStorageGauges: Service {
    let store: any HubService
    let interval: Duration
    let logger: Logger

    package init(store: any HubService, interval: Duration, logger: Logger) {
        (self.store, self.interval, self.logger) = (store, interval, logger)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await refresh()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Reads every tenant's size once and sets its gauges; a failure is logged and the last
    /// values stay.
    package func refresh() async {
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
}
