import Foundation
import Logging
import NIOCore
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// The hub's administration (`tmws hub admin …`), run on the hub's host with the owner's
/// database URL. Every change is one transaction, sets the tenant it acts on (so the
/// restrictive policies check it too) and appends to that tenant's audit chain.
package struct HubAdmin: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    static let actor = "admin"

    package init(connection: PostgresConnection, logger: Logger = Logger(label: "tmws.hub.admin")) {
        self.connection = connection
        self.logger = logger
    }

    // MARK: - Changes

    package func createTenant(name: String) async throws -> UUID {
        let name = try HubInputRules.name(name, of: "tenant", allowingUUID: false)
        let id = UUID()
        try await change(id) { db in
            try await db.query("INSERT INTO tmws.tenants (tenant_id, name) VALUES (\(id), \(name))", logger: logger)
            try await audit(db, id, "create-tenant", "tenant:\(Self.text(id))")
        }
        return id
    }

    package func createUser(tenant: String, name: String) async throws -> UUID {
        try await create("user", named: name, in: tenant) { tenantID, id, name in
            "INSERT INTO tmws.users (tenant_id, user_id, name) VALUES (\(tenantID), \(id), \(name))"
        }
    }

    package func createTeam(tenant: String, name: String) async throws -> UUID {
        try await create("team", named: name, in: tenant) { tenantID, id, name in
            "INSERT INTO tmws.teams (tenant_id, team_id, name) VALUES (\(tenantID), \(id), \(name))"
        }
    }

    /// Creates a named thing in a tenant (`insert` makes its row from the tenant, the new id
    /// and the checked name), with its audit record.
    private func create(
        _ what: String, named name: String, in tenant: String, insert: (UUID, UUID, String) -> PostgresQuery
    ) async throws -> UUID {
        let name = try HubInputRules.name(name, of: what, allowingUUID: false)
        let tenantID = try await resolveTenant(tenant)
        let id = UUID()
        let query = insert(tenantID, id, name)
        try await change(tenantID) { db in
            try await db.query(query, logger: logger)
            try await audit(db, tenantID, "create-\(what)", "\(what):\(Self.text(id))")
        }
        return id
    }

    package func addMember(tenant: String, team: String, user: String, role: String = "member") async throws {
        try HubInputRules.checkRole(role)
        let tenantID = try await resolveTenant(tenant)
        let teamID = try await resolve("teams", "team_id", team, in: tenantID, what: "team")
        let userID = try await resolve("users", "user_id", user, in: tenantID, what: "user")
        try await change(tenantID) { db in
            try await Self.refuseEncryptedTeam(db, teamID, team)
            try await db.query(
                """
                INSERT INTO tmws.team_members (tenant_id, team_id, user_id, role) VALUES (\(tenantID), \(teamID), \(userID), \(role))
                ON CONFLICT (tenant_id, team_id, user_id) DO UPDATE SET role = excluded.role
                """,
                logger: logger
            )
            try await audit(db, tenantID, "add-member", "team:\(Self.text(teamID))", details: "user:\(Self.text(userID)),role:\(role)")
        }
    }

    package func removeMember(tenant: String, team: String, user: String) async throws {
        let tenantID = try await resolveTenant(tenant)
        let teamID = try await resolve("teams", "team_id", team, in: tenantID, what: "team")
        let userID = try await resolve("users", "user_id", user, in: tenantID, what: "user")
        try await change(tenantID) { db in
            try await Self.refuseEncryptedTeam(db, teamID, team)
            let removed = try await db.query(
                "DELETE FROM tmws.team_members WHERE tenant_id = \(tenantID) AND team_id = \(teamID) AND user_id = \(userID) RETURNING 1",
                logger: logger
            ).decode(Int.self).reduce(0) { count, _ in count + 1 }
            guard removed > 0 else { throw TMWSError(.notFound, "\(user) is not a member of \(team)") }
            try await audit(db, tenantID, "remove-member", "team:\(Self.text(teamID))", details: "user:\(Self.text(userID))")
        }
    }

    /// A team made by a device carries a signed membership log: only an admin's device may
    /// change its members (the log is what every member verifies before wrapping a key).
    static func refuseEncryptedTeam(_ db: PostgresConnection, _ teamID: UUID, _ team: String) async throws {
        for try await epoch in try await db.query("SELECT epoch FROM tmws.teams WHERE team_id = \(teamID)", logger: Logger(label: "tmws.hub.admin")).decode(
            Int?.self)
        where epoch != nil {
            throw TMWSError(
                .forbidden, "team \(team) is end-to-end encrypted: its members change with 'tmws team add-member' or 'remove-member' on an admin's device"
            )
        }
    }

    /// A one-time token that enrolls one device for `user`; valid for `validFor`.
    package func enrollToken(tenant: String, user: String, validFor: Duration = .seconds(86_400)) async throws -> (token: String, expires: Date) {
        let tenantID = try await resolveTenant(tenant)
        let userID = try await resolve("users", "user_id", user, in: tenantID, what: "user")
        let secret = HubSecret(kind: .enrollment, tenantID: tenantID, id: UUID())
        let expires = Date().addingTimeInterval(Double(validFor.components.seconds))
        try await change(tenantID) { db in
            try await db.query(
                """
                INSERT INTO tmws.enrollment_tokens (tenant_id, token_id, user_id, token_sha256, expires_at)
                VALUES (\(tenantID), \(secret.id), \(userID), \(ByteBuffer(bytes: secret.digest)), \(expires))
                """,
                logger: logger
            )
            try await audit(db, tenantID, "enroll-token", "user:\(Self.text(userID))", details: "token:\(Self.text(secret.id))")
        }
        return (secret.text, expires)
    }

    package func revokeDevice(tenant: String, device: String) async throws {
        let tenantID = try await resolveTenant(tenant)
        guard let deviceID = UUID(uuidString: device) else { throw TMWSError(.invalidInput, "a device is named by its id (a UUID)", field: "device") }
        try await change(tenantID) { db in
            let revoked = try await db.query(
                "UPDATE tmws.devices SET revoked_at = now() WHERE tenant_id = \(tenantID) AND device_id = \(deviceID) AND revoked_at IS NULL RETURNING 1",
                logger: logger
            ).decode(Int.self).reduce(0) { count, _ in count + 1 }
            guard revoked > 0 else { throw TMWSError(.notFound, "no active device \(device) in this tenant") }
            try await audit(db, tenantID, "revoke-device", "device:\(Self.text(deviceID))")
        }
    }

    // MARK: - Reading

    package func tenants() async throws -> [Tenant] {
        try await run {
            var tenants: [Tenant] = []
            for try await (id, name, users, teams, devices) in try await connection.query(
                """
                SELECT t.tenant_id, t.name,
                    (SELECT count(*) FROM tmws.users u WHERE u.tenant_id = t.tenant_id)::int,
                    (SELECT count(*) FROM tmws.teams m WHERE m.tenant_id = t.tenant_id)::int,
                    (SELECT count(*) FROM tmws.devices d WHERE d.tenant_id = t.tenant_id AND d.revoked_at IS NULL)::int
                FROM tmws.tenants t ORDER BY t.name
                """,
                logger: logger
            ).decode((UUID, String, Int, Int, Int).self) {
                tenants.append(Tenant(id: id, name: name, users: users, teams: teams, devices: devices))
            }
            return tenants
        }
    }

    package func details(tenant: String) async throws -> TenantDetails {
        let tenantID = try await resolveTenant(tenant)
        guard let summary = try await tenants().first(where: { $0.id == tenantID }) else {
            throw TMWSError(.notFound, "no tenant \(tenant)")
        }
        return try await run {
            var users: [User] = []
            for try await (id, name) in try await connection.query(
                "SELECT user_id, name FROM tmws.users WHERE tenant_id = \(tenantID) ORDER BY name", logger: logger
            ).decode((UUID, String).self) {
                users.append(User(id: id, name: name, teams: [], devices: []))
            }
            var teams: [Team] = []
            for try await (id, name) in try await connection.query(
                "SELECT team_id, name FROM tmws.teams WHERE tenant_id = \(tenantID) ORDER BY name", logger: logger
            ).decode((UUID, String).self) {
                teams.append(Team(id: id, name: name, members: []))
            }
            for try await (teamID, userID) in try await connection.query(
                "SELECT team_id, user_id FROM tmws.team_members WHERE tenant_id = \(tenantID) AND removed_at IS NULL", logger: logger
            ).decode((UUID, UUID).self) {
                let userName = users.first { $0.id == userID }?.name ?? Self.text(userID)
                if let index = teams.firstIndex(where: { $0.id == teamID }) {
                    teams[index].members.append(userName)
                    if let user = users.firstIndex(where: { $0.id == userID }) { users[user].teams.append(teams[index].name) }
                }
            }
            for try await (id, userID, name, revoked, seen) in try await connection.query(
                """
                SELECT device_id, user_id, name, revoked_at IS NOT NULL, extract(epoch FROM last_seen_at)::float8
                FROM tmws.devices WHERE tenant_id = \(tenantID) ORDER BY created_at
                """,
                logger: logger
            ).decode((UUID, UUID, String, Bool, Double?).self) {
                if let user = users.firstIndex(where: { $0.id == userID }) {
                    users[user].devices.append(Device(id: id, name: name, revoked: revoked, lastSeen: seen.map(Date.init(timeIntervalSince1970:))))
                }
            }
            for index in teams.indices { teams[index].members.sort() }
            for index in users.indices { users[index].teams.sort() }
            return TenantDetails(tenant: summary, users: users, teams: teams)
        }
    }

    /// A user's id from a tenant (name or id) and the user's name or id.
    ///
    /// - Throws: `not_found` for an unknown tenant or user.
    package func userID(tenant: String, user: String) async throws -> UUID {
        try await resolve("users", "user_id", user, in: try await resolveTenant(tenant), what: "user")
    }

    // MARK: - Helpers

    /// A tenant by id or name.
    func resolveTenant(_ text: String) async throws -> UUID {
        try await run {
            let rows =
                UUID(uuidString: text) != nil
                ? try await connection.query("SELECT tenant_id FROM tmws.tenants WHERE tenant_id = \(UUID(uuidString: text)!)", logger: logger)
                : try await connection.query("SELECT tenant_id FROM tmws.tenants WHERE lower(name) = lower(\(text))", logger: logger)
            for try await id in rows.decode(UUID.self) { return id }
            throw TMWSError(.notFound, "no tenant named \(text) (see 'tmws hub admin list')")
        }
    }

    /// A user or team of a tenant, by id or name.
    func resolve(_ table: String, _ column: String, _ text: String, in tenant: UUID, what: String) async throws -> UUID {
        try await run {
            let sql =
                UUID(uuidString: text) != nil
                ? "SELECT \(column) FROM tmws.\(table) WHERE tenant_id = $1 AND \(column) = $2::uuid"
                : "SELECT \(column) FROM tmws.\(table) WHERE tenant_id = $1 AND name = $2"
            var bindings = PostgresBindings()
            bindings.append(tenant)
            bindings.append(text)
            for try await id in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).decode(UUID.self) {
                return id
            }
            throw TMWSError(.notFound, "no \(what) named \(text) in this tenant")
        }
    }

    func change(_ tenant: UUID, _ body: @Sendable (PostgresConnection) async throws -> Void) async throws {
        try await run {
            try await HubDatabase.withTenant(TenantContext(tenantID: tenant, userID: nil), on: connection, logger: logger, body)
        }
    }

    func audit(_ db: PostgresConnection, _ tenant: UUID, _ action: String, _ object: String, details: String = "") async throws {
        try await HubAudit.append(db, tenant: tenant, actor: Self.actor, action: action, object: object, details: details, logger: logger)
    }

    func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as TMWSError {
            throw error
        } catch {
            if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23505" {
                throw TMWSError(.invalidInput, "that name is already taken")
            }
            throw TMWSError(.storage, "the hub database failed: \(PostgresErrors.describe(error))")
        }
    }

    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }
}
