import Foundation

#if canImport(Glibc)
import Glibc
#endif
import TMWSCore

/// This node's enrollment with a hub, kept in `$TMWS_HOME/cloud.json` (mode 0600) with the
/// hub's CA beside it in `hub-ca.crt`. The credential is never printed or logged.
public struct CloudEnrollment: Codable, Sendable, Hashable {
    public var hubURL: String
    public var pin: String?
    public var credential: String
    public var identity: HubIdentity
    public var enrolledAt: String

    public init(hubURL: String, pin: String?, credential: String, identity: HubIdentity, enrolledAt: String) {
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
    }

    static func file(_ home: String) -> String { home + "/cloud.json" }
    /// The hub's CA, copied at enrollment so the node does not depend on where it came from.
    public static func caFile(_ home: String) -> String { home + "/hub-ca.crt" }

    /// The enrollment in `home`, or `nil` when the node is not enrolled.
    public static func load(home: String) throws -> CloudEnrollment? {
        let path = file(home)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(CloudEnrollment.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TMWSError(.configuration, "\(path) is not a readable enrollment; enroll again with 'tmws cloud enroll'")
        }
    }

    /// Saves the enrollment and the CA (both mode 0600, written to a temporary file and renamed).
    public func save(home: String, caPEM: Data) throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Self.writePrivately(caPEM, to: Self.caFile(home))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Self.writePrivately(try encoder.encode(self), to: Self.file(home))
    }

    /// Removes the enrollment (`tmws cloud leave`).
    public static func remove(home: String) throws {
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
