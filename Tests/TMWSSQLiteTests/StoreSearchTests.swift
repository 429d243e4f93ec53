import Foundation
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

@Suite struct StoreSearchTests {
    @Test func resultsAreSortedByScoreWithTheScoreShown() async throws {
        let fixture = try StoreFixture()
        try await fixture.add("postgres postgres postgres tuning notes")
        try await fixture.add("a note that mentions postgres once among many other words about the weather and lunch")
        try await fixture.add("nothing relevant here")
        let hits = try await fixture.service.search(SearchRequest(query: "postgres"))
        #expect(hits.count == 2)
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
        #expect(hits.allSatisfy { $0.score > 0 })
        #expect(hits[0].memory.content.hasPrefix("postgres postgres"))
    }

    @Test func anyWordFallbackHitsSayHowMuchOfTheQueryTheyMatch() async throws {
        let fixture = try StoreFixture()
        for index in 0..<12 { try await fixture.add("team standup notes \(index)") }
        let rare = try await fixture.add("the zebra enclosure")
        let all = try await fixture.store.search(SearchRequest(query: "team standup", limit: 20))
        #expect(all.count == 12 && all.allSatisfy { !$0.partial && $0.coverage == 1 })
        // No memory has all three words: the fallback's hits carry their share of the query's
        // IDF, and the one with the rare word covers more than one with a common word.
        let fallback = try await fixture.store.search(SearchRequest(query: "team zebra ostrich", limit: 20))
        let zebra = try #require(fallback.first { $0.memory.id == rare.id })
        let common = try #require(fallback.first { $0.memory.id != rare.id })
        #expect(fallback.allSatisfy { $0.partial })
        #expect(zebra.coverage > common.coverage && common.coverage > 0 && zebra.coverage < 1)
    }

    @Test func englishWordsMatchInflectionsAndPrefixes() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("Deployments are automated with Kubernetes operators")
        for query in [
            "deployment", "deployments", "deploy*", "operator", "operators", "KUBERNETES", "automate",
            "automation", "automating", "kube*", "de*",
        ] {
            let hits = try await fixture.service.search(SearchRequest(query: query))
            #expect(hits.map(\.memory.id) == [memory.id], "query \(query)")
        }
        // Without '*', a word is a word: no prefix matches.
        #expect(try await fixture.service.search(SearchRequest(query: "de")).isEmpty)
        #expect(try await fixture.service.search(SearchRequest(query: "kube")).isEmpty)
    }

    @Test func japaneseTextWithoutSpacesIsSearchable() async throws {
        let fixture = try StoreFixture()
        let migration = try await fixture.add("データベースの移行は来週までに見直す必要がある。")
        let review = try await fixture.add("コードレビューは二人以上に依頼する")
        let tokyo = try await fixture.add("東京オフィスの設計レビュー")
        let cases: [(String, [MemoryID])] = [
            ("移行", [migration.id]),
            ("データベース", [migration.id]),
            ("見直す", [migration.id]),
            ("レビュー", [review.id, tokyo.id]),
            ("設計", [tokyo.id]),
            ("東", [tokyo.id]),
            ("京", [tokyo.id]),
            ("二人以上", [review.id]),
        ]
        for (query, expected) in cases {
            let hits = try await fixture.service.search(SearchRequest(query: query))
            #expect(Set(hits.map(\.memory.id)) == Set(expected), "query \(query)")
        }
        // Characters that are not next to each other in the text do not match as a phrase.
        #expect(try await fixture.service.search(SearchRequest(query: "移見")).isEmpty)
    }

    @Test func mixedScriptQueriesWork() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("API設計のレビューは postgres チームと行う")
        #expect(try await fixture.service.search(SearchRequest(query: "API設計")).map(\.memory.id) == [memory.id])
        #expect(try await fixture.service.search(SearchRequest(query: "postgres チーム")).map(\.memory.id) == [memory.id])
    }

    @Test func fullWidthTextMatchesItsNormalForm() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("Ｐｏｓｔｇｒｅｓ の設定")
        #expect(try await fixture.service.search(SearchRequest(query: "postgres")).map(\.memory.id) == [memory.id])
    }

    @Test func whenNoMemoryHasEveryWordAnyWordMatches() async throws {
        let fixture = try StoreFixture()
        let both = try await fixture.add("retry with exponential backoff")
        let one = try await fixture.add("retry the request")
        #expect(try await fixture.service.search(SearchRequest(query: "retry backoff")).map(\.memory.id) == [both.id])
        let loose = try await fixture.service.search(SearchRequest(query: "retry jitter"))
        #expect(Set(loose.map(\.memory.id)) == [both.id, one.id])
    }

    @Test func ftsSyntaxInQueriesIsPlainText() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("use NEAR and AND carefully: column filters")
        for query in ["NEAR(", "\"unbalanced", "column:", "AND OR NOT", "^start", "a - b"] {
            _ = try await fixture.service.search(SearchRequest(query: query))
        }
        #expect(try await fixture.service.search(SearchRequest(query: "column:")).map(\.memory.id) == [memory.id])
        await #expect(throws: TMWSError.self) { try await fixture.service.search(SearchRequest(query: "!!! ---")) }
        await #expect(throws: TMWSError.self) { try await fixture.service.search(SearchRequest(query: "  ")) }
    }

    @Test func filtersNarrowSearchAndList() async throws {
        let fixture = try StoreFixture()
        let other = try Namespace(validating: "other")
        let a = try await fixture.add("cache note alpha", scope: .global, tags: ["perf", "cache"], importance: 0.9)
        fixture.clock.advance(by: 3600)
        let b = try await fixture.add("cache note beta", scope: .project, tags: ["perf"], importance: 0.3, namespace: other)
        fixture.clock.advance(by: 3600)
        let c = try await fixture.add("cache note gamma", scope: .private, tags: ["cache"], importance: 0.6)

        func ids(_ filter: MemoryFilter) async throws -> Set<MemoryID> {
            let searched = Set(try await fixture.service.search(SearchRequest(query: "cache", filter: filter)).map(\.memory.id))
            let listed = Set(try await fixture.service.list(ListRequest(filter: filter)).memories.map(\.id))
            #expect(searched == listed)
            return searched
        }
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(try await ids(MemoryFilter(scopes: [.global, .private])) == [a.id, c.id])
        #expect(try await ids(MemoryFilter(namespace: other)) == [b.id])
        #expect(try await ids(MemoryFilter(tags: ["perf", "cache"], tagMatch: .any)) == [a.id, b.id, c.id])
        #expect(try await ids(MemoryFilter(tags: ["perf", "cache"], tagMatch: .all)) == [a.id])
        #expect(try await ids(MemoryFilter(minimumImportance: 0.5)) == [a.id, c.id])
        #expect(try await ids(MemoryFilter(createdAfter: start.addingTimeInterval(1800))) == [b.id, c.id])
        #expect(try await ids(MemoryFilter(createdBefore: start.addingTimeInterval(1800))) == [a.id])
        #expect(try await ids(MemoryFilter(updatedAfter: start.addingTimeInterval(5400))) == [c.id])
        #expect(try await ids(MemoryFilter(updatedBefore: start.addingTimeInterval(5400))) == [a.id, b.id])
    }

    @Test func searchHitsCountAsAccesses() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("access tracking")
        _ = try await fixture.service.search(SearchRequest(query: "tracking"))
        let hits = try await fixture.service.search(SearchRequest(query: "tracking"))
        #expect(hits.first?.memory.accessCount == 2)
        #expect(try await fixture.service.get(memory.id).accessCount == 3)
    }

    @Test func updatedContentIsReindexed() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("original wording")
        _ = try await fixture.service.update(memory.id, .init(content: "replacement phrasing"), by: .cli)
        #expect(try await fixture.service.search(SearchRequest(query: "original")).isEmpty)
        #expect(try await fixture.service.search(SearchRequest(query: "replacement")).map(\.memory.id) == [memory.id])
        #expect(try await fixture.store.checkIntegrity().ok)
    }

    /// An unfiltered search ranks the index alone while nothing has expired; once a memory has
    /// expired (and waits for prune), or with a filter, it joins `memory`. Both paths must
    /// return the same live memories in the same order.
    @Test func expiredAndDeletedMemoriesNeverSurfaceOnEitherPath() async throws {
        let fixture = try StoreFixture()
        let kept = [
            try await fixture.add("rollout plan for the rollout of the canary"),
            try await fixture.add("rollout notes"),
            try await fixture.add("the rollout happened on a Tuesday with many other words around it"),
        ]
        let deleted = try await fixture.add("rollout rollout rollout")
        _ = try await fixture.service.delete(deleted.id, by: .cli)
        let unfiltered = try await fixture.service.search(SearchRequest(query: "rollout"))
        #expect(Set(unfiltered.map(\.memory.id)) == Set(kept.map(\.id)))

        let expiring = try await fixture.add("rollout rollout", ttlDays: 1)
        #expect(try await fixture.service.search(SearchRequest(query: "rollout")).first?.memory.id == expiring.id)
        fixture.clock.advance(days: 2)
        let afterExpiry = try await fixture.service.search(SearchRequest(query: "rollout"))
        #expect(afterExpiry.map(\.memory.id) == unfiltered.map(\.memory.id))
        let filtered = try await fixture.service.search(
            SearchRequest(query: "rollout", filter: MemoryFilter(namespace: StoreFixture.namespace))
        )
        #expect(filtered.map(\.memory.id) == afterExpiry.map(\.memory.id))
        #expect(filtered.map(\.score) == afterExpiry.map(\.score))
    }

    @Test func limitsOutsideTheRangeAreRejected() async throws {
        let fixture = try StoreFixture()
        await #expect(throws: TMWSError.self) { try await fixture.service.search(SearchRequest(query: "x", limit: 0)) }
        await #expect(throws: TMWSError.self) { try await fixture.service.list(ListRequest(limit: 1001)) }
    }
}

@Suite struct FTSNormalizationTests {
    /// The fast path must agree with Foundation's NFKC on everything it lets through.
    @Test func theFastPathLeavesOnlyTextThatNFKCWouldNotChange() async throws {
        let fixture = try StoreFixture()
        let samples = [
            "plain ASCII text", "データベースの移行。「設計」『レビュー』", "한국어 텍스트",
            "ｶﾀｶﾅ", "ＡＢＣ１２３", "全角\u{3000}スペース", "e\u{301}cole", "ﬁle", "①②", "が", "か\u{3099}",
        ]
        for sample in samples {
            let memory = try await fixture.add(sample)
            let normalized = sample.precomposedStringWithCompatibilityMapping
            let hits = try await fixture.service.search(SearchRequest(query: normalized))
            #expect(hits.map(\.memory.id).contains(memory.id), "\(sample)")
        }
    }
}

@Suite struct SearchCandidateWindowTests {
    @Test func onlyTheNewestMatchesAreRankedWhenAQueryMatchesMoreThanTheWindow() async throws {
        let directory = TemporaryDirectory()
        let clock = TestClock()
        let store = try SQLiteMemoryStore(configuration: .init(path: directory.file("tmws.db"), searchCandidates: 20), clock: clock)
        let service = MemoryService(store: store, clock: clock, defaultNamespace: StoreFixture.namespace)
        // An old memory that BM25 would put first (the word three times, short).
        let old = try await service.add(.init(content: "cache eviction cache cache"), by: .cli)
        for index in 0..<30 {
            _ = try await service.add(.init(content: "note \(index) about the cache and many other words to make it long"), by: .cli)
        }
        let windowed = try await service.search(SearchRequest(query: "cache", limit: 100))
        #expect(windowed.count == 20)
        #expect(!windowed.map(\.memory.id).contains(old.id))
        #expect(windowed.map(\.score) == windowed.map(\.score).sorted(by: >))

        // A query specific enough to fall inside the window is ranked in full.
        #expect(try await service.search(SearchRequest(query: "cache eviction")).map(\.memory.id) == [old.id])

        // Filters apply before the window, so a filtered search still finds its matches.
        let other = try Namespace(validating: "other")
        let filtered = try await service.add(.init(content: "old cache note", namespace: other), by: .cli)
        for index in 0..<25 {
            _ = try await service.add(.init(content: "cache filler \(index)"), by: .cli)
        }
        let hits = try await service.search(SearchRequest(query: "cache", filter: MemoryFilter(namespace: other)))
        #expect(hits.map(\.memory.id) == [filtered.id])
    }
}
