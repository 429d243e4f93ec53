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

extension HubCloud: SyncTransport {
    public func push(_ events: [ChangeEvent]) async throws -> [PushOutcome] {
        struct Body: Encodable { var events: [ChangeEvent] }
        struct Results: Decodable {
            struct Result: Decodable {
                var event_id: String
                var status: String
                var reason: String?
                var concurrent_with: ChangeEvent?
            }
            var results: [Result]
        }
        let results = try await client.call(.POST, "/v1/sync/push", body: Body(events: events), credential: credential, timeout: .seconds(60), as: Results.self)
        guard results.results.count == events.count else {
            throw TMWSError(.io, "the hub answered \(results.results.count) results for \(events.count) events")
        }
        return results.results.map { PushOutcome(status: $0.status, eventID: $0.event_id, reason: $0.reason, concurrentWith: $0.concurrent_with) }
    }

    public func pull(cursor: String?, limit: Int) async throws -> PullOutcome {
        struct Page: Decodable {
            var events: [ChangeEvent]
            var next_cursor: String
            var has_more: Bool
        }
        var path = "/v1/sync/pull?limit=\(limit)"
        if let cursor, let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) {
            path += "&cursor=\(escaped)"
        }
        let page = try await client.call(.GET, path, credential: credential, timeout: .seconds(60), as: Page.self)
        for event in page.events where event.formatVersion != ChangeEvent.formatVersion {
            throw TMWSError(.io, "the hub sent change event format \(event.formatVersion); upgrade tmws")
        }
        return PullOutcome(events: page.events, nextCursor: page.next_cursor, hasMore: page.has_more)
    }
}
