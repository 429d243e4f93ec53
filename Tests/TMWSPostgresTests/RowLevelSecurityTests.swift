import Foundation
import Logging
import PostgresNIO
import TMWSCore
import TMWSHubDomain
import TMWSPostgres
import Testing

/// Row-level security against a real PostgreSQL 15: the catalog is what the design says, and
/// the runtime role sees and changes only its tenant's rows, whatever it tries.
@Suite(.serialized) struct RowLevelSecurityTests {
    static let logger = Logger(label: "test")
    static let runtime = LocalCluster.runtimeRole

    /// Two tenants, each with a user, a team, a device, a token, GLOBAL and SHARED memories,
    /// a change and an audit record; inserted by the owner.
    struct Fixture: Sendable {
        let a: TenantContext
        let b: TenantContext
        let teamA: UUID
        let teamB: UUID
        /// A user of tenant A outside team A.
        let outsider: TenantContext
    }

    static func seed(_ running: TestCluster.Running) async throws -> Fixture {
        try await withConnection(running.owner) { db in
            func tenant(_ name: String) async throws -> (TenantContext, UUID, UUID) {
                let tenant = UUID()
                let user = UUID()
                let outsider = UUID()
                let team = UUID()
                let device = UUID()
                try await db.query("INSERT INTO tmws.tenants (tenant_id, name) VALUES (\(tenant), \(name + "-" + tenant.uuidString))", logger: logger)
                try await db.query(
                    "INSERT INTO tmws.users (tenant_id, user_id, name) VALUES (\(tenant), \(user), 'ann'), (\(tenant), \(outsider), 'oscar')", logger: logger)
                try await db.query("INSERT INTO tmws.teams (tenant_id, team_id, name) VALUES (\(tenant), \(team), 'core')", logger: logger)
                try await db.query("INSERT INTO tmws.team_members (tenant_id, team_id, user_id) VALUES (\(tenant), \(team), \(user))", logger: logger)
                let digest = ByteBuffer(bytes: [UInt8](repeating: 7, count: 32))
                try await db.query(
                    "INSERT INTO tmws.devices (tenant_id, device_id, user_id, name, credential_sha256) VALUES (\(tenant), \(device), \(user), 'laptop', \(digest))",
                    logger: logger
                )
                try await db.query(
                    """
                    INSERT INTO tmws.enrollment_tokens (tenant_id, token_id, user_id, token_sha256, expires_at)
                    VALUES (\(tenant), \(UUID()), \(user), \(digest), now() + interval '1 day')
                    """,
                    logger: logger
                )
                try await db.query(
                    """
                    INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content, created_at)
                    VALUES (\(tenant), \(UUID()), 'GLOBAL', \(user), 'p', 1, 1, 'laptop', \(name + " global note about postgres"), now())
                    """,
                    logger: logger
                )
                try await db.query(
                    """
                    INSERT INTO tmws.memories (tenant_id, memory_id, scope, team_id, owner_user_id, namespace, version, hlc, origin_device, ciphertext, created_at)
                    VALUES (\(tenant), \(UUID()), 'SHARED', \(team), \(user), 'p', 1, 1, 'laptop', \(digest), now())
                    """,
                    logger: logger
                )
                try await db.query(
                    """
                    INSERT INTO tmws.change_log (tenant_id, event_id, memory_id, operation, version, hlc, device_id, payload)
                    VALUES (\(tenant), \(UUID()), \(UUID()), 'create', 1, 1, \(device), '{}')
                    """,
                    logger: logger
                )
                // A batch of the cold tier.
                try await db.query(
                    """
                    INSERT INTO tmws.cold_memories (tenant_id, batch_id, memory_ids, rows, hot_bytes)
                    VALUES (\(tenant), \(UUID()), ARRAY[\(UUID())]::uuid[], '[]', 0)
                    """,
                    logger: logger
                )
                // The tenant's rollout, and one user's flags.
                try await db.query("INSERT INTO tmws.rollout (tenant_id, percent) VALUES (\(tenant), 50)", logger: logger)
                try await db.query(
                    "INSERT INTO tmws.rollout_users (tenant_id, user_id, beta) VALUES (\(tenant), \(user), true)", logger: logger
                )
                // A team's membership log, a wrapped key and an epoch link (visible to members only).
                try await db.query(
                    "INSERT INTO tmws.team_log (tenant_id, team_id, seq, entry, hash) VALUES (\(tenant), \(team), 0, '{}', 'h')", logger: logger
                )
                try await db.query(
                    "INSERT INTO tmws.team_keys (tenant_id, team_id, epoch, device_id, wrapped) VALUES (\(tenant), \(team), 1, \(device), \(ByteBuffer(bytes: [UInt8](repeating: 9, count: 64))))",
                    logger: logger
                )
                try await db.query(
                    "INSERT INTO tmws.team_epochs (tenant_id, team_id, epoch, previous_key) VALUES (\(tenant), \(team), 2, \(ByteBuffer(bytes: [UInt8](repeating: 9, count: 64))))",
                    logger: logger
                )
                try await db.query(
                    """
                    INSERT INTO tmws.audit_log (tenant_id, seq, actor, action, object_id, previous_hash, hash)
                    VALUES (\(tenant), 1, 'admin', 'create', 'x', '0', '1')
                    """,
                    logger: logger
                )
                return (TenantContext(tenantID: tenant, userID: user), team, outsider)
            }
            let (a, teamA, outsider) = try await tenant("alpha")
            let (b, teamB, _) = try await tenant("beta")
            return Fixture(a: a, b: b, teamA: teamA, teamB: teamB, outsider: TenantContext(tenantID: a.tenantID, userID: outsider))
        }
    }

    /// The tenant ids a context can see in a table.
    static func visibleTenants(_ table: String, _ context: TenantContext?, on db: PostgresConnection) async throws -> Set<UUID> {
        let query = PostgresQuery(unsafeSQL: "SELECT DISTINCT tenant_id FROM tmws.\(table)")
        func collect() async throws -> Set<UUID> {
            var seen = Set<UUID>()
            for try await id in try await db.query(query, logger: logger).decode(UUID.self) { seen.insert(id) }
            return seen
        }
        guard let context else { return try await collect() }
        return try await HubDatabase.withTenant(context, on: db, logger: logger) { _ in try await collect() }
    }

    static let tables = [
        "tenants", "users", "teams", "team_members", "devices", "enrollment_tokens", "memories", "change_log", "audit_log", "team_log", "team_keys",
        "team_epochs", "rollout", "rollout_users", "cold_memories",
    ]

    @Test func theCatalogIsWhatTheDesignSays() async throws {
        let running = try await TestCluster.shared.start()
        try await withConnection(running.owner) { db in
            // Every table of the schema: RLS enabled and forced, and a restrictive tenant policy for all commands with a check.
            var tables: [String: (Bool, Bool)] = [:]
            for try await (name, enabled, forced) in try await db.query(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'tmws' AND c.relkind IN ('r', 'p')",
                logger: Self.logger
            ).decode((String, Bool, Bool).self) {
                tables[name] = (enabled, forced)
            }
            #expect(Set(tables.keys) == Set(Self.tables))
            for (name, (enabled, forced)) in tables {
                #expect(enabled && forced, "\(name): RLS enabled \(enabled), forced \(forced)")
            }
            var restrictive = Set<String>()
            for try await (table, command, hasCheck) in try await db.query(
                """
                SELECT c.relname, p.polcmd::text, p.polwithcheck IS NOT NULL
                FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'tmws' AND NOT p.polpermissive AND p.polname = 'tenant_isolation'
                  AND pg_get_expr(p.polqual, p.polrelid) LIKE '%tenant_id = ( SELECT %current_tenant()%'
                """,
                logger: Self.logger
            ).decode((String, String, Bool).self) where command == "*" && hasCheck {
                restrictive.insert(table)
            }
            #expect(restrictive == Set(Self.tables))

            // The runtime role: not a superuser, cannot bypass RLS, owns nothing, no TRUNCATE anywhere.
            for try await (superuser, bypass, inherit) in try await db.query(
                "SELECT rolsuper, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = \(Self.runtime)", logger: Self.logger
            ).decode((Bool, Bool, Bool).self) {
                #expect(!superuser && !bypass && !inherit)
            }
            let owned = try await db.query(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = \(Self.runtime)", logger: Self.logger
            ).decode(Int.self).collect()
            #expect(owned == [0])
            for table in Self.tables {
                for privilege in ["TRUNCATE", "DELETE", "REFERENCES", "TRIGGER"] {
                    let granted = try await db.query(
                        "SELECT has_table_privilege(\(Self.runtime), \("tmws." + table), \(privilege))", logger: Self.logger
                    ).decode(Bool.self).collect()
                    #expect(granted == [false], "\(Self.runtime) has \(privilege) on \(table)")
                }
            }
            // No view bypasses RLS, and the one SECURITY DEFINER function the runtime role may call
            // is the tenants' sizes for the hub's gauges: counts and byte sums, never a row.
            let views = try await db.query(
                """
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('tmws', 'tmws_meta', 'public') AND c.relkind IN ('v', 'm')
                  AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)
                """,
                logger: Self.logger
            ).decode(Int.self).collect()
            #expect(views == [0])
            let definers = try await db.query(
                """
                SELECT n.nspname || '.' || p.proname || ' -> ' || pg_get_function_result(p.oid) FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prosecdef
                  AND has_function_privilege(\(Self.runtime), p.oid, 'EXECUTE')
                """,
                logger: Self.logger
            ).decode(String.self).collect()
            #expect(definers == ["tmws.tenant_storage -> TABLE(tenant_id uuid, memories bigint, stored_bytes bigint)"])
        }
    }

    @Test func eachTenantSeesOnlyItsRowsAndNoContextSeesNothing() async throws {
        let running = try await TestCluster.shared.start()
        let fixture = try await Self.seed(running)
        try await withConnection(running.runtime) { db in
            for table in Self.tables {
                let seenByA = try await Self.visibleTenants(table, fixture.a, on: db)
                let seenByB = try await Self.visibleTenants(table, fixture.b, on: db)
                #expect(seenByA == [fixture.a.tenantID], "\(table) as A: \(seenByA)")
                #expect(seenByB == [fixture.b.tenantID], "\(table) as B: \(seenByB)")
                #expect(try await Self.visibleTenants(table, nil, on: db).isEmpty, "\(table) without a tenant")
            }
            // A malformed tenant value fails closed (the cast fails), rather than matching anything.
            try await db.query("BEGIN", logger: Self.logger)
            try await db.query("SELECT set_config('tmws.tenant_id', 'not-a-uuid', true)", logger: Self.logger)
            await #expect(throws: (any Error).self) {
                try await db.query("SELECT count(*) FROM tmws.memories", logger: Self.logger).decode(Int.self).collect()
            }
            try await db.query("ROLLBACK", logger: Self.logger)
        }
    }

    @Test func sharedMemoriesAreVisibleOnlyToTheirTeam() async throws {
        let running = try await TestCluster.shared.start()
        let fixture = try await Self.seed(running)
        try await withConnection(running.runtime) { db in
            func scopes(_ context: TenantContext) async throws -> [String] {
                try await HubDatabase.withTenant(context, on: db, logger: Self.logger) { db in
                    try await db.query("SELECT scope FROM tmws.memories ORDER BY scope", logger: Self.logger).decode(String.self).collect()
                }
            }
            let member = try await scopes(fixture.a)
            let outsider = try await scopes(fixture.outsider)
            let nobody = try await scopes(TenantContext(tenantID: fixture.a.tenantID, userID: nil))
            #expect(member == ["GLOBAL", "SHARED"])
            #expect(outsider == ["GLOBAL"])
            #expect(nobody == ["GLOBAL"])
            // An outsider cannot write into the team either.
            await #expect(throws: (any Error).self) {
                try await HubDatabase.withTenant(fixture.outsider, on: db, logger: Self.logger) { db in
                    try await db.query(
                        """
                        INSERT INTO tmws.memories (tenant_id, memory_id, scope, team_id, owner_user_id, namespace, version, hlc, origin_device, ciphertext, created_at)
                        VALUES (\(fixture.a.tenantID), \(UUID()), 'SHARED', \(fixture.teamA), \(fixture.outsider.userID!), 'p', 1, 1, 'x', '\\x00', now())
                        """,
                        logger: Self.logger
                    )
                }
            }
        }
    }

    /// UPDATE and DELETE of the other tenant's rows change nothing (0 rows or no privilege);
    /// INSERT with the other tenant's id fails.
    @Test func anotherTenantsRowsCannotBeChanged() async throws {
        let running = try await TestCluster.shared.start()
        let fixture = try await Self.seed(running)
        let b = fixture.b.tenantID
        try await withConnection(running.runtime) { db in
            let updates = [
                "UPDATE tmws.memories SET content = 'owned' WHERE tenant_id = '\(b)'",
                "UPDATE tmws.devices SET last_seen_at = now() WHERE tenant_id = '\(b)'",
                "UPDATE tmws.enrollment_tokens SET used_at = now() WHERE tenant_id = '\(b)'",
            ]
            for sql in updates {
                let changed = try await HubDatabase.withTenant(fixture.a, on: db, logger: Self.logger) { db in
                    try await db.query(PostgresQuery(unsafeSQL: sql + " RETURNING 1"), logger: Self.logger).decode(Int.self).collect().count
                }
                #expect(changed == 0, "\(sql)")
            }
            for table in Self.tables {
                // No DELETE privilege at all (tombstones are updates), and UPDATE only where granted.
                await #expect(throws: (any Error).self, "DELETE on \(table)") {
                    try await HubDatabase.withTenant(fixture.a, on: db, logger: Self.logger) { db in
                        try await db.query(PostgresQuery(unsafeSQL: "DELETE FROM tmws.\(table) WHERE tenant_id = '\(b)'"), logger: Self.logger)
                    }
                }
            }
            let inserts = [
                "INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content, created_at) VALUES ('\(b)', gen_random_uuid(), 'GLOBAL', '\(fixture.b.userID!)', 'p', 1, 1, 'x', 'planted', now())",
                "INSERT INTO tmws.devices (tenant_id, device_id, user_id, name, credential_sha256) VALUES ('\(b)', gen_random_uuid(), '\(fixture.b.userID!)', 'x', decode(repeat('00', 32), 'hex'))",
                "INSERT INTO tmws.change_log (tenant_id, event_id, memory_id, operation, version, hlc, device_id, payload) VALUES ('\(b)', gen_random_uuid(), gen_random_uuid(), 'create', 1, 1, gen_random_uuid(), '{}')",
                "INSERT INTO tmws.audit_log (tenant_id, seq, actor, action, object_id, previous_hash, hash) VALUES ('\(b)', 99, 'x', 'x', 'x', 'x', 'x')",
                "INSERT INTO tmws.tenants (tenant_id, name) VALUES ('\(b)', 'again')",
                "INSERT INTO tmws.users (tenant_id, user_id, name) VALUES ('\(b)', gen_random_uuid(), 'mallory')",
            ]
            for sql in inserts {
                do {
                    _ = try await HubDatabase.withTenant(fixture.a, on: db, logger: Self.logger) { db in
                        try await db.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
                    }
                    Issue.record("inserted into another tenant: \(sql.prefix(40))")
                } catch {
                    // 42501: insufficient privilege, or a row-level security violation.
                    #expect("\(String(reflecting: error))".contains("42501"), "\(sql.prefix(40)): \(String(reflecting: error).prefix(300))")
                }
            }
            // B's rows are as they were.
            let content = try await HubDatabase.withTenant(fixture.b, on: db, logger: Self.logger) { db in
                try await db.query("SELECT content FROM tmws.memories WHERE scope = 'GLOBAL'", logger: Self.logger).decode(String.self).collect()
            }
            #expect(content == ["beta global note about postgres"])
        }
    }

    /// A context set for one transaction does not outlive it on the connection, and a
    /// session-level `SET` (which any session may do to a custom setting) does not override
    /// the per-transaction context of the next request.
    @Test func contextDoesNotBleedAndSessionSetsChangeNothing() async throws {
        let running = try await TestCluster.shared.start()
        let fixture = try await Self.seed(running)
        try await withConnection(running.runtime) { db in
            #expect(try await Self.visibleTenants("memories", fixture.a, on: db) == [fixture.a.tenantID])
            // Same physical connection, next request without a context: nothing.
            #expect(try await Self.visibleTenants("memories", nil, on: db).isEmpty)

            try await db.query(PostgresQuery(unsafeSQL: "SET tmws.tenant_id = '\(fixture.b.tenantID)'"), logger: Self.logger)
            #expect(try await Self.visibleTenants("memories", fixture.a, on: db) == [fixture.a.tenantID])
            try await db.query("RESET tmws.tenant_id", logger: Self.logger)
        }
        // Through the pool, request after request on the same connections.
        let database = try await HubDatabase.connect(url: running.runtime, maximumConnections: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            for round in 0..<10 {
                let context = round.isMultiple(of: 2) ? fixture.a : fixture.b
                let seen = try await database.withTenant(context) { db in
                    try await db.query("SELECT DISTINCT tenant_id FROM tmws.memories", logger: Self.logger).decode(UUID.self).collect()
                }
                #expect(seen == [context.tenantID])
                let bare = try await database.client.query("SELECT count(*) FROM tmws.memories", logger: Self.logger).decode(Int.self).collect()
                #expect(bare == [0])
            }
            group.cancelAll()
        }
    }
}

extension AsyncSequence where Self: Sendable {
    func collect() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
