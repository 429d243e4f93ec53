import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import TMWSCore
import TMWSCrypto
import TMWSHub
import TMWSHubDomain
import TMWSTestSupport
import Testing

/// The hub's HTTP layer at the router: authentication, request rules, a result per pushed
/// event, typed errors as problem+json. The service behind it runs the hub's real push and
/// pull (``HubSync``) over storage in memory; the PostgreSQL adapter is tested against a real
/// server in TMWSPostgresTests and end to end.
@Suite struct HubRouterTests {
    /// One tenant, one device (credential ``good``), the hub's real push and pull over storage in memory.
    final class InMemoryHub: HubService {
        static let tenant = UUID()
        static let good = HubSecret(kind: .device, tenantID: tenant, id: UUID()).text
        let sync = HubSync(repository: InMemorySyncRepository(tenantID: tenant))
        let device: AuthenticatedDevice

        init() {
            device = sync.repository.enroll(credential: Self.good)
        }

        func authenticate(_ credential: String) async throws -> AuthenticatedDevice {
            guard credential == Self.good else { throw HubErrors.unauthorized() }
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

        func tenantStorage() async throws -> [TenantStorage] { [] }
        func flushReads() async throws {}

        func push(_ events: [ChangeEvent], credential: String) async throws -> [PushResult] {
            try await sync.push(events, credential: credential)
        }

        func pull(cursor: String?, limit: Int, credential: String) async throws -> (page: PullPage, cursor: String) {
            try await sync.pull(cursor: cursor, limit: limit, credential: credential)
        }

        static let none = TMWSError(.notFound, "no such thing here")
    }

    static let json: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(InMemoryHub.good)"]

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
            // The sync routes authenticate with their work: a credential of the right shape that
            // no device holds is refused like a missing one, and nothing it sent is taken.
            let stranger = HubSecret(kind: .device, tenantID: InMemoryHub.tenant, id: UUID()).text
            let body = ByteBuffer(string: #"{"events": [\#(Self.event("from nobody"))]}"#)
            for credential in ["", "Bearer bad", "Bearer \(stranger)"] {
                let push = try await client.execute(
                    uri: "/v1/sync/push", method: .post, headers: [.authorization: credential, .contentType: "application/json"], body: body)
                let pull = try await client.execute(uri: "/v1/sync/pull", method: .get, headers: [.authorization: credential])
                #expect(push.status == .unauthorized && pull.status == .unauthorized, "\(credential.prefix(12))")
            }
            // A stranger's body is never read: one that is not even JSON is refused as a stranger's.
            let garbage = try await client.execute(
                uri: "/v1/sync/push", method: .post, headers: [.authorization: "Bearer \(stranger)", .contentType: "application/json"],
                body: ByteBuffer(string: "not json"))
            #expect(garbage.status == .unauthorized)
            let page = try await client.execute(uri: "/v1/sync/pull", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)"])
            let events = try Self.object(page.body)["events"] as? [Any]
            #expect(page.status == .ok && events?.isEmpty == true)
            let identity = try await client.execute(uri: "/v1/identity", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)"])
            let fields = try Self.object(identity.body)
            #expect(identity.status == .ok && fields["user_name"] as? String == "ann")
            // A page of a browser is never answered; a body not sent as JSON is refused.
            let fromPage = try await client.execute(
                uri: "/v1/identity", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)", .origin: "https://evil.example"])
            #expect(fromPage.status == .forbidden)
            let form = try await client.execute(
                uri: "/v1/search", method: .post, headers: [.authorization: "Bearer \(InMemoryHub.good)", .contentType: "text/plain"],
                body: ByteBuffer(string: "{}")
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
            let pulled = try await client.execute(uri: "/v1/sync/pull?limit=10", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)"])
            let page = try Self.object(pulled.body)
            #expect((page["events"] as? [Any])?.count == 1 && page["has_more"] as? Bool == false)

            // Too many events, a body that is not JSON, a limit that is not a number: 400, nothing taken.
            let many = #"{"events": ["# + Array(repeating: Self.event("x"), count: SyncLimits.maximumPushEvents + 1).joined(separator: ",") + "]}"
            for bad in [many, "not json", #"{"events": 3}"#] {
                let answer = try await client.execute(uri: "/v1/sync/push", method: .post, headers: Self.json, body: ByteBuffer(string: bad))
                #expect(answer.status == .badRequest && answer.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            #expect(
                try await client.execute(uri: "/v1/sync/pull?limit=ten", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)"]).status
                    == .badRequest)
            #expect(
                try await client.execute(uri: "/v1/sync/pull?limit=0", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)"]).status
                    == .badRequest)
            #expect(
                try await client.execute(uri: "/v1/memories/not-a-uuid", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)"]).status
                    == .badRequest)
            let again = try await client.execute(uri: "/v1/sync/pull?limit=10", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)"])
            let repeated = try Self.object(again.body)
            #expect((repeated["events"] as? [Any])?.count == 1)
        }
    }

    /// A device's /metrics shows its own tenant's series and the hub's, never another tenant's.
    @Test func metricsShowOnlyTheDevicesOwnTenant() async throws {
        let other = UUID().uuidString.lowercased()
        let mine = InMemoryHub.tenant.uuidString.lowercased()
        let text = """
            # TYPE tmws_hub_tenant_memories gauge
            tmws_hub_tenant_memories{tenant="\(mine)"} 7
            tmws_hub_tenant_memories{tenant="\(other)"} 9000
            tmws_http_requests_total{route="/v1/search"} 3

            """
        var api = HubAPI(store: InMemoryHub())
        api.metrics = { Array(text.utf8) }
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            let answer = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(InMemoryHub.good)"])
            let body = String(buffer: answer.body)
            #expect(answer.status == .ok && body.contains(mine) && body.contains("route=") && body.contains("# TYPE"))
            #expect(!body.contains(other) && !body.contains("9000"))
        }
    }
}
