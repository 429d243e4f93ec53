import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// The hub's connection pool, as the runtime role: every unit of work is one transaction
/// that first sets `tmws.tenant_id` and `tmws.user_id` with `set_config(…, true)` (bound
/// parameters, scoped to the transaction), so row-level security sees the request's tenant
/// and nothing of it survives on the pooled connection.
package final class HubDatabase: Sendable {
    package let client: PostgresClient
    let logger: Logger

    /// Connects once directly (so a TLS or password problem is reported at once, clearly),
    /// then makes the pool. Run ``client`` (`client.run()`, or as a service) before use.
    package static func connect(url: DatabaseURL, maximumConnections: Int = 20, logger: Logger = Logger(label: "tmws.hub.db")) async throws
        -> HubDatabase
    {
        let probe = try await url.connect(logger: logger)
        await probe.closeAndWait()
        return HubDatabase(
            client: PostgresClient(configuration: try url.clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger), logger: logger
        )
    }

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The database refused a statement's data (SQLSTATE class 22, a data exception; 23, an
    /// integrity violation; 54, a program limit): the caller can tell which input it was.
    package struct DataRefusal: Error, SafelyDescribedError {
        static let classes: Set<String> = ["22", "23", "54"]
        package var sqlState: String
        package var safeDescription: String { "the hub database refused the data (SQLSTATE \(sqlState))" }
    }

    /// Runs `body` in one transaction as `context`.
    ///
    /// - Throws: ``DataRefusal`` when the database refused the data; `storage` for any other
    ///   database failure, with no server text (it can quote values).
    package func withTenant<T: Sendable>(
        _ context: TenantContext, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.withTenant(context, on: connection, logger: logger, body)
        }
    }

    /// Runs `body`, statements that set their own tenant (``HubSchema/searchFunction``), each
    /// in its own implicit transaction. A credential the statement refused (SQLSTATE `TM401`)
    /// is `unauthorized`; other failures are mapped as in ``withTenant(_:_:)``.
    package func withoutTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection(body)
    }

    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                try await Self.untilClosed(connection) { try await body(connection) }
            }
        } catch let error as TMWSError {
            throw error
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "TM401" {
            throw HubErrors.unauthorized()
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
    package static func withTenant<T: Sendable>(
        _ context: TenantContext, on connection: PostgresConnection, logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let started = ContinuousClock.now
        logger.debug("transaction begins", metadata: ["connection": "\(ObjectIdentifier(connection).hashValue)"])
        defer { logger.debug("transaction ends", metadata: ["ms": "\((ContinuousClock.now - started).components.seconds * 1000)"]) }
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
            // A connection the server ended (a restart: FATAL 57P01, or the socket closed) takes
            // no ROLLBACK: the server already rolled back, and a query sent to it may never be
            // answered (see ``untilClosed(_:_:)``, which also ends a ROLLBACK stranded that way).
            if !connection.isClosed, !Self.endedTheConnection(error) {
                _ = try? await connection.query("ROLLBACK", logger: logger)
            }
            throw error
        }
    }

    /// `body`'s result, or an error as soon as the connection closes under it.
    ///
    /// postgres-nio writes a query to its channel without a write promise: a query sent just
    /// as the server ends the connection (PostgreSQL restarted mid-push, `pg_ctl restart -m
    /// fast`) never reaches the channel handler, so nothing ever answers it and the awaiting
    /// continuation never resumes. Measured here: 3 pushes in 3 restarts stayed unanswered and
    /// kept the hub from stopping on SIGTERM. The request gets an error when the connection's
    /// close future fires instead; the stranded query's task is left behind (it holds only
    /// the closed connection) rather than holding the request and the hub's shutdown.
    static func untilClosed<T: Sendable>(_ connection: PostgresConnection, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let closed = TMWSError(.storage, "the hub database connection closed during the request")
        let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let once = NIOLockedValueBox(Optional(continuation))
                let resume: @Sendable (Result<T, any Error>) -> Void = { result in once.withLockedValue { $0.take() }?.resume(with: result) }
                task.withLockedValue {
                    $0 = Task {
                        do { resume(.success(try await body())) } catch { resume(.failure(error)) }
                    }
                }
                connection.closeFuture.whenComplete { _ in resume(.failure(closed)) }
            }
        } onCancel: {
            task.withLockedValue { $0?.cancel() }
        }
    }

    /// Whether `error` means the server or the network ended the connection.
    static func endedTheConnection(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .uncleanShutdown, .connectionError, .clientClosedConnection: return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            // 57P01–57P05: the administrator, a crash or idle timeouts ended the session;
            // class 08: connection exceptions. FATAL always ends it.
            return state.hasPrefix("57P") || state.hasPrefix("08") || error.serverInfo?[.severity] == "FATAL"
        default: return false
        }
    }
}

extension PostgresConnection {
    /// Closes the connection and waits until it is closed. (postgres-nio also has a
    /// future-returning `close()`, which an `await` can silently pick: fire and forget.)
    package func closeAndWait() async {
        _ = try? await self.close().get()
    }
}
