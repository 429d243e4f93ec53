import Foundation
import PostgresNIO
import TMWSCore

/// What the hub checks of a pushed change before it decides on it: the bounds every receiver
/// holds a peer's change to, the hub's own rules, and the device's bound origin id.
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

    /// Why an event is refused before it touches the database, or `nil`: the bounds every
    /// receiver holds a peer's event to (``ChangeEvent/refusal(receivedAt:bounds:)``), then
    /// the hub's own rules.
    static func refusal(of event: ChangeEvent, receivedAt now: Date = Date()) -> String? {
        if let refusal = event.refusal(receivedAt: now) { return refusal }
        guard UUID(uuidString: event.eventID) != nil else { return "event_id must be a UUID" }
        if event.sealed != nil {
            return event.memory == nil && event.team != nil ? nil : "a sealed change carries its team and no plaintext"
        }
        if event.team != nil { return "a SHARED change is accepted only sealed (end-to-end encrypted)" }
        guard let memory = event.memory else {
            return event.operation == .delete ? nil : "a \(event.operation.rawValue) carries the memory's fields"
        }
        switch memory.scope {
        case .global: break
        case .shared: return "SHARED memories are accepted only end-to-end encrypted"
        case .private, .project: return "\(memory.scope.rawValue) memories never leave the node"
        }
        if let findings = event.sensitiveFindings() {
            return "sensitive data (\(findings.joined(separator: ", "))) may not be GLOBAL"
        }
        return nil
    }
}
