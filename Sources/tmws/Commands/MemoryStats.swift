import ArgumentParser
import TMWSCore
import TMWSHost

/// `tmws memory stats`.
struct MemoryStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Count memories by scope and namespace.")

    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        var total: Int
        var byScope: [String: Int]
        var byNamespace: [String: Int]
        var expired: Int
        var tombstones: Int
        var outboxPending: Int
        var auditRecords: Int
        var contentBytes: Int
        var databasePath: String
        var databaseBytes: Int64

        enum CodingKeys: String, CodingKey {
            case total, expired, tombstones
            case byScope = "by_scope"
            case byNamespace = "by_namespace"
            case outboxPending = "outbox_pending"
            case auditRecords = "audit_records"
            case contentBytes = "content_bytes"
            case databasePath = "database_path"
            case databaseBytes = "database_bytes"
        }
    }

    func run() async throws {
        let context = try AppContext(options: global)
        let store = try await context.openStore()
        let stats = try await context.service(store).statistics()
        var byScope: [String: Int] = [:]
        for scope in MemoryScope.allCases {
            byScope[scope.rawValue] = stats.byScope[scope] ?? 0
        }
        let output = Output(
            total: stats.total,
            byScope: byScope,
            byNamespace: Dictionary(uniqueKeysWithValues: stats.byNamespace.map { ($0.key.rawValue, $0.value) }),
            expired: stats.expired,
            tombstones: stats.tombstones,
            outboxPending: stats.pendingOutboxEvents,
            auditRecords: stats.auditRecords,
            contentBytes: stats.contentBytes,
            databasePath: context.configuration.databasePath,
            databaseBytes: store.fileSize()
        )
        if global.json {
            try Terminal.printJSON(output)
            return
        }
        print("total memories: \(output.total)")
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
            scopes.append([scope.rawValue, String(byScope[scope.rawValue] ?? 0), scope.isCloud ? cloud : "this machine"])
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

            expired (awaiting prune): \(output.expired)
            tombstones:               \(output.tombstones)
            outbox events pending:    \(output.outboxPending)
            audit records:            \(output.auditRecords)
            database:                 \(output.databasePath) (\(output.databaseBytes) bytes)
            """)
    }
}
