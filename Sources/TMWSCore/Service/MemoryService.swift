import Foundation

/// The one service layer behind the CLI, MCP and REST: it validates raw input, applies
/// defaults and calls the store, so every interface behaves the same.
package struct MemoryService: Sendable {
    package let store: any MemoryStore
    package let validator: MemoryValidator
    package let clock: any WallClock
    /// The namespace for writes that name none (detected from the working directory).
    package let defaultNamespace: Namespace
    /// Decides scopes, redacts or refuses: the one rule every write goes through.
    package var policy: ScopePolicy
    /// The scope for writes the classifier has no opinion on (its "when unsure").
    package var defaultScope: MemoryScope { policy.defaultScope }
    /// The classifier the policy uses.
    package var classifier: ScopeClassifier { policy.classifier }
    /// The team a SHARED write that names none goes to: the node's only team, if it has
    /// exactly one (`nil`: chosen when the memory is first pushed, or the push says why not).
    package var defaultTeam: String?
    /// The names of the teams this node is in, for the error of a SHARED write that names
    /// none when there is not exactly one.
    package var teamNames: [String] = []
    /// A team's id from what a caller named (an id, or a name the node knows); by default
    /// only an id is accepted.
    package var resolveTeam: @Sendable (String) throws -> String = { try MemoryService.validTeam($0) }
    /// Search by meaning: the embedding model and the vectors (`nil`: lexical only).
    package var semantic: SemanticSearch?
    /// What a write does with a duplicate of a stored memory (`memory.dedup`).
    package var dedup: DedupPolicy = .report
    /// Whether an agent (MCP) may accept a memory held for review (`review.agents_may_accept`).
    package var agentsMayAcceptReviews = false

    package init(
        store: any MemoryStore, validator: MemoryValidator = MemoryValidator(), clock: any WallClock = SystemClock(),
        defaultNamespace: Namespace = .fallback, defaultScope: MemoryScope = .default,
        classifier: ScopeClassifier = ScopeClassifier(), repositoryName: String? = nil
    ) {
        self.store = store
        self.validator = validator
        self.clock = clock
        self.defaultNamespace = defaultNamespace
        self.policy = ScopePolicy(classifier: classifier, defaultScope: defaultScope, repositoryName: repositoryName)
    }

    /// Runs a decision of the policy; a refusal is written to the audit log (finding types
    /// only) before it is thrown.
    func deciding<T>(scope: MemoryScope?, namespace: Namespace, by caller: Caller, _ decide: () throws -> T) async throws -> T {
        do {
            return try decide()
        } catch let error as TMWSError where error.code == .refused {
            if let scope {
                try await store.recordRefusal(
                    scope: scope, namespace: namespace, details: ["refused", "findings:" + error.findingTypes.joined(separator: "+")],
                    by: caller
                )
            }
            throw error
        }
    }

    /// The policy's decision on content alone, without storing anything (what `classify` answers).
    package func decideScope(
        _ content: String, explicitScope: MemoryScope?, redact: Bool, namespace: Namespace
    ) throws -> (classification: ScopeClassification, content: String) {
        let (classification, fields) = try policy.decide(
            MemoryFields(content: content), explicitScope: explicitScope, redact: redact, namespace: namespace
        )
        return (classification, fields.content)
    }

    /// The policy's decision on every field that can leave the machine, without storing anything.
    package func decideScope(
        _ fields: MemoryFields, explicitScope: MemoryScope?, redact: Bool, namespace: Namespace
    ) throws -> (classification: ScopeClassification, fields: MemoryFields) {
        try policy.decide(fields, explicitScope: explicitScope, redact: redact, namespace: namespace)
    }

    /// Raw input for a new memory; `nil` fields take the defaults.
    package struct NewMemory: Sendable {
        package var content: String
        package var scope: MemoryScope?
        package var namespace: Namespace?
        package var tags: [String]
        package var importance: Double?
        package var ttlDays: Int?
        package var metadata: [String: JSONValue]
        /// Replace sensitive data by `[REDACTED:type]` instead of refusing a cloud scope.
        package var redact: Bool
        /// A scope used only when the classifier has no opinion (MCP's `scope_hint`).
        package var scopeHint: MemoryScope?
        /// The team of a SHARED memory (its id); naming one makes the memory SHARED.
        package var team: String?
        /// The memory this one replaces: it leaves default search, and stays.
        package var supersedes: MemoryID?
        /// Kept against expiry, the archive and the hot cache (cannot go with `ttlDays`).
        package var pinned = false

        package init(
            content: String, scope: MemoryScope? = nil, namespace: Namespace? = nil, tags: [String] = [],
            importance: Double? = nil, ttlDays: Int? = nil, metadata: [String: JSONValue] = [:], redact: Bool = false,
            scopeHint: MemoryScope? = nil, team: String? = nil, supersedes: MemoryID? = nil, pinned: Bool = false
        ) {
            self.supersedes = supersedes
            self.pinned = pinned
            self.team = team
            self.redact = redact
            self.scopeHint = scopeHint
            self.content = content
            self.scope = scope
            self.namespace = namespace
            self.tags = tags
            self.importance = importance
            self.ttlDays = ttlDays
            self.metadata = metadata
        }
    }

    /// Raw input for a change; `nil` fields stay as they are.
    package struct Change: Sendable {
        package var content: String?
        package var scope: MemoryScope?
        package var namespace: Namespace?
        package var tags: [String]?
        package var importance: Double?
        package var ttlDays: Int?
        /// Removes the expiry (cannot be combined with `ttlDays`).
        package var clearTTL: Bool
        package var metadata: [String: JSONValue]?
        package var expectedVersion: Int?
        /// Replace sensitive data by `[REDACTED:type]` instead of refusing a cloud scope.
        package var redact: Bool
        /// The team (its id) of a memory that becomes SHARED, or of a SHARED one that has none
        /// yet; a SHARED memory never moves to another team (every device would refuse it).
        package var team: String?
        /// `.some(id)`: this memory supersedes `id`; `.some(nil)`: it supersedes nothing any more.
        package var supersedes: MemoryID??
        /// Pins (removing the expiry) or unpins.
        package var pinned: Bool?

        package init(
            content: String? = nil, scope: MemoryScope? = nil, namespace: Namespace? = nil, tags: [String]? = nil,
            importance: Double? = nil, ttlDays: Int? = nil, clearTTL: Bool = false,
            metadata: [String: JSONValue]? = nil, expectedVersion: Int? = nil, redact: Bool = false,
            supersedes: MemoryID?? = nil, pinned: Bool? = nil
        ) {
            self.supersedes = supersedes
            self.pinned = pinned
            self.redact = redact
            self.content = content
            self.scope = scope
            self.namespace = namespace
            self.tags = tags
            self.importance = importance
            self.ttlDays = ttlDays
            self.clearTTL = clearTTL
            self.metadata = metadata
            self.expectedVersion = expectedVersion
        }
    }

    /// Validates and stores a new memory; see ``addChecked(_:by:)`` for what the duplicate
    /// check found.
    ///
    /// - Throws: `invalid_input` for the first field that breaks a rule; nothing is written then.
    package func add(_ input: NewMemory, by caller: Caller) async throws -> Memory {
        try await addChecked(input, by: caller).memory
    }

    /// Validates, classifies and checks a new memory against those already stored (see
    /// ``DedupPolicy``), then stores it, or answers with the memory it duplicates.
    ///
    /// - Throws: `invalid_input` for the first field that breaks a rule; nothing is written then.
    package func addChecked(_ input: NewMemory, by caller: Caller) async throws -> AddOutcome {
        if input.pinned, input.ttlDays != nil {
            throw TMWSError(.invalidInput, "a pinned memory never expires: give ttl_days or pinned, not both", field: "ttl_days")
        }
        let decided = try await decide(input, by: caller)
        if let target = decided.draft.supersedes { try await checkSupersession(of: target, by: nil) }
        return try await storeChecked(decided, by: caller)
    }

    /// The policy's decision on a new memory: fields validated, scope and team chosen.
    private func decide(_ input: NewMemory, by caller: Caller) async throws -> DecidedDraft {
        var input = input
        let namedTeam = input.team != nil
        if let team = input.team {
            input.team = try Self.validTeam(try resolveTeam(team))
            guard input.scope == nil || input.scope == .shared else {
                throw TMWSError(.invalidInput, "a team is given only for a SHARED memory, not \(input.scope!.rawValue)", field: "team")
            }
            input.scope = .shared
        }
        let draft = try validator.draft(
            content: input.content,
            scope: input.scope ?? defaultScope,
            namespace: input.namespace ?? defaultNamespace,
            tags: input.tags,
            importance: input.importance ?? 0.5,
            ttlDays: input.ttlDays,
            metadata: input.metadata,
            now: clock.now()
        )
        var decided = try await deciding(scope: input.scope, namespace: draft.namespace, by: caller) {
            try policy.decide(draft, explicitScope: input.scope, scopeHint: input.scopeHint, redact: input.redact)
        }
        if decided.draft.scope == .shared {
            if let team = input.team ?? defaultTeam {
                decided.draft.team = team
                if namedTeam { decided.dropOverrideWarning() }
            } else if input.scope == .shared {
                throw teamless()
            } else {
                // The classifier thought it a team convention, but there is no one team to
                // share it with: it stays on this machine.
                decided = try await deciding(scope: .project, namespace: draft.namespace, by: caller) {
                    try policy.decide(draft, explicitScope: .project, scopeHint: nil, redact: input.redact)
                }
                decided.addWarning(
                    "the classifier suggested SHARED, but no team was named and this node is not in exactly one: kept PROJECT (pass a team to share it)")
                decided.example = nil  // PROJECT was not a person's choice
            }
        }
        decided.draft.supersedes = input.supersedes
        decided.draft.pinned = input.pinned
        return decided
    }

    /// The error of a SHARED write that names no team when the node is not in exactly one.
    func teamless() -> TMWSError {
        let message =
            switch teamNames.count {
            case 0: "a SHARED memory needs a team, and this node is in none: create one (tmws team create NAME) or choose another scope"
            default:
                "a SHARED memory needs a team: this node is in \(teamNames.count) (\(teamNames.sorted().joined(separator: ", "))); name one (--team NAME on the command line, team in MCP and REST)"
            }
        return TMWSError(.invalidInput, message, field: "team")
    }

    /// A team id as stored: a UUID, lower-case.
    static func validTeam(_ team: String) throws -> String {
        guard let id = UUID(uuidString: team.trimmingCharacters(in: .whitespaces)) else {
            throw TMWSError(.invalidInput, "team must be a team's id or name (tmws team list shows them)", field: "team")
        }
        return id.uuidString.lowercased()
    }

    /// Reads one memory (and counts the access).
    package func get(_ id: MemoryID) async throws -> Memory {
        try await store.get(id)
    }

    /// Deletes a memory (a tombstone stays for sync).
    ///
    /// - Throws: `invalid_input` for an `expectedVersion` below 1, `not_found`, `version_conflict`.
    package func delete(_ id: MemoryID, expectedVersion: Int? = nil, by caller: Caller) async throws -> Memory {
        try Self.checkExpectedVersion(expectedVersion)
        return try await store.delete(id, expectedVersion: expectedVersion, by: caller)
    }

    static func checkExpectedVersion(_ expected: Int?) throws {
        if let expected, expected < 1 {
            throw TMWSError(.invalidInput, "expected_version must be 1 or more, got \(expected)", field: "expected_version")
        }
    }

    /// The largest page or result count a caller may ask for.
    package static let maximumLimit = 1000

    /// Lists memories, newest first.
    ///
    /// - Throws: `invalid_input` for a limit outside 1–1000 or a malformed cursor.
    package func list(_ request: ListRequest) async throws -> MemoryPage {
        try Self.checkLimit(request.limit)
        try checkFilter(request.filter)
        return try await store.list(request)
    }

    /// Searches memories, best first, each hit with its score.
    ///
    /// - Throws: `invalid_input` for an empty query or a limit outside 1–1000.
    package func search(_ request: SearchRequest) async throws -> [SearchHit] {
        try await searchOutcome(request).hits
    }

    /// Searches in the request's mode (by default hybrid when an embedding model is
    /// configured): the hits, the mode used, and why it is not the one asked for.
    ///
    /// Vectors are used where they exist; memories still waiting for one are found by words
    /// only, and the answer says how many wait. Without a model, with the model still loading,
    /// or with its endpoint down, the search is lexical and says why: it never waits for one.
    package func searchOutcome(_ request: SearchRequest) async throws -> SearchOutcome {
        try checkSearch(request)
        let asked = request.mode ?? (semantic == nil ? .lexical : .hybrid)
        guard asked != .lexical else { return SearchOutcome(hits: try await store.search(request), mode: .lexical) }
        let note: String
        if let semantic {
            do {
                if let outcome = try await semantic.search(request, mode: asked, lexical: store) { return outcome }
                note = "the embedding model is still loading: lexical search"
            } catch let error as TMWSError where error.code == .io || error.code == .configuration {
                note = "the embedding model failed (\(error.message)): lexical search"
            }
        } else {
            note = "no embedding model is configured (tmws models install): lexical search"
        }
        return SearchOutcome(hits: try await store.search(request), mode: .lexical, note: note)
    }

    private func checkSearch(_ request: SearchRequest) throws {
        try Self.checkLimit(request.limit)
        try checkFilter(request.filter)
        if request.query.unicodeScalars.contains("\u{0}") {
            throw TMWSError(.invalidInput, "query contains a NUL character", field: "query")
        }
        if request.query.allSatisfy({ $0.isWhitespace }) {
            throw TMWSError(.invalidInput, "query is empty", field: "query")
        }
    }

    private static func checkLimit(_ limit: Int) throws {
        guard (1...maximumLimit).contains(limit) else {
            throw TMWSError(.invalidInput, "limit must be between 1 and \(maximumLimit), got \(limit)", field: "limit")
        }
    }

    private func checkFilter(_ filter: MemoryFilter) throws {
        if let minimum = filter.minimumImportance {
            _ = try validator.validateImportance(minimum)
        }
        _ = try validator.validateTags(filter.tags)
    }

    /// Removes expired memories and local tombstones.
    package func prune(dryRun: Bool, by caller: Caller) async throws -> PruneOutcome {
        try await store.pruneExpired(dryRun: dryRun, by: caller)
    }

    /// Writes the access counts of recent searches that are still held in memory.
    package func flushAccesses() async throws {
        try await store.flushAccesses()
    }

    /// Counts and sizes.
    package func statistics() async throws -> MemoryStatistics {
        try await store.statistics()
    }
}
