import Foundation
import TMWSCore
import TMWSCrypto

/// The hub's rules for a pushed change, decided before anything is written: the bounds every
/// receiver holds a peer's change to, the hub's own rules, and for a sealed change, the
/// envelope against what the database knows of its team and the pushing device.
package enum HubPushRules {
    /// Why an event is refused before it touches the database, or `nil`: the bounds every
    /// receiver holds a peer's event to (``ChangeEvent/refusal(receivedAt:bounds:)``), then
    /// the hub's own rules.
    package static func refusal(of event: ChangeEvent, receivedAt now: Date = Date()) -> String? {
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

    /// What the database knows for deciding on sealed changes: each named team's epoch (`nil`:
    /// no membership log) and whether the pushing device's user is a current member; the teams
    /// whose current key the device holds; the device's registered public keys.
    package struct SealedFacts: Sendable {
        package var teams: [String: (epoch: Int?, member: Bool)]
        package var currentKey: Set<String>
        package var deviceKeys: DevicePublicKeys?

        package init(teams: [String: (epoch: Int?, member: Bool)], currentKey: Set<String>, deviceKeys: DevicePublicKeys?) {
            (self.teams, self.currentKey, self.deviceKeys) = (teams, currentKey, deviceKeys)
        }
    }

    /// Why a sealed change is refused, or `nil` (an unsealed one is not this rule's): the team
    /// takes SHARED writes, the device's user is a current member, the device holds the team's
    /// current key, the envelope describes the event and this tenant, the pushing device wrote
    /// and signed it (with the keys it registered), under the team's current epoch.
    package static func sealedRefusal(of event: ChangeEvent, facts: SealedFacts, as device: AuthenticatedDevice) -> String? {
        guard event.sealed != nil, let team = event.team?.lowercased() else { return nil }
        guard let found = facts.teams[team], let epoch = found.epoch else { return "no team \(team) with a membership log in this tenant" }
        guard found.member else { return "this device's user is not a member of team \(team)" }
        guard facts.currentKey.contains(team) else { return "this device is not a device of team \(team) at its current epoch" }
        let parts: MemoryEnvelope.Parts
        do {
            parts = try MemoryEnvelope.Parts(event, tenant: device.tenantID)
        } catch {
            return (error as? CryptoFailure)?.description ?? "a malformed envelope"
        }
        guard parts.header.author == device.deviceID else { return "a sealed change is pushed by the device that signed it" }
        guard let keys = facts.deviceKeys, parts.verify(keys) else { return "the author's signature does not verify against this device's registered key" }
        guard parts.header.epoch == epoch else {
            return "sealed under epoch \(parts.header.epoch); team \(team) is at epoch \(epoch): seal again with the current key"
        }
        return nil
    }
}
