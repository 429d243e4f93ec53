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

    /// The SQLSTATE classes that mean the database refused a statement's data (22, a data
    /// exception; 23, an integrity violation; 54, a program limit): ``HubDataRefusal``.
    static let refusedDataClasses: Set<String> = ["22", "23", "54"]

    /// Runs `body` in one transaction as `context`.
    ///
    /// - Throws: ``HubDataRefusal`` when the database refused the data; `storage` for any other
    ///   database failure, with no server text (it can quote values).
    package func withTenant<T: Sendable>(
        _ context: TenantContext, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.withTenant(context, on: connection, logger: logger, body)
        }
    }

    /// Runs `body` in one transaction as the holder of a device credential, authenticated in
    /// it: the tenant named in the credential is set, then its device row is read and the
    /// user set in one statement, for a live device whose digest matches (compared as digests
    /// again, so the comparison's time says nothing of the stored one).
    ///
    /// - Throws: `unauthorized` for a malformed, unknown, wrong or revoked credential (without
    ///   saying which); otherwise as ``withTenant(_:_:)``.
    package func withDevice<T: Sendable>(
        credential: String, _ body: @escaping @Sendable (AuthenticatedDevice, PostgresConnection) async throws -> T
    ) async throws -> T {
        guard let secret = HubSecret(parsing: credential, kind: .device) else { throw HubErrors.unauthorized() }
        let logger = self.logger
        let (result, stale) = try await withTenant(TenantContext(tenantID: secret.tenantID, userID: nil)) { db in
            var found: (user: UUID, stale: Bool)?
            for try await (user, _, stale) in try await db.query(
                """
                SELECT user_id, set_config('tmws.user_id', user_id::text, true),
                       last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute'
                FROM tmws.devices WHERE device_id = \(secret.id) AND revoked_at IS NULL
                  AND sha256(credential_sha256) = sha256(\(ByteBuffer(bytes: secret.digest)))
                """,
                logger: logger
            ).decode((UUID, String, Bool).self) {
                found = (user, stale)
            }
            guard let found else { throw HubErrors.unauthorized() }
            return (try await body(AuthenticatedDevice(tenantID: secret.tenantID, userID: found.user, deviceID: secret.id), db), found.stale)
        }
        // At most once a minute, in its own transaction: the request's work never waits on,
        // or holds, the device row's lock; and its failure never hides the work's commit.
        if stale {
            do {
                try await touch(secret)
            } catch {
                logger.warning("could not mark a device seen", metadata: ["error": "\(TMWSError.safeMessage(for: error))"])
            }
        }
        return result
    }

    /// Takes these memories for the rest of the transaction: what a push, an archive run and a
    /// restore take before touching them, in one sorted order so none of them deadlock.
    static func lockMemories(_ memoryIDs: [String], on db: PostgresConnection, logger: Logger) async throws {
        guard !memoryIDs.isEmpty else { return }
        try await db.query(
            """
            SELECT pg_advisory_xact_lock(key) FROM (
                SELECT DISTINCT hashtextextended(lower(id), 7201) AS key FROM unnest(\(memoryIDs)::text[]) AS id ORDER BY key
            ) AS locks
            """,
            logger: logger
        )
    }

    /// Marks a device seen now (if it was not within the last minute).
    func touch(_ secret: HubSecret) async throws {
        let logger = self.logger
        try await withTenant(TenantContext(tenantID: secret.tenantID, userID: nil)) { db in
            _ = try await db.query(
                """
                UPDATE tmws.devices SET last_seen_at = now()
                WHERE device_id = \(secret.id) AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')
                """,
                logger: logger
            )
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
            if let state, Self.refusedDataClasses.contains(String(state.prefix(2))) { throw HubDataRefusal(code: state) }
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
