import Foundation
import Logging
import PostgresNIO
import TMWSCore
import TMWSHubDomain
import TMWSTLS

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL 15 cluster in a directory, from the installed binaries, set up the way the hub
/// needs it in production (`tmws hub dev`, and the integration tests): TLS 1.3 only, only
/// `hostssl` lines in `pg_hba.conf` (everything else rejected), SCRAM passwords, and three
/// roles: the superuser (used only here, to create the others), the owner that runs
/// migrations and administration, and the runtime role the hub runs as.
///
/// PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` user.
package struct LocalCluster: Sendable {
    package struct Credentials: Codable, Sendable {
        package var port: Int
        package var superuserPassword: String
        package var ownerPassword: String
        package var runtimePassword: String

        enum CodingKeys: String, CodingKey {
            case port
            case superuserPassword = "superuser_password"
            case ownerPassword = "owner_password"
            case runtimePassword = "runtime_password"
        }
    }

    package static let database = "tmws"
    package static let ownerRole = "tmws_owner"
    package static let runtimeRole = Migrator.defaultRuntimeRole
    static let superuser = "postgres"

    package let directory: URL
    package let logger: Logger
    /// Lines appended to `postgresql.conf` after TMWS's (they win): for tests that need a
    /// server set up wrongly on purpose.
    let extraSettings: String

    package init(directory: URL, logger: Logger = Logger(label: "tmws.postgres.dev")) {
        self.init(directory: directory, logger: logger, extraSettings: "")
    }

    init(directory: URL, logger: Logger, extraSettings: String) {
        self.directory = directory.standardizedFileURL
        self.logger = logger
        self.extraSettings = extraSettings
    }

    var dataDirectory: URL { directory.appendingPathComponent("pgdata") }
    var credentialsFile: URL { directory.appendingPathComponent("credentials.json") }
    package var certificates: DevCertificates { DevCertificates(directory: directory.appendingPathComponent("certs")) }
    package var serverLog: String { dataDirectory.appendingPathComponent("server.log").path }

    /// The owner's URL (migrations, administration).
    package func ownerURL(_ credentials: Credentials) -> DatabaseURL {
        url(credentials.port, Self.ownerRole, credentials.ownerPassword)
    }

    /// The runtime role's URL (the hub).
    package func runtimeURL(_ credentials: Credentials) -> DatabaseURL {
        url(credentials.port, Self.runtimeRole, credentials.runtimePassword)
    }

    func superuserURL(_ credentials: Credentials) -> DatabaseURL {
        url(credentials.port, Self.superuser, credentials.superuserPassword)
    }

    private func url(_ port: Int, _ user: String, _ password: String) -> DatabaseURL {
        DatabaseURL(
            host: "127.0.0.1", port: port, username: user, password: password, database: Self.database,
            rootCertificate: certificates.path(.caCertificate)
        )
    }

    /// Creates the cluster unless it exists, starts it, and creates the roles and database on
    /// first start. Returns the credentials (also kept, mode 0600, in the directory).
    ///
    /// - Parameter port: the port for a new cluster; an existing one keeps its port.
    package func start(port: Int = 0) async throws -> Credentials {
        let binaries = try Self.binaries()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The postgres user must be able to reach its data directory through this one.
        try FileManager.default.setAttributes([.posixPermissions: 0o711], ofItemAtPath: directory.path)
        try certificates.createIfMissing()
        let fresh = !FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
        var credentials: Credentials
        if fresh {
            credentials = Credentials(
                port: port == 0 ? try Self.freePort() : port, superuserPassword: Self.randomSecret(), ownerPassword: Self.randomSecret(),
                runtimePassword: Self.randomSecret()
            )
            try initialize(binaries, credentials)
            try save(credentials)
        } else {
            credentials = try load()
        }
        try run(binaries.appendingPathComponent("pg_ctl").path, ["-D", dataDirectory.path, "-l", serverLog, "-w", "-t", "60", "start"], what: "pg_ctl start")
        if fresh {
            try await createRoles(credentials)
        }
        return credentials
    }

    /// Stops the server (fast shutdown: open transactions roll back).
    package func stop() throws {
        let binaries = try Self.binaries()
        guard FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("postmaster.pid").path) else { return }
        try run(binaries.appendingPathComponent("pg_ctl").path, ["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"], what: "pg_ctl stop")
    }

    // MARK: - Set-up

    private func initialize(_ binaries: URL, _ credentials: Credentials) throws {
        let passwordFile = directory.appendingPathComponent("initdb.pw")
        try Data(credentials.superuserPassword.utf8).write(to: passwordFile)
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dataDirectory.path)
        try handToServerUser(dataDirectory.path)
        try handToServerUser(passwordFile.path)
        try run(
            binaries.appendingPathComponent("initdb").path,
            [
                "-D", dataDirectory.path, "-U", Self.superuser, "--pwfile", passwordFile.path, "--auth", "scram-sha-256",
                "--encoding", "UTF8", "--locale", "C.UTF-8",
            ],
            what: "initdb"
        )
        // The server's certificate and key, owned by the server's user (it refuses a key others can read).
        for (file, name) in [(DevCertificates.File.postgresCertificate, "server.crt"), (.postgresKey, "server.key")] {
            let target = dataDirectory.appendingPathComponent(name).path
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: certificates.path(file), toPath: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
            try handToServerUser(target)
        }
        let settings = """

            # Written by tmws hub dev: TLS 1.3 only, loopback only.
            listen_addresses = '127.0.0.1'
            port = \(credentials.port)
            unix_socket_directories = ''
            ssl = on
            ssl_cert_file = 'server.crt'
            ssl_key_file = 'server.key'
            ssl_min_protocol_version = 'TLSv1.3'
            password_encryption = 'scram-sha-256'
            max_connections = 100
            fsync = on
            \(extraSettings)

            """
        let configuration = dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: configuration)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        try handle.close()
        let hba = """
            # Written by tmws hub dev: TLS connections with SCRAM passwords only.
            hostssl all all 127.0.0.1/32 scram-sha-256
            hostnossl all all 0.0.0.0/0 reject
            hostnossl all all ::/0 reject

            """
        try Data(hba.utf8).write(to: dataDirectory.appendingPathComponent("pg_hba.conf"))
        try handToServerUser(dataDirectory.appendingPathComponent("pg_hba.conf").path)
    }

    private func createRoles(_ credentials: Credentials) async throws {
        // The database does not exist yet: connect to 'postgres'.
        var admin = superuserURL(credentials)
        admin.database = "postgres"
        let connection = try await admin.connect(logger: logger)
        do {
            // Passwords are random hex (checked), so they can be written into these statements,
            // which take no bind parameters.
            for password in [credentials.ownerPassword, credentials.runtimePassword] {
                precondition(password.allSatisfy(\.isHexDigit))
            }
            let statements = [
                // The owner runs migrations and administration across tenants.
                "CREATE ROLE \(Self.ownerRole) LOGIN PASSWORD '\(credentials.ownerPassword)' NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE",
                "CREATE ROLE \(Self.runtimeRole) LOGIN PASSWORD '\(credentials.runtimePassword)' NOSUPERUSER NOBYPASSRLS NOINHERIT NOCREATEDB NOCREATEROLE",
                "CREATE DATABASE \(Self.database) OWNER \(Self.ownerRole)",
                "REVOKE ALL ON DATABASE \(Self.database) FROM PUBLIC",
                "GRANT CONNECT ON DATABASE \(Self.database) TO \(Self.runtimeRole)",
            ]
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            await connection.closeAndWait()
        } catch {
            await connection.closeAndWait()
            throw TMWSError(.storage, "setting up roles failed: \(PostgresErrors.describe(error))")
        }
        // Row-level security keeps a query's own conditions from running before the policies
        // unless they are leakproof, so `search @@ query` could not use the full-text index
        // (measured at 10,000 memories: a scan of the tenant's rows, 39 ms instead of a few).
        // The tsvector match returns a boolean and raises no error for any input: a superuser
        // marks it leakproof, per database (see README «Run a hub» for production).
        let superuser = try await superuserURL(credentials).connect(logger: logger)
        do {
            try await superuser.query("ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF", logger: logger)
            // Large objects are not the hub's, and one the runtime role creates is one the
            // owner cannot read: the owner's pg_dump then fails. Nobody but a superuser makes one.
            try await superuser.query(PostgresQuery(unsafeSQL: Self.revokeLargeObjects), logger: logger)
            await superuser.closeAndWait()
        } catch {
            await superuser.closeAndWait()
            throw TMWSError(.storage, "marking the full-text match leakproof failed: \(PostgresErrors.describe(error))")
        }
        // PostgreSQL 15 no longer lets PUBLIC create in schema public; make sure of it.
        let owner = try await ownerURL(credentials).connect(logger: logger)
        do {
            try await owner.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC", logger: logger)
            await owner.closeAndWait()
        } catch {
            await owner.closeAndWait()
        }
    }

    private func save(_ credentials: Credentials) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(credentials)
        guard FileManager.default.createFile(atPath: credentialsFile.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw TMWSError(.io, "cannot write \(credentialsFile.path)")
        }
    }

    private func load() throws -> Credentials {
        do {
            return try JSONDecoder().decode(Credentials.self, from: Data(contentsOf: credentialsFile))
        } catch {
            throw TMWSError(.configuration, "\(directory.path) holds a cluster but no readable credentials.json; remove the directory to start afresh")
        }
    }

    // MARK: - Processes

    /// The directory of the PostgreSQL server binaries: `TMWS_PG_BINDIR`, else Debian's.
    static func binaries() throws -> URL {
        let candidates = [
            ProcessInfo.processInfo.environment["TMWS_PG_BINDIR"], "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin",
        ]
        for case let candidate? in candidates where FileManager.default.isExecutableFile(atPath: candidate + "/pg_ctl") {
            return URL(fileURLWithPath: candidate)
        }
        throw TMWSError(
            .configuration,
            "PostgreSQL server binaries not found (looked for pg_ctl in /usr/lib/postgresql/15/bin): install postgresql-15 or set TMWS_PG_BINDIR"
        )
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// What a superuser runs once per hub database (README «Run a hub»): the functions that
    /// create large objects, revoked from PUBLIC.
    package static let revokeLargeObjects = """
        REVOKE EXECUTE ON FUNCTION pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer),
            pg_catalog.lo_from_bytea(oid, bytea), pg_catalog.lo_import(text), pg_catalog.lo_import(text, oid) FROM PUBLIC
        """

    /// As root, gives a path to the `postgres` user (the server refuses to run as root).
    private func handToServerUser(_ path: String) throws {
        guard Self.isRoot else { return }
        guard let user = getpwnam("postgres") else {
            throw TMWSError(.configuration, "running as root needs a 'postgres' system user to run PostgreSQL as")
        }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw TMWSError(.io, "cannot give \(path) to the postgres user")
        }
    }

    /// Runs a PostgreSQL tool (as `postgres` when root) and fails with its output.
    ///
    /// Uses `posix_spawn` and `waitpid` with the output in a file: Foundation's `Process`
    /// never reported the exit of `pg_ctl start`, whose server lives on as an orphan.
    private func run(_ executable: String, _ arguments: [String], what: String) throws {
        let command = Self.isRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let outputPath = directory.appendingPathComponent("\(what.replacingOccurrences(of: " ", with: "-")).out").path
        let status = try Self.spawnAndWait(command, outputPath: outputPath)
        let text = ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try? FileManager.default.removeItem(atPath: outputPath)
        guard status == 0 else {
            var hint = ""
            if Self.isRoot, text.contains("Permission denied") {
                hint =
                    " (as root the cluster runs as the postgres user, which must be able to reach \(directory.path): choose a directory under /tmp or /var/lib)"
            }
            if what == "pg_ctl start", let log = try? String(contentsOfFile: serverLog, encoding: .utf8) {
                hint += "\nserver log:\n" + log.split(separator: "\n").suffix(10).joined(separator: "\n")
            }
            throw TMWSError(.io, "\(what) failed (exit \(status)): \(text.suffix(2000))\(hint)")
        }
    }

    /// Spawns `command` with standard input from /dev/null and output to `outputPath`; returns its exit status.
    static func spawnAndWait(_ command: [String], outputPath: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, arguments, environ)
        guard spawned == 0 else {
            throw TMWSError(.io, "cannot run \(command[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw TMWSError(.io, "lost track of \(command[0])") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// A port nobody listens on now (bound and released).
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw TMWSError(.io, "cannot open a socket to find a free port") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) }
        }
        guard bound == 0 else { throw TMWSError(.io, "cannot bind a socket to find a free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
