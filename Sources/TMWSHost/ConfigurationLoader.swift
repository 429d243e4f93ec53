import Foundation
import TMWSCore

/// Where a setting's value came from, in precedence order.
package enum SettingSource: String, Sendable, Hashable, Comparable {
    case `default`, file, environment, flag

    package static func < (lhs: SettingSource, rhs: SettingSource) -> Bool {
        let order: [SettingSource] = [.default, .file, .environment, .flag]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// One effective setting, for `tmws doctor`.
package struct EffectiveSetting: Sendable, Hashable {
    package var key: String
    package var environmentVariable: String
    /// The value as text, masked when the setting is a secret.
    package var value: String
    package var source: SettingSource
}

/// The resolved configuration and where each value came from.
package struct ResolvedConfiguration: Sendable {
    package var configuration: TMWSConfiguration
    package var settings: [EffectiveSetting]
}

/// Resolves configuration with the precedence flags > `TMWS_*` environment >
/// `$TMWS_HOME/config.toml` > defaults.
package struct ConfigurationLoader: Sendable {
    /// A setting: its key in `config.toml`, its environment variable and how to apply a value.
    struct Setting: Sendable {
        var key: String
        var environmentVariable: String
        var isSecret = false
        var apply: @Sendable (inout TMWSConfiguration, TOMLValue) throws -> Void
        var show: @Sendable (TMWSConfiguration) -> String
    }

    static let settings: [Setting] = [
        Setting(
            key: "project.namespace", environmentVariable: "TMWS_NAMESPACE",
            apply: { $0.namespace = try Namespace(validating: try string($1, "project.namespace")) },
            show: { $0.namespace?.rawValue ?? "(detected)" }),
        Setting(
            key: "memory.default_scope", environmentVariable: "TMWS_DEFAULT_SCOPE",
            apply: { $0.defaultScope = try MemoryScope(parsing: try string($1, "memory.default_scope")) },
            show: { $0.defaultScope.rawValue }),
        Setting(
            key: "memory.max_content_chars", environmentVariable: "TMWS_MAX_CONTENT_CHARS",
            apply: { $0.maximumContentLength = try integer($1, "memory.max_content_chars", in: 1...10_000_000) },
            show: { String($0.maximumContentLength) }),
        Setting(
            key: "agent.id", environmentVariable: "TMWS_AGENT_ID",
            apply: { $0.agentID = try agentIdentifier($1) },
            show: { $0.agentID }),
        Setting(
            key: "tenant.id", environmentVariable: "TMWS_TENANT_ID",
            apply: { $0.tenantID = try identifier($1, "tenant.id") },
            show: { $0.tenantID }),
        Setting(
            key: "storage.busy_timeout_ms", environmentVariable: "TMWS_BUSY_TIMEOUT_MS",
            apply: { $0.busyTimeoutMilliseconds = try integer($1, "storage.busy_timeout_ms", in: 0...600_000) },
            show: { String($0.busyTimeoutMilliseconds) }),
        Setting(
            key: "search.default_limit", environmentVariable: "TMWS_SEARCH_LIMIT",
            apply: { $0.searchLimit = try integer($1, "search.default_limit", in: 1...MemoryService.maximumLimit) },
            show: { String($0.searchLimit) }),
        Setting(
            key: "search.max_candidates", environmentVariable: "TMWS_SEARCH_MAX_CANDIDATES",
            apply: { $0.searchCandidates = try integer($1, "search.max_candidates", in: 10...1_000_000) },
            show: { String($0.searchCandidates) }),
        Setting(
            key: "hybrid.enabled", environmentVariable: "TMWS_HYBRID_MODE_ENABLED",
            apply: { $0.hybridEnabled = try boolean($1, "hybrid.enabled") },
            show: { $0.hybridEnabled ? "true" : "false" }),
        Setting(
            key: "hybrid.cloud_timeout_ms", environmentVariable: "TMWS_CLOUD_TIMEOUT_MS",
            apply: { $0.cloudTimeoutMilliseconds = try integer($1, "hybrid.cloud_timeout_ms", in: 50...60_000) },
            show: { String($0.cloudTimeoutMilliseconds) }),
        Setting(
            key: "hybrid.sync_interval_s", environmentVariable: "TMWS_SYNC_INTERVAL_S",
            apply: { $0.syncIntervalSeconds = try integer($1, "hybrid.sync_interval_s", in: 1...86_400) },
            show: { String($0.syncIntervalSeconds) }),
        Setting(
            key: "hybrid.conflict_importance", environmentVariable: "TMWS_CONFLICT_IMPORTANCE",
            apply: { $0.conflictImportance = try fraction($1, "hybrid.conflict_importance") },
            show: { String($0.conflictImportance) }),
        Setting(
            key: "keys.command", environmentVariable: "TMWS_KEY_COMMAND",
            apply: { $0.keyCommand = try string($1, "keys.command") },
            show: { $0.keyCommand ?? "" }),
        Setting(
            key: "hybrid.search_strategy", environmentVariable: "TMWS_SEARCH_STRATEGY",
            apply: { $0.searchStrategy = try SearchStrategy(parsing: try string($1, "hybrid.search_strategy")) },
            show: { $0.searchStrategy.rawValue }),
        Setting(
            key: "archive.older_than_days", environmentVariable: "TMWS_ARCHIVE_OLDER_THAN_DAYS",
            apply: { $0.archivePolicy.olderThanDays = try integer($1, "archive.older_than_days", in: LocalArchivePolicy.days) },
            show: { String($0.archivePolicy.olderThanDays) }),
        Setting(
            key: "archive.max_reads", environmentVariable: "TMWS_ARCHIVE_MAX_READS",
            apply: { $0.archivePolicy.maximumReads = try integer($1, "archive.max_reads", in: LocalArchivePolicy.reads) },
            show: { String($0.archivePolicy.maximumReads) }),
        Setting(
            key: "archive.interval_h", environmentVariable: "TMWS_ARCHIVE_INTERVAL_H",
            apply: { $0.archiveIntervalHours = try integer($1, "archive.interval_h", in: 0...8760) },
            show: { String($0.archiveIntervalHours) }),
        Setting(
            key: "cache.mode", environmentVariable: "TMWS_CACHE_MODE",
            apply: { $0.cachePolicy.mode = try CachePolicy.Mode(parsing: try string($1, "cache.mode")) },
            show: { $0.cachePolicy.mode.rawValue }),
        Setting(
            key: "cache.max_memories", environmentVariable: "TMWS_CACHE_MAX_MEMORIES",
            apply: { $0.cachePolicy.maximumMemories = try integer($1, "cache.max_memories", in: CachePolicy.memories) },
            show: { String($0.cachePolicy.maximumMemories) }),
        Setting(
            key: "cache.max_bytes", environmentVariable: "TMWS_CACHE_MAX_BYTES",
            apply: { $0.cachePolicy.maximumBytes = try integer($1, "cache.max_bytes", in: CachePolicy.bytes) },
            show: { String($0.cachePolicy.maximumBytes) }),
        Setting(
            key: "cache.hot_reads", environmentVariable: "TMWS_CACHE_HOT_READS",
            apply: { $0.cachePolicy.hotReads = try integer($1, "cache.hot_reads", in: CachePolicy.reads) },
            show: { String($0.cachePolicy.hotReads) }),
        Setting(
            key: "cache.window_days", environmentVariable: "TMWS_CACHE_WINDOW_DAYS",
            apply: { $0.cachePolicy.windowDays = try integer($1, "cache.window_days", in: CachePolicy.days) },
            show: { String($0.cachePolicy.windowDays) }),
        Setting(
            key: "classifier.learn_private", environmentVariable: "TMWS_CLASSIFIER_LEARN_PRIVATE",
            apply: { $0.learnPrivate = try boolean($1, "classifier.learn_private") },
            show: { $0.learnPrivate ? "true" : "false" }),
        Setting(
            key: "memory.dedup", environmentVariable: "TMWS_DEDUP",
            apply: {
                let text = try string($1, "memory.dedup")
                guard let policy = DedupPolicy(rawValue: text.lowercased()) else {
                    throw TMWSError(.configuration, "memory.dedup must be off, report or merge", field: "memory.dedup")
                }
                $0.dedup = policy
            },
            show: { $0.dedup.rawValue }),
        Setting(
            key: "review.agents_may_accept", environmentVariable: "TMWS_REVIEW_AGENTS_MAY_ACCEPT",
            apply: { $0.agentsMayAcceptReviews = try boolean($1, "review.agents_may_accept") },
            show: { $0.agentsMayAcceptReviews ? "true" : "false" }),
        Setting(
            key: "embedding.provider", environmentVariable: "TMWS_EMBEDDING_PROVIDER",
            apply: { $0.embedding.provider = try EmbeddingSettings.Provider(parsing: try string($1, "embedding.provider")) },
            show: { $0.embedding.provider.rawValue }),
        Setting(
            key: "embedding.model_path", environmentVariable: "TMWS_EMBEDDING_MODEL_PATH",
            apply: { $0.embedding.modelPath = try string($1, "embedding.model_path") },
            show: { $0.embedding.modelPath ?? "(TMWS_HOME/models/multilingual-e5-small-q4.bin)" }),
        Setting(
            key: "embedding.url", environmentVariable: "TMWS_EMBEDDING_URL",
            apply: { $0.embedding.url = try httpURL(try string($1, "embedding.url"), "embedding.url") },
            show: { $0.embedding.url ?? "(none)" }),
        Setting(
            key: "embedding.model", environmentVariable: "TMWS_EMBEDDING_MODEL",
            apply: { $0.embedding.model = try string($1, "embedding.model") },
            show: { $0.embedding.model ?? "(none)" }),
        Setting(
            key: "embedding.api_key_env", environmentVariable: "TMWS_EMBEDDING_API_KEY_ENV",
            apply: { $0.embedding.apiKeyVariable = try string($1, "embedding.api_key_env") },
            show: { $0.embedding.apiKeyVariable }),
        Setting(
            key: "server.allowed_hosts", environmentVariable: "TMWS_ALLOWED_HOSTS",
            apply: { $0.allowedHosts = try hostNames($1) },
            show: { $0.allowedHosts.isEmpty ? "(loopback only)" : $0.allowedHosts.joined(separator: ",") }),
    ]

    package init() {}

    /// Resolves the configuration.
    ///
    /// - Parameters:
    ///   - flags: values given on the command line, by `config.toml` key.
    ///   - environment: the process environment.
    ///   - defaultHome: the home used when `TMWS_HOME` is unset (`~/.tmws`).
    /// - Throws: `TMWSError` (`configuration`) for a corrupted or unreadable `config.toml`,
    ///   an unknown key, or a value of the wrong type or range.
    package func load(
        flags: [String: String] = [:], environment: [String: String], defaultHome: String
    ) throws -> ResolvedConfiguration {
        let home = environment["TMWS_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultHome
        var configuration = TMWSConfiguration(home: home)
        var sources: [String: SettingSource] = [:]
        let fileValues = try readFile(configuration.configFilePath)

        for setting in Self.settings {
            let candidates: [(SettingSource, TOMLValue?)] = [
                (.flag, flags[setting.key].map(TOMLValue.unparsed)),
                (.environment, environment[setting.environmentVariable].map(TOMLValue.unparsed)),
                (.file, fileValues[setting.key]?.value),
            ]
            guard let (source, value) = candidates.first(where: { $0.1 != nil }), let value else {
                sources[setting.key] = .default
                continue
            }
            do {
                try setting.apply(&configuration, value)
            } catch let error as TMWSError {
                let origin =
                    switch source {
                    case .flag: "the command line"
                    case .environment: setting.environmentVariable
                    case .file, .default: "\(configuration.configFilePath) line \(fileValues[setting.key]?.line ?? 0)"
                    }
                throw TMWSError(.configuration, "\(origin): \(setting.key): \(error.message)", field: setting.key)
            }
            sources[setting.key] = source
        }

        let settings =
            [
                EffectiveSetting(
                    key: "home", environmentVariable: "TMWS_HOME", value: home,
                    source: environment["TMWS_HOME"].map { $0.isEmpty ? .default : .environment } ?? .default)
            ]
            + Self.settings.map { setting in
                EffectiveSetting(
                    key: setting.key, environmentVariable: setting.environmentVariable,
                    value: setting.isSecret ? Self.mask(setting.show(configuration)) : setting.show(configuration),
                    source: sources[setting.key] ?? .default
                )
            }
        return ResolvedConfiguration(configuration: configuration, settings: settings)
    }

    /// Shows that a secret is set without showing it.
    static func mask(_ value: String) -> String {
        value.isEmpty ? "(unset)" : "********"
    }

    private func readFile(_ path: String) throws -> [String: (value: TOMLValue, line: Int)] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TMWSError(.configuration, "cannot read the config file \(path)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TMWSError(.configuration, "the config file \(path) is not valid UTF-8")
        }
        let values: [String: (value: TOMLValue, line: Int)]
        do {
            values = try TOMLSubset.parseLocated(text)
        } catch let error as TOMLSubset.SyntaxError {
            throw TMWSError(.configuration, "the config file \(path) is not valid TOML: \(error)")
        }
        let known = Set(Self.settings.map(\.key))
        if let (unknown, entry) = values.filter({ !known.contains($0.key) }).min(by: { $0.value.line < $1.value.line }) {
            throw TMWSError(
                .configuration,
                "the config file \(path) line \(entry.line) has an unknown key '\(unknown)'; known keys: \(known.sorted().joined(separator: ", "))"
            )
        }
        return values
    }

    /// A hint for a number or boolean written in quotes in the file.
    private static func unquote(_ value: TOMLValue) -> String {
        if case .string = value { return " (in config.toml, write numbers and true/false without quotes)" }
        return ""
    }

    private static func string(_ value: TOMLValue, _ key: String) throws -> String {
        switch value {
        case .string(let text), .unparsed(let text): return text
        default: throw TMWSError(.invalidInput, "expected a string, got \(value.typeName)")
        }
    }

    /// An `http` or `https` URL with a host.
    private static func httpURL(_ text: String, _ key: String) throws -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw TMWSError(.invalidInput, "\(key) must be an http:// or https:// URL")
        }
        return text
    }

    private static func integer(_ value: TOMLValue, _ key: String, in range: ClosedRange<Int>) throws -> Int {
        let number: Int?
        switch value {
        case .integer(let integer): number = integer
        case .unparsed(let text): number = Int(text.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number else { throw TMWSError(.invalidInput, "expected an integer, got \(value.typeName)\(Self.unquote(value))") }
        guard range.contains(number) else {
            throw TMWSError(.invalidInput, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    /// A number from 0 to 1.
    private static func fraction(_ value: TOMLValue, _ key: String) throws -> Double {
        let number: Double?
        switch value {
        case .float(let float): number = float
        case .integer(let integer): number = Double(integer)
        case .unparsed(let text): number = Double(text.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number, number.isFinite else {
            throw TMWSError(.invalidInput, "expected a number from 0 to 1, got \(value.typeName)\(Self.unquote(value))")
        }
        guard (0...1).contains(number) else { throw TMWSError(.invalidInput, "must be between 0 and 1, got \(number)") }
        return number
    }

    /// `true`/`false` (TOML), or from the environment `true`, `false`, `1`, `0`, `yes`, `no`, `on`, `off`.
    private static func boolean(_ value: TOMLValue, _ key: String) throws -> Bool {
        switch value {
        case .boolean(let flag): return flag
        case .unparsed(let text):
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off", "": return false
            default: break
            }
        default: break
        }
        throw TMWSError(.invalidInput, "expected true or false, got \(value.typeName)\(Self.unquote(value))")
    }

    /// Host names: a TOML array of strings, or one comma-separated string (the environment).
    private static func hostNames(_ value: TOMLValue) throws -> [String] {
        let names: [String]
        switch value {
        case .string(let text), .unparsed(let text): names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .array(let items):
            names = try items.map { item in
                guard case .string(let text) = item else { throw TMWSError(.invalidInput, "expected an array of strings") }
                return text.trimmingCharacters(in: .whitespaces)
            }
        default: throw TMWSError(.invalidInput, "expected an array of host names, got \(value.typeName)")
        }
        for name in names
        where name.isEmpty || name.count > 253
            || !name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0)) }
            )
        {
            throw TMWSError(.invalidInput, "a host name must be 1–253 characters from A-Z, a-z, 0-9 and . - : [ ]")
        }
        return names.map { $0.lowercased() }
    }

    /// An agent id: an identifier of at most 64 characters (it travels with every cloud
    /// memory it writes) that holds no sensitive data.
    private static func agentIdentifier(_ value: TOMLValue) throws -> String {
        let text = try identifier(value, "agent.id")
        guard text.count <= 64 else { throw TMWSError(.invalidInput, "must be at most 64 characters") }
        guard SensitiveDataDetector().scan(text).isEmpty else {
            throw TMWSError(.invalidInput, "looks like it holds a credential; an agent id travels with every GLOBAL and SHARED memory")
        }
        return text
    }

    private static func identifier(_ value: TOMLValue, _ key: String) throws -> String {
        let text = try string(value, key).trimmingCharacters(in: .whitespaces)
        guard (1...128).contains(text.count),
            text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-:@".unicodeScalars.contains($0)) })
        else {
            throw TMWSError(.invalidInput, "must be 1–128 characters from A-Z, a-z, 0-9 and . _ - : @")
        }
        return text
    }
}
