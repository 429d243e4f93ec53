import Foundation
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

/// Deleted text must be gone from the files, not only from query results: after
/// `prune`, no byte of the database, its WAL or its shared-memory file holds it.
@Suite struct ErasureTests {
    static let marker = "quixotrellium"

    func fileBytes(_ fixture: StoreFixture) -> [(String, Data)] {
        DatabaseFiles.paths(of: fixture.directory.file("tmws.db")).compactMap { path in
            FileManager.default.contents(atPath: path).map { (path, $0) }
        }
    }

    func filesHold(_ word: String, _ fixture: StoreFixture) -> [String] {
        fileBytes(fixture).filter { $0.1.range(of: Data(word.utf8)) != nil }.map(\.0)
    }

    @Test func deletedTextIsGoneFromEveryFileAfterPrune() async throws {
        let fixture = try StoreFixture()
        for index in 0..<200 {
            try await fixture.add("An ordinary note number \(index) about deploys and reviews")
        }
        let local = try await fixture.service.add(
            .init(
                content: "The \(Self.marker) plan stays local", tags: ["\(Self.marker)-tag"],
                metadata: ["note": .string("\(Self.marker) in metadata")]), by: .cli)
        let cloud = try await fixture.add("Our team agreed on the \(Self.marker)x convention", scope: .global)
        let expiring = try await fixture.add("A \(Self.marker)y reminder", ttlDays: 1)
        #expect(!filesHold(Self.marker, fixture).isEmpty)

        _ = try await fixture.service.delete(local.id, by: .cli)
        _ = try await fixture.service.delete(cloud.id, by: .cli)
        fixture.clock.advance(by: 2 * 86_400)
        #expect(try await fixture.service.search(SearchRequest(query: Self.marker, limit: 10)).isEmpty)

        let outcome = try await fixture.service.prune(dryRun: false, by: .cli)
        #expect(outcome.expired == [expiring.id])
        #expect(filesHold(Self.marker, fixture) == [])
        // The rest is intact and still found.
        #expect(try await fixture.service.search(SearchRequest(query: "ordinary", limit: 1000)).count == 200)
        #expect(try await fixture.store.checkIntegrity().ok)
    }
}
