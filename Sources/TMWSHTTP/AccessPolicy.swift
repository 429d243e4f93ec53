import HTTPTypes
import Hummingbird
import TMWSHTTPCommon

/// Who may talk to the local server: the checks that keep web pages in the user's browser
/// away from the memories, on every route (REST and `/mcp`).
///
/// - A request from a page on another origin is refused with 403, so a page cannot plant a
///   memory (CSRF) or read one. Only the server's own origin (the `Origin` names the same
///   authority as the `Host`) and ``allowedOrigins`` count: a page another program serves on
///   a loopback port is another origin too. A browser's `Sec-Fetch-Site: cross-site` or
///   `same-site` is refused the same way, except a link that opens the console page.
/// - A state-changing request (not GET or HEAD) that a browser sent (it carries `Origin`,
///   `Sec-Fetch-*`, `Referer` or a cookie) must also carry ``csrfHeader`` with the token the
///   console page holds (``csrfToken``, new for each server process).
/// - Without an access token, a request whose `Host` is not a loopback name or address (or
///   one of ``allowedHosts``) is refused with 403: a page whose name was rebound to
///   127.0.0.1 (DNS rebinding) sends its own name as `Host`.
/// - A request with a body must be `application/json` (415 otherwise): a page can send
///   `text/plain` without a CORS preflight, never `application/json`.
/// - With a token, every request must carry `Authorization: Bearer <token>` (401 otherwise).
package struct AccessPolicy: Sendable {
    /// The bearer token every request must carry; `nil`: none (loopback only).
    package var token: String?
    /// Host names accepted besides loopback ones (lower case, without port).
    package var allowedHosts: [String]
    /// Origins accepted besides loopback ones (`https://app.example`).
    package var allowedOrigins: [String]

    /// What a browser's state-changing request must send in ``csrfHeader``: given to the
    /// console page only (a page of another origin cannot read it).
    package var csrfToken: String

    package init(token: String? = nil, allowedHosts: [String] = [], allowedOrigins: [String] = [], csrfToken: String? = nil) {
        self.token = token
        self.csrfToken = csrfToken ?? Self.randomToken()
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
        self.allowedOrigins = allowedOrigins.map { $0.lowercased() }
    }

    /// The shortest token accepted, counting non-whitespace characters only.
    package static let minimumTokenLength = 16

    /// Whether a token is long enough: 16 or more characters that are not whitespace.
    package static func isStrongEnough(_ token: String) -> Bool {
        token.unicodeScalars.filter { !$0.properties.isWhitespace }.count >= minimumTokenLength
    }

    /// Whether `host` (a name or address, without port) is this machine's loopback.
    package static func isLoopbackHost(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && Int(part)! <= 255
            }
    }

    /// The host part of a `Host` header or an authority (`127.0.0.1:8765`, `[::1]:8765`).
    static func hostName(ofAuthority authority: Substring) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close]).lowercased()
        }
        if let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon {
            return String(authority[..<colon]).lowercased()
        }
        return String(authority).lowercased()
    }

    /// Whether a `Host` value (a name or an address, with an optional port) may be answered.
    package func allowsHost(_ authority: String) -> Bool {
        // Userinfo in a Host header is not HTTP; refuse it rather than parse around it.
        guard !authority.contains("@") else { return false }
        let host = Self.hostName(ofAuthority: Substring(authority))
        return Self.isLoopbackHost(host) || allowedHosts.contains(host)
    }

    /// Whether a page of this `Origin` may call the server whose `Host` is `host`: the same
    /// origin (a loopback or allowed host, same authority), or one of ``allowedOrigins``.
    package func allowsOrigin(_ origin: String, host: String?) -> Bool {
        let origin = origin.lowercased()
        if allowedOrigins.contains(origin) { return true }
        guard let host = host?.lowercased() else { return false }
        // `null` (sandboxed frames, file: pages) and anything that is not http(s) are refused.
        for scheme in ["http://", "https://"] where origin.hasPrefix(scheme) {
            let authority = origin.dropFirst(scheme.count)
            guard !authority.contains("/"), !authority.contains("@"), authority == host else { return false }
            // With a token the server answers any Host (behind a proxy, by its public name).
            let name = Self.hostName(ofAuthority: authority)
            return token != nil || Self.isLoopbackHost(name) || allowedHosts.contains(name)
        }
        return false
    }

    /// The header a browser's state-changing request carries the console's token in.
    package static let csrfHeader = HTTPField.Name("X-TMWS-CSRF")!

    /// 32 random bytes as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = generator.next() as UInt8
            return String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
        }.joined()
    }

    /// Whether a browser sent the request: it carries a header only browsers add.
    static func isFromBrowser(_ request: Request) -> Bool {
        let names: [HTTPField.Name] = [.origin, .referer, .cookie, secFetchSite, secFetchMode]
        return names.contains { request.headers[$0] != nil }
    }

    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let secFetchMode = HTTPField.Name("Sec-Fetch-Mode")!
    static let secFetchDest = HTTPField.Name("Sec-Fetch-Dest")!

    /// Whether a browser says the request came from a page of another site (`cross-site`) or
    /// another origin of this one (`same-site`: another port of localhost). A link that opens
    /// the console page in a window is let through: the page holds no data (and in a frame it
    /// would not show: `frame-ancestors 'none'`).
    static func isForeignFetch(_ request: Request) -> Bool {
        guard let site = request.headers[secFetchSite]?.lowercased(), site == "cross-site" || site == "same-site" else { return false }
        let opensConsole =
            request.method == .get && request.uri.path == "/" && request.headers[secFetchMode]?.lowercased() == "navigate"
            && request.headers[secFetchDest]?.lowercased() == "document"
        return !opensConsole
    }

    /// Whether a state-changing request from a browser carries the console's token.
    func passesCSRF(_ request: Request) -> Bool {
        guard ![.get, .head, .options].contains(request.method), Self.isFromBrowser(request) else { return true }
        guard let given = request.headers[Self.csrfHeader] else { return false }
        return BearerToken.matches(Substring(given), csrfToken)
    }

    /// Whether a `Content-Type` value is JSON (`application/json`, with parameters).
    static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type == "application/json"
    }

    /// Whether a request carries a body: a non-zero `Content-Length`, chunked transfer, or a
    /// method that has one (POST, PUT, PATCH) without `Content-Length: 0`.
    static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return length.trimmingCharacters(in: .whitespaces) != "0" }
        if request.headers[.transferEncoding] != nil { return true }
        return [.post, .put, .patch].contains(request.method)
    }

    /// Whether the `Authorization` header carries the token: scheme `Bearer` in any case
    /// (RFC 7235), compared in constant time so the token cannot be guessed byte by byte.
    func authorizes(_ header: String?) -> Bool {
        guard let token else { return true }
        guard let given = BearerToken.extract(header) else { return false }
        return BearerToken.matches(given, token)
    }
}

/// Applies ``AccessPolicy`` before any route runs.
struct AccessPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: AccessPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let origin = request.headers[.origin], !policy.allowsOrigin(origin, host: request.head.authority) {
            return Problem.response(status: .forbidden, code: "forbidden", detail: "requests from other web origins are not allowed")
        }
        if AccessPolicy.isForeignFetch(request) {
            return Problem.response(status: .forbidden, code: "forbidden", detail: "requests from other web sites are not allowed")
        }
        if policy.token == nil {
            // Browsers always send Host; a request without one is not from a web page.
            let host = request.head.authority
            if let host, !policy.allowsHost(host) {
                return Problem.response(
                    status: .forbidden, code: "forbidden",
                    detail: "the Host header names no loopback address; add the name to server.allowed_hosts to use it"
                )
            }
        }
        // The console's page and files hold no data: a browser opens them without the token,
        // and the page then asks for it.
        guard ConsoleAssets.isAsset(request) || policy.authorizes(request.headers[.authorization]) else {
            return Problem.response(status: .unauthorized, code: "unauthorized", detail: "missing or wrong bearer token")
        }
        guard policy.passesCSRF(request) else {
            return Problem.response(
                status: .forbidden, code: "forbidden", detail: "a change sent by a browser must carry the console's X-TMWS-CSRF token")
        }
        if AccessPolicy.hasBody(request), !AccessPolicy.isJSON(request.headers[.contentType] ?? "") {
            return Problem.response(
                status: .unsupportedMediaType, code: "unsupported_media_type", detail: "a request body must be sent as application/json"
            )
        }
        return try await next(request, context)
    }
}
