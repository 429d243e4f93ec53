import Foundation
import GRDB
import TMWSCore
import TMWSSync
import TMWSTestSupport
import Testing

@testable import TMWSSQLite

/// Words hashed into 64 dimensions: texts sharing words are near, others far. It stands in for
/// a model where the store's rules are tested (the real model: TMWSEmbedTests).
struct HashedWords: Embedder {
    var modelID = "test-hashed-words"
    var fails = false

    func isReady() async -> Bool { true }

    func load() async throws {}

    func embed(_ texts: [String], as role: EmbeddingRole) async throws -> [[Float]] {
        if fails { throw TMWSError(.io, "the endpoint is down") }
        return texts.map { text in
            var vector = [Float](repeating: 0.01, count: 64)
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                var hash: UInt64 = 1_469_598_103_934_665_603
                for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
                vector[Int(hash % 64)] += 1
            }
            return vector
        }
    }
}

@Suite struct VectorStoreTests {
    func embedAll(_ fixture: StoreFixture, _ embedder: HashedWords = HashedWords()) async throws -> Int {
        let loop = EmbeddingLoop(embedder: embedder, vectors: fixture.store, clock: ContinuousClock())
        var total = 0
        while true {
            let (taken, saved) = try await loop.step()
            if taken == 0 { return total }
            total += saved
        }
    }

    func query(_ text: String) async throws -> MemoryVector {
        MemoryVector(model: HashedWords().modelID, floats: try await HashedWords().embed([text], as: .query)[0])
    }

    @Test func writesWaitForNoVectorAndTheLoopEmbedsThemAll() async throws {
        let fixture = try StoreFixture()
        for index in 0..<40 { try await fixture.add("note number \(index) about deploys") }
        #expect(try await fixture.store.embeddingProgress(model: "test-hashed-words") == EmbeddingProgress(embedded: 0, waiting: 40))
        #expect(try await embedAll(fixture) == 40)
        #expect(try await fixture.store.embeddingProgress(model: "test-hashed-words") == EmbeddingProgress(embedded: 40, waiting: 0))
        #expect(try await fixture.store.embeddingBacklog(model: "test-hashed-words", limit: 10).isEmpty)
        // Another model's vectors are another space: all forty wait for it.
        #expect(try await fixture.store.embeddingProgress(model: "other").waiting == 40)
    }

    @Test func theLoopHoldsBackWhileWritesKeepComingAndEmbedsOnceTheyPause() async throws {
        let fixture = try StoreFixture()
        let clock = ManualClock()
        var loop = EmbeddingLoop(embedder: HashedWords(), vectors: fixture.store, clock: clock)
        loop.wake = fixture.store.writes
        let task = Task { [loop] in await loop.run() }
        defer { task.cancel() }
        func embedded() async throws -> Int { try await fixture.store.embeddingProgress(model: "test-hashed-words").embedded }
        /// Moves the clock; when that woke the loop, waits until it has acted and sleeps again.
        func advance(by duration: Duration) async {
            let begun = clock.sleepsBegun
            if clock.advance(by: duration) > 0, !(await clock.sleeping(after: begun)) { Issue.record("the loop never slept again") }
        }
        #expect(await clock.sleeping(after: 0))
        // The first write wakes the loop, which waits for the writes to pause.
        var begun = clock.sleepsBegun
        try await fixture.add("note 0 about deploys")
        #expect(await clock.sleeping(after: begun))
        // A write every 200 ms for 1.6 s: nothing is embedded beside them.
        for index in 1...8 {
            try await fixture.add("note \(index) about deploys")
            await advance(by: .milliseconds(200))
        }
        #expect(try await embedded() == 0, "writes keep coming: the loop holds back")
        // They pause: 250 ms later all nine are embedded.
        await advance(by: .milliseconds(300))
        #expect(try await embedded() == 9)
        // A steady stream holds it back for 2 s at most.
        begun = clock.sleepsBegun
        try await fixture.add("note 9 about deploys")
        #expect(await clock.sleeping(after: begun))
        var waited = Duration.zero
        while try await embedded() == 9, waited < .seconds(5) {
            try await fixture.add("note during \(waited) about deploys")
            await advance(by: .milliseconds(100))
            waited += .milliseconds(100)
        }
        #expect(waited >= .seconds(2) && waited <= .milliseconds(2_300), "embedded after \(waited) of steady writes")
    }

    @Test func nearestRanksByMeaningAndAppliesFiltersBeforeRanking() async throws {
        let fixture = try StoreFixture()
        let other = try Namespace(validating: "other-project")
        let canary = try await fixture.add("release canary rollout")
        for index in 0..<30 { try await fixture.add("release canary rollout copy \(index)", namespace: other) }
        try await fixture.add("lunch was ramen")
        _ = try await embedAll(fixture)
        let q = try await query("canary rollout")
        let all = try await fixture.store.nearest(q, filter: MemoryFilter(), limit: 5)
        #expect(all.count == 5 && all.allSatisfy { $0.memory.content.contains("canary") })
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
        // Thirty nearer memories in another namespace do not push the only one here out.
        let here = try await fixture.store.nearest(q, filter: MemoryFilter(namespace: StoreFixture.namespace), limit: 1)
        #expect(here.map(\.memory.id) == [canary.id])
        let tagged = try await fixture.store.nearest(q, filter: MemoryFilter(tags: ["none"]), limit: 5)
        #expect(tagged.isEmpty)
    }

    @Test func aVectorLeavesWithItsTextAndComesBackThroughTheLoop() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("release canary rollout")
        let gone = try await fixture.add("to be deleted canary")
        _ = try await embedAll(fixture)
        _ = try await fixture.service.update(memory.id, .init(content: "lunch was ramen"), by: .cli)
        _ = try await fixture.service.delete(gone.id, expectedVersion: nil, by: .cli)
        let stale = try await fixture.store.nearest(try await query("canary rollout"), filter: MemoryFilter(), limit: 5)
        #expect(stale.isEmpty, "no vector of an old text or a deleted memory is searched")
        #expect(try await fixture.store.embeddingBacklog(model: "test-hashed-words", limit: 5).map(\.id) == [memory.id])
        _ = try await embedAll(fixture)
        let fresh = try await fixture.store.nearest(try await query("ramen lunch"), filter: MemoryFilter(), limit: 5)
        #expect(fresh.map(\.memory.id) == [memory.id])
    }

    @Test func aVectorMadeFromAnOldTextIsNotKept() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("first text")
        let job = try await fixture.store.embeddingBacklog(model: "test-hashed-words", limit: 1)[0]
        _ = try await fixture.service.update(memory.id, .init(content: "second text"), by: .cli)
        let late = MemoryVector(model: "test-hashed-words", floats: try await HashedWords().embed([job.content], as: .passage)[0])
        #expect(try await fixture.store.saveVectors([(job, late)]) == 0)
    }

    @Test func anotherProcessSeesVectorsAddedAndRemoved() async throws {
        let fixture = try StoreFixture()
        let second = try fixture.reopen()
        try await fixture.add("release canary rollout")
        let q = try await query("canary")
        #expect(try await second.nearest(q, filter: MemoryFilter(), limit: 3).isEmpty)
        _ = try await embedAll(fixture)
        #expect(try await second.nearest(q, filter: MemoryFilter(), limit: 3).count == 1)
        let memory = try await fixture.add("canary two")
        _ = try await embedAll(fixture)
        #expect(try await second.nearest(q, filter: MemoryFilter(), limit: 3).count == 2)
        _ = try await fixture.service.delete(memory.id, expectedVersion: nil, by: .cli)
        #expect(try await second.nearest(q, filter: MemoryFilter(), limit: 3).count == 1)
    }

    @Test func aPushCarriesTheVectorOfExactlyItsText() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("global release rule", scope: .global)
        #expect(try await fixture.store.pendingEvents(limit: 5).first?.event.vector == nil)
        _ = try await embedAll(fixture)
        let event = try #require(try await fixture.store.pendingEvents(limit: 5).first)
        #expect(event.event.vector?.model == "test-hashed-words")
        #expect(try ChangeEvent.decode(event.json).vector == event.event.vector)
        // The text changed since that event: its vector is not this text's.
        _ = try await fixture.service.update(memory.id, .init(content: "a different rule"), by: .cli)
        _ = try await embedAll(fixture)
        let events = try await fixture.store.pendingEvents(limit: 5)
        #expect(events.count == 2 && events[0].event.vector == nil && events[1].event.vector != nil)
    }

    @Test func aPulledVectorIsSearchableAtOnceAndABadSampleWithdrawsItsDevicesVectors() async throws {
        let fixture = try StoreFixture()
        let clock = HybridTimestamp(millis: Int64(fixture.clock.now().timeIntervalSince1970 * 1000), counter: 1)
        // A hostile device sends vectors aimed at a query, whatever its memories say.
        let aimed = try await query("canary rollout")
        var ids: [MemoryID] = []
        for index in 0..<(PeerVectorCheck.sampleEvery * 2) {
            let id = MemoryID.generate(at: Date())
            ids.append(id)
            var event = SyncStoreTests().remoteEvent(id, version: 1, clock: clock, content: "unrelated lunch note \(index)")
            event.vector = aimed
            #expect(try await fixture.store.applyRemote(event) == .applied)
        }
        #expect(try await fixture.store.embeddingProgress(model: "test-hashed-words").embedded == ids.count)
        #expect(try await fixture.store.nearest(aimed, filter: MemoryFilter(), limit: 3).count == 3)
        let loop = EmbeddingLoop(embedder: HashedWords(), vectors: fixture.store, clock: ContinuousClock())
        let (checked, distrusted) = try await loop.checkPeers()
        #expect(checked >= 1 && distrusted == ["laptop-2"])
        #expect(try await fixture.store.embeddingProgress(model: "test-hashed-words").embedded == 0)
        _ = try await embedAll(fixture)
        let honest = try await fixture.store.nearest(aimed, filter: MemoryFilter(), limit: 3)
        #expect(honest.allSatisfy { $0.similarity < 0.5 })
    }

    @Test func aVectorThatIsNotNormalisedOrTooLargeIsRefusedOnTheWire() throws {
        #expect(throws: TMWSError.self) { try MemoryVector(model: "m", scale: 1, values: [Int8](repeating: 127, count: 64)) }
        #expect(throws: TMWSError.self) { try MemoryVector(model: "m", scale: .nan, values: [Int8](repeating: 1, count: 64)) }
        #expect(throws: TMWSError.self) { try MemoryVector(model: "m", scale: 0.1, values: [Int8](repeating: 1, count: 4)) }
        #expect(throws: TMWSError.self) { try MemoryVector(model: "bad model name", scale: 0.01, values: [Int8](repeating: 1, count: 64)) }
        let good = MemoryVector(model: "m", floats: (0..<64).map { Float($0) - 30 })
        #expect(try MemoryVector.decode(good.jsonBytes()) == good)
        let huge = #"{"model":"m","scale":0.01,"data":""# + String(repeating: "A", count: 8_000) + #""}"#
        #expect(throws: TMWSError.self) { try MemoryVector.decode(Array(huge.utf8)) }
    }

    @Test func aVectorBesideLocalOrSealedFieldsInClearIsRefused() {
        let fixture = SyncStoreTests()
        let clock = HybridTimestamp(millis: 1_700_000_000_000, counter: 1)
        let vector = MemoryVector(model: "m", floats: (0..<64).map { Float($0) - 30 })
        var global = fixture.remoteEvent(MemoryID.generate(at: Date()), version: 1, clock: clock, content: "x")
        global.vector = vector
        #expect(global.refusal(receivedAt: Date()) == nil)
        var local = fixture.remoteEvent(MemoryID.generate(at: Date()), version: 1, clock: clock, content: "x", scope: .project)
        local.vector = vector
        #expect(local.refusal(receivedAt: Date()) != nil)
        var shared = fixture.remoteEvent(MemoryID.generate(at: Date()), version: 1, clock: clock, content: "x", scope: .shared)
        shared.vector = vector
        #expect(shared.refusal(receivedAt: Date())?.contains("vector") == true)
        var delete = fixture.remoteEvent(MemoryID.generate(at: Date()), version: 2, clock: clock, content: nil)
        delete.vector = vector
        #expect(delete.refusal(receivedAt: Date()) != nil)
    }
}

@Suite struct SearchModeTests {
    @Test func hybridKeepsStrongMeaningAheadOfWeakWordMatchesAndSaysHowItRan() async throws {
        var fixture = try StoreFixture()
        let ramen = try await fixture.add("lunch ramen noodles")
        try await fixture.add("shipping the weekly report")
        let lexicalOnly = try await fixture.service.searchOutcome(SearchRequest(query: "ramen noodles", mode: .hybrid))
        #expect(lexicalOnly.mode == .lexical && lexicalOnly.note?.contains("no embedding model") == true)
        fixture.service.semantic = SemanticSearch(embedder: HashedWords(), vectors: fixture.store)
        let waiting = try await fixture.service.searchOutcome(SearchRequest(query: "ramen noodles", mode: .vector))
        #expect(waiting.mode == .vector && waiting.hits.isEmpty && waiting.pendingEmbeddings == 2)
        _ = try await VectorStoreTests().embedAll(fixture)
        let hybrid = try await fixture.service.searchOutcome(SearchRequest(query: "noodles ramen lunch", limit: 2))
        #expect(hybrid.mode == .hybrid)
        #expect(hybrid.hits.first?.memory.id == ramen.id)
        #expect(hybrid.hits.first?.foundBy == [.lexical, .vector] && hybrid.hits.first?.similarity != nil)
        // A query of punctuation alone has no words to match, but vectors still rank.
        let punctuation = try await fixture.service.searchOutcome(SearchRequest(query: "?!", mode: .hybrid))
        #expect(punctuation.mode == .hybrid)
        // A provider that fails: lexical, said so.
        fixture.service.semantic = SemanticSearch(embedder: HashedWords(fails: true), vectors: fixture.store)
        let down = try await fixture.service.searchOutcome(SearchRequest(query: "ramen"))
        #expect(down.mode == .lexical && down.note?.contains("failed") == true && down.hits.map(\.memory.id) == [ramen.id])
    }

    @Test func fusionLetsAnyWordFallbacksCountLess() {
        func memory(_ n: Int) -> Memory {
            Memory(
                id: MemoryID(uuid: UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, UInt8(n)))), tenantID: "t",
                namespace: .fallback, scope: .project, content: "\(n)", tags: [], importance: 0.5, metadata: [:], agentID: "a",
                createdAt: Date(), updatedAt: HybridTimestamp(rawValue: 1), version: 1, originDevice: "d", expiresAt: nil, accessCount: 0,
                accessedAt: nil, archived: false, deleted: false)
        }
        let weak = (1...3).map { SearchHit(memory: memory($0), score: 1, partial: true) }
        let strong = (1...3).map { SearchHit(memory: memory($0), score: 1) }
        let vector = (4...6).map { VectorHit(memory: memory($0), similarity: 0.8) }
        #expect(RankFusion().fuse(lexical: weak, vector: vector, limit: 3).map(\.memory.content) == ["4", "5", "6"])
        #expect(RankFusion().fuse(lexical: strong, vector: vector, limit: 2).map(\.memory.content) == ["1", "4"])
        let both = RankFusion().fuse(lexical: strong, vector: [VectorHit(memory: memory(2), similarity: 0.9)], limit: 1)
        #expect(both.map(\.memory.content) == ["2"] && both[0].foundBy == [.lexical, .vector])
        // A fallback hit counts fully when it matches much of the query's weight and means
        // nearly what the best meaning match means; one that shares an incidental word does not.
        let near = [memory(1).id: 0.79]
        let most = [SearchHit(memory: memory(1), score: 1, partial: true, coverage: 0.8)]
        #expect(RankFusion().fuse(lexical: most, vector: vector, similarities: near, limit: 1).map(\.memory.content) == ["1"])
        let incidental = [SearchHit(memory: memory(1), score: 1, partial: true, coverage: 0.1)]
        #expect(RankFusion().fuse(lexical: incidental, vector: vector, similarities: near, limit: 1).map(\.memory.content) == ["4"])
        // Nor does it lift a lower meaning match over the ones above it.
        let fourth = vector + [VectorHit(memory: memory(7), similarity: 0.7)]
        let sharesAWord = [SearchHit(memory: memory(7), score: 1, partial: true, coverage: 0.2)]
        #expect(RankFusion().fuse(lexical: sharesAWord, vector: fourth, limit: 3).map(\.memory.content) == ["4", "5", "6"])
    }
}
