import ArgumentParser
import Foundation
import TMWSCore
import TMWSHubDomain
import TMWSPostgres

/// `tmws hub rollout`: who gets hybrid mode, in stages, and rollback one command away.
struct HubRolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Roll hybrid mode out to a tenant's users in stages, and back (on the hub's host, as the owner role).",
        discussion: """
            Nodes fetch their user's decision with every sync. In order: rollback-all and a user's rollback turn sync off; then the hub-wide switch (set --hybrid off); then beta users are in; then a user is in the canary when their bucket (SHA-256 of the user id as an integer, mod 100: the same on every machine) is below the percentage. A node that is out stays local-only and loses nothing: its changes wait in the outbox and go out when it is in again. Every change is recorded in the tenant's audit log.

            Examples:
              tmws hub rollout set-percent 10 --tenant acme
              tmws hub rollout beta add ann --tenant acme
              tmws hub rollout rollback-all --tenant acme
              tmws hub rollout restore --tenant acme
              tmws hub rollout bucket 0b7c…-user-id --json
            """,
        subcommands: [Status.self, SetSettings.self, SetPercent.self, Beta.self, Rollback.self, RollbackAll.self, Restore.self, Bucket.self]
    )

    struct TenantOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @OptionGroup var database: HubDatabaseOptions
    }

    static func apply(_ options: TenantOptions, _ change: HubAdmin.RolloutChange?) async throws {
        let status = try await options.database.withConnection { connection in
            let admin = HubAdmin(connection: connection)
            if let change { return try await admin.changeRollout(tenant: options.tenant, change) }
            return try await admin.rolloutStatus(tenant: options.tenant)
        }
        if options.database.json { return try Terminal.printJSON(status) }
        let rollout = status.rollout
        var table = TextTable("ROLLOUT", "VALUE")
        table.append(["hybrid mode (hub-wide)", rollout.hybridEnabled ? "on" : "off"])
        table.append(["canary", "\(rollout.percent) %"])
        table.append(["beta users", status.beta.isEmpty ? "none" : status.beta.joined(separator: ", ")])
        table.append(["rolled back", rollout.rollbackAll ? "everyone" : status.rolledBack.isEmpty ? "nobody" : status.rolledBack.joined(separator: ", ")])
        table.append(["default scope", rollout.defaultScope.rawValue])
        table.append(["sync interval", "\(rollout.syncIntervalSeconds) s"])
        table.append(["users in hybrid mode", "\(status.enabledUsers) of \(status.users)"])
        print(table.render())
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The tenant's rollout and how many users it lets in.")
        @OptionGroup var options: TenantOptions
        func run() async throws { try await HubRolloutCommand.apply(options, nil) }
    }

    struct SetSettings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change the hub-wide switch, the canary, the default scope or the sync interval."
        )
        @Option(help: ArgumentHelp("Hybrid mode for the tenant: on or off.", valueName: "on|off")) var hybrid: String?
        @Option(help: ArgumentHelp("The canary percentage, 0 to 100.", valueName: "n")) var percent: Int?
        @Option(name: .customLong("default-scope"), help: ArgumentHelp("The scope nodes should default to.", valueName: "scope")) var defaultScope: String?
        @Option(name: .customLong("sync-interval"), help: ArgumentHelp("Seconds between syncs of a running node (1 to 86400).", valueName: "s"))
        var syncInterval: Int?
        @OptionGroup var options: TenantOptions

        func validate() throws {
            if let hybrid, !["on", "off"].contains(hybrid) { throw ValidationError("--hybrid is on or off") }
            if hybrid == nil && percent == nil && defaultScope == nil && syncInterval == nil { throw ValidationError("give at least one setting to change") }
        }

        func run() async throws {
            try await HubRolloutCommand.apply(
                options,
                .settings(
                    hybridEnabled: hybrid.map { $0 == "on" }, percent: percent, defaultScope: try defaultScope.map(MemoryScope.init(parsing:)),
                    syncIntervalSeconds: syncInterval
                ))
        }
    }

    struct SetPercent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-percent", abstract: "Set the canary percentage (0 to 100).")
        @Argument(help: ArgumentHelp("The percentage.", valueName: "n")) var percent: Int
        @OptionGroup var options: TenantOptions
        func run() async throws {
            try await HubRolloutCommand.apply(options, .settings(hybridEnabled: nil, percent: percent, defaultScope: nil, syncIntervalSeconds: nil))
        }
    }

    struct Beta: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Beta users are in whatever the canary says.", subcommands: [Add.self, Remove.self]
        )

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make a user a beta user.")
            @Argument(help: ArgumentHelp("The user (name or id).", valueName: "user")) var user: String
            @OptionGroup var options: TenantOptions
            func run() async throws { try await HubRolloutCommand.apply(options, .beta(user: user, on: true)) }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make a beta user an ordinary one again.")
            @Argument(help: ArgumentHelp("The user (name or id).", valueName: "user")) var user: String
            @OptionGroup var options: TenantOptions
            func run() async throws { try await HubRolloutCommand.apply(options, .beta(user: user, on: false)) }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make one user's nodes local-only (their changes wait in the outbox).")
        @Argument(help: ArgumentHelp("The user (name or id).", valueName: "user")) var user: String
        @OptionGroup var options: TenantOptions
        func run() async throws { try await HubRolloutCommand.apply(options, .rollback(user: user)) }
    }

    struct RollbackAll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rollback-all", abstract: "Make every node of the tenant local-only.")
        @OptionGroup var options: TenantOptions
        func run() async throws { try await HubRolloutCommand.apply(options, .rollbackAll) }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Undo rollback-all and every user's rollback: nodes sync again and flush what waited.")
        @OptionGroup var options: TenantOptions
        func run() async throws { try await HubRolloutCommand.apply(options, .restore) }
    }

    struct Bucket: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A user's canary bucket (0–99): by id (no database needed), or by name with --tenant.",
            discussion: """
                The bucket is SHA-256 of the user's id (a UUID), so a name is first looked up in the tenant \
                (--tenant and the database URL, as for the other rollout commands). The answer says which \
                id was hashed. With --stdin, one user per line in, one line per user out (`ID BUCKET`, or \
                JSON lines with --json).
                """
        )
        @Argument(help: ArgumentHelp("The user: an id, or a name with --tenant.", valueName: "user")) var user: String?
        @Flag(help: "Read users from standard input, one per line.") var stdin = false
        @Option(help: ArgumentHelp("The tenant (name or id) to look names up in.", valueName: "tenant")) var tenant: String?
        @OptionGroup var database: HubDatabaseOptions

        func validate() throws {
            if (user == nil) == !stdin { throw ValidationError("give a user (id, or name with --tenant), or --stdin") }
        }

        /// The id to hash: the text itself when it is one, else the named user's.
        func userID(_ text: String) async throws -> String {
            if let id = UUID(uuidString: text) { return id.uuidString.lowercased() }
            guard let tenant else {
                throw TMWSError(
                    .invalidInput, "\(text.truncatedForMessage) is not a user id: give the id, or the name with --tenant (and the database URL)", field: "user")
            }
            return try await database.withConnection { connection in
                try await HubAdmin(connection: connection).userID(tenant: tenant, user: text).uuidString.lowercased()
            }
        }

        func run() async throws {
            func show(_ text: String) async throws {
                let id = try await userID(text)
                let bucket = Rollout.bucket(of: id)
                if database.json {
                    var fields: [String: Any] = ["user": id, "bucket": bucket]
                    if id != text.lowercased() { fields["name"] = text }
                    let line = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
                    print(String(decoding: line, as: UTF8.self))
                } else {
                    print(id == text.lowercased() ? "\(id) \(bucket)" : "\(id) \(bucket) (\(text))")
                }
            }
            if let user { return try await show(user) }
            while let line = readLine() {
                if !line.isEmpty { try await show(line) }
            }
        }
    }
}
