import ArgumentParser
import Foundation
import TMWSCore
import TMWSCrypto
import TMWSHost
import TMWSHubClient
import TMWSSQLite

/// `tmws team`: the teams SHARED memories are encrypted for.
struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Create teams and change their members (SHARED memories are end-to-end encrypted for a team).",
        discussion: """
            A team's membership is an append-only, hash-chained log, each entry signed by a device of an admin. Every device verifies the whole log before it wraps a key to anyone or accepts a memory, and remembers where it last saw the log, so a hub can neither add a key of its own nor rewrite history.

            A team's id is derived from its first log entry, so it names the team's founder and keys: a hub cannot serve another team under it. A name stands for the team this device created or joined with an invite code; the hub's list of teams never changes that. A member added on another device runs 'tmws team join CODE' with the code an admin prints ('tmws team invite'), compared out of band like a key fingerprint.

            Creating a team makes its first key (epoch 1). Adding a member wraps the current key to each of their enrolled devices. Removing a member starts a new epoch whose key goes only to the remaining devices, and its entry carries a cut-off: whatever the removed devices sign later is refused everywhere. They can still read older memories; what a removed member already read cannot be taken back.

            Examples:
              tmws team create platform
              tmws team add-member platform bob
              tmws team invite platform                # give the code to bob
              tmws team join tmws-team-1:…             # on bob's device
              tmws team show platform --json
              tmws memory add "staging DB moves Friday" --team platform
            """,
        subcommands: [Create.self, AddMember.self, RemoveMember.self, Invite.self, Join.self, Forget.self, Rekey.self, ClearAlarms.self, List.self, Show.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a team with you as its admin.")
        @Argument(help: ArgumentHelp("The team's name (unique in the tenant).", valueName: "name")) var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let session = try await TeamSession(global)
            if let known = session.enrollment.confirmed[name] {
                throw TMWSError(.invalidInput, "this node already has a team named \(name.truncatedForMessage) (\(known))", field: "name")
            }
            let state = try await session.keyring.createTeam(named: name, identity: session.enrollment.identity)
            try await session.refreshIdentity(confirming: state)
            try session.print(state, message: "created team \(state.name) (\(state.team.uuidString.lowercased())), epoch 1")
        }
    }

    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-member",
            abstract: "Add a user's enrolled devices to a team (admins only).",
            discussion:
                "Adds enrolled devices of the user that are not in the team yet and wraps the team's current key to each; run it again after the user enrolls another device. The devices' public keys come from the hub, so they are checked first: pass the fingerprint that 'tmws keys export-public' prints on each of the user's devices (--fingerprint, repeatable; only those devices are added), confirm them when asked on a terminal, or pass --trust-hub-keys to take the hub's word."
        )
        @Argument(help: ArgumentHelp("The team, by name or id.", valueName: "team")) var team: String
        @Argument(help: ArgumentHelp("The user, by name or id.", valueName: "user")) var user: String
        @Option(help: ArgumentHelp("admin or member.", valueName: "role")) var role = "member"
        @Option(
            name: .customLong("fingerprint"),
            help: ArgumentHelp("A device key fingerprint to add (from 'tmws keys export-public' on that device; repeatable).", valueName: "fp"))
        var fingerprints: [String] = []
        @Flag(help: "Add the user's devices with the keys the hub offers, without comparing fingerprints.")
        var trustHubKeys = false
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard ["admin", "member"].contains(role) else { throw ValidationError("--role is admin or member") }
        }

        func run() async throws {
            let session = try await TeamSession(global)
            let (wanted, trust, json) = (Set(fingerprints.map(Self.normalized)), trustHubKeys, global.json)
            let (state, added) = try await session.keyring.addMember(try session.team(team), user: user, role: role) { offered in
                try Self.choose(offered, fingerprints: wanted, trust: trust, ask: !json && Terminal.stdinIsTerminal)
            }
            try await session.refreshIdentity()
            let devices = added.map { device in "\(device.name) \(((try? device.keys())?.fingerprint) ?? "?")" }
            let invite = TeamInvite(state)
            try session.print(
                state,
                message: "added \(user) to \(state.name): \(devices.joined(separator: "; "))\n"
                    + "on each of their devices: tmws team join \(invite)"
            )
        }

        static func normalized(_ fingerprint: String) -> String {
            fingerprint.lowercased().filter { $0.isHexDigit }
        }

        /// The offered devices to add: those whose fingerprint was given; all of them when the
        /// hub is trusted or a person confirms them on a terminal; otherwise none, with why.
        static func choose(
            _ offered: [MembershipEntry.Device], fingerprints: Set<String>, trust: Bool, ask: Bool
        ) throws -> [MembershipEntry.Device] {
            let described = offered.map { device in "\(device.name) \((try? device.keys().fingerprint) ?? "?")" }
            if !fingerprints.isEmpty {
                let chosen = offered.filter { device in (try? device.keys()).map { fingerprints.contains(normalized($0.fingerprint)) } ?? false }
                guard !chosen.isEmpty else {
                    throw TMWSError(
                        .invalidInput, "no offered device has that fingerprint; the hub offers: \(described.joined(separator: "; "))", field: "fingerprint"
                    )
                }
                return chosen
            }
            if trust { return offered }
            if ask {
                FileHandle.standardError.write(Data("The hub offers these devices (compare with 'tmws keys export-public' on each):\n".utf8))
                for line in described { FileHandle.standardError.write(Data("  \(line)\n".utf8)) }
                FileHandle.standardError.write(Data("Add them? [y/N] ".utf8))
                if readLine()?.lowercased().hasPrefix("y") == true { return offered }
                throw TMWSError(.invalidInput, "not added: the fingerprints were not confirmed")
            }
            throw TMWSError(
                .invalidInput,
                "compare the device fingerprints first: pass --fingerprint (from 'tmws keys export-public' on the device) or --trust-hub-keys; "
                    + "the hub offers: \(described.joined(separator: "; "))",
                field: "fingerprint"
            )
        }
    }

    struct RemoveMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-member",
            abstract: "Remove a member, or revoke one of their devices, and rotate the team's key (admins only).",
            discussion:
                "Starts a new epoch: its key is wrapped only to the remaining devices, and the hub refuses SHARED writes under the old key. The removed member keeps what their devices already hold. With --device, only that device leaves (a lost laptop, or one revoked with 'tmws hub admin revoke-device'); the member stays."
        )
        @Argument(help: ArgumentHelp("The team, by name or id.", valueName: "team")) var team: String
        @Argument(help: ArgumentHelp("The member, by name or id.", valueName: "user")) var user: String
        @Option(name: .customLong("device"), help: ArgumentHelp("Revoke only this device of the member (name or id; repeatable).", valueName: "device"))
        var devices: [String] = []
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let session = try await TeamSession(global)
            let state = try await session.keyring.removeMember(try session.team(team), user: user, devices: devices)
            try await session.refreshIdentity()
            let what = devices.isEmpty ? "removed \(user)" : "revoked \(devices.joined(separator: ", ")) of \(user)"
            try session.print(state, message: "\(what) from \(state.name); the team is at epoch \(state.epoch)")
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the code a member's device joins a team with.",
            discussion:
                "The code holds the team's self-certifying id and the latest entry of its log. Give it to the member out of band (in person, a chat you trust), like a key fingerprint; 'tmws team join CODE' on their device then checks that the hub serves this very team, with at least this much of its log."
        )
        @Argument(help: ArgumentHelp("The team, by name or id.", valueName: "team")) var team: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let session = try await TeamSession(global)
            let invite = try await session.keyring.invite(try session.team(team))
            if global.json { return try Terminal.printJSON(["code": invite.description, "team": invite.team.uuidString.lowercased()]) }
            print(invite.description)
        }
    }

    struct Join: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Confirm a team this device was added to, with the invite code an admin gave you.",
            discussion:
                "Checks that the hub serves the team the code names (its id is derived from the team's first entry, so the hub cannot serve another) with the log entry the code names, and that this device is in it; from then on the team's name stands for it on this device."
        )
        @Argument(help: ArgumentHelp("The code from 'tmws team invite' (tmws-team-1:…).", valueName: "code")) var code: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let invite = try TeamInvite(parsing: code)
            let session = try await TeamSession(global)
            let state = try await session.keyring.join(invite)
            try await session.refreshIdentity(confirming: state)
            try session.print(state, message: "joined team \(state.name) (\(state.team.uuidString.lowercased()))")
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a team's name standing for the team this device confirmed (before joining another team of that name).",
            discussion: "Memories keep the team they were written for. Nothing on the hub changes."
        )
        @Argument(help: ArgumentHelp("The team's name.", valueName: "name")) var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let session = try await TeamSession(global)
            guard session.enrollment.confirmed[name] != nil else {
                throw TMWSError(.notFound, "no team named \(name.truncatedForMessage) is confirmed on this device", field: "name")
            }
            var enrollment = session.enrollment
            enrollment.forget(name)
            try session.save(enrollment)
            if global.json { return try Terminal.printJSON(["forgotten": name]) }
            print("\(name) no longer stands for a team on this device")
        }
    }

    struct ClearAlarms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear-alarms",
            abstract: "Forget a team's alarms once an admin has checked them: a forked log, a newer epoch seen.",
            discussion:
                "A forked log: a member's change named a log entry that differs from the one this device holds (the hub showed the two of you different logs, or the member lied); the change was refused. A newer epoch: a member wrote under an epoch this device's copy of the log does not reach, so this device seals nothing to the team until the hub serves the newer log. Compare 'tmws team show' (log head) on the devices with an admin first."
        )
        @Argument(help: ArgumentHelp("The team, by name or id.", valueName: "team")) var team: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let session = try await TeamSession(global)
            let id = try session.team(team)
            try await session.keyring.clearAlarms(id)
            if global.json { return try Terminal.printJSON(["cleared": id.uuidString.lowercased()]) }
            print("team \(team): alarms cleared")
        }
    }

    struct Rekey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a new epoch of a team without changing its members (admins only).",
            discussion:
                "A new team key, wrapped to every device's current keys, the previous key sealed under it. After a member rotates its device keys ('tmws keys rotate-device' keeps the epoch on a member's device), this is what keeps its old keys from reading anything written after."
        )
        @Argument(help: ArgumentHelp("The team, by name or id.", valueName: "team")) var team: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let session = try await TeamSession(global)
            let state = try await session.keyring.rekey(try session.team(team))
            try session.print(state, message: "team \(state.name) is at epoch \(state.epoch)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The teams your user belongs to.",
            discussion:
                "CONFIRMED says whether the name stands for that team on this device (created or joined here). A team the hub lists under a confirmed name with another id is flagged: the hub shows a different team under that name."
        )
        @OptionGroup var global: GlobalOptions

        struct Row: Encodable {
            var id: String
            var name: String
            var role: String
            var confirmed: Bool
            var conflictsWith: String?

            enum CodingKeys: String, CodingKey {
                case id, name, role, confirmed
                case conflictsWith = "conflicts_with"
            }
        }

        func run() async throws {
            let session = try await TeamSession(global)
            let teams = try await session.refreshIdentity()
            let confirmed = session.enrollment.confirmed
            let rows = teams.map { team in
                let known = confirmed[team.name]
                return Row(id: team.id, name: team.name, role: team.role, confirmed: known == team.id, conflictsWith: known == team.id ? nil : known)
            }
            if global.json { return try Terminal.printJSON(["teams": rows]) }
            if rows.isEmpty { return print("no teams (tmws team create NAME makes one)") }
            var table = TextTable("NAME", "ID", "ROLE", "CONFIRMED")
            for row in rows {
                let status = row.confirmed ? "yes" : row.conflictsWith.map { "NO: this device's \(row.name) is \($0)" } ?? "no (tmws team join CODE)"
                table.append([row.name, row.id, row.role, status])
            }
            print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A team's verified membership: epoch, members, their devices' key fingerprints.")
        @Argument(help: ArgumentHelp("The team, by name or id.", valueName: "team")) var team: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let session = try await TeamSession(global)
            let state = try await session.keyring.refresh(try session.team(team))
            try session.print(state, message: nil)
        }
    }
}

/// A team as `tmws team` shows it: nothing secret.
struct TeamView: Encodable, Sendable {
    struct Device: Encodable, Sendable {
        var id: String
        var name: String
        var fingerprint: String
    }

    struct Member: Encodable, Sendable {
        var id: String
        var name: String
        var role: String
        var devices: [Device]
    }

    var id: String
    var name: String
    var epoch: Int
    var logEntries: Int
    var logHead: String
    var members: [Member]

    init(_ state: TeamState) {
        id = state.team.uuidString.lowercased()
        name = state.name
        epoch = state.epoch
        logEntries = state.seq + 1
        logHead = state.head
        members = state.members.values.sorted { $0.name < $1.name }.map { member in
            Member(
                id: member.user.uuidString.lowercased(), name: member.name, role: member.role,
                devices: member.devices.values.sorted { $0.name < $1.name }.map { device in
                    Device(id: device.id.uuidString.lowercased(), name: device.name, fingerprint: (try? device.keys().fingerprint) ?? "?")
                }
            )
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, epoch, members
        case logEntries = "log_entries"
        case logHead = "log_head"
    }
}
