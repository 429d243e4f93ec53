import ArgumentParser
import Foundation
import PostgresNIO
import Synchronization
import TMWSBench
import TMWSCore
import TMWSCrypto
import TMWSHubClient
import TMWSHubDomain
import TMWSPostgres
import TMWSSQLite
import TMWSSync

/// `tmws bench sync`: push, pull and propagation against a real hub and PostgreSQL, with
/// PostgreSQL's own batched-insert rate on this machine as the reference.
struct BenchSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Benchmark sync: push and pull throughput and write-to-visible propagation (starts its own PostgreSQL and hub).",
        discussion: """
            Starts a PostgreSQL cluster in a temporary directory (removed afterwards) and the hub over \
            HTTPS, enrolls two nodes (each a temporary SQLite store), then in one run: (1) the reference, \
            PostgreSQL's raw batched-insert rate: the same rows a push stores (the memory row and its \
            change-log row, with the same columns and indexes) inserted with multi-row INSERTs, one \
            transaction per batch of --batch events; (2) push: node A sends --events GLOBAL memories with \
            the sync engine (outbox, second check, HTTPS, the hub's decisions, acknowledgement), timed \
            until its last batch is acknowledged; (3) pull: node B fetches and applies them; (4) propagation: --samples times, a write on A, an \
            immediate sync on A then on B, timed until the memory is visible on B; (5) the same push and pull for --events SHARED \
            memories of a team of both nodes (sealed on A, opened on B), and the per-memory time to seal and to open one.
            """
    )

    @Option(help: ArgumentHelp("GLOBAL memories node A pushes and node B pulls.", valueName: "n"))
    var events = 10_000

    @Option(help: ArgumentHelp("Events per push (and per reference transaction).", valueName: "n"))
    var batch = SyncStateMachine.Configuration().batchSize

    @Option(help: ArgumentHelp("Write-to-visible propagations to time.", valueName: "n"))
    var samples = 100

    @Flag(name: .long, help: "Print machine-readable JSON instead of a table.")
    var json = false

    func validate() throws {
        guard events >= 1, samples >= 1 else { throw ValidationError("--events and --samples must be at least 1") }
        guard (1...SyncLimits.maximumPushEvents).contains(batch) else {
            throw ValidationError("--batch must be between 1 and \(SyncLimits.maximumPushEvents) (the hub's largest push)")
        }
    }

    struct Report: Encodable {
        var events: Int
        var batch: Int
        var rawInsert: Double
        var push: Double
        var pull: Double
        var pushShareOfRaw: Double
        var propagation: LatencySummary
        var sharedPush: Double
        var sharedPull: Double
        var seal: LatencySummary
        var open: LatencySummary

        enum CodingKeys: String, CodingKey {
            case events, batch, propagation
            case rawInsert = "raw_postgres_insert_events_per_s"
            case push = "push_events_per_s"
            case pull = "pull_events_per_s"
            case pushShareOfRaw = "push_share_of_raw"
            case sharedPush = "shared_push_events_per_s"
            case sharedPull = "shared_pull_events_per_s"
            case seal = "seal_ms"
            case open = "open_ms"
        }
    }

    func run() async throws {
        let (events, batch, samples) = (self.events, self.batch, self.samples)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-bench-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let report = try await BenchHubFixture.run { fixture, _, port in
            let endpoint = try HubEndpoint(url: "https://127.0.0.1:\(port)", caFile: fixture.caFile, pin: nil)
            var identities: [String: (HubIdentity, DeviceKeyPair)] = [:]
            func node(_ name: String) async throws -> (SQLiteMemoryStore, MemoryService, HubCloud) {
                let client = try HubClient(endpoint: endpoint)
                let keys = DeviceKeyPair()
                let (credential, identity) = try await HubCloud.enroll(
                    client: client, token: try await fixture.enrollToken(), deviceName: name, keys: keys.publicKeys
                )
                identities[name] = (identity, keys)
                let store = try SQLiteMemoryStore(configuration: .init(path: directory.appendingPathComponent("\(name).db").path))
                return (
                    store, MemoryService(store: store, defaultNamespace: try Namespace(validating: "bench")), HubCloud(client: client, credential: credential)
                )
            }
            let (storeA, serviceA, cloudA) = try await node("node-a")
            let (storeB, serviceB, cloudB) = try await node("node-b")
            let configuration = SyncStateMachine.Configuration(batchSize: batch)
            let clock = ContinuousClock()
            /// One `sync now`; also when its last event went out (the push phase's end).
            func sync(_ store: SQLiteMemoryStore, _ cloud: any SyncTransport) async throws -> (SyncStateMachine.Report, pushedBy: Duration) {
                var machine = SyncStateMachine(configuration: configuration, hybridMode: true, cursor: try await store.syncCursor())
                let started = clock.now
                let lastPush = Mutex(Duration.zero)
                let outcome = await SyncRunner(store: store, transport: cloud).runOnce(
                    &machine, now: { clock.now - started },
                    progress: { _, pulled in if pulled == 0 { lastPush.withLock { $0 = clock.now - started } } }
                )
                if let problem = outcome.problem { throw TMWSError(.io, "sync failed: \(problem)") }
                return (outcome.report, lastPush.withLock { $0 })
            }

            // Node A's writes, queued in its outbox.
            let lines = try SyntheticCorpus().items(events).map { item in
                ArraySlice(Array(try JSONSerialization.data(withJSONObject: ["content": item.content, "scope": "GLOBAL"])))
            }
            _ = try await serviceA.importLines(lines, by: Caller(agentID: "bench"))
            let queued = try await storeA.pendingEvents(limit: events).map(\.event)

            let rawSeconds = try await rawInsert(queued, batch: batch, fixture: fixture)

            // Push: from the start of node A's sync until its last batch is acknowledged (the
            // rest of that sync pulls A's own changes back, which node B's pull measures).
            let (pushed, pushTime) = try await sync(storeA, cloudA)
            let pushSeconds = pushTime.seconds
            guard pushed.pushed == events else { throw TMWSError(.io, "pushed \(pushed.pushed) of \(events) events") }

            let started = clock.now
            let (pulled, _) = try await sync(storeB, cloudB)
            let pullSeconds = (clock.now - started).seconds
            guard pulled.pulled >= events else { throw TMWSError(.io, "pulled \(pulled.pulled) of \(events) events") }

            var propagation: [Duration] = []
            for index in 0..<samples {
                let started = clock.now
                let memory = try await serviceA.add(.init(content: "propagation probe \(index): deploys freeze on Fridays", scope: .global), by: .cli)
                _ = try await sync(storeA, cloudA)
                _ = try await sync(storeB, cloudB)
                guard (try? await serviceB.get(memory.id)) != nil else { throw TMWSError(.io, "probe \(index) did not reach node B") }
                propagation.append(clock.now - started)
            }
            // SHARED: a team of both devices, made by A; the same number of memories sealed by A
            // as it pushes, opened by B as it pulls.
            func keyring(_ name: String, _ cloud: HubCloud, teams: [HubIdentity.Team]) throws -> HubTeamKeyring {
                var identity = identities[name]!.0
                let keys = identities[name]!.1
                identity.teams = teams
                return try HubTeamKeyring(
                    identity: identity, confirmedTeams: teams.compactMap { UUID(uuidString: $0.id) }, cloud: cloud, records: .inMemory(),
                    unlock: { keys }
                )
            }
            let founder = try keyring("node-a", cloudA, teams: [])
            let team = try await founder.createTeam(named: "bench", identity: identities["node-a"]!.0)
            _ = try await founder.addMember(team.team, user: identities["node-b"]!.0.userName, role: "member")
            let teams = [HubIdentity.Team(id: team.team.uuidString.lowercased(), name: "bench", role: "admin")]
            let sealingA = SealingTransport(base: cloudA, keyring: try keyring("node-a", cloudA, teams: teams))
            let openingB = SealingTransport(base: cloudB, keyring: try keyring("node-b", cloudB, teams: teams))
            let sharedLines = try SyntheticCorpus(seed: 7).items(events).map { item in
                ArraySlice(Array(try JSONSerialization.data(withJSONObject: ["content": item.content, "scope": "SHARED"])))
            }
            _ = try await serviceA.importLines(sharedLines, by: Caller(agentID: "bench"))
            let sharedQueued = try await storeA.pendingEvents(limit: events).map(\.event)
            let (sharedPushed, sharedPushTime) = try await sync(storeA, sealingA)
            guard sharedPushed.pushed == events else { throw TMWSError(.io, "pushed \(sharedPushed.pushed) of \(events) SHARED events") }
            let sharedStarted = clock.now
            let (sharedPulled, _) = try await sync(storeB, openingB)
            let sharedPullSeconds = (clock.now - sharedStarted).seconds
            guard sharedPulled.pulled >= events, (try? await serviceB.get(sharedQueued[0].memoryID)) != nil else {
                throw TMWSError(.io, "pulled \(sharedPulled.pulled) of \(events) SHARED events")
            }

            // One memory at a time, in process: seal (fresh content key, two AES-GCM, Ed25519
            // signature) and open (signature check, two AES-GCM, JSON).
            let author = try await sealingA.keyring.author()
            let (epoch, key) = try await sealingA.keyring.sealingKey(team: team.team)
            let tenant = sealingA.keyring.tenant
            var sealTimes: [Duration] = []
            var openTimes: [Duration] = []
            let authorKeys = identities["node-a"]!.1.publicKeys
            let head = try await sealingA.keyring.logHead(team: team.team)
            for event in sharedQueued.prefix(2000) {
                let started = clock.now
                let sealed = try MemoryEnvelope.seal(event, tenant: tenant, team: team.team, epoch: epoch, key: key, author: author, log: head)
                sealTimes.append(clock.now - started)
                let opening = clock.now
                _ = try await MemoryEnvelope.open(sealed, tenant: tenant, key: { _ in key }, authors: { _, _, _ in [authorKeys] })
                openTimes.append(clock.now - opening)
            }

            let push = Double(events) / pushSeconds
            let raw = Double(events) / rawSeconds
            return Report(
                events: events, batch: batch, rawInsert: raw, push: push, pull: Double(events) / pullSeconds, pushShareOfRaw: push / raw,
                propagation: LatencySummary(propagation), sharedPush: Double(events) / sharedPushTime.seconds,
                sharedPull: Double(events) / sharedPullSeconds, seal: LatencySummary(sealTimes), open: LatencySummary(openTimes)
            )
        }
        if json { return try Terminal.printJSON(report) }
        var table = TextTable("SYNC", "EVENTS/S")
        table.append(["raw PostgreSQL batched insert", String(format: "%.0f", report.rawInsert)])
        table.append(["push (node A → hub)", String(format: "%.0f (%.0f%% of raw)", report.push, report.pushShareOfRaw * 100)])
        table.append(["pull (hub → node B)", String(format: "%.0f", report.pull)])
        table.append(["SHARED push (sealed on A)", String(format: "%.0f (%.0f%% of GLOBAL)", report.sharedPush, report.sharedPush / report.push * 100)])
        table.append(["SHARED pull (opened on B)", String(format: "%.0f (%.0f%% of GLOBAL)", report.sharedPull, report.sharedPull / report.pull * 100)])
        print("\(report.events) GLOBAL and \(report.events) SHARED events, \(report.batch) per push")
        print(table.render())
        var latency = TextTable("PROPAGATION (ms)", "P50", "P95", "P99", "SAMPLES")
        latency.append(latencyRow("write on A → visible on B", report.propagation))
        latency.append(latencyRow("seal one SHARED memory", report.seal))
        latency.append(latencyRow("open one SHARED memory", report.open))
        print(latency.render())
    }

    /// Seconds PostgreSQL takes to store the rows a push of `events` stores — each memory's row
    /// and its change-log row, into tables with the hub's columns and indexes — with multi-row
    /// INSERTs, one transaction per batch, over one connection: the physical reference.
    private func rawInsert(_ events: [ChangeEvent], batch: Int, fixture: BenchHubFixture) async throws -> Double {
        let logger = fixture.logger
        let db = try await fixture.ownerURL.connect(logger: logger)
        do {
            try await db.query("CREATE TABLE bench_memories (LIKE tmws.memories INCLUDING ALL)", logger: logger)
            try await db.query("CREATE TABLE bench_log (LIKE tmws.change_log INCLUDING ALL)", logger: logger)
            let tenant = UUID()
            let owner = UUID()
            let device = UUID()
            let clock = ContinuousClock()
            let started = clock.now
            for start in stride(from: 0, to: events.count, by: batch) {
                let slice = events[start..<min(start + batch, events.count)]
                let ids = slice.map(\.memoryID.uuid)
                let contents = slice.map { $0.memory?.content ?? "" }
                let searchTexts = contents.map(SearchText.indexText)
                let hlcs = slice.map(\.clock.rawValue)
                let eventIDs = slice.map { UUID(uuidString: $0.eventID)! }
                let payloads = slice.map { String(decoding: $0.jsonBytes(), as: UTF8.self) }
                try await db.query("BEGIN", logger: logger)
                try await db.query(
                    """
                    INSERT INTO bench_memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content,
                                                search_text, created_at)
                    SELECT \(tenant), m, 'GLOBAL', \(owner), 'bench', 1, h, 'bench', c, s, now()
                    FROM unnest(\(ids)::uuid[], \(hlcs)::bigint[], \(contents)::text[], \(searchTexts)::text[]) AS t(m, h, c, s)
                    """,
                    logger: logger
                )
                try await db.query(
                    """
                    INSERT INTO bench_log (tenant_id, event_id, memory_id, operation, version, hlc, device_id, payload)
                    SELECT \(tenant), e, m, 'create', 1, h, \(device), p::jsonb
                    FROM unnest(\(eventIDs)::uuid[], \(ids)::uuid[], \(hlcs)::bigint[], \(payloads)::text[]) AS t(e, m, h, p)
                    """,
                    logger: logger
                )
                try await db.query("COMMIT", logger: logger)
            }
            let seconds = (clock.now - started).seconds
            try await db.query("DROP TABLE bench_memories, bench_log", logger: logger)
            await db.closeAndWait()
            return seconds
        } catch {
            await db.closeAndWait()
            throw error
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
