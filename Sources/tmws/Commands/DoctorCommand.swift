import ArgumentParser
import Foundation
import TMWSCore
import TMWSHost
import TMWSSQLite

/// `tmws doctor`.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show the effective configuration and check the database.",
        discussion: """
            Prints every setting with its source (flag, environment, config file or default; secrets \
            masked), the database path and size, and runs the checks: SQLite integrity, the full-text \
            index against the memory table, the audit log's hash chain, and the hybrid clock (no \
            memory, queued change or stored reading far ahead of the wall clock). Exits 1 when a \
            check fails.

            --repair fixes what can be fixed in place: clocks left far in the future by a pulled \
            change (nodes before the bounds on peers' clocks took any) get fresh readings.
            """
    )

    @Flag(help: "Repair what can be repaired in place (a hybrid clock left far in the future).") var repair = false
    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        struct Setting: Encodable {
            var key: String
            var env: String
            var value: String
            var source: String
        }

        struct Check: Encodable {
            var name: String
            var ok: Bool
            var detail: String
        }

        var ok: Bool
        var version: String
        var configuration: [Setting]
        var namespace: String
        var namespaceSource: String
        var databasePath: String
        var databaseBytes: Int64
        var sqliteVersion: String
        var checks: [Check]
        /// Problems that do not fail the check, such as files other users can read.
        var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case ok, version, configuration, namespace, checks, warnings
            case namespaceSource = "namespace_source"
            case databasePath = "database_path"
            case databaseBytes = "database_bytes"
            case sqliteVersion = "sqlite_version"
        }
    }

    /// Variables read outside the settings table (the hub, keys, tests).
    static let otherVariables: Set<String> = [
        "TMWS_HOME", "TMWS_HUB_DATABASE_URL", "TMWS_HUB_TLS_CERT", "TMWS_HUB_TLS_KEY", "TMWS_KEY_COMMAND", "TMWS_KEY_PASSPHRASE",
        "TMWS_ENROLL_TOKEN", "TMWS_PG_BINDIR", "TMWS_BINARY", "TMWS_CONVERGENCE_RUNS",
    ]

    /// A warning for each `TMWS_*` variable that nothing reads (a typo is otherwise silently
    /// ignored), with the closest known name when one is near.
    static func unknownVariables(in environment: [String: String], known settings: Set<String>) -> [String] {
        let known = settings.union(otherVariables)
        return environment.keys.filter { $0.hasPrefix("TMWS_") && !known.contains($0) }.sorted().map { name in
            let nearest = known.map { ($0, editDistance(name, $0)) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
            let hint = nearest.flatMap { $0.1 <= 3 ? " (did you mean \($0.0)?)" : nil } ?? ""
            return "\(name) is not a TMWS variable and is ignored\(hint)"
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let (a, b) = (Array(a.utf8), Array(b.utf8))
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    func run() async throws {
        let context = try AppContext(options: global)
        let configuration = context.configuration
        let namespace: (Namespace, String) =
            configuration.namespace.map { ($0, "configured") }
            ?? NamespaceDetector().detect(in: FileManager.default.currentDirectoryPath)
        // Before the store opens: opening narrows the database files to 0600.
        let exposed = DatabaseFiles.exposed(database: configuration.databasePath, home: configuration.home)
        let warnings = exposed.map { file in
            file.hasPrefix(configuration.home + " ")
                ? "\(file) can be read or entered by other users: run chmod 700 on it"
                : "\(file) was readable by other users; its mode is now 0600"
        }
        let unknownVariables = Self.unknownVariables(
            in: ProcessInfo.processInfo.environment, known: Set(context.resolved.settings.map(\.environmentVariable))
        )
        let store = try await context.openStore()
        var report = try await store.checkIntegrity()
        let clock = try await store.checkClock(repair: repair)
        report.checks.append(
            .init(
                name: "hybrid clock", ok: clock.ok || repair,
                detail: clock.ok
                    ? "ok"
                    : "\(clock.storedClockAhead ? "the stored clock, " : "")\(clock.memoriesAhead) memories and \(clock.eventsAhead) queued changes "
                        + "were far ahead of the wall clock" + (repair ? "; repaired" : " (run tmws doctor --repair)")
            ))
        let output = Output(
            ok: report.ok,
            version: TMWSCommand.version,
            configuration: context.resolved.settings.map {
                .init(key: $0.key, env: $0.environmentVariable, value: $0.value, source: $0.source.rawValue)
            },
            namespace: namespace.0.rawValue,
            namespaceSource: namespace.1,
            databasePath: configuration.databasePath,
            databaseBytes: store.fileSize(),
            sqliteVersion: try await store.sqliteVersion(),
            checks: report.checks.map { .init(name: $0.name, ok: $0.ok, detail: $0.detail) },
            warnings: warnings + unknownVariables
        )
        if global.json {
            try Terminal.printJSON(output)
        } else {
            var settings = TextTable("SETTING", "VALUE", "SOURCE", "ENVIRONMENT")
            for setting in output.configuration {
                settings.append([setting.key, setting.value, setting.source, setting.env])
            }
            print(settings.render())
            print(
                """

                namespace here: \(output.namespace) (\(output.namespaceSource))
                database:       \(output.databasePath) (\(output.databaseBytes) bytes, SQLite \(output.sqliteVersion))

                """)
            for check in output.checks {
                print("\(check.ok ? "ok  " : "FAIL") \(check.name): \(check.detail)")
            }
            for warning in output.warnings {
                print("WARN \(warning)")
            }
        }
        if !report.ok {
            throw ExitCode(ExitStatus.failure)
        }
    }
}
