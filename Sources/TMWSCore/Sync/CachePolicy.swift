import Crypto
import Foundation

/// What a node holds of its tenant's GLOBAL memories (roadmap 6.1).
///
/// `all` (the default) holds every one, as a small tenant wants. `hot` holds a bounded slice:
/// the node's own writes, pinned memories, memories with a pending outbox event or an open
/// conflict (never evicted), and of the rest those read at least ``hotReads`` times with the
/// last read inside ``windowDays``, then the most recently used. The rest is evicted: the row
/// keeps the memory's identity and version (so pulled changes and deletes still merge), the
/// hub keeps its text, and hybrid search finds it there.
///
/// SHARED memories are always held whole: the hub stores only their ciphertext and cannot
/// search them, so an evicted SHARED memory could be found nowhere.
package struct CachePolicy: Sendable, Hashable {
    package enum Mode: String, Sendable, Hashable, CaseIterable {
        case all, hot

        /// - Throws: `invalid_input` for anything but `all` or `hot`.
        package init(parsing text: String) throws {
            guard let mode = Mode(rawValue: text.lowercased()) else {
                throw TMWSError(.invalidInput, "the cache mode must be \"all\" or \"hot\"", field: "cache.mode")
            }
            self = mode
        }
    }

    /// Default `all`.
    package var mode: Mode
    /// The most GLOBAL memories held in `hot` mode. Default 20,000.
    package var maximumMemories: Int
    /// The most bytes of GLOBAL text held in `hot` mode. Default 256 MiB.
    package var maximumBytes: Int
    /// Reads that make a memory hot. Default 10 (the roadmap's rule).
    package var hotReads: Int
    /// How recent a hot memory's last read must be, in days. Default 30.
    package var windowDays: Int

    package static let memories: ClosedRange<Int> = 1...100_000_000
    package static let bytes: ClosedRange<Int> = 1...(1 << 50)
    package static let reads: ClosedRange<Int> = 1...1_000_000
    package static let days: ClosedRange<Int> = 1...3650

    package init(mode: Mode = .all, maximumMemories: Int = 20_000, maximumBytes: Int = 256 << 20, hotReads: Int = 10, windowDays: Int = 30) {
        self.mode = mode
        self.maximumMemories = maximumMemories
        self.maximumBytes = maximumBytes
        self.hotReads = hotReads
        self.windowDays = windowDays
    }

    /// Whether the held set is over budget.
    package func isOver(memories: Int, bytes: Int) -> Bool {
        mode == .hot && (memories > maximumMemories || bytes > maximumBytes)
    }

    /// A held memory counts as hot: read often, and lately.
    package func isHot(_ candidate: CacheCandidate, now: Date) -> Bool {
        guard candidate.reads >= hotReads, let lastRead = candidate.lastRead else { return false }
        return now.timeIntervalSince(lastRead) <= Double(windowDays) * 86_400
    }

    /// Which of `candidates` (the held memories that may go) to evict so that the held set
    /// (`memories`, `bytes`, the protected ones included) fits: the coldest first — not hot
    /// before hot, then the least recently used (read or changed), then the least read.
    ///
    /// An eviction goes down to 95 % of each budget, so that the next pages of a pull fit
    /// without another eviction each. When the protected memories alone are over budget, the
    /// cache stays over it (`tmws cache status` says so).
    package func evictions(from candidates: [CacheCandidate], memories: Int, bytes: Int, now: Date) -> [CacheCandidate] {
        guard isOver(memories: memories, bytes: bytes) else { return [] }
        let memoryTarget = maximumMemories - maximumMemories / 20
        let byteTarget = maximumBytes - maximumBytes / 20
        let coldestFirst = candidates.sorted { a, b in
            let (hotA, hotB) = (isHot(a, now: now), isHot(b, now: now))
            if hotA != hotB { return !hotA }
            if a.lastUsed != b.lastUsed { return a.lastUsed < b.lastUsed }
            if a.reads != b.reads { return a.reads < b.reads }
            return a.key < b.key
        }
        var (held, heldBytes) = (memories, bytes)
        var chosen: [CacheCandidate] = []
        for candidate in coldestFirst {
            guard held > memoryTarget || heldBytes > byteTarget else { break }
            chosen.append(candidate)
            held -= 1
            heldBytes -= candidate.bytes
        }
        return chosen
    }
}

/// A held GLOBAL memory the cache may evict, as the policy sees it.
package struct CacheCandidate: Sendable, Hashable {
    /// The store's key for the row (opaque to the policy).
    package var key: Int64
    package var bytes: Int
    package var reads: Int
    package var lastRead: Date?
    package var changed: Date

    package init(key: Int64, bytes: Int, reads: Int, lastRead: Date?, changed: Date) {
        self.key = key
        self.bytes = bytes
        self.reads = reads
        self.lastRead = lastRead
        self.changed = changed
    }

    /// The last read or change, whichever is later.
    package var lastUsed: Date { max(lastRead ?? .distantPast, changed) }
}

/// What the hot cache holds, for `tmws cache status`, `tmws status` and `/metrics`.
package struct CacheStatus: Sendable, Hashable {
    package var policy: CachePolicy
    /// GLOBAL memories held with their text, and its bytes.
    package var heldMemories: Int
    package var heldBytes: Int
    /// GLOBAL memories evicted (identity and version only).
    package var evictedMemories: Int
    package var pinnedMemories: Int
    /// Held memories that may never be evicted: this node's writes, pinned ones, ones with a
    /// pending outbox event or an open conflict.
    package var protectedMemories: Int
    /// GLOBAL memories the hub answered with that were held here (hits) or evicted (misses).
    package var hits: Int
    package var misses: Int

    package init(
        policy: CachePolicy, heldMemories: Int, heldBytes: Int, evictedMemories: Int, pinnedMemories: Int, protectedMemories: Int, hits: Int,
        misses: Int
    ) {
        self.policy = policy
        self.heldMemories = heldMemories
        self.heldBytes = heldBytes
        self.evictedMemories = evictedMemories
        self.pinnedMemories = pinnedMemories
        self.protectedMemories = protectedMemories
        self.hits = hits
        self.misses = misses
    }

    /// `hits / (hits + misses)`, or `nil` before the hub has answered with a GLOBAL memory.
    package var hitRate: Double? {
        hits + misses == 0 ? nil : Double(hits) / Double(hits + misses)
    }

    package var isOverBudget: Bool { policy.isOver(memories: heldMemories, bytes: heldBytes) }
}

/// What an evicted memory's row keeps of the text it let go: a digest of its content, tags and
/// metadata. The hub's copy of the same version must match it to be held again, so a hub
/// cannot swap the text of a version this node has already seen (a new version it can send,
/// as it can to any node; that is a pulled change, checked as one).
package enum EvictedDigest {
    /// Hex SHA-256 over the content, the tags and the metadata (as the store encodes it).
    package static func of(content: String, tags: [String], metadata: String) -> String {
        var hasher = SHA256()
        for field in [content, tags.sorted().joined(separator: "\u{1F}"), metadata] {
            hasher.update(data: Array(field.utf8))
            hasher.update(data: [0x1E])
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
