import Foundation
import GRDB
import Synchronization
import TMWSCore
import TMWSHubDomain
import TMWSSQLite
import TMWSSync
import TMWSTestSupport
import Testing

/// Randomised convergence: simulated devices (each a real SQLite store driven by the real
/// `SyncRunner`) make random creates, updates and deletes with skewed clocks, and sync through
/// the hub's real push and pull (`HubSync`, the PostgreSQL hub's rules) over storage in memory, over a
/// network that partitions, loses push answers (so batches are sent again) and delivers pulled
/// pages again. After the network heals, every device must hold the same memories, and each
/// memory the version the merge rule says wins over every write ever made: nothing lost,
/// nothing duplicated, whatever the interleaving.
///
/// Seeds are fixed (operations, faults, clocks and batch sizes follow them). The suite runs
/// `TMWS_CONVERGENCE_RUNS` seeds (default 300); set it higher for a longer soak.
@Suite struct ConvergenceTests {
    static let runs = ProcessInfo.processInfo.environment["TMWS_CONVERGENCE_RUNS"].flatMap(Int.init) ?? 300

    @Test func devicesConvergeWhateverTheFaults() async throws {
        try await converge(runs: Self.runs, cache: CachePolicy())
    }

    /// The same with every device holding a hot slice of three GLOBAL memories: evicted ones
    /// keep following their versions and deletes, and nothing a device holds diverges.
    @Test func devicesConvergeInHotCacheMode() async throws {
        try await converge(runs: max(1, Self.runs / 3), cache: CachePolicy(mode: .hot, maximumMemories: 3))
    }

    func converge(runs: Int, cache: CachePolicy) async throws {
        var failures: [String] = []
        var totals = Simulation.Totals()
        for seed in 0..<UInt64(runs) {
            var simulation = try Simulation(seed: seed, devices: 2 + Int(seed % 3), cache: cache)
            do {
                try await simulation.run(steps: 60)
                totals.add(simulation.totals)
            } catch {
                failures.append("seed \(seed): \(error)")
            }
            if failures.count >= 3 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        print(
            "convergence (cache \(cache.mode.rawValue)): \(runs) runs, \(totals.writes) writes, \(totals.syncs) syncs, \(totals.faults) injected faults, "
                + "\(totals.conflicts) conflicts kept, all converged: \(failures.isEmpty)"
        )
        #expect(totals.faults > 0 && totals.conflicts > 0, "the runs exercised faults and conflicts")
        if cache.mode == .hot { #expect(totals.evicted > 0, "the runs evicted memories") }
    }
}

/// The hub: its real push and pull (``HubSync``) over storage in memory.
typealias SimulatedHub = HubSync<InMemorySyncRepository>

extension HubSync<InMemorySyncRepository> {
    /// The events the hub logged, in order.
    var log: [ChangeEvent] {
        repository.state.withLock { $0.log }.compactMap { try? ChangeEvent.decode(Data($0.payload.utf8)) }
    }

    /// Each memory's current version on the hub.
    var current: [MemoryID: ChangeEvent] {
        repository.state.withLock { state in
            Dictionary(uniqueKeysWithValues: state.latest.compactMap { key, event in (try? MemoryID(parsing: key)).map { ($0, event) } })
        }
    }
}

/// A device's view of the network, with the faults the simulation sets before each sync.
final class FaultyNetwork: SyncTransport, Sendable {
    struct Faults {
        var partitioned = false
        var losePushAnswer = false
        var redeliverPulls = 0
        var injected = 0
    }

    struct Cut: Error, CustomStringConvertible {
        var description: String { "network cut" }
    }

    let hub: SimulatedHub
    let credential: String
    let faults = Mutex(Faults())
    /// The cursors the hub handed out, oldest first (a page delivered again starts at an
    /// earlier one), and why the hub last refused an event.
    let seen = Mutex<(cursors: [String?], lastRefusal: String?)>(([nil], nil))

    init(hub: SimulatedHub) {
        self.hub = hub
        credential = hub.repository.enroll().credential
    }

    func push(_ events: [OutboxEvent]) async throws -> [PushResult] {
        let (cut, lose) = faults.withLock { faults -> (Bool, Bool) in
            defer { faults.losePushAnswer = false }
            if faults.partitioned || faults.losePushAnswer { faults.injected += 1 }
            return (faults.partitioned, faults.losePushAnswer)
        }
        if cut { throw Cut() }
        let results = try await hub.push(try events.map { try ChangeEvent.decode($0.json) }, credential: credential)
        if let refused = results.last(where: { $0.status == .rejected }) { seen.withLock { $0.lastRefusal = refused.reason } }
        if lose { throw Cut() }  // applied on the hub, but the answer never arrives
        return results
    }

    func pull(cursor: String?, limit: Int) async throws -> PullOutcome {
        let (cut, back) = faults.withLock { faults -> (Bool, Int) in
            let back = faults.redeliverPulls
            faults.redeliverPulls = 0
            if faults.partitioned || back > 0 { faults.injected += 1 }
            return (faults.partitioned, back)
        }
        if cut { throw Cut() }
        // Delivered again: the page after a cursor `back` pages older than the device's.
        let from =
            back == 0
            ? cursor
            : seen.withLock { seen in
                let index = seen.cursors.lastIndex(of: cursor) ?? seen.cursors.count - 1
                return seen.cursors[max(0, index - back)]
            }
        let (page, next) = try await hub.pull(cursor: from, limit: limit, credential: credential)
        seen.withLock { $0.cursors.append(next) }
        return PullOutcome(events: try page.events(), nextCursor: next, hasMore: page.hasMore)
    }

    var lastCursor: String? { seen.withLock { $0.cursors.last ?? nil } }
    var lastRefusal: String? { seen.withLock { $0.lastRefusal } }
}

struct Simulation {
    struct Totals {
        var writes = 0, syncs = 0, faults = 0, conflicts = 0, evicted = 0

        mutating func add(_ other: Totals) {
            evicted += other.evicted
            writes += other.writes
            syncs += other.syncs
            faults += other.faults
            conflicts += other.conflicts
        }
    }

    struct Device {
        let fixture: StoreFixture
        let network: FaultyNetwork
    }

    struct Divergence: Error, CustomStringConvertible {
        var description: String
    }

    let hub = SimulatedHub(repository: InMemorySyncRepository())
    var devices: [Device] = []
    var generator: SplitMix64
    /// Every write made, by memory: the oracle's input.
    var writes: [MemoryID: [Memory]] = [:]
    var totals = Totals()
    static let words = ["tabs", "spaces", "rebase", "merge", "trunk", "release", "review", "deploy", "lint", "cache", "retry", "index"]

    init(seed: UInt64, devices count: Int, cache: CachePolicy) throws {
        generator = SplitMix64(seed: seed &* 0x9E37_79B9 &+ 1)
        for _ in 0..<count {
            // The oracle models the merge rule alone: duplicates are folded in HygieneSyncTests.
            let fixture = try StoreFixture(cache: cache, dedup: .off)
            // Skewed clocks: up to ±2 s apart.
            fixture.clock.advance(by: Double(Int(generator.next() % 4000)) / 1000 - 2)
            devices.append(Device(fixture: fixture, network: FaultyNetwork(hub: hub)))
        }
    }

    mutating func random(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }

    mutating func text() -> String {
        (0..<(2 + random(4))).map { _ in Self.words[random(Self.words.count)] }.joined(separator: " ")
    }

    mutating func run(steps: Int) async throws {
        for _ in 0..<steps {
            let device = devices[random(devices.count)]
            let roll = random(100)
            if roll < 55 {
                try await write(on: device)
            } else if roll < 92 {
                device.network.faults.withLock { faults in
                    faults.partitioned = random(100) < 15
                    faults.losePushAnswer = random(100) < 15
                    faults.redeliverPulls = random(100) < 15 ? 1 + random(4) : 0
                }
                try await sync(device, batch: 1 + random(4), pull: 1 + random(6))
            } else {
                for other in devices { other.fixture.clock.advance(by: Double(random(1500)) / 1000) }
            }
        }
        // The network heals; every device syncs until nothing moves.
        for device in devices { device.network.faults.withLock { $0.partitioned = false } }
        for _ in 0..<3 {
            for device in devices { try await sync(device, batch: 50, pull: 50) }
        }
        for device in devices { totals.faults += device.network.faults.withLock { $0.injected } }
        try await check()
    }

    mutating func write(on device: Device) async throws {
        device.fixture.clock.advance(by: Double(random(50)) / 1000)
        let service = device.fixture.service
        let known = Array(writes.keys)
        let roll = random(100)
        do {
            let memory: Memory
            if roll < 35 || known.isEmpty {
                memory = try await service.add(
                    .init(content: text(), scope: .global, tags: [Self.words[random(12)]], importance: random(2) == 0 ? 0.3 : 0.9), by: .cli
                )
            } else if roll < 85 {
                let id = known.sorted { $0.description < $1.description }[random(known.count)]
                memory = try await service.update(id, .init(content: text(), importance: random(3) == 0 ? 0.8 : nil), by: .cli)
            } else {
                let id = known.sorted { $0.description < $1.description }[random(known.count)]
                memory = try await service.delete(id, by: .cli)
            }
            writes[memory.id, default: []].append(memory)
            totals.writes += 1
        } catch let error as TMWSError where error.code == .notFound {
            // Not on this device yet, or deleted: nothing written.
        }
    }

    mutating func sync(_ device: Device, batch: Int, pull: Int) async throws {
        let store = device.fixture.store
        var machine = SyncStateMachine(
            configuration: .init(batchSize: batch, pullLimit: pull, offlineAfterFailures: 1_000), hybridMode: true, cursor: try await store.syncCursor()
        )
        _ = await SyncRunner(store: store, transport: device.network).runOnce(&machine, now: { .zero }, jitter: { 0.5 })
        totals.syncs += 1
    }

    struct Row: Hashable, CustomStringConvertible {
        var deleted: Bool
        var content: String
        var clock: Int64
        var device: String
        /// Evicted by the hot cache: the version without its text.
        var evicted = false

        var description: String {
            deleted ? "deleted@\(clock)/\(device.prefix(8))" : "\(evicted ? "evicted" : "'\(content)'")@\(clock)/\(device.prefix(8))"
        }

        /// The same version, or its evicted form.
        func holds(_ expected: Row) -> Bool {
            evicted ? !deleted && !expected.deleted && content.isEmpty && clock == expected.clock && device == expected.device : self == expected
        }
    }

    func rows(_ device: Device) async throws -> [String: Row] {
        let pool = try DatabasePool(path: device.fixture.directory.file("tmws.db"))
        return try await pool.read { db in
            var rows: [String: Row] = [:]
            for row in try GRDB.Row.fetchAll(db, sql: "SELECT id, deleted, content, updated_hlc, origin_device, evicted FROM memory") {
                rows[row[0]] = Row(deleted: row[1], content: row[2], clock: row[3], device: row[4], evicted: row[5])
            }
            return rows
        }
    }

    /// What was written to a memory and what the hub logged of it (ids, operations and
    /// versions only): enough to replay a failure by hand, since ids and task order vary.
    func history(of id: MemoryID) -> String {
        let devicesByOrigin = Dictionary(devices.enumerated().map { ($1.fixture.store.deviceID, $0) }, uniquingKeysWith: { first, _ in first })
        func who(_ origin: String) -> String { devicesByOrigin[origin].map { "device \($0)" } ?? origin }
        let made = (writes[id] ?? []).map { "\($0.deleted ? "delete" : "write") v\($0.version)@\($0.updatedAt.rawValue) by \(who($0.originDevice))" }
        let log = hub.log
        let logged = log.enumerated().filter { $1.memoryID == id }.map {
            "#\($0) \($1.operation.rawValue) v\($1.version) base \($1.baseVersion.map(String.init) ?? "-")@\($1.clock.rawValue) by \(who($1.device))"
        }
        let cursors = devices.enumerated().map { "device \($0): \($1.network.lastCursor ?? "none")" }
        return
            "writes [\(made.joined(separator: ", "))]; hub log [\(logged.joined(separator: ", "))] of \(log.count); cursors [\(cursors.joined(separator: ", "))]"
    }

    mutating func check() async throws {
        for (index, device) in devices.enumerated() {
            let pending = try await device.fixture.store.pendingEventCount()
            guard pending == 0 else {
                throw Divergence(
                    description: "device \(index) still has \(pending) pending events (the hub last refused: \(device.network.lastRefusal ?? "nothing"))")
            }
            totals.conflicts += try await device.fixture.store.conflicts().count
            // What the hot cache holds stays within its budget, but for what it must keep.
            _ = try await device.fixture.store.enforceCache()
            let cache = try await device.fixture.store.cacheStatus()
            if cache.policy.mode == .hot, cache.heldMemories > max(cache.policy.maximumMemories, cache.protectedMemories) {
                throw Divergence(description: "device \(index) holds \(cache.heldMemories) GLOBAL memories, over its budget")
            }
            totals.evicted += cache.evictedMemories
            guard try await device.fixture.store.checkIntegrity().ok else { throw Divergence(description: "device \(index) fails its integrity check") }
        }
        let held = try await devices.asyncMap { try await rows($0) }
        for (id, made) in writes {
            let winner = made.max { ReplicaVersion($0) < ReplicaVersion($1) }!
            let expected = Row(deleted: winner.deleted, content: winner.content, clock: winner.updatedAt.rawValue, device: winner.originDevice)
            for (index, rows) in held.enumerated() {
                let row = rows[id.description]
                if expected.deleted {
                    // A memory deleted before it ever reached the hub leaves no row elsewhere.
                    guard row == nil || row!.deleted else {
                        throw Divergence(description: "memory \(id) on device \(index): \(row!) but every write ends in \(expected)")
                    }
                } else if row.map({ !$0.holds(expected) }) ?? true {
                    let refused = try await devices[index].fixture.store.syncSettings().lastPullRefusal.map { " (last refused: \($0))" } ?? ""
                    throw Divergence(
                        description: "memory \(id) on device \(index): \(row.map(String.init(describing:)) ?? "missing"), expected \(expected)\(refused)"
                            + "; \(history(of: id))"
                    )
                }
            }
            if !expected.deleted, hub.current[id].map({ $0.memory?.content }) != expected.content {
                throw Divergence(description: "memory \(id) on the hub differs from \(expected)")
            }
        }
        for (index, rows) in held.enumerated() where rows.count > writes.count {
            throw Divergence(description: "device \(index) holds \(rows.count) memories, \(writes.count) were made")
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
