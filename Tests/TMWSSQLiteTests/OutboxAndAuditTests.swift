import Foundation
import GRDB
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

@Suite struct OutboxAndAuditTests {
    func outbox(_ fixture: StoreFixture) async throws -> [(String, String, Int)] {
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT memory_id, operation, version FROM outbox ORDER BY seq").map { ($0[0], $0[1], $0[2]) }
        }
    }

    @Test func onlyCloudScopesReachTheOutbox() async throws {
        let fixture = try StoreFixture()
        let local = try await fixture.add("local", scope: .project)
        _ = try await fixture.add("private", scope: .private)
        let global = try await fixture.add("global", scope: .global)
        let shared = try await fixture.service.add(.init(content: "shared", scope: .shared, team: UUID().uuidString), by: .cli)
        _ = try await fixture.service.update(local.id, .init(importance: 0.9), by: .cli)
        let events = try await outbox(fixture)
        #expect(events.map(\.0) == [global.id.description, shared.id.description])
        #expect(events.map(\.1) == ["create", "create"])
    }

    /// Issue 18: a SHARED memory stored without a team (older versions allowed it) queued an
    /// event no hub takes, and naming a team queued a second stuck one. Naming the team now
    /// replaces the stuck events, with the memory's create (the hub never had it).
    @Test func aTeamGivenToATeamlessSharedMemoryReplacesItsStuckEvents() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.service.add(.init(content: "we squash merge", scope: .shared, team: UUID().uuidString), by: .cli)
        // The state an older version left: no team on the memory or on its queued create.
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        try await pool.write { db in
            try db.execute(sql: "UPDATE memory SET team_id = NULL WHERE id = ?", arguments: [memory.id.description])
            let payload = try #require(try String.fetchOne(db, sql: "SELECT payload FROM outbox WHERE memory_id = ?", arguments: [memory.id.description]))
            var event = try ChangeEvent.decode(payload.utf8)
            event.team = nil
            try db.execute(
                sql: "UPDATE outbox SET payload = ? WHERE memory_id = ?",
                arguments: [String(decoding: event.jsonBytes(), as: UTF8.self), memory.id.description])
        }
        try pool.close()
        let team = UUID().uuidString.lowercased()
        var change = MemoryService.Change()
        change.team = team
        _ = try await fixture.service.update(memory.id, change, by: .cli)
        let events = try await fixture.store.pendingEvents(limit: 10).map(\.event)
        #expect(events.count == 1)
        #expect(events.first?.operation == .create && events.first?.team == team && events.first?.baseVersion == nil)
    }

    @Test func scopeChangesAcrossTheCloudBoundaryAreEvents() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("moving", scope: .project)
        _ = try await fixture.service.update(memory.id, .init(scope: .global), by: .cli)
        _ = try await fixture.service.update(memory.id, .init(content: "moved"), by: .cli)
        _ = try await fixture.service.update(memory.id, .init(scope: .private), by: .cli)
        let global = try await fixture.add("to delete", scope: .global)
        _ = try await fixture.service.delete(global.id, by: .cli)
        var events = try await outbox(fixture)
        // A delete (or a move out of the cloud) supersedes the events still queued for that
        // memory: they hold text that must no longer leave the machine.
        #expect(events.map(\.1) == ["delete", "delete"])
        #expect(events.map(\.2) == [4, 2])
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        let payloads = try await pool.read { db in try String.fetchAll(db, sql: "SELECT payload FROM outbox") }
        #expect(payloads.allSatisfy { !$0.contains("moved") && !$0.contains("to delete") })

        // Without a delete, events stay in order.
        let kept = try await fixture.add("kept", scope: .project)
        _ = try await fixture.service.update(kept.id, .init(scope: .global), by: .cli)
        _ = try await fixture.service.update(kept.id, .init(content: "kept, changed"), by: .cli)
        events = try await outbox(fixture)
        #expect(events.suffix(2).map(\.1) == ["create", "update"])
        #expect(events.suffix(2).map(\.2) == [2, 3])
    }

    @Test func theAuditLogRecordsEveryWriteAndNoContent() async throws {
        let fixture = try StoreFixture()
        let secret = "the launch code is 0000-SECRET"
        let memory = try await fixture.service.add(.init(content: secret, tags: ["confidential-tag"]), by: Caller(agentID: "agent-7"))
        _ = try await fixture.service.update(memory.id, .init(content: secret + " v2", scope: .global), by: .cli)
        _ = try await fixture.service.delete(memory.id, by: .cli)

        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        let rows = try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq") }
        #expect(rows.map { $0["action"] as String } == ["create", "update", "delete"])
        #expect(rows.map { $0["actor"] as String } == ["agent-7", "cli", "cli"])
        #expect(rows[1]["details"] as String == "content,scope:PROJECT->GLOBAL,override:auto=PROJECT")
        let dump = rows.map { $0.description }.joined()
        #expect(!dump.contains("launch code"))
        #expect(!dump.contains("SECRET"))
        #expect(!dump.contains("confidential-tag"))
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    @Test func theAuditLogRefusesChangesAndTamperingIsDetected() async throws {
        let fixture = try StoreFixture()
        try await fixture.add("one")
        try await fixture.add("two")
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        await #expect(throws: DatabaseError.self) {
            try await pool.write { db in try db.execute(sql: "UPDATE audit_log SET actor = 'mallory'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await pool.write { db in try db.execute(sql: "DELETE FROM audit_log") }
        }
        // Someone with the file can drop the trigger; the chain still gives them away.
        try await pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
        }
        let report = try await fixture.store.checkIntegrity()
        #expect(!report.ok)
        #expect(report.checks.first { $0.name == "audit chain" }?.detail == "audit record 1: hash does not match its fields (modified)")
    }

    @Test func aFailingBatchWritesNothing() async throws {
        let fixture = try StoreFixture()
        let good = MemoryDraft(namespace: StoreFixture.namespace, scope: .global, content: "good")
        // Bypasses the validator on purpose: the database's own CHECK rejects it mid-batch.
        let bad = MemoryDraft(namespace: StoreFixture.namespace, scope: .project, content: "bad", importance: 7)
        let decided = try [good, good, bad].map { try fixture.service.policy.decide($0, explicitScope: $0.scope, redact: false) }
        await #expect(throws: TMWSError.self) { try await fixture.store.importBatch(decided, by: .cli) }
        let stats = try await fixture.service.statistics()
        #expect(stats.total == 0)
        #expect(stats.pendingOutboxEvents == 0)
        #expect(stats.auditRecords == 0)
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    @Test func importSkipsIDsThatExist() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("exists")
        let lines = [
            Array(#"{"id": "\#(memory.id)", "content": "exists"}"#.utf8)[...],
            Array(#"{"content": "new one"}"#.utf8)[...],
        ]
        let outcome = try await fixture.service.importLines(lines, by: .cli)
        #expect(outcome == ImportOutcome(imported: 1, skipped: 1))
    }

    @Test func importStopsAtTheFirstBadLineBeforeWritingAnything() async throws {
        let fixture = try StoreFixture()
        let lines = [
            Array(#"{"content": "fine"}"#.utf8)[...],
            Array(#"{"content": "bad", "importance": 3}"#.utf8)[...],
        ]
        let error = await #expect(throws: TMWSError.self) { try await fixture.service.importLines(lines, batchSize: 1, by: .cli) }
        #expect(error?.message == "line 2: importance must be between 0 and 1, got 3.0")
        #expect(try await fixture.service.statistics().total == 0)
    }
}
