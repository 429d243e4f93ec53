import Synchronization

/// What `tmws memory dedup` found in a store: groups of exact duplicates (oldest first),
/// near-duplicate pairs and possible contradictions, among memories of the same scope,
/// namespace and team.
package struct DuplicateReport: Sendable, Encodable {
    package struct Pair: Sendable, Encodable, Hashable {
        package var a: MemoryID
        package var b: MemoryID
        package var similarity: Double
        package var reason: String?
    }

    package var memories = 0
    package var exactGroups: [[MemoryID]] = []
    package var near: [Pair] = []
    package var contradictions: [Pair] = []

    enum CodingKeys: String, CodingKey {
        case memories, near, contradictions
        case exactGroups = "exact_groups"
        case exactCopies = "exact_copies"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(memories, forKey: .memories)
        try container.encode(exactGroups, forKey: .exactGroups)
        try container.encode(exactGroups.reduce(0) { $0 + $1.count - 1 }, forKey: .exactCopies)
        try container.encode(near, forKey: .near)
        try container.encode(contradictions, forKey: .contradictions)
    }

    /// Compares every memory with those it shares a MinHash key with (``MinHash``), in the
    /// same scope, namespace and team; each pair is judged once, exactly (``Resemblance``).
    package init(_ memories: [Memory]) {
        self.memories = memories.count
        let ordered = memories.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let shingles = ordered.map { Shingles($0.content) }
        var buckets: [String: [Int64: [Int]]] = [:]
        for (index, memory) in ordered.enumerated() {
            let group = "\(memory.scope.rawValue)\u{0}\(memory.namespace.rawValue)\u{0}\(memory.team ?? "")"
            for key in MinHash.keys(of: shingles[index]) { buckets[group, default: [:]][key, default: []].append(index) }
        }
        var judged = Set<Int64>()
        var exactOf: [Int: Int] = [:]  // a copy → the oldest memory with its text
        for groups in buckets.values {
            for members in groups.values where members.count > 1 {
                for (position, first) in members.enumerated() {
                    for second in members[(position + 1)...] {
                        guard judged.insert(Int64(first) << 32 | Int64(second)).inserted else { continue }
                        let (a, b) = (ordered[first].id, ordered[second].id)
                        switch Resemblance(shingles[second], to: shingles[first]) {
                        case .exact: exactOf[second] = min(exactOf[second] ?? first, exactOf[first] ?? first)
                        case .near(let similarity): near.append(Pair(a: a, b: b, similarity: similarity))
                        case .contradiction(let similarity, let reason): contradictions.append(Pair(a: a, b: b, similarity: similarity, reason: reason))
                        case .distinct: break
                        }
                    }
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for (copy, original) in exactOf { groups[original, default: [original]].append(copy) }
        exactGroups = groups.keys.sorted().map { groups[$0]!.sorted().map { ordered[$0].id } }
        let copies = Set(exactOf.keys.map { ordered[$0].id })
        near = near.filter { !copies.contains($0.a) && !copies.contains($0.b) }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
        contradictions = contradictions.filter { !copies.contains($0.a) && !copies.contains($0.b) }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    }
}

extension MemoryService {
    /// Duplicates among the live memories the filter lets through.
    package func findDuplicates(filter: MemoryFilter) async throws -> DuplicateReport {
        let collected = Mutex<[Memory]>([])
        try await store.forEachMemory(filter: filter) { page in collected.withLock { $0 += page } }
        return DuplicateReport(collected.withLock { $0 })
    }

    /// Deletes each exact copy, after folding its tags, importance and pin into the oldest
    /// memory of its group; returns the copies deleted.
    package func foldExactDuplicates(_ report: DuplicateReport, by caller: Caller) async throws -> [MemoryID] {
        var removed: [MemoryID] = []
        for group in report.exactGroups {
            let kept = try await store.read(group[0])
            var tags = Set(kept.tags)
            var importance = kept.importance
            var pinned = kept.pinned
            for id in group.dropFirst() {
                let copy = try await store.read(id)
                tags.formUnion(copy.tags)
                importance = max(importance, copy.importance)
                pinned = pinned || copy.pinned
                _ = try await delete(id, expectedVersion: copy.version, by: caller)
                removed.append(id)
            }
            var change = Change()
            if tags != Set(kept.tags) { change.tags = tags.sorted() }
            if importance > kept.importance { change.importance = importance }
            if pinned, !kept.pinned { change.pinned = true }
            if change.tags != nil || change.importance != nil || change.pinned != nil { _ = try await update(kept.id, change, by: caller) }
        }
        return removed
    }
}
