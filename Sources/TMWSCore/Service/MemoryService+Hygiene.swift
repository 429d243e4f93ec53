/// What a new memory turned out to be next to those already stored.
package struct AddOutcome: Sendable, Hashable {
    /// The memory stored, or the one already there (a duplicate), or the one merged into.
    package var memory: Memory
    /// Set when the write was an exact duplicate: nothing new was stored.
    package var duplicateOf: MemoryID?
    /// Set when `memory.dedup = merge` folded a near duplicate into this memory.
    package var mergedInto: MemoryID?
    /// Memories the new one restates (not merged).
    package var nearDuplicates: [Lookalike] = []
    /// Memories the new one seems to contradict: suggested for `supersedes`, never acted on.
    package var suggestedSupersedes: [Lookalike] = []

    package init(memory: Memory, duplicateOf: MemoryID? = nil, mergedInto: MemoryID? = nil) {
        self.memory = memory
        self.duplicateOf = duplicateOf
        self.mergedInto = mergedInto
    }
}

/// A stored memory a new one resembles: its id, how alike they are, and why it is a suggested
/// supersession (`reason`, for a contradiction).
package struct Lookalike: Sendable, Hashable {
    package var id: MemoryID
    package var similarity: Double
    package var reason: String?

    package init(id: MemoryID, similarity: Double, reason: String? = nil) {
        self.id = id
        self.similarity = similarity
        self.reason = reason
    }
}

extension MemoryService {
    /// How many stored memories a duplicate check compares a new one with, at most: those
    /// sharing the most MinHash keys with it.
    static let lookalikeLimit = 8

    /// Stores a decided draft after the duplicate check. The store looks for the draft's
    /// lookalikes and stores it in one transaction, so two writers of one note store it once.
    func storeChecked(_ decided: DecidedDraft, by caller: Caller) async throws -> AddOutcome {
        let draft = decided.draft
        guard dedup != .off else { return AddOutcome(memory: try await store.create(decided, by: caller)) }
        let shingles = Shingles(draft.content)
        let policy = dedup
        // Judged once, inside the store's transaction, on the lookalikes it read there.
        let (memory, judged) = try await store.create(
            decided, unlessLike: MinHash.keys(of: shingles), limit: Self.lookalikeLimit, by: caller,
            judge: { candidates in
                let judged = Self.judge(draft, shingles, among: candidates, policy: policy)
                return (judged.into, judged)
            })
        guard let target = judged.into, target.id == memory.id else {
            var outcome = AddOutcome(memory: memory)
            outcome.nearDuplicates = judged.near.map(\.0)
            outcome.suggestedSupersedes = judged.contradictions
            return outcome
        }
        if judged.exact {
            // Nothing new: the stored memory answers (raised in importance or pinned if asked).
            return AddOutcome(memory: try await absorb(draft, into: target, content: nil, redact: false, by: caller), duplicateOf: target.id)
        }
        var outcome = AddOutcome(
            memory: try await absorb(draft, into: target, content: draft.content, redact: decided.classification.redacted, by: caller),
            mergedInto: target.id)
        outcome.suggestedSupersedes = judged.contradictions
        return outcome
    }

    /// What a new memory is next to the stored ones: the memory the write goes into instead of
    /// a new one (an exact duplicate, or with `merge` the nearest duplicate), the near
    /// duplicates and the contradictions, most alike first.
    static func judge(_ draft: MemoryDraft, _ shingles: Shingles, among candidates: [Memory], policy: DedupPolicy) -> Judgement {
        var near: [(Lookalike, Memory)] = []
        var contradictions: [Lookalike] = []
        for candidate in candidates where candidate.id != draft.supersedes {
            switch Resemblance(shingles, to: Shingles(candidate.content)) {
            case .exact where Set(draft.tags).isSubset(of: candidate.tags) && draft.metadata == candidate.metadata:
                return Judgement(into: candidate, exact: true, near: [], contradictions: [])
            case .exact:
                // The same text with other tags or metadata: a near duplicate to report or merge.
                near.append((Lookalike(id: candidate.id, similarity: 1), candidate))
            case .near(let similarity):
                near.append((Lookalike(id: candidate.id, similarity: similarity), candidate))
            case .contradiction(let similarity, let reason):
                contradictions.append(Lookalike(id: candidate.id, similarity: similarity, reason: reason))
            case .distinct:
                break
            }
        }
        near.sort { $0.0.similarity > $1.0.similarity }
        contradictions.sort { $0.similarity > $1.similarity }
        let into = policy == .merge && draft.supersedes == nil ? near.first?.1 : nil
        return Judgement(into: into, exact: false, near: near, contradictions: contradictions)
    }

    /// A draft's standing among its lookalikes (``judge(_:_:among:policy:)``).
    struct Judgement: Sendable {
        /// The stored memory the write goes into instead of a new one.
        var into: Memory?
        /// Whether `into` is an exact duplicate.
        var exact: Bool
        var near: [(Lookalike, Memory)]
        var contradictions: [Lookalike]
    }

    /// Folds a duplicate into the stored memory: the union of tags, the higher importance, a
    /// pin, and (for a merge) the newer text. An exact duplicate that adds nothing changes nothing.
    private func absorb(_ draft: MemoryDraft, into memory: Memory, content: String?, redact: Bool, by caller: Caller) async throws -> Memory {
        let tags = Array(Set(memory.tags).union(draft.tags)).sorted()
        var change = Change(
            content: content == memory.content ? nil : content, tags: tags == memory.tags ? nil : tags,
            importance: draft.importance > memory.importance ? draft.importance : nil, redact: redact)
        if draft.pinned, !memory.pinned { change.pinned = true }
        if change.content == nil, change.tags == nil, change.importance == nil, change.pinned == nil { return memory }
        return try await update(memory.id, change, by: caller)
    }

    /// Refuses a supersession of a memory that does not exist here, of the memory itself, or
    /// one that closes a loop (the target already, through its chain, supersedes `id`).
    func checkSupersession(of target: MemoryID, by id: MemoryID?) async throws {
        guard target != id else { throw TMWSError(.invalidInput, "a memory cannot supersede itself", field: "supersedes") }
        var current: Memory
        do {
            current = try await store.read(target)
        } catch let error as TMWSError where error.code == .notFound {
            throw TMWSError(.invalidInput, "supersedes names memory \(target), which this node does not hold", field: "supersedes")
        }
        var seen: Set<MemoryID> = [target]
        while let next = current.supersedes, let id, seen.count < 1000 {
            guard next != id else {
                throw TMWSError(
                    .invalidInput, "memory \(target) already supersedes \(id) (directly or through others): that would be a loop", field: "supersedes")
            }
            guard seen.insert(next).inserted, let older = try? await store.read(next) else { break }
            current = older
        }
    }

    /// Pins or unpins memories (a pin removes the expiry; both replicate like any edit);
    /// returns those that changed.
    package func pin(_ ids: [MemoryID], _ pinned: Bool, by caller: Caller) async throws -> [Memory] {
        var changed: [Memory] = []
        for id in Array(Set(ids)).sorted() {
            let before = try await store.read(id)
            guard before.pinned != pinned else { continue }
            changed.append(try await update(id, Change(pinned: pinned), by: caller))
        }
        return changed
    }

    /// A memory's supersession chain, oldest first: the memories it replaced, itself, and the
    /// live memories that replace it (each with the ones that replace those).
    package func history(_ id: MemoryID) async throws -> [Memory] {
        var chain = [try await store.read(id)]
        var seen: Set<MemoryID> = [id]
        while let older = chain[0].supersedes, seen.insert(older).inserted, let memory = try? await store.read(older) {
            chain.insert(memory, at: 0)
        }
        var frontier = [id]
        while let next = frontier.first {
            frontier.removeFirst()
            for successor in try await store.successors(of: next) where seen.insert(successor.id).inserted {
                chain.append(successor)
                frontier.append(successor.id)
            }
        }
        return chain
    }

    /// Undoes supersessions around `id`: if it supersedes a memory, that link goes; otherwise
    /// every live memory that supersedes it lets go of it. Returns the memories changed.
    package func unsupersede(_ id: MemoryID, by caller: Caller) async throws -> [Memory] {
        let memory = try await store.read(id)
        if memory.supersedes != nil { return [try await update(id, Change(supersedes: .some(nil)), by: caller)] }
        var changed: [Memory] = []
        for successor in try await store.successors(of: id) {
            changed.append(try await update(successor.id, Change(supersedes: .some(nil)), by: caller))
        }
        guard !changed.isEmpty else {
            throw TMWSError(.invalidInput, "memory \(id) neither supersedes a memory nor is superseded by one", field: "id")
        }
        return changed
    }

    /// The memories held for review on this node (instructions aimed at agents in GLOBAL and
    /// SHARED memories), newest first.
    package func pendingReviews(limit: Int = 100, cursor: String? = nil) async throws -> MemoryPage {
        var filter = MemoryFilter(includeArchived: true)
        filter.includeSuperseded = true
        filter.onlyUnreviewed = true
        return try await list(ListRequest(filter: filter, limit: limit, cursor: cursor))
    }

    /// Settles a memory held for review: accepted stays and is searched as reviewed; rejected
    /// is deleted (the delete syncs: the instruction leaves every device).
    package func review(_ id: MemoryID, accept: Bool, by caller: Caller) async throws -> Memory {
        let memory = try await store.read(id)
        guard let review = memory.review, review.isPending else {
            throw TMWSError(.invalidInput, "memory \(id) is not held for review (tmws review list shows those that are)", field: "id")
        }
        return accept ? try await store.acceptReview(id, by: caller) : try await delete(id, expectedVersion: memory.version, by: caller)
    }
}

/// The answer to a write: the memory's JSON, with what the duplicate check found beside it
/// (`duplicate_of`, `merged_into`, `near_duplicates`, `suggested_supersedes`), each only
/// when there is something to say.
extension AddOutcome: Encodable {
    enum CodingKeys: String, CodingKey {
        case duplicateOf = "duplicate_of"
        case mergedInto = "merged_into"
        case nearDuplicates = "near_duplicates"
        case suggestedSupersedes = "suggested_supersedes"
    }

    package func encode(to encoder: any Encoder) throws {
        try memory.encode(to: encoder)
        try encodeFindings(to: encoder)
    }

    /// Only the duplicate check's findings (for answers that carry a summary, not the memory).
    package func encodeFindings(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(duplicateOf, forKey: .duplicateOf)
        try container.encodeIfPresent(mergedInto, forKey: .mergedInto)
        if !nearDuplicates.isEmpty { try container.encode(nearDuplicates, forKey: .nearDuplicates) }
        if !suggestedSupersedes.isEmpty { try container.encode(suggestedSupersedes, forKey: .suggestedSupersedes) }
    }

    /// One line per finding, for people: what was found and the command that acts on it.
    package var notes: [String] {
        var notes: [String] = []
        if let duplicateOf { notes.append("an exact duplicate of \(duplicateOf): nothing new was stored") }
        if let mergedInto { notes.append("a near duplicate, merged into \(mergedInto) (memory.dedup = merge)") }
        for near in nearDuplicates {
            notes.append("resembles \(near.id) (similarity \(near.similarityText)); 'tmws memory dedup' lists near duplicates")
        }
        for suggestion in suggestedSupersedes {
            notes.append(
                "may contradict \(suggestion.id) (\(suggestion.reason ?? "changed")): if it replaces it, run 'tmws memory update \(memory.id) --supersedes \(suggestion.id)'"
            )
        }
        return notes
    }
}

extension Lookalike: Encodable {
    enum CodingKeys: String, CodingKey { case id, similarity, reason }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode((similarity * 1000).rounded() / 1000, forKey: .similarity)
        try container.encodeIfPresent(reason, forKey: .reason)
    }

    var similarityText: String { String((similarity * 100).rounded() / 100) }
}
