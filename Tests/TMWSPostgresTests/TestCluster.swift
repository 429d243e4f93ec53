import Foundation
import Logging
import PostgresNIO
import TMWSCore
import TMWSHubDomain
import TMWSPostgres

/// One real PostgreSQL cluster for this test process, started on first use from the installed
/// binaries (TLS 1.3 only, hostssl only) and migrated; stopped and removed when the process
/// exits, whatever the tests' outcome (scripts/test also stops any cluster a crash left).
actor TestCluster {
    static let shared = TestCluster()

    struct Running: Sendable {
        let cluster: LocalCluster
        let credentials: LocalCluster.Credentials
        var owner: DatabaseURL { cluster.ownerURL(credentials) }
        var runtime: DatabaseURL { cluster.runtimeURL(credentials) }
    }

    private var running: Task<Running, any Error>?

    func start() async throws -> Running {
        if let running { return try await running.value }
        let task = Task { () throws -> Running in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-pg-test-\(UUID().uuidString)")
            let cluster = LocalCluster(directory: directory)
            TestCluster.registerCleanup(cluster)
            let credentials = try await cluster.start()
            let connection = try await cluster.ownerURL(credentials).connect()
            do {
                try await Migrator().migrate(on: connection)
                await connection.closeAndWait()
            } catch {
                await connection.closeAndWait()
                throw error
            }
            return Running(cluster: cluster, credentials: credentials)
        }
        running = task
        return try await task.value
    }

    private nonisolated(unsafe) static var clusters: [LocalCluster] = []

    private static func registerCleanup(_ cluster: LocalCluster) {
        clusters.append(cluster)
        if clusters.count == 1 {
            atexit {
                for cluster in TestCluster.clusters {
                    try? cluster.stop()
                    try? FileManager.default.removeItem(at: cluster.directory)
                }
            }
        }
    }
}

/// Runs `body` on a fresh connection, closing it afterwards.
func withConnection<T: Sendable>(_ url: DatabaseURL, _ body: (PostgresConnection) async throws -> T) async throws -> T {
    do {
        return try await url.withConnection(body)
    } catch {
        throw Described(error)
    }
}

/// An error with postgres-nio's details (its description hides them on purpose).
struct Described: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = error is Described ? "\(error)" : PostgresErrors.describe(error) + " — " + String(reflecting: error).prefix(600)
    }
}
