import Foundation
import Logging
import NIOCore
import PostgresNIO
import TMWSCore
import TMWSCrypto
import TMWSHubDomain

extension HubStore {
    // Team logs: the domain's rules (``HubTeams``) over PostgreSQL.

    package var teams: HubTeams<PostgresHubRepository> { HubTeams(repository: repository) }

    package func createTeam(_ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument {
        try await teams.create(change, as: device)
    }

    package func appendTeamEntry(_ team: UUID, _ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument {
        try await teams.append(team, change, as: device)
    }

    package func team(_ team: UUID, as device: AuthenticatedDevice) async throws -> TeamDocument {
        try await teams.team(team, as: device)
    }

    /// A user's devices with registered keys (by user name or id), for an admin adding them.
    package func devices(ofUser user: String, as device: AuthenticatedDevice) async throws -> UserDevices {
        try await database.withTenant(device.context) { db in
            var found: (UUID, String)?
            for try await row in try await db.query(
                "SELECT user_id, name FROM tmws.users WHERE name = \(user) OR user_id::text = lower(\(user))", logger: logger
            ).decode((UUID, String).self) {
                found = row
            }
            guard let (userID, userName) = found else { throw TMWSError(.notFound, "no such user in this tenant", field: "user") }
            var devices: [UserDevice] = []
            for try await (id, name, agreement, signing) in try await db.query(
                """
                SELECT d.device_id, d.name, encode(d.agreement_key, 'base64'), encode(d.signing_key, 'base64') FROM tmws.devices d
                JOIN tmws.users u ON u.tenant_id = d.tenant_id AND u.user_id = d.user_id
                WHERE (u.name = \(user) OR u.user_id::text = lower(\(user))) AND d.revoked_at IS NULL
                  AND d.agreement_key IS NOT NULL AND d.signing_key IS NOT NULL
                ORDER BY d.created_at
                """,
                logger: logger
            ).decode((UUID, String, String, String).self) {
                devices.append(UserDevice(id: id, name: name, agreementKey: agreement, signingKey: signing))
            }
            return UserDevices(userID: userID, userName: userName, devices: devices)
        }
    }

    /// The tenant's devices that have pushed, by the origin id their changes carry.
    package func deviceNames(as device: AuthenticatedDevice) async throws -> DeviceNames {
        try await database.withTenant(device.context) { db in
            var devices: [DeviceNames.Device] = []
            for try await (origin, name, user) in try await db.query(
                """
                SELECT d.origin_device, d.name, u.name FROM tmws.devices d
                JOIN tmws.users u ON u.tenant_id = d.tenant_id AND u.user_id = d.user_id
                WHERE d.origin_device IS NOT NULL ORDER BY u.name, d.name
                """,
                logger: logger
            ).decode((String, String, String).self) {
                devices.append(DeviceNames.Device(origin: origin, name: name, userName: user))
            }
            return DeviceNames(devices: devices)
        }
    }

    /// Replaces this device's registered public keys (`tmws keys rotate-device`).
    package func registerKeys(agreement: [UInt8], signing: [UInt8], as device: AuthenticatedDevice) async throws {
        try HubInputRules.checkDeviceKeys(agreement: agreement, signing: signing)
        try await database.withTenant(device.context) { db in
            try await db.query(
                """
                UPDATE tmws.devices SET agreement_key = \(ByteBuffer(bytes: agreement)), signing_key = \(ByteBuffer(bytes: signing))
                WHERE device_id = \(device.deviceID)
                """,
                logger: logger
            )
            try await HubAudit.append(
                db, tenant: device.tenantID, actor: "device:\(device.deviceID.lowercasedString)", action: "register-keys",
                object: "device:\(device.deviceID.lowercasedString)", details: "", logger: logger
            )
        }
    }
}
