import ArgumentParser
import Foundation
import TMWSCore
import TMWSHubClient
import TMWSSQLite

/// `tmws cache`: what this node holds of its tenant's GLOBAL memories (the hot cache).
struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "See and steer which GLOBAL memories this node holds (cache.mode = all or hot).",
        discussion: """
            With cache.mode = all (the default) the node holds every GLOBAL memory of its tenant. With cache.mode = hot it \
            holds at most cache.max_memories (default 20000) and cache.max_bytes of text (default 256 MiB): its own writes, \
            pinned memories and memories with a pending change or an open conflict always; of the rest, memories read at \
            least cache.hot_reads times (default 10) within cache.window_days (default 30) first, then the most recently \
            used. The rest is evicted: its id and version stay (pulled changes and deletes still apply), its text stays on \
            the hub, where hybrid search finds it; offline, the held set is still searched. SHARED memories are always \
            held whole: the hub keeps only their ciphertext and cannot search them.

            The hit rate counts the GLOBAL memories the hub answered searches with: held here (a hit) or evicted (a miss).
            """,
        subcommands: [Status.self, Warm.self, Evict.self, Pin.self, Unpin.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The mode, the budget, what is held and evicted, and the hit rate.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let status = try await AppContext(options: global).openStore().cacheStatus()
            if global.json { return try Terminal.printJSON(StatusResult(status)) }
            for line in Self.lines(status) { print(line) }
        }

        static func lines(_ status: CacheStatus) -> [String] {
            let policy = status.policy
            var lines = ["cache mode: \(policy.mode.rawValue)"]
            let held = "\(status.heldMemories) GLOBAL memories held (\(HubUsageCommand.bytes(Int64(status.heldBytes))))"
            if policy.mode == .hot {
                lines.append(
                    held + ", budget \(policy.maximumMemories) and \(HubUsageCommand.bytes(Int64(policy.maximumBytes)))"
                        + (status.isOverBudget ? " — OVER BUDGET: the memories that may never be evicted exceed it" : ""))
            } else {
                lines.append(held)
            }
            lines.append("\(status.evictedMemories) evicted (held by the hub), \(status.protectedMemories) never evicted, \(status.pinnedMemories) pinned")
            if policy.mode == .all, status.evictedMemories > 0 {
                lines.append(
                    "cache.mode is all, but \(status.evictedMemories) memories were evicted in hot mode: "
                        + "'tmws cache warm --limit \(min(status.evictedMemories, 10_000))' holds them again")
            }
            let rate = status.hitRate.map { String(format: "%.1f %%", $0 * 100) } ?? "none yet"
            lines.append("hit rate: \(rate) (\(status.hits) hits, \(status.misses) misses)")
            return lines
        }
    }

    struct Warm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold evicted memories again, fetched from the hub: these ids, or the most read evicted ones.")
        @Option(help: ArgumentHelp("Without ids: at most this many (1-10000).", valueName: "n")) var limit = 100
        @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String] = []
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1-10000") }
        }

        func run() async throws {
            let context = try AppContext(options: global)
            let store = try await context.openStore()
            guard let cloud = try context.cloud() else {
                throw TMWSError(.configuration, "warming fetches from the hub: turn hybrid mode on and enroll this node ('tmws cloud enroll')")
            }
            var wanted: [MemoryID] = []
            for id in ids.isEmpty ? try await store.evictedMemories(limit: limit) : try ids.map({ try MemoryID(parsing: $0) })
            where !wanted.contains(id) {
                wanted.append(id)
            }
            let evicted = try await store.evictedAmong(wanted)
            var result = WarmResult(notEvicted: wanted.count - evicted.count)
            for id in wanted where evicted.contains(id) {
                do {
                    switch try await store.warm(try await cloud.globalMemory(id)) {
                    case .held: result.warmed += 1
                    case .stale, .refused, .notEvicted, .kept: result.refused += 1
                    case .mismatch: result.mismatched += 1
                    }
                } catch let error as TMWSError where error.code == .notFound {
                    result.goneFromHub += 1
                }
            }
            if global.json { return try Terminal.printJSON(result) }
            print("held \(result.warmed) memories again")
            if result.notEvicted > 0 { print("\(result.notEvicted) were not evicted here") }
            if result.refused > 0 { print("\(result.refused) were refused: the hub's copy was older than this node's or out of bounds") }
            if result.mismatched > 0 {
                print("\(result.mismatched) were REFUSED: the hub served another text for a version this node has seen (check the hub)")
            }
            if result.goneFromHub > 0 { print("\(result.goneFromHub) are not on the hub any more (a later pull removes them)") }
        }
    }

    struct Evict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evict these GLOBAL memories now, or (without ids) bring the held set within its budget.")
        @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String] = []
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await AppContext(options: global).openStore()
            let evicted = ids.isEmpty ? try await store.enforceCache() : try await store.evict(try ids.map { try MemoryID(parsing: $0) })
            if global.json { return try Terminal.printJSON(["evicted": evicted]) }
            print("evicted \(evicted) memories")
            if !ids.isEmpty, evicted < ids.count {
                print("\(ids.count - evicted) were passed over: not held GLOBAL memories, or never evicted (own, pinned, pending or in conflict)")
            }
        }
    }

    struct Pin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold memories on this node: never evicted from its cache, never archived here ('tmws memory pin' pins everywhere).")
        @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String]
        @OptionGroup var global: GlobalOptions

        func run() async throws { try await CacheCommand.pin(ids, true, global) }
    }

    struct Unpin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let go of memories held on this node.")
        @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String]
        @OptionGroup var global: GlobalOptions

        func run() async throws { try await CacheCommand.pin(ids, false, global) }
    }

    static func pin(_ ids: [String], _ pinned: Bool, _ global: GlobalOptions) async throws {
        let parsed = try ids.map { try MemoryID(parsing: $0) }
        let store = try await AppContext(options: global).openStore()
        let changed = try await store.setHeld(parsed, pinned)
        if global.json { return try Terminal.printJSON([pinned ? "pinned" : "unpinned": changed]) }
        print("\(pinned ? "pinned" : "unpinned") \(changed) memories on this node")
        if changed < Set(parsed).count {
            print("\(Set(parsed).count - changed) were already \(pinned ? "pinned" : "unpinned"), not found, or evicted ('tmws cache warm' them first)")
        }
    }

    struct StatusResult: Encodable, Sendable {
        var mode: String
        var heldMemories: Int
        var heldBytes: Int
        var maxMemories: Int
        var maxBytes: Int
        var overBudget: Bool
        var evictedMemories: Int
        var protectedMemories: Int
        var pinnedMemories: Int
        var hits: Int
        var misses: Int
        var hitRate: Double?
        var hotReads: Int
        var windowDays: Int

        init(_ status: CacheStatus) {
            mode = status.policy.mode.rawValue
            heldMemories = status.heldMemories
            heldBytes = status.heldBytes
            maxMemories = status.policy.maximumMemories
            maxBytes = status.policy.maximumBytes
            overBudget = status.isOverBudget
            evictedMemories = status.evictedMemories
            protectedMemories = status.protectedMemories
            pinnedMemories = status.pinnedMemories
            hits = status.hits
            misses = status.misses
            hitRate = status.hitRate
            hotReads = status.policy.hotReads
            windowDays = status.policy.windowDays
        }

        enum CodingKeys: String, CodingKey {
            case mode, hits, misses
            case heldMemories = "held_memories"
            case heldBytes = "held_bytes"
            case maxMemories = "max_memories"
            case maxBytes = "max_bytes"
            case overBudget = "over_budget"
            case evictedMemories = "evicted_memories"
            case protectedMemories = "protected_memories"
            case pinnedMemories = "pinned_memories"
            case hitRate = "hit_rate"
            case hotReads = "hot_reads"
            case windowDays = "window_days"
        }
    }

    struct WarmResult: Encodable {
        var warmed = 0
        var notEvicted = 0
        var refused = 0
        /// The hub served another text for a version this node has seen.
        var mismatched = 0
        var goneFromHub = 0

        enum CodingKeys: String, CodingKey {
            case warmed, refused, mismatched
            case notEvicted = "not_evicted"
            case goneFromHub = "gone_from_hub"
        }
    }
}
