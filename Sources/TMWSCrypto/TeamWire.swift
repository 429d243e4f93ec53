import Foundation
import TMWSCore

/// A team as one of its devices fetches it: the membership log, this device's wrapped keys,
/// and the chain of epoch keys.
package struct TeamDocument: Codable, Sendable {
    package struct WrappedKey: Codable, Sendable {
        package var epoch: Int
        package var wrapped: String

        package init(epoch: Int, wrapped: String) {
            self.epoch = epoch
            self.wrapped = wrapped
        }
    }

    package struct EpochLink: Codable, Sendable {
        package var epoch: Int
        package var previousKey: String

        package init(epoch: Int, previousKey: String) {
            self.epoch = epoch
            self.previousKey = previousKey
        }

        enum CodingKeys: String, CodingKey {
            case epoch
            case previousKey = "previous_key"
        }
    }

    package var team: String
    package var name: String
    package var epoch: Int
    package var log: [MembershipEntry]
    package var keys: [WrappedKey]
    package var links: [EpochLink]

    package init(team: String, name: String, epoch: Int, log: [MembershipEntry], keys: [WrappedKey], links: [EpochLink]) {
        (self.team, self.name, self.epoch, self.log, self.keys, self.links) = (team, name, epoch, log, keys, links)
    }
}

/// A change a device makes to a team: a signed log entry, the keys it wraps, and (for a new
/// epoch) the previous key sealed under the new one.
package struct TeamChange: Codable, Sendable {
    package struct Wrap: Codable, Sendable {
        package var device: UUID
        package var epoch: Int
        package var wrapped: String

        package init(device: UUID, epoch: Int, wrapped: [UInt8]) {
            self.device = device
            self.epoch = epoch
            self.wrapped = Data(wrapped).base64EncodedString()
        }

        enum CodingKeys: String, CodingKey {
            case epoch, wrapped
            case device = "device_id"
        }
    }

    package var entry: MembershipEntry
    package var keys: [Wrap]
    package var previousKey: String?

    package init(entry: MembershipEntry, keys: [Wrap], previousKey: [UInt8]?) {
        self.entry = entry
        self.keys = keys
        self.previousKey = previousKey.map { Data($0).base64EncodedString() }
    }

    enum CodingKeys: String, CodingKey {
        case entry, keys
        case previousKey = "previous_key"
    }
}

/// A device of a user, with the public keys it registered (what an admin adds to a team).
package struct UserDevice: Codable, Sendable {
    package var id: UUID
    package var name: String
    package var agreementKey: String
    package var signingKey: String

    package init(id: UUID, name: String, agreementKey: String, signingKey: String) {
        (self.id, self.name, self.agreementKey, self.signingKey) = (id, name, agreementKey, signingKey)
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case agreementKey = "agreement_key"
        case signingKey = "signing_key"
    }
}

/// A user of the tenant and its devices with registered keys.
package struct UserDevices: Codable, Sendable {
    package var userID: UUID
    package var userName: String
    package var devices: [UserDevice]

    package init(userID: UUID, userName: String, devices: [UserDevice]) {
        (self.userID, self.userName, self.devices) = (userID, userName, devices)
    }

    enum CodingKeys: String, CodingKey {
        case devices
        case userID = "user_id"
        case userName = "user_name"
    }
}

/// The tenant's devices by the origin id their changes carry (`GET /v1/devices`): what a
/// node shows instead of bare ids, in a conflict's versions for one.
package struct DeviceNames: Codable, Sendable {
    package struct Device: Codable, Sendable, Hashable {
        package var origin: String
        package var name: String
        package var userName: String

        package init(origin: String, name: String, userName: String) {
            (self.origin, self.name, self.userName) = (origin, name, userName)
        }

        enum CodingKeys: String, CodingKey {
            case origin, name
            case userName = "user_name"
        }
    }

    package var devices: [Device]

    package init(devices: [Device]) {
        self.devices = devices
    }
}

/// What an admin gives a joining member out of band (`tmws team invite`): the team's
/// self-certifying id (which fixes its first entry and founder) and an entry of its log the
/// hub must serve to the joining device (so it cannot serve a log from before, say, a
/// removal). Text form: `tmws-team-1:<team id>:<seq>:<first 16 bytes of that entry's hash, hex>`.
package struct TeamInvite: Sendable, Hashable, CustomStringConvertible {
    package var team: UUID
    package var seq: Int
    package var hash: [UInt8]

    package init(team: UUID, seq: Int, hash: [UInt8]) {
        (self.team, self.seq, self.hash) = (team, seq, hash)
    }

    /// The code for a verified team as it stands.
    package init(_ state: TeamState) {
        self.init(team: state.team, seq: state.seq, hash: Array((MembershipLog.bytes(state.head) ?? []).prefix(16)))
    }

    package init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "tmws-team-1", let team = UUID(uuidString: String(parts[1])),
            let seq = Int(parts[2]), (0...Int(Int32.max)).contains(seq), let hash = Hex.decode(String(parts[3])), hash.count == 16
        else {
            throw TMWSError(.invalidInput, "not an invite code: it looks like tmws-team-1:<team id>:<number>:<32 hex digits>", field: "code")
        }
        self.init(team: team, seq: seq, hash: hash)
    }

    /// Whether `hex` (an entry's full hash) is the entry the code names.
    package func matches(_ hex: String) -> Bool { MembershipLog.bytes(hex).map { Array($0.prefix(16)) == hash } ?? false }

    package var description: String {
        "tmws-team-1:\(team.uuidString.lowercased()):\(seq):" + Hex.encode(hash)
    }
}
