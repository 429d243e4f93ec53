import Foundation
import TMWSCore
import TMWSCrypto

/// What the hub's team logs (``HubTeams``) ask of a transaction.
package protocol HubTeamTransaction: HubTransaction {
    /// Whether the tenant has a team of this name (case-insensitively).
    func teamExists(named name: String) async throws -> Bool
    /// Whether a live device of the tenant is `user`'s and carries these keys (base64).
    func deviceMatches(_ device: UUID, user: UUID, agreementKey: String, signingKey: String) async throws -> Bool
    /// Makes a team at epoch 1 with its creator as its first admin.
    func createTeam(_ team: UUID, name: String, admin: UUID) async throws
    /// The team's epoch, locked for the transaction: `nil` for no team the device can see,
    /// `.some(nil)` for a team without a membership log (made by an administrator).
    func lockTeam(_ team: UUID) async throws -> Int??
    /// The team's log, oldest first (empty for a team the device's user is not in).
    func log(of team: UUID) async throws -> [MembershipEntry]
    /// Adds a member (or brings a removed one back) with a role.
    func addMember(_ team: UUID, user: UUID, role: String) async throws
    /// Appends a verified entry with its keys and epoch link, and audits it.
    func append(_ change: TeamChange, epoch: Int) async throws
    func setEpoch(_ team: UUID, _ epoch: Int) async throws
    /// Ends a user's membership now.
    func endMembership(_ team: UUID, user: UUID) async throws
    /// The team as the device may see it: its log, its keys wrapped for the device, the epoch
    /// links; `nil` when its log is not visible to the device.
    func document(_ team: UUID) async throws -> TeamDocument?
}

/// The hub's team logs, over any storage: who may create a team and append to its log, what
/// is verified before anything is written (``HubTeamRules``), and in what order.
package struct HubTeams<Repository: HubRepository>: Sendable where Repository.Transaction: HubTeamTransaction {
    package let repository: Repository

    package init(repository: Repository) {
        self.repository = repository
    }

    /// Creates a team from its first, self-signed log entry (made by the creating device).
    package func create(_ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument {
        let entry = change.entry
        guard entry.action == .create, entry.tenant == device.tenantID, entry.user == device.userID, entry.signer == device.deviceID else {
            throw TMWSError(.forbidden, "a team is created by its first admin's own device, signing the first entry")
        }
        let name = try HubTeamRules.name(of: entry)
        let state = try HubTeamRules.verified([entry], device)
        try HubTeamRules.checkWraps(change, state: state, before: nil)
        return try await repository.transaction(as: device) { transaction in
            guard try await !transaction.teamExists(named: name) else { throw TMWSError(.invalidInput, "a team named \(name) exists", field: "name") }
            try await Self.checkDevices(entry, in: transaction)
            try await transaction.createTeam(entry.team, name: name, admin: device.userID)
            try await transaction.append(change, epoch: state.epoch)
            return try await Self.document(entry.team, in: transaction)
        }
    }

    /// Appends a signed entry to a team's log after verifying the whole chain with it, and
    /// applies it: members added or removed, the epoch moved on, keys stored.
    package func append(_ team: UUID, _ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument {
        guard change.entry.signer == device.deviceID, change.entry.team == team else {
            throw TMWSError(.forbidden, "an entry is appended by the device that signed it, to its own team")
        }
        return try await repository.transaction(as: device) { transaction in
            guard let epoch = try await transaction.lockTeam(team) else { throw TMWSError(.notFound, "no such team", field: "team") }
            guard epoch != nil else { throw TMWSError(.forbidden, "this team has no membership log (it was made by an administrator)") }
            let log = try await transaction.log(of: team)
            guard !log.isEmpty else { throw TMWSError(.notFound, "no such team", field: "team") }
            // A team made before ids were derived from the first entry goes on (the hub holds it).
            let before = try HubTeamRules.verified(log, device, acceptingLegacyID: true)
            let state = try HubTeamRules.verified(log + [change.entry], device, acceptingLegacyID: true)
            try HubTeamRules.checkWraps(change, state: state, before: before)
            let entry = change.entry
            try HubTeamRules.checkNew(entry)
            if entry.action == .add {
                try await Self.checkDevices(entry, in: transaction)
                try await transaction.addMember(team, user: entry.user, role: entry.role)
            }
            try await transaction.append(change, epoch: state.epoch)
            if state.epoch != before.epoch { try await transaction.setEpoch(team, state.epoch) }
            // Read before a member leaves: an admin who removes themselves sees the team no more.
            let document = try await Self.document(team, in: transaction)
            if entry.action == .remove, state.members[entry.user] == nil { try await transaction.endMembership(team, user: entry.user) }
            return document
        }
    }

    /// The team as this device may see it; `not_found` for a team it is not a member of.
    package func team(_ team: UUID, as device: AuthenticatedDevice) async throws -> TeamDocument {
        try await repository.transaction(as: device) { transaction in try await Self.document(team, in: transaction) }
    }

    /// The log is visible to current members only: anyone else finds no team.
    private static func document(_ team: UUID, in transaction: Repository.Transaction) async throws -> TeamDocument {
        guard let document = try await transaction.document(team) else {
            throw TMWSError(.notFound, "no such team, or this device's user is not a member", field: "team")
        }
        return document
    }

    /// The devices an entry adds belong to its user and carry the keys they registered.
    private static func checkDevices(_ entry: MembershipEntry, in transaction: Repository.Transaction) async throws {
        for device in entry.devices {
            guard try await transaction.deviceMatches(device.id, user: entry.user, agreementKey: device.agreementKey, signingKey: device.signingKey) else {
                throw TMWSError(.invalidInput, "device \(device.id.uuidString.lowercased()) is not a device of that user with those keys", field: "entry")
            }
        }
    }
}
