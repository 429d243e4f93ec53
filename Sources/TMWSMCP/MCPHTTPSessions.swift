import Foundation
import MCP
import Synchronization
import TMWSCore

/// The MCP client's name, learnt at `initialize`: the agent identity of a session when none
/// is configured.
package final class MCPClientName: Sendable {
    private let name = Mutex<String?>(nil)

    package init() {}

    /// The sanitised name, or `nil` before `initialize` (or when the name had nothing usable).
    package var value: String? { name.withLock { $0 } }

    package func set(_ raw: String) {
        name.withLock { $0 = Caller(clientSuppliedName: raw)?.agentID }
    }
}

/// MCP over streamable HTTP with one session per client (`Mcp-Session-Id`): each
/// `initialize` starts its own server, so two clients never share a session or an identity.
///
/// Sessions end when the client sends `DELETE`, after ``Configuration/idleTimeout`` without
/// a request, or when more than ``Configuration/maximumSessions`` are open (the least
/// recently used goes first). Expiry is checked on each request: no timer runs.
package actor MCPHTTPSessions {
    /// Plain settings with documented defaults.
    package struct Configuration: Sendable {
        /// How long a session may stay unused. Default 30 minutes.
        package var idleTimeout: Duration
        /// The most sessions open at once. Default 64.
        package var maximumSessions: Int

        package init(idleTimeout: Duration = .seconds(30 * 60), maximumSessions: Int = 64) {
            self.idleTimeout = idleTimeout
            self.maximumSessions = max(1, maximumSessions)
        }
    }

    /// Builds the server for a new session; the name is set when the client initialises.
    package typealias ServerFactory = @Sendable (MCPClientName) async -> Server

    private struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    private let configuration: Configuration
    private let makeServer: ServerFactory
    private let now: @Sendable () -> ContinuousClock.Instant
    private var sessions: [String: Session] = [:]

    /// - Parameter now: the clock idle times are measured with (injected by tests).
    package init(
        configuration: Configuration = .init(), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        makeServer: @escaping ServerFactory
    ) {
        self.configuration = configuration
        self.now = now
        self.makeServer = makeServer
    }

    /// How many sessions are open.
    package var count: Int { sessions.count }

    /// Answers one HTTP request to the MCP endpoint.
    package func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let now = self.now()
        await expireSessions(now: now)
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id] else {
                return .error(statusCode: 404, .invalidRequest("Not Found: unknown or expired session; initialize again"))
            }
            session.lastUsed = now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                await close(id)
            }
            return response
        }
        guard request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) else {
            if request.method.uppercased() == "POST", request.body.map(Self.isJSONRPC) == false {
                return .error(statusCode: 400, .parseError("the body is not a JSON-RPC message"))
            }
            return .error(statusCode: 400, .invalidRequest("Bad Request: missing \(HTTPHeaderName.sessionID) header; initialize first"))
        }
        return await startSession(request, now: now)
    }

    /// Ends every session (graceful shutdown).
    package func closeAll() async {
        for id in Array(sessions.keys) { await close(id) }
    }

    private func startSession(_ request: HTTPRequest, now: ContinuousClock.Instant) async -> HTTPResponse {
        if sessions.count >= configuration.maximumSessions,
            let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key
        {
            await close(oldest)
        }
        let id = UUID().uuidString.lowercased()
        // Host and Origin are checked for every route before a request reaches MCP (the
        // server's access policy), so the transport checks only the protocol's own rules.
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(id: id),
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(), SessionValidator(),
            ])
        )
        let clientName = MCPClientName()
        let server = await makeServer(clientName)
        do {
            try await server.start(transport: transport) { info, _ in clientName.set(info.name) }
        } catch {
            await transport.disconnect()
            return .error(statusCode: 500, .internalError("could not start an MCP session"))
        }
        let response = await transport.handleRequest(request)
        if case .error = response {
            await server.stop()
            return response
        }
        sessions[id] = Session(server: server, transport: transport, lastUsed: now)
        return response
    }

    private func expireSessions(now: ContinuousClock.Instant) async {
        for (id, session) in sessions where now - session.lastUsed > configuration.idleTimeout {
            await close(id)
        }
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
    }

    private struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }

    /// Whether a body is a JSON-RPC `initialize` request.
    static func isInitialize(_ body: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return false }
        return object["method"] as? String == "initialize" && object["id"] != nil
    }

    static func isJSONRPC(_ body: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: body)) is [String: Any]
    }
}
