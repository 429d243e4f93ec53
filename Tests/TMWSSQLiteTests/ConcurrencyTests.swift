import Foundation
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

@Suite struct ConcurrencyTests {
    @Test func separateConnectionPoolsOnOneFileLoseNoWrites() async throws {
        let fixture = try StoreFixture()
        let stores = try (0..<4).map { _ in try fixture.reopen() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    for item in 0..<100 {
                        let draft = MemoryDraft(
                            namespace: StoreFixture.namespace, scope: item % 2 == 0 ? .global : .project, content: "writer \(index) item \(item)")
                        let decided = try ScopePolicy().decide(draft, explicitScope: draft.scope, redact: false)
                        _ = try await store.create(decided, by: Caller(agentID: "writer-\(index)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let stats = try await fixture.service.statistics()
        #expect(stats.total == 400)
        #expect(stats.auditRecords == 400)
        #expect(stats.pendingOutboxEvents == 200)
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    /// Two writers on one memory: one keeps writing a secret into it, the other keeps moving
    /// it to GLOBAL. A scope change classified against a version without the secret must
    /// never land on the version with it.
    @Test func aScopeChangeNeverLandsOnContentItWasNotClassifiedFor() async throws {
        let fixture = try StoreFixture()
        let other = MemoryService(store: try fixture.reopen(), clock: fixture.clock, defaultNamespace: StoreFixture.namespace)
        let memory = try await fixture.add("release checklist", scope: .project)
        let secret = "my wifi password is Tr0ub4dor&3"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<150 {
                    let content = round % 2 == 0 ? secret : "release checklist, round \(round)"
                    _ = try? await fixture.service.update(memory.id, .init(content: content), by: Caller(agentID: "writer"))
                }
            }
            group.addTask {
                for round in 0..<150 {
                    let scope: MemoryScope = round % 2 == 0 ? .global : .project
                    guard let moved = try? await other.update(memory.id, .init(scope: scope), by: Caller(agentID: "mover")) else { continue }
                    #expect(!(moved.scope.isCloud && moved.content.contains("Tr0ub4dor")), "round \(round): a secret reached \(moved.scope)")
                }
            }
            try await group.waitForAll()
        }
        let final = try await fixture.service.get(memory.id)
        #expect(!(final.scope.isCloud && final.content.contains("Tr0ub4dor")))
    }
}
