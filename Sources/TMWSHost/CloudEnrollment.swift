import Foundation
import TMWSCore

#if canImport(Glibc)
    import Glibc
#endif

/// This node's enrollment with a hub, kept in `$TMWS_HOME/cloud.json` (mode 0600) with the
/// hub's CA beside it in `hub-ca.crt`. The credential is never printed or logged.
package struct CloudEnrollment: Codable, Sendable, Hashable {
    package var hubURL: String
    package var pin: String?
    package var credential: String
    package var identity: HubIdentity
    package var enrolledAt: String
    /// The teams this node confirmed, by name: created here or joined with an invite code
    /// (`nil` only in an enrollment saved before names were confirmed: the list it held then
    /// counts, once; a new enrollment starts with none).
    /// A hub's list of teams never changes which team a name stands for.
    package var confirmedTeams: [String: String]?

    /// A new enrollment confirms no team: the hub's list at enrollment is only what it says.
    package init(hubURL: String, pin: String?, credential: String, identity: HubIdentity, enrolledAt: String) {
        confirmedTeams = [:]
        self.hubURL = hubURL
        self.pin = pin
        self.credential = credential
        self.identity = identity
        self.enrolledAt = enrolledAt
    }

    enum CodingKeys: String, CodingKey {
        case pin, credential, identity
        case hubURL = "hub_url"
        case enrolledAt = "enrolled_at"
        case confirmedTeams = "confirmed_teams"
    }

    /// Team ids by the names this node confirmed.
    package var confirmed: [String: String] {
        confirmedTeams ?? Dictionary(identity.teams.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    /// Records that `name` stands for the team `id` here; refuses a name that stands for
    /// another team already (a hub cannot swap a team for one of its own under the same name).
    package mutating func confirm(_ id: String, named name: String) throws {
        var teams = confirmed
        if let known = teams[name], known != id {
            throw TMWSError(
                .refused,
                "this node knows team \(name.truncatedForMessage) as \(known), not \(id): a name never moves to another team; "
                    + "if that team was really replaced, 'tmws team forget \(name.truncatedForMessage)' first",
                field: "team"
            )
        }
        teams[name] = id
        confirmedTeams = teams
    }

    /// Stops `name` standing for a team here.
    package mutating func forget(_ name: String) {
        var teams = confirmed
        teams[name] = nil
        confirmedTeams = teams
    }

    static func file(_ home: String) -> String { home + "/cloud.json" }
    /// The hub's CA, copied at enrollment so the node does not depend on where it came from.
    package static func caFile(_ home: String) -> String { home + "/hub-ca.crt" }

    /// The enrollment in `home`, or `nil` when the node is not enrolled.
    package static func load(home: String) throws -> CloudEnrollment? {
        let path = file(home)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(CloudEnrollment.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TMWSError(.configuration, "\(path) is not a readable enrollment; enroll again with 'tmws cloud enroll'")
        }
    }

    /// Saves the enrollment and the CA (both mode 0600, written to a temporary file and renamed).
    package func save(home: String, caPEM: Data) throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Self.writePrivately(caPEM, to: Self.caFile(home))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Self.writePrivately(try encoder.encode(self), to: Self.file(home))
    }

    /// Removes the enrollment (`tmws cloud leave`).
    package static func remove(home: String) throws {
        for path in [file(home), caFile(home)] where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }

    static func writePrivately(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw TMWSError(.io, "cannot write \(path)")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw TMWSError(.io, "cannot write \(path)")
        }
    }
}
