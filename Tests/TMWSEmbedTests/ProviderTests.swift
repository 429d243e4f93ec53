import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TMWSCore
import Testing

@testable import TMWSEmbedding

/// Ollama and OpenAI-compatible providers against a real HTTP server on loopback that
/// answers as those APIs do, then as a broken one would.
@Suite struct ProviderTests {
    enum Answer: Sendable {
        case good, wrongCount, notANumber, serverError, notJSON
    }

    /// A server for `/api/embed` and `/v1/embeddings`; each request's JSON body is recorded.
    func withEndpoint(_ answer: Answer, _ body: @escaping @Sendable (URL, Recorder) async throws -> Void) async throws {
        let recorder = Recorder()
        let router = Router()
        @Sendable func respond(_ request: Request, openAI: Bool) async throws -> Response {
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any] ?? [:]
            recorder.record(json, authorization: request.headers[.authorization])
            let inputs = (json["input"] as? [String]) ?? []
            var vectors = inputs.enumerated().map { index, _ in (0..<16).map { Double($0 == index % 16 ? 1 : 0.1) } }
            switch answer {
            case .good: break
            case .wrongCount: vectors.removeLast()
            case .notANumber: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"embeddings":[["x"]],"data":[]}"#)))
            case .serverError: return Response(status: .internalServerError)
            case .notJSON: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "<html>")))
            }
            let payload: [String: Any] =
                openAI
                ? ["data": vectors.enumerated().reversed().map { ["index": $0.offset, "embedding": $0.element, "object": "embedding"] }]
                : ["embeddings": vectors]
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(data: try JSONSerialization.data(withJSONObject: payload))))
        }
        router.post("/api/embed") { request, _ in try await respond(request, openAI: false) }
        router.post("/v1/embeddings") { request, _ in try await respond(request, openAI: true) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(URL(string: "http://127.0.0.1:\(client.port!)")!, recorder)
        }
    }

    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var bodies: [[String: Any]] = []
        private var authorizations: [String?] = []
        func record(_ body: [String: Any], authorization: String?) {
            lock.withLock {
                bodies.append(body)
                authorizations.append(authorization)
            }
        }
        var last: (body: [String: Any], authorization: String?)? { lock.withLock { bodies.last.map { ($0, authorizations.last!) } } }
    }

    @Test func ollamaAndOpenAIAnswersAreReadInOrder() async throws {
        try await withEndpoint(.good) { url, recorder in
            let ollama = RemoteEmbedder(.ollama, url: url, model: "nomic-embed-text")
            #expect(ollama.modelID == "ollama:nomic-embed-text")
            let vectors = try await ollama.embed(["a", "b", "c"], as: .passage)
            #expect(vectors.count == 3 && vectors[1][1] == 1)
            #expect(recorder.last?.body["model"] as? String == "nomic-embed-text")

            let openAI = RemoteEmbedder(.openAI(apiKey: "sk-test-key"), url: url.appendingPathComponent("v1"), model: "text-embedding-3-small")
            let ordered = try await openAI.embed(["a", "b", "c"], as: .query)
            #expect(ordered.map { $0.firstIndex(of: 1) } == [0, 1, 2], "the answer's index puts them back in order")
            #expect(recorder.last?.authorization == "Bearer sk-test-key")
            #expect(recorder.last?.body["encoding_format"] as? String == "float")
        }
    }

    @Test(arguments: [Answer.wrongCount, .notANumber, .serverError, .notJSON])
    func aBrokenEndpointIsAnIOErrorThatNamesNoContent(_ answer: Answer) async throws {
        try await withEndpoint(answer) { url, _ in
            for embedder in [
                RemoteEmbedder(.ollama, url: url, model: "m"), RemoteEmbedder(.openAI(apiKey: nil), url: url.appendingPathComponent("v1"), model: "m"),
            ] {
                do {
                    _ = try await embedder.embed(["SECRET-CONTENT-1", "second"], as: .passage)
                    Issue.record("a broken answer was taken")
                } catch let error as TMWSError {
                    #expect(error.code == .io)
                    #expect(!error.message.contains("SECRET-CONTENT-1"))
                }
            }
        }
    }

    @Test func anEndpointThatIsNotThereIsAnIOError() async throws {
        let embedder = RemoteEmbedder(.ollama, url: URL(string: "http://127.0.0.1:9")!, model: "m", timeout: 2)
        await #expect(throws: TMWSError.self) { try await embedder.embed(["x"], as: .query) }
    }
}
