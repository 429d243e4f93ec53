import Foundation
import Logging
import NIOCore
import PostgresNIO
import TMWSCore
import TMWSCrypto
import TMWSHubDomain

extension HubStore {
    /// The checks of sealed events that need the database: the envelope describes the event
    /// and this tenant, the pushing device wrote and signed it (with the keys it registered),
    /// its team takes SHARED writes, the device's user is a current member, and the epoch is
    /// the team's current one (a write under an older key is refused).
    func sealedRefusals(
        _ events: [ChangeEvent], _ refusals: [String?], as device: AuthenticatedDevice, on db: PostgresConnection
    ) async throws -> [String?] {
        let teams = Set(events.compactMap { $0.sealed == nil ? nil : $0.team?.lowercased() })
        guard !teams.isEmpty else { return refusals }
        var epochs: [String: (epoch: Int?, member: Bool)] = [:]
        for try await (team, epoch, member) in try await db.query(
            """
            SELECT t.team_id::text, t.epoch, EXISTS (SELECT 1 FROM tmws.team_members m WHERE m.team_id = t.team_id
                                                      AND m.user_id = \(device.userID) AND m.removed_at IS NULL)
            FROM tmws.teams t WHERE t.team_id::text = ANY(\(Array(teams))::text[])
            """,
            logger: logger
        ).decode((String, Int?, Bool).self) {
            epochs[team] = (epoch, member)
        }
        // The device must hold the team's current key: a device revoked from the team (or never
        // added) has none, whatever its user's membership.
        var current: Set<String> = []
        for try await team in try await db.query(
            """
            SELECT k.team_id::text FROM tmws.team_keys k JOIN tmws.teams t ON t.tenant_id = k.tenant_id AND t.team_id = k.team_id
            WHERE k.device_id = \(device.deviceID) AND k.epoch = t.epoch AND k.team_id::text = ANY(\(Array(teams))::text[])
            """,
            logger: logger
        ).decode(String.self) {
            current.insert(team)
        }
        var keys: DevicePublicKeys?
        for try await (agreement, signing) in try await db.query(
            "SELECT agreement_key, signing_key FROM tmws.devices WHERE device_id = \(device.deviceID)", logger: logger
        ).decode((ByteBuffer?, ByteBuffer?).self) {
            if let agreement, let signing { keys = DevicePublicKeys(agreement: Array(buffer: agreement), signing: Array(buffer: signing)) }
        }
        let facts = HubPushRules.SealedFacts(teams: epochs, currentKey: current, deviceKeys: keys)
        return zip(events, refusals).map { event, refusal in
            refusal ?? HubPushRules.sealedRefusal(of: event, facts: facts, as: device)
        }
    }
}
