import Crypto
import Foundation
import TMWSCore

/// A team as its verified membership log describes it.
package struct TeamState: Sendable, Hashable {
    package struct Member: Sendable, Hashable {
        package var user: UUID
        package var name: String
        package var role: String
        package var devices: [UUID: MembershipEntry.Device]
    }

    /// A device's keys over a span of epochs (a rotation or revocation ends one).
    package struct Tenure: Sendable, Hashable {
        package var device: UUID
        package var user: UUID
        package var keys: DevicePublicKeys
        package var firstEpoch: Int
        package var lastEpoch: Int?
        /// When the tenure ended: the hybrid clock its ending entry carries (`nil` for an
        /// ending entry made before entries carried one, or a tenure still open).
        package var cutoff: Int64?

        /// Whether a change at `epoch` with hybrid clock `clock` falls inside the tenure.
        func covers(epoch: Int, clock: Int64?) -> Bool {
            guard firstEpoch <= epoch, (lastEpoch ?? .max) >= epoch else { return false }
            guard let cutoff, let clock else { return true }
            return clock <= cutoff
        }
    }

    package var tenant: UUID
    package var team: UUID
    package var name: String
    package var epoch: Int
    package var members: [UUID: Member]
    package var tenures: [Tenure]
    /// Each epoch's key commitment.
    package var commitments: [Int: [UInt8]]
    package var seq: Int
    package var head: String
    /// Every entry's hash, by sequence number (to compare an author's log head with).
    package var hashes: [String] = []

    /// The devices a new epoch key is wrapped to: every device of every member.
    package var devices: [(id: UUID, keys: DevicePublicKeys)] {
        members.values.flatMap { member in member.devices.values.compactMap { device in (try? device.keys()).map { (device.id, $0) } } }
            .sorted { $0.id.uuidString < $1.id.uuidString }
    }

    /// The keys a device signed with at `epoch` (newest first; more than one when it rotated
    /// its keys during that epoch), empty if it was not a device of the team then.
    /// With `clock`, a tenure that ended (a removal or a rotation) counts only for changes
    /// whose clock is not after its cut-off.
    package func authors(_ device: UUID, at epoch: Int, clock: Int64? = nil) -> [DevicePublicKeys] {
        tenures.filter { $0.device == device && $0.covers(epoch: epoch, clock: clock) }.reversed().map(\.keys)
    }

    /// The keys a device signs with now, at `epoch`.
    package func author(_ device: UUID, at epoch: Int) -> DevicePublicKeys? {
        tenures.last { $0.device == device && $0.firstEpoch <= epoch && ($0.lastEpoch ?? .max) >= epoch }?.keys
    }

    package func isAdmin(device: UUID) -> Bool {
        members.values.contains { $0.role == "admin" && $0.devices[device] != nil }
    }

    /// The members a name or user id names: by id exactly one; by name possibly several
    /// (two users of a tenant may share a display name).
    package func members(named name: String) -> [Member] {
        if let byID = members.values.first(where: { $0.user.uuidString.lowercased() == name.lowercased() }) { return [byID] }
        return members.values.filter { $0.name == name }.sorted { $0.user.uuidString < $1.user.uuidString }
    }
}

/// Verifying a membership log.
package enum MembershipLog {
    /// Where a client last saw the log: an entry's sequence number and hash. A later log must
    /// hold exactly that entry there (history is never rewritten).
    package struct Pin: Sendable, Hashable, CustomStringConvertible {
        package var seq: Int
        package var hash: String

        package init(seq: Int, hash: String) {
            self.seq = seq
            self.hash = hash
        }

        package init?(_ text: String) {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let seq = Int(parts[0]) else { return nil }
            self.init(seq: seq, hash: String(parts[1]))
        }

        package var description: String { "\(seq):\(hash)" }
    }

    /// The team the log describes, after checking every entry: the chain of hashes, each
    /// signature against a key the log itself established, that each signer had the right to
    /// make its entry, and that epochs start exactly where members leave.
    ///
    /// - Throws: ``CryptoFailure/invalidLog(_:)`` naming the first entry that fails.
    /// A team's id must be the one its first entry derives (``MembershipEntry/derivedTeam``),
    /// unless `acceptingLegacyID`: for a team made before ids were derived, which this node
    /// had pinned already (or the hub holds already).
    package static func verify(
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
