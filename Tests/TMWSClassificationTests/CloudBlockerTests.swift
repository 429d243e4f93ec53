import Foundation
import TMWSCore
import Testing

/// The second line of defence (`ScopeClassifier.cloudBlockers`, run on every outgoing change
/// and on the hub) skips the scope decision but must stop exactly what an explicit GLOBAL
/// write is refused for: the same answer on every corpus, in content, tags and metadata.
@Suite struct CloudBlockerTests {
    /// What a GLOBAL write of these fields is refused for (`nil`: accepted).
    func refusal(_ fields: MemoryFields) throws -> [String]? {
        do {
            _ = try ScopePolicy().decide(fields, explicitScope: .global, redact: false, namespace: try Namespace(validating: "proj"))
            return nil
        } catch let error as TMWSError where error.code == .refused {
            return error.findingTypes
        }
    }

    @Test func stopsExactlyWhatAGlobalWriteIsRefusedFor() throws {
        var random = SplitMix64(seed: 41)
        var texts = BenignCorpusTests.corpus
        for rule in RuleCorpus.rules {
            texts.append(rule.handWritten)
            texts += (0..<5).map { _ in rule.generate(&random) }
            texts += rule.nearMisses
        }
        texts += SecretFixtures.pemBlocks().map(\.pem)
        let classifier = ScopeClassifier()
        var blocked = 0
        for text in texts {
            for fields in [
                MemoryFields(content: text, tags: [], metadata: [:], namespace: "proj"),
                MemoryFields(content: "a note", tags: [String(text.prefix(200))], metadata: [:], namespace: "proj"),
                MemoryFields(content: "a note", tags: [], metadata: ["value": .string(text)], namespace: "proj"),
            ] {
                let expected = try refusal(fields)
                #expect(classifier.cloudBlockers(fields) == expected, "\(expected ?? [])")
                if expected != nil { blocked += 1 }
            }
        }
        #expect(blocked > 100, "the corpora hold secrets")
    }
}
