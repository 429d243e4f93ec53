import ArgumentParser
import Foundation
import TMWSCore
import TMWSHubDomain
import TMWSPostgres

/// `tmws hub admin`: tenants, users, teams and devices, with the owner's database URL.
struct HubAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer tenants, users, teams and devices (on the hub's host, as the owner role).",
        discussion: "Tenants, users and teams are named by name or id. Every change is recorded in the tenant's audit log.",
        subcommands: [
            CreateTenant.self, CreateUser.self, CreateTeam.self, AddMember.self, RemoveMember.self, EnrollToken.self, RevokeDevice.self,
            ListHub.self,
        ]
    )

    struct CreateTenant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-tenant", abstract: "Create a tenant.")
        @Argument(help: "The tenant's name (unique on this hub).") var name: String
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            try reportCreated(
                "tenant", try await database.withConnection { try await HubAdmin(connection: $0).createTenant(name: name) }, name: name, json: database.json)
        }
    }

    struct CreateUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-user", abstract: "Create a user in a tenant.")
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @Argument(help: "The user's name (unique in the tenant).") var name: String
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            try reportCreated(
                "user", try await database.withConnection { try await HubAdmin(connection: $0).createUser(tenant: tenant, name: name) }, name: name,
                json: database.json)
        }
    }

    struct CreateTeam: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-team", abstract: "Create a team in a tenant.")
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @Argument(help: "The team's name (unique in the tenant).") var name: String
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            try reportCreated(
                "team", try await database.withConnection { try await HubAdmin(connection: $0).createTeam(tenant: tenant, name: name) }, name: name,
                json: database.json)
        }
    }

    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-member", abstract: "Add a user to a team (or change their role).")
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @Argument(help: "The team (name or id).") var team: String
        @Argument(help: "The user (name or id).") var user: String
        @Option(help: ArgumentHelp("admin or member.", valueName: "role")) var role = "member"
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            try await database.withConnection { try await HubAdmin(connection: $0).addMember(tenant: tenant, team: team, user: user, role: role) }
            try report(database.json, ["team": team, "user": user, "role": role], "\(user) is a\(role == "admin" ? "n" : "") \(role) of \(team)")
        }
    }

    struct RemoveMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-member", abstract: "Remove a user from a team.")
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @Argument(help: "The team (name or id).") var team: String
        @Argument(help: "The user (name or id).") var user: String
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            try await database.withConnection { try await HubAdmin(connection: $0).removeMember(tenant: tenant, team: team, user: user) }
            try report(database.json, ["team": team, "user": user, "removed": "true"], "removed \(user) from \(team)")
        }
    }

    struct EnrollToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enroll-token",
            abstract: "Print a one-time token that enrolls one device for a user.",
            discussion: "Give it to the user for 'tmws cloud enroll --token'. It is shown once and stored only as a digest."
        )
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @Option(help: ArgumentHelp("The user (name or id).", valueName: "user")) var user: String
        @Option(help: ArgumentHelp("How long the token is valid, in hours.", valueName: "hours")) var validHours = 24
        @OptionGroup var database: HubDatabaseOptions

        func validate() throws {
            guard (1...720).contains(validHours) else { throw ValidationError("--valid-hours must be between 1 and 720") }
        }

        func run() async throws {
            let (token, expires) = try await database.withConnection {
                try await HubAdmin(connection: $0).enrollToken(tenant: tenant, user: user, validFor: .seconds(validHours * 3600))
            }
            if database.json {
                try Terminal.printJSON(["token": token, "expires_at": ISO8601.string(from: expires)])
            } else {
                print(token)
                FileHandle.standardError.write(Data("valid until \(ISO8601.string(from: expires)), for one device\n".utf8))
            }
        }
    }

    struct RevokeDevice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-device", abstract: "Revoke a device's credential at once.")
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @Argument(help: "The device's id (see 'list --tenant').") var device: String
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            try await database.withConnection { try await HubAdmin(connection: $0).revokeDevice(tenant: tenant, device: device) }
            try report(database.json, ["device_id": device, "revoked": "true"], "revoked device \(device)")
        }
    }

    struct ListHub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List tenants, or one tenant's users, teams and devices."
        )
        @Option(help: ArgumentHelp("Show this tenant (name or id) in detail.", valueName: "tenant")) var tenant: String?
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            if let tenant {
                let details = try await database.withConnection { try await HubAdmin(connection: $0).details(tenant: tenant) }
                if database.json { return try Terminal.printJSON(details) }
                print("tenant \(details.tenant.name) (\(details.tenant.id.uuidString.lowercased()))")
                var users = TextTable("USER", "ID", "TEAMS", "DEVICES")
                for user in details.users {
                    let devices = user.devices.map { "\($0.name)\($0.revoked ? " (revoked)" : "") \($0.id.uuidString.lowercased())" }
                    users.append([user.name, user.id.uuidString.lowercased(), user.teams.joined(separator: ","), devices.joined(separator: "; ")])
                }
                print(users.render())
                var teams = TextTable("TEAM", "ID", "MEMBERS")
                for team in details.teams { teams.append([team.name, team.id.uuidString.lowercased(), team.members.joined(separator: ",")]) }
                print(teams.render())
            } else {
                let tenants = try await database.withConnection { try await HubAdmin(connection: $0).tenants() }
                if database.json { return try Terminal.printJSON(["tenants": tenants]) }
                var table = TextTable("TENANT", "ID", "USERS", "TEAMS", "DEVICES")
                for tenant in tenants {
                    table.append([tenant.name, tenant.id.uuidString.lowercased(), String(tenant.users), String(tenant.teams), String(tenant.devices)])
                }
                print(tenants.isEmpty ? "no tenants yet: tmws hub admin create-tenant NAME" : table.render())
            }
        }
    }
}

private func report(_ json: Bool, _ fields: [String: String], _ sentence: String) throws {
    if json { try Terminal.printJSON(fields) } else { print(sentence) }
}

/// What a create-* command prints: `{"<what>_id": …, "name": …}`, or one sentence.
private func reportCreated(_ what: String, _ id: UUID, name: String, json: Bool) throws {
    let id = id.uuidString.lowercased()
    try report(json, ["\(what)_id": id, "name": name], "created \(what) \(name) (\(id))")
}
