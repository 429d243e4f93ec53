import Foundation
import PostgresNIO
import TMWSCore
import TMWSCrypto
import TMWSHubDomain

/// Team logs in PostgreSQL: the statements ``HubTeams`` asks for, row-level security under each.
extension PostgresHubTransaction {
    package func teamExists(named name: String) async throws -> Bool {
        for try await _ in try await db.query("SELECT 1 FROM tmws.teams WHERE lower(name) = lower(\(name))", logger: logger).decode(Int.self) {
            return true
        }
        return false
    }

    package func deviceMatches(_ id: UUID, user: UUID, agreementKey: String, signingKey: String) async throws -> Bool {
        var matches = false
        for try await (owner, agreement, signing) in try await db.query(
            """
            SELECT user_id, coalesce(encode(agreement_key, 'base64'), ''), coalesce(encode(signing_key, 'base64'), '')
            FROM tmws.devices WHERE device_id = \(id) AND revoked_at IS NULL
            """,
            logger: logger
        ).decode((UUID, String, String).self) {
            matches = owner == user && agreement == agreementKey && signing == signingKey
        }
        return matches
    }

    package func createTeam(_ team: UUID, name: String, admin: UUID) async throws {
        try await db.query("INSERT INTO tmws.teams (tenant_id, team_id, name, epoch) VALUES (\(device.tenantID), \(team), \(name), 1)", logger: logger)
        try await db.query(
            "INSERT INTO tmws.team_members (tenant_id, team_id, user_id, role) VALUES (\(device.tenantID), \(team), \(admin), 'admin')", logger: logger
        )
    }

    package func lockTeam(_ team: UUID) async throws -> Int?? {
        var epoch: Int?? = nil
        for try await current in try await db.query("SELECT epoch FROM tmws.teams WHERE team_id = \(team) FOR UPDATE", logger: logger).decode(Int?.self) {
            epoch = .some(current)
        }
        return epoch
    }

    package func log(of team: UUID) async throws -> [MembershipEntry] {
        var entries: [MembershipEntry] = []
        for try await entry in try await db.query("SELECT entry FROM tmws.team_log WHERE team_id = \(team) ORDER BY seq", logger: logger)
            .decode(String.self)
        {
            entries.append(try JSONDecoder().decode(MembershipEntry.self, from: Data(entry.utf8)))
        }
        return entries
    }

    package func addMember(_ team: UUID, user: UUID, role: String) async throws {
        try await db.query(
            """
            INSERT INTO tmws.team_members (tenant_id, team_id, user_id, role) VALUES (\(device.tenantID), \(team), \(user), \(role))
            ON CONFLICT (tenant_id, team_id, user_id) DO UPDATE SET role = excluded.role, removed_at = NULL
            """,
            logger: logger
        )
    }

    package func append(_ change: TeamChange, epoch: Int) async throws {
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
        if let previous = change.previousKey, epoch > 1, change.entry.keyCommitment != nil {
            try await db.query(
                """
                INSERT INTO tmws.team_epochs (tenant_id, team_id, epoch, previous_key)
                VALUES (\(device.tenantID), \(team), \(epoch), decode(\(previous), 'base64'))
                """,
                logger: logger
            )
        }
        try await HubAudit.append(
            db, tenant: device.tenantID, actor: "device:\(device.deviceID.lowercasedString)", action: "team-\(change.entry.action.rawValue)",
            object: "team:\(team.lowercasedString)", details: "user:\(change.entry.user.lowercasedString),epoch:\(epoch)", logger: logger
        )
    }

    package func setEpoch(_ team: UUID, _ epoch: Int) async throws {
        try await db.query("UPDATE tmws.teams SET epoch = \(epoch) WHERE team_id = \(team)", logger: logger)
    }

    package func endMembership(_ team: UUID, user: UUID) async throws {
        try await db.query("UPDATE tmws.team_members SET removed_at = now() WHERE team_id = \(team) AND user_id = \(user)", logger: logger)
    }

    package func document(_ team: UUID) async throws -> TeamDocument? {
        let log = try await log(of: team)
        guard !log.isEmpty else { return nil }
        var name = ""
        var epoch = 0
        for try await (teamName, current) in try await db.query("SELECT name, coalesce(epoch, 0) FROM tmws.teams WHERE team_id = \(team)", logger: logger)
            .decode((String, Int).self)
        {
            (name, epoch) = (teamName, current)
        }
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
