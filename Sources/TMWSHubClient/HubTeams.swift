import Crypto
import Foundation
import TMWSCore
import TMWSCrypto

/// A node's view of its teams on the hub: each team's membership log, verified and pinned
/// before anything is wrapped or accepted, and the team keys this device can open. The
/// device's private keys are unlocked only when first needed (a node that never touches a
/// SHARED memory never asks for its passphrase).
public actor HubTeamKeyring: TeamKeyring {
    /// What the keyring keeps across runs, by key (the node keeps it in its sync settings):
    /// `team.ID` where each team's log was last seen (a pin), `team_epoch_seen.ID` the newest
    /// epoch a member was seen
    /// writing under, `team_fork.ID` a fork noticed, and `author.DEVICE` / `origin.HASH` the
    /// origin device each author writes as.
    public struct Records: Sendable {
        public var get: @Sendable (String) async throws -> String?
        public var set: @Sendable (String, String?) async throws -> Void

        public init(get: @escaping @Sendable (String) async throws -> String?, set: @escaping @Sendable (String, String?) async throws -> Void) {
            self.get = get
            self.set = set
        }

        /// Kept in memory only (a benchmark's keyring).
        public static func inMemory() -> Records {
            let values = InMemoryValues()
            return Records(get: { await values.get($0) }, set: { await values.set($0, $1) })
        }

        func pin(_ team: UUID) async throws -> MembershipLog.Pin? { try await get("team." + team.lowercasedString).flatMap(MembershipLog.Pin.init) }
    }

    actor InMemoryValues {
        var values: [String: String] = [:]
        func get(_ key: String) -> String? { values[key] }
        func set(_ key: String, _ value: String?) { values[key] = value }
    }

    public nonisolated let tenant: UUID
    public nonisolated let device: UUID
    let cloud: HubCloud
    let unlock: @Sendable () throws -> DeviceKeyPair
    let records: Records
    /// The origin id this node's changes carry: a sealed change by another device that
    /// claims it is refused.
    let origin: String?
    /// This node's hybrid clock now (a cut-off is never before a change this node made or
    /// took in; the wall clock when `nil`).
    let hybridClock: @Sendable () async throws -> Int64?
    /// The teams whose names this node confirmed (for the default team).
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
        identity: HubIdentity, confirmedTeams: [UUID], cloud: HubCloud, records: Records, origin: String? = nil,
        hybridClock: @escaping @Sendable () async throws -> Int64? = { nil }, unlock: @escaping @Sendable () throws -> DeviceKeyPair,
        stored: @escaping @Sendable () -> DevicePublicKeys? = { nil }
    ) throws {
        self.origin = origin
        self.hybridClock = hybridClock
        self.stored = stored
        guard let tenant = UUID(uuidString: identity.tenantID), let device = UUID(uuidString: identity.deviceID) else {
            throw TMWSError(.configuration, "the enrollment's identity is malformed; enroll again")
        }
        self.tenant = tenant
        self.device = device
        self.cloud = cloud
        self.records = records
        self.unlock = unlock
        knownTeams = confirmedTeams
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
    public func accept(_ document: TeamDocument, team: UUID, acceptingLegacyID: Bool = false) async throws -> TeamState {
        // A team made before ids were derived from the first entry is accepted only if this
        // node had pinned it already (it trusted it before) or an invite code vouches for it;
        // a new one must certify itself.
        let pin = try await records.pin(team)
        let state = try MembershipLog.verify(document.log, tenant: tenant, team: team, pinned: pin, acceptingLegacyID: acceptingLegacyID || pin != nil)
        try await records.set("team." + team.lowercasedString, MembershipLog.Pin(seq: state.seq, hash: state.head).description)
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
        // A member was seen writing under a newer epoch than this device's log reaches: the
        // hub holds back entries (say, a removal). Sealing under the old key would let a
        // removed member read the change, so it waits until the log catches up.
        if let seen = try await records.get("team_epoch_seen." + team.lowercasedString).flatMap(Int.init), seen > state.epoch {
            state = try await refresh(team)
            guard seen <= state.epoch else {
                throw TMWSError(
                    .refused,
                    "team \(state.name): a member writes under epoch \(seen) but the hub serves this device its log only to epoch \(state.epoch); "
                        + "the change waits until the hub serves the newer log (it may be holding back a removal; "
                        + "'tmws team clear-alarms \(state.name)' once an admin has checked)"
                )
            }
        }
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
        guard var (at, current) = found else {
            // Asked only after a device of the team signed a change at `epoch`: a newer epoch
            // than this device's log knows means the log it is served is behind.
            if epoch > state.epoch { try await noteEpoch(epoch, of: team) }
            throw CryptoFailure.noKey(team: state.name, epoch: epoch)
        }
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

    public func authors(team: UUID, device: UUID, epoch: Int, clock: Int64) async throws -> [DevicePublicKeys] {
        let state = try await state(team)
        let keys = state.authors(device, at: epoch, clock: clock)
        // A newer epoch than this log knows: the author may have rotated its keys since.
        return keys.isEmpty || epoch > state.epoch ? try await refresh(team).authors(device, at: epoch, clock: clock) : keys
    }

    /// Fetches the team again before the next use (a signature that did not verify against
    /// the log as cached: the author may have rotated its keys within the epoch since).
    public func invalidate(team: UUID) async {
        documents[team] = nil
    }

    public func logHead(team: UUID) async throws -> EnvelopeHeader.LogHead? {
        let state = try await state(team)
        return EnvelopeHeader.LogHead(seq: state.seq, hex: state.head)
    }

    /// An opened change's author's log head against this device's log, and its author against
    /// the origin device it writes as.
    ///
    /// A head that names another entry than this device holds at that place is a fork (the
    /// hub showed the two devices different logs), or a member's lie: the change is refused
    /// and the team flagged (`tmws sync status`), but sealing goes on, so no one member can
    /// stop a team. An author writes as one origin device, never as this node itself; the
    /// first origin an author is seen with is the one it keeps (a claim about an author can
    /// only be made with that author's key, so no one can pin another author's origin).
    public func admit(_ header: EnvelopeHeader) async throws {
        let team = header.team
        if let head = header.log {
            var state = try await state(team)
            if head.seq >= state.hashes.count, head.seq <= state.seq + 1000 { state = try await refresh(team) }
            if head.seq < state.hashes.count, !head.matches(state.hashes[head.seq]) {
                try await records.set("team_fork." + team.lowercasedString, "entry \(head.seq), author \(header.author.lowercasedString)")
                throw CryptoFailure.headerMismatch("the author's team log differs from this device's at entry \(head.seq): a forked log")
            }
        }
        if let mine = self.origin, header.author != device, header.origin == EnvelopeHeader.origin(of: mine) {
            throw CryptoFailure.headerMismatch("another device wrote as this device")
        }
        let origin = header.origin.map { String(format: "%02x", $0) }.joined()
        let key = "author." + header.author.lowercasedString
        switch try await records.get(key) {
        case nil: try await records.set(key, origin)
        case origin: break
        default: throw CryptoFailure.headerMismatch("the author writes as another device than before")
        }
    }

    /// Forgets the alarms of a team: a fork noticed, a newer epoch seen.
    public func clearAlarms(_ team: UUID) async throws {
        try await records.set("team_fork." + team.lowercasedString, nil)
        try await records.set("team_epoch_seen." + team.lowercasedString, nil)
    }

    /// Records that a member wrote under `epoch`, newer than this device's log reaches (at
    /// most a few epochs ahead: a claim of any epoch at all would stop sealing for good).
    func noteEpoch(_ epoch: Int, of team: UUID) async throws {
        guard let known = documents[team]?.state.epoch, epoch <= known + Self.epochsAheadNoted else { return }
        let key = "team_epoch_seen." + team.lowercasedString
        if (try await records.get(key).flatMap(Int.init) ?? 0) < epoch { try await records.set(key, String(epoch)) }
    }

    /// How far ahead of this device's log a member's epoch is taken as proof of a held-back log.
    static let epochsAheadNoted = 16

    // MARK: - Joining

    /// Joins a team with the invite code an admin gave out of band: the team's self-certifying
    /// id and a log entry the hub must serve (so it cannot hold back what came before).
    public func join(_ code: TeamInvite) async throws -> TeamState {
        let document = try await cloud.client.call(.GET, "/v1/teams/\(code.team.lowercasedString)", credential: cloud.credential, as: TeamDocument.self)
        // Checked before anything is kept: the code vouches for the team (one made before ids
        // were derived included) only if the log holds the entry it names.
        let served = try MembershipLog.verify(document.log, tenant: tenant, team: code.team, acceptingLegacyID: true)
        guard code.seq < served.hashes.count, code.matches(served.hashes[code.seq]) else {
            throw TMWSError(
                .refused,
                "the hub serves team \(code.team.lowercasedString) without the log entry the invite code names: do not use this team; ask the admin again"
            )
        }
        guard served.author(device, at: served.epoch) != nil else {
            throw TMWSError(.forbidden, "this device is not in team \(served.name) yet: an admin adds it first (tmws team add-member)")
        }
        return try await accept(document, team: code.team, acceptingLegacyID: true)
    }

    /// The invite code for a team this device is in.
    public func invite(_ team: UUID) async throws -> TeamInvite {
        TeamInvite(try await refresh(team))
    }

    public func defaultTeam() async throws -> UUID? {
        knownTeams.count == 1 ? knownTeams[0] : nil
    }

    // MARK: - Changing teams (an admin's device)

    func now() -> String { ISO8601.string(from: Date()) }

    /// Creates a team with this device's user as its admin; epoch 1's key is wrapped to this
    /// device only.
    public func createTeam(named name: String, identity: HubIdentity) async throws -> TeamState {
        let key = TeamKey(), pair = try deviceKeys()
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
    public func removeMember(_ team: UUID, user: String, devices deviceNames: [String] = []) async throws -> TeamState {
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
        let epoch = state.epoch + 1, next = TeamKey()
        let entry = try MembershipEntry(
            tenant: tenant, team: team, teamName: state.name, seq: state.seq + 1, previous: state.head, action: .remove, user: member.user,
            userName: member.name, role: member.role, devices: revoked, epoch: epoch, keyCommitment: next.commitment(tenant: tenant, team: team, epoch: epoch),
            signer: device, at: now(), cutoff: try await cutoff()
        ).signed(with: try deviceKeys().signing)
        let remaining = state.devices.filter { !leaving.contains($0.id) }
        let wraps = try remaining.map { remaining in
            TeamChange.Wrap(device: remaining.id, epoch: epoch, wrapped: try next.wrapped(to: remaining.keys, device: remaining.id, tenant: tenant, team: team, epoch: epoch))
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
    public func rotate(_ team: UUID, to pair: DeviceKeyPair, name: String) async throws -> Bool {
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
    public func rekey(_ team: UUID) async throws -> TeamState {
        let state = try await refresh(team)
        guard state.isAdmin(device: device), let member = state.members.values.first(where: { $0.devices[device] != nil }),
            let me = member.devices[device]
        else { throw TMWSError(.forbidden, "only an admin's device starts a new epoch of team \(state.name)") }
        return try await post(team, try await rotation(state, member: member, device: me, newEpoch: true))
    }

    private func rotation(_ state: TeamState, member: TeamState.Member, device entryDevice: MembershipEntry.Device, newEpoch: Bool) async throws -> TeamChange {
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
            let wrap = TeamChange.Wrap(device: device, epoch: epoch, wrapped: try current.wrapped(to: keys, device: device, tenant: tenant, team: team, epoch: epoch))
            return TeamChange(entry: entry, keys: [wrap], previousKey: nil)
        }
        let recipients = state.devices.map { $0.id == device ? (id: device, keys: keys) : $0 }
        let wraps = try recipients.map { recipient in
            TeamChange.Wrap(
                device: recipient.id, epoch: epoch, wrapped: try next.wrapped(to: recipient.keys, device: recipient.id, tenant: tenant, team: team, epoch: epoch)
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
