import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MCP
import NIOCore
import ServiceLifecycle
import TMWSCore
import TMWSHTTP
import TMWSHTTPCommon
import TMWSHost
import TMWSMCP
import TMWSSQLite
import TMWSSync

/// `tmws serve`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the local REST API (default http://127.0.0.1:8765).",
        discussion: """
            Routes: GET /health, GET /openapi.json, POST/GET /v1/memories, GET/PATCH/DELETE /v1/memories/{id}, \
            POST /v1/search, POST /v1/classify, GET /v1/stats, this node's sync, conflicts, teams and \
            metrics under /v1/sync, /v1/conflicts, /v1/teams and /v1/health (errors are \
            application/problem+json), MCP over streamable HTTP at /mcp with the same tools as 'tmws mcp', \
            and the web console at / (open it in a browser).

            Binding to anything but a loopback address requires an access token (--token or \
            TMWS_ACCESS_TOKEN, at least 16 non-whitespace characters), which every request must then \
            send as 'Authorization: Bearer <token>'. Without a token, only requests whose Host is a \
            loopback name or address (or one of server.allowed_hosts / TMWS_ALLOWED_HOSTS) are \
            answered. Requests from web pages of other origins get 403 (another loopback port is \
            another origin), a browser's changes must carry the console's CSRF token, request bodies must be \
            application/json (415 otherwise). REST writes are recorded as the agent named in the \
            X-TMWS-Agent header, else TMWS_AGENT_ID, else 'rest'; each MCP session as TMWS_AGENT_ID, \
            else its client's name.

            Stops gracefully on SIGINT and SIGTERM.
            """
    )

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "port"))
    var port = 8765

    @Option(help: ArgumentHelp("Require this bearer token on every request (default: TMWS_ACCESS_TOKEN).", valueName: "token"))
    var token: String?

    @OptionGroup var connections: ConnectionOptions
    @OptionGroup var global: GlobalOptions

    /// A failure to listen, said plainly: which address, why, and what to do.
    static func listenError(_ error: IOError, host: String, port: Int) -> TMWSError {
        let reason = String(cString: strerror(error.errnoCode))
        let hint =
            switch error.errnoCode {
            case EADDRINUSE: " (another tmws serve?); stop that process, or choose another port with --port (0: any free port)"
            case EACCES: "; ports below 1024 need privileges: choose another with --port"
            case EADDRNOTAVAIL: "; \(host) is not an address of this machine"
            default: ""
            }
        return TMWSError(.io, "cannot listen on \(host) port \(port): \(reason)\(hint)")
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    static let nodeHeader = HTTPField.Name("X-TMWS-Node")!

    func run() async throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["TMWS_ACCESS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if !AccessPolicy.isLoopbackHost(host) && token == nil {
            throw TMWSError(.configuration, "refusing to listen on \(host) without an access token: set --token or TMWS_ACCESS_TOKEN, or use 127.0.0.1")
        }
        if let token, !AccessPolicy.isStrongEnough(token) {
            throw TMWSError(.configuration, "the access token must have at least \(AccessPolicy.minimumTokenLength) characters that are not whitespace")
        }
        Telemetry.bootstrap()
        let context = try AppContext(options: global)
        let store = try await context.openStore()
        var searching = context.service(store)
        // Search by meaning once the model has loaded (lexical until then, and said so).
        searching.semantic = try await EmbeddingWiring.semantic(context.configuration, store: store, waitForModel: false)
        let service = searching
        let hybrid = try context.hybridSearch(service)
        let api = RESTAPI(
            service: service, caller: context.configuredCaller ?? Caller(agentID: "rest"), hybrid: hybrid,
            node: ConsoleNode(context: context, store: store))
        var logger = Logger(label: "tmws.serve")
        logger.logLevel = .warning
        let host = self.host
        // Latency and errors per route template, and TMWS's own metrics, at /metrics (behind the
        // same host and token rules as every route).
        let router = api.router(policy: AccessPolicy(token: token, allowedHosts: context.configuration.allowedHosts), metrics: true)
        router.get("/metrics") { _, _ in
            let text = try await ConsoleNode.metricsText(store)
            // X-TMWS-Node: which node's metrics these are (`tmws status` reads only its own).
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", Self.nodeHeader: store.deviceID],
                body: .init(byteBuffer: ByteBuffer(bytes: text))
            )
        }

        // MCP over HTTP: the same tools as `tmws mcp`, one session (and identity) per client.
        let sessions = MCPHTTPSessions { clientName in
            var tools = MemoryTools(
                service: service, caller: context.mcpCaller(clientName: clientName, fallback: "mcp-http"), hybrid: hybrid,
                sync: NodeSync(context: context, store: store))
            tools.observe = Telemetry.mcpTool
            return await MCPServerFactory.makeServer(tools: tools, version: TMWSCommand.version)
        }
        MCPHTTPBridge.register(on: router, sessions: sessions, maximumBodyBytes: api.maximumBodyBytes)

        let limits = connections.limits
        let app = Application(
            router: router,
            server: limits.http1,
            configuration: .init(
                address: .hostname(host, port: port), serverName: "tmws", backlog: 1024,
                availableConnectionsDelegate: limits.connectionCap(logger: logger)
            ),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)"
                let line =
                    "tmws serve: listening on \(base) (console \(base)/, REST \(base)/v1, MCP \(base)/mcp, database \(context.configuration.databasePath))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            },
            logger: logger
        )
        // One group: on SIGINT or SIGTERM the server stops taking requests, then the MCP
        // sessions close (services shut down in reverse order).
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: sessions, successTerminationBehavior: .gracefullyShutdownGroup), .init(service: app),
        ]
        // With hybrid mode on and the node enrolled: sync on an interval and after writes.
        if let cloud = try context.cloud(ignoringRollout: true) {
            services.append(
                .init(
                    service: SyncService(
                        node: NodeSync(context: context, store: store), transport: try KeyAccess.transport(context, store: store, cloud: cloud),
                        interval: context.syncInterval, logger: logger,
                        allowed: {
                            // Hybrid mode turned off in the file: no network at all. Otherwise the hub's
                            // rollout decides (kept as last fetched when the hub does not answer).
                            guard let fresh = try? AppContext(options: context.options), fresh.configuration.hybridEnabled else { return false }
                            return await context.fetchRollout(cloud)?.enabled ?? (RolloutFile.load(home: context.configuration.home)?.decision.enabled != false)
                        }
                    )))
        }
        // The archive of old, rarely read PROJECT memories, every archive.interval_h hours.
        if context.configuration.archiveIntervalHours > 0 {
            var loop = ArchiveLoop(
                archive: store, policy: context.configuration.archivePolicy,
                interval: .seconds(3600 * context.configuration.archiveIntervalHours), clock: ContinuousClock())
            let archiveLogger = logger
            loop.observe = { result in
                switch result {
                case .success(let outcome) where outcome.memories > 0:
                    archiveLogger.info("archive: moved \(outcome.memories) memories (\(outcome.textBytes) bytes of text, \(outcome.storedBytes) stored)")
                case .success: break
                case .failure(let error): archiveLogger.warning("archive: \(TMWSError.safeMessage(for: error))")
                }
            }
            services.append(.init(service: ArchiveService(loop: loop)))
        }
        if let semantic = service.semantic {
            services.append(.init(service: EmbeddingService.make(semantic, store: store, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
        do {
            try await group.run()
            try await service.flushAccesses()
        } catch let error as IOError {
            throw Self.listenError(error, host: host, port: port)
        }
    }
}

/// ``ArchiveLoop`` in the server's ServiceGroup.
struct ArchiveService: Service {
    let loop: ArchiveLoop<ContinuousClock>

    func run() async throws {
        await cancelWhenGracefulShutdown { await loop.run() }
    }
}

/// ``EmbeddingLoop`` in a server's ServiceGroup (`tmws serve`, `tmws mcp`).
struct EmbeddingService: Service {
    let loop: EmbeddingLoop<ContinuousClock>

    static func make(_ semantic: SemanticSearch, store: SQLiteMemoryStore, logger: Logger) -> EmbeddingService {
        var loop = EmbeddingLoop(embedder: semantic.embedder, vectors: store, clock: ContinuousClock())
        loop.wake = store.writes
        loop.observe = { (result: Result<Int, any Error>) in
            switch result {
            case .success(let saved): Telemetry.embedded(saved)
            case .failure(let error):
                Telemetry.embeddingFailed()
                logger.warning("embedding: \(TMWSError.safeMessage(for: error))")
            }
        }
        loop.distrust = { devices in
            Telemetry.incident(.peerVectorMismatch, count: devices.count)
            logger.warning("embedding: vectors from \(devices.count) device(s) did not match their memories' text; theirs are replaced here")
        }
        return EmbeddingService(loop: loop)
    }

    func run() async throws {
        await cancelWhenGracefulShutdown { await loop.run() }
    }
}
