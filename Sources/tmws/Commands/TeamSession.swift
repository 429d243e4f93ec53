import ArgumentParser
import Foundation
import TMWSCore
import TMWSCrypto
import TMWSHost
import TMWSHubClient
import TMWSSQLite

/// What every `tmws team` command needs: the enrollment, the hub and the keyring.
struct TeamSession {
    let context: AppContext
    let global: GlobalOptions
    var enrollment: CloudEnrollment
    let cloud: HubCloud
    let keyring: HubTeamKeyring
    let store: SQLiteMemoryStore

    init(_ global: GlobalOptions) async throws {
        context = try AppContext(options: global)
        self.global = global
        guard let enrollment = try CloudEnrollment.load(home: context.configuration.home) else {
            throw TMWSError(.configuration, "this node is not enrolled with a hub: tmws cloud enroll --hub URL --token T --ca FILE")
        }
        self.enrollment = enrollment
        cloud = try AppContext.hubCloud(enrollment, home: context.configuration.home)
        store = try await context.openStore()
        keyring = try KeyAccess.keyring(context, store: store, enrollment: enrollment, cloud: cloud)
    }

    /// A team by a name this device confirmed, or by id (``KeyAccess/team(_:in:)``).
    func team(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: try KeyAccess.team(text, in: enrollment)) else {
            throw TMWSError(.notFound, "no team \(text.truncatedForMessage) known to this node (tmws team list shows them)", field: "team")
        }
        return id
    }

    /// Fetches the user's teams from the hub and keeps them in the enrollment, with `state`'s
    /// name confirmed for it (a team this device just created or joined). Which team a name
    /// stands for never changes with the hub's list.
    @discardableResult
    func refreshIdentity(confirming state: TeamState? = nil) async throws -> [HubIdentity.Team] {
        var enrollment = self.enrollment
        enrollment.confirmedTeams = enrollment.confirmed
        if let state { try enrollment.confirm(state.team.uuidString.lowercased(), named: state.name) }
        enrollment.identity = try await cloud.identity()
        try save(enrollment)
        return enrollment.identity.teams
    }

    func save(_ enrollment: CloudEnrollment) throws {
        let home = context.configuration.home
        try enrollment.save(home: home, caPEM: try Data(contentsOf: URL(fileURLWithPath: CloudEnrollment.caFile(home))))
    }

    func print(_ state: TeamState, message: String?) throws {
        let view = TeamView(state)
        if global.json { return try Terminal.printJSON(view) }
        if let message { Swift.print(message) }
        Swift.print("team \(view.name) (\(view.id)), epoch \(view.epoch), \(view.logEntries) log entries, head \(view.logHead.prefix(16))")
        var table = TextTable("MEMBER", "ROLE", "DEVICE", "KEY FINGERPRINT")
        for member in view.members {
            for device in member.devices { table.append([member.name, member.role, device.name, device.fingerprint]) }
        }
        Swift.print(table.render())
    }
}
