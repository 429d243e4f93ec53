import ArgumentParser
import Foundation
import TMWSCore

/// The fields of a memory that `add` and `update` set.
struct MemoryFieldOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("PRIVATE, PROJECT, SHARED or GLOBAL (default: the classifier decides; sensitive content is always PRIVATE).", valueName: "scope"))
    var scope: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag; repeat for several.", valueName: "tag"))
    var tags: [String] = []

    @Option(help: ArgumentHelp("How important, from 0 to 1 (default 0.5).", valueName: "0-1"))
    var importance: Double?

    @Option(name: .customLong("ttl-days"), help: ArgumentHelp("Expire after this many days (1–3650).", valueName: "days"))
    var ttlDays: Int?

    @Option(help: ArgumentHelp("The project namespace (default: TMWS_NAMESPACE, else detected from git).", valueName: "name"))
    var namespace: String?

    @Option(help: ArgumentHelp("A JSON object of free-form metadata.", valueName: "json"))
    var metadata: String?

    @Flag(help: "With --scope SHARED or GLOBAL: store sensitive data as [REDACTED:type] instead of refusing.")
    var redact = false

    func parsedScope() throws -> MemoryScope? {
        try scope.map(MemoryScope.init(parsing:))
    }

    func parsedNamespace() throws -> Namespace? {
        try namespace.map(Namespace.init(validating:))
    }

    func parsedMetadata() throws -> [String: JSONValue]? {
        guard let metadata else { return nil }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(metadata.utf8)) else {
            throw TMWSError(.invalidInput, "metadata must be a JSON object, such as '{\"source\": \"docs\"}'", field: "metadata")
        }
        return object
    }
}

/// Filters shared by `list` and `search`.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("scope"), help: ArgumentHelp("Only this scope; repeat for several.", valueName: "scope"))
    var scopes: [String] = []

    @Option(help: ArgumentHelp("Only this namespace (default: every namespace).", valueName: "name"))
    var namespace: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("Only memories with this tag; repeat for several.", valueName: "tag"))
    var tags: [String] = []

    @Flag(name: .customLong("all-tags"), help: "Require every --tag instead of any of them.")
    var allTags = false

    @Option(name: .customLong("min-importance"), help: ArgumentHelp("Only memories at least this important.", valueName: "0-1"))
    var minimumImportance: Double?

    @Option(name: .customLong("created-after"), help: ArgumentHelp("Only memories created at or after this time (ISO 8601 or YYYY-MM-DD).", valueName: "time"))
    var createdAfter: String?

    @Option(name: .customLong("created-before"), help: ArgumentHelp("Only memories created before this time.", valueName: "time"))
    var createdBefore: String?

    @Option(name: .customLong("updated-after"), help: ArgumentHelp("Only memories changed at or after this time.", valueName: "time"))
    var updatedAfter: String?

    @Option(name: .customLong("updated-before"), help: ArgumentHelp("Only memories changed before this time.", valueName: "time"))
    var updatedBefore: String?

    @Flag(name: .customLong("include-archived"), help: "Also memories moved to this machine's archive ('tmws archive').")
    var includeArchived = false

    @Flag(name: .customLong("include-superseded"), help: "Also memories a newer memory supersedes ('tmws memory history' shows the chain).")
    var includeSuperseded = false

    func filter() throws -> MemoryFilter {
        func date(_ text: String?, _ name: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = ISO8601.date(from: text) else {
                throw TMWSError(.invalidInput, "--\(name) must be an ISO 8601 time or a YYYY-MM-DD date", field: name)
            }
            return date
        }
        var filter = MemoryFilter(
            scopes: Set(try scopes.map(MemoryScope.init(parsing:))),
            namespace: try namespace.map(Namespace.init(validating:)),
            tags: tags,
            tagMatch: allTags ? .all : .any,
            minimumImportance: minimumImportance,
            createdAfter: try date(createdAfter, "created-after"),
            createdBefore: try date(createdBefore, "created-before"),
            updatedAfter: try date(updatedAfter, "updated-after"),
            updatedBefore: try date(updatedBefore, "updated-before"),
            includeArchived: includeArchived
        )
        filter.includeSuperseded = includeSuperseded
        return filter
    }
}
