import Foundation
import TMWSCore
import Testing

/// Which write makes which sync event: the rule lives in the core, not in a storage adapter.
@Suite struct ChangeEventTests {
    func memory(_ scope: MemoryScope, version: Int = 1, deleted: Bool = false) throws -> Memory {
        Memory(
            id: try MemoryID(parsing: "0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f"), tenantID: "t", namespace: try Namespace(validating: "n"),
            scope: scope, content: deleted ? "" : "text", tags: [], importance: 0.5, metadata: [:], agentID: "a", createdAt: Date(),
            updatedAt: HybridTimestamp(rawValue: Int64(version)), version: version, originDevice: "d", expiresAt: nil,
            accessCount: 3, accessedAt: nil, archived: false, deleted: deleted
        )
    }

    func operation(_ current: Memory, _ previous: Memory?) -> ChangeEvent.Operation? {
        ChangeEvent.forWrite(current, previous: previous, eventID: "e", device: "d")?.operation
    }

    @Test func writesMakeTheEventsOfTheirScopes() throws {
        #expect(operation(try memory(.global), nil) == .create)
        #expect(operation(try memory(.project), nil) == nil)
        #expect(operation(try memory(.global, version: 2), try memory(.project)) == .create)
        #expect(operation(try memory(.shared, version: 2), try memory(.global)) == .update)
        #expect(operation(try memory(.private, version: 2), try memory(.global)) == .delete)
        #expect(operation(try memory(.global, version: 2, deleted: true), try memory(.global)) == .delete)
        #expect(operation(try memory(.project, version: 2), try memory(.private)) == nil)
    }

    @Test func aDeleteCarriesNoFieldsAndAnUpdateItsBase() throws {
        let moved = try #require(ChangeEvent.forWrite(try memory(.private, version: 5), previous: try memory(.global, version: 4), eventID: "e", device: "d"))
        #expect(moved.memory == nil && moved.baseVersion == 4 && moved.version == 5)
        let update = try #require(ChangeEvent.forWrite(try memory(.global, version: 2), previous: try memory(.global), eventID: "e", device: "d"))
        #expect(update.baseVersion == 1 && update.memory?.content == "text")
    }

    @Test func receivingARemoteClockMovesTheLocalOnePastIt() throws {
        let now = Date(timeIntervalSince1970: 1_000)
        let wall = HybridTimestamp(millis: 1_000_000, counter: 0)
        // A remote reading from the future: the next local reading is after it.
        let remote = HybridTimestamp(millis: 2_000_000, counter: 7)
        let received = try HybridTimestamp.receive(remote, after: wall, now: now)
        #expect(received > remote)
        #expect(try HybridTimestamp.next(after: received, now: now) > received)
        // A remote reading from the past changes nothing but the tick.
        #expect(try HybridTimestamp.receive(HybridTimestamp(millis: 10, counter: 0), after: nil, now: now) == wall)
    }
}
