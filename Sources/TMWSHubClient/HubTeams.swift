import Crypto
import Foundation
import TMWSCore
import TMWSCrypto

/// A node's view of its teams on the hub: each team's membership log, verified and pinned
/// before anything is wrapped or accepted, and the team keys this device can open. The
/// device's private keys are unlocked only when first needed (a node that never touches a
/// SHARED memory never asks for its passphrase).
public actor HubTeamKeyring: TeamKeyring {
    /// Where each team's log was last seen (kept by the node across runs).
    public struct Pins: Sendable {
        public var load: @Sendable (UUID) async throws -> MembershipLog.Pin?
        public var save: @Sendable (UUID, MembershipLog.Pin) async throws -> Void

        public init(
            load: @escaping @Sendable (UUID) async throws -> MembershipLog.Pin?, save: @escaping @Sendable (UUID, MembershipLog.Pin) async throws -> Void
        ) {
            self.load = load
            self.save = save
        }
    }

    public nonisolated let tenant: UUID
    public nonisolated let device: UUID
    let cloud: HubCloud
    let unlock: @Sendable () throws -> DeviceKeyPair
    let pins: Pins
    /// The node's teams as its enrollment last saw them (for the default team).
    let knownTeams: [UUID]
    var unlocked: DeviceKeyPair?
    var documents: [UUID: (document: TeamDocument, state: TeamState, fetched: ContinuousClock.Instant)] = [:]
    /// How long a fetched team is used before it is fetched again (a long-running node learns
    /// of a new epoch within this, and at once when the hub refuses the old one).
    let freshness: Duration = .seconds(60)
    var keys: [UUID: [Int: TeamKey]] = [:]

    /// The public keys the keystore holds now (a rotation by another process replaces them).
    let stored: @Sendable () -> DevicePublicKeys?
    var checked: ContinuousClock.Instant?

    public init(
        identity: HubIdentity, cloud: HubCloud, pins: Pins, unlock: @escaping @Sendable () throws -> DeviceKeyPair,
        stored: @escaping @Sendable () -> DevicePublicKeys? = { nil }
    ) throws {
        self.stored = stored
        guard let tenant = UUID(uuidString: identity.tenantID), let device = UUID(uuidString: identity.deviceID) else {
            throw TMWSError(.configuration, "the enrollment's identity is malformed; enroll again")
        }
        self.tenant = tenant
        self.device = device
        self.cloud = cloud
        self.pins = pins
        self.unlock = unlock
        knownTeams = identity.teams.compactMap { UUID(uuidString: $0.id) }
    }

    public func deviceKeys() throws -> DeviceKeyPair {
        // A long-running node notices, within a minute, keys rotated by `tmws keys rotate-device`.
        if let unlocked, let last = checked, ContinuousClock.now - last < .seconds(60) { return unlocked }
        checked = .now
        if let unlocked, stored().map({ $0 == unlocked.publicKeys }) ?? true { return unlocked }
        let keys = try unlock()
        unlocked = keys
        return keys
    }

    /// Fetches the team, verifies its log against the pin, and moves the pin forward.
    @discardableResult
    public func refresh(_ team: UUID) async throws -> TeamState {
        let document = try await cloud.client.call(.GET, "/v1/teams/\(team.lowercasedString)", credential: cloud.credential, as: TeamDocument.self)
        return try await accept(document, team: team)
    }

    /// Verifies a document the hub sent and keeps it.
    @discardableResult
    public func accept(_ document: TeamDocument, team: UUID) async throws -> TeamState {
        let state = try MembershipLog.verify(document.log, tenant: tenant, team: team, pinned: try await pins.load(team))
        try await pins.save(team, MembershipLog.Pin(seq: state.seq, hash: state.head))
        documents[team] = (document, state, .now)
        keys[team] = nil
        return state
    }

    public func state(_ team: UUID) async throws -> TeamState {
        if let known = documents[team], ContinuousClock.now - known.fetched < freshness { return known.state }
        return try await refresh(team)
    }

    public func author() async throws -> MemoryEnvelope.Author {
        MemoryEnvelope.Author(device: device, signing: try deviceKeys().signing)
    }

    public func sealingKey(team: UUID) async throws -> (epoch: Int, key: TeamKey) {
        var state = try await state(team)
        if state.author(device, at: state.epoch) == nil { state = try await refresh(team) }
        guard state.author(device, at: state.epoch) != nil else {
            throw TMWSError(.forbidden, "this device is not a device of team \(state.name): an admin adds it with 'tmws team add-member'")
        }
        return (state.epoch, try await key(team: team, epoch: state.epoch))
    }

    /// The key of `epoch`: this device's newest wrapped key, opened and checked against the
    /// log's commitment, then the chain of sealed previous keys walked down to `epoch`.
    public func key(team: UUID, epoch: Int) async throws -> TeamKey {
        if let key = keys[team]?[epoch] { return key }
        var known = try await state(team)
        if documents[team].map({ $0.document.keys.contains { $0.epoch >= epoch } }) != true {
            known = try await refresh(team)
        }
        guard let (document, state, _) = documents[team] else { throw CryptoFailure.noKey(team: known.name, epoch: epoch) }
        // The newest wrap that opens and matches the log's commitment (a bad newer one does
        // not hide an older good one), then the chain walked down to `epoch`.
        var found: (epoch: Int, key: TeamKey)?
        // Outside the loop's `try?`: keys that are only locked (no passphrase given) are that
        // error, not "no key for this team".
        let deviceKeys = try deviceKeys()
        for wrap in document.keys.filter({ $0.epoch >= epoch }).sorted(by: { $0.epoch > $1.epoch }) {
            guard let wrapped = Data(base64Encoded: wrap.wrapped), let commitment = state.commitments[wrap.epoch],
                let key = try? TeamKey.unwrap(
                    Array(wrapped), with: deviceKeys, device: device, tenant: tenant, team: team, epoch: wrap.epoch, commitment: commitment
                )
            else { continue }
            found = (wrap.epoch, key)
            break
        }
        guard var (at, current) = found else { throw CryptoFailure.noKey(team: state.name, epoch: epoch) }
        keys[team, default: [:]][at] = current
        while at > epoch {
            guard let link = document.links.first(where: { $0.epoch == at }), let sealed = Data(base64Encoded: link.previousKey),
                let previousCommitment = state.commitments[at - 1]
            else { throw CryptoFailure.noKey(team: state.name, epoch: at - 1) }
            current = try current.openPrevious(Array(sealed), tenant: tenant, team: team, epoch: at, commitment: previousCommitment)
            at -= 1
            keys[team, default: [:]][at] = current
        }
        return current
    }

    public func authors(team: UUID, device: UUID, epoch: Int) async throws -> [DevicePublicKeys] {
        let keys = try await state(team).authors(device, at: epoch)
        return keys.isEmpty ? try await refresh(team).authors(device, at: epoch) : keys
    }

    public func defaultTeam() async throws -> UUID? {
        knownTeams.count == 1 ? knownTeams[0] : nil
    }

    // MARK: - Changing teams (an admin's device)

    func now() -> String { ISO8601.string(from: Date()) }

    /// Creates a team with this device's user as its admin; epoch 1's key is wrapped to this
    /// device only.
    public func createTeam(named name: String, identity: HubIdentity) async throws -> TeamState {
        let team = UUID(), key = TeamKey(), pair = try deviceKeys()
        guard let user = UUID(uuidString: identity.userID) else { throw TMWSError(.configuration, "the enrollment's identity is malformed") }
        let entry = try MembershipEntry(
            tenant: tenant, team: team, teamName: name, seq: 0, previous: MembershipEntry.genesis, action: .create, user: user,
            userName: identity.userName, role: "admin", devices: [.init(id: device, name: identity.deviceName, keys: pair.publicKeys)], epoch: 1,
            keyCommitment: key.commitment(tenant: tenant, team: team, epoch: 1), signer: device, at: now()
        ).signed(with: pair.signing)
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
    public func addMember(
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
            MembershipEntry.Device(id: device.id, name: device.name, keys: try DevicePublicKeys(agreementBase64: device.agreementKey, signingBase64: device.signingKey))
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
    public func removeMember(_ team: UUID, user: String, devices named: [String] = []) async throws -> TeamState {
        let state = try await refresh(team)
        guard state.isAdmin(device: device) else { throw TMWSError(.forbidden, "only an admin's device changes team \(state.name)'s members") }
        guard let member = state.member(named: user) else {
            throw TMWSError(.notFound, "\(user.truncatedForTeamMessage) is not a member of team \(state.name)", field: "user")
        }
        let revoked = try named.map { name in
            guard let device = member.devices.values.first(where: { $0.id.lowercasedString == name.lowercased() || $0.name == name }) else {
                throw TMWSError(.notFound, "\(member.name) has no device \(name.truncatedForTeamMessage) in team \(state.name)", field: "device")
            }
            return device
        }
        let leaving = revoked.isEmpty ? Set(member.devices.keys) : Set(revoked.map(\.id))
        let previous = try await key(team: team, epoch: state.epoch)
        let epoch = state.epoch + 1, next = TeamKey()
        let entry = try MembershipEntry(
            tenant: tenant, team: team, teamName: state.name, seq: state.seq + 1, previous: state.head, action: .remove, user: member.user,
            userName: member.name, role: member.role, devices: revoked, epoch: epoch, keyCommitment: next.commitment(tenant: tenant, team: team, epoch: epoch),
            signer: device, at: now()
        ).signed(with: try deviceKeys().signing)
        let remaining = state.devices.filter { !leaving.contains($0.id) }
        let wraps = try remaining.map { remaining in
            TeamChange.Wrap(device: remaining.id, epoch: epoch, wrapped: try next.wrapped(to: remaining.keys, device: remaining.id, tenant: tenant, team: team, epoch: epoch))
        }
        let sealedPrevious = try next.sealing(previous: previous, tenant: tenant, team: team, epoch: epoch)
        return try await post(team, TeamChange(entry: entry, keys: wraps, previousKey: sealedPrevious))
    }

    /// Replaces this device's keys in a team: an entry signed with the old key, and the
    /// current epoch's key wrapped to the new one (older epochs follow from the chain).
    public func rotate(_ team: UUID, to pair: DeviceKeyPair, name: String) async throws {
        let state = try await refresh(team)
        guard let member = state.members.values.first(where: { $0.devices[device] != nil }) else { return }
        // Already moved (a rotation that stopped part-way and runs again).
        if (try? member.devices[device]?.keys()) == pair.publicKeys { return }
        let current = try await key(team: team, epoch: state.epoch)
        let entry = try MembershipEntry(
            tenant: tenant, team: team, teamName: state.name, seq: state.seq + 1, previous: state.head, action: .rotateKeys, user: member.user,
            userName: member.name, role: member.role, devices: [.init(id: device, name: name, keys: pair.publicKeys)], epoch: state.epoch,
            keyCommitment: nil, signer: device, at: now()
        ).signed(with: try deviceKeys().signing)
        let wrap = TeamChange.Wrap(
            device: device, epoch: state.epoch, wrapped: try current.wrapped(to: pair.publicKeys, device: device, tenant: tenant, team: team, epoch: state.epoch)
        )
        _ = try await post(team, TeamChange(entry: entry, keys: [wrap], previousKey: nil))
    }

    /// Uses new device keys from now on (after ``rotate(_:to:name:)`` in every team).
    public func use(_ pair: DeviceKeyPair) {
        unlocked = pair
        keys = [:]
    }

    private func post(_ team: UUID, _ change: TeamChange) async throws -> TeamState {
        let document = try await cloud.client.call(
            .POST, "/v1/teams/\(team.lowercasedString)/log", body: change, credential: cloud.credential, as: TeamDocument.self
        )
        return try await accept(document, team: team)
    }
}

extension UUID {
    var lowercasedString: String { uuidString.lowercased() }
}

extension String {
    /// At most 40 characters of what a caller typed, for a message.
    var truncatedForTeamMessage: String { count > 40 ? prefix(40) + "…" : self }
}
