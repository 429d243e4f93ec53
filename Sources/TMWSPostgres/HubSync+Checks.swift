import Foundation
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// The device's bound origin id (the rules a pushed change is checked against are the
/// domain's ``HubPushRules``).
extension HubStore {
    /// The origin id this device's changes carry: bound by its first push (to the author its
    /// events name) and unique in the tenant, so no device writes in another's name.
    func origin(of device: AuthenticatedDevice, claimed: String?, on db: PostgresConnection) async throws -> String? {
        if let claimed, ChangeEvent.refusal(ofDevice: claimed) == nil {
            try await db.query(
                """
                UPDATE tmws.devices SET origin_device = \(claimed) WHERE device_id = \(device.deviceID) AND origin_device IS NULL
                  AND NOT EXISTS (SELECT 1 FROM tmws.devices AS other WHERE other.origin_device = \(claimed))
                """,
                logger: logger
            )
        }
        var bound: String?
        for try await origin in try await db.query(
            "SELECT origin_device FROM tmws.devices WHERE device_id = \(device.deviceID)", logger: logger
        ).decode(String?.self) {
            bound = origin
        }
        return bound
    }
}
