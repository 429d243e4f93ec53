import Crypto
import Foundation
import TMWSCore
import TMWSCrypto

/// Changing teams: creating one, adding and removing members (an admin's device), rotating
/// this device's keys and starting a new epoch; every change a signed entry of the log that
/// the hub and every device verify.
extension HubTeamKeyring {
    func now() -> String { ISO8601.string(from: Date()) }

    /// Creates a team with this device's user as its admin; epoch 1's key is wrapped to this
    /// device only.
    package func createTeam(named name: String, identity: HubIdentity) async throws -> TeamState {
        let key = TeamKey()
        let pair = try deviceKeys()
        guard let user = UUID(uuidString: identity.userID) else { throw TMWSError(.configuration, "the enrollment's identity is malformed") }
        let entry = try MembershipEntry.creation(
            tenant: tenant, teamName: name, user: user, userName: identity.userName,
            device: .init(id: device, name: identity.deviceName, keys: pair.publicKeys), key: key, at: now(), signing: pair.signing
        )
        let team = entry.team
        let wrap = TeamChange.Wrap(
            device: device, epoch: 1, wrapped: try key.wrapped(to: pair.publicKeys, device: device, tenant: tenant, team: team, epoch: 1)
        )
        let document = try await cloud.client.call(
            .POST, "/v1/teams", body: TeamChange(entry: entry, keys: [wrap], previousKey: nil), credential: cloud.credential, as: TeamDocument.self
        )
        return try await accept(document, team: team)
    }

    /// Adds a user's enrolled devices (those not in the team yet), wrapping the current key to
    /// each. The devices' public keys come from the hub, so `accept` decides which of them to
    /// trust (by fingerprint) before anything is signed or wrapped.
    package func addMember(
        _ team: UUID, user: String, role: String,
        accept: @Sendable ([MembershipEntry.Device]) throws -> [MembershipEntry.Device] = { $0 }
    ) async throws -> (state: TeamState, added: [MembershipEntry.Device]) {
        let state = try await refresh(team)
        guard state.isAdmin(device: device) else { throw TMWSError(.forbidden, "only an admin's device changes team \(state.name)'s members") }
        let found = try await cloud.client.call(
            .GET, "/v1/users/\(user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? user)/devices", credential: cloud.credential,
            as: UserDevices.self
        )
        let active = Set(state.members.values.flatMap(\.devices.keys))
        let offered = try found.devices.filter { !active.contains($0.id) }.map { device in
            MembershipEntry.Device(
                id: device.id, name: device.name, keys: try DevicePublicKeys(agreementBase64: device.agreementKey, signingBase64: device.signingKey))
        }
        let devices = offered.isEmpty ? [] : try accept(offered)
        guard !devices.isEmpty else {
            throw TMWSError(
                .invalidInput,
                state.members[found.userID] == nil
                    ? "\(found.userName) has no enrolled device with keys yet: enroll one first (tmws cloud enroll)"
                    : "every enrolled device of \(found.userName) is already in team \(state.name)",
                field: "user"
            )
        }
        let entry = try MembershipEntry(
            tenant: tenant, team: team, teamName: state.name, seq: state.seq + 1, previous: state.head, action: .add, user: found.userID,
            userName: found.userName, role: state.members[found.userID]?.role == "admin" ? "admin" : role, devices: devices, epoch: state.epoch,
            keyCommitment: nil, signer: device, at: now()
        ).signed(with: try deviceKeys().signing)
        let current = try await key(team: team, epoch: state.epoch)
        let wraps = try devices.map { added in
            TeamChange.Wrap(
                device: added.id, epoch: state.epoch,
                wrapped: try current.wrapped(to: try added.keys(), device: added.id, tenant: tenant, team: team, epoch: state.epoch)
            )
        }
        return (try await post(team, TeamChange(entry: entry, keys: wraps, previousKey: nil)), devices)
    }

    /// Removes a member, or revokes some of its devices (`devices`, by id or name): a new epoch
    /// whose key goes only to the remaining devices, with the previous key sealed under it so
    /// they keep reading history.
    package func removeMember(_ team: UUID, user: String, devices deviceNames: [String] = []) async throws -> TeamState {
        let state = try await refresh(team)
        guard state.isAdmin(device: device) else { throw TMWSError(.forbidden, "only an admin's device changes team \(state.name)'s members") }
        let named = state.members(named: user)
        guard let member = named.first else {
            throw TMWSError(.notFound, "\(user.truncatedForTeamMessage) is not a member of team \(state.name)", field: "user")
        }
        guard named.count == 1 else {
            throw TMWSError(
                .invalidInput,
                "\(named.count) members of team \(state.name) are named \(user.truncatedForTeamMessage): name one by user id ("
                    + named.map(\.user.lowercasedString).joined(separator: ", ") + ")",
                field: "user"
            )
        }
        let revoked = try deviceNames.map { name in
            let byID = member.devices.values.filter { $0.id.lowercasedString == name.lowercased() }
            let matching = byID.isEmpty ? member.devices.values.filter { $0.name == name } : byID
            guard let device = matching.first else {
                throw TMWSError(.notFound, "\(member.name) has no device \(name.truncatedForTeamMessage) in team \(state.name)", field: "device")
            }
            guard matching.count == 1 else {
                throw TMWSError(
                    .invalidInput,
                    "\(matching.count) devices of \(member.name) are named \(name.truncatedForTeamMessage): name one by id ("
                        + matching.map(\.id.lowercasedString).sorted().joined(separator: ", ") + ")",
                    field: "device"
                )
            }
            return device
        }
        let leaving = revoked.isEmpty ? Set(member.devices.keys) : Set(revoked.map(\.id))
        let previous = try await key(team: team, epoch: state.epoch)
        let epoch = state.epoch + 1
        let next = TeamKey()
        let entry = try MembershipEntry(
            tenant: tenant, team: team, teamName: state.name, seq: state.seq + 1, previous: state.head, action: .remove, user: member.user,
            userName: member.name, role: member.role, devices: revoked, epoch: epoch, keyCommitment: next.commitment(tenant: tenant, team: team, epoch: epoch),
            signer: device, at: now(), cutoff: try await cutoff()
        ).signed(with: try deviceKeys().signing)
        let remaining = state.devices.filter { !leaving.contains($0.id) }
        let wraps = try remaining.map { remaining in
            TeamChange.Wrap(
                device: remaining.id, epoch: epoch,
                wrapped: try next.wrapped(to: remaining.keys, device: remaining.id, tenant: tenant, team: team, epoch: epoch))
        }
        let sealedPrevious = try next.sealing(previous: previous, tenant: tenant, team: team, epoch: epoch)
        return try await post(team, TeamChange(entry: entry, keys: wraps, previousKey: sealedPrevious))
    }

    /// Replaces this device's keys in a team, signed with the old key; the old keys' tenure
    /// ends at a cut-off (nothing they sign later is taken). An admin's rotation starts a new
    /// epoch, its key wrapped to every device (this one under its new keys) and the previous
    /// key sealed under it, so keys stolen from the device read nothing written after; a
    /// member's keeps the epoch (the returned `false`: an admin then runs `tmws team rekey`).
    @discardableResult
    package func rotate(_ team: UUID, to pair: DeviceKeyPair, name: String) async throws -> Bool {
        let state = try await refresh(team)
        guard let member = state.members.values.first(where: { $0.devices[device] != nil }) else { return true }
        // Already moved (a rotation that stopped part-way and runs again).
        if (try? member.devices[device]?.keys()) == pair.publicKeys { return true }
        let admin = state.isAdmin(device: device)
        _ = try await post(team, try await rotation(state, member: member, device: .init(id: device, name: name, keys: pair.publicKeys), newEpoch: admin))
        return admin
    }

    /// Starts a new epoch with no change of members (an admin's device): a rotation of its
    /// own keys to themselves. Devices whose keys were rotated, or may have been copied, read
    /// nothing written after it with their old keys.
    package func rekey(_ team: UUID) async throws -> TeamState {
        let state = try await refresh(team)
        guard state.isAdmin(device: device), let member = state.members.values.first(where: { $0.devices[device] != nil }),
            let me = member.devices[device]
        else { throw TMWSError(.forbidden, "only an admin's device starts a new epoch of team \(state.name)") }
        return try await post(team, try await rotation(state, member: member, device: me, newEpoch: true))
    }

    func rotation(_ state: TeamState, member: TeamState.Member, device entryDevice: MembershipEntry.Device, newEpoch: Bool) async throws -> TeamChange {
        let team = state.team
        let current = try await key(team: team, epoch: state.epoch)
        let keys = try entryDevice.keys()
        let epoch = newEpoch ? state.epoch + 1 : state.epoch
        let next = newEpoch ? TeamKey() : current
        let entry = try MembershipEntry(
            tenant: tenant, team: team, teamName: state.name, seq: state.seq + 1, previous: state.head, action: .rotateKeys, user: member.user,
            userName: member.name, role: member.role, devices: [entryDevice], epoch: epoch,
            keyCommitment: newEpoch ? next.commitment(tenant: tenant, team: team, epoch: epoch) : nil, signer: device, at: now(),
            cutoff: try await cutoff()
        ).signed(with: try deviceKeys().signing)
        guard newEpoch else {
            let wrap = TeamChange.Wrap(
                device: device, epoch: epoch, wrapped: try current.wrapped(to: keys, device: device, tenant: tenant, team: team, epoch: epoch))
            return TeamChange(entry: entry, keys: [wrap], previousKey: nil)
        }
        let recipients = state.devices.map { $0.id == device ? (id: device, keys: keys) : $0 }
        let wraps = try recipients.map { recipient in
            TeamChange.Wrap(
                device: recipient.id, epoch: epoch,
                wrapped: try next.wrapped(to: recipient.keys, device: recipient.id, tenant: tenant, team: team, epoch: epoch)
            )
        }
        return TeamChange(entry: entry, keys: wraps, previousKey: try next.sealing(previous: current, tenant: tenant, team: team, epoch: epoch))
    }

    /// The cut-off an entry that ends tenures carries: this node's hybrid clock now, at least
    /// the wall clock (the last tick of its millisecond), so nothing this node made or took in
    /// before falls after it.
    func cutoff() async throws -> Int64 {
        max(HybridTimestamp.wall(Date()).rawValue, (try? await hybridClock()) ?? 0) | 0xFFFF
    }

    /// Uses new device keys from now on (after ``rotate(_:to:name:)`` in every team).
    package func use(_ pair: DeviceKeyPair) {
        unlocked = pair
        keys = [:]
    }

    func post(_ team: UUID, _ change: TeamChange) async throws -> TeamState {
        let document = try await cloud.client.call(
            .POST, "/v1/teams/\(team.lowercasedString)/log", body: change, credential: cloud.credential, as: TeamDocument.self
        )
        return try await accept(document, team: team)
    }
}
