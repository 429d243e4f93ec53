import Foundation
import TMWSCore
import TMWSTestSupport
import Testing

@Suite struct StoreListTests {
    @Test func cursorPagesVisitEveryMemoryOnceNewestFirst() async throws {
        let fixture = try StoreFixture()
        var created: [MemoryID] = []
        for index in 0..<23 {
            fixture.clock.advance(by: 0.01)
            created.append(try await fixture.add("memory \(index)").id)
        }
        var seen: [MemoryID] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await fixture.service.list(ListRequest(limit: 5, cursor: cursor))
            seen += page.memories.map(\.id)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil
        #expect(pages == 5)
        #expect(seen == created.reversed())
    }

    @Test func aMalformedCursorIsRejected() async throws {
        let fixture = try StoreFixture()
        let error = await #expect(throws: TMWSError.self) {
            try await fixture.service.list(ListRequest(cursor: "garbage"))
        }
        #expect(error?.field == "cursor")
    }

    @Test func exportVisitsEveryLiveMemoryInIDOrder() async throws {
        let fixture = try StoreFixture()
        var created: [MemoryID] = []
        for index in 0..<1203 {
            if index % 100 == 0 { fixture.clock.advance(by: 0.01) }
            created.append(try await fixture.add("note \(index)", scope: index % 3 == 0 ? .private : .project).id)
        }
        let collected = Collected()
        try await fixture.store.forEachMemory(filter: MemoryFilter(scopes: [.project])) { memories in
            collected.append(memories.map(\.id))
        }
        let expected = created.enumerated().filter { $0.offset % 3 != 0 }.map(\.element).sorted()
        #expect(collected.ids == expected)
    }
}

final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [MemoryID] = []
    var ids: [MemoryID] { lock.withLock { storage } }
    func append(_ ids: [MemoryID]) { lock.withLock { storage += ids } }
}
