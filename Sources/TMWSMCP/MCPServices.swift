import MCP
import ServiceLifecycle

/// MCP over standard input and output as a long-lived service: it ends when the client
/// closes its end (after answering what it asked) or on graceful shutdown.
package struct MCPStdioService: Service {
    let server: Server
    let transport: StdioLineTransport
    let clientName: MCPClientName

    package init(server: Server, transport: StdioLineTransport = StdioLineTransport(), clientName: MCPClientName) {
        self.server = server
        self.transport = transport
        self.clientName = clientName
    }

    package func run() async throws {
        let clientName = self.clientName
        try await server.start(transport: transport) { info, _ in clientName.set(info.name) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await server.waitUntilCompleted() }
            group.addTask {
                // On graceful shutdown, stop the server (which ends the first task); when the
                // server finishes first, this task is cancelled and does nothing.
                if (try? await gracefulShutdown()) != nil { await server.stop() }
            }
            await group.next()
            group.cancelAll()
        }
        await server.stop()
    }
}

/// The HTTP sessions end with the server: on graceful shutdown every session is closed.
extension MCPHTTPSessions: Service {
    package func run() async throws {
        try? await gracefulShutdown()
        await closeAll()
    }
}
