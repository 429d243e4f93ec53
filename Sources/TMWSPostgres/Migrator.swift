import Foundation
import Logging
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// Applies the hub's migrations (`tmws hub migrate`), as the role that will own the tables.
///
/// Versioned and repeatable: applied versions are recorded in `tmws_meta.migrations`, a run
/// applies only the missing ones, all in one transaction, and concurrent runs (several hub
/// hosts starting at once) wait for each other on an advisory lock.
package struct Migrator: Sendable {
    /// The role the hub runs as. It must exist, must not be a superuser or bypass RLS, and is
    /// granted exactly what the schema's policies allow.
    package var runtimeRole: String
    package var logger: Logger

    package static let defaultRuntimeRole = "tmws_app"
    static let lockKey: Int64 = 0x746D_7773_6D69_67  // "tmwsmig"

    package init(runtimeRole: String = Migrator.defaultRuntimeRole, logger: Logger = Logger(label: "tmws.migrate")) throws {
        guard runtimeRole.range(of: #"^[a-z_][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
            throw TMWSError(.invalidInput, "the runtime role name must be lower-case letters, digits and '_' (at most 63)", field: "runtime_role")
        }
        self.runtimeRole = runtimeRole
        self.logger = logger
    }

    /// The migrations this build knows, by version.
    package static var knownVersions: [Int] { HubSchema.migrations.map(\.version) }

    /// Applies what is missing; returns the versions applied by this run.
    @discardableResult
    package func migrate(on connection: PostgresConnection) async throws -> [Int] {
        try await checkRoles(on: connection)
        return try await run {
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                try await connection.query("CREATE SCHEMA IF NOT EXISTS tmws_meta", logger: logger)
                try await connection.query("REVOKE ALL ON SCHEMA tmws_meta FROM PUBLIC", logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS tmws_meta.migrations (
                        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                    """,
                    logger: logger
                )
                var applied = Set<Int>()
                for try await version in try await connection.query("SELECT version FROM tmws_meta.migrations", logger: logger)
                    .decode(Int.self)
                {
                    applied.insert(version)
                }
                if let newest = applied.max(), newest > Self.knownVersions.max() ?? 0 {
                    throw TMWSError(
                        .configuration,
                        "the database is at schema version \(newest), newer than this tmws knows (\(Self.knownVersions.max() ?? 0)): upgrade tmws"
                    )
                }
                var done: [Int] = []
                for migration in HubSchema.migrations where !applied.contains(migration.version) {
                    let sql = migration.sql.replacingOccurrences(of: "{runtime}", with: "\"\(runtimeRole)\"")
                    for statement in HubSchema.statements(sql) {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO tmws_meta.migrations (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger
                    )
                    done.append(migration.version)
                }
                try await connection.query("COMMIT", logger: logger)
                return done
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Whether GLOBAL search can use the full-text index under row-level security (the tsvector
    /// match marked leakproof, which only a superuser can do).
    package func searchUsesIndex(on connection: PostgresConnection) async throws -> Bool {
        try await run {
            for try await leakproof in try await connection.query(
                "SELECT proleakproof FROM pg_proc WHERE oid = 'pg_catalog.ts_match_vq(tsvector, tsquery)'::regprocedure", logger: logger
            ).decode(Bool.self) {
                return leakproof
            }
            return false
        }
    }

    /// The runtime role must be a plain role, and must not be the one migrating.
    func checkRoles(on connection: PostgresConnection) async throws {
        try await run {
            let rows = try await connection.query(
                "SELECT rolsuper, rolbypassrls, rolname = current_user FROM pg_roles WHERE rolname = \(runtimeRole)", logger: logger
            )
            var found = false
            for try await (superuser, bypass, isCurrent) in rows.decode((Bool, Bool, Bool).self) {
                found = true
                if isCurrent {
                    throw TMWSError(.configuration, "run migrations as the owner role, not as the runtime role \(runtimeRole)")
                }
                if superuser || bypass {
                    throw TMWSError(
                        .configuration,
                        "the runtime role \(runtimeRole) is a superuser or has BYPASSRLS: row-level security would not apply to the hub; use a plain role"
                    )
                }
            }
            if !found {
                throw TMWSError(
                    .configuration,
                    "the runtime role \(runtimeRole) does not exist: CREATE ROLE \(runtimeRole) LOGIN PASSWORD '…' NOSUPERUSER NOBYPASSRLS NOINHERIT"
                )
            }
        }
    }

    /// Turns PostgreSQL errors into configuration errors with the server's message.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as TMWSError {
            throw error
        } catch {
            throw TMWSError(.storage, "migration failed: \(PostgresErrors.describe(error))")
        }
    }
}
