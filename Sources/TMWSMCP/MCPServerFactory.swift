import MCP
import TMWSCore

/// Builds the MCP server around the memory tools.
package enum MCPServerFactory {
    /// A server answering `tools/list` and `tools/call` with the memory tools.
    package static func makeServer(tools: MemoryTools, version: String) async -> Server {
        let server = Server(
            name: "tmws",
            version: version,
            instructions:
                "Persistent memory for this user's coding agents. Search memories before starting a task; store decisions, conventions and fixes worth remembering. Secrets are kept PRIVATE automatically.",
            capabilities: .init(tools: .init(listChanged: false))
        )
        await server.withMethodHandler(ListTools.self) { _ in
            .init(tools: MemoryTools.definitions)
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            await tools.call(parameters.name, arguments: parameters.arguments)
        }
        return server
    }
}
