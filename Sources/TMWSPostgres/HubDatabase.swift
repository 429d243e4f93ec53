import Foundation
import Logging
import Metrics
import PostgresNIO
import TMWSCore

/// Who a request acts as, derived by the hub from the authenticated device, never from
/// anything the client sends.
public struct TenantContext: Sendable, Hashable {
    public var tenantID: UUID
    public var userID: UUID?

    public init(tenantID: UUID, userID: UUID?) {
        self.tenantID = tenantID
        self.userID = userID
    }
}

/// The hub's connection pool, as the runtime role: every unit of work is one transaction
/// that first sets `tmws.tenant_id` and `tmws.user_id` with `set_config(…, true)` (bound
/// parameters, scoped to the transaction), so row-level security sees the request's tenant
/// and nothing of it survives on the pooled connection.
public final class HubDatabase: Sendable {
    public let client: PostgresClient
    let logger: Logger

    /// Connects once directly (so a TLS or password problem is reported at once, clearly),
    /// then makes the pool. Run ``client`` (`client.run()`, or as a service) before use.
    public static func connect(url: DatabaseURL, maximumConnections: Int = 20, logger: Logger = Logger(label: "tmws.hub.db")) async throws
        -> HubDatabase
    {
        let probe = try await url.connect(logger: logger)
        await probe.closeAndWait()
        return HubDatabase(client: PostgresClient(configuration: try url.clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger), logger: logger)
    }

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Runs `body` in one transaction as `context`.
    public func withTenant<T: Sendable>(_ context: TenantContext, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await Self.withTenant(context, on: connection, logger: logger, body)
            }
        } catch let error as TMWSError {
            throw error
        } catch {
            // 42501: insufficient privilege or a row-level security violation — a security
            // incident whatever caused it.
            if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "42501" {
                Counter(label: "tmws_security_incidents_total", dimensions: [("kind", "rls_denial")]).increment()
            }
            throw TMWSError(.storage, "the hub database failed: \(PostgresErrors.describe(error))")
        }
    }

    /// The same on a given connection (tests, administration).
    public static func withTenant<T: Sendable>(
        _ context: TenantContext, on connection: PostgresConnection, logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        do {
            let tenant = context.tenantID.uuidString.lowercased()
            let user = context.userID?.uuidString.lowercased() ?? ""
            try await connection.query(
                "SELECT set_config('tmws.tenant_id', \(tenant), true), set_config('tmws.user_id', \(user), true)", logger: logger
            )
            let result = try await body(connection)
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            // A connection the server closed (a restart) takes no ROLLBACK: a query sent to it
            // could wait for an answer that never comes. The server already rolled back.
            if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
            throw error
        }
    }
}

extension PostgresConnection {
    /// Closes the connection and waits until it is closed. (postgres-nio also has a
    /// future-returning `close()`, which an `await` can silently pick: fire and forget.)
    public func closeAndWait() async {
        _ = try? await self.close().get()
    }
}
