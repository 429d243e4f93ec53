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
                        let draft = MemoryDraft(namespace: StoreFixture.namespace, scope: item % 2 == 0 ? .global : .project, content: "writer \(index) item \(item)")
                        _ = try await store.create(draft, by: Caller(agentID: "writer-\(index)"))
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
}
