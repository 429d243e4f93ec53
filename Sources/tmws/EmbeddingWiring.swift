import Foundation
import Synchronization
import TMWSCore
import TMWSEmbedding
import TMWSHost
import TMWSSQLite

/// The configured embedding provider, built once per process (the built-in model is mapped
/// once and shared by every search and the embedding loop).
enum EmbeddingWiring {
    private static let builtins = Mutex<[String: E5Embedder]>([:])

    /// The built-in model's path for a configuration.
    static func modelPath(_ configuration: TMWSConfiguration) -> String {
        configuration.embedding.modelPath ?? ModelsCommand.installedPath(home: configuration.home)
    }

    /// The provider, or `nil` when none is configured (or `auto` finds no installed model).
    static func embedder(_ configuration: TMWSConfiguration) throws -> (any Embedder)? {
        let settings = configuration.embedding
        switch settings.provider {
        case .off:
            return nil
        case .auto, .builtin:
            let path = modelPath(configuration)
            guard FileManager.default.fileExists(atPath: path) else {
                if settings.provider == .auto { return nil }
                throw TMWSError(
                    .configuration, "embedding.provider is builtin but no model is at \(path): run 'tmws models install'",
                    field: "embedding.provider")
            }
            return builtins.withLock { cache in
                if let embedder = cache[path] { return embedder }
                let embedder = E5Embedder(path: path)
                cache[path] = embedder
                return embedder
            }
        case .ollama, .openai:
            guard let text = settings.url, let url = URL(string: text), let model = settings.model, !model.isEmpty else {
                throw TMWSError(
                    .configuration, "embedding.provider \(settings.provider.rawValue) needs embedding.url and embedding.model",
                    field: "embedding.provider")
            }
            guard MemoryVector.isValidModel(settings.provider.rawValue + ":" + model) else {
                throw TMWSError(.configuration, "embedding.model must be 1 to 90 of A-Z a-z 0-9 . _ - : / @ +", field: "embedding.model")
            }
            if settings.provider == .ollama { return RemoteEmbedder(.ollama, url: url, model: model) }
            let key = ProcessInfo.processInfo.environment[settings.apiKeyVariable]
            return RemoteEmbedder(.openAI(apiKey: key?.isEmpty == false ? key : nil), url: url, model: model)
        }
    }

    /// Search by meaning over `store`, or `nil` (lexical only). `waitForModel`: a one-shot
    /// command loads the model before it searches; a server answers at once while it loads.
    static func semantic(_ configuration: TMWSConfiguration, store: some MemoryStore, waitForModel: Bool) async throws -> SemanticSearch? {
        guard let vectors = store as? any VectorStore, let embedder = try embedder(configuration) else { return nil }
        // A server's embedding loop loads the model as its first step.
        if waitForModel, let builtin = embedder as? E5Embedder { _ = try? await builtin.model() }
        return SemanticSearch(embedder: embedder, vectors: vectors)
    }
}
