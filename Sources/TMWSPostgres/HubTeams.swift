import Foundation
import Logging
import NIOCore
import PostgresNIO
import TMWSCore
import TMWSCrypto
import TMWSHubDomain

extension HubStore {
    /// Creates a team from its first, self-signed log entry (made by the creating device).
    package func createTeam(_ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument {
        let entry = change.entry
        guard entry.action == .create, entry.tenant == device.tenantID, entry.user == device.userID, entry.signer == device.deviceID else {
            throw TMWSError(.forbidden, "a team is created by its first admin's own device, signing the first entry")
        }
        let name = try HubTeamRules.name(of: entry)
        let state = try HubTeamRules.verified([entry], device)
        try HubTeamRules.checkWraps(change, state: state, before: nil)
        return try await database.withTenant(device.context) { db in
            for try await _ in try await db.query("SELECT 1 FROM tmws.teams WHERE lower(name) = lower(\(name))", logger: logger).decode(Int.self) {
                throw TMWSError(.invalidInput, "a team named \(name) exists", field: "name")
            }
            try await Self.checkDevices(entry, on: db, logger: logger)
            try await db.query(
                "INSERT INTO tmws.teams (tenant_id, team_id, name, epoch) VALUES (\(device.tenantID), \(entry.team), \(name), 1)", logger: logger
            )
            try await db.query(
                "INSERT INTO tmws.team_members (tenant_id, team_id, user_id, role) VALUES (\(device.tenantID), \(entry.team), \(device.userID), 'admin')",
                logger: logger
            )
            try await append(change, state: state, on: db, device: device)
            return try await document(entry.team, on: db, device: device)
        }
    }

    /// Appends a signed entry to a team's log after verifying the whole chain with it, and
    /// applies it: members added or removed, the epoch moved on, keys stored.
    package func appendTeamEntry(_ team: UUID, _ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument {
        guard change.entry.signer == device.deviceID, change.entry.team == team else {
            throw TMWSError(.forbidden, "an entry is appended by the device that signed it, to its own team")
        }
        return try await database.withTenant(device.context) { db in
            var epoch: Int?? = nil
            for try await current in try await db.query("SELECT epoch FROM tmws.teams WHERE team_id = \(team) FOR UPDATE", logger: logger)
                .decode(Int?.self)
            {
                epoch = .some(current)
            }
            guard let epoch else { throw TMWSError(.notFound, "no such team", field: "team") }
            guard epoch != nil else { throw TMWSError(.forbidden, "this team has no membership log (it was made by an administrator)") }
            let log = try await entries(team, on: db)
            guard !log.isEmpty else { throw TMWSError(.notFound, "no such team", field: "team") }
            // A team made before ids were derived from the first entry goes on (the hub holds it).
            let before = try HubTeamRules.verified(log, device, acceptingLegacyID: true)
            let state = try HubTeamRules.verified(log + [change.entry], device, acceptingLegacyID: true)
            try HubTeamRules.checkWraps(change, state: state, before: before)
            let entry = change.entry
            try HubTeamRules.checkNew(entry)
            if entry.action == .add {
                try await Self.checkDevices(entry, on: db, logger: logger)
                try await db.query(
                    """
                    INSERT INTO tmws.team_members (tenant_id, team_id, user_id, role) VALUES (\(device.tenantID), \(team), \(entry.user), \(entry.role))
                    ON CONFLICT (tenant_id, team_id, user_id) DO UPDATE SET role = excluded.role, removed_at = NULL
                    """,
                    logger: logger
                )
            }
            try await append(change, state: state, on: db, device: device)
            if state.epoch != before.epoch {
                try await db.query("UPDATE tmws.teams SET epoch = \(state.epoch) WHERE team_id = \(team)", logger: logger)
            }
            // Read before a member leaves: an admin who removes themselves sees the team no more.
            let document = try await document(team, on: db, device: device)
            if entry.action == .remove {
                if state.members[entry.user] == nil {
                    try await db.query(
                        "UPDATE tmws.team_members SET removed_at = now() WHERE team_id = \(team) AND user_id = \(entry.user)", logger: logger
                    )
                }
            }
            return document
        }
    }

    /// The team as this device may see it; `not_found` for a team it is not a member of.
    package func team(_ team: UUID, as device: AuthenticatedDevice) async throws -> TeamDocument {
        try await database.withTenant(device.context) { db in try await document(team, on: db, device: device) }
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
        guard agreement.count == 32, signing.count == 32 else {
            throw TMWSError(.invalidInput, "agreement_key and signing_key are 32-byte public keys (base64)", field: "agreement_key")
        }
        guard DevicePublicKeys.isUsableAgreementKey(agreement) else {
            throw TMWSError(.invalidInput, "agreement_key is a point of small order: no secret can be agreed with it", field: "agreement_key")
        }
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

    // MARK: -

    /// The devices an entry adds belong to its user and carry the keys they registered.
    static func checkDevices(_ entry: MembershipEntry, on db: PostgresConnection, logger: Logger) async throws {
        for device in entry.devices {
            var matches = false
            for try await (user, agreement, signing) in try await db.query(
                """
                SELECT user_id, coalesce(encode(agreement_key, 'base64'), ''), coalesce(encode(signing_key, 'base64'), '')
                FROM tmws.devices WHERE device_id = \(device.id) AND revoked_at IS NULL
                """,
                logger: logger
            ).decode((UUID, String, String).self) {
                matches = user == entry.user && agreement == device.agreementKey && signing == device.signingKey
            }
            guard matches else {
                throw TMWSError(.invalidInput, "device \(device.id.lowercasedString) is not a device of that user with those keys", field: "entry")
            }
        }
    }

    private func append(_ change: TeamChange, state: TeamState, on db: PostgresConnection, device: AuthenticatedDevice) async throws {
        let json = String(decoding: try JSONEncoder().encode(change.entry), as: UTF8.self)
        let team = change.entry.team
        try await db.query(
            """
            INSERT INTO tmws.team_log (tenant_id, team_id, seq, entry, hash)
            VALUES (\(device.tenantID), \(team), \(change.entry.seq), \(json), \(change.entry.hash))
            """,
            logger: logger
        )
        for wrap in change.keys {
            // Only a device's own rotation replaces a key it already has (its own, never another's).
            let replaces = change.entry.action == .rotateKeys && wrap.device == change.entry.signer
            try await db.query(
                """
                INSERT INTO tmws.team_keys (tenant_id, team_id, epoch, device_id, wrapped)
                VALUES (\(device.tenantID), \(team), \(wrap.epoch), \(wrap.device), decode(\(wrap.wrapped), 'base64'))
                ON CONFLICT (tenant_id, team_id, epoch, device_id) DO UPDATE SET wrapped = excluded.wrapped WHERE \(replaces)
                """,
                logger: logger
            )
        }
        if let previous = change.previousKey, state.epoch > 1, change.entry.keyCommitment != nil {
            try await db.query(
                """
                INSERT INTO tmws.team_epochs (tenant_id, team_id, epoch, previous_key)
                VALUES (\(device.tenantID), \(team), \(state.epoch), decode(\(previous), 'base64'))
                """,
                logger: logger
            )
        }
        try await HubAudit.append(
            db, tenant: device.tenantID, actor: "device:\(device.deviceID.lowercasedString)", action: "team-\(change.entry.action.rawValue)",
            object: "team:\(team.lowercasedString)", details: "user:\(change.entry.user.lowercasedString),epoch:\(state.epoch)", logger: logger
        )
    }

    private func entries(_ team: UUID, on db: PostgresConnection) async throws -> [MembershipEntry] {
        var entries: [MembershipEntry] = []
        for try await entry in try await db.query("SELECT entry FROM tmws.team_log WHERE team_id = \(team) ORDER BY seq", logger: logger)
            .decode(String.self)
        {
            entries.append(try JSONDecoder().decode(MembershipEntry.self, from: Data(entry.utf8)))
        }
        return entries
    }

    private func document(_ team: UUID, on db: PostgresConnection, device: AuthenticatedDevice) async throws -> TeamDocument {
        let log = try await entries(team, on: db)
        var name = ""
        var epoch = 0
        for try await (teamName, current) in try await db.query("SELECT name, coalesce(epoch, 0) FROM tmws.teams WHERE team_id = \(team)", logger: logger)
            .decode((String, Int).self)
        {
            (name, epoch) = (teamName, current)
        }
        // The log is visible to current members only: anyone else finds no team.
        guard !log.isEmpty else { throw TMWSError(.notFound, "no such team, or this device's user is not a member", field: "team") }
        var keys: [TeamDocument.WrappedKey] = []
        for try await (keyEpoch, wrapped) in try await db.query(
            "SELECT epoch, encode(wrapped, 'base64') FROM tmws.team_keys WHERE team_id = \(team) AND device_id = \(device.deviceID) ORDER BY epoch",
            logger: logger
        ).decode((Int, String).self) {
            keys.append(.init(epoch: keyEpoch, wrapped: wrapped.replacingOccurrences(of: "\n", with: "")))
        }
        var links: [TeamDocument.EpochLink] = []
        for try await (linkEpoch, previous) in try await db.query(
            "SELECT epoch, encode(previous_key, 'base64') FROM tmws.team_epochs WHERE team_id = \(team) ORDER BY epoch", logger: logger
        ).decode((Int, String).self) {
            links.append(.init(epoch: linkEpoch, previousKey: previous.replacingOccurrences(of: "\n", with: "")))
        }
        return TeamDocument(team: team.lowercasedString, name: name, epoch: epoch, log: log, keys: keys, links: links)
    }
}
