import Foundation
import MCP
import TMWSCore

/// The memory tools agents call over MCP. Every tool goes through `MemoryService`, so
/// validation, classification and audit are the same as on the command line.
///
/// Tool names follow the original TMWS where it had them (`store_memory`, `search_memories`,
/// `get_memory_stats`, `set_memory_ttl`, `prune_expired_memories`), so agent prompts keep working.
package struct MemoryTools: Sendable {
    package let service: MemoryService
    /// Who is calling: `TMWS_AGENT_ID`, else the MCP client's name.
    package let caller: @Sendable () -> Caller
    /// Routes searches to the hub too, when hybrid mode is on and the node is enrolled.
    package let hybrid: HybridSearch?
    /// Sync with the hub (`sync_status`, `sync_now`, `set_offline_mode`).
    package let sync: (any SyncControl)?
    /// Told each call's tool (a known tool's name, else `unknown`), duration and error code
    /// (`nil` on success): for metrics.
    package var observe: @Sendable (_ tool: String, _ duration: Duration, _ errorCode: String?) -> Void = { _, _, _ in }

    package init(
        service: MemoryService, caller: @escaping @Sendable () -> Caller, hybrid: HybridSearch? = nil, sync: (any SyncControl)? = nil
    ) {
        self.service = service
        self.caller = caller
        self.hybrid = hybrid
        self.sync = sync
    }

    func requireSync() throws -> any SyncControl {
        guard let sync else { throw TMWSError(.configuration, "sync is not available in this server") }
        return sync
    }

    /// Runs a tool. Bad arguments and refused writes come back as tool errors (`isError`)
    /// with a one-line message, never as protocol errors, so the agent can correct itself.
    package func call(_ name: String, arguments: [String: Value]?) async -> CallTool.Result {
        let clock = ContinuousClock()
        let started = clock.now
        let known = Self.definitions.contains { $0.name == name } ? name : "unknown"
        let result = await perform(name, arguments: arguments)
        observe(known, clock.now - started, result.errorCode)
        return result.result
    }

    private func perform(_ name: String, arguments: [String: Value]?) async -> (result: CallTool.Result, errorCode: String?) {
        do {
            guard let tool = Self.definitions.first(where: { $0.name == name }) else {
                throw TMWSError(.invalidInput, "unknown tool '\(name.truncatedForMessage)'; call tools/list for the available ones")
            }
            let arguments = ToolArguments(arguments)
            try arguments.rejectUnknown(allowed: Self.argumentNames(tool))
            let output = try await run(name, arguments)
            let data = try (output as? any JSONBytesEncodable).map { Data($0.jsonBytes()) } ?? JSONEncoder.tmws().encode(output)
            // Lists of memories come as JSON text only: the SDK turns every result into a tree of
            // values and back (measured: 12 ms per search round trip with a structured copy,
            // against 4.7 ms without). Single objects carry structuredContent too.
            let structured: Value? = Self.textOnlyTools.contains(name) ? nil : try Self.value(fromJSON: data)
            return (
                .init(
                    content: [.text(text: String(decoding: data, as: UTF8.self), annotations: nil, _meta: nil)],
                    structuredContent: structured, isError: false), nil
            )
        } catch {
            let code = (error as? TMWSError)?.code.rawValue ?? "internal"
            return (.init(content: [.text(text: "error: \(TMWSError.safeMessage(for: error))", annotations: nil, _meta: nil)], isError: true), code)
        }
    }

    /// Tools whose results are lists of memories.
    static let textOnlyTools: Set<String> = ["search_memories", "list_memories"]

    /// JSON bytes as an MCP `Value`. `JSONDecoder` into `Value` tries each type in turn and
    /// throws on every miss; that made search results cost 20 ms. JSONSerialization does not.
    static func value(fromJSON data: Data) throws -> Value {
        func convert(_ object: Any) -> Value {
            switch object {
            case let dictionary as [String: Any]: return .object(dictionary.mapValues(convert))
            case let array as [Any]: return .array(array.map(convert))
            case let string as String: return .string(string)
            case let number as NSNumber:
                // JSONSerialization's booleans report the Objective-C type "c", integers "i"/"l"/"q".
                switch String(cString: number.objCType) {
                case "c", "B": return .bool(number.boolValue)
                case "d", "f": return .double(number.doubleValue)
                default: return .int(number.intValue)
                }
            default: return .null
            }
        }
        return convert(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    static func argumentNames(_ tool: Tool) -> Set<String> {
        guard case .object(let schema) = tool.inputSchema, case .object(let properties)? = schema["properties"] else { return [] }
        return Set(properties.keys)
    }

    // MARK: - Dispatch

    private func run(_ name: String, _ arguments: ToolArguments) async throws -> any Encodable {
        switch name {
        case "store_memory": return try await store(arguments)
        case "search_memories": return try await search(arguments)
        case "get_memory": return try await service.get(try arguments.id("id"))
        case "update_memory": return try await update(arguments)
        case "memory_history": return HistoryResult(memories: try await service.history(try arguments.id("id")))
        case "list_unreviewed":
            let page = try await service.pendingReviews(limit: try arguments.int("limit") ?? 100)
            return ListResult(count: page.memories.count, memories: page.memories.map { Summary($0) }, nextCursor: page.nextCursor)
        case "review_memory": return try await review(arguments)
        case "delete_memory":
            let tombstone = try await service.delete(try arguments.id("id"), expectedVersion: try arguments.int("expected_version"), by: caller())
            return DeleteResult(tombstone)
        case "list_memories": return try await list(arguments)
        case "classify_scope":
            let namespace = try arguments.namespace("namespace") ?? service.defaultNamespace
            let fields = MemoryFields(
                content: try service.validator.validateContent(try arguments.requiredString("content")),
                tags: try service.validator.validateTags(try arguments.strings("tags") ?? []),
                metadata: try service.validator.validateMetadata(try arguments.object("metadata") ?? [:]), namespace: namespace.rawValue
            )
            return try service.decideScope(
                fields, explicitScope: try arguments.scope("scope_hint"), redact: false, namespace: namespace
            ).classification
        case "get_memory_stats":
            return try await service.statistics()
        case "set_memory_ttl":
            let id = try arguments.id("id")
            let days = try arguments.int("ttl_days")
            return try await service.update(id, .init(ttlDays: days, clearTTL: days == nil), by: caller())
        case "prune_expired_memories":
            let dryRun = try arguments.bool("dry_run") ?? false
            let outcome = try await service.prune(dryRun: dryRun, by: caller())
            return PruneResult(outcome, dryRun: dryRun)
        case "sync_status":
            return try await requireSync().status()
        case "sync_now":
            return try await requireSync().syncNow()
        case "set_offline_mode":
            guard let offline = try arguments.bool("offline") else {
                throw TMWSError(.invalidInput, "offline (true or false) is required", field: "offline")
            }
            try await requireSync().setOffline(offline)
            return try await requireSync().status()
        case "list_conflicts":
            let conflicts = try await requireSync().conflicts()
            return ConflictList(conflicts)
        case "resolve_conflict":
            let text = try arguments.requiredString("keep")
            guard let keep = SyncConflict.Choice(rawValue: text) else {
                throw TMWSError(.invalidInput, "'keep' must be \"local\", \"remote\" or \"merged\"", field: "keep")
            }
            return try await requireSync().resolveConflict(try arguments.id("id"), keep: keep, content: try arguments.string("content"), by: caller())
        default:
            throw TMWSError(.invalidInput, "unknown tool '\(name.truncatedForMessage)'")
        }
    }

    private func store(_ arguments: ToolArguments) async throws -> StoreResult {
        var input = MemoryService.NewMemory(
            content: try arguments.requiredString("content"), scope: try arguments.scope("scope"),
            namespace: try arguments.namespace("namespace"), tags: try arguments.strings("tags") ?? [],
            importance: try arguments.double("importance"), ttlDays: try arguments.int("ttl_days"),
            metadata: try arguments.object("metadata") ?? [:], redact: try arguments.bool("redact") ?? false,
            // Used only where the classifier has no opinion; never a reason to refuse.
            scopeHint: try arguments.scope("scope_hint"), team: try arguments.string("team")
        )
        input.supersedes = try arguments.string("supersedes").map { try MemoryID(parsing: $0, field: "supersedes") }
        input.pinned = try arguments.bool("pinned") ?? false
        return StoreResult(try await service.addChecked(input, by: caller()))
    }

    private func filter(_ arguments: ToolArguments) throws -> MemoryFilter {
        let match = try arguments.string("tag_match").map { text in
            guard let match = TagMatch(rawValue: text) else {
                throw TMWSError(.invalidInput, "'tag_match' must be \"any\" or \"all\"", field: "tag_match")
            }
            return match
        }
        var filter = MemoryFilter(
            scopes: Set(try (arguments.strings("scopes") ?? []).map(MemoryScope.init(parsing:))),
            namespace: try arguments.namespace("namespace"),
            tags: try arguments.strings("tags") ?? [],
            tagMatch: match ?? .any,
            minimumImportance: try arguments.double("min_importance"),
            includeArchived: try arguments.bool("include_archived") ?? false
        )
        filter.includeSuperseded = try arguments.bool("include_superseded") ?? false
        return filter
    }

    private func search(_ arguments: ToolArguments) async throws -> any Encodable {
        let request = SearchRequest(
            query: try arguments.requiredString("query"), filter: try filter(arguments), limit: try arguments.int("limit") ?? 10,
            mode: try arguments.string("mode").map(SearchMode.init(parsing:))
        )
        let strategy = try arguments.string("strategy").map(SearchStrategy.init(parsing:))
        let budget = try arguments.int("max_tokens").map(TokenBudget.init(maxTokens:))
        let compact = try arguments.bool("compact") ?? false
        if let hybrid, hybrid.cloud != nil {
            return try await hybrid.search(request, strategy: strategy ?? hybrid.defaultStrategy).fitting(budget, compact: compact)
        }
        let minimumScore = try arguments.double("min_score") ?? 0
        let outcome = try await service.searchOutcome(request)
        let hits = outcome.hits.filter { $0.score >= minimumScore }
        var result = SearchResult(
            count: hits.count, mode: outcome.mode, note: outcome.note, pendingEmbeddings: outcome.pendingEmbeddings,
            results: hits.map {
                let summary = Summary($0.memory, score: $0.score, foundBy: $0.foundBy.names, similarity: $0.similarity)
                return compact ? summary.compacted : summary
            })
        if let budget {
            let summaries = result.results
            result.results = []
            let fitted = budget.fit(summaries, envelope: result.jsonBytes(), write: { $0.write(to: &$1) }, content: \.content)
            result.results = fitted.items
            result.count = fitted.items.count
            result.budget = BudgetReport(budget, fitted, paged: false)
        }
        return result
    }

    private func list(_ arguments: ToolArguments) async throws -> ListResult {
        let budget = try arguments.int("max_tokens").map(TokenBudget.init(maxTokens:))
        let compact = try arguments.bool("compact") ?? false
        let page = try await service.list(
            ListRequest(filter: try filter(arguments), limit: try arguments.int("limit") ?? 50, cursor: try arguments.string("cursor"))
        )
        let summaries = page.memories.map { compact ? Summary($0).compacted : Summary($0) }
        var result = ListResult(count: summaries.count, memories: summaries, nextCursor: page.nextCursor)
        if let budget {
            result.memories = []
            let fitted = budget.fit(summaries, envelope: result.jsonBytes(), write: { $0.write(to: &$1) }, content: \.content)
            result.memories = fitted.items
            result.count = fitted.items.count
            // The next page starts after the last memory shown (the list is newest first by id).
            if fitted.omitted > 0, let last = fitted.items.last { result.nextCursor = last.id.description }
            result.budget = BudgetReport(budget, fitted, paged: result.nextCursor != nil)
        }
        return result
    }

    private func update(_ arguments: ToolArguments) async throws -> Memory {
        let supersedes = try arguments.string("supersedes").map { try MemoryID(parsing: $0, field: "supersedes") }
        let clear = try arguments.bool("clear_supersedes") ?? false
        if clear, supersedes != nil {
            throw TMWSError(.invalidInput, "give supersedes or clear_supersedes, not both", field: "clear_supersedes")
        }
        return try await service.update(
            try arguments.id("id"),
            .init(
                content: try arguments.string("content"), scope: try arguments.scope("scope"),
                namespace: try arguments.namespace("namespace"), tags: try arguments.strings("tags"),
                importance: try arguments.double("importance"), metadata: try arguments.object("metadata"),
                expectedVersion: try arguments.int("expected_version"), redact: try arguments.bool("redact") ?? false,
                supersedes: clear ? .some(nil) : supersedes.map(Optional.some), pinned: try arguments.bool("pinned")
            ),
            by: caller()
        )
    }

    private func review(_ arguments: ToolArguments) async throws -> Memory {
        let id = try arguments.id("id")
        switch try arguments.requiredString("decision") {
        case "reject":
            return try await service.review(id, accept: false, by: caller())
        case "accept":
            guard service.agentsMayAcceptReviews else {
                throw TMWSError(
                    .invalidInput,
                    "agents may not accept memories held for review (an instruction must not be waved through by an agent): ask the user to run 'tmws review accept \(id)'",
                    field: "decision")
            }
            return try await service.review(id, accept: true, by: caller())
        default:
            throw TMWSError(.invalidInput, "'decision' must be \"accept\" or \"reject\"", field: "decision")
        }
    }
}
