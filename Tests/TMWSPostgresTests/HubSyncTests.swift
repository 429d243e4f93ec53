import Foundation
import Logging
import PostgresNIO
import TMWSCore
import TMWSHubDomain
import TMWSPostgres
import Testing

/// The hub's side of sync against a real PostgreSQL: push is idempotent with a result per
/// event, and the pull cursor never skips a change that commits late.
@Suite(.serialized) struct HubSyncTests {
    static let logger = Logger(label: "test")

    /// A tenant with one enrolled device.
    static func device(_ running: TestCluster.Running, _ store: HubStore) async throws -> AuthenticatedDevice {
        try await devices(running, store, count: 1)[0]
    }

    /// A tenant with `count` enrolled devices of one user.
    static func devices(_ running: TestCluster.Running, _ store: HubStore, count: Int) async throws -> [AuthenticatedDevice] {
        let tokens = try await withConnection(running.owner) { db in
            let admin = HubAdmin(connection: db, logger: logger)
            let name = "sync-\(UUID().uuidString.prefix(8))"
            _ = try await admin.createTenant(name: name)
            _ = try await admin.createUser(tenant: name, name: "ann")
            var tokens: [String] = []
            for _ in 0..<count { tokens.append(try await admin.enrollToken(tenant: name, user: "ann").token) }
            return tokens
        }
        var devices: [AuthenticatedDevice] = []
        for (index, token) in tokens.enumerated() {
            let (credential, _) = try await store.enroll(token: token, deviceName: "device-\(index)", agreementKey: nil, signingKey: nil)
            devices.append(try await store.authenticate(credential))
        }
        return devices
    }

    static func memory(_ content: String, scope: MemoryScope = .global, version: Int = 1) throws -> Memory {
        Memory(
            id: MemoryID.generate(at: .now), tenantID: "local", namespace: try Namespace(validating: "p"), scope: scope, content: content,
            tags: ["t"], importance: 0.5, metadata: ["k": .string("v")], agentID: "cli", createdAt: Date(timeIntervalSince1970: 1_767_225_600),
            updatedAt: HybridTimestamp(millis: 1_767_225_600_000, counter: 0), version: version, originDevice: "laptop", expiresAt: nil,
            accessCount: 0, accessedAt: nil, archived: false, deleted: false
        )
    }

    /// A pull from the start once `count` changes are readable. Pull serves only changes below
    /// the oldest running transaction, and other suites share the cluster: a transaction of
    /// theirs left open for a moment holds this tenant's newest changes back until it ends.
    static func settledPull(_ store: HubStore, _ device: AuthenticatedDevice, count: Int) async throws -> PullPage {
        var page = try await store.sync.pull(after: .start, limit: 100, as: device)
        for _ in 0..<200 where page.payloads.count < count {
            try await Task.sleep(for: .milliseconds(50))
            page = try await store.sync.pull(after: .start, limit: 100, as: device)
        }
        return page
    }

    static func withStore(_ body: (TestCluster.Running, HubStore) async throws -> Void) async throws {
        let running = try await TestCluster.shared.start()
        let database = try await HubDatabase.connect(url: running.runtime, maximumConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            try await body(running, HubStore(database: database, logger: logger))
            group.cancelAll()
        }
    }

    @Test func pushIsIdempotentWithAResultPerEvent() async throws {
        try await Self.withStore { running, store in
            let devices = try await Self.devices(running, store, count: 2)
            let (device, desk) = (devices[0], devices[1])
            var memory = try Self.memory("deploys go through staging first")
            let create = try #require(ChangeEvent.forWrite(memory, previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            let previous = memory
            memory.content = "deploys go through staging, then canary"
            memory.version = 2
            memory.updatedAt = HybridTimestamp(rawValue: previous.updatedAt.rawValue + 1)
            let update = try #require(ChangeEvent.forWrite(memory, previous: previous, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            // Made on the same version at the same clock reading on device "desk": it loses to
            // "laptop" by device id, as it would on every node.
            var rival = memory
            rival.content = "a concurrent edit"
            let stale = try #require(ChangeEvent.forWrite(rival, previous: previous, eventID: UUID().uuidString.lowercased(), device: "desk"))
            let shared = try #require(
                ChangeEvent.forWrite(try Self.memory("team note", scope: .shared), previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            let secret = try #require(
                ChangeEvent.forWrite(
                    try Self.memory("the deploy token is ghp_" + "R7dXk2mQ9vLp4sTz8WcY1nBf6HjE3uKa0GqV"),
                    previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop"
                ))
            var results = try await store.sync.push([create, create, update, shared, secret], as: device)
            results.insert(try #require(try await store.sync.push([stale], as: desk).first), at: 3)
            #expect(results.map(\.status) == [.applied, .duplicate, .applied, .conflict, .rejected, .rejected])
            #expect(results[3].currentVersion == 2 && results[3].concurrentWith == update)
            #expect(results[0].concurrentWith == nil && results[2].concurrentWith == nil)
            #expect(results[4].reason?.contains("end-to-end") == true)
            #expect(results[5].reason?.contains("sensitive") == true && results[5].reason?.contains("R7dXk2") == false)
            // One device cannot write in another's name: "desk" is bound to the second device.
            var forged = stale
            forged.eventID = UUID().uuidString.lowercased()
            #expect(try await store.sync.push([forged], as: device).first?.reason?.contains("device") == true)
            // A replay of the whole batch changes nothing.
            #expect(try await store.sync.push([create, update], as: device).map(\.status) == [.duplicate, .duplicate])

            let page = try await Self.settledPull(store, device, count: 2)
            #expect(try page.events().map(\.eventID) == [create.eventID, update.eventID] && !page.hasMore)
            let found = try await store.globalMemory(memory.id.uuid, as: device)
            #expect(found.content == "deploys go through staging, then canary" && found.version == 2)
            #expect(try await store.sync.pull(after: page.nextCursor, limit: 100, as: device).payloads.isEmpty)

            // Another tenant receives nothing.
            let stranger = try await Self.device(running, store)
            #expect(try await store.sync.pull(after: .start, limit: 100, as: stranger).payloads.isEmpty)
        }
    }

    /// Last-writer-wins on the hub: a later concurrent edit replaces the hub's version and
    /// comes back with the version it replaced; a delete wins over a later edit; the hub then
    /// refuses every edit of the tombstone.
    @Test func concurrentChangesAreDecidedAsOnEveryNode() async throws {
        try await Self.withStore { running, store in
            let devices = try await Self.devices(running, store, count: 2)
            let (device, desk) = (devices[0], devices[1])
            let base = try Self.memory("cache TTL is 60 s")
            let create = try #require(ChangeEvent.forWrite(base, previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            func edit(_ content: String, after: Int64, on device: String, previous: Memory = base) throws -> (Memory, ChangeEvent) {
                var memory = previous
                memory.content = content
                memory.version = previous.version + 1
                memory.updatedAt = HybridTimestamp(rawValue: base.updatedAt.rawValue + after)
                memory.originDevice = device
                return (memory, try #require(ChangeEvent.forWrite(memory, previous: previous, eventID: UUID().uuidString.lowercased(), device: device)))
            }
            let (first, early) = try edit("cache TTL is 30 s", after: 5, on: "laptop")
            let (_, later) = try edit("cache TTL is 120 s", after: 9, on: "desk")
            let results = try await store.sync.push([create, early], as: device) + (try await store.sync.push([later], as: desk))
            #expect(results.map(\.status) == [.applied, .applied, .applied])
            #expect(results[1].concurrentWith == nil && results[2].concurrentWith == early)
            #expect(try await store.globalMemory(base.id.uuid, as: device).content == "cache TTL is 120 s")

            var tombstone = first.tombstone(at: HybridTimestamp(rawValue: base.updatedAt.rawValue + 7), by: "cli")
            tombstone.originDevice = "laptop"
            let delete = try #require(ChangeEvent.forWrite(tombstone, previous: first, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            let (_, afterDelete) = try edit("cache TTL is 10 s", after: 50, on: "desk")
            let answers = try await store.sync.push([delete], as: device) + (try await store.sync.push([afterDelete], as: desk))
            #expect(answers.map(\.status) == [.applied, .conflict], "the delete wins over an edit with a later clock")
            await #expect(throws: TMWSError.self) { try await store.globalMemory(base.id.uuid, as: device) }
            let page = try await Self.settledPull(store, device, count: 4)
            #expect(try page.events().map(\.eventID) == [create.eventID, early.eventID, later.eventID, delete.eventID])
        }
    }

    /// A batch is decided in order, event by event, and written at once: a memory created,
    /// edited and deleted in one batch ends as a tombstone; another created and edited ends at
    /// the edit; a delete of a memory the hub never had changes and logs nothing (issue 18: a
    /// device could delete any id on every node) and is taken (a node that deleted a memory
    /// before its create was sent queues the delete alone); a replay is all duplicates.
    @Test func oneBatchCarriesAMemorysWholeLife() async throws {
        try await Self.withStore { running, store in
            let device = try await Self.device(running, store)
            func life(_ content: String) throws -> (Memory, ChangeEvent, Memory, ChangeEvent) {
                let created = try Self.memory(content)
                var edited = created
                edited.content = content + ", edited"
                edited.version = 2
                edited.updatedAt = HybridTimestamp(rawValue: created.updatedAt.rawValue + 1)
                return (
                    created, try #require(ChangeEvent.forWrite(created, previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop")),
                    edited, try #require(ChangeEvent.forWrite(edited, previous: created, eventID: UUID().uuidString.lowercased(), device: "laptop"))
                )
            }
            let (_, createGone, editedGone, editGone) = try life("a short-lived note")
            var tombstone = editedGone.tombstone(at: HybridTimestamp(rawValue: editedGone.updatedAt.rawValue + 1), by: "cli")
            tombstone.originDevice = "laptop"
            let delete = try #require(ChangeEvent.forWrite(tombstone, previous: editedGone, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            let (kept, createKept, _, editKept) = try life("a note that stays")
            let (_, createNever, _, _) = try life("never pushed")
            var neverTombstone = try Self.memory("never pushed")
            neverTombstone.id = createNever.memoryID
            let deleteUnknown = try #require(
                ChangeEvent.forWrite(
                    neverTombstone.tombstone(at: HybridTimestamp(rawValue: neverTombstone.updatedAt.rawValue + 9), by: "cli"), previous: neverTombstone,
                    eventID: UUID().uuidString.lowercased(), device: "laptop"
                ))
            let batch = [createGone, createKept, editGone, editKept, delete]
            let results = try await store.sync.push(batch + [deleteUnknown], as: device)
            #expect(results.map(\.status) == Array(repeating: .applied, count: 5) + [.duplicate])
            #expect(results[5].reason?.contains("nothing to delete") == true)
            await #expect(throws: TMWSError.self) { try await store.globalMemory(createGone.memoryID.uuid, as: device) }
            #expect(try await store.globalMemory(kept.id.uuid, as: device).content == "a note that stays, edited")
            await #expect(throws: TMWSError.self) { try await store.globalMemory(createNever.memoryID.uuid, as: device) }
            let page = try await Self.settledPull(store, device, count: batch.count)
            #expect(try page.events().map(\.eventID) == batch.map(\.eventID), "logged in the batch's order")
            #expect(try await store.sync.push(batch, as: device).map(\.status) == Array(repeating: .duplicate, count: 5))
        }
    }

    /// Issue 18: one device's event could break its whole tenant (a clock near `Int64.max`
    /// crashed every node that pulled it; a version at `Int32.max` or a date in year 1 made
    /// every later push of the memory fail with a 500; a 9.45 MB content blocked every pull).
    /// Each is rejected alone, the rest of the batch is applied, and the memory stays editable.
    @Test func eventsOutOfBoundsAreRejectedOneByOne() async throws {
        try await Self.withStore { running, store in
            let device = try await Self.device(running, store)
            func create(_ content: String) throws -> ChangeEvent {
                try #require(ChangeEvent.forWrite(try Self.memory(content), previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            }
            let good = try create("Prefer small pull requests")
            var poisoned = try create("a clock at the top")
            poisoned.clock = HybridTimestamp(rawValue: .max)
            var bigVersion = good
            (bigVersion.eventID, bigVersion.operation, bigVersion.version, bigVersion.baseVersion) = (UUID().uuidString.lowercased(), .update, 2_147_483_647, 1)
            bigVersion.baseClock = good.clock
            bigVersion.baseDevice = "laptop"
            var ancient = try create("written in year one")
            ancient.memory?.createdAt = try #require(ISO8601.date(from: "0001-01-01T00:00:00Z"))
            var huge = try create("large")
            huge.memory?.content = String(repeating: "large memory ", count: 727_000)
            let results = try await store.sync.push([good, poisoned, bigVersion, ancient, huge], as: device)
            #expect(results.map(\.status) == [.applied, .rejected, .rejected, .rejected, .rejected])
            #expect(results[1].reason?.contains("hlc") == true && results[2].reason?.contains("version") == true)
            #expect(results[3].reason?.contains("created_at") == true && results[4].reason?.contains("content") == true)
            // The memory's next edit goes through.
            var edit = good
            (edit.eventID, edit.operation, edit.version, edit.baseVersion) = (UUID().uuidString.lowercased(), .update, 2, 1)
            (edit.baseClock, edit.baseDevice, edit.clock) = (good.clock, "laptop", HybridTimestamp(rawValue: good.clock.rawValue + 1))
            #expect(try await store.sync.push([edit], as: device).map(\.status) == [.applied])
            let page = try await Self.settledPull(store, device, count: 2)
            #expect(try page.events().map(\.eventID) == [good.eventID, edit.eventID])
        }
    }

    /// Tags reach the hub as they were written, whatever characters a node lets them hold
    /// (no commas or control characters: the hub holds peers to the node's own rules).
    @Test func tagsKeepQuotesBackslashesAndBraces() async throws {
        try await Self.withStore { running, store in
            let device = try await Self.device(running, store)
            var memory = try Self.memory("tags with awkward characters")
            memory.tags = [#"say "hi""#, #"back\slash"#, "{braces:colon}", "NULL", "日本語", " spaced "]
            let event = try #require(ChangeEvent.forWrite(memory, previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            #expect(try await store.sync.push([event], as: device).map(\.status) == [.applied])
            #expect(try await store.globalMemory(memory.id.uuid, as: device).tags == memory.tags)
        }
    }

    /// Transaction ids order as numbers, not as text: changes committed on both sides of a
    /// power of ten (…998, 999, 1000, 1001…) all come back, in order, page by page.
    @Test func theCursorFollowsTransactionIDsAcrossAPowerOfTen() async throws {
        try await Self.withStore { running, store in
            let device = try await Self.device(running, store)
            let db = try await running.owner.connect()
            func currentXID() async throws -> UInt64 {
                for try await xid in try await db.query("SELECT pg_current_xact_id()::text", logger: Self.logger).decode(String.self) {
                    return UInt64(xid)!
                }
                throw TMWSError(.storage, "no xid")
            }
            // Other suites share the cluster and spend transaction ids too: when they spend the
            // last few before the pushes, the pushes all land past the power of ten, and the
            // attempt is made again at the next one.
            var straddled = false
            for _ in 0..<5 where !straddled {
                let start = try await store.sync.pull(after: .start, limit: 1000, as: device).nextCursor
                // Spend transaction ids until the next power of ten is three away.
                var xid = try await currentXID()
                var power: UInt64 = 10
                while power <= xid + 8 { power *= 10 }
                while xid < power - 3 { xid = try await currentXID() }
                var pushed: [String] = []
                for index in 0..<6 {
                    let event = try #require(
                        ChangeEvent.forWrite(
                            try Self.memory("note \(index) around a power of ten"), previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop"
                        ))
                    #expect(try await store.sync.push([event], as: device).map(\.status) == [.applied])
                    pushed.append(event.eventID)
                }
                var cursor = start
                var pulled: [String] = []
                var xids: [UInt64] = []
                for _ in 0..<200 where pulled.count < pushed.count {
                    let page = try await store.sync.pull(after: cursor, limit: 1, as: device)
                    pulled += try page.events().map(\.eventID)
                    if !page.payloads.isEmpty { xids.append(page.nextCursor.transaction) }
                    cursor = page.nextCursor
                    if !page.hasMore, pulled.count < pushed.count { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(pulled == pushed)
                straddled = xids.contains { $0 < power } && xids.contains { $0 >= power }
            }
            await db.closeAndWait()
            #expect(straddled, "no attempt's pushes straddled a power of ten")
        }
    }

    /// Two writers: the first inserts, the second inserts and commits, then the first
    /// commits. A reader following plain sequence numbers moves past the first row before it
    /// is visible and never sees it; the hub's cursor holds back until it can see both.
    @Test func theCursorNeverSkipsAChangeThatCommitsLate() async throws {
        try await Self.withStore { running, store in
            let device = try await Self.device(running, store)
            let context = device.context
            func append(_ db: PostgresConnection) async throws -> UUID {
                let event = try #require(ChangeEvent.forWrite(try Self.memory("x"), previous: nil, eventID: UUID().uuidString.lowercased(), device: "d"))
                let id = UUID(uuidString: event.eventID)!
                try await db.query(
                    """
                    INSERT INTO tmws.change_log (tenant_id, event_id, memory_id, operation, version, hlc, device_id, payload)
                    VALUES (\(context.tenantID), \(id), \(event.memoryID.uuid), 'create', 1, 1, \(device.deviceID),
                            \(String(decoding: event.jsonBytes(), as: UTF8.self))::jsonb)
                    """,
                    logger: Self.logger
                )
                return id
            }
            let start = try await store.sync.pull(after: .start, limit: 1000, as: device).nextCursor
            let (early, late) = (try await running.runtime.connect(), try await running.runtime.connect())
            let held: PullPage
            let first: UUID
            let second: UUID
            do {
                for db in [early, late] {
                    try await db.query("BEGIN", logger: Self.logger)
                    try await db.query(
                        "SELECT set_config('tmws.tenant_id', \(context.tenantID.uuidString.lowercased()), true), set_config('tmws.user_id', \(context.userID!.uuidString.lowercased()), true)",
                        logger: Self.logger
                    )
                }
                first = try await append(early)  // the lower sequence number…
                second = try await append(late)
                try await late.query("COMMIT", logger: Self.logger)  // …commits last

                // A plain sequence cursor: read everything above the last number seen.
                let seen = try await withConnection(running.runtime) { connection in
                    try await HubDatabase.withTenant(context, on: connection, logger: Self.logger) { db in
                        try await db.query("SELECT event_id, seq FROM tmws.change_log WHERE event_id IN (\(first), \(second))", logger: Self.logger)
                            .decode((UUID, Int64).self).collect()
                    }
                }
                #expect(seen.map(\.0) == [second])
                let plainCursor = seen.map(\.1).max() ?? 0

                // The hub's cursor shows nothing yet: an older transaction is still open.
                held = try await store.sync.pull(after: start, limit: 1000, as: device)
                #expect(try !held.events().map(\.eventID).contains(second.uuidString.lowercased()))

                try await early.query("COMMIT", logger: Self.logger)
                await early.closeAndWait()
                await late.closeAndWait()
                let afterPlain = try await withConnection(running.runtime) { connection in
                    try await HubDatabase.withTenant(context, on: connection, logger: Self.logger) { db in
                        try await db.query(
                            "SELECT event_id FROM tmws.change_log WHERE seq > \(plainCursor) AND event_id IN (\(first), \(second))", logger: Self.logger
                        ).decode(UUID.self).collect()
                    }
                }
                #expect(afterPlain.isEmpty, "a plain sequence cursor skips the late commit")
            } catch {
                await early.closeAndWait()
                await late.closeAndWait()
                throw error
            }
            let pulled = try await store.sync.pull(after: held.nextCursor, limit: 1000, as: device).events().map(\.eventID)
            #expect(pulled == [first, second].map { $0.uuidString.lowercased() })
        }
    }
}
