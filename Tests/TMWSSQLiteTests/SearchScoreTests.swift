import Foundation
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

/// Scores are BM25 with an IDF that stays positive, so a word found in most memories still
/// ranks them (FTS5's own floors it at 1e-6, which made every score print as 1e-06).
@Suite struct SearchScoreTests {
    @Test func aWordInEveryMemoryStillRanksThem() async throws {
        let fixture = try StoreFixture()
        try await fixture.add("deploy")
        try await fixture.add("deploy the deploy script, then deploy again")
        try await fixture.add("we deploy on Tuesdays after the review")
        let hits = try await fixture.service.search(SearchRequest(query: "deploy", limit: 10))
        #expect(hits.count == 3)
        #expect(hits.allSatisfy { $0.score > 0.01 }, "\(hits.map(\.score))")
        // More occurrences in a short text rank higher; the scores are strictly ordered.
        #expect(hits.first?.memory.content == "deploy")
        #expect(Set(hits.map(\.score)).count == 3)
    }

    @Test func rarerWordsWeighMore() async throws {
        let fixture = try StoreFixture()
        for index in 0..<20 { try await fixture.add("release notes number \(index)") }
        try await fixture.add("release notes about the rollback drill")
        let hits = try await fixture.service.search(SearchRequest(query: "release rollback", limit: 5))
        #expect(hits.first?.memory.content == "release notes about the rollback drill")
        let common = try await fixture.service.search(SearchRequest(query: "release", limit: 30))
        #expect(common.count == 21 && common.allSatisfy { $0.score > 0 })
    }
}
