import HTTPTypes
import Hummingbird
import NIOCore

/// The console's page, script and style sheet, compiled into the binary (no files to
/// install, no network, no CDN), and the headers that keep them to themselves.
enum ConsoleAssets {
    static let page = "/"
    /// Each file's path, type and text.
    static let files: [(path: String, type: String, text: String)] = [
        ("/console/strings.js", javaScript, ConsoleStrings.source), ("/console/app.js", javaScript, ConsoleScript.source),
        ("/console/views.js", javaScript, ConsoleViews.source), ("/console/app.css", "text/css; charset=utf-8", ConsoleStyle.source),
    ]
    private static let javaScript = "text/javascript; charset=utf-8"
    private static let paths = Set([page] + files.map(\.path))

    /// Whether the request asks for one of the console's files (they hold no data).
    static func isAsset(_ request: Request) -> Bool {
        (request.method == .get || request.method == .head) && paths.contains(request.uri.path)
    }

    static func register(on router: Router<BasicRequestContext>, csrfToken: String) {
        // The token for state-changing requests, in the page only: another origin cannot read it.
        let html = ConsolePage.html.replacingOccurrences(of: "{{csrf}}", with: csrfToken)
        router.get(RouterPath(page)) { _, _ in response(html, type: "text/html; charset=utf-8") }
        for file in files {
            router.get(RouterPath(file.path)) { _, _ in response(file.text, type: file.type) }
        }
    }

    /// Scripts and styles from this server only, nothing inline, no frames around the
    /// console (clickjacking), no form posts, no referrer.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    private static func response(_ text: String, type: String) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
