import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import TMWSCore
import TMWSCrypto
import TMWSHub
import TMWSHubDomain
import Testing

/// The hub's HTTP layer at the router: authentication, request rules, a result per pushed
/// event, typed errors as problem+json. The service behind it is an in-memory hub that
/// decides pushes with the hub's own rules (``HubPushRules``, ``PushBatch``); the PostgreSQL
/// adapter is tested against a real server in TMWSPostgresTests and end to end.
@Suite struct HubRouterTests {
    /// One tenant, one device (credential `good`), a change log in memory.
    final class InMemoryHub: HubService {
        let device = AuthenticatedDevice(tenantID: UUID(), userID: UUID(), deviceID: UUID())
        let state = Mutex<(held: [String: PushBatch.Held], logged: Set<String>, log: [String])>(([:], [], []))

        func authenticate(_ credential: String) async throws -> AuthenticatedDevice {
            guard credential == "good" else { throw HubErrors.unauthorized() }
            return device
        }

        func enroll(token: String, deviceName: String, agreementKey: [UInt8]?, signingKey: [UInt8]?) async throws -> (credential: String, identity: HubIdentity)
        {
            throw TMWSError(.unauthorized, "unknown or spent enrollment token")
        }

        func identity(of device: AuthenticatedDevice) async throws -> HubIdentity {
            HubIdentity(
                tenantID: device.tenantID.uuidString.lowercased(), tenantName: "acme", userID: device.userID.uuidString.lowercased(), userName: "ann",
                deviceID: device.deviceID.uuidString.lowercased(), deviceName: "laptop", teams: []
            )
        }

        func createTeam(_ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument { throw Self.none }
        func team(_ team: UUID, as device: AuthenticatedDevice) async throws -> TeamDocument { throw Self.none }
        func appendTeamEntry(_ team: UUID, _ change: TeamChange, as device: AuthenticatedDevice) async throws -> TeamDocument { throw Self.none }
        func devices(ofUser user: String, as device: AuthenticatedDevice) async throws -> UserDevices { throw Self.none }
        func deviceNames(as device: AuthenticatedDevice) async throws -> DeviceNames { DeviceNames(devices: []) }
        func registerKeys(agreement: [UInt8], signing: [UInt8], as device: AuthenticatedDevice) async throws {}
        func rolloutDecision(as device: AuthenticatedDevice) async throws -> RolloutDecision { throw Self.none }
        func globalMemory(_ id: UUID, as device: AuthenticatedDevice) async throws -> CloudMemory { throw Self.none }
        func searchGlobal(_ query: String, limit: Int, as device: AuthenticatedDevice) async throws -> [(memory: CloudMemory, score: Double)] { [] }

        func push(_ events: [ChangeEvent], as device: AuthenticatedDevice) async throws -> [PushResult] {
            state.withLock { state in
                var batch = PushBatch(held: state.held, logged: state.logged)
                let results = events.map { batch.decide($0, refusal: HubPushRules.refusal(of: $0)) }
                for event in batch.applied {
                    state.logged.insert(event.eventID.lowercased())
                    state.log.append(String(decoding: event.jsonBytes(), as: UTF8.self))
                }
                for final in batch.finalVersions {
                    var held = batch.held[final.event.memoryID.description]!
                    (held.inDatabase, held.event) = (true, nil)
                    state.held[final.event.memoryID.description] = held
                }
                return results
            }
        }

        func openCursor(_ text: String?, as device: AuthenticatedDevice) async throws -> SyncCursor {
            guard let text else { return .start }
            return try SyncCursor(parsing: text)
        }

        func pull(after cursor: SyncCursor, limit: Int, as device: AuthenticatedDevice) async throws -> PullPage {
            guard (1...SyncLimits.maximumPullEvents).contains(limit) else {
                throw TMWSError(.invalidInput, "limit must be between 1 and \(SyncLimits.maximumPullEvents)", field: "limit")
            }
            let log = state.withLock { $0.log }
            let start = Int(cursor.sequence)
            let page = Array(log.dropFirst(start).prefix(limit))
            return PullPage(
                payloads: page, nextCursor: SyncCursor(transaction: 1, sequence: Int64(start + page.count)), hasMore: start + page.count < log.count)
        }

        func sealCursor(_ cursor: SyncCursor, as device: AuthenticatedDevice) async throws -> String { cursor.description }

        static let none = TMWSError(.notFound, "no such thing here")
    }

    static let json: HTTPFields = [.contentType: "application/json", .authorization: "Bearer good"]

    static func object(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    static func event(_ content: String, version: Int = 1, id: MemoryID = MemoryID.generate(at: Date())) -> String {
        let clock = HybridTimestamp.wall(Date()).rawValue
        let memory = Memory(
            id: id, tenantID: "t", namespace: try! Namespace(validating: "p"), scope: .global, content: content, tags: [], importance: 0.5, metadata: [:],
            agentID: "cli", createdAt: Date(), updatedAt: HybridTimestamp(rawValue: clock), version: version, originDevice: "laptop", expiresAt: nil,
            accessCount: 0, accessedAt: nil, archived: false, deleted: false
        )
        let event = ChangeEvent.forWrite(memory, previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop")!
        return String(decoding: event.jsonBytes(), as: UTF8.self)
    }

    @Test func everyDeviceRouteAsksForAValidCredentialAndSaysNothingMore() async throws {
        let app = Application(router: HubAPI(store: InMemoryHub()).router())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            for (uri, method) in [("/v1/identity", HTTPRequest.Method.get), ("/v1/sync/pull", .get), ("/v1/devices", .get), ("/metrics", .get)] {
                let none = try await client.execute(uri: uri, method: method)
                let wrong = try await client.execute(uri: uri, method: method, headers: [.authorization: "Bearer bad"])
                #expect(none.status == .unauthorized && wrong.status == .unauthorized, "\(uri)")
                #expect(none.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect(String(buffer: none.body) == String(buffer: wrong.body), "a missing and a wrong credential read the same")
            }
            let identity = try await client.execute(uri: "/v1/identity", method: .get, headers: [.authorization: "Bearer good"])
            let fields = try Self.object(identity.body)
            #expect(identity.status == .ok && fields["user_name"] as? String == "ann")
            // A page of a browser is never answered; a body not sent as JSON is refused.
            let fromPage = try await client.execute(
                uri: "/v1/identity", method: .get, headers: [.authorization: "Bearer good", .origin: "https://evil.example"])
            #expect(fromPage.status == .forbidden)
            let form = try await client.execute(
                uri: "/v1/search", method: .post, headers: [.authorization: "Bearer good", .contentType: "text/plain"], body: ByteBuffer(string: "{}")
            )
            #expect(form.status == .unsupportedMediaType)
        }
    }

    @Test func aPushIsAnsweredEventByEventAndPullsWhatWasTaken() async throws {
        let app = Application(router: HubAPI(store: InMemoryHub()).router())
        try await app.test(.router) { client in
            let unreadable = #"{"event_id": "e-1", "op": "create"}"#
            let secret = Self.event("the stripe key is sk_live_4eC39HqLyjWDarjtT1zdp7dc9xQ2 for billing")
            let body = #"{"events": [\#(Self.event("Prefer small commits")), \#(unreadable), \#(secret)]}"#
            let pushed = try await client.execute(uri: "/v1/sync/push", method: .post, headers: Self.json, body: ByteBuffer(string: body))
            #expect(pushed.status == .ok)
            let results = try #require(try Self.object(pushed.body)["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? String } == ["applied", "rejected", "rejected"])
            #expect(results[1]["event_id"] as? String == "e-1")
            #expect((results[2]["reason"] as? String)?.contains("sensitive") == true)
            #expect((results[2]["reason"] as? String)?.contains("4eC39") == false, "no secret in a reason")
            let pulled = try await client.execute(uri: "/v1/sync/pull?limit=10", method: .get, headers: [.authorization: "Bearer good"])
            let page = try Self.object(pulled.body)
            #expect((page["events"] as? [Any])?.count == 1 && page["has_more"] as? Bool == false)

            // Too many events, a body that is not JSON, a limit that is not a number: 400, nothing taken.
            let many = #"{"events": ["# + Array(repeating: Self.event("x"), count: SyncLimits.maximumPushEvents + 1).joined(separator: ",") + "]}"
            for bad in [many, "not json", #"{"events": 3}"#] {
                let answer = try await client.execute(uri: "/v1/sync/push", method: .post, headers: Self.json, body: ByteBuffer(string: bad))
                #expect(answer.status == .badRequest && answer.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            #expect(try await client.execute(uri: "/v1/sync/pull?limit=ten", method: .get, headers: [.authorization: "Bearer good"]).status == .badRequest)
            #expect(try await client.execute(uri: "/v1/sync/pull?limit=0", method: .get, headers: [.authorization: "Bearer good"]).status == .badRequest)
            #expect(try await client.execute(uri: "/v1/memories/not-a-uuid", method: .get, headers: [.authorization: "Bearer good"]).status == .badRequest)
            let again = try await client.execute(uri: "/v1/sync/pull?limit=10", method: .get, headers: [.authorization: "Bearer good"])
            let repeated = try Self.object(again.body)
            #expect((repeated["events"] as? [Any])?.count == 1)
        }
    }
}
