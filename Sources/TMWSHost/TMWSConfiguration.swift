import TMWSCore

/// Everything a `tmws` process is configured with. Plain values with documented defaults;
/// ``ConfigurationLoader`` fills them from flags, `TMWS_*` variables and `config.toml`.
package struct TMWSConfiguration: Sendable, Hashable {
    /// The data directory (`TMWS_HOME`). Default `~/.tmws`.
    package var home: String
    /// The namespace for new memories; `nil` means detect it from the working directory.
    package var namespace: Namespace?
    /// The scope for new memories that name none. Default `PROJECT`.
    package var defaultScope: MemoryScope
    /// The longest memory content accepted, in characters. Default 100,000.
    package var maximumContentLength: Int
    /// Who writes: recorded on memories and in the audit log. Default `cli`.
    package var agentID: String
    /// The tenant written on new memories. Default `local`.
    package var tenantID: String
    /// How long a write waits for another process's lock, in milliseconds. Default 30,000.
    package var busyTimeoutMilliseconds: Int
    /// How many results `search` returns when no limit is given. Default 10.
    package var searchLimit: Int
    /// How many of a query's newest matches are ranked. Default 1,000.
    package var searchCandidates: Int
    /// Host names `tmws serve` answers to besides loopback ones (a name in `/etc/hosts`,
    /// a reverse proxy's). Default none: only `localhost`, `127.0.0.0/8` and `[::1]`.
    package var allowedHosts: [String]
    /// Hybrid mode: GLOBAL searches may also ask the hub. Off by default; even on, nothing
    /// leaves the machine until the node is enrolled (`tmws cloud enroll`).
    package var hybridEnabled: Bool
    /// How long a search waits for the hub before answering with local results. Default 500 ms.
    package var cloudTimeoutMilliseconds: Int
    /// Where searches look when hybrid mode is on. Default `local_first`.
    package var searchStrategy: SearchStrategy
    /// How often `tmws serve` syncs with the hub when hybrid mode is on. Default 300 s.
    package var syncIntervalSeconds: Int
    /// Concurrent edits of a memory at least this important are kept as a conflict for the
    /// user (`tmws sync conflicts`); below it last-writer-wins decides alone. Default 0.7.
    package var conflictImportance: Double
    /// An external command that prints the key protecting the device keys (`<command> get`),
    /// instead of a passphrase.
    package var keyCommand: String?
    /// Which PROJECT memories `tmws archive run` (and the run inside `tmws serve`) moves to
    /// the archive. Default: older than 90 days, read at most twice.
    package var archivePolicy: LocalArchivePolicy
    /// How often `tmws serve` runs the archive, in hours; 0 never. Default 24.
    package var archiveIntervalHours: Int
    /// What this node holds of its tenant's GLOBAL memories. Default `all`.
    package var cachePolicy: CachePolicy
    /// Whether PRIVATE scopes people choose are kept as learning examples. Default `false`.
    package var learnPrivate: Bool
    /// What a write does with a duplicate of a stored memory. Default `report`.
    package var dedup: DedupPolicy = .report
    /// Whether agents (MCP) may accept memories held for review, not only people on the
    /// command line. Default `false`: the agent that wrote an instruction must not wave it through.
    package var agentsMayAcceptReviews = false
    /// Where embeddings come from (search by meaning). Default: the built-in model when
    /// `tmws models install` has put it in place, else none (search is lexical).
    package var embedding: EmbeddingSettings = EmbeddingSettings()

    package init(home: String) {
        self.home = home
        self.namespace = nil
        self.defaultScope = .project
        self.maximumContentLength = 100_000
        self.agentID = "cli"
        self.tenantID = "local"
        self.busyTimeoutMilliseconds = 30_000
        self.searchLimit = 10
        self.searchCandidates = 1000
        self.allowedHosts = []
        self.hybridEnabled = false
        self.cloudTimeoutMilliseconds = 500
        self.searchStrategy = .localFirst
        self.syncIntervalSeconds = 300
        self.conflictImportance = 0.7
        self.archivePolicy = try! LocalArchivePolicy()
        self.archiveIntervalHours = 24
        self.cachePolicy = CachePolicy()
        self.learnPrivate = false
    }

    /// The database file inside ``home``.
    package var databasePath: String { home + "/tmws.db" }
    /// The configuration file inside ``home``.
    package var configFilePath: String { home + "/config.toml" }
    /// The limits validation applies.
    package var limits: MemoryLimits { MemoryLimits(maximumContentLength: maximumContentLength) }
}

/// The embedding provider (`[embedding]`).
package struct EmbeddingSettings: Sendable, Hashable {
    package enum Provider: String, Sendable, Hashable, CaseIterable {
        /// The built-in model when installed, else none.
        case auto
        /// multilingual-e5-small, run in-process (`tmws models install`).
        case builtin
        /// Ollama's `/api/embed` at `url` with `model`.
        case ollama
        /// An OpenAI-compatible `/v1/embeddings` at `url` with `model`.
        case openai
        /// None: search is lexical.
        case off

        package init(parsing text: String) throws {
            guard let provider = Provider(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw TMWSError(
                    .configuration, "embedding.provider must be one of \(Provider.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "embedding.provider")
            }
            self = provider
        }
    }

    package var provider: Provider = .auto
    /// The built-in model's file; default `$TMWS_HOME/models/multilingual-e5-small-q4.bin`.
    package var modelPath: String?
    /// Ollama's or the OpenAI-compatible endpoint's base URL (`http://127.0.0.1:11434`,
    /// `https://api.openai.com/v1`).
    package var url: String?
    /// The remote model's name (`nomic-embed-text`, `text-embedding-3-small`).
    package var model: String?
    /// The environment variable holding the endpoint's API key (never the key itself, which
    /// would sit in a file). Default `OPENAI_API_KEY`.
    package var apiKeyVariable: String = "OPENAI_API_KEY"

    package init() {}
}
