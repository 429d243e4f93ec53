import Crypto
import Foundation
import TMWSCore

/// One entry of a team's membership log: append-only, hash-chained, each entry signed by a
/// device of an admin of the team (the first by the creator's own device). Clients verify
/// the whole chain before they wrap a key to anyone, so a hub cannot add a device of its own.
public struct MembershipEntry: Codable, Sendable, Hashable {
    public enum Action: String, Codable, Sendable {
        /// Makes the team and its first admin; starts epoch 1.
        case create
        /// Adds a user's devices (a new member, or new devices of a member).
        case add
        /// Removes a member (`devices` empty) or revokes some of its devices; starts a new epoch.
        case remove
        /// Replaces the signing device's own keys (signed with its old key).
        case rotateKeys = "rotate-keys"
    }

    public struct Device: Codable, Sendable, Hashable {
        public var id: UUID
        public var name: String
        public var agreementKey: String
        public var signingKey: String

        public init(id: UUID, name: String, keys: DevicePublicKeys) {
            self.id = id
            self.name = name
            agreementKey = Data(keys.agreement).base64EncodedString()
            signingKey = Data(keys.signing).base64EncodedString()
        }

        public func keys() throws -> DevicePublicKeys { try DevicePublicKeys(agreementBase64: agreementKey, signingBase64: signingKey) }

        enum CodingKeys: String, CodingKey {
            case id, name
            case agreementKey = "agreement_key"
            case signingKey = "signing_key"
        }
    }

    public var tenant: UUID
    public var team: UUID
    public var teamName: String
    public var seq: Int
    /// The hash of the entry before (hex); 64 zeros for the first.
    public var previous: String
    public var action: Action
    public var user: UUID
    public var userName: String
    public var role: String
    public var devices: [Device]
    /// The epoch after this entry.
    public var epoch: Int
    /// For an entry that starts an epoch: the new key's commitment (hex, ``TeamKey/commitment(tenant:team:epoch:)``).
    public var keyCommitment: String?
    public var signer: UUID
    public var at: String
    /// For an entry that ends tenures (a removal, a key rotation): the signer's hybrid clock
    /// when it did. A change signed under an ended tenure with a later clock is refused by
    /// every reader, whatever epoch it names (a removed device keeps its last epoch's key).
    public var cutoff: Int64?
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case tenant, team, seq, previous, action, user, role, devices, epoch, signer, at, cutoff, signature
        case teamName = "team_name"
        case userName = "user_name"
        case keyCommitment = "key_commitment"
    }

    public init(
        tenant: UUID, team: UUID, teamName: String, seq: Int, previous: String, action: Action, user: UUID, userName: String, role: String,
        devices: [Device], epoch: Int, keyCommitment: [UInt8]?, signer: UUID, at: String, cutoff: Int64? = nil
    ) {
        (self.tenant, self.team, self.teamName, self.seq, self.previous, self.action) = (tenant, team, teamName, seq, previous, action)
        (self.user, self.userName, self.role, self.devices, self.epoch) = (user, userName, role, devices, epoch)
        self.keyCommitment = keyCommitment.map(Self.hex)
        (self.signer, self.at, self.cutoff, self.signature) = (signer, at, cutoff, "")
    }

    /// Where the tenures this entry ends stop: its cut-off, or for an entry made before
    /// entries carried one, the moment it was signed (the last tick of that millisecond).
    var endOfTenures: Int64? {
        if let cutoff { return cutoff }
        return ISO8601.date(from: at).map { HybridTimestamp.wall($0).rawValue | 0xFFFF }
    }

    /// The first entry of a new team, its id derived from the entry (``derivedTeam``) and the
    /// first epoch's key committed to under that id, signed by the creating device.
    public static func creation(
        tenant: UUID, teamName: String, user: UUID, userName: String, device: Device, key: TeamKey, at: String,
        signing: Curve25519.Signing.PrivateKey
    ) throws -> MembershipEntry {
        var entry = MembershipEntry(
            tenant: tenant, team: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), teamName: teamName, seq: 0, previous: genesis, action: .create, user: user,
            userName: userName, role: "admin", devices: [device], epoch: 1, keyCommitment: nil, signer: device.id, at: at
        )
        entry.team = entry.derivedTeam
        entry.keyCommitment = hex(key.commitment(tenant: tenant, team: entry.team, epoch: 1))
        return try entry.signed(with: signing)
    }

    /// A team's self-certifying id: a UUID (version 8) made of SHA-256 over its first entry
    /// without the id and the key commitment (which name the id). Who knows a team's id knows
    /// its founder's keys: a hub cannot serve another first entry for it, and a team it makes
    /// itself gets another id.
    public var derivedTeam: UUID {
        var writer = ByteWriter("tmws/v1/team-id")
        writer.uuid(tenant)
        writer.text(teamName)
        writer.text(previous)
        writer.text(action.rawValue)
        writer.uuid(user)
        writer.text(userName)
        writer.text(role)
        writer.u32(devices.count)
        for device in devices {
            writer.uuid(device.id)
            writer.text(device.name)
            writer.text(device.agreementKey)
            writer.text(device.signingKey)
        }
        writer.uuid(signer)
        writer.text(at)
        var b = Array(SHA256.hash(data: writer.bytes).prefix(16))
        b[6] = b[6] & 0x0f | 0x80
        b[8] = b[8] & 0x3f | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    public static let genesis = String(repeating: "0", count: 64)

    /// What the signature covers: every field but the signature, in a fixed binary layout.
    var signedBytes: [UInt8] {
        var writer = ByteWriter("tmws/v1/membership-entry")
        writer.uuid(tenant)
        writer.uuid(team)
        writer.text(teamName)
        writer.u64(seq)
        writer.text(previous)
        writer.text(action.rawValue)
        writer.uuid(user)
        writer.text(userName)
        writer.text(role)
        writer.u32(devices.count)
        for device in devices {
            writer.uuid(device.id)
            writer.text(device.name)
            writer.text(device.agreementKey)
            writer.text(device.signingKey)
        }
        writer.u64(epoch)
        writer.text(keyCommitment ?? "")
        writer.uuid(signer)
        writer.text(at)
        // Only entries that carry one (older entries keep the bytes they were signed over).
        if let cutoff {
            writer.text("cutoff")
            writer.u64(UInt64(bitPattern: cutoff))
        }
        return writer.bytes
    }

    /// The entry signed by `key` (the device named in `signer`).
    public func signed(with key: Curve25519.Signing.PrivateKey) throws -> MembershipEntry {
        var entry = self
        entry.signature = Data(try key.signature(for: signedBytes)).base64EncodedString()
        return entry
    }

    /// The chain's link to this entry: SHA-256 over the signed form and the signature (hex).
    public var hash: String {
        Self.hex(SHA256.hash(data: signedBytes + Array(signature.utf8)))
    }

    func verify(_ key: DevicePublicKeys) -> Bool {
        guard let signature = Data(base64Encoded: signature), let key = try? key.signingKey() else { return false }
        return key.isValidSignature(signature, for: signedBytes)
    }
}

/// A team as its verified membership log describes it.
public struct TeamState: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var user: UUID
        public var name: String
        public var role: String
        public var devices: [UUID: MembershipEntry.Device]
    }

    /// A device's keys over a span of epochs (a rotation or revocation ends one).
    public struct Tenure: Sendable, Hashable {
        public var device: UUID
        public var user: UUID
        public var keys: DevicePublicKeys
        public var firstEpoch: Int
        public var lastEpoch: Int?
        /// When the tenure ended: the hybrid clock its ending entry carries (`nil` for an
        /// ending entry made before entries carried one, or a tenure still open).
        public var cutoff: Int64?

        /// Whether a change at `epoch` with hybrid clock `clock` falls inside the tenure.
        func covers(epoch: Int, clock: Int64?) -> Bool {
            guard firstEpoch <= epoch, (lastEpoch ?? .max) >= epoch else { return false }
            guard let cutoff, let clock else { return true }
            return clock <= cutoff
        }
    }

    public var tenant: UUID
    public var team: UUID
    public var name: String
    public var epoch: Int
    public var members: [UUID: Member]
    public var tenures: [Tenure]
    /// Each epoch's key commitment.
    public var commitments: [Int: [UInt8]]
    public var seq: Int
    public var head: String
    /// Every entry's hash, by sequence number (to compare an author's log head with).
    public var hashes: [String] = []

    /// The devices a new epoch key is wrapped to: every device of every member.
    public var devices: [(id: UUID, keys: DevicePublicKeys)] {
        members.values.flatMap { member in member.devices.values.compactMap { device in (try? device.keys()).map { (device.id, $0) } } }
            .sorted { $0.id.uuidString < $1.id.uuidString }
    }

    /// The keys a device signed with at `epoch` (newest first; more than one when it rotated
    /// its keys during that epoch), empty if it was not a device of the team then.
    /// With `clock`, a tenure that ended (a removal or a rotation) counts only for changes
    /// whose clock is not after its cut-off.
    public func authors(_ device: UUID, at epoch: Int, clock: Int64? = nil) -> [DevicePublicKeys] {
        tenures.filter { $0.device == device && $0.covers(epoch: epoch, clock: clock) }.reversed().map(\.keys)
    }

    /// The keys a device signs with now, at `epoch`.
    public func author(_ device: UUID, at epoch: Int) -> DevicePublicKeys? {
        tenures.last { $0.device == device && $0.firstEpoch <= epoch && ($0.lastEpoch ?? .max) >= epoch }?.keys
    }

    public func isAdmin(device: UUID) -> Bool {
        members.values.contains { $0.role == "admin" && $0.devices[device] != nil }
    }

    /// The members a name or user id names: by id exactly one; by name possibly several
    /// (two users of a tenant may share a display name).
    public func members(named name: String) -> [Member] {
        if let byID = members.values.first(where: { $0.user.uuidString.lowercased() == name.lowercased() }) { return [byID] }
        return members.values.filter { $0.name == name }.sorted { $0.user.uuidString < $1.user.uuidString }
    }
}

/// Verifying a membership log.
public enum MembershipLog {
    /// Where a client last saw the log: an entry's sequence number and hash. A later log must
    /// hold exactly that entry there (history is never rewritten).
    public struct Pin: Sendable, Hashable, CustomStringConvertible {
        public var seq: Int
        public var hash: String

        public init(seq: Int, hash: String) {
            self.seq = seq
            self.hash = hash
        }

        public init?(_ text: String) {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let seq = Int(parts[0]) else { return nil }
            self.init(seq: seq, hash: String(parts[1]))
        }

        public var description: String { "\(seq):\(hash)" }
    }

    /// The team the log describes, after checking every entry: the chain of hashes, each
    /// signature against a key the log itself established, that each signer had the right to
    /// make its entry, and that epochs start exactly where members leave.
    ///
    /// - Throws: ``CryptoFailure/invalidLog(_:)`` naming the first entry that fails.
    /// A team's id must be the one its first entry derives (``MembershipEntry/derivedTeam``),
    /// unless `acceptingLegacyID`: for a team made before ids were derived, which this node
    /// had pinned already (or the hub holds already).
    public static func verify(
        _ entries: [MembershipEntry], tenant: UUID, team: UUID, pinned: Pin? = nil, acceptingLegacyID: Bool = false
    ) throws -> TeamState {
        guard let first = entries.first else { throw CryptoFailure.invalidLog("it is empty") }
        func fail(_ index: Int, _ reason: String) -> CryptoFailure { .invalidLog("entry \(index): \(reason)") }
        // Numbers come from the hub (or a pushed body): in range before anything else.
        for (index, entry) in entries.enumerated() {
            guard entry.seq == index, (1...Int(Int32.max)).contains(entry.epoch), entry.devices.count <= 1000, entry.cutoff.map({ $0 > 0 }) ?? true,
                entry.teamName.utf8.count <= 800, entry.userName.utf8.count <= 800, entry.role.utf8.count <= 16
            else { throw fail(index, "a number or field is out of range") }
        }
        guard first.action == .create, first.seq == 0, first.previous == MembershipEntry.genesis, first.epoch == 1,
            first.role == "admin", !first.devices.isEmpty, let commitment = first.keyCommitment.flatMap(Self.bytes)
        else { throw fail(0, "not a team's creation") }
        guard let founder = first.devices.first(where: { $0.id == first.signer }), first.verify(try founder.keys()) else {
            throw fail(0, "not signed by the creator's device")
        }
        var state = TeamState(
            tenant: tenant, team: team, name: first.teamName, epoch: 1, members: [:], tenures: [], commitments: [1: commitment], seq: 0,
            head: first.hash, hashes: [first.hash]
        )
        guard first.tenant == tenant, first.team == team else { throw fail(0, "another team's entry") }
        guard acceptingLegacyID || first.derivedTeam == team else {
            throw fail(0, "the team's id is not the one its first entry derives (another team under this id)")
        }
        try add(first, to: &state)
        var hashes = [first.hash]
        for (index, entry) in entries.enumerated().dropFirst() {
            guard entry.tenant == tenant, entry.team == team else { throw fail(index, "another team's entry") }
            guard entry.seq == index, entry.previous == state.head else { throw fail(index, "does not follow the entry before it") }
            guard entry.teamName == state.name else { throw fail(index, "renames the team") }
            switch entry.action {
            case .create:
                throw fail(index, "creates the team again")
            case .add:
                guard state.isAdmin(device: entry.signer), let key = state.author(entry.signer, at: state.epoch), entry.verify(key) else {
                    throw fail(index, "not signed by a device of an admin")
                }
                guard entry.epoch == state.epoch, entry.keyCommitment == nil, !entry.devices.isEmpty else {
                    throw fail(index, "an addition keeps the epoch and adds at least one device")
                }
                guard entry.role == "admin" || entry.role == "member" else { throw fail(index, "unknown role") }
                let active = Set(state.members.values.flatMap(\.devices.keys))
                guard entry.devices.allSatisfy({ !active.contains($0.id) }) else { throw fail(index, "adds a device the team already has") }
                try add(entry, to: &state)
            case .remove:
                guard state.isAdmin(device: entry.signer), let key = state.author(entry.signer, at: state.epoch), entry.verify(key) else {
                    throw fail(index, "not signed by a device of an admin")
                }
                guard entry.epoch == state.epoch + 1, let commitment = entry.keyCommitment.flatMap(Self.bytes) else {
                    throw fail(index, "a removal starts the next epoch with a new key")
                }
                guard var member = state.members[entry.user] else { throw fail(index, "removes someone who is not a member") }
                let removed = entry.devices.isEmpty ? Array(member.devices.keys) : entry.devices.map(\.id)
                guard removed.allSatisfy({ member.devices[$0] != nil }) else { throw fail(index, "revokes a device the member does not have") }
                for device in removed { member.devices[device] = nil }
                state.members[entry.user] = member.devices.isEmpty ? nil : member
                guard state.members.values.contains(where: { $0.role == "admin" }) else { throw fail(index, "removes the last admin") }
                for index in state.tenures.indices where removed.contains(state.tenures[index].device) && state.tenures[index].lastEpoch == nil {
                    state.tenures[index].lastEpoch = state.epoch
                    state.tenures[index].cutoff = entry.endOfTenures
                }
                state.epoch = entry.epoch
                state.commitments[entry.epoch] = commitment
            case .rotateKeys:
                guard entry.devices.count == 1, let device = entry.devices.first, device.id == entry.signer,
                    let old = state.author(entry.signer, at: state.epoch), entry.verify(old),
                    var member = state.members[entry.user], member.devices[device.id] != nil
                else { throw fail(index, "a key rotation is signed by the rotating device's current key") }
                // A rotation starts the next epoch (its new key wrapped to every device, so keys
                // stolen from the device read nothing written after it); rotations made before
                // that kept the epoch.
                // Only an admin's starts one: its key reaches every device only through the
                // rotating device's wraps, which no one else can check, and a member must not be
                // able to cut the team off its own key (a member's rotation keeps the epoch; an
                // admin's `tmws team rekey` then starts one).
                let startsEpoch = entry.epoch == state.epoch + 1
                guard startsEpoch ? entry.keyCommitment.flatMap(Self.bytes) != nil : (entry.epoch == state.epoch && entry.keyCommitment == nil)
                else { throw fail(index, "a key rotation keeps the epoch, or starts the next one with a new key") }
                guard !startsEpoch || state.isAdmin(device: entry.signer) else { throw fail(index, "only an admin's key rotation starts an epoch") }
                member.devices[device.id] = device
                state.members[entry.user] = member
                for index in state.tenures.indices where state.tenures[index].device == device.id && state.tenures[index].lastEpoch == nil {
                    state.tenures[index].lastEpoch = state.epoch
                    state.tenures[index].cutoff = entry.endOfTenures
                }
                if startsEpoch, let commitment = entry.keyCommitment.flatMap(Self.bytes) {
                    state.epoch = entry.epoch
                    state.commitments[entry.epoch] = commitment
                }
                state.tenures.append(.init(device: device.id, user: entry.user, keys: try device.keys(), firstEpoch: state.epoch, lastEpoch: nil))
            }
            state.seq = index
            state.head = entry.hash
            hashes.append(entry.hash)
        }
        state.hashes = hashes
        if let pinned {
            guard pinned.seq < hashes.count, hashes[pinned.seq] == pinned.hash else {
                throw CryptoFailure.invalidLog("it does not contain the entry this device saw before (history was rewritten)")
            }
        }
        return state
    }

    private static func add(_ entry: MembershipEntry, to state: inout TeamState) throws {
        var member = state.members[entry.user] ?? TeamState.Member(user: entry.user, name: entry.userName, role: entry.role, devices: [:])
        member.role = entry.role
        for device in entry.devices {
            member.devices[device.id] = device
            state.tenures.append(.init(device: device.id, user: entry.user, keys: try device.keys(), firstEpoch: state.epoch, lastEpoch: nil))
        }
        state.members[entry.user] = member
    }

    static func bytes(_ hex: String) -> [UInt8]? {
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
