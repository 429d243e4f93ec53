import Foundation
import TMWSCore
import Testing

/// A peer's numbers are input: every field of a change event from another device is bounded
/// before a node or the hub uses it (issue 18: one event could crash every node of a tenant).
@Suite struct EventBoundsTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    func event(
        operation: ChangeEvent.Operation = .create, version: Int = 1, baseVersion: Int? = nil, clock: HybridTimestamp? = nil,
        device: String = "3f1c0c8e-2f59-4a8e-9d7e-0d2b8f1e6a11", content: String = "Prefer small pull requests",
        createdAt: Date = Date(timeIntervalSince1970: 1_700_000_000), agentID: String = "claude-code", metadata: [String: JSONValue] = [:]
    ) throws -> ChangeEvent {
        let id = try MemoryID(parsing: "0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f")
        let memory = Memory(
            id: id, tenantID: "t", namespace: try Namespace(validating: "n"), scope: .global, content: content, tags: ["x"],
            importance: 0.5, metadata: metadata, agentID: agentID, createdAt: createdAt, updatedAt: HybridTimestamp.wall(Self.now),
            version: version, originDevice: device, expiresAt: nil, accessCount: 0, accessedAt: nil, archived: false, deleted: false
        )
        return ChangeEvent(
            eventID: "0192f8e4-7b2a-7c3d-8e4f-000000000001", operation: operation, memoryID: id, version: version, baseVersion: baseVersion,
            clock: clock ?? HybridTimestamp.wall(Self.now), device: device, memory: operation == .delete ? nil : ReplicatedMemory(memory)
        )
    }

    @Test func aWellFormedEventPasses() throws {
        #expect(try event().refusal(receivedAt: Self.now) == nil)
        #expect(try event(operation: .update, version: 2, baseVersion: 1).refusal(receivedAt: Self.now) == nil)
        // A clock a few minutes ahead (a laptop's drift) is within the bound.
        let ahead = HybridTimestamp.wall(Self.now.addingTimeInterval(300))
        #expect(try event(clock: ahead).refusal(receivedAt: Self.now) == nil)
    }

    @Test func clocksNearOverflowOrFarAheadAreRefused() throws {
        for raw in [Int64.max, Int64.max - 1, HybridTimestamp.wall(Self.now.addingTimeInterval(3600)).rawValue, 0, -5] {
            let refusal = try event(clock: HybridTimestamp(rawValue: raw)).refusal(receivedAt: Self.now)
            #expect(refusal?.contains("hlc") == true, "hlc \(raw)")
        }
    }

    @Test func clockArithmeticNeverTraps() throws {
        let last = HybridTimestamp(rawValue: .max)
        #expect(throws: TMWSError.self) { try HybridTimestamp.next(after: last, now: Self.now) }
        #expect(throws: TMWSError.self) { try HybridTimestamp.receive(last, after: nil, now: Self.now) }
        // Just below the top still ticks.
        #expect(try HybridTimestamp.next(after: HybridTimestamp(rawValue: .max - 1), now: Self.now).rawValue == .max)
    }

    @Test func versionsOutsideTheHubsRangeAreRefused() throws {
        #expect(try event(operation: .update, version: 2_147_483_647, baseVersion: 1).refusal(receivedAt: Self.now) != nil)
        #expect(try event(operation: .update, version: 3, baseVersion: 3).refusal(receivedAt: Self.now) != nil)
        #expect(try event(operation: .update, version: 3, baseVersion: nil).refusal(receivedAt: Self.now) != nil)
        #expect(try event(version: 0).refusal(receivedAt: Self.now) != nil)
    }

    @Test func datesOutsideWhatEveryReplicaHoldsAreRefused() throws {
        let yearOne = try #require(ISO8601.date(from: "0001-01-01T00:00:00Z"))
        #expect(try event(createdAt: yearOne).refusal(receivedAt: Self.now)?.contains("created_at") == true)
        #expect(throws: TMWSError.self) { try MemoryValidator().validateDate(created: yearOne) }
    }

    @Test func fieldsBeyondTheNodesLimitsAreRefused() throws {
        let huge = String(repeating: "a", count: 100_001)
        #expect(try event(content: huge).refusal(receivedAt: Self.now)?.contains("content") == true)
        // Few characters, many bytes: combining marks on one letter.
        let zalgo = String(repeating: "e" + String(repeating: "\u{0301}", count: 50), count: 10_000)
        #expect(zalgo.count <= 100_000)
        #expect(try event(content: zalgo).refusal(receivedAt: Self.now)?.contains("content") == true)
        #expect(try event(metadata: ["k\u{0}": .string("v")]).refusal(receivedAt: Self.now) != nil)
    }

    @Test func idsAndNamesHaveTheirShape() throws {
        #expect(try event(device: "laptop with spaces").refusal(receivedAt: Self.now)?.contains("device") == true)
        #expect(try event(device: String(repeating: "d", count: 65)).refusal(receivedAt: Self.now) != nil)
        #expect(try event(agentID: "agent with spaces").refusal(receivedAt: Self.now)?.contains("agent_id") == true)
    }

    @Test func aRemoteChangeNeverTouchesALocalOrUnknownMemory() throws {
        let delete = try event(operation: .delete, version: 2, baseVersion: 1)
        #expect(delete.refusal(holding: nil) != nil, "a delete of a memory this node never held")
        let update = try event(operation: .update, version: 2, baseVersion: 1)
        #expect(update.refusal(holding: nil) != nil)
        #expect(try event().refusal(holding: nil) == nil, "a create of a new memory")
        let memory = Memory(
            id: delete.memoryID, tenantID: "t", namespace: try Namespace(validating: "n"), scope: .private, content: "mine", tags: [],
            importance: 0.5, metadata: [:], agentID: "cli", createdAt: Self.now, updatedAt: HybridTimestamp.wall(Self.now), version: 1,
            originDevice: "me", expiresAt: nil, accessCount: 0, accessedAt: nil, archived: false, deleted: false
        )
        #expect(delete.refusal(holding: memory)?.contains("PRIVATE") == true)
        var global = memory
        global.scope = .global
        #expect(delete.refusal(holding: global) == nil)
    }

    @Test func everyFieldThatLeavesTheMachineIsClassified() throws {
        let token = "ghp_" + "R2d2C3po4Bb8Ee0Ff1Gg5Hh9Jj7Kk3Mm6Nn2Pq"
        #expect(Caller(clientSuppliedName: token) == nil, "an agent name that holds a token is no name")
        var leaking = try event(agentID: "claude-code")
        leaking.memory?.agentID = token
        #expect(leaking.sensitiveFindings() != nil)
        var reasons = try event()
        reasons.memory?.classification = ClassificationRecord(
            automaticScope: .global, overridden: false, confidence: 0.9, reasons: ["AKIA" + "QYLPMN5HHHFPZAM2"], warnings: [], findingTypes: [],
            knowledgeType: .universal, redacted: false
        )
        #expect(reasons.sensitiveFindings() != nil)
        #expect(try event().sensitiveFindings() == nil)
    }
}
