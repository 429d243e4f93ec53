import Foundation
import HTTPTypes
import Hummingbird
import TMWSCore

/// An `application/problem+json` error response (RFC 9457), never holding memory content.
package struct Problem: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String

    package static func response(status: HTTPResponse.Status, code: String, detail: String) -> Response {
        let problem = Problem(type: "https://tmws.dev/problems/\(code)", title: status.reasonPhrase, status: status.code, detail: detail)
        let data = (try? JSONEncoder.tmws().encode(problem)) ?? Data()
        return Response(
            status: status,
            headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// The response for an error thrown by a handler.
    package static func response(for error: any Error) -> Response {
        switch error {
        case let error as TMWSError:
            let status: HTTPResponse.Status =
                switch error.code {
                case .invalidInput, .refused, .configuration: .badRequest
                case .notFound: .notFound
                case .versionConflict: .conflict
                case .unauthorized: .unauthorized
                case .forbidden: .forbidden
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
package struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Problem.response(for: error)
        }
    }
}

/// A JSON response with TMWS's encoding (the fast writer where the type has one).
package func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
    let data = (value as? any JSONBytesEncodable).map { Data($0.jsonBytes()) } ?? (try? JSONEncoder.tmws().encode(value)) ?? Data("{}".utf8)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// The served OpenAPI document, from a file in a target's resources.
package func openAPIResponse(_ url: URL?) throws -> Response {
    guard let url, let data = try? Data(contentsOf: url) else {
        throw TMWSError(.io, "the OpenAPI document is missing from the build")
    }
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// `Authorization: Bearer <token>`: the scheme in any case (RFC 7235), spaces around allowed.
package enum BearerToken {
    package static func extract(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let trimmed = header.drop(while: { $0 == " " })
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).drop(while: { $0 == " " })
        return token.isEmpty ? nil : token
    }

    /// Compares in constant time (for the length of the expected token).
    package static func matches(_ given: Substring, _ expected: String) -> Bool {
        let given = Array(given.utf8)
        let expected = Array(expected.utf8)
        var difference = UInt8(expected.count == given.count ? 0 : 1)
        for index in 0..<min(expected.count, given.count) { difference |= expected[index] ^ given[index] }
        return difference == 0
    }
}
