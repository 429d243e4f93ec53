import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import TMWSCore
import TMWSHub
import TMWSHubDomain
import TMWSPostgres
import TMWSTLS

/// What `tmws bench hub` and `tmws bench sync` run against: a PostgreSQL cluster in a
/// temporary directory (removed afterwards), migrated, with one tenant and user `bench`, and
/// the hub serving HTTPS on a free port for the duration of `body`.
struct BenchHubFixture {
    let cluster: LocalCluster
    let credentials: LocalCluster.Credentials
    let logger = HubLogging.quiet("tmws.bench")

    /// Runs `body` with the fixture: `prepare` gets the owner connection first (to load data)
    /// with the tenant's and user's ids,
    /// then the hub starts and `body` gets its store and port.
    static func run<T: Sendable>(
        prepare: (_ owner: PostgresConnection, _ tenant: UUID, _ user: UUID) async throws -> Void = { _, _, _ in },
        body: @Sendable (BenchHubFixture, HubStore, Int) async throws -> T
    ) async throws -> T {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("tmws-pg-bench-\(UUID().uuidString)")
        let cluster = LocalCluster(directory: directory, logger: HubLogging.quiet("tmws.bench"))
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let fixture = BenchHubFixture(cluster: cluster, credentials: try await cluster.start())
        let logger = fixture.logger
        let owner = try await fixture.ownerURL.connect(logger: logger)
        do {
            try await Migrator(logger: logger).migrate(on: owner)
            let admin = HubAdmin(connection: owner, logger: logger)
            let tenant = try await admin.createTenant(name: "bench")
            let user = try await admin.createUser(tenant: "bench", name: "bench")
            try await prepare(owner, tenant, user)
            await owner.closeAndWait()
        } catch {
            await owner.closeAndWait()
            throw error
        }

        let database = try await HubDatabase.connect(url: cluster.runtimeURL(fixture.credentials), logger: logger)
        let store = HubStore(database: database, logger: logger)
        let certificates = cluster.certificates
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try HubServer.application(
            api: HubAPI(store: store), host: "127.0.0.1", port: 0, certificateFile: certificates.path(.hubCertificate),
            keyFile: certificates.path(.hubKey), logger: logger, onRunning: { portContinuation.yield($0) }
        )
        let group = ServiceGroup(services: [database.client, app], logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TMWSError(.io, "the hub did not start") }
            let result: T
            do {
                result = try await body(fixture, store, port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }

    var ownerURL: DatabaseURL { cluster.ownerURL(credentials) }
    var caFile: String { cluster.certificates.path(.caCertificate) }

    /// An enrollment token for user `bench`, made on a new owner connection.
    func enrollToken() async throws -> String {
        let owner = try await ownerURL.connect(logger: logger)
        do {
            let token = try await HubAdmin(connection: owner, logger: logger).enrollToken(tenant: "bench", user: "bench").token
            await owner.closeAndWait()
            return token
        } catch {
            await owner.closeAndWait()
            throw error
        }
    }
}
