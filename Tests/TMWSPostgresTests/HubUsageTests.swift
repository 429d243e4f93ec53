import Foundation
import Logging
import TMWSCore
import TMWSHubDomain
import TMWSPostgres
import Testing

/// `tmws hub usage`: each tenant's rows and bytes, its share of the stored tables, what it
/// wrote lately, and the cost at the given prices.
@Suite(.serialized) struct HubUsageTests {
    static let logger = Logger(label: "test")

    @Test func eachTenantIsChargedForItsOwnRowsAndNothingElse() async throws {
        let running = try await TestCluster.shared.start()
        let (big, small) = ("usage-big-\(UUID().uuidString.prefix(6))", "usage-small-\(UUID().uuidString.prefix(6))")
        try await withConnection(running.owner) { db in
            let admin = HubAdmin(connection: db, logger: Self.logger)
            let bigID = try await admin.createTenant(name: big)
            let user = try await admin.createUser(tenant: big, name: "ann")
            _ = try await admin.createTenant(name: small)
            // 200 GLOBAL memories of 2,016 random hex characters each (they do not compress),
            // and one more made 40 days ago.
            try await db.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content, created_at)
                SELECT \(bigID), gen_random_uuid(), 'GLOBAL', \(user), 'p', 1, n, 'x',
                       (SELECT string_agg(md5(random()::text || n::text || g::text), '') FROM generate_series(1, 63) AS g), now()
                FROM generate_series(1, 200) AS n
                """,
                logger: Self.logger
            )
            try await db.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content, created_at)
                VALUES (\(bigID), gen_random_uuid(), 'GLOBAL', \(user), 'p', 1, 0, 'x', 'old', now() - interval '40 days')
                """,
                logger: Self.logger
            )
            try await db.query("ANALYZE tmws.memories", logger: Self.logger)

            let prices = try StoragePrices(hotPerGiBMonth: 1000, coldPerGiBMonth: 1)
            let report = try await admin.usage(prices: prices)
            let bigUsage = try #require(report.tenants.first { $0.name == big })
            let smallUsage = try #require(report.tenants.first { $0.name == small })
            #expect(bigUsage.scopes["GLOBAL"]?.rows == 201 && bigUsage.scopes["SHARED"] == nil)
            #expect(bigUsage.tables["memories"]?.rows == 201)
            #expect(smallUsage.tables["memories"] == nil && smallUsage.scopes.isEmpty)
            // The 40-day-old memory is in neither window.
            #expect(bigUsage.last7Days.rows >= 200 && bigUsage.last30Days.rows == bigUsage.last7Days.rows)
            #expect((bigUsage.scopes["GLOBAL"]?.bytes ?? 0) > 200 * 1_000, "the content's bytes")
            // The empty tenant pays only for its share of the tenants' own rows (its name, its audit chain).
            #expect(bigUsage.hotBytes > smallUsage.hotBytes && smallUsage.hotBytes < 100_000)
            let memories = try #require(report.tables.first { $0.table == "memories" })
            #expect(bigUsage.hotBytes <= report.tables.reduce(0) { $0 + $1.totalBytes } && memories.totalBytes > 0)
            #expect(abs(bigUsage.monthlyCost - Double(bigUsage.hotBytes) / Double(1 << 30) * 1000) < 1e-9)

            let one = try await admin.usage(tenant: small, prices: prices)
            #expect(one.tenants.map(\.name) == [small])
            await #expect(throws: TMWSError.self) { try await admin.usage(tenant: "no-such-tenant") }
            #expect(throws: TMWSError.self) { try StoragePrices(hotPerGiBMonth: -1, coldPerGiBMonth: 0) }
            #expect(throws: TMWSError.self) { try StoragePrices(hotPerGiBMonth: .nan, coldPerGiBMonth: 0) }
        }
    }
}

extension HubUsageTests {
    /// The hub's gauges read every tenant's size as the runtime role, through the one function
    /// that returns sizes across tenants (and nothing else).
    @Test func theRuntimeRoleReadsEachTenantsSizeAndNoRow() async throws {
        let running = try await TestCluster.shared.start()
        let name = "gauge-\(UUID().uuidString.prefix(6))"
        let tenant = try await withConnection(running.owner) { db in
            let admin = HubAdmin(connection: db, logger: Self.logger)
            let tenant = try await admin.createTenant(name: name)
            let user = try await admin.createUser(tenant: name, name: "ann")
            try await db.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content, created_at)
                SELECT \(tenant), gen_random_uuid(), 'GLOBAL', \(user), 'p', 1, n, 'x', 'gauge ' || n, now() FROM generate_series(1, 7) AS n
                """,
                logger: Self.logger
            )
            return tenant
        }
        let database = try await HubDatabase.connect(url: running.runtime, maximumConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            let sizes = try await HubStore(database: database, logger: Self.logger).tenantStorage()
            let mine = try #require(sizes.first { $0.tenantID == tenant })
            #expect(mine.memories == 7 && mine.storedBytes > 7 * 20)
            #expect(sizes.count > 1, "every tenant, not only one")
            group.cancelAll()
        }
    }
}
