import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TMWSCore
import TMWSHTTP
import TMWSTestSupport
import Testing

/// The console's page and files, and the CSRF rules every state-changing request from a
/// browser meets (the browser tests in Tests/e2e/test_console.py drive the page itself).
struct ConsoleTests {
    static let csrf = "0123456789abcdef0123456789abcdef"

    func app(token: String? = nil) throws -> (some ApplicationProtocol, StoreFixture) {
        let fixture = try StoreFixture()
        let api = RESTAPI(service: fixture.service, caller: Caller(agentID: "rest-test"))
        return (Application(router: api.router(policy: AccessPolicy(token: token, csrfToken: Self.csrf))), fixture)
    }

    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let secFetchMode = HTTPField.Name("Sec-Fetch-Mode")!
    static let secFetchDest = HTTPField.Name("Sec-Fetch-Dest")!

    @Test func thePageCarriesTheTokenAndKeepsToItself() async throws {
        let (app, fixture) = try app()
        defer { withExtendedLifetime(fixture) {} }
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(html.contains(#"<meta name="tmws-csrf" content="\#(Self.csrf)">"#))
            let policy = try #require(page.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'") && !policy.contains("unsafe"))
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            for path in ["/console/strings.js", "/console/app.js", "/console/views.js", "/console/app.css"] {
                let file = try await client.execute(uri: path, method: .get)
                #expect(file.status == .ok, "\(path)")
                #expect(html.contains(#""\#(path)""#), "the page loads \(path)")
            }
            // The script sets memory text as text, never as markup.
            for name in ["/console/app.js", "/console/views.js"] {
                let script = String(buffer: try await client.execute(uri: name, method: .get).body)
                #expect(!script.contains("innerHTML") && !script.contains("insertAdjacentHTML") && !script.contains("eval("), "\(name)")
            }
        }
    }

    @Test func aTokenGuardsTheDataButNotThePage() async throws {
        let (app, fixture) = try app(token: "a-long-enough-access-token")
        defer { withExtendedLifetime(fixture) {} }
        try await app.test(.router) { client in
            for (uri, status) in [("/", HTTPResponse.Status.ok), ("/console/app.js", .ok), ("/v1/stats", .unauthorized), ("/v1/sync", .unauthorized)] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == status, "\(uri)")
            }
        }
    }

    @Test func aBrowsersChangeNeedsTheConsolesToken() async throws {
        let (app, fixture) = try app()
        try await app.test(.router) { client in
            let body = ByteBuffer(string: #"{"content": "written from a page"}"#)
            let markers: [(HTTPField.Name, String)] = [(Self.secFetchSite, "same-origin"), (.referer, "http://127.0.0.1:8765/"), (.cookie, "a=b")]
            for marker in markers {
                var headers: HTTPFields = [.contentType: "application/json"]
                headers[marker.0] = marker.1
                let response1 = try await client.execute(uri: "/v1/memories", method: .post, headers: headers, body: body)
                #expect(response1.status == .forbidden)
                headers[AccessPolicy.csrfHeader] = "wrong" + String(Self.csrf.dropFirst(5))
                let response2 = try await client.execute(uri: "/v1/memories", method: .post, headers: headers, body: body)
                #expect(response2.status == .forbidden)
            }
            let total = try await fixture.service.statistics().total
            #expect(total == 0)
            // The console's own request: its token, its origin's fetch.
            let headers: HTTPFields = [.contentType: "application/json", Self.secFetchSite: "same-origin", AccessPolicy.csrfHeader: Self.csrf]
            let response3 = try await client.execute(uri: "/v1/memories", method: .post, headers: headers, body: body)
            #expect(response3.status == .created)
            // A program that is not a browser sends none of those headers and needs no token.
            let response4 = try await client.execute(uri: "/v1/memories", method: .post, headers: [.contentType: "application/json"], body: body)
            #expect(response4.status == .ok)
            // Reads need no token.
            let response5 = try await client.execute(uri: "/v1/stats", method: .get, headers: [Self.secFetchSite: "same-origin"])
            #expect(response5.status == .ok)
        }
        #expect(try await fixture.service.statistics().total == 1)
    }

    @Test func anotherSitesFetchIsRefusedButALinkToTheConsoleOpens() async throws {
        let (app, fixture) = try app()
        defer { withExtendedLifetime(fixture) {} }
        try await app.test(.router) { client in
            for site in ["cross-site", "same-site"] {
                #expect(try await client.execute(uri: "/v1/stats", method: .get, headers: [Self.secFetchSite: site]).status == .forbidden)
                #expect(try await client.execute(uri: "/console/app.js", method: .get, headers: [Self.secFetchSite: site]).status == .forbidden)
                let link = try await client.execute(
                    uri: "/", method: .get, headers: [Self.secFetchSite: site, Self.secFetchMode: "navigate", Self.secFetchDest: "document"])
                #expect(link.status == .ok)
                let frame = try await client.execute(
                    uri: "/", method: .get, headers: [Self.secFetchSite: site, Self.secFetchMode: "navigate", Self.secFetchDest: "iframe"])
                #expect(frame.status == .forbidden)
            }
        }
    }

    @Test func aServerWithoutANodeSaysSo() async throws {
        let (app, fixture) = try app()
        defer { withExtendedLifetime(fixture) {} }
        try await app.test(.router) { client in
            for uri in ["/v1/sync", "/v1/conflicts", "/v1/teams", "/v1/health/metrics", "/v1/sync/quarantine"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(String(buffer: response.body).contains("does not manage a node"))
            }
            let switches = try await client.execute(
                uri: "/v1/sync", method: .patch, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"offline": "yes"}"#))
            #expect(switches.status == .badRequest)
            let unknown = try await client.execute(
                uri: "/v1/sync", method: .patch, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"online": true}"#))
            #expect(unknown.status == .badRequest)
        }
    }
}
