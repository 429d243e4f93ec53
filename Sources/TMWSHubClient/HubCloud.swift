import Foundation
import NIOHTTP1
import TMWSCore

/// The node's enrolled hub: its client and the device credential.
public struct HubCloud: CloudSearching {
    public let client: HubClient
    let credential: String

    public init(client: HubClient, credential: String) {
        self.client = client
        self.credential = credential
    }

    /// The identity the hub derives from this device's credential.
    public func identity(timeout: Duration = .seconds(5)) async throws -> HubIdentity {
        try await client.call(.GET, "/v1/identity", credential: credential, timeout: timeout, as: HubIdentity.self)
    }

    public func searchGlobal(_ query: String, limit: Int, timeout: Duration) async throws -> [CloudHit] {
        struct Body: Encodable {
            var query: String
            var limit: Int
        }
        struct Results: Decodable {
            struct Hit: Decodable {
                struct Memory: Decodable {
                    var id: String
                    var namespace: String
                    var content: String
                    var tags: [String]
                    var importance: Double
                    var version: Int
                }

                var memory: Memory
                var score: Double
            }

            var results: [Hit]
        }
        let results = try await client.call(
            .POST, "/v1/search", body: Body(query: query, limit: limit), credential: credential, timeout: timeout, as: Results.self
        )
        return try results.results.map { hit in
            CloudHit(
                id: try MemoryID(parsing: hit.memory.id), namespace: hit.memory.namespace, content: hit.memory.content,
                tags: hit.memory.tags, importance: hit.memory.importance, version: hit.memory.version, score: hit.score
            )
        }
    }

    /// Enrolls this device with a one-time token; returns the credential and identity.
    public static func enroll(client: HubClient, token: String, deviceName: String) async throws -> (credential: String, identity: HubIdentity) {
        struct Body: Encodable {
            var token: String
            var device_name: String
        }
        struct Result: Decodable {
            var credential: String
            var identity: HubIdentity
        }
        let result = try await client.call(.POST, "/v1/enroll", body: Body(token: token, device_name: deviceName), as: Result.self)
        return (result.credential, result.identity)
    }
}
