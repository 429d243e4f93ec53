import Foundation
import TMWSBench
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

/// Natural-language questions find their note, in Japanese as in English: a question shares
/// words with its note, never the whole sentence, and Japanese puts no spaces between them.
@Suite struct JapaneseQuestionTests {
    /// The corpus's notes among 2,000 synthetic English and Japanese memories.
    func store() async throws -> (StoreFixture, [MemoryID]) {
        let fixture = try StoreFixture()
        let lines = SyntheticCorpus().items(2000).map { item in
            let object: [String: Any] = ["content": item.content, "scope": "PROJECT", "tags": item.tags]
            return ArraySlice(Array(try! JSONSerialization.data(withJSONObject: object)))
        }
        _ = try await fixture.service.importLines(lines, by: .cli)
        var ids: [MemoryID] = []
        for item in JapaneseQuestionCorpus.cases {
            ids.append(try await fixture.add(item.note).id)
        }
        return (fixture, ids)
    }

    /// The share of questions whose note is among the first `depth` results.
    func hitRate(_ fixture: StoreFixture, _ ids: [MemoryID], where include: (String) -> Bool, depth: Int) async throws -> (Double, [String]) {
        var hits = 0
        var asked = 0
        var misses: [String] = []
        for (item, id) in zip(JapaneseQuestionCorpus.cases, ids) where include(item.question) {
            asked += 1
            let results = try await fixture.service.search(SearchRequest(query: item.question, limit: depth))
            if results.contains(where: { $0.memory.id == id }) { hits += 1 } else { misses.append(item.question) }
        }
        return (Double(hits) / Double(max(asked, 1)), misses)
    }

    static func isJapanese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
    }

    @Test func theCorpusIsLargeEnoughAndQuestionsAreNotQuotes() {
        let japanese = JapaneseQuestionCorpus.cases.filter { Self.isJapanese($0.question) }
        #expect(japanese.count >= 100)
        for item in JapaneseQuestionCorpus.cases {
            #expect(!item.note.contains(item.question), "\(item.question)")
        }
    }

    @Test func japaneseQuestionsFindTheirNoteAsOftenAsEnglishOnes() async throws {
        let (fixture, ids) = try await store()
        let (japanese, japaneseMisses) = try await hitRate(fixture, ids, where: Self.isJapanese, depth: 10)
        let (english, englishMisses) = try await hitRate(fixture, ids, where: { !Self.isJapanese($0) }, depth: 10)
        #expect(japanese >= 0.95, "Japanese top-10 hit rate \(japanese); missed: \(japaneseMisses)")
        #expect(english >= 0.95, "English top-10 hit rate \(english); missed: \(englishMisses)")
        let (first, _) = try await hitRate(fixture, ids, where: Self.isJapanese, depth: 1)
        #expect(first >= 0.7, "Japanese top-1 hit rate \(first)")
    }

    @Test func anExactPhraseRanksFirst() async throws {
        let fixture = try StoreFixture()
        try await fixture.add("バックアップの手順は運用手順書にある。")
        let exact = try await fixture.add("バックアップはいつ取るかは当番が決める。")
        try await fixture.add("取得したバックアップは30日保存する。")
        let hits = try await fixture.service.search(SearchRequest(query: "バックアップはいつ取る", limit: 10))
        #expect(hits.map(\.memory.id) == [exact.id])
        // Without the phrase, any content word is enough, best first.
        let question = try await fixture.service.search(SearchRequest(query: "バックアップの保存期間は？", limit: 10))
        #expect(question.count == 3)
        #expect(question.first?.memory.content == "取得したバックアップは30日保存する。")
    }
}
