import Foundation
import Logging
import Synchronization
import TMWSCore
import TMWSHubDomain
import TMWSPostgres
import Testing

/// The cold tier: what moves (old, unread, over budget), what a dry run says, reads by id,
/// a node's change to an archived memory, export, restore, and the usage report's cold bytes.
@Suite(.serialized) struct HubArchiveTests {
    static let logger = Logger(label: "test")

    @Test func oldUnreadMemoriesGoColdAndComeBackWhenNeeded() async throws {
        let running = try await TestCluster.shared.start()
        let database = try await HubDatabase.connect(url: running.runtime, maximumConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            let store = HubStore(database: database, logger: Self.logger)
            let device = try #require(try await HubSyncTests.devices(running, store, count: 1).first)
            // Another tenant with old memories of its own: nothing of it may move.
            let neighbour = try #require(try await HubSyncTests.devices(running, store, count: 1).first)
            let theirs = try (0..<5).map { try HubSyncTests.memory("neighbour note \($0)") }
            let theirEvents = theirs.map { ChangeEvent.forWrite($0, previous: nil, eventID: UUID().uuidString.lowercased(), device: "desk")! }
            #expect(try await store.sync.push(theirEvents, as: neighbour).allSatisfy { $0.status == .applied })
            // 120 memories to age (the eleventh in Japanese), 3 of them read lately, and 8 recent ones.
            var memories: [Memory] = []
            for index in 0..<128 {
                let text = index == 10 ? "バックアップは毎日午前3時に取得している" : "archive note \(index)"
                memories.append(try HubSyncTests.memory(text + " " + String(repeating: UUID().uuidString, count: 8)))
            }
            let events = memories.map { ChangeEvent.forWrite($0, previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop")! }
            #expect(try await store.sync.push(events, as: device).allSatisfy { $0.status == .applied })
            let old = Array(memories.prefix(120))
            let read = Array(old.suffix(3))
            let tenant = try await withConnection(running.owner) { db -> String in
                try await db.query(
                    """
                    UPDATE tmws.memories SET updated_at = now() - interval '800 days', created_at = now() - interval '800 days',
                        read_at = CASE WHEN memory_id = ANY(\(read.map(\.id.uuid))::uuid[]) THEN now() - interval '2 days' END
                    WHERE memory_id = ANY(\(old.map(\.id.uuid))::uuid[])
                    """,
                    logger: Self.logger
                )
                try await db.query(
                    """
                    UPDATE tmws.memories SET updated_at = now() - interval '800 days', created_at = now() - interval '800 days'
                    WHERE memory_id = ANY(\(theirs.map(\.id.uuid))::uuid[])
                    """,
                    logger: Self.logger
                )
                var name = ""
                for try await text in try await db.query("SELECT name FROM tmws.tenants WHERE tenant_id = \(device.tenantID)", logger: Self.logger)
                    .decode(String.self)
                {
                    name = text
                }
                return name
            }
            let tiny = try ArchivePolicy(budgetBytes: 1, minimumAgeDays: 365, batchSize: 50)
            try await withConnection(running.owner) { db in
                let admin = HubAdmin(connection: db, logger: Self.logger)
                // Under its budget, a tenant moves nothing; a dry run says what would move.
                let under = try await admin.archive(tenant: tenant, policy: try ArchivePolicy(budgetBytes: 1 << 40, minimumAgeDays: 365), dryRun: false)
                #expect(!under.overBudget && under.candidates == 117 && under.moved == 0)
                let dry = try await admin.archive(tenant: tenant, policy: tiny, dryRun: true)
                #expect(dry.overBudget && dry.candidates == 117 && dry.moved == 0 && dry.hotBytes > 117 * 250)
                let before = try await admin.usage(tenant: tenant).tenants[0]
                #expect(before.coldBytes == 0 && before.scopes["GLOBAL"]?.rows == 128)

                let run = try await admin.archive(tenant: tenant, policy: tiny, dryRun: false)
                #expect(run.moved == 117 && run.batches == 3 && run.coldBytes > 0 && run.bytesSaved == run.hotBytes - run.coldBytes)
                // Measured as stored (compressed), not as written.
                #expect(run.coldBytes < run.hotBytes, "\(run.coldBytes) cold for \(run.hotBytes) hot")
                let after = try await admin.usage(tenant: tenant).tenants[0]
                // The rows' bytes go; the table's pages stay PostgreSQL's until a vacuum reuses them.
                #expect(after.scopes["GLOBAL"]?.rows == 11 && after.coldBytes > 0)
                #expect((after.tables["memories"]?.bytes ?? 0) + run.hotBytes == before.tables["memories"]?.bytes)
                // Run again: nothing left to move. The neighbour's old memories are all still hot.
                #expect(try await admin.archive(tenant: tenant, policy: tiny, dryRun: false).moved == 0)
                var neighbourRows = 0
                for try await count in try await db.query(
                    "SELECT count(*)::int FROM tmws.memories WHERE tenant_id = \(neighbour.tenantID)", logger: Self.logger
                ).decode(Int.self) {
                    neighbourRows = count
                }
                #expect(neighbourRows == 5)
            }

            // Out of search, still read by id; the memories read lately and the recent ones stay.
            #expect(try await store.searchGlobal("バックアップ", limit: 10, as: device).isEmpty)
            let archived = old[0]
            #expect(try await store.searchGlobal("archive note 0", limit: 100, as: device).allSatisfy { $0.memory.id != archived.id.uuid })
            #expect(try await store.globalMemory(archived.id.uuid, as: device).content == archived.content)
            #expect(try await store.globalMemory(read[0].id.uuid, as: device).content == read[0].content)

            // A node's change to an archived memory brings it back and is taken.
            var changed = archived
            changed.content = "archive note 0, changed on a node"
            changed.version = 2
            changed.updatedAt = HybridTimestamp(millis: 1_767_225_700_000, counter: 0)
            let update = ChangeEvent.forWrite(changed, previous: archived, eventID: UUID().uuidString.lowercased(), device: "laptop")!
            #expect(try await store.sync.push([update], as: device).map(\.status) == [.applied])
            #expect(try await store.globalMemory(archived.id.uuid, as: device).content == changed.content)

            try await withConnection(running.owner) { db in
                let admin = HubAdmin(connection: db, logger: Self.logger)
                let lines = Mutex<[String]>([])
                let exported = try await admin.exportCold(tenant: tenant) { line in lines.withLock { $0.append(line) } }
                #expect(exported == 116 && lines.withLock { $0.count } == 116)
                #expect(lines.withLock { $0 }.allSatisfy { $0.contains("\"memory_id\"") && !$0.contains(archived.id.description) })
                #expect(lines.withLock { $0 }.allSatisfy { line in !theirs.contains { line.contains($0.id.description) } })
                // One by id, then the rest; a memory brought back by the push is not doubled.
                #expect(try await admin.restore(tenant: tenant, ids: [old[1].id.uuid]) == 1)
                #expect(try await admin.restore(tenant: tenant, ids: nil) == 115)
                let usage = try await admin.usage(tenant: tenant).tenants[0]
                #expect(usage.scopes["GLOBAL"]?.rows == 128 && usage.coldBytes == 0)
                // Brought back means read now: the next run leaves them.
                #expect(try await admin.archive(tenant: tenant, policy: tiny, dryRun: false).moved == 0)
                var actions: [String] = []
                for try await action in try await db.query(
                    "SELECT action FROM tmws.audit_log WHERE tenant_id = \(device.tenantID) AND action IN ('archive', 'restore', 'export-cold')",
                    logger: Self.logger
                ).decode(String.self) {
                    actions.append(action)
                }
                #expect(actions.filter { $0 == "archive" }.count == 3 && actions.contains("restore") && actions.contains("export-cold"))
            }
            // Brought back with its search text: Japanese written without spaces is found again.
            #expect(try await store.searchGlobal("毎日午前", limit: 10, as: device).map(\.memory.id) == [old[10].id.uuid])
            // Reads are written down when the hub flushes them.
            _ = try await store.searchGlobal("archive note 5", limit: 1, as: device)
            try await store.flushReads()
            let readAt = try await withConnection(running.owner) { db -> Int in
                var count = 0
                for try await rows in try await db.query(
                    "SELECT count(*)::int FROM tmws.memories WHERE tenant_id = \(device.tenantID) AND read_at > now() - interval '1 minute'",
                    logger: Self.logger
                ).decode(Int.self) {
                    count = rows
                }
                return count
            }
            #expect(readAt >= 1)
            group.cancelAll()
        }
    }
}
