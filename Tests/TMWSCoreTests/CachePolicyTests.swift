import Foundation
import TMWSCore
import Testing

/// The hot cache's eviction rule: within budget nothing goes; over it the coldest go first
/// (not hot before hot, then least recently used, then least read), down to 95 %.
@Suite struct CachePolicyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func candidate(_ key: Int64, reads: Int = 0, readDaysAgo: Double? = nil, changedDaysAgo: Double, bytes: Int = 100) -> CacheCandidate {
        CacheCandidate(
            key: key, bytes: bytes, reads: reads, lastRead: readDaysAgo.map { now.addingTimeInterval(-$0 * 86_400) },
            changed: now.addingTimeInterval(-changedDaysAgo * 86_400))
    }

    @Test func allModeAndABudgetKeptEvictNothing() {
        let candidates = (0..<10).map { candidate(Int64($0), changedDaysAgo: Double($0)) }
        #expect(CachePolicy().evictions(from: candidates, memories: 1_000_000, bytes: 1 << 40, now: now).isEmpty)
        let hot = CachePolicy(mode: .hot, maximumMemories: 10)
        #expect(hot.evictions(from: candidates, memories: 10, bytes: 1000, now: now).isEmpty)
    }

    @Test func theColdestGoFirstDownToNinetyFivePercent() {
        let policy = CachePolicy(mode: .hot, maximumMemories: 20)
        var candidates = (0..<21).map { candidate(Int64($0), changedDaysAgo: Double($0)) }
        // Old, but read ten times last week: hot, so it outlives every colder one.
        candidates.append(candidate(100, reads: 10, readDaysAgo: 7, changedDaysAgo: 400))
        // Read often, but not within the 30-day window: not hot; its last read is its last use.
        candidates.append(candidate(101, reads: 50, readDaysAgo: 40, changedDaysAgo: 400))
        let chosen = policy.evictions(from: candidates, memories: 23, bytes: 2300, now: now).map(\.key)
        // 23 held, target 19: four go — the stale much-read one, then the three least recently changed.
        #expect(chosen == [101, 20, 19, 18])
    }

    @Test func theThresholdsAreSettings() {
        let reads = CachePolicy(mode: .hot, maximumMemories: 1, hotReads: 3, windowDays: 10)
        let maybeHot = candidate(1, reads: 3, readDaysAgo: 9, changedDaysAgo: 500)
        let cold = candidate(2, changedDaysAgo: 1)
        #expect(reads.isHot(maybeHot, now: now))
        #expect(!reads.isHot(candidate(3, reads: 2, readDaysAgo: 1, changedDaysAgo: 1), now: now))
        #expect(!reads.isHot(candidate(4, reads: 3, readDaysAgo: 11, changedDaysAgo: 1), now: now))
        #expect(reads.evictions(from: [maybeHot, cold], memories: 2, bytes: 0, now: now).map(\.key) == [2])
    }

    @Test func aByteBudgetEvictsByBytes() {
        let policy = CachePolicy(mode: .hot, maximumMemories: 1000, maximumBytes: 1000)
        let candidates = (0..<5).map { candidate(Int64($0), changedDaysAgo: Double(10 - $0), bytes: 400) }
        // 2,000 bytes held, target 950: three of 400 go.
        #expect(policy.evictions(from: candidates, memories: 5, bytes: 2000, now: now).map(\.key) == [0, 1, 2])
    }

    @Test func protectedMemoriesOverTheBudgetLeaveItOver() throws {
        let policy = CachePolicy(mode: .hot, maximumMemories: 2)
        // Ten held, all protected (no candidates): nothing can go.
        #expect(policy.evictions(from: [], memories: 10, bytes: 0, now: now).isEmpty)
        #expect(throws: TMWSError.self) { try CachePolicy.Mode(parsing: "lukewarm") }
        #expect(try CachePolicy.Mode(parsing: "HOT") == .hot)
    }
}
