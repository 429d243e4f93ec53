import Foundation
import Synchronization
import TMWSCore
import TMWSHost
import TMWSHubClient
import TMWSMCP
import TMWSSQLite
import TMWSTLS

/// What a command works with: the resolved configuration and, once opened, the store and
/// the service. This is the one place where the adapters are wired together.
struct AppContext {
    let resolved: ResolvedConfiguration
    let options: GlobalOptions
    var configuration: TMWSConfiguration { resolved.configuration }

    /// Loads the configuration (flags > environment > config.toml > defaults).
    ///
    /// - Throws: `TMWSError` for a corrupted config file or an invalid value.
    init(options: GlobalOptions, flags: [String: String] = [:]) throws {
        self.options = options
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
    /// Whether a setting was given (flag, environment or file) rather than left at its default.
    func isSet(_ key: String) -> Bool {
        resolved.settings.first { $0.key == key }?.source != .default
    }

    /// The scope of new memories: `memory.default_scope` when set, else what the hub's rollout
    /// says (the roadmap's safe default, PROJECT, unless the hub says otherwise), else PROJECT.
    var defaultScope: MemoryScope {
        if isSet("memory.default_scope") { return configuration.defaultScope }
        return RolloutFile.load(home: configuration.home)?.decision.defaultScope ?? configuration.defaultScope
    }

    /// How often a running node syncs: `hybrid.sync_interval_s` when set, else the hub's.
    var syncInterval: Duration {
        if isSet("hybrid.sync_interval_s") { return .seconds(configuration.syncIntervalSeconds) }
        return .seconds(RolloutFile.load(home: configuration.home)?.decision.syncIntervalSeconds ?? configuration.syncIntervalSeconds)
    }

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
        var settings = SQLiteMemoryStore.Configuration(
            path: configuration.databasePath,
            tenantID: configuration.tenantID,
            busyTimeout: .milliseconds(configuration.busyTimeoutMilliseconds),
            searchCandidates: configuration.searchCandidates,
            cache: configuration.cachePolicy
        )
        settings.foldsPulledDuplicates = configuration.dedup != .off
        return try await SQLiteMemoryStore.open(configuration: settings)
    }

    /// The service over a store.
    func service(_ store: some MemoryStore) -> MemoryService {
        var service = MemoryService(
            store: store,
            validator: MemoryValidator(limits: configuration.limits),
            defaultNamespace: defaultNamespace,
            defaultScope: defaultScope,
            repositoryName: NamespaceDetector().repositoryName(in: FileManager.default.currentDirectoryPath)
        )
        // A SHARED memory that names no team goes to the node's team when it has exactly one.
        if let teams = (try? CloudEnrollment.load(home: configuration.home))??.confirmed {
            service.teamNames = Array(teams.keys)
            if teams.count == 1 { service.defaultTeam = teams.values.first }
        }
        service.policy.learnPrivate = configuration.learnPrivate
        service.dedup = configuration.dedup
        service.agentsMayAcceptReviews = configuration.agentsMayAcceptReviews
        // The deployed scope model, if any (tmws classifier deploy); the detector runs first.
        service.policy.classifier.model = ScopeModelFiles(home: configuration.home).liveModel()
        let context = self
        service.resolveTeam = { try context.teamID($0) }
        return service
    }

    /// Opens the store and returns the service over it; `searching`: searches by meaning too
    /// when an embedding provider is configured (the model is loaded before answering, as a
    /// one-shot command should; a server starts loading it and answers lexically meanwhile).
    func openService(searching: Bool = false) async throws -> MemoryService {
        let store = try await openStore()
        var service = service(store)
        if searching { service.semantic = try await EmbeddingWiring.semantic(configuration, store: store, waitForModel: true) }
        return service
    }
}

extension AppContext {
    /// The enrolled hub, when hybrid mode is on and the node is enrolled; otherwise `nil`,
    /// and the node opens no network connection at all.
    /// A node the hub has rolled back (its last rollout decision) asks the hub nothing but
    /// that decision: `ignoringRollout` is for sync, which fetches it.
    func cloud(ignoringRollout: Bool = false) throws -> HubCloud? {
        guard configuration.hybridEnabled, let enrollment = try CloudEnrollment.load(home: configuration.home) else { return nil }
        if !ignoringRollout, RolloutFile.load(home: configuration.home)?.decision.enabled == false { return nil }
        return try Self.hubCloud(enrollment, home: configuration.home)
    }

    /// Fetches the hub's rollout decision for this node's user and keeps it; `nil` when the
    /// hub did not answer (the sync that follows reports why).
    func fetchRollout(_ cloud: HubCloud) async -> RolloutDecision? {
        let decision = try? await cloud.rollout()
        Telemetry.cloudConnection("rollout", succeeded: decision != nil)
        guard let decision else { return nil }
        try? RolloutFile(decision: decision, fetchedAt: ISO8601.string(from: Date())).save(home: configuration.home)
        return decision
    }

    static func hubCloud(_ enrollment: CloudEnrollment, home: String) throws -> HubCloud {
        let endpoint = try HubEndpoint(
            url: enrollment.hubURL, caFile: CloudEnrollment.caFile(home), pin: try enrollment.pin.map(PublicKeyPin.init(parsing:))
        )
        return HubCloud(client: try HubClient(endpoint: endpoint), credential: enrollment.credential)
    }

    /// Search routed by strategy (the local store alone unless ``cloud()`` is set).
    func hybridSearch(_ service: MemoryService) throws -> HybridSearch {
        let cloud = try cloud().map { GatedCloud(base: $0, context: self) }
        var search = HybridSearch(service: service, cloud: cloud, timeout: .milliseconds(configuration.cloudTimeoutMilliseconds))
        search.defaultStrategy = configuration.searchStrategy
        if let store = service.store as? SQLiteMemoryStore {
            // The hub can add GLOBAL memories only if this node has not pulled them lately (two
            // sync intervals) or holds only a hot slice of them (`cache.mode = hot`), and is not
            // known to be offline (the sync engine found it down). Read at most once a second
            // (they change when a sync runs, not per search).
            let window = TimeInterval(2 * configuration.syncIntervalSeconds)
            let hot = configuration.cachePolicy.mode == .hot
            let known = Mutex<(at: ContinuousClock.Instant, mayAdd: Bool)?>(nil)
            search.hubMayAdd = {
                let now = ContinuousClock.now
                if let cached = known.withLock({ $0 }), now - cached.at < .seconds(1) { return cached.mayAdd }
                let settings = try? await store.syncSettings()
                let mayAdd =
                    settings?.offline == nil && (hot || (settings?.lastSuccess.map { Date().timeIntervalSince($0) > window } ?? true))
                known.withLock { $0 = (now, mayAdd) }
                return mayAdd
            }
            // What the hub answers with is checked against what this node follows (never a
            // deleted memory, an older version, or another text for a version seen); with a
            // hot slice it counts as cache hits and misses, and a memory missed often enough is
            // held again.
            search.onHubAnswer = { memories in (try? await store.noteHubAnswer(memories))?.refused ?? [] }
            search.holdsSlice = hot
        }
        return search
    }

    /// Whether this node may talk to the hub now: hybrid mode on in the configuration as it is
    /// *now* (a long-running `tmws serve` sees the file change) and not rolled back by the hub.
    func hubAllowedNow() -> Bool {
        guard let fresh = try? AppContext(options: options), fresh.configuration.hybridEnabled else { return false }
        return RolloutFile.load(home: configuration.home)?.decision.enabled != false
    }
}

extension AppContext {
    /// The id of the team a write names, by name or id, confirmed on this device
    /// (``KeyAccess/team(_:in:confirmedOnly:)``; without an enrollment, an id only).
    func teamID(_ text: String) throws -> String {
        if let enrollment = try CloudEnrollment.load(home: configuration.home) { return try KeyAccess.team(text, in: enrollment, confirmedOnly: true) }
        if let id = UUID(uuidString: text) { return id.uuidString.lowercased() }
        throw TMWSError(.invalidInput, "no team \(text.truncatedForMessage) known to this node (tmws team list shows them)", field: "team")
    }
}

/// The hub's search, asked only while the node may talk to the hub (a search made after a
/// rollback, or after hybrid mode was turned off in the file, stays local).
final class GatedCloud: CloudSearching {
    let base: HubCloud
    let context: AppContext
    /// `hubAllowedNow()` reads the configuration file and the rollout decision: at most once a second.
    let allowed = Mutex<(at: ContinuousClock.Instant, allowed: Bool)?>(nil)

    init(base: HubCloud, context: AppContext) {
        self.base = base
        self.context = context
    }

    func allowedNow() -> Bool {
        let now = ContinuousClock.now
        if let known = allowed.withLock({ $0 }), now - known.at < .seconds(1) { return known.allowed }
        let fresh = context.hubAllowedNow()
        allowed.withLock { $0 = (now, fresh) }
        return fresh
    }

    func searchGlobal(_ query: String, limit: Int, timeout: Duration) async throws -> [CloudSearchResults.Hit] {
        guard allowedNow() else { throw TMWSError(.configuration, "local-only: the hub is not asked") }
        Telemetry.hybridSearch()
        do {
            let hits = try await base.searchGlobal(query, limit: limit, timeout: timeout)
            Telemetry.cloudConnection("search", succeeded: true)
            return hits
        } catch {
            // The search answers from the local store alone.
            Telemetry.cloudConnection("search", succeeded: false)
            Telemetry.localFallback()
            throw error
        }
    }
}
