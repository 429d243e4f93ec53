import Foundation
import TMWSCore
import TMWSHubDomain

// The hub API's request and answer bodies.

struct EnrollBody: Decodable {
    var token: String
    var deviceName: String
    var agreementKey: String?
    var signingKey: String?

    enum CodingKeys: String, CodingKey {
        case token
        case deviceName = "device_name"
        case agreementKey = "agreement_key"
        case signingKey = "signing_key"
    }
}

struct EnrollResult: Encodable {
    var credential: String
    var identity: HubIdentity
}

struct DeviceKeysBody: Decodable {
    var agreementKey: String
    var signingKey: String

    enum CodingKeys: String, CodingKey {
        case agreementKey = "agreement_key"
        case signingKey = "signing_key"
    }
}

struct TeamsResult: Encodable {
    var teams: [HubIdentity.Team]
}

/// `POST /v1/sync/push`'s answer, written with the events' JSON writer (a result per event).
struct PushResults: Encodable, JSONBytesEncodable {
    var results: [PushResult]

    func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 64 * results.count + 16)
        writer.raw("{")
        writer.key("results", first: true)
        writer.array(results) { writer, result in
            writer.raw("{")
            writer.key("concurrent_with", first: true)
            if let event = result.concurrentWith { writer.bytes += event.jsonBytes() } else { writer.raw("null") }
            writer.key("current_version")
            if let version = result.currentVersion { writer.integer(version) } else { writer.raw("null") }
            writer.key("event_id")
            writer.string(result.eventID)
            writer.key("reason")
            writer.optionalString(result.reason)
            writer.key("status")
            writer.string(result.status.rawValue)
            writer.raw("}")
        }
        writer.raw("}")
        return writer.bytes
    }
}

/// `GET /v1/sync/pull`'s answer: the events' stored JSON, passed on without decoding.
struct PullResult: Encodable, JSONBytesEncodable {
    var payloads: [String]
    var nextCursor: String
    var hasMore: Bool

    func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: payloads.reduce(64) { $0 + $1.utf8.count + 1 })
        writer.raw("{")
        writer.key("events", first: true)
        writer.raw("[")
        for (index, payload) in payloads.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.bytes += payload.utf8
        }
        writer.raw("]")
        writer.key("has_more")
        writer.raw(hasMore ? "true" : "false")
        writer.key("next_cursor")
        writer.string(nextCursor)
        writer.raw("}")
        return writer.bytes
    }

    // Only for the protocol: the JSON is always the bytes above.
    func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "written by jsonBytes()"))
    }
}

struct SearchBody: Decodable {
    var query: String
    var limit: Int?
}
