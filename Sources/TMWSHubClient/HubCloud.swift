import Foundation
import NIOHTTP1
import TMWSCore
import TMWSCrypto

/// The node's enrolled hub: its client and the device credential.
package struct HubCloud: CloudSearching {
    package let client: HubClient
    package let credential: String

    package init(client: HubClient, credential: String) {
        self.client = client
        self.credential = credential
    }

    /// Whether hybrid mode is on for this device's user, and why (the hub's staged rollout).
    package func rollout(timeout: Duration = .seconds(10)) async throws -> RolloutDecision {
        try await client.call(.GET, "/v1/rollout", credential: credential, timeout: timeout, as: RolloutDecision.self)
    }

    /// Registers new public keys for this device (after a key rotation).
    package func registerKeys(_ keys: DevicePublicKeys) async throws {
        struct Body: Encodable {
            var agreementKey: String
            var signingKey: String
            enum CodingKeys: String, CodingKey {
                case agreementKey = "agreement_key"
                case signingKey = "signing_key"
            }
        }
        struct Answer: Decodable {}
        _ = try await client.call(
            .PUT, "/v1/device/keys",
            body: Body(agreementKey: Data(keys.agreement).base64EncodedString(), signingKey: Data(keys.signing).base64EncodedString()),
            credential: credential, as: Answer.self
        )
    }

    /// The tenant's devices by the origin id their changes carry.
    package func deviceNames(timeout: Duration = .seconds(5)) async throws -> DeviceNames {
        try await client.call(.GET, "/v1/devices", credential: credential, timeout: timeout, as: DeviceNames.self)
    }

    /// The identity the hub derives from this device's credential.
    package func identity(timeout: Duration = .seconds(5)) async throws -> HubIdentity {
        try await client.call(.GET, "/v1/identity", credential: credential, timeout: timeout, as: HubIdentity.self)
    }

    /// A GLOBAL memory by id (the hot cache holds an evicted one again with it). The answer
    /// is checked to be the memory asked for; the caller checks the rest as a pulled change.
    package func globalMemory(_ id: MemoryID, timeout: Duration = .seconds(10)) async throws -> CloudMemory {
        let memory = try await client.call(.GET, "/v1/memories/\(id)", credential: credential, timeout: timeout, as: CloudMemory.self)
        guard MemoryID(uuid: memory.id) == id else { throw TMWSError(.io, "the hub answered for memory \(id) with another memory") }
        return memory
    }

    package func searchGlobal(_ query: String, limit: Int, timeout: Duration) async throws -> [CloudSearchResults.Hit] {
        struct Body: Encodable {
            var query: String
            var limit: Int
        }
        return try await client.call(
            .POST, "/v1/search", body: Body(query: query, limit: limit), credential: credential, timeout: timeout, as: CloudSearchResults.self
        ).results
    }

    /// Enrolls this device with a one-time token; returns the credential and identity.
    package static func enroll(
        client: HubClient, token: String, deviceName: String, keys: DevicePublicKeys
    ) async throws -> (credential: String, identity: HubIdentity) {
        struct Body: Encodable {
            var token: String
            var deviceName: String
            var agreementKey: String
            var signingKey: String
            enum CodingKeys: String, CodingKey {
                case token
                case deviceName = "device_name"
                case agreementKey = "agreement_key"
                case signingKey = "signing_key"
            }
        }
        struct Result: Decodable {
            var credential: String
            var identity: HubIdentity
        }
        let body = Body(
            token: token, deviceName: deviceName, agreementKey: Data(keys.agreement).base64EncodedString(),
            signingKey: Data(keys.signing).base64EncodedString()
        )
        let result = try await client.call(.POST, "/v1/enroll", body: body, as: Result.self)
        return (result.credential, result.identity)
    }
}

extension HubCloud: SyncTransport {
    // A batch of large memories, or of more than the hub takes at once, goes as several
    // requests, one after the other (``SyncLimits``).

    package func push(_ events: [OutboxEvent]) async throws -> [PushResult] {
        // The body is the events' JSON as the outbox stored it, and the answer is read with
        // JSONReader.
        var outcomes: [PushResult] = []
        var body: [UInt8] = []
        var sent = 0
        for (index, event) in events.enumerated() {
            let json = event.json
            if index > sent, body.count + json.count + 2 > SyncLimits.maximumPushBodyBytes || index - sent == SyncLimits.maximumPushEvents {
                outcomes += try await push(body, count: index - sent)
                (body, sent) = ([], index)
            }
            body += body.isEmpty ? Array("{\"events\":[".utf8) : [UInt8(ascii: ",")]
            body += json
        }
        if sent < events.count { outcomes += try await push(body, count: events.count - sent) }
        return outcomes
    }

    /// One request: `body` holds the opening of a push document and `count` events.
    private func push(_ body: [UInt8], count: Int) async throws -> [PushResult] {
        let body = body + Array("]}".utf8)
        let answer = try await client.callForBody(.POST, "/v1/sync/push", json: Data(body), credential: credential, timeout: .seconds(60))
        let outcomes: [PushResult]
        do {
            guard case .array(let results)? = try JSONReader.parse(answer)["results"] else {
                throw TMWSError(.io, "the hub's answer has no results")
            }
            outcomes = try results.map { result in
                guard case .string(let text)? = result["status"], let status = PushResult.Status(rawValue: text),
                    case .string(let eventID)? = result["event_id"]
                else { throw TMWSError(.io, "a result without a known status or an event_id") }
                var currentVersion: Int?
                if case .integer(let version)? = result["current_version"], let exact = Int(exactly: version) { currentVersion = exact }
                var reason: String?
                if case .string(let text)? = result["reason"] { reason = text }
                var concurrent: ChangeEvent?
                if let event = result["concurrent_with"], event != .null { concurrent = try ChangeEvent(reading: event) }
                return PushResult(eventID: eventID, status: status, currentVersion: currentVersion, reason: reason, concurrentWith: concurrent)
            }
        } catch {
            throw TMWSError(.io, "the hub's answer to /v1/sync/push is not what this tmws expects")
        }
        guard outcomes.count == count else {
            throw TMWSError(.io, "the hub answered \(outcomes.count) results for \(count) events")
        }
        return outcomes
    }

    package func pull(cursor: String?, limit: Int) async throws -> PullOutcome {
        var path = "/v1/sync/pull?limit=\(limit)"
        if let cursor, let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) {
            path += "&cursor=\(escaped)"
        }
        // Read with the events' own reader: a page holds hundreds of them.
        let body = try await client.callForBody(.GET, path, json: nil, credential: credential, timeout: .seconds(60))
        let events: [ChangeEvent]
        let nextCursor: String
        let hasMore: Bool
        do {
            let page = try JSONReader.parse(body)
            guard case .array(let items)? = page["events"], case .string(let cursor)? = page["next_cursor"], case .bool(let more)? = page["has_more"]
            else { throw TMWSError(.io, "the hub's page has no events, next_cursor or has_more") }
            events = try items.map(ChangeEvent.init(reading:))
            (nextCursor, hasMore) = (cursor, more)
        } catch let error as TMWSError where error.message.contains("format") {
            throw TMWSError(.io, "the hub sent a change event this tmws cannot read (\(error.message)); upgrade tmws")
        } catch {
            throw TMWSError(.io, "the hub's answer to \(path) is not what this tmws expects")
        }
        return PullOutcome(events: events, nextCursor: nextCursor, hasMore: hasMore)
    }
}
