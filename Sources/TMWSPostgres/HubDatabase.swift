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

    /// The database refused a statement's data (SQLSTATE class 22, a data exception; 23, an
    /// integrity violation; 54, a program limit): the caller can tell which input it was.
    public struct DataRefusal: Error, SafelyDescribedError {
        static let classes: Set<String> = ["22", "23", "54"]
        public var sqlState: String
        public var safeDescription: String { "the hub database refused the data (SQLSTATE \(sqlState))" }
    }

    /// Runs `body` in one transaction as `context`.
    ///
    /// - Throws: ``DataRefusal`` when the database refused the data; `storage` for any other
    ///   database failure, with no server text (it can quote values).
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
            let state = (error as? PSQLError)?.serverInfo?[.sqlState]
            if state == "42501" {
                Counter(label: "tmws_security_incidents_total", dimensions: [("kind", "rls_denial")]).increment()
            }
            // The server's message can quote the values it refused: it goes to the log by its
            // SQLSTATE only, and never into an answer.
            logger.error("hub database error", metadata: ["sqlstate": "\(state ?? "none")", "kind": "\(type(of: error))"])
            if let state, DataRefusal.classes.contains(String(state.prefix(2))) { throw DataRefusal(sqlState: state) }
            throw TMWSError(.storage, "the hub database failed")
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
