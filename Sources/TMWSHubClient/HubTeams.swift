import Crypto
import Foundation
import TMWSCore
import TMWSCrypto

/// A node's view of its teams on the hub: each team's membership log, verified and pinned
/// before anything is wrapped or accepted, and the team keys this device can open. The
/// device's private keys are unlocked only when first needed (a node that never touches a
/// SHARED memory never asks for its passphrase).
package actor HubTeamKeyring: TeamKeyring {
    /// What the keyring keeps across runs, by key (the node keeps it in its sync settings):
    /// `team.ID` where each team's log was last seen (a pin), `team_epoch_seen.ID` the newest
    /// epoch a member was seen
    /// writing under, `team_fork.ID` a fork noticed, and `author.DEVICE` / `origin.HASH` the
    /// origin device each author writes as.
    package struct Records: Sendable {
        package var get: @Sendable (String) async throws -> String?
        package var set: @Sendable (String, String?) async throws -> Void

        package init(get: @escaping @Sendable (String) async throws -> String?, set: @escaping @Sendable (String, String?) async throws -> Void) {
            self.get = get
            self.set = set
        }

        /// Kept in memory only (a benchmark's keyring).
        package static func inMemory() -> Records {
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

    package nonisolated let tenant: UUID
    package nonisolated let device: UUID
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

    package init(
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

    package func deviceKeys() throws -> DeviceKeyPair {
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
    package func refresh(_ team: UUID) async throws -> TeamState {
        let document = try await cloud.client.call(.GET, "/v1/teams/\(team.lowercasedString)", credential: cloud.credential, as: TeamDocument.self)
        return try await accept(document, team: team)
    }

    /// Verifies a document the hub sent and keeps it.
    @discardableResult
    package func accept(_ document: TeamDocument, team: UUID, acceptingLegacyID: Bool = false) async throws -> TeamState {
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

    package func state(_ team: UUID) async throws -> TeamState {
        if let known = documents[team], ContinuousClock.now - known.fetched < freshness { return known.state }
        return try await refresh(team)
    }

    package func author() async throws -> MemoryEnvelope.Author {
        MemoryEnvelope.Author(device: device, signing: try deviceKeys().signing)
    }

    package func sealingKey(team: UUID) async throws -> (epoch: Int, key: TeamKey) {
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
    package func key(team: UUID, epoch: Int) async throws -> TeamKey {
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

    package func authors(team: UUID, device: UUID, epoch: Int, clock: Int64) async throws -> [DevicePublicKeys] {
        let state = try await state(team)
        let keys = state.authors(device, at: epoch, clock: clock)
        // A newer epoch than this log knows: the author may have rotated its keys since.
        return keys.isEmpty || epoch > state.epoch ? try await refresh(team).authors(device, at: epoch, clock: clock) : keys
    }

    /// Fetches the team again before the next use (a signature that did not verify against
    /// the log as cached: the author may have rotated its keys within the epoch since).
    package func invalidate(team: UUID) async {
        documents[team] = nil
    }

    package func logHead(team: UUID) async throws -> EnvelopeHeader.LogHead? {
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
    package func admit(_ header: EnvelopeHeader) async throws {
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
        let origin = Hex.encode(header.origin)
        let key = "author." + header.author.lowercasedString
        switch try await records.get(key) {
        case nil: try await records.set(key, origin)
        case origin: break
        default: throw CryptoFailure.headerMismatch("the author writes as another device than before")
        }
    }

    /// Forgets the alarms of a team: a fork noticed, a newer epoch seen.
    package func clearAlarms(_ team: UUID) async throws {
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
    package func join(_ code: TeamInvite) async throws -> TeamState {
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
    package func invite(_ team: UUID) async throws -> TeamInvite {
        TeamInvite(try await refresh(team))
    }

    package func defaultTeam() async throws -> UUID? {
        knownTeams.count == 1 ? knownTeams[0] : nil
    }
}

extension UUID {
    var lowercasedString: String { uuidString.lowercased() }
}

extension String {
    /// At most 40 characters of what a caller typed, for a message.
    var truncatedForTeamMessage: String { count > 40 ? prefix(40) + "…" : self }
}
