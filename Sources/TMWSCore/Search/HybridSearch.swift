import Foundation
import Synchronization

/// The hub, as search sees it (the hub client implements it; tests can use a real hub).
package protocol CloudSearching: Sendable {
    func searchGlobal(_ query: String, limit: Int, timeout: Duration) async throws -> [CloudSearchResults.Hit]
}

/// One result of a routed search, marked with where it came from.
package struct RoutedHit: Sendable, Hashable, Encodable {
    package enum Source: String, Sendable, Hashable, Encodable {
        case local, hub
    }

    package var id: MemoryID
    package var scope: MemoryScope
    package var namespace: String
    package var content: String
    package var tags: [String]
    package var importance: Double
    package var version: Int
    /// The score where the hit came from (BM25 locally, `ts_rank` on the hub: not comparable).
    package var score: Double
    package var source: Source
    /// Set when the memory reads as an instruction to agents: this node's review of it (a
    /// hub's answer is checked here, like a pulled change), and who wrote it.
    package var review: MemoryReview?
    package var provenance: Provenance?

    enum CodingKeys: String, CodingKey {
        case score, source, memory
    }

    enum MemoryKeys: String, CodingKey {
        case id, scope, namespace, content, tags, importance, version, reviewed, provenance
        case reviewKinds = "review_kinds"
    }

    /// The same shape as a plain search's hits, `{score, memory: {id, …}}` (plus `source`),
    /// so a script reads `results[].memory.id` whether the hub was asked or not.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(score, forKey: .score)
        try container.encode(source, forKey: .source)
        var memory = container.nestedContainer(keyedBy: MemoryKeys.self, forKey: .memory)
        try memory.encode(id, forKey: .id)
        try memory.encode(scope, forKey: .scope)
        try memory.encode(namespace, forKey: .namespace)
        try memory.encode(content, forKey: .content)
        try memory.encode(tags, forKey: .tags)
        try memory.encode(importance, forKey: .importance)
        try memory.encode(version, forKey: .version)
        if let review {
            try memory.encode(!review.isPending, forKey: .reviewed)
            try memory.encode(review.kinds.map(\.rawValue), forKey: .reviewKinds)
            if review.isPending, let provenance {
                try memory.encode(provenance, forKey: .provenance)
            }
        }
    }
}

/// What a routed search answers.
package struct RoutedSearchResults: Sendable, Encodable {
    /// Fitted to `budget` (see ``TokenBudget``); `compact`: each content cut to its first line
    /// (the shape stays that of a routed answer).
    package func fitting(_ budget: TokenBudget?, compact: Bool) -> RoutedSearchResults {
        var fitted = self
        if compact {
            for index in fitted.results.indices { fitted.results[index].content = TokenBudget.firstLine(fitted.results[index].content) }
        }
        guard let budget else { return fitted }
        let hits = fitted.results
        fitted.results = []
        let kept = budget.fit(hits, envelope: fitted.jsonBytes(), write: { $0.write(to: &$1) }, content: \.content)
        fitted.results = kept.items
        fitted.count = kept.items.count
        fitted.budget = BudgetReport(budget, kept, paged: false)
        return fitted
    }

    package var count: Int
    package var results: [RoutedHit]
    package var strategy: SearchStrategy
    /// Whether the hub was asked.
    package var askedHub: Bool
    /// The hub was asked but did not answer in time (or failed): these are local results only.
    package var fellBack: Bool
    /// With `max_tokens`: what the budget left out.
    package var budget: BudgetReport?

    enum CodingKeys: String, CodingKey {
        case count, results, strategy, budget
        case askedHub = "asked_hub"
        case fellBack = "fell_back"
    }
}

// A routed search is on the local path of every search with hybrid mode on: written straight
// to bytes, as a plain search's results are (the same bytes JSONEncoder writes with sorted keys;
// a test compares them), so turning hybrid mode on costs no slower encoder per search.
extension RoutedSearchResults: JSONBytesEncodable {
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 512 * max(1, results.count))
        writer.raw("{")
        writer.key("asked_hub", first: true)
        writer.raw(askedHub ? "true" : "false")
        if let budget {
            writer.key("budget")
            budget.write(to: &writer)
        }
        writer.key("count")
        writer.integer(count)
        writer.key("fell_back")
        writer.raw(fellBack ? "true" : "false")
        writer.key("results")
        writer.array(results) { writer, hit in hit.write(to: &writer) }
        writer.key("strategy")
        writer.string(strategy.rawValue)
        writer.raw("}")
        return writer.bytes
    }
}

/// The router of roadmap §1.2 for reads: the local store always; the hub for GLOBAL memories
/// when hybrid mode is on and the node is enrolled (`cloud` non-nil), within a time budget,
/// merged and de-duplicated; local results alone when the hub is slow or down, counted.
///
/// Turning hybrid mode on must not slow the local path (the roadmap's rule: under 10 %), so
/// the default strategy asks the hub only when it can add something: the local store found
/// fewer than asked for or no memory with every word, *and* the hub may hold GLOBAL memories
/// this node does not (`hubMayAdd`: no recent pull, or a hot cache). A hub that failed is not asked again for a while (30 s,
/// doubling to 5 min, until it answers), so a down hub costs no timeout per search.
package struct HybridSearch: Sendable {
    package let service: MemoryService
    package let cloud: (any CloudSearching)?
    package let timeout: Duration
    /// The strategy of a search that names none (`hybrid.search_strategy`).
    package var defaultStrategy: SearchStrategy = .localFirst
    /// Whether the hub may hold GLOBAL memories this node lacks (it has not pulled lately).
    package var hubMayAdd: @Sendable () async -> Bool = { true }
    /// Told the GLOBAL memories the hub answered with (the hot cache counts them as hits or
    /// misses and may hold a missed one again); returns the ids not to show: the node holds a
    /// later version or a tombstone of them, or the hub changed a version's text.
    package var onHubAnswer: @Sendable ([CloudMemory]) async -> Set<UUID> = { _ in [] }
    /// The node holds a hot slice of GLOBAL (`cache.mode = hot`): local-first asks the hub on
    /// a miss only.
    package var holdsSlice = false
    private let fallbacks = Counter()
    private let breaker = Breaker()

    package init(service: MemoryService, cloud: (any CloudSearching)?, timeout: Duration) {
        self.service = service
        self.cloud = cloud
        self.timeout = timeout
    }

    /// Searches that fell back to local results since this value was made.
    package var fallbackCount: Int { fallbacks.value }

    package func search(_ request: SearchRequest, strategy: SearchStrategy) async throws -> RoutedSearchResults {
        let limit = request.limit
        // A filter that excludes GLOBAL has nothing to ask the hub for.
        let wantsGlobal = request.filter.scopes.isEmpty || request.filter.scopes.contains(.global)
        guard let cloud, wantsGlobal else {
            let local = try await service.search(request)
            return RoutedSearchResults(local.map(Self.routed), strategy: strategy, askedHub: false, fellBack: false)
        }
        switch strategy {
        case .localFirst:
            let local = try await service.search(request)
            // A miss: no local memory has every word. A node holding a hot slice asks the hub
            // only then (a hit is answered here); one holding everything also when it found
            // fewer than asked for (it may not have pulled lately).
            let miss = local.isEmpty || local.allSatisfy(\.partial)
            guard miss || (!holdsSlice && local.count < limit), await hubMayAdd() else {
                return RoutedSearchResults(local.map(Self.routed), strategy: strategy, askedHub: false, fellBack: false)
            }
            let remote = await ask(cloud, request.query, limit)
            // Local hits with only some of the words rank after the hub's, which searched
            // every GLOBAL memory of the tenant (the ones a hot cache let go included).
            let merged =
                miss
                ? Self.merge(first: remote ?? [], then: local.map(Self.routed), limit: limit)
                : Self.merge(first: local.map(Self.routed), then: remote ?? [], limit: limit)
            return RoutedSearchResults(merged, strategy: strategy, askedHub: true, fellBack: remote == nil)
        case .cloudFirst, .hybrid:
            async let remote = ask(cloud, request.query, limit)
            let local = try await service.search(request).map(Self.routed)
            let hub = await remote
            let merged =
                strategy == .cloudFirst
                ? Self.merge(first: hub ?? [], then: local, limit: limit)
                : Self.fuse(local, hub ?? [], limit: limit)
            return RoutedSearchResults(merged, strategy: strategy, askedHub: true, fellBack: hub == nil)
        }
    }

    /// The hub's hits, or `nil` (counted) when it fails, misses the budget, or failed lately.
    func ask(_ cloud: any CloudSearching, _ query: String, _ limit: Int) async -> [RoutedHit]? {
        guard breaker.allows() else {
            fallbacks.increment()
            return nil
        }
        do {
            var answer = try await cloud.searchGlobal(query, limit: min(limit, 100), timeout: timeout)
            let refused = await onHubAnswer(answer.map(\.memory))
            answer.removeAll { refused.contains($0.memory.id) }
            let detector = InstructionDetector()
            let hits = answer.map { hit in
                let memory = hit.memory
                var routed = RoutedHit(
                    id: MemoryID(uuid: memory.id), scope: .global, namespace: memory.namespace, content: memory.content, tags: memory.tags,
                    importance: memory.importance, version: memory.version, score: hit.score, source: .hub
                )
                let kinds = detector.kinds(in: memory.content)
                if !kinds.isEmpty {
                    routed.review = MemoryReview(state: .unreviewed, kinds: kinds)
                    routed.provenance = Provenance(
                        agent: memory.agentID, at: ISO8601.string(from: HybridTimestamp(rawValue: memory.hlc).date), device: memory.originDevice)
                }
                return routed
            }
            breaker.succeeded()
            return hits
        } catch {
            breaker.failed()
            fallbacks.increment()
            return nil
        }
    }

    /// When the hub may be asked again after failing: 30 s after the first failure, doubling
    /// to 5 minutes; an answer closes it.
    final class Breaker: Sendable {
        struct State {
            var failures = 0
            var until: ContinuousClock.Instant?
        }

        private let state = Mutex(State())
        static let first: Duration = .seconds(30)
        static let longest: Duration = .seconds(300)

        func allows(now: ContinuousClock.Instant = .now) -> Bool {
            state.withLock { $0.until.map { now >= $0 } ?? true }
        }

        func failed(now: ContinuousClock.Instant = .now) {
            state.withLock { state in
                state.failures += 1
                let wait = min(Self.first * (1 << min(state.failures - 1, 4)), Self.longest)
                state.until = now + wait
            }
        }

        func succeeded() {
            state.withLock { $0 = State() }
        }
    }

    static func routed(_ hit: SearchHit) -> RoutedHit {
        let memory = hit.memory
        var routed = RoutedHit(
            id: memory.id, scope: memory.scope, namespace: memory.namespace.rawValue, content: memory.content,
            tags: memory.tags, importance: memory.importance, version: memory.version, score: hit.score, source: .local
        )
        routed.review = memory.review
        if memory.review?.isPending == true {
            routed.provenance = Provenance(memory)
        }
        return routed
    }

    /// `first` in order, then what `then` adds; one entry per memory (the newer version, the
    /// local copy when equal).
    static func merge(first: [RoutedHit], then: [RoutedHit], limit: Int) -> [RoutedHit] {
        var merged: [RoutedHit] = []
        var index: [MemoryID: Int] = [:]
        for hit in first + then {
            if let existing = index[hit.id] {
                if hit.version > merged[existing].version { merged[existing] = hit }
                continue
            }
            index[hit.id] = merged.count
            merged.append(hit)
        }
        return Array(merged.prefix(limit))
    }

    /// Reciprocal rank fusion (k = 60): BM25 and `ts_rank` scores are not comparable, ranks are.
    static func fuse(_ local: [RoutedHit], _ hub: [RoutedHit], limit: Int) -> [RoutedHit] {
        var fused: [MemoryID: (hit: RoutedHit, score: Double)] = [:]
        for list in [local, hub] {
            for (rank, hit) in list.enumerated() {
                let contribution = 1.0 / Double(60 + rank + 1)
                if var entry = fused[hit.id] {
                    entry.score += contribution
                    if hit.version > entry.hit.version { entry.hit = hit }
                    fused[hit.id] = entry
                } else {
                    fused[hit.id] = (hit, contribution)
                }
            }
        }
        return fused.values
            .sorted { $0.score != $1.score ? $0.score > $1.score : ($0.hit.source == .local && $1.hit.source == .hub) }
            .prefix(limit)
            .map(\.hit)
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }
}

extension RoutedSearchResults {
    init(_ results: [RoutedHit], strategy: SearchStrategy, askedHub: Bool, fellBack: Bool) {
        self.init(count: results.count, results: results, strategy: strategy, askedHub: askedHub, fellBack: fellBack)
    }
}

extension RoutedHit {
    /// `{memory: {…}, score, source}`, as ``RoutedSearchResults`` writes each hit.
    package func write(to writer: inout JSONWriter) {
        writer.raw("{")
        writer.key("memory", first: true)
        writer.raw("{")
        writer.key("content", first: true)
        writer.string(content)
        writer.key("id")
        writer.string(id.description)
        writer.key("importance")
        writer.number(importance)
        writer.key("namespace")
        writer.string(namespace)
        if let review {
            if review.isPending, let provenance {
                writer.key("provenance")
                provenance.write(into: &writer)
            }
            writer.key("review_kinds")
            writer.array(review.kinds) { $0.string($1.rawValue) }
            writer.key("reviewed")
            writer.raw(review.isPending ? "false" : "true")
        }
        writer.key("scope")
        writer.string(scope.rawValue)
        writer.key("tags")
        writer.value(.array(tags.map(JSONValue.string)))
        writer.key("version")
        writer.integer(version)
        writer.raw("}")
        writer.key("score")
        writer.number(score)
        writer.key("source")
        writer.string(source.rawValue)
        writer.raw("}")
    }
}
