import Crypto
import Foundation
import TMWSCore

/// One entry of a team's membership log: append-only, hash-chained, each entry signed by a
/// device of an admin of the team (the first by the creator's own device). Clients verify
/// the whole chain before they wrap a key to anyone, so a hub cannot add a device of its own.
package struct MembershipEntry: Codable, Sendable, Hashable {
    package enum Action: String, Codable, Sendable {
        /// Makes the team and its first admin; starts epoch 1.
        case create
        /// Adds a user's devices (a new member, or new devices of a member).
        case add
        /// Removes a member (`devices` empty) or revokes some of its devices; starts a new epoch.
        case remove
        /// Replaces the signing device's own keys (signed with its old key).
        case rotateKeys = "rotate-keys"
    }

    package struct Device: Codable, Sendable, Hashable {
        package var id: UUID
        package var name: String
        package var agreementKey: String
        package var signingKey: String

        package init(id: UUID, name: String, keys: DevicePublicKeys) {
            self.id = id
            self.name = name
            agreementKey = Data(keys.agreement).base64EncodedString()
            signingKey = Data(keys.signing).base64EncodedString()
        }

        package func keys() throws -> DevicePublicKeys { try DevicePublicKeys(agreementBase64: agreementKey, signingBase64: signingKey) }

        enum CodingKeys: String, CodingKey {
            case id, name
            case agreementKey = "agreement_key"
            case signingKey = "signing_key"
        }
    }

    package var tenant: UUID
    package var team: UUID
    package var teamName: String
    package var seq: Int
    /// The hash of the entry before (hex); 64 zeros for the first.
    package var previous: String
    package var action: Action
    package var user: UUID
    package var userName: String
    package var role: String
    package var devices: [Device]
    /// The epoch after this entry.
    package var epoch: Int
    /// For an entry that starts an epoch: the new key's commitment (hex, ``TeamKey/commitment(tenant:team:epoch:)``).
    package var keyCommitment: String?
    package var signer: UUID
    package var at: String
    /// For an entry that ends tenures (a removal, a key rotation): the signer's hybrid clock
    /// when it did. A change signed under an ended tenure with a later clock is refused by
    /// every reader, whatever epoch it names (a removed device keeps its last epoch's key).
    package var cutoff: Int64?
    package var signature: String

    enum CodingKeys: String, CodingKey {
        case tenant, team, seq, previous, action, user, role, devices, epoch, signer, at, cutoff, signature
        case teamName = "team_name"
        case userName = "user_name"
        case keyCommitment = "key_commitment"
    }

    package init(
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
    package static func creation(
        tenant: UUID, teamName: String, user: UUID, userName: String, device: Device, key: TeamKey, at: String,
        signing: Curve25519.Signing.PrivateKey
    ) throws -> MembershipEntry {
        var entry = MembershipEntry(
            tenant: tenant, team: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), teamName: teamName, seq: 0, previous: genesis, action: .create,
            user: user,
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
    package var derivedTeam: UUID {
        var writer = ByteWriter("tmws/v1/team-id")
        writer.uuid(tenant)
        writer.text(teamName)
        writer.text(previous)
        writer.text(action.rawValue)
        writer.uuid(user)
        writer.text(userName)
        writer.text(role)
        writer.devices(devices)
        writer.uuid(signer)
        writer.text(at)
        var b = Array(SHA256.hash(data: writer.bytes).prefix(16))
        b[6] = b[6] & 0x0f | 0x80
        b[8] = b[8] & 0x3f | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    package static let genesis = String(repeating: "0", count: 64)

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
        writer.devices(devices)
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
    package func signed(with key: Curve25519.Signing.PrivateKey) throws -> MembershipEntry {
        var entry = self
        entry.signature = Data(try key.signature(for: signedBytes)).base64EncodedString()
        return entry
    }

    /// The chain's link to this entry: SHA-256 over the signed form and the signature (hex).
    package var hash: String {
        Self.hex(SHA256.hash(data: signedBytes + Array(signature.utf8)))
    }

    func verify(_ key: DevicePublicKeys) -> Bool {
        guard let signature = Data(base64Encoded: signature), let key = try? key.signingKey() else { return false }
        return key.isValidSignature(signature, for: signedBytes)
    }
}

extension ByteWriter {
    /// A list of devices as the signed and the identifying forms of an entry hold them.
    mutating func devices(_ devices: [MembershipEntry.Device]) {
        u32(devices.count)
        for device in devices {
            uuid(device.id)
            text(device.name)
            text(device.agreementKey)
            text(device.signingKey)
        }
    }
}
