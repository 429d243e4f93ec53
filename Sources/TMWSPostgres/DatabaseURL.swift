import Foundation
import Logging
import NIOSSL
import PostgresNIO
import TMWSCore
import TMWSHubDomain
import TMWSTLS

/// A libpq connection URL, `postgresql://user:password@host:port/database?sslmode=verify-full&sslrootcert=/path/ca.crt`,
/// held to TMWS's rule: TLS 1.3, verified against the CA in `sslrootcert`. The same string
/// works with `psql`.
package struct DatabaseURL: Sendable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String
    /// The CA that signed the server's certificate.
    package var rootCertificate: String

    package init(host: String, port: Int, username: String, password: String?, database: String, rootCertificate: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.rootCertificate = rootCertificate
    }

    /// Parses a URL. Anything short of full verification is refused: `sslmode` must be
    /// `verify-full` (the default when absent) and `sslrootcert` must name the CA file.
    package init(parsing text: String) throws {
        func bad(_ why: String) -> TMWSError {
            TMWSError(.configuration, "database URL: \(why)", field: "database_url")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgresql", "postgres"].contains(scheme)
        else {
            throw bad("expected postgresql://user:password@host:port/database?sslrootcert=/path/ca.crt")
        }
        guard let host = components.host, !host.isEmpty else { throw bad("no host") }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else { throw bad("no user name") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw bad("no database name after the host") }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            query[item.name] = item.value ?? ""
        }
        let mode = query["sslmode"] ?? "verify-full"
        guard mode == "verify-full" else {
            throw bad("sslmode=\(mode) is refused: the hub talks to PostgreSQL only over TLS verified against a pinned CA (sslmode=verify-full)")
        }
        guard let root = query["sslrootcert"], !root.isEmpty else {
            throw bad("sslrootcert= must name the CA file that signed the server's certificate")
        }
        let unknown = Set(query.keys).subtracting(["sslmode", "sslrootcert", "application_name", "connect_timeout"])
        guard unknown.isEmpty else { throw bad("unsupported parameter \(unknown.sorted().joined(separator: ", "))") }
        self.init(
            host: host, port: components.port ?? 5432, username: user,
            password: components.percentEncodedPassword?.removingPercentEncoding, database: database, rootCertificate: root
        )
    }

    /// The URL, with the password percent-encoded (libpq's form).
    package var urlString: String {
        var components = URLComponents()
        components.scheme = "postgresql"
        components.host = host
        components.port = port
        components.user = username
        components.password = password
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: "verify-full"), URLQueryItem(name: "sslrootcert", value: rootCertificate)]
        return components.string ?? ""
    }

    /// The URL without its password, for messages and logs.
    package var description: String {
        "postgresql://\(username)@\(host):\(port)/\(database)?sslmode=verify-full&sslrootcert=\(rootCertificate)"
    }

    /// The same server and database as another user.
    package func with(username: String, password: String?) -> DatabaseURL {
        var copy = self
        copy.username = username
        copy.password = password
        return copy
    }

    /// Client TLS: version 1.3 only, the server's name or address checked, trusting only `sslrootcert`.
    package func tlsConfiguration() throws -> TLSConfiguration {
        do {
            return try TLSPolicy.client(caFile: rootCertificate)
        } catch let error as TLSSetupError {
            throw TMWSError(.configuration, "database URL: \(error.description)", field: "database_url")
        }
    }

    /// The pool's configuration (TLS required).
    package func clientConfiguration(maximumConnections: Int = 20) throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .require(try tlsConfiguration())
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// One connection's configuration (TLS required).
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: try tlsConfiguration())
        } catch let error as TMWSError {
            throw error
        } catch {
            throw TMWSError(.configuration, "database URL: cannot set up TLS with \(rootCertificate)", field: "database_url")
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .require(context)
        )
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// Opens one connection at once, so a refusal (plaintext server, old TLS, unknown CA, bad
    /// password) is reported now and plainly. postgres-nio's pool reports such failures only
    /// after about a minute, as a circuit-breaker error.
    package func connect(logger: Logger = Logger(label: "tmws.postgres")) async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: try connectionConfiguration(), id: 1, logger: logger)
        } catch let error as TMWSError {
            throw error
        } catch {
            throw TMWSError(.io, "cannot connect to \(self): \(PostgresErrors.describe(error))")
        }
    }

    /// Runs `body` on a connection of its own, closed afterwards whatever happens.
    package func withConnection<T>(logger: Logger = Logger(label: "tmws.postgres"), _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await connect(logger: logger)
        do {
            let result = try await body(connection)
            await connection.closeAndWait()
            return result
        } catch {
            await connection.closeAndWait()
            throw error
        }
    }
}

/// Readable, content-free descriptions of postgres-nio and NIOSSL errors.
package enum PostgresErrors {
    package static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + code
            }
            if let underlying = error.underlying {
                return describe(underlying)
            }
            switch error.code {
            case .sslUnsupported: return "the server does not offer TLS, and TMWS never connects without it"
            case .connectionError: return "connection failed"
            default: return "\(error.code)"
            }
        }
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS handshake failed: the server's certificate is not signed by the pinned CA (or names another host)"
        }
        if text.contains("PROTOCOL_VERSION") || text.contains("UNSUPPORTED_PROTOCOL") {
            return "TLS handshake failed: the server does not speak TLS 1.3"
        }
        if text.contains("Connection refused") || text.contains("connectionRefused") {
            return "connection refused (is PostgreSQL running on that port?)"
        }
        return error is NIOSSLError ? "TLS handshake failed: \(text)" : text
    }
}
