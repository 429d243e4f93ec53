import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import TMWSCore
import TMWSCrypto
import TMWSHTTPCommon
import TMWSHubDomain

/// A hub request's context: the device its credential authenticated, if any.
package struct HubRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package var device: AuthenticatedDevice?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The authenticated device; routes behind ``DeviceAuthentication`` always have one.
    func requireDevice() throws -> AuthenticatedDevice {
        guard let device else { throw HubErrors.unauthorized() }
        return device
    }
}

/// The hub's `/v1` API (DESIGN §2): enrollment, identity, teams, GLOBAL reads and search.
/// Tenant, user and team come from the device credential, never from the request.
package struct HubAPI: Sendable {
    package let store: any HubService
    /// The largest request body accepted.
    package var maximumBodyBytes = 1 << 20
    /// The Prometheus text `/metrics` serves (to authenticated devices, like every other
    /// route); `nil` answers 404.
    package var metrics: (@Sendable () -> [UInt8])?

    /// Credentials that authenticated a moment ago: push and search read a body only for one.
    let known = KnownCredentials()

    package init(store: any HubService) {
        self.store = store
    }

    /// Every operation as (method, path in OpenAPI form); `hub-openapi.json` lists exactly these.
    package static let operations: [(String, String)] = [
        ("get", "/health"), ("get", "/openapi.json"), ("post", "/v1/enroll"), ("get", "/v1/identity"), ("get", "/v1/teams"),
        ("get", "/v1/memories/{id}"), ("post", "/v1/search"), ("post", "/v1/sync/push"), ("get", "/v1/sync/pull"),
        ("post", "/v1/teams"), ("get", "/v1/teams/{team}"), ("post", "/v1/teams/{team}/log"), ("get", "/v1/users/{user}/devices"),
        ("put", "/v1/device/keys"), ("get", "/v1/rollout"), ("get", "/metrics"), ("get", "/v1/devices"),
    ]

    package func router() -> Router<HubRequestContext> {
        let router = Router(context: HubRequestContext.self)
        // Latency and errors per route template (never a path with ids in it).
        if metrics != nil { router.middlewares.add(MetricsMiddleware()) }
        router.middlewares.add(ProblemMiddleware())
        router.middlewares.add(RequestRules())
        router.get("/health") { _, _ in json(["status": "ok"]) }
        router.get("/openapi.json") { _, _ in try openAPIResponse(Bundle.module.url(forResource: "hub-openapi", withExtension: "json")) }
        router.post("/v1/enroll") { request, _ in
            let body = try await decode(EnrollBody.self, from: request)
            let (credential, identity) = try await store.enroll(
                token: body.token, deviceName: body.deviceName, agreementKey: try body.agreementKey.map { try key($0, "agreement_key") },
                signingKey: try body.signingKey.map { try key($0, "signing_key") }
            )
            return json(EnrollResult(credential: credential, identity: identity), status: .created)
        }
        let metrics = self.metrics
        router.group("/metrics").add(middleware: DeviceAuthentication(store: store)).get { _, context in
            guard let metrics else { throw TMWSError(.notFound, "this hub serves no metrics") }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: Self.visible(metrics(), to: try context.requireDevice().tenantID)))
            )
        }
        // The hot paths authenticate with their work, in one transaction of the hub (no
        // middleware). A body is read only for a credential known to be good (see
        // ``KnownCredentials``): any other is authenticated first, alone.
        router.post("/v1/search") { request, _ in
            let credential = try await knownCredential(request)
            let body = try await decode(SearchBody.self, from: request)
            let hits = try await Self.authenticating { try await store.searchGlobal(body.query, limit: body.limit ?? 10, credential: credential) }
            return json(CloudSearchResults(hits: hits.map { CloudSearchResults.Hit(memory: $0.memory, score: $0.score) }))
        }
        router.post("/v1/sync/push") { request, _ in
            let credential = try await knownCredential(request)
            let read = try await pushedEvents(request)
            // An event that is not one (malformed, or of an unknown format) is answered
            // `rejected` in its place; the rest of the batch goes on.
            let events = read.compactMap { try? $0.get() }
            var results = try await Self.authenticating { try await store.push(events, credential: credential) }.makeIterator()
            return json(
                PushResults(
                    results: read.map { item in
                        switch item {
                        case .success: results.next()!
                        case .failure(let unreadable): PushResult(eventID: unreadable.eventID, status: .rejected, reason: unreadable.reason)
                        }
                    }))
        }
        router.get("/v1/sync/pull") { request, _ in
            let credential = try Self.credential(request)
            let limitText: String? = request.uri.queryParameters.get("limit").map { String($0) }
            guard let limit = limitText.map({ Int($0) }) ?? 100 else {
                throw TMWSError(.invalidInput, "limit must be a whole number", field: "limit")
            }
            let cursor = request.uri.queryParameters.get("cursor").map { String($0) }
            let (page, next) = try await Self.authenticating { try await store.pull(cursor: cursor, limit: limit, credential: credential) }
            return json(PullResult(payloads: page.payloads, nextCursor: next, hasMore: page.hasMore))
        }
        let authenticated = router.group("/v1").add(middleware: DeviceAuthentication(store: store))
        authenticated.get("/identity") { _, context in
            json(try await store.identity(of: try context.requireDevice()))
        }
        authenticated.get("/teams") { _, context in
            let identity = try await store.identity(of: try context.requireDevice())
            return json(TeamsResult(teams: identity.teams))
        }
        authenticated.post("/teams") { request, context in
            let change = try await decode(TeamChange.self, from: request)
            return json(try await store.createTeam(change, as: try context.requireDevice()), status: .created)
        }
        authenticated.get("/teams/{team}") { _, context in
            json(try await store.team(try teamID(context), as: try context.requireDevice()))
        }
        authenticated.post("/teams/{team}/log") { request, context in
            let change = try await decode(TeamChange.self, from: request)
            return json(try await store.appendTeamEntry(try teamID(context), change, as: try context.requireDevice()), status: .created)
        }
        authenticated.get("/users/{user}/devices") { _, context in
            let user = try context.parameters.require("user")
            guard (1...200).contains(user.count) else { throw TMWSError(.invalidInput, "a user is named by its name or id", field: "user") }
            return json(try await store.devices(ofUser: user, as: try context.requireDevice()))
        }
        authenticated.get("/devices") { _, context in
            json(try await store.deviceNames(as: try context.requireDevice()))
        }
        authenticated.put("/device/keys") { request, context in
            let body = try await decode(DeviceKeysBody.self, from: request)
            try await store.registerKeys(
                agreement: try key(body.agreementKey, "agreement_key"), signing: try key(body.signingKey, "signing_key"),
                as: try context.requireDevice()
            )
            return json(["status": "registered"])
        }
        authenticated.get("/rollout") { _, context in
            json(try await store.rolloutDecision(as: try context.requireDevice()))
        }
        authenticated.get("/memories/{id}") { _, context in
            let text = try context.parameters.require("id")
            guard let id = UUID(uuidString: text) else {
                throw TMWSError(.invalidInput, "a memory id is a UUID", field: "id")
            }
            return json(try await store.globalMemory(id, as: try context.requireDevice()))
        }
        return router
    }

    /// The largest push body: nodes send at most 16 MiB a request (a batch of large memories
    /// goes as several), and one event within ``EventBounds`` is far smaller.
    var maximumPushBytes: Int { SyncLimits.maximumPushBodyBytes + (1 << 20) }

    func decode<T: Decodable>(_ type: T.Type, from request: Request, upTo limit: Int? = nil) async throws -> T {
        let buffer = try await request.body.collect(upTo: limit ?? maximumBodyBytes)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw TMWSError(.invalidInput, "the request body is not valid JSON for this operation (\(error.summary))")
        }
    }

    /// A push body, `{"events": [...]}`, read without `Codable` (``JSONReader``): a batch of
    /// hundreds of events is the hub's largest and most frequent document.
    func pushedEvents(_ request: Request) async throws -> [Result<ChangeEvent, UnreadableEvent>] {
        let buffer = try await request.body.collect(upTo: maximumPushBytes)
        let document: JSONReader.Node
        do {
            document = try JSONReader.parse(buffer.readableBytesView)
        } catch let error as JSONReader.SyntaxError {
            throw TMWSError(.invalidInput, "the request body is not valid JSON (\(error))")
        }
        guard case .array(let events)? = document["events"] else {
            throw TMWSError(.invalidInput, "the request body needs \"events\": an array of change events", field: "events")
        }
        guard events.count <= SyncLimits.maximumPushEvents else {
            throw TMWSError(.invalidInput, "at most \(SyncLimits.maximumPushEvents) events per push, got \(events.count)", field: "events")
        }
        return events.map { node in
            do {
                return .success(try ChangeEvent(reading: node))
            } catch {
                // Its id, when it has a readable one, so the node can tell which it was.
                let id: String? = if case .string(let text)? = node["event_id"], ChangeEvent.refusal(ofDevice: text) == nil { text } else { nil }
                return .failure(UnreadableEvent(eventID: id ?? "", reason: TMWSError.safeMessage(for: error)))
            }
        }
    }

    /// A pushed event the hub could not read, answered `rejected` in its place.
    struct UnreadableEvent: Error {
        var eventID: String
        var reason: String
    }

    /// The metrics a device may see: every series but those of another tenant (a `tenant`
    /// label naming another id).
    static func visible(_ text: [UInt8], to tenant: UUID) -> [UInt8] {
        let own = Array("tenant=\"\(tenant.uuidString.lowercased())\"".utf8)
        let marker = Array("tenant=\"".utf8)
        var kept: [UInt8] = []
        kept.reserveCapacity(text.count)
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.starts(with: Array("#".utf8)) || !line.contains(marker) || line.contains(own) {
                kept += line
                kept.append(UInt8(ascii: "\n"))
            }
        }
        if text.last != UInt8(ascii: "\n"), !kept.isEmpty { kept.removeLast() }
        return kept
    }

    /// The bearer credential of a route that authenticates with its work; a missing one, or
    /// one not even shaped as a device credential, is refused (and counted) before the body
    /// is read.
    static func credential(_ request: Request) throws -> String {
        guard let credential = BearerToken.extract(request.headers[.authorization]), HubSecret(parsing: credential, kind: .device) != nil else {
            throw DeviceAuthentication.refused(HubErrors.unauthorized())
        }
        return String(credential)
    }

    /// The bearer credential of a route that reads a body: a credential that authenticated a
    /// moment ago, or one authenticated now (refused and counted if it does not).
    func knownCredential(_ request: Request) async throws -> String {
        let credential = try Self.credential(request)
        if !known.contains(credential) {
            _ = try await Self.authenticating { try await store.authenticate(credential) }
            known.insert(credential)
        }
        return credential
    }

    /// `work`, with a refused credential counted as ``DeviceAuthentication`` counts it.
    static func authenticating<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as TMWSError where error.code == .unauthorized {
            throw DeviceAuthentication.refused(error)
        }
    }

    func teamID(_ context: HubRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("team")) else {
            throw TMWSError(.invalidInput, "a team id is a UUID", field: "team")
        }
        return id
    }

    func key(_ base64: String, _ field: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: base64) else {
            throw TMWSError(.invalidInput, "\(field) must be base64", field: field)
        }
        return Array(data)
    }
}

/// Authenticates `Authorization: Bearer <device credential>`; 401 otherwise.
struct DeviceAuthentication: RouterMiddleware {
    let store: any HubService

    func handle(_ request: Request, context: HubRequestContext, next: (Request, HubRequestContext) async throws -> Response) async throws
        -> Response
    {
        var context = context
        do {
            guard let credential = BearerToken.extract(request.headers[.authorization]) else { throw HubErrors.unauthorized() }
            context.device = try await store.authenticate(String(credential))
        } catch let error as TMWSError where error.code == .unauthorized {
            throw Self.refused(error)
        }
        return try await next(request, context)
    }

    /// A refused credential, counted as a security incident.
    static func refused(_ error: TMWSError) -> TMWSError {
        Counter(label: "tmws_security_incidents_total", dimensions: [("kind", "authentication_failure")]).increment()
        return error
    }
}

/// What every hub request must be: no web page's (a foreign `Origin` gets 403: the hub is
/// for TMWS nodes, not browsers), and a body only as `application/json` (415).
struct RequestRules: RouterMiddleware {
    func handle(_ request: Request, context: HubRequestContext, next: (Request, HubRequestContext) async throws -> Response) async throws
        -> Response
    {
        if request.headers[.origin] != nil {
            return Problem.response(status: .forbidden, code: "forbidden", detail: "the hub does not answer web pages")
        }
        if [.post, .put, .patch].contains(request.method) {
            let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if type != "application/json" {
                return Problem.response(
                    status: .unsupportedMediaType, code: "unsupported_media_type", detail: "a request body must be sent as application/json"
                )
            }
        }
        return try await next(request, context)
    }
}
