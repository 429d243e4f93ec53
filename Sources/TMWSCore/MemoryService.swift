import Foundation

/// The one service layer behind the CLI, MCP and REST: it validates raw input, applies
/// defaults and calls the store, so every interface behaves the same.
public struct MemoryService: Sendable {
    public let store: any MemoryStore
    public let validator: MemoryValidator
    public let clock: any WallClock
    /// The namespace for writes that name none (detected from the working directory).
    public let defaultNamespace: Namespace
    /// The scope for writes that name none.
    public let defaultScope: MemoryScope

    public init(
        store: any MemoryStore, validator: MemoryValidator = MemoryValidator(), clock: any WallClock = SystemClock(),
        defaultNamespace: Namespace = .fallback, defaultScope: MemoryScope = .default
    ) {
        self.store = store
        self.validator = validator
        self.clock = clock
        self.defaultNamespace = defaultNamespace
        self.defaultScope = defaultScope
    }

    /// Raw input for a new memory; `nil` fields take the defaults.
    public struct NewMemory: Sendable {
        public var content: String
        public var scope: MemoryScope?
        public var namespace: Namespace?
        public var tags: [String]
        public var importance: Double?
        public var ttlDays: Int?
        public var metadata: [String: JSONValue]

        public init(
            content: String, scope: MemoryScope? = nil, namespace: Namespace? = nil, tags: [String] = [],
            importance: Double? = nil, ttlDays: Int? = nil, metadata: [String: JSONValue] = [:]
        ) {
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
    public struct Change: Sendable {
        public var content: String?
        public var scope: MemoryScope?
        public var namespace: Namespace?
        public var tags: [String]?
        public var importance: Double?
        public var ttlDays: Int?
        /// Removes the expiry (cannot be combined with `ttlDays`).
        public var clearTTL: Bool
        public var metadata: [String: JSONValue]?
        public var expectedVersion: Int?

        public init(
            content: String? = nil, scope: MemoryScope? = nil, namespace: Namespace? = nil, tags: [String]? = nil,
            importance: Double? = nil, ttlDays: Int? = nil, clearTTL: Bool = false,
            metadata: [String: JSONValue]? = nil, expectedVersion: Int? = nil
        ) {
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

    /// Validates and stores a new memory.
    ///
    /// - Throws: `invalid_input` for the first field that breaks a rule; nothing is written then.
    public func add(_ input: NewMemory, by caller: Caller) async throws -> Memory {
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
        return try await store.create(draft, by: caller)
    }

    /// Reads one memory (and counts the access).
    public func get(_ id: MemoryID) async throws -> Memory {
        try await store.get(id)
    }

    /// Validates and applies a change.
    ///
    /// - Throws: `invalid_input` for an empty change or a bad field, `not_found`, `version_conflict`.
    public func update(_ id: MemoryID, _ change: Change, by caller: Caller) async throws -> Memory {
        if change.clearTTL && change.ttlDays != nil {
            throw TMWSError(.invalidInput, "ttl_days and clear_ttl cannot be combined", field: "ttl_days")
        }
        if let expected = change.expectedVersion, expected < 1 {
            throw TMWSError(.invalidInput, "expected_version must be 1 or more, got \(expected)", field: "expected_version")
        }
        var patch = MemoryPatch(
            content: try change.content.map(validator.validateContent),
            scope: change.scope,
            namespace: change.namespace,
            tags: try change.tags.map(validator.validateTags),
            importance: try change.importance.map(validator.validateImportance),
            metadata: try change.metadata.map(validator.validateMetadata),
            expectedVersion: change.expectedVersion
        )
        if let days = change.ttlDays {
            patch.expiresAt = .some(try validator.expiry(ttlDays: days, from: clock.now()))
        } else if change.clearTTL {
            patch.expiresAt = .some(nil)
        }
        if patch.isEmpty {
            throw TMWSError(.invalidInput, "nothing to update: give at least one field to change", field: nil)
        }
        return try await store.update(id, with: patch, by: caller)
    }

    /// Deletes a memory (a tombstone stays for sync).
    public func delete(_ id: MemoryID, expectedVersion: Int? = nil, by caller: Caller) async throws -> Memory {
        try await store.delete(id, expectedVersion: expectedVersion, by: caller)
    }

    /// The largest page or result count a caller may ask for.
    public static let maximumLimit = 1000

    /// Lists memories, newest first.
    ///
    /// - Throws: `invalid_input` for a limit outside 1–1000 or a malformed cursor.
    public func list(_ request: ListRequest) async throws -> MemoryPage {
        try Self.checkLimit(request.limit)
        try checkFilter(request.filter)
        return try await store.list(request)
    }

    /// Searches memories, best first, each hit with its score.
    ///
    /// - Throws: `invalid_input` for an empty query or a limit outside 1–1000.
    public func search(_ request: SearchRequest) async throws -> [SearchHit] {
        try Self.checkLimit(request.limit)
        try checkFilter(request.filter)
        if request.query.unicodeScalars.contains("\u{0}") {
            throw TMWSError(.invalidInput, "query contains a NUL character", field: "query")
        }
        if request.query.allSatisfy({ $0.isWhitespace }) {
            throw TMWSError(.invalidInput, "query is empty", field: "query")
        }
        return try await store.search(request)
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

    /// Validates every line first, then writes them in batches of `batchSize`, each batch
    /// in one transaction. A bad line stops the import before anything is written.
    ///
    /// - Parameter progress: called after each batch with the number of lines done.
    /// - Throws: `invalid_input` naming the first bad line (1-based) and its problem.
    public func importLines(
        _ lines: [ArraySlice<UInt8>], batchSize: Int = 1000, by caller: Caller,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> ImportOutcome {
        guard batchSize >= 1 else {
            throw TMWSError(.invalidInput, "batch size must be 1 or more, got \(batchSize)", field: "batch_size")
        }
        let drafts = try await parseLines(lines)
        var outcome = ImportOutcome()
        var done = 0
        for start in stride(from: 0, to: drafts.count, by: batchSize) {
            let batch = Array(drafts[start..<min(start + batchSize, drafts.count)])
            let result = try await store.importBatch(batch, by: caller)
            outcome.imported += result.imported
            outcome.skipped += result.skipped
            done += batch.count
            progress(done)
        }
        return outcome
    }

    /// Decodes and validates lines on every core, keeping their order.
    ///
    /// - Throws: the error of the first bad line (by line number), prefixed with `line N:`.
    private func parseLines(_ lines: [ArraySlice<UInt8>]) async throws -> [MemoryDraft] {
        let now = clock.now()
        let chunkSize = max(512, lines.count / (ProcessInfo.processInfo.activeProcessorCount * 4) + 1)
        let chunks = stride(from: 0, to: lines.count, by: chunkSize).map { $0..<min($0 + chunkSize, lines.count) }
        let parsed = try await withThrowingTaskGroup(of: (Int, Result<[MemoryDraft], TMWSError>).self) { group in
            for (chunkIndex, range) in chunks.enumerated() {
                let slice = Array(lines[range])
                group.addTask { [validator, defaultScope, defaultNamespace] in
                    var drafts: [MemoryDraft] = []
                    drafts.reserveCapacity(slice.count)
                    for (offset, line) in slice.enumerated()
                    where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                        do {
                            let decoded = try MemoryImportLine.decode(line)
                            drafts.append(try decoded.draft(
                                validator: validator, defaultScope: defaultScope, defaultNamespace: defaultNamespace, now: now))
                        } catch let error as TMWSError {
                            let number = range.lowerBound + offset + 1
                            return (chunkIndex, .failure(TMWSError(error.code, "line \(number): \(error.message)", field: error.field)))
                        }
                    }
                    return (chunkIndex, .success(drafts))
                }
            }
            var results = [Result<[MemoryDraft], TMWSError>?](repeating: nil, count: chunks.count)
            for try await (index, result) in group {
                results[index] = result
            }
            return results
        }
        var drafts: [MemoryDraft] = []
        drafts.reserveCapacity(lines.count)
        for result in parsed {
            drafts += try result!.get()
        }
        return drafts
    }

    /// Removes expired memories and local tombstones.
    public func prune(dryRun: Bool, by caller: Caller) async throws -> PruneOutcome {
        try await store.pruneExpired(dryRun: dryRun, by: caller)
    }

    /// Counts and sizes.
    public func statistics() async throws -> MemoryStatistics {
        try await store.statistics()
    }
}
