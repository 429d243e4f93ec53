import Foundation
import MCP
import Synchronization
import TMWSCore
import TMWSMCP
import TMWSTestSupport
import Testing

/// One MCP session per client over HTTP, each with its own identity; sessions expire.
@Suite struct MCPHTTPSessionsTests {
    static let headers = ["Content-Type": "application/json", "Accept": "application/json, text/event-stream"]

    static func initialize(_ client: String) -> HTTPRequest {
        let body =
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"\#(client)","version":"1"}}}"#
        return HTTPRequest(method: "POST", headers: headers, body: Data(body.utf8), path: "/mcp")
    }

    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(by duration: Duration) { instant.withLock { $0 += duration } }
    }

    func sessions(
        idleTimeout: Duration = .seconds(60), maximumSessions: Int = 8, clock: ManualClock = ManualClock()
    ) throws -> (MCPHTTPSessions, StoreFixture, Names) {
        let fixture = try StoreFixture()
        let names = Names()
        let sessions = MCPHTTPSessions(
            configuration: .init(idleTimeout: idleTimeout, maximumSessions: maximumSessions), now: { clock.now },
            makeServer: { clientName in
                names.append(clientName)
                let tools = MemoryTools(service: fixture.service) { Caller(agentID: clientName.value ?? "mcp-http") }
                return await MCPServerFactory.makeServer(tools: tools, version: "test")
            }
        )
        return (sessions, fixture, names)
    }

    final class Names: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [MCPClientName] = []
        func append(_ name: MCPClientName) { lock.withLock { names.append(name) } }
        var values: [String?] { lock.withLock { names.map(\.value) } }
    }

    /// Reads a response body, streamed (SSE) or not, as text.
    static func text(_ response: HTTPResponse) async throws -> String {
        if case .stream(let stream, _) = response {
            var data = Data()
            for try await chunk in stream {
                data.append(chunk)
                if String(decoding: data, as: UTF8.self).contains("\"id\"") { break }
            }
            return String(decoding: data, as: UTF8.self)
        }
        return String(decoding: response.bodyData ?? Data(), as: UTF8.self)
    }

    @Test func everyInitializeOpensItsOwnSession() async throws {
        let (sessions, fixture, names) = try sessions()
        defer { withExtendedLifetime(fixture) {} }
        let first = await sessions.handle(Self.initialize("agent-one"))
        let second = await sessions.handle(Self.initialize("agent-two"))
        #expect(first.statusCode == 200 && second.statusCode == 200)
        _ = try await Self.text(first)
        _ = try await Self.text(second)
        let one = try #require(first.headers[HTTPHeaderName.sessionID])
        let two = try #require(second.headers[HTTPHeaderName.sessionID])
        #expect(one != two)
        #expect(await sessions.count == 2)
        #expect(Set(names.values.compactMap { $0 }) == ["agent-one", "agent-two"])

        // A request without a session, or with an unknown one, is refused.
        let list = Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8)
        #expect(await sessions.handle(HTTPRequest(method: "POST", headers: Self.headers, body: list)).statusCode == 400)
        var unknown = Self.headers
        unknown[HTTPHeaderName.sessionID] = "no-such-session"
        #expect(await sessions.handle(HTTPRequest(method: "POST", headers: unknown, body: list)).statusCode == 404)

        // DELETE ends a session.
        var owned = Self.headers
        owned[HTTPHeaderName.sessionID] = one
        #expect(await sessions.handle(HTTPRequest(method: "DELETE", headers: owned)).statusCode == 200)
        #expect(await sessions.count == 1)
        await sessions.closeAll()
        #expect(await sessions.count == 0)
    }

    @Test func idleSessionsExpireAndTheOldestMakesRoom() async throws {
        let clock = ManualClock()
        let (sessions, fixture, _) = try sessions(idleTimeout: .seconds(60), maximumSessions: 2, clock: clock)
        defer { withExtendedLifetime(fixture) {} }
        for client in ["a", "b", "c"] {
            _ = try await Self.text(await sessions.handle(Self.initialize(client)))
        }
        #expect(await sessions.count == 2)
        clock.advance(by: .seconds(61))
        _ = try await Self.text(await sessions.handle(Self.initialize("d")))
        #expect(await sessions.count == 1)
        await sessions.closeAll()
    }
}
