import Foundation

/// How a search ranks: by words (BM25 over the full-text index), by meaning (cosine over the
/// memories' embeddings), or both fused. The default is `hybrid` when an embedding model is
/// configured, `lexical` otherwise.
package enum SearchMode: String, Sendable, Hashable, CaseIterable, Codable {
    case lexical, vector, hybrid

    package init(parsing text: String) throws {
        guard let mode = SearchMode(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw TMWSError(.invalidInput, "unknown search mode '\(text.prefix(40))': use lexical, vector or hybrid", field: "mode")
        }
        self = mode
    }
}

/// Which ranked lists found a hit.
package struct FoundBy: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }
    package static let lexical = FoundBy(rawValue: 1)
    package static let vector = FoundBy(rawValue: 2)

    /// `["lexical", "vector"]`, as the JSON answers name them.
    package var names: [String] {
        (contains(.lexical) ? ["lexical"] : []) + (contains(.vector) ? ["vector"] : [])
    }
}

/// A search's hits and how they were found.
package struct SearchOutcome: Sendable {
    package var hits: [SearchHit]
    /// The mode that ranked them (lexical when vectors could not be used).
    package var mode: SearchMode
    /// Why the mode is not the one asked for (no model, the model still loading, the
    /// embedding endpoint down), or `nil`.
    package var note: String?
    /// Live memories still waiting for a vector (`nil` for a lexical search).
    package var pendingEmbeddings: Int?

    package init(hits: [SearchHit], mode: SearchMode, note: String? = nil, pendingEmbeddings: Int? = nil) {
        self.hits = hits
        self.mode = mode
        self.note = note
        self.pendingEmbeddings = pendingEmbeddings
    }
}

/// Fuses the lexical and vector rankings by reciprocal rank (k = 60), weighing each lexical
/// hit by how much it means what the query means.
///
/// Plain fusion lets weak word matches push strong meaning matches out: when no memory has
/// every word of a question, the lexical list falls back to memories with *any* of them, and
/// for a paraphrase those share only incidental words (measured: plain fusion halved the
/// vector list's recall on questions that share no word with their note). Where the words do
/// match what is asked (a name, a rare term), the memory is also near the query in meaning.
/// So a fallback hit counts fully only when it matches at least ``minimumCoverage`` of the
/// query's word weight (its IDF: a rare word outweighs a common one) and its cosine to the
/// query is within ``agreement`` of the vector list's best; otherwise it counts
/// ``partialWeight`` times its coverage squared (``coveragePower``), so a hit that shares only
/// an incidental word barely counts. A hit with every word of the query always counts fully.
///
/// Measured (`tmws bench retrieval`, README): on LoCoMo, where words mostly overlap, hybrid
/// recall@10 0.584 against lexical 0.579 and vector 0.499; on the paraphrase set, where they
/// never do, hybrid hit@10 within 2 points of vector alone (without the coverage terms, 8–11
/// points below it).
package struct RankFusion: Sendable, Hashable {
    package var k = 60.0
    package var partialWeight = 0.3
    package var agreement = 0.05
    package var minimumCoverage = 0.25
    package var coveragePower = 2.0

    package init() {}

    /// - Parameter similarities: cosine to the query of lexical hits outside the vector list.
    package func fuse(lexical: [SearchHit], vector: [VectorHit], similarities: [MemoryID: Double] = [:], limit: Int) -> [SearchHit] {
        var fused: [MemoryID: SearchHit] = [:]
        var order: [MemoryID] = []
        let bySimilarity = Dictionary(vector.map { ($0.memory.id, $0.similarity) }, uniquingKeysWith: max).merging(similarities) { a, _ in a }
        let best = vector.first?.similarity ?? 1
        for (rank, hit) in lexical.enumerated() {
            var entry = hit
            let similarity = bySimilarity[hit.memory.id]
            let agrees = !hit.partial || (hit.coverage >= minimumCoverage && similarity.map { $0 >= best - agreement } == true)
            entry.score = (agrees ? 1 : partialWeight * pow(hit.coverage, coveragePower)) / (k + Double(rank + 1))
            entry.foundBy = .lexical
            entry.similarity = similarity
            fused[hit.memory.id] = entry
            order.append(hit.memory.id)
        }
        for (rank, hit) in vector.enumerated() {
            let contribution = 1 / (k + Double(rank + 1))
            if var entry = fused[hit.memory.id] {
                entry.score += contribution
                entry.foundBy.insert(.vector)
                fused[hit.memory.id] = entry
            } else {
                fused[hit.memory.id] = SearchHit(memory: hit.memory, score: contribution, foundBy: .vector, similarity: hit.similarity)
                order.append(hit.memory.id)
            }
        }
        // Equal scores keep the order first seen (lexical, then vector).
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return fused.values
            .sorted { $0.score != $1.score ? $0.score > $1.score : position[$0.memory.id]! < position[$1.memory.id]! }
            .prefix(limit).map { $0 }
    }
}
