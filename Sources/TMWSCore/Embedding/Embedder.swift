import Foundation

/// What a text is embedded as: e5 models embed a question and a note differently
/// (`query: ` and `passage: ` prefixes); other models ignore the difference.
package enum EmbeddingRole: Sendable, Hashable {
    case query, passage
}

/// Turns texts into vectors of one model. Implemented by the adapters: the built-in e5 engine,
/// Ollama, an OpenAI-compatible endpoint.
package protocol Embedder: Sendable {
    /// Names the vector space: vectors of different models are never compared.
    var modelID: String { get }
    /// Whether the model can embed now. A model still loading answers `false` at once (and
    /// keeps loading), so a search never waits for it.
    func isReady() async -> Bool
    /// Loads the model if it is loaded in-process (a server's embedding loop does it first);
    /// nothing for a remote provider.
    func load() async throws
    /// One vector per text, L2-normalised, in order.
    func embed(_ texts: [String], as role: EmbeddingRole) async throws -> [[Float]]
}

/// A memory waiting for its vector: its row, and the text embedded (the vector is kept only
/// if the memory still has this text when it is written).
package struct EmbeddingJob: Sendable, Hashable {
    package var id: MemoryID
    package var content: String

    package init(id: MemoryID, content: String) {
        self.id = id
        self.content = content
    }
}

/// How far embedding has come for one model.
package struct EmbeddingProgress: Sendable, Hashable {
    /// Live memories with a vector of the model.
    package var embedded: Int
    /// Live memories still waiting for one.
    package var waiting: Int

    package init(embedded: Int, waiting: Int) {
        self.embedded = embedded
        self.waiting = waiting
    }
}

/// A vector search's hit: the memory and its cosine similarity to the query.
package struct VectorHit: Sendable, Hashable {
    package var memory: Memory
    package var similarity: Double

    package init(memory: Memory, similarity: Double) {
        self.memory = memory
        self.similarity = similarity
    }
}

/// Where vectors are kept and searched (the SQLite store).
package protocol VectorStore: Sendable {
    /// The live memories nearest to `query` among those with a vector of `model` that pass
    /// `filter` (applied before ranking), best first; accesses are recorded as for a search.
    func nearest(_ query: MemoryVector, filter: MemoryFilter, limit: Int) async throws -> [VectorHit]
    /// Cosine similarities of `query` to the given memories' vectors (those that have one).
    func similarities(_ query: MemoryVector, to ids: [MemoryID]) async throws -> [MemoryID: Double]
    /// Live memories without a vector of `model` for their current text, newest first.
    func embeddingBacklog(model: String, limit: Int) async throws -> [EmbeddingJob]
    /// Keeps vectors whose memory still has the text they were made from; returns how many.
    func saveVectors(_ vectors: [(job: EmbeddingJob, vector: MemoryVector)]) async throws -> Int
    /// Counts for `model`.
    func embeddingProgress(model: String) async throws -> EmbeddingProgress
    /// Removes every vector not of `model` (after a model change has re-embedded).
    func removeVectors(notOf model: String) async throws -> Int
    /// Vectors of `model` that came from other devices with their memories and are due a
    /// check: one in ``PeerVectorCheck/sampleEvery``, chosen by row, not yet checked.
    func peerVectorsToCheck(model: String, limit: Int) async throws -> [PeerVectorCheck]
    /// Records checks: a vector that matched this node's own embedding is kept as checked; one
    /// that did not is replaced by this node's, and every vector its author's device sent is
    /// dropped (the embedding loop makes this node's own).
    func settle(_ checks: [(check: PeerVectorCheck, own: MemoryVector)]) async throws -> (matched: Int, distrusted: [String])
}

/// A vector another device sent with a memory, and the text it should embed.
///
/// A device of the same tenant could send a vector aimed at every query (a memory that
/// outranks all others). Re-embedding every received vector would defeat sending them, so a
/// sample is checked, and one mismatch withdraws that device's vectors altogether: a device
/// poisoning n vectors goes unseen with probability (1 − 1/16)ⁿ.
package struct PeerVectorCheck: Sendable, Hashable {
    package static let sampleEvery = 16
    /// Below this cosine, this node's embedding and the peer's are not of the same text.
    package static let minimumAgreement = 0.95

    package var job: EmbeddingJob
    package var vector: MemoryVector
    package var device: String

    package init(job: EmbeddingJob, vector: MemoryVector, device: String) {
        self.job = job
        self.vector = vector
        self.device = device
    }
}
