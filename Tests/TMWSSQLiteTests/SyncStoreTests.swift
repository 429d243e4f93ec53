import Foundation
import GRDB
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

/// The store's side of sync: events in order, acknowledged, and remote changes applied.
@Suite struct SyncStoreTests {
    @Test func pendingEventsComeInOrderWithReplicatedFieldsOnly() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("Our team agreed on trunk-based development", scope: .global, tags: ["git"])
        _ = try await fixture.service.get(memory.id)  // an access: never replicated
        _ = try await fixture.service.update(memory.id, .init(content: "Our team agreed on short-lived branches"), by: .cli)
        _ = try await fixture.add("local only", scope: .project)
        let events = try await fixture.store.pendingEvents(limit: 10).map(\.event)
        #expect(events.map(\.operation) == [.create, .update])
        #expect(events.map(\.version) == [1, 2])
        #expect(events.map(\.baseVersion) == [nil, 1])
        #expect(events.allSatisfy { $0.memoryID == memory.id && $0.device == fixture.store.deviceID && $0.formatVersion == 1 })
        #expect(events[1].memory?.content == "Our team agreed on short-lived branches")
        #expect(events[0].clock < events[1].clock)
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        let payloads = try await pool.read { db in try String.fetchAll(db, sql: "SELECT payload FROM outbox") }
        #expect(payloads.allSatisfy { !$0.contains("access_count") && !$0.contains("accessed_at") })

        try await fixture.store.acknowledge([events[0].eventID, "no-such-event"])
        #expect(try await fixture.store.pendingEvents(limit: 10).map(\.event.eventID) == [events[1].eventID])
        #expect(try await fixture.store.pendingEvents(limit: 0).isEmpty)
    }

    func remoteEvent(_ id: MemoryID, version: Int, clock: HybridTimestamp, content: String?, scope: MemoryScope = .global) -> ChangeEvent {
        ChangeEvent(
            eventID: UUID().uuidString, operation: content == nil ? .delete : (version == 1 ? .create : .update), memoryID: id,
            version: version, baseVersion: version == 1 ? nil : version - 1, clock: clock, device: "laptop-2",
            memory: content.map { text in
                var fields = ReplicatedMemory(
                    Memory(
                        id: id, tenantID: "local", namespace: StoreFixture.namespace, scope: scope, content: text, tags: ["remote"],
                        importance: 0.7, metadata: ["from": .string("hub")], agentID: "claude-code", createdAt: Date(timeIntervalSince1970: 1_700_000_000),
                        updatedAt: clock, version: version, originDevice: "laptop-2", expiresAt: nil, accessCount: 0, accessedAt: nil,
                        archived: false, deleted: false
                    ))
                fields.scope = scope
                return fields
            }
        )
    }

    @Test func remoteChangesAreAppliedSearchableAndMakeNoEvents() async throws {
        let fixture = try StoreFixture()
        let id = MemoryID.generate(at: Date())
        // Ten minutes ahead: a skewed device, within the bound on peers' clocks.
        let future = HybridTimestamp(millis: Int64(fixture.clock.now().timeIntervalSince1970 * 1000) + 600_000, counter: 5)
        #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 1, clock: future, content: "Rotate deploy keys quarterly")) == .applied)
        var hits = try await fixture.service.search(SearchRequest(query: "quarterly", limit: 5))
        #expect(hits.map(\.memory.id) == [id])
        #expect(hits.first?.memory.tags == ["remote"] && hits.first?.memory.originDevice == "laptop-2")
        #expect(try await fixture.store.pendingEvents(limit: 10).isEmpty)

        // The node's clock now orders after the remote one (HLC receive).
        let local = try await fixture.add("a later local note", scope: .global)
        #expect(local.updatedAt > future)

        // An update replaces the text in the index; an old or repeated version is stale.
        let later = HybridTimestamp(rawValue: future.rawValue + 1)
        #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 2, clock: later, content: "Rotate deploy keys monthly")) == .applied)
        #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 2, clock: later, content: "replayed")) == .stale)
        #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 1, clock: future, content: "older")) == .stale)
        hits = try await fixture.service.search(SearchRequest(query: "quarterly", limit: 5))
        #expect(hits.isEmpty)
        #expect(try await fixture.service.get(id).content == "Rotate deploy keys monthly")

        // A delete makes a tombstone.
        #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 3, clock: future, content: nil)) == .applied, "a delete wins over later edits")
        await #expect(throws: TMWSError.self) { try await fixture.service.get(id) }
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    @Test func aRemoteChangeInALocalScopeIsRefused() async throws {
        let fixture = try StoreFixture()
        let event = remoteEvent(MemoryID.generate(at: Date()), version: 1, clock: HybridTimestamp(rawValue: 1), content: "x", scope: .private)
        #expect(try await fixture.store.applyRemote(event) == .refused)
        #expect(try await fixture.service.statistics().total == 0)
    }

    /// Issue 18: one event with a clock near `Int64.max` trapped every node of the tenant, and
    /// `2^63-2` poisoned the stored clock so that every later local write trapped.
    @Test func aPoisonedClockIsRefusedAndThePageGoesOn() async throws {
        let fixture = try StoreFixture()
        let now = HybridTimestamp.wall(fixture.clock.now())
        let poisoned = [Int64.max, Int64.max - 1].map {
            remoteEvent(MemoryID.generate(at: Date()), version: 1, clock: HybridTimestamp(rawValue: $0), content: "poison")
        }
        let good = remoteEvent(MemoryID.generate(at: Date()), version: 1, clock: now, content: "Prefer rebase over merge")
        let outcomes = try await fixture.store.applyRemote(poisoned + [good], cursor: "v1.9.9", conflictThreshold: 1)
        let why = try await fixture.store.syncSetting("pull_refused_last") ?? ""
        #expect(outcomes == [.refused, .refused, .applied], "\(why)")
        #expect(try await fixture.store.syncCursor() == "v1.9.9", "the cursor moves past what was refused")
        #expect(try await fixture.store.syncSetting("pull_refused") == "2")
        #expect(try await fixture.store.syncSetting("pull_refused_last")?.contains("hlc") == true)
        // Local writes, PRIVATE included, go on with a sane clock.
        let local = try await fixture.add("still writable", scope: .private)
        #expect(local.updatedAt.millis < now.millis + 60_000)
    }

    /// Issue 18: a device (or the hub) pushed a delete for any id, and the node removed its own
    /// PRIVATE memory, or one moved from GLOBAL to PRIVATE.
    @Test func remoteChangesNeverTouchLocalOrUnknownMemories() async throws {
        let fixture = try StoreFixture()
        let mine = try await fixture.add("my private note", scope: .private)
        let moved = try await fixture.add("Prefer small commits", scope: .global)
        _ = try await fixture.service.update(moved.id, .init(scope: .private), by: .cli)
        let clock = HybridTimestamp.wall(fixture.clock.now().addingTimeInterval(60))
        for id in [mine.id, moved.id] {
            #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 9, clock: clock, content: nil)) == .refused)
            #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 9, clock: clock, content: "overwritten")) == .refused)
            #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 1, clock: clock, content: "recreated")) == .refused)
        }
        #expect(try await fixture.service.get(mine.id).content == "my private note")
        #expect(try await fixture.service.get(moved.id).content == "Prefer small commits")
        // A delete or update of a memory this node never held changes nothing.
        let unknown = MemoryID.generate(at: Date())
        #expect(try await fixture.store.applyRemote(remoteEvent(unknown, version: 2, clock: clock, content: nil)) == .refused)
        #expect(try await fixture.store.applyRemote(remoteEvent(unknown, version: 2, clock: clock, content: "x")) == .refused)
        #expect(try await fixture.service.statistics().total == 2)
    }

    /// A node whose stored clock a peer already poisoned recovers with `doctor --repair`.
    @Test func aPoisonedStoredClockIsRepaired() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("Prefer small commits", scope: .global)
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        try await pool.write { db in
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'hlc'", arguments: [String(Int64.max)])
            try db.execute(sql: "UPDATE memory SET updated_hlc = ? WHERE id = ?", arguments: [Int64.max, memory.id.description])
        }
        try pool.close()
        await #expect(throws: TMWSError.self) { try await fixture.add("a write on a poisoned clock", scope: .private) }
        #expect(try await fixture.store.checkClock(repair: false).ok == false)
        let repaired = try await fixture.store.checkClock(repair: true)
        #expect(repaired.storedClockAhead && repaired.memoriesAhead == 1)
        #expect(try await fixture.store.checkClock(repair: false).ok)
        let later = try await fixture.add("a write after the repair", scope: .private)
        #expect(later.updatedAt > (try await fixture.service.get(memory.id).updatedAt))
        #expect(later.updatedAt.millis < HybridTimestamp.wall(fixture.clock.now()).millis + 60_000)
    }

    @Test func eventsRoundTripThroughJSONAndUnknownFormatsAreRefused() throws {
        let event = remoteEvent(MemoryID.generate(at: Date()), version: 2, clock: HybridTimestamp(rawValue: 42 << 16), content: "text")
        #expect(try ChangeEvent.decode(event.jsonData()) == event)
        var future = try JSONSerialization.jsonObject(with: event.jsonData()) as! [String: Any]
        future["v"] = 2
        #expect(throws: TMWSError.self) { try ChangeEvent.decode(try JSONSerialization.data(withJSONObject: future)) }
        #expect(throws: TMWSError.self) { try ChangeEvent.decode(Data("{}".utf8)) }
    }

    // MARK: - Issue 19: a SHARED memory is one team's, sealed, and never goes back an epoch

    /// A remote change as the sealing transport hands it over once opened: fields back, its
    /// envelope (here a stand-in) kept, sealed for `team` at `epoch`.
    func opened(_ id: MemoryID, version: Int, clock: HybridTimestamp, content: String?, team: String, epoch: Int) -> ChangeEvent {
        var event = remoteEvent(id, version: version, clock: clock, content: content, scope: .shared)
        event.team = team
        event.sealed = SealedEnvelope(epoch: epoch, header: "h", wrappedKey: "k", ciphertext: "c", signature: "s")
        return event
    }

    func refusedCount(_ fixture: StoreFixture) async throws -> Int { Int(try await fixture.store.syncSetting("pull_refused") ?? "0") ?? 0 }

    @Test func aSharedMemoryStaysInItsTeamSealedAndAboveItsEpochFloor() async throws {
        let fixture = try StoreFixture()
        let (teamA, teamB) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        let id = MemoryID.generate(at: Date())
        var clock = HybridTimestamp.wall(fixture.clock.now())
        func later() -> HybridTimestamp {
            clock = HybridTimestamp(rawValue: clock.rawValue + 1)
            return clock
        }
        #expect(try await fixture.store.applyRemote(opened(id, version: 1, clock: later(), content: "team A's note", team: teamA, epoch: 2)) == .applied)
        // Another team's member (through an honest hub, or a hub) deletes or rewrites it under team B.
        #expect(try await fixture.store.applyRemote(opened(id, version: 2, clock: later(), content: nil, team: teamB, epoch: 5)) == .refused)
        #expect(try await fixture.store.applyRemote(opened(id, version: 2, clock: later(), content: "B's words", team: teamB, epoch: 5)) == .refused)
        // The hub rewrites it in clear.
        #expect(try await fixture.store.applyRemote(remoteEvent(id, version: 2, clock: later(), content: "hub's words", scope: .shared)) == .refused)
        // A removed device's key for epoch 1, older than the version held: not taken.
        #expect(try await fixture.store.applyRemote(opened(id, version: 2, clock: later(), content: nil, team: teamA, epoch: 1)) == .stale)
        #expect(try await fixture.service.get(id).content == "team A's note")
        #expect(try await refusedCount(fixture) == 3)
        #expect(try await fixture.store.applyRemote(opened(id, version: 2, clock: later(), content: "A's edit", team: teamA, epoch: 2)) == .applied)
        #expect(try await fixture.service.get(id).content == "A's edit")

        // A GLOBAL memory never takes a sealed change (a fresh device cannot be made to hold a
        // SHARED id in clear, nor a GLOBAL one sealed).
        let global = MemoryID.generate(at: Date())
        #expect(try await fixture.store.applyRemote(remoteEvent(global, version: 1, clock: later(), content: "Prefer small commits")) == .applied)
        #expect(try await fixture.store.applyRemote(opened(global, version: 2, clock: later(), content: nil, team: teamA, epoch: 2)) == .refused)
        #expect(try await fixture.store.applyRemote(opened(global, version: 2, clock: later(), content: "sealed", team: teamA, epoch: 2)) == .refused)
        #expect(try await fixture.service.get(global).content == "Prefer small commits")
    }

    @Test func thisNodesOwnSharedWritesSetTheEpochFloorTheyWereSealedUnder() async throws {
        let fixture = try StoreFixture()
        let team = UUID().uuidString.lowercased()
        var input = MemoryService.NewMemory(content: "written here after bob left", scope: .shared)
        input.team = team
        let mine = try await fixture.service.add(input, by: .cli)
        // Pushed sealed under epoch 3 (bob was removed at the end of epoch 2).
        try await fixture.store.raiseEpochFloors([mine.id: 3])
        try await fixture.store.raiseEpochFloors([mine.id: 2])
        // Bob's device, keeping epoch 2's key, deletes it through a hub that serves it.
        let clock = HybridTimestamp.wall(fixture.clock.now().addingTimeInterval(60))
        #expect(try await fixture.store.applyRemote(opened(mine.id, version: 2, clock: clock, content: nil, team: team, epoch: 2)) == .stale)
        #expect(try await fixture.service.get(mine.id).content == "written here after bob left")
        #expect(
            try await fixture.store.applyRemote(opened(mine.id, version: 2, clock: clock, content: "an edit under epoch 3", team: team, epoch: 3)) == .applied)
    }

    @Test func aGlobalMemoryDoesNotBecomeSharedAndASharedOneKeepsItsTeam() async throws {
        let fixture = try StoreFixture()
        let global = try await fixture.add("Prefer small commits", scope: .global)
        var toShared = MemoryService.Change(scope: .shared)
        toShared.team = UUID().uuidString.lowercased()
        await #expect(throws: TMWSError.self) { try await fixture.service.update(global.id, toShared, by: .cli) }
        var input = MemoryService.NewMemory(content: "the team's note", scope: .shared)
        input.team = UUID().uuidString.lowercased()
        let shared = try await fixture.service.add(input, by: .cli)
        var move = MemoryService.Change()
        move.team = UUID().uuidString.lowercased()
        await #expect(throws: TMWSError.self) { try await fixture.service.update(shared.id, move, by: .cli) }
        #expect(try await fixture.service.get(shared.id).team == input.team)
        #expect(try await fixture.service.get(global.id).scope == .global)
    }
}
