import Foundation
import Synchronization

/// Search by meaning: the query's embedding against the memories' vectors, alone or fused with
/// the lexical ranking (``RankFusion``).
package struct SemanticSearch: Sendable {
    package let embedder: any Embedder
    package let vectors: any VectorStore
    /// How the lexical and vector lists are fused.
    package var fusion = RankFusion()
    private let waiting = WaitingCount()

    package init(embedder: any Embedder, vectors: any VectorStore) {
        self.embedder = embedder
        self.vectors = vectors
    }

    /// `nil` when the model is not ready yet (the caller searches lexically).
    func search(_ request: SearchRequest, mode: SearchMode, lexical store: any MemoryStore) async throws -> SearchOutcome? {
        guard await embedder.isReady() else { return nil }
        guard let floats = try await embedder.embed([request.query], as: .query).first else { return nil }
        let query = MemoryVector(model: embedder.modelID, floats: floats)
        // Each list goes deeper than the page, so fusion can lift a hit from either.
        let depth = mode == .vector ? request.limit : max(request.limit * 3, 30)
        let found = try await vectors.nearest(query, filter: request.filter, limit: min(depth, 1000))
        let pending = try await waiting.value(model: embedder.modelID, vectors: vectors)
        if mode == .vector {
            let hits = found.map { SearchHit(memory: $0.memory, score: $0.similarity, foundBy: .vector, similarity: $0.similarity) }
            return SearchOutcome(hits: hits, mode: .vector, pendingEmbeddings: pending)
        }
        var deeper = request
        deeper.limit = min(depth, 1000)
        let words: [SearchHit]
        do {
            words = try await store.search(deeper)
        } catch let error as TMWSError where error.code == .invalidInput {
            // A query with no searchable words (only punctuation, say) still has a meaning.
            words = []
        }
        let seen = Set(found.map(\.memory.id))
        let outside = words.map(\.memory.id).filter { !seen.contains($0) }
        let similarities = try await vectors.similarities(query, to: outside)
        return SearchOutcome(
            hits: fusion.fuse(lexical: words, vector: found, similarities: similarities, limit: request.limit), mode: .hybrid,
            pendingEmbeddings: pending)
    }

    /// How many memories wait for a vector, counted at most once every 2 s (a count reads
    /// every row: 10 ms at 100,000 memories, too much for each search).
    final class WaitingCount: Sendable {
        private let cached = Mutex<(value: Int, at: ContinuousClock.Instant)?>(nil)

        func value(model: String, vectors: any VectorStore) async throws -> Int {
            let now = ContinuousClock.now
            if let cached = cached.withLock({ $0 }), now - cached.at < .seconds(2) { return cached.value }
            let value = try await vectors.embeddingProgress(model: model).waiting
            cached.withLock { $0 = (value, now) }
            return value
        }
    }
}
