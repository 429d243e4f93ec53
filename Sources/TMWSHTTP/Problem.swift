import Foundation
import HTTPTypes
import Hummingbird
import TMWSCore

/// An `application/problem+json` error response (RFC 9457), never holding memory content.
struct Problem: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String

    static func response(status: HTTPResponse.Status, code: String, detail: String) -> Response {
        let problem = Problem(type: "https://tmws.dev/problems/\(code)", title: status.reasonPhrase, status: status.code, detail: detail)
        let data = (try? JSONEncoder.tmws().encode(problem)) ?? Data()
        return Response(
            status: status,
            headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// The response for an error thrown by a handler.
    static func response(for error: any Error) -> Response {
        switch error {
        case let error as TMWSError:
            let status: HTTPResponse.Status = switch error.code {
            case .invalidInput, .refused, .configuration: .badRequest
            case .notFound: .notFound
            case .versionConflict: .conflict
            case .storage, .io: .internalServerError
            }
            return response(status: status, code: error.code.rawValue, detail: error.message)
        case let error as DecodingError:
            return response(status: .badRequest, code: "invalid_input", detail: "the request body is not valid JSON for this operation (\(error.summary))")
        case let error as HTTPError:
            return response(status: error.status, code: "http", detail: error.body ?? error.status.reasonPhrase)
        default:
            return response(status: .internalServerError, code: "internal", detail: "internal error")
        }
    }
}

/// Turns every error into a problem response.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Problem.response(for: error)
        }
    }
}
