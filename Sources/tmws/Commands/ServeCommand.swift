import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MCP
import TMWSCore
import TMWSHTTP
import TMWSMCP

/// `tmws serve`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the local REST API (default http://127.0.0.1:8765).",
        discussion: """
            Routes: GET /health, GET /openapi.json, POST/GET /v1/memories, GET/PATCH/DELETE /v1/memories/{id},
            POST /v1/search, POST /v1/classify, GET /v1/stats (errors are application/problem+json), and
            MCP over streamable HTTP at /mcp with the same tools as 'tmws mcp'.
            Binding to anything but a loopback address requires an access token (--token or
            TMWS_ACCESS_TOKEN), which every request must then send as 'Authorization: Bearer <token>'.
            Stops gracefully on SIGINT and SIGTERM.
            """
    )

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "port"))
    var port = 8765

    @Option(help: ArgumentHelp("Require this bearer token on every request (default: TMWS_ACCESS_TOKEN).", valueName: "token"))
    var token: String?

    @OptionGroup var global: GlobalOptions

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["TMWS_ACCESS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if !Self.isLoopback(host) && token == nil {
            throw TMWSError(.configuration, "refusing to listen on \(host) without an access token: set --token or TMWS_ACCESS_TOKEN, or use 127.0.0.1")
        }
        if let token, token.count < 16 {
            throw TMWSError(.configuration, "the access token must be at least 16 characters")
        }
        let context = try AppContext(options: global)
        let service = try context.openService()
        let api = RESTAPI(service: service, caller: context.caller)
        var logger = Logger(label: "tmws.serve")
        logger.logLevel = .warning
        let host = self.host
        let router = api.router(token: token)

        // MCP over HTTP: the same tools as `tmws mcp`, on one stateless transport.
        let clientName = MCPCommand.ClientName()
        let tools = MemoryTools(service: service, caller: context.mcpCaller(clientName: clientName, fallback: "mcp-http"))
        let mcpServer = await MCPServerFactory.makeServer(tools: tools, version: TMWSCommand.version)
        let transport = StatelessHTTPServerTransport(validationPipeline: StandardValidationPipeline(validators: [
            // Browsers on other sites must not reach a local memory server.
            OriginValidator.localhost(), AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
        ]))
        try await mcpServer.start(transport: transport) { info, _ in clientName.set(info.name) }
        MCPHTTPBridge.register(on: router, transport: transport, maximumBodyBytes: api.maximumBodyBytes)

        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "tmws"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                let line = "tmws serve: listening on http://\(host):\(bound) (database \(context.configuration.databasePath))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            },
            logger: logger
        )
        try await app.runService()
    }
}
