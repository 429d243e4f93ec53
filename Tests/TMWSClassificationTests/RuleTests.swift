import Foundation
import TMWSCore
import Testing

@Suite struct RuleTests {
    static let detector = SensitiveDataDetector()

    static func found(_ text: String) -> Set<String> {
        Set(detector.scan(text).map(\.type))
    }

    @Test func everyRuleTypeHasACorpus() {
        let covered = Set(RuleCorpus.rules.map(\.type)).union(CredentialFormat.all.map(\.type))
        let missing = Set(SensitiveDataDetector.findingTypes).subtracting(covered)
        #expect(missing.isEmpty, "rules without tests: \(missing.sorted())")
    }

    @Test(arguments: RuleCorpus.rules.map(\.type))
    func truePositivesAreFound(_ type: String) throws {
        let rule = try #require(RuleCorpus.rules.first { $0.type == type })
        var random = SplitMix64(seed: 0xC0FFEE)
        let samples = [rule.handWritten] + (0..<6).map { _ in rule.generate(&random) }
        for sample in samples {
            #expect(Self.found(sample).contains(type), "\(type) missed a sample of \(sample.count) characters: \(sample.prefix(12))…")
        }
    }

    @Test(arguments: RuleCorpus.rules.map(\.type))
    func nearMissesAreNotFound(_ type: String) throws {
        let rule = try #require(RuleCorpus.rules.first { $0.type == type })
        #expect(rule.nearMisses.count >= 3)
        for miss in rule.nearMisses {
            #expect(!Self.found(miss).contains(type), "\(type) matched near miss: \(miss)")
        }
    }
}
