import ArgumentParser
import Foundation
import Logging
import MCP
import ServiceLifecycle
import TMWSCore
import TMWSHost
import TMWSMCP

/// `tmws mcp`.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the memory tools to an agent over MCP on standard input and output.",
        discussion: """
            Run by an MCP client, for example:
              claude mcp add tmws -- tmws mcp

            Tools: store_memory, search_memories, get_memory, update_memory, delete_memory, list_memories, \
            classify_scope, get_memory_stats, set_memory_ttl, prune_expired_memories, sync_status, sync_now, set_offline_mode.

            Logs go to standard error; standard output carries only the protocol. The agent identity is \
            TMWS_AGENT_ID when set, else the MCP client's name.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        // Standard output is the protocol: every log line goes to standard error.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let context = try AppContext(options: global)
        let store = try await context.openStore()
        var searching = context.service(store)
        // The server answers at once: searches are lexical (and say so) while the model loads.
        searching.semantic = try await EmbeddingWiring.semantic(context.configuration, store: store, waitForModel: false)
        let service = searching
        let clientName = MCPClientName()
        let tools = MemoryTools(
            service: service, caller: context.mcpCaller(clientName: clientName, fallback: "mcp"), hybrid: try context.hybridSearch(service),
            sync: NodeSync(context: context, store: store)
        )
        let server = await MCPServerFactory.makeServer(tools: tools, version: TMWSCommand.version)
        // The end of standard input is the normal end: the group shuts down gracefully.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: MCPStdioService(server: server, clientName: clientName), successTerminationBehavior: .gracefullyShutdownGroup)]
                    + (service.semantic.map { [.init(service: EmbeddingService.make($0, store: store, logger: Logger(label: "tmws.mcp")))] } ?? []),
                gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "tmws.mcp")
            ))
        try await group.run()
        try await service.flushAccesses()
    }
}
