import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import TMWSCore
import TMWSHTTPCommon

/// The local REST API under `/v1`, on the same `MemoryService` as the CLI and MCP.
package struct RESTAPI: Sendable {
    package let service: MemoryService
    /// Who writes when a request names no agent in `X-TMWS-Agent` (`rest`, or `agent.id`
    /// when it is configured).
    package let caller: Caller
    /// Largest request body accepted. Default 1 MiB.
    package var maximumBodyBytes: Int
    /// Routes searches to the hub too, when hybrid mode is on and the node is enrolled.
    package var hybrid: HybridSearch?
    /// This node's sync, conflicts, teams and metrics, for the console (`nil`: those routes
    /// answer that this server manages no node).
    package var node: (any NodeConsole)?

    package init(
        service: MemoryService, caller: Caller, maximumBodyBytes: Int = 1 << 20, hybrid: HybridSearch? = nil, node: (any NodeConsole)? = nil
    ) {
        self.service = service
        self.caller = caller
        self.maximumBodyBytes = maximumBodyBytes
        self.hybrid = hybrid
        self.node = node
    }

    /// Every operation as (method, path in OpenAPI form); `openapi.json` must list exactly these.
    package static let operations: [(method: String, path: String)] = [
        ("get", "/health"), ("get", "/openapi.json"),
        ("post", "/v1/memories"), ("get", "/v1/memories"), ("get", "/v1/memories/{id}"),
        ("patch", "/v1/memories/{id}"), ("delete", "/v1/memories/{id}"),
        ("post", "/v1/search"), ("post", "/v1/classify"), ("get", "/v1/stats"),
        ("get", "/v1/memories/{id}/history"), ("get", "/v1/review"), ("post", "/v1/review/{id}"),
        ("get", "/v1/sync"), ("patch", "/v1/sync"), ("post", "/v1/sync/now"), ("get", "/v1/sync/quarantine"),
        ("get", "/v1/conflicts"), ("post", "/v1/conflicts/{id}"), ("get", "/v1/teams"), ("get", "/v1/health/metrics"),
    ]

    /// The header in which a client names the agent it acts for.
    package static let agentHeader = HTTPField.Name("X-TMWS-Agent")!

    /// The caller of a request: the agent named in `X-TMWS-Agent` (sanitised), else ``caller``.
    func caller(of request: Request) -> Caller {
        request.headers[Self.agentHeader].flatMap(Caller.init(clientSuppliedName:)) ?? caller
    }

    /// The router, with problem+json errors and the access rules of `policy` on every route,
    /// including the ones added to it later (`/mcp`).
    /// - Parameter metrics: record each request's latency and outcome per route template
    ///   (swift-metrics; what `tmws serve` exports at `/metrics`).
    package func router(policy: AccessPolicy, metrics: Bool = false) -> Router<BasicRequestContext> {
        let router = Router()
        if metrics { router.middlewares.add(MetricsMiddleware()) }
        router.middlewares.add(ProblemMiddleware())
        router.middlewares.add(AccessPolicyMiddleware(policy: policy))
        router.get("/health") { _, _ in json(["status": "ok"]) }
        router.get("/openapi.json") { _, _ in try openAPIResponse(Bundle.module.url(forResource: "openapi", withExtension: "json")) }
        router.post("/v1/memories") { request, _ in
            let body = try await decode(NewMemoryBody.self, from: request)
            var input = MemoryService.NewMemory(
                content: body.content, scope: try body.scope.map(MemoryScope.init(parsing:)),
                namespace: try body.namespace.map(Namespace.init(validating:)), tags: body.tags ?? [],
                importance: body.importance, ttlDays: body.ttlDays, metadata: body.metadata ?? [:], redact: body.redact ?? false,
                team: body.team)
            input.supersedes = try body.supersedes.map { try MemoryID(parsing: $0, field: "supersedes") }
            input.pinned = body.pinned ?? false
            let outcome = try await service.addChecked(input, by: caller(of: request))
            // An exact duplicate stored nothing: 200 with the memory already there.
            return json(outcome, status: outcome.duplicateOf == nil ? .created : .ok)
        }
        router.get("/v1/memories") { request, _ in
            let query = request.uri.queryParameters
            let limit =
                try query.get("limit").map { text in
                    guard let value = Int(text) else { throw TMWSError(.invalidInput, "'limit' must be an integer", field: "limit") }
                    return value
                } ?? 50
            let filter = try Self.filter(
                scopes: query.getAll("scope").map { String($0) }, namespace: query.get("namespace"),
                tags: query.getAll("tag").map { String($0) }, tagMatch: query.get("tag_match"),
                minimumImportance: try query.get("min_importance").map { text in
                    guard let value = Double(text) else { throw TMWSError(.invalidInput, "'min_importance' must be a number", field: "min_importance") }
                    return value
                },
                includeArchived: try Self.flag(query, "include_archived"), includeSuperseded: try Self.flag(query, "include_superseded")
            )
            let budget = try query.get("max_tokens").map { text in
                guard let value = Int(text) else { throw TMWSError(.invalidInput, "'max_tokens' must be an integer", field: "max_tokens") }
                return try TokenBudget(maxTokens: value)
            }
            let compact = try query.get("compact").map { text in
                guard let value = Bool(text) else { throw TMWSError(.invalidInput, "'compact' must be true or false", field: "compact") }
                return value
            }
            let page = try await service.list(ListRequest(filter: filter, limit: limit, cursor: query.get("cursor")))
            return json(MemoryPageResult(page).fitting(budget, compact: compact ?? false))
        }
        router.get("/v1/memories/{id}") { _, context in
            json(try await service.get(try Self.id(context)))
        }
        router.patch("/v1/memories/{id}") { request, context in
            let id = try Self.id(context)
            let body = try await decode(ChangeBody.self, from: request)
            let supersedes: MemoryID?? =
                switch body.supersedes {
                case nil: nil
                case .null?: .some(nil)
                case .id(let text)?: .some(try MemoryID(parsing: text, field: "supersedes"))
                }
            let memory = try await service.update(
                id,
                .init(
                    content: body.content, scope: try body.scope.map(MemoryScope.init(parsing:)),
                    namespace: try body.namespace.map(Namespace.init(validating:)), tags: body.tags, importance: body.importance,
                    ttlDays: body.ttlDays, clearTTL: body.clearTTL ?? false, metadata: body.metadata,
                    expectedVersion: body.expectedVersion, redact: body.redact ?? false, supersedes: supersedes, pinned: body.pinned),
                by: caller(of: request)
            )
            return json(memory)
        }
        router.delete("/v1/memories/{id}") { request, context in
            let expected = try request.uri.queryParameters.get("expected_version").map { text in
                guard let value = Int(text) else { throw TMWSError(.invalidInput, "'expected_version' must be an integer", field: "expected_version") }
                return value
            }
            let tombstone = try await service.delete(try Self.id(context), expectedVersion: expected, by: caller(of: request))
            return json(DeleteResult(tombstone))
        }
        router.post("/v1/search") { request, _ in
            let body = try await decode(SearchBody.self, from: request)
            let filter = try Self.filter(
                scopes: body.scopes ?? [], namespace: body.namespace, tags: body.tags ?? [],
                tagMatch: body.tagMatch, minimumImportance: body.minImportance, includeArchived: body.includeArchived ?? false,
                includeSuperseded: body.includeSuperseded ?? false)
            let request = SearchRequest(
                query: body.query, filter: filter, limit: body.limit ?? 10, mode: try body.mode.map(SearchMode.init(parsing:)))
            let strategy = try body.strategy.map(SearchStrategy.init(parsing:))
            let budget = try body.maxTokens.map(TokenBudget.init(maxTokens:))
            let compact = body.compact ?? false
            if let hybrid, hybrid.cloud != nil {
                return json(try await hybrid.search(request, strategy: strategy ?? hybrid.defaultStrategy).fitting(budget, compact: compact))
            }
            return json(SearchResults(try await service.searchOutcome(request)).fitting(budget, compact: compact))
        }
        router.post("/v1/classify") { request, _ in
            let body = try await decode(ClassifyBody.self, from: request)
            let namespace = try body.namespace.map(Namespace.init(validating:)) ?? service.defaultNamespace
            let fields = MemoryFields(
                content: try service.validator.validateContent(body.content), tags: try service.validator.validateTags(body.tags ?? []),
                metadata: try service.validator.validateMetadata(body.metadata ?? [:]), namespace: namespace.rawValue
            )
            return json(
                try service.decideScope(
                    fields, explicitScope: try body.scope.map(MemoryScope.init(parsing:)), redact: false, namespace: namespace
                ).classification)
        }
        router.get("/v1/memories/{id}/history") { _, context in
            json(HistoryResult(memories: try await service.history(try Self.id(context))))
        }
        router.get("/v1/review") { request, _ in
            let query = request.uri.queryParameters
            let limit = try query.get("limit").map { text in
                guard let value = Int(text) else { throw TMWSError(.invalidInput, "'limit' must be an integer", field: "limit") }
                return value
            }
            return json(MemoryPageResult(try await service.pendingReviews(limit: limit ?? 100, cursor: query.get("cursor"))))
        }
        router.post("/v1/review/{id}") { request, context in
            let body = try await decode(ReviewBody.self, from: request)
            let accept: Bool =
                switch body.decision {
                case "accept": true
                case "reject": false
                default: throw TMWSError(.invalidInput, "'decision' must be \"accept\" or \"reject\"", field: "decision")
                }
            return json(try await service.review(try Self.id(context), accept: accept, by: caller(of: request)))
        }
        router.get("/v1/stats") { _, _ in
            json(try await service.statistics())
        }
        addConsoleRoutes(to: router, policy: policy)
        return router
    }

    func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBodyBytes)
        } catch {
            throw HTTPError(.contentTooLarge, message: "the request body is larger than \(maximumBodyBytes) bytes")
        }
        let data = Data(buffer: buffer)
        guard String(validating: data, as: UTF8.self) != nil else {
            throw TMWSError(.invalidInput, "the request body is not valid UTF-8")
        }
        if let strict = Body.self as? any StrictBody.Type {
            try KnownKeys.check(data, known: strict.keys, what: "the request body")
        }
        return try JSONDecoder().decode(Body.self, from: data)
    }

    static func id(_ context: BasicRequestContext) throws -> MemoryID {
        try MemoryID(parsing: context.parameters.get("id") ?? "")
    }

    private static func filter(
        scopes: [String], namespace: String?, tags: [String], tagMatch: String?, minimumImportance: Double?, includeArchived: Bool,
        includeSuperseded: Bool
    ) throws -> MemoryFilter {
        let match = try tagMatch.map { text in
            guard let match = TagMatch(rawValue: text) else {
                throw TMWSError(.invalidInput, "'tag_match' must be \"any\" or \"all\"", field: "tag_match")
            }
            return match
        }
        var filter = MemoryFilter(
            scopes: Set(try scopes.map(MemoryScope.init(parsing:))), namespace: try namespace.map(Namespace.init(validating:)),
            tags: tags, tagMatch: match ?? .any, minimumImportance: minimumImportance, includeArchived: includeArchived
        )
        filter.includeSuperseded = includeSuperseded
        return filter
    }

    /// A query parameter that is `true` or `false` (absent: `false`).
    private static func flag(_ query: HummingbirdCore.FlatDictionary<Substring, Substring>, _ name: String) throws -> Bool {
        try query.get(name).map { text in
            guard let value = Bool(text) else { throw TMWSError(.invalidInput, "'\(name)' must be true or false", field: name) }
            return value
        } ?? false
    }
}
