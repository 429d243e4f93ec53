import Foundation
import HTTPTypes
import Hummingbird
import MCP
import TMWSMCP

/// MCP over streamable HTTP at `/mcp`: Hummingbird requests handed to the MCP sessions and
/// their answers turned back into responses. Same tools as `tmws mcp`.
enum MCPHTTPBridge {
    static func register(on router: Router<BasicRequestContext>, sessions: MCPHTTPSessions, maximumBodyBytes: Int) {
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maximumBodyBytes)
            } catch {
                throw HTTPError(.contentTooLarge, message: "the request body is larger than \(maximumBodyBytes) bytes")
            }
            var headers: [String: String] = [:]
            for field in request.headers {
                headers[field.name.canonicalName] = field.value
            }
            let answer = await sessions.handle(
                MCP.HTTPRequest(
                    method: request.method.rawValue, headers: headers, body: Data(buffer: body), path: request.uri.path
                ))
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let name = HTTPField.Name(name) { fields[name] = value }
            }
            let status = HTTPResponse.Status(code: answer.statusCode)
            if case .stream(let stream, _) = answer {
                let bytes = stream.map { ByteBuffer(bytes: $0) }
                return Response(status: status, headers: fields, body: ResponseBody(asyncSequence: bytes))
            }
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.bodyData ?? Data())))
        }
        router.post("/mcp", use: handler)
        router.get("/mcp", use: handler)
        router.delete("/mcp", use: handler)
    }
}
