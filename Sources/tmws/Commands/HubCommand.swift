import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import TMWSCore
import TMWSHTTPCommon
import TMWSHub
import TMWSHubDomain
import TMWSPostgres
import TMWSTLS

/// `tmws hub`: the cloud tier.
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Run and administer the cloud hub (HTTPS in front of PostgreSQL).",
        discussion: """
            Nodes never connect to PostgreSQL: the hub authenticates each device and sets its tenant \
            inside every transaction, and row-level security keeps tenants apart. Everything that \
            leaves a machine uses TLS 1.3 verified against a pinned CA.

            Start with 'tmws hub dev --dir DIR': a local PostgreSQL, certificates, migrations and a \
            running hub in one command.
            """,
        subcommands: [
            HubDev.self, HubServe.self, HubMigrate.self, HubAdminCommand.self, HubRolloutCommand.self, HubUsageCommand.self, HubArchiveCommand.self,
            HubDevCerts.self, HubPin.self,
        ]
    )
}

/// The options of commands that talk to the hub's database.
struct HubDatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "postgresql://user:password@host:port/db?sslrootcert=CA (default: TMWS_HUB_DATABASE_URL). TLS 1.3 with full verification is required.",
            valueName: "url"
        )
    )
    var databaseURL: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    func url() throws -> DatabaseURL {
        guard let text = databaseURL ?? ProcessInfo.processInfo.environment["TMWS_HUB_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw TMWSError(.configuration, "give the database URL with --database-url or TMWS_HUB_DATABASE_URL")
        }
        return try DatabaseURL(parsing: text)
    }

    /// Runs `body` on one connection, closed afterwards.
    func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await url().withConnection(logger: HubLogging.quiet("tmws.hub"), body)
    }
}

enum HubLogging {
    static func quiet(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }
}

struct HubMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the hub's schema (run as the role that will own the tables).",
        discussion: """
            Versioned and repeatable: only missing migrations run, in one transaction, and concurrent \
            runs wait for each other. The runtime role must already exist as a plain role (not a \
            superuser, no BYPASSRLS); it is granted exactly what the row-level security policies allow.
            """
    )

    @OptionGroup var database: HubDatabaseOptions

    @Option(help: ArgumentHelp("The role the hub runs as.", valueName: "role"))
    var runtimeRole = Migrator.defaultRuntimeRole

    func run() async throws {
        let migrator = try Migrator(runtimeRole: runtimeRole, logger: HubLogging.quiet("tmws.migrate"))
        let (applied, indexed) = try await database.withConnection { connection in
            (try await migrator.migrate(on: connection), try await migrator.searchUsesIndex(on: connection))
        }
        if database.json {
            struct Result: Encodable {
                var applied: [Int]
                var known: [Int]
                var searchUsesIndex: Bool
                enum CodingKeys: String, CodingKey {
                    case applied, known
                    case searchUsesIndex = "search_uses_index"
                }
            }
            try Terminal.printJSON(Result(applied: applied, known: Migrator.knownVersions, searchUsesIndex: indexed))
        } else {
            print(
                applied.isEmpty
                    ? "schema up to date (version \(Migrator.knownVersions.max() ?? 0))"
                    : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
        if !indexed {
            FileHandle.standardError.write(
                Data(
                    """
                    note: GLOBAL search cannot use the full-text index under row-level security until a superuser runs, in this database:
                      ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;

                    """.utf8))
        }
    }
}

struct HubDevCerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-certs",
        abstract: "Make a local CA and certificates for the hub and PostgreSQL (localhost, 127.0.0.1).",
        discussion: "Writes ca.crt, ca.key, hub.crt, hub.key, postgres.crt and postgres.key (keys mode 0600); existing files are kept."
    )

    @Option(help: ArgumentHelp("The directory to write them to.", valueName: "dir"))
    var out: String

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    func run() async throws {
        let certificates = DevCertificates(directory: URL(fileURLWithPath: out))
        let created = try certificates.createIfMissing()
        let files = Dictionary(uniqueKeysWithValues: DevCertificates.File.allCases.map { ($0.rawValue, certificates.path($0)) })
        if json {
            try Terminal.printJSON(["created": created ? "true" : "false"].merging(files) { $1 })
        } else {
            print(created ? "wrote certificates to \(out)" : "certificates already in \(out); kept")
        }
    }
}

/// The options of a running hub.
struct HubListenOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "port"))
    var port = 8443

    @OptionGroup var limits: ConnectionOptions

    @Option(help: ArgumentHelp("What the hub logs: trace, debug, info, notice, warning, error or critical (never memory content).", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical")
        }
    }
}

/// How often the hub reads every tenant's size for its gauges.
struct HubGaugeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Seconds between readings of every tenant's size for /metrics (reads every memory's and change's row, not their long values; 0: never; default 3600); reads of memories are written down every 300 s at most.",
            valueName: "seconds"))
    var usageInterval = 3_600

    func validate() throws {
        guard (0...86_400).contains(usageInterval) else { throw ValidationError("--usage-interval must be between 0 and 86400 seconds") }
    }

    var interval: Duration? { usageInterval == 0 ? nil : .seconds(usageInterval) }
}

/// The connection limits of a server (`tmws serve`, the hub).
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The most connections open at once; more wait to be accepted (default 4096).", valueName: "n"))
    var maxConnections = 4_096

    @Option(
        help: ArgumentHelp(
            "Seconds before a connection that sends no complete request is closed (idle, TLS handshake, headers; default 30).", valueName: "seconds"))
    var idleTimeout = 30

    func validate() throws {
        guard (16...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections must be between 16 and 1000000") }
        guard (1...3_600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 1 and 3600 seconds") }
    }

    var limits: ConnectionLimits { ConnectionLimits(maximumConnections: maxConnections, idleTimeout: .seconds(idleTimeout)) }
}

struct HubServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the hub's HTTPS API (TLS 1.3 only), as the runtime database role.",
        discussion: """
            Routes: GET /health, GET /openapi.json, POST /v1/enroll, GET /v1/identity, GET /v1/teams, \
            GET /v1/memories/{id}, POST /v1/search. Several hub processes can serve one database. \
            Stops gracefully on SIGINT and SIGTERM.
            """
    )

    @OptionGroup var database: HubDatabaseOptions
    @OptionGroup var listen: HubListenOptions
    @OptionGroup var gauges: HubGaugeOptions

    @Option(help: ArgumentHelp("The hub's certificate chain, PEM (default: TMWS_HUB_TLS_CERT).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The hub's private key, PEM (default: TMWS_HUB_TLS_KEY).", valueName: "file"))
    var tlsKey: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let certificate = tlsCert ?? environment["TMWS_HUB_TLS_CERT"], let key = tlsKey ?? environment["TMWS_HUB_TLS_KEY"] else {
            throw TMWSError(.configuration, "the hub serves HTTPS only: give --tls-cert and --tls-key (or TMWS_HUB_TLS_CERT and TMWS_HUB_TLS_KEY)")
        }
        let host = listen.host
        try await HubRunner.run(
            databaseURL: try database.url(), host: host, port: listen.port, certificate: certificate, key: key, limits: listen.limits.limits,
            logLevel: Logger.Level(rawValue: listen.logLevel) ?? .info, usageInterval: gauges.interval,
            ready: { port in
                "tmws hub: listening on https://\(host):\(port)\n"
            }
        )
    }
}

struct HubDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "A hub on this machine in one command: PostgreSQL, certificates, migrations, the hub.",
        discussion: """
            Creates (or reuses) a PostgreSQL cluster in DIR from the installed binaries (TLS 1.3 only, \
            hostssl lines only; as the postgres user when run as root), development certificates, \
            the schema, and runs the hub. When ready it prints one JSON line on standard output: \
            hub_url, ca_file, database_url (the owner's URL, usable as is with psql and with 'tmws hub \
            admin --database-url'), runtime_database_url and pin (the hub key's pin for 'tmws cloud \
            enroll --pin'). Runs until SIGINT or SIGTERM, then stops \
            the hub and PostgreSQL.
            """
    )

    @Option(help: ArgumentHelp("The directory for the cluster, certificates and credentials.", valueName: "dir"))
    var dir: String

    @Option(help: ArgumentHelp("The hub's port (0: any free port).", valueName: "port"))
    var port = 8443

    @Option(help: ArgumentHelp("PostgreSQL's port for a new cluster (0: any free port).", valueName: "port"))
    var postgresPort = 0

    @OptionGroup var limits: ConnectionOptions
    @OptionGroup var gauges: HubGaugeOptions

    @Option(help: ArgumentHelp("What the hub logs (trace … critical; never memory content).", valueName: "level"))
    var logLevel = "info"

    func run() async throws {
        let cluster = LocalCluster(directory: URL(fileURLWithPath: dir), logger: HubLogging.quiet("tmws.hub.dev"))
        let credentials = try await cluster.start(port: postgresPort)
        do {
            let owner = cluster.ownerURL(credentials)
            let connection = try await owner.connect(logger: HubLogging.quiet("tmws.migrate"))
            do {
                try await Migrator(logger: HubLogging.quiet("tmws.migrate")).migrate(on: connection)
                await connection.closeAndWait()
            } catch {
                await connection.closeAndWait()
                throw error
            }
            let runtime = cluster.runtimeURL(credentials)
            let certificates = cluster.certificates
            try await HubRunner.run(
                databaseURL: runtime, host: "127.0.0.1", port: port, certificate: certificates.path(.hubCertificate), key: certificates.path(.hubKey),
                limits: limits.limits, logLevel: Logger.Level(rawValue: logLevel) ?? .info, usageInterval: gauges.interval,
                ready: { port in
                    var line: [String: String] = [
                        "hub_url": "https://127.0.0.1:\(port)", "ca_file": certificates.path(.caCertificate),
                        "database_url": owner.urlString, "runtime_database_url": runtime.urlString,
                    ]
                    // What `tmws cloud enroll --pin` takes.
                    if let pem = try? String(contentsOfFile: certificates.path(.hubCertificate), encoding: .utf8),
                        let pin = try? PublicKeyPin(certificatePEM: pem)
                    {
                        line["pin"] = pin.description
                    }
                    let data = (try? JSONEncoder.tmws().encode(line)) ?? Data()
                    return String(decoding: data, as: UTF8.self) + "\n"
                }
            )
        } catch {
            try? cluster.stop()
            throw error
        }
        try cluster.stop()
    }
}

/// Runs the hub (pool and HTTPS server) in one ServiceGroup until SIGINT or SIGTERM.
enum HubRunner {
    static func run(
        databaseURL: DatabaseURL, host: String, port: Int, certificate: String, key: String, limits: ConnectionLimits, logLevel: Logger.Level,
        usageInterval: Duration?, ready: @escaping @Sendable (Int) -> String
    ) async throws {
        // The hub's own log (standard error): start, stop, refusals and database failures by
        // code; libraries stay at warnings. Never memory content or credentials.
        let logger = {
            var logger = Logger(label: "tmws.hub")
            logger.logLevel = logLevel
            return logger
        }()
        let quiet = HubLogging.quiet("tmws.hub.io")
        let database = try await HubDatabase.connect(url: databaseURL, logger: logger)
        Telemetry.bootstrap()
        let store = HubStore(database: database, logger: logger)
        var api = HubAPI(store: store)
        api.metrics = { Telemetry.render() }
        let app = try HubServer.application(
            api: api, host: host, port: port, certificateFile: certificate, keyFile: key, limits: limits, logger: quiet,
            onRunning: { port in
                logger.info("listening", metadata: ["port": "\(port)", "max_connections": "\(limits.maximumConnections)"])
                FileHandle.standardOutput.write(Data(ready(port).utf8))
            }
        )
        // Services stop in reverse order: the server and the housekeeping first, then the
        // database pool. Reads are written down every interval (5 minutes without the gauges).
        let housekeeping = HubHousekeeping(
            store: store, interval: min(usageInterval ?? .seconds(300), .seconds(300)), gaugeInterval: usageInterval, logger: logger)
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: database.client), .init(service: app), .init(service: housekeeping)]
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
        do {
            try await group.run()
            logger.info("stopped")
        } catch let error as IOError {
            throw ServeCommand.listenError(error, host: host, port: port)
        }
    }
}

/// `tmws hub pin CERT`: the public-key pin nodes give `tmws cloud enroll --pin`.
struct HubPin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Print the public-key pin of the hub's certificate (for 'tmws cloud enroll --pin').",
        discussion:
            "The pin is sha256/ and the base64 SHA-256 of the certificate's public key, as curl's --pinnedpubkey takes it; it stays the same when the certificate is renewed with the same key."
    )

    @Argument(help: ArgumentHelp("The hub's certificate (PEM), as given to 'tmws hub serve --tls-cert'.", valueName: "file"))
    var certificate: String

    func run() throws {
        guard let pem = try? String(contentsOfFile: certificate, encoding: .utf8) else {
            throw TMWSError(.invalidInput, "cannot read the certificate \(certificate)", field: "certificate")
        }
        do {
            print(try PublicKeyPin(certificatePEM: pem).description)
        } catch {
            throw TMWSError(.invalidInput, "\(certificate) is not a PEM certificate", field: "certificate")
        }
    }
}
