import Foundation
import TMWSCore
import TMWSHubClient
import TMWSTLS
import TMWSHost
import TMWSMCP
import TMWSSQLite

/// What a command works with: the resolved configuration and, once opened, the store and
/// the service. This is the one place where the adapters are wired together.
struct AppContext {
    let resolved: ResolvedConfiguration
    var configuration: TMWSConfiguration { resolved.configuration }

    /// Loads the configuration (flags > environment > config.toml > defaults).
    ///
    /// - Throws: `TMWSError` for a corrupted config file or an invalid value.
    init(options: GlobalOptions, flags: [String: String] = [:]) throws {
        var environment = ProcessInfo.processInfo.environment
        if let home = options.home {
            environment["TMWS_HOME"] = home
        }
        resolved = try ConfigurationLoader().load(
            flags: flags, environment: environment, defaultHome: HomeDirectory.defaultPath(environment: environment)
        )
    }

    /// The namespace new memories get: configured, else detected from the working directory.
    var defaultNamespace: Namespace {
        configuration.namespace ?? NamespaceDetector().detect(in: FileManager.default.currentDirectoryPath).namespace
    }

    var caller: Caller { Caller(agentID: configuration.agentID) }

    /// `TMWS_AGENT_ID` (or `agent.id`) when it is configured, else `nil`.
    var configuredCaller: Caller? {
        resolved.settings.first { $0.key == "agent.id" }?.source != .default ? caller : nil
    }

    /// The agent identity for MCP: `TMWS_AGENT_ID` (or `agent.id`) when configured, else the
    /// MCP client's name learnt at `initialize`, else `fallback`.
    func mcpCaller(clientName: MCPClientName, fallback: String) -> @Sendable () -> Caller {
        let configured = configuredCaller
        return { configured ?? Caller(agentID: clientName.value ?? fallback) }
    }

    /// Creates `TMWS_HOME` if needed and opens the database in it.
    ///
    /// - Throws: `TMWSError` for an unwritable home or a database that cannot be opened.
    func openStore() async throws -> SQLiteMemoryStore {
        try HomeDirectory.prepare(configuration.home)
        return try await SQLiteMemoryStore.open(
            configuration: .init(
                path: configuration.databasePath,
                tenantID: configuration.tenantID,
                busyTimeout: .milliseconds(configuration.busyTimeoutMilliseconds),
                searchCandidates: configuration.searchCandidates
            )
        )
    }

    /// The service over a store.
    func service(_ store: some MemoryStore) -> MemoryService {
        var service = MemoryService(
            store: store,
            validator: MemoryValidator(limits: configuration.limits),
            defaultNamespace: defaultNamespace,
            defaultScope: configuration.defaultScope,
            repositoryName: NamespaceDetector().repositoryName(in: FileManager.default.currentDirectoryPath)
        )
        // A SHARED memory that names no team goes to the node's team when it has exactly one.
        if let teams = (try? CloudEnrollment.load(home: configuration.home))??.identity.teams, teams.count == 1 {
            service.defaultTeam = teams[0].id
        }
        let context = self
        service.resolveTeam = { try context.teamID($0) }
        return service
    }

    /// Opens the store and returns the service over it.
    func openService() async throws -> MemoryService {
        service(try await openStore())
    }
}

extension AppContext {
    /// The enrolled hub, when hybrid mode is on and the node is enrolled; otherwise `nil`,
    /// and the node opens no network connection at all.
    func cloud() throws -> HubCloud? {
        guard configuration.hybridEnabled, let enrollment = try CloudEnrollment.load(home: configuration.home) else { return nil }
        return try Self.hubCloud(enrollment, home: configuration.home)
    }

    static func hubCloud(_ enrollment: CloudEnrollment, home: String) throws -> HubCloud {
        let endpoint = try HubEndpoint(
            url: enrollment.hubURL, caFile: CloudEnrollment.caFile(home), pin: try enrollment.pin.map(PublicKeyPin.init(parsing:))
        )
        return HubCloud(client: try HubClient(endpoint: endpoint), credential: enrollment.credential)
    }

    /// Search routed by strategy (the local store alone unless ``cloud()`` is set).
    func hybridSearch(_ service: MemoryService) throws -> HybridSearch {
        HybridSearch(service: service, cloud: try cloud(), timeout: .milliseconds(configuration.cloudTimeoutMilliseconds))
    }
}

extension AppContext {
    /// A team's id from its name or id: the enrollment's teams, else the text itself if it is
    /// a UUID (a team the node has not listed yet).
    func teamID(_ text: String) throws -> String {
        if let enrollment = try CloudEnrollment.load(home: configuration.home), let team = try? KeyAccess.team(text, in: enrollment) {
            return team.id
        }
        if let id = UUID(uuidString: text) { return id.uuidString.lowercased() }
        throw TMWSError(.invalidInput, "no team \(text.truncatedForMessage) known to this node (tmws team list shows them)", field: "team")
    }
}
