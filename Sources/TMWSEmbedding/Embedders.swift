import Foundation
import Synchronization
import TMWSCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The built-in provider: multilingual-e5-small. A server's embedding loop loads it in the
/// background as its first step; until then ``isReady()`` answers `false` at once, so searches
/// stay lexical (and say so) rather than wait.
package final class E5Embedder: Embedder, Sendable {
    package let modelID = E5Model.modelID
    package let path: String
    /// Threads an embedding batch may use (the node's cores by default).
    package let threads: Int
    private let loaded = Mutex<E5Model?>(nil)

    package init(path: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.path = path
        self.threads = max(1, threads)
    }

    /// The model, loaded on first use (off the cooperative pool: mapping and checking the
    /// file reads its vocabulary). Two first callers at once may both load; one copy stays.
    package func model() async throws -> E5Model {
        if let model = loaded.withLock({ $0 }) { return model }
        let path = path
        let model = try await Self.offPool { try E5Model(path: path) }
        return loaded.withLock { current in
            if let current { return current }
            current = model
            return model
        }
    }

    package func isReady() async -> Bool {
        loaded.withLock { $0 != nil }
    }

    package func load() async throws {
        _ = try await model()
    }

    package func embed(_ texts: [String], as role: EmbeddingRole) async throws -> [[Float]] {
        let model = try await model()
        let threads = texts.count > 1 ? threads : 1
        // The engine computes for tens of milliseconds per text: off the cooperative pool.
        return try await Self.offPool { model.embed(texts, as: role, threads: threads) }
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// A model served over HTTP: by Ollama (`POST /api/embed`) or by any OpenAI-compatible
/// endpoint (`POST /v1/embeddings`).
package struct RemoteEmbedder: Embedder {
    package enum API: Sendable {
        case ollama
        /// The key goes in `Authorization: Bearer`.
        case openAI(apiKey: String?)

        var name: String {
            switch self {
            case .ollama: "ollama"
            case .openAI: "openai"
            }
        }
    }

    package let modelID: String
    let api: API
    let url: URL
    let model: String
    let timeout: TimeInterval

    package init(_ api: API, url: URL, model: String, timeout: TimeInterval = 30) {
        self.api = api
        self.url = url
        self.model = model
        self.timeout = timeout
        modelID = api.name + ":" + model
    }

    package func isReady() async -> Bool { true }

    package func load() async throws {}

    package func embed(_ texts: [String], as role: EmbeddingRole) async throws -> [[Float]] {
        struct Request: Encodable {
            var model: String
            var input: [String]
            /// OpenAI's; Ollama ignores it.
            var encodingFormat = "float"

            enum CodingKeys: String, CodingKey {
                case model, input
                case encodingFormat = "encoding_format"
            }
        }
        let request = Request(model: model, input: texts)
        let vectors: [[Float]]
        switch api {
        case .ollama:
            struct Response: Decodable {
                var embeddings: [[Float]]
            }
            let response: Response = try await HTTPEmbedding.post(
                url.appendingPathComponent("api/embed"), request, headers: [:], timeout: timeout, provider: api.name)
            vectors = response.embeddings
        case .openAI(let apiKey):
            struct Response: Decodable {
                struct Item: Decodable {
                    var index: Int
                    var embedding: [Float]
                }
                var data: [Item]
            }
            let headers = apiKey.map { ["Authorization": "Bearer " + $0] } ?? [:]
            let response: Response = try await HTTPEmbedding.post(
                url.appendingPathComponent("embeddings"), request, headers: headers, timeout: timeout, provider: api.name)
            vectors = response.data.sorted { $0.index < $1.index }.map(\.embedding)
        }
        return try HTTPEmbedding.checked(vectors, count: texts.count, provider: api.name)
    }
}

enum HTTPEmbedding {
    static func post<Body: Encodable, Answer: Decodable>(
        _ url: URL, _ body: Body, headers: [String: String], timeout: TimeInterval, provider: String
    ) async throws -> Answer {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = try JSONEncoder().encode(body)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw TMWSError(.io, "the \(provider) embedding endpoint \(url.host ?? "") did not answer", field: "embedding")
        }
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            let code = (response as? HTTPURLResponse)?.statusCode ?? 0
            throw TMWSError(.io, "the \(provider) embedding endpoint answered HTTP \(code)", field: "embedding")
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw TMWSError(.io, "the \(provider) embedding endpoint answered something that is not embeddings", field: "embedding")
        }
    }

    /// One finite vector per text, all of one dimension within the bounds TMWS keeps.
    static func checked(_ vectors: [[Float]], count: Int, provider: String) throws -> [[Float]] {
        let dimension = vectors.first?.count ?? 0
        guard vectors.count == count, (8...MemoryVector.maximumDimension).contains(dimension),
            vectors.allSatisfy({ $0.count == dimension && $0.allSatisfy(\.isFinite) && $0.contains { $0 != 0 } })
        else {
            throw TMWSError(.io, "the \(provider) embedding endpoint answered vectors TMWS cannot use", field: "embedding")
        }
        return vectors
    }
}
