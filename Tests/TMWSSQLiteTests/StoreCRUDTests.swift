import Foundation
import GRDB
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

@Suite struct StoreCRUDTests {
    @Test func aMemoryRoundTripsThroughCreateAndGet() async throws {
        let fixture = try StoreFixture()
        let created = try await fixture.service.add(
            .init(
                content: "Use WAL mode", scope: .global, tags: ["sqlite", "decision"], importance: 0.9, ttlDays: 30,
                metadata: ["source": .string("review")]),
            by: Caller(agentID: "agent-1")
        )
        #expect(created.version == 1)
        #expect(created.tags == ["decision", "sqlite"])
        #expect(created.agentID == "agent-1")
        #expect(created.namespace == StoreFixture.namespace)
        #expect(created.expiresAt == fixture.clock.now().addingTimeInterval(30 * 86_400))
        #expect(created.originDevice == fixture.store.deviceID)

        let read = try await fixture.service.get(created.id)
        #expect(read.content == "Use WAL mode")
        #expect(read.tags == created.tags)
        #expect(read.metadata == ["source": .string("review")])
        #expect(read.importance == 0.9)
        #expect(read.scope == .global)
        #expect(read.accessCount == 1)
        #expect(read.accessedAt == fixture.clock.now())
        #expect(read.createdAt == created.createdAt)
        #expect(read.updatedAt == created.updatedAt)
    }

    @Test func getCountsEveryAccess() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("counted")
        _ = try await fixture.service.get(memory.id)
        _ = try await fixture.service.get(memory.id)
        #expect(try await fixture.service.get(memory.id).accessCount == 3)
    }

    @Test func updateIncreasesTheVersionAndChecksTheExpectedOne() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("first text", tags: ["a"])
        fixture.clock.advance(by: 60)
        let updated = try await fixture.service.update(
            memory.id, .init(content: "second text", tags: ["b", "c"], expectedVersion: 1), by: .cli
        )
        #expect(updated.version == 2)
        #expect(updated.content == "second text")
        #expect(updated.tags == ["b", "c"])
        #expect(updated.updatedAt > memory.updatedAt)
        #expect(updated.createdAt == memory.createdAt)

        let error = await #expect(throws: TMWSError.self) {
            try await fixture.service.update(memory.id, .init(content: "stale", expectedVersion: 1), by: .cli)
        }
        #expect(error?.code == .versionConflict)
        #expect(error?.message.contains("is at version 2, but version 1 was expected") == true)
        #expect(try await fixture.service.get(memory.id).content == "second text")
    }

    @Test func anUpdateThatChangesNothingKeepsTheVersion() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("same", importance: 0.5)
        let result = try await fixture.service.update(memory.id, .init(importance: 0.5), by: .cli)
        #expect(result.version == 1)
    }

    @Test func anEmptyChangeIsRejected() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("x")
        await #expect(throws: TMWSError.self) { try await fixture.service.update(memory.id, .init(), by: .cli) }
    }

    @Test func deleteLeavesATombstoneWithoutContent() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("forget me please", tags: ["x"])
        let tombstone = try await fixture.service.delete(memory.id, by: .cli)
        #expect(tombstone.deleted)
        #expect(tombstone.version == 2)
        #expect(tombstone.content.isEmpty)

        let error = await #expect(throws: TMWSError.self) { try await fixture.service.get(memory.id) }
        #expect(error?.code == .notFound)
        await #expect(throws: TMWSError.self) { try await fixture.service.delete(memory.id, by: .cli) }
        #expect(try await fixture.service.search(SearchRequest(query: "forget")).isEmpty)
        #expect(try await fixture.service.list(ListRequest()).memories.isEmpty)

        // The text is gone from the file's rows, not just hidden.
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        let stored = try await pool.read { db in try String.fetchAll(db, sql: "SELECT content FROM memory") }
        #expect(stored == [""])
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    @Test func unknownIDsAreNotFound() async throws {
        let fixture = try StoreFixture()
        let id = MemoryID.generate(at: .now)
        let error = await #expect(throws: TMWSError.self) { try await fixture.service.get(id) }
        #expect(error?.message == "memory \(id) not found")
        await #expect(throws: TMWSError.self) { try await fixture.service.update(id, .init(content: "x"), by: .cli) }
        await #expect(throws: TMWSError.self) { try await fixture.service.delete(id, by: .cli) }
    }

    @Test func expiredMemoriesVanishAtOnceAndPruneRemovesThem() async throws {
        let fixture = try StoreFixture()
        let shortLived = try await fixture.add("short lived note", ttlDays: 1)
        let kept = try await fixture.add("long lived note", ttlDays: 10)
        let deleted = try await fixture.add("deleted note")
        _ = try await fixture.service.delete(deleted.id, by: .cli)

        fixture.clock.advance(days: 1)
        await #expect(throws: TMWSError.self) { try await fixture.service.get(shortLived.id) }
        #expect(try await fixture.service.list(ListRequest()).memories.map(\.id) == [kept.id])
        #expect(try await fixture.service.search(SearchRequest(query: "note")).map(\.memory.id) == [kept.id])
        #expect(try await fixture.service.statistics().expired == 1)

        let dryRun = try await fixture.service.prune(dryRun: true, by: .cli)
        #expect(dryRun.expired == [shortLived.id])
        #expect(try await fixture.service.statistics().expired == 1)

        let pruned = try await fixture.service.prune(dryRun: false, by: .cli)
        #expect(pruned.expired == [shortLived.id])
        #expect(pruned.tombstones == 1)
        let stats = try await fixture.service.statistics()
        #expect(stats.expired == 0)
        #expect(stats.tombstones == 0)
        #expect(stats.total == 1)
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    @Test func ttlCanBeChangedAndRemoved() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("ttl", ttlDays: 1)
        let cleared = try await fixture.service.update(memory.id, .init(clearTTL: true), by: .cli)
        #expect(cleared.expiresAt == nil)
        fixture.clock.advance(days: 5)
        #expect(try await fixture.service.get(memory.id).expiresAt == nil)
    }

    @Test func creatingAnExistingIDFails() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("one")
        let draft = MemoryDraft(id: memory.id, namespace: StoreFixture.namespace, scope: .project, content: "two")
        let decided = try fixture.service.policy.decide(draft, explicitScope: nil, redact: false)
        await #expect(throws: TMWSError.self) { try await fixture.store.create(decided, by: .cli) }
    }

    @Test func aNonDatabaseFileIsReportedClearly() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("tmws.db")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: TMWSError.self) {
            try SQLiteMemoryStore(configuration: .init(path: path))
        }
        #expect(error?.message == "the database \(path) is not a SQLite database or is corrupted")
    }
}

@Suite struct SearchIndexRebuildTests {
    @Test func anIndexBuiltDifferentlyIsRebuiltOnOpen() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("rebuild me with データベース")
        // Simulate an index made by another version: wrong definition, empty, old version tag.
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        try await pool.write { db in
            try db.execute(sql: "DROP TABLE memory_fts")
            try db.execute(sql: "CREATE VIRTUAL TABLE memory_fts USING fts5(body, content = '')")
            try db.execute(sql: "UPDATE meta SET value = 'old' WHERE key = 'fts_version'")
        }
        try pool.close()
        let reopened = try fixture.reopen()
        let service = MemoryService(store: reopened, clock: fixture.clock, defaultNamespace: StoreFixture.namespace)
        #expect(try await service.search(SearchRequest(query: "rebuilding")).map(\.memory.id) == [memory.id])
        #expect(try await service.search(SearchRequest(query: "データ")).map(\.memory.id) == [memory.id])
        #expect(try await reopened.checkIntegrity().ok)
    }
}
