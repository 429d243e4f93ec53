import Foundation
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

/// Scopes people choose become learning examples (roadmap 6.3), with the write that made them:
/// corrections and confirmations on add and import, scope changes by update; never a memory
/// the detector flagged, never a scope nobody chose, PRIVATE only by opt-in, never the text.
@Suite struct ScopeExampleTests {
    func counts(_ fixture: StoreFixture) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for count in try await fixture.store.scopeExampleCounts() { counts["\(count.label.rawValue)/\(count.source.rawValue)"] = count.count }
        return counts
    }

    @Test func explicitScopesOnAddAndUpdateAreRecordedAndNothingElse() async throws {
        let fixture = try StoreFixture()
        // The suggestion is GLOBAL; a person insists on PROJECT: a correction.
        let corrected = try await fixture.add("In general, best practice: prefer small pull requests for review", scope: .project)
        // The suggestion is PROJECT and a person agrees: a confirmation.
        _ = try await fixture.add("The billing service in this repo retries charges three times", scope: .project)
        // No scope given: the classifier decided alone, nothing to learn.
        _ = try await fixture.service.add(.init(content: "In general, prefer composition over inheritance"), by: .cli)
        // Sensitive: the detector decides, never an example.
        _ = try await fixture.service.add(.init(content: "the staging password is hunter2-Xk9!pq", scope: .private), by: .cli)
        // PRIVATE without the opt-in: not an example.
        _ = try await fixture.service.add(.init(content: "I prefer dark roast coffee", scope: .private), by: .cli)
        // A later move by a person: an update example.
        _ = try await fixture.service.update(corrected.id, .init(scope: .global), by: .cli)
        // A change that does not touch the scope: nothing.
        _ = try await fixture.service.update(corrected.id, .init(content: "In general, best practice: keep pull requests small"), by: .cli)

        #expect(try await counts(fixture) == ["PROJECT/correction": 1, "PROJECT/confirmation": 1, "GLOBAL/update": 1])
        let examples = try await fixture.store.scopeExamples()
        #expect(examples.map(\.example.suggested) == [.global, .project, .global])
        #expect(examples.allSatisfy { !$0.example.features.isEmpty })
        #expect(examples.first?.example.memoryID == corrected.id)
    }

    @Test func privateExamplesNeedTheOptIn() async throws {
        var fixture = try StoreFixture()
        fixture.service.policy.learnPrivate = true
        _ = try await fixture.service.add(.init(content: "I prefer dark roast coffee", scope: .private), by: .cli)
        #expect(try await counts(fixture) == ["PRIVATE/correction": 1])
    }

    @Test func importLinesWithAScopeAreExamples() async throws {
        let fixture = try StoreFixture()
        let lines = [
            #"{"content": "In general, best practice: always pin dependency versions", "scope": "PROJECT"}"#,
            #"{"content": "In general, best practice: write the test first", "scope": "GLOBAL"}"#,
            #"{"content": "The deploy script of this repo lives in ops/"}"#,
        ].joined(separator: "\n")
        _ = try await fixture.service.importLines(lines.utf8.split(separator: UInt8(ascii: "\n")).map { ArraySlice($0) }, by: .cli)
        #expect(try await counts(fixture) == ["PROJECT/correction": 1, "GLOBAL/confirmation": 1])
    }

    @Test func examplesKeepNoTextAndCanBeRemoved() async throws {
        let fixture = try StoreFixture()
        let marker = "zirconiumquill"
        let memory = try await fixture.add("The \(marker) exporter of this repo writes CSV", scope: .project)
        _ = try await fixture.service.delete(memory.id, by: .cli)
        _ = try await fixture.service.prune(dryRun: false, by: .cli)
        let file = try Data(contentsOf: URL(fileURLWithPath: fixture.directory.file("tmws.db")))
        #expect(file.range(of: Data(marker.utf8)) == nil)
        let examples = try await fixture.store.scopeExamples()
        #expect(examples.count == 1)
        #expect(try await fixture.store.removeScopeExamples([examples[0].key]) == 1)
        _ = try await fixture.add("The billing service in this repo retries charges", scope: .project)
        #expect(try await fixture.store.removeScopeExamples(nil) == 1)
        #expect(try await fixture.store.scopeExamples().isEmpty)
    }

    @Test func featuresCoverEnglishAndJapanese() {
        let english = ScopeFeatures.hashed("Deploy the canary first")
        let japanese = ScopeFeatures.hashed("リリースはタグを切ってからカナリアへ")
        #expect(english.count == 4 + 3)  // four words, three pairs
        #expect(japanese.count > 10)
        #expect(ScopeFeatures.hashed("DEPLOY the Canary first") == english)
        #expect(english.allSatisfy { $0 < ScopeFeatures.buckets })
    }
}
