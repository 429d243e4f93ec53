import ArgumentParser
import TMWSCore
import TMWSHost

/// `tmws memory stats`.
struct MemoryStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Count memories by scope and namespace.")

    @OptionGroup var global: GlobalOptions

    /// The statistics' JSON (as REST and MCP give it) with where the database is.
    struct Output: Encodable {
        var statistics: MemoryStatistics
        var databasePath: String
        var databaseBytes: Int64

        enum CodingKeys: String, CodingKey {
            case databasePath = "database_path"
            case databaseBytes = "database_bytes"
        }

        func encode(to encoder: any Encoder) throws {
            try statistics.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(databasePath, forKey: .databasePath)
            try container.encode(databaseBytes, forKey: .databaseBytes)
        }
    }

    func run() async throws {
        let context = try AppContext(options: global)
        let store = try await context.openStore()
        let stats = try await context.service(store).statistics()
        let output = Output(statistics: stats, databasePath: context.configuration.databasePath, databaseBytes: store.fileSize())
        if global.json {
            try Terminal.printJSON(output)
            return
        }
        print("total memories: \(stats.total)")
        // Where cloud scopes go depends on this node: enrolled and syncing, enrolled with
        // hybrid mode off, or not enrolled at all.
        let enrolled = (try? CloudEnrollment.load(home: context.configuration.home)) != nil
        let cloud =
            switch (enrolled, context.configuration.hybridEnabled) {
            case (true, true): "here and on the hub (synced)"
            case (true, false): "here; waits for sync (hybrid mode is off)"
            case (false, _): "here; waits for sync (not enrolled with a hub)"
            }
        var scopes = TextTable("SCOPE", "MEMORIES", "WHERE")
        for scope in MemoryScope.allCases {
            scopes.append([scope.rawValue, String(stats.byScope[scope] ?? 0), scope.isCloud ? cloud : "this machine"])
        }
        print("\n" + scopes.render())
        if !stats.byNamespace.isEmpty {
            var namespaces = TextTable("NAMESPACE", "MEMORIES")
            for (namespace, count) in stats.byNamespace.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                namespaces.append([namespace.rawValue, String(count)])
            }
            print("\n" + namespaces.render())
        }
        print(
            """

            expired (awaiting prune): \(stats.expired)
            tombstones:               \(stats.tombstones)
            outbox events pending:    \(stats.pendingOutboxEvents)
            audit records:            \(stats.auditRecords)
            database:                 \(output.databasePath) (\(output.databaseBytes) bytes)
            """)
    }
}
