import Foundation
import TMWSCore
import Testing

/// The one rule every replica applies to concurrent changes.
@Suite struct SyncMergeTests {
    let id = MemoryID.generate(at: Date(timeIntervalSince1970: 1_767_225_600))

    func event(_ clock: Int64, _ device: String, base: (Int64, String)? = nil, delete: Bool = false, content: String = "text", importance: Double = 0.9)
        -> ChangeEvent
    {
        let fields = ReplicatedMemory(
            Memory(
                id: id, tenantID: "t", namespace: try! Namespace(validating: "ns"), scope: .global, content: content, tags: [], importance: importance,
                metadata: [:], agentID: "cli", createdAt: Date(timeIntervalSince1970: 0), updatedAt: HybridTimestamp(rawValue: clock), version: 1,
                originDevice: device, expiresAt: nil, accessCount: 0, accessedAt: nil, archived: false, deleted: false
            ))
        return ChangeEvent(
            eventID: UUID().uuidString, operation: delete ? .delete : (base == nil ? .create : .update), memoryID: id, version: 2,
            baseVersion: base == nil ? nil : 1, clock: HybridTimestamp(rawValue: clock), device: device, memory: delete ? nil : fields,
            baseClock: base.map { HybridTimestamp(rawValue: $0.0) }, baseDevice: base?.1
        )
    }

    func version(_ clock: Int64, _ device: String, deleted: Bool = false) -> ReplicaVersion {
        ReplicaVersion(clock: HybridTimestamp(rawValue: clock), device: device, deleted: deleted)
    }

    @Test func aChangeOnTheHeldVersionFollowsFromIt() {
        #expect(SyncMerge.decide(event(10, "a"), current: nil) == .takeIncoming(concurrent: false))
        #expect(SyncMerge.decide(event(20, "b", base: (10, "a")), current: version(10, "a")) == .takeIncoming(concurrent: false))
        #expect(SyncMerge.decide(event(10, "a"), current: version(10, "a")) == .same)
    }

    @Test func concurrentChangesAreDecidedByClockThenDevice() {
        // Both made on version (10, a); the held one is (20, b).
        #expect(SyncMerge.decide(event(30, "c", base: (10, "a")), current: version(20, "b")) == .takeIncoming(concurrent: true))
        #expect(SyncMerge.decide(event(15, "c", base: (10, "a")), current: version(20, "b")) == .keepCurrent(concurrent: true))
        #expect(SyncMerge.decide(event(20, "c", base: (10, "a")), current: version(20, "b")) == .takeIncoming(concurrent: true))
        #expect(SyncMerge.decide(event(20, "a", base: (10, "a")), current: version(20, "b")) == .keepCurrent(concurrent: true))
        // The same version number on two devices is not the same version.
        #expect(SyncMerge.decide(event(30, "c", base: (11, "b")), current: version(10, "a")).concurrent)
    }

    @Test func aDeleteWinsOverEveryEditAndADeletedMemoryStaysDeleted() {
        #expect(SyncMerge.decide(event(5, "a", base: (1, "a"), delete: true), current: version(99, "b")) == .takeIncoming(concurrent: true))
        #expect(SyncMerge.decide(event(99, "b", base: (1, "a")), current: version(5, "a", deleted: true)) == .keepCurrent(concurrent: true))
        #expect(SyncMerge.decide(event(50, "b", base: (5, "a")), current: version(5, "a", deleted: true)) == .keepCurrent(concurrent: true))
    }

    @Test func everyArrivalOrderKeepsTheSameWinner() {
        let changes = [
            event(10, "a"), event(20, "b", base: (10, "a")), event(20, "c", base: (10, "a")), event(25, "a", base: (10, "a")),
            event(15, "b", base: (10, "a"), delete: true), event(30, "c", base: (20, "c")),
        ]
        var winners: Set<ReplicaVersion> = []
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var held: ReplicaVersion?
            for change in changes.shuffled(using: &generator) {
                if case .takeIncoming = SyncMerge.decide(change, current: held) { held = change.replicaVersion }
            }
            winners.insert(held!)
        }
        #expect(winners == [version(15, "b", deleted: true)])
    }

    @Test func onlyLiveVersionsWithDifferentContentOfImportantMemoriesAreKeptAsConflicts() {
        let mine = event(20, "a", base: (10, "a"), content: "use tabs", importance: 0.8)
        #expect(SyncConflict.isKept(mine, event(21, "b", base: (10, "a"), content: "use spaces", importance: 0.2), threshold: 0.7))
        #expect(!SyncConflict.isKept(mine, event(21, "b", base: (10, "a"), content: "use tabs"), threshold: 0.7))
        #expect(!SyncConflict.isKept(mine, event(21, "b", base: (10, "a"), delete: true), threshold: 0.7))
        #expect(
            !SyncConflict.isKept(
                event(20, "a", content: "x", importance: 0.5), event(21, "b", content: "y", importance: 0.6), threshold: 0.7
            ))
    }

    @Test func resolvingNamesTheChangeThatMakesTheChosenVersionCurrent() throws {
        let local = event(20, "a", base: (10, "a"), content: "use tabs")
        let remote = event(21, "b", base: (10, "a"), content: "use spaces")
        let conflict = SyncConflict(memoryID: id, local: local, remote: remote, detectedAt: Date())
        #expect(conflict.winner == .remote)
        var current = Memory(
            id: id, tenantID: "t", namespace: try Namespace(validating: "ns"), scope: .global, content: "use spaces", tags: [], importance: 0.9,
            metadata: [:], agentID: "cli", createdAt: Date(), updatedAt: HybridTimestamp(rawValue: 21), version: 2, originDevice: "b",
            expiresAt: nil, accessCount: 0, accessedAt: nil, archived: false, deleted: false
        )
        #expect(try conflict.change(keeping: .remote, mergedContent: nil, current: current) == nil)
        #expect(try conflict.change(keeping: .local, mergedContent: nil, current: current)?.content == "use tabs")
        #expect(
            try conflict.change(keeping: .merged, mergedContent: "tabs in Go, spaces elsewhere", current: current)?.content == "tabs in Go, spaces elsewhere")
        #expect(throws: TMWSError.self) { try conflict.change(keeping: .merged, mergedContent: nil, current: current) }
        #expect(throws: TMWSError.self) { try conflict.change(keeping: .local, mergedContent: "x", current: current) }
        current.updatedAt = HybridTimestamp(rawValue: 30)  // edited since: keeping remote writes it again
        #expect(try conflict.change(keeping: .remote, mergedContent: nil, current: current)?.content == "use spaces")
    }
}
